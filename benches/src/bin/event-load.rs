//! Per-event latency and memory of the real function binaries on emulated AWS: the e2e harness
//! (`policy-guard-e2e`: moto, the findings topic, seeded IAM, each release binary behind its own
//! `cargo lambda watch --only-lambda-apis` runtime emulator) receives `--events` events per
//! function through the emulator's invoke API (`POST /2015-03-31/functions/_/invocations`),
//! cycling through the function's e2e scenarios, each with a fresh event id so every event is
//! judged and (when it has findings) published to SNS.
//!
//! Reported per function (one JSON object on stdout):
//! - `round_trip_ms`: client -> emulator -> function -> emulator -> client;
//! - `handler_ms`: the function's own `duration_ms` field of its "event handled" log line (whole
//!   milliseconds; includes the IAM and SNS calls);
//! - `logged_handler_us` / `logged_aws_call_us` / `logged_evaluation_us`: the same line's
//!   `duration_us`, `aws_call_us` (time awaiting IAM and SNS) and `evaluation_us` (the rest);
//! - `evaluation_us`: the same events through the same `guard_aws::Guard` in this process with
//!   in-memory ports (the policies moto is seeded with, a recording notifier): evaluation +
//!   rendering with no AWS call;
//! - `vm_hwm_kib` / `vm_rss_kib`: the function process's peak and current RSS after the events.
//!
//! Usage: event-load [--events N]

use guard_aws::testing::{InMemoryPolicies, RecordingNotifier};
use guard_aws::{Guard, Service};
use policy_guard::Config;
use policy_guard_bench::{memory_kib, stats_json, Result};
use policy_guard_e2e::scenarios::{seed_customer_policies, SCENARIOS, SEED_MANAGED_POLICIES};
use policy_guard_e2e::{managed_policy_document, Function, Stack, ACCOUNT};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("event-load: {error}");
            ExitCode::FAILURE
        }
    }
}

fn service(function: Function) -> Service {
    match function {
        Function::IamGuard => Service::Iam,
        Function::LambdaGuard => Service::Lambda,
    }
}

/// The scenario events of `function`, parsed once.
fn events_of(function: Function) -> Result<Vec<Value>> {
    let mut out = Vec::new();
    for scenario in SCENARIOS.iter().filter(|s| s.function == function) {
        out.push(scenario.event()?);
    }
    if out.is_empty() {
        return Err(format!("no scenarios for {}", function.package()).into());
    }
    Ok(out)
}

/// Event number `n` of the cycle, with a fresh EventBridge id and CloudTrail event id
/// (`b1…`/`b2…` for measured events, `a1…`/`a2…` for warm-up ones).
fn nth_event(events: &[Value], function: Function, n: usize) -> Value {
    tagged_event(events, function, n, true)
}

fn warmup_event(events: &[Value], function: Function, n: usize) -> Value {
    tagged_event(events, function, n, false)
}

fn tagged_event(events: &[Value], function: Function, n: usize, measured: bool) -> Value {
    let mut event = events
        .get(n % events.len().max(1))
        .cloned()
        .unwrap_or(Value::Null);
    let prefix = match (function, measured) {
        (Function::IamGuard, true) => "b1",
        (Function::LambdaGuard, true) => "b2",
        (Function::IamGuard, false) => "a1",
        (Function::LambdaGuard, false) => "a2",
    };
    let id = format!("{prefix}000000-0000-4000-8000-{n:012}");
    if let Some(slot) = event.pointer_mut("/id") {
        *slot = Value::String(id.clone());
    }
    if let Some(slot) = event.pointer_mut("/detail/eventID") {
        *slot = Value::String(id);
    }
    event
}

/// The policies moto is seeded with, in memory.
fn seeded_policies() -> Result<InMemoryPolicies> {
    let mut policies = InMemoryPolicies::new();
    for name in SEED_MANAGED_POLICIES {
        let arn = format!("arn:aws:iam::aws:policy/{name}");
        policies = policies.with_version(&arn, "v1", &managed_policy_document(name)?);
    }
    for (name, versions) in seed_customer_policies() {
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/{name}");
        for (index, document) in versions.iter().enumerate() {
            policies = policies.with_version(&arn, &format!("v{}", index + 1), document);
        }
    }
    Ok(policies)
}

/// The function process: a child of this process named after the package.
fn function_pid(function: Function) -> Result<u32> {
    let me = std::process::id();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(entry) = entry else { continue };
        let Some(pid) = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok())
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat.get(open + 1..close).unwrap_or_default();
        let ppid = stat
            .get(close + 1..)
            .and_then(|rest| rest.split_whitespace().nth(1))
            .and_then(|p| p.parse::<u32>().ok());
        if ppid == Some(me) && comm == function.package() {
            return Ok(pid);
        }
    }
    Err(format!("no {} child process found", function.package()).into())
}

/// Timings of the function's "event handled" lines for this run's events.
#[derive(Default)]
struct Logged {
    duration_ms: Vec<f64>,
    duration_us: Vec<f64>,
    aws_call_us: Vec<f64>,
    evaluation_us: Vec<f64>,
}

fn logged_durations(stack: &Stack, function: Function) -> Result<Logged> {
    let log = stack.dir.join(format!("{}.log", function.package()));
    let text = std::fs::read_to_string(&log).map_err(|e| format!("{}: {e}", log.display()))?;
    let mut out = Logged::default();
    for line in text.lines() {
        let Ok(value) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let ours = value
            .get("event_id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.starts_with("b1000000-") || id.starts_with("b2000000-"));
        if !ours {
            continue;
        }
        let field = |name: &str| value.get(name).and_then(Value::as_f64);
        if let Some(ms) = field("duration_ms") {
            out.duration_ms.push(ms);
        }
        if let (Some(total), Some(aws), Some(evaluation)) = (
            field("duration_us"),
            field("aws_call_us"),
            field("evaluation_us"),
        ) {
            out.duration_us.push(total);
            out.aws_call_us.push(aws);
            out.evaluation_us.push(evaluation);
        }
    }
    Ok(out)
}

/// The fixture names of `function`'s scenarios, in the order of [`events_of`].
fn fixtures_of(function: Function) -> Vec<&'static str> {
    SCENARIOS
        .iter()
        .filter(|s| s.function == function)
        .map(|s| s.fixture)
        .collect()
}

/// Median in-process evaluation per scenario (µs), from the measured sample (event `n` is
/// scenario `n % len`).
fn by_scenario(function: Function, sample: &[f64]) -> Value {
    let fixtures = fixtures_of(function);
    let mut per: Vec<Vec<f64>> = vec![Vec::new(); fixtures.len()];
    for (n, us) in sample.iter().enumerate() {
        if let Some(times) = per.get_mut(n % fixtures.len().max(1)) {
            times.push(*us);
        }
    }
    let map: serde_json::Map<String, Value> = fixtures
        .iter()
        .zip(&per)
        .map(|(name, times)| {
            let p50 = policy_guard_bench::Stats::of(times).map_or(f64::NAN, |s| s.p50);
            (name.to_string(), json!(p50))
        })
        .collect();
    Value::Object(map)
}

async fn in_process(function: Function, events: &[Value], count: usize) -> Result<Vec<f64>> {
    let guard = Guard::new(
        service(function),
        Config::default(),
        seeded_policies()?,
        RecordingNotifier::new(),
    );
    for n in 0..events.len() {
        let _ = guard.handle(&warmup_event(events, function, n)).await;
    }
    let mut out = Vec::with_capacity(count);
    for n in 0..count {
        let event = nth_event(events, function, n);
        let started = Instant::now();
        let outcome = guard.handle(&event).await;
        out.push(started.elapsed().as_secs_f64() * 1e6);
        std::hint::black_box(outcome.ok());
    }
    Ok(out)
}

async fn run() -> Result<()> {
    let mut count: usize = 1000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--events" => count = args.next().ok_or("--events N")?.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    eprintln!("event-load: starting moto and both guards (builds the functions if needed)...");
    let stack = Stack::start("bench", None).await?;
    eprintln!("event-load: ready, logs in {}", stack.dir.display());
    let mut report = serde_json::Map::new();
    for function in Function::ALL {
        let events = events_of(function)?;
        let pid = function_pid(function)?;
        let (hwm_start, rss_start) = memory_kib(pid)?;
        // One pass over the scenarios first: first connections, the managed-policy cache.
        for n in 0..events.len() {
            let _ = stack.invoke(function, &warmup_event(&events, function, n));
        }
        let mut round_trip = Vec::with_capacity(count);
        let mut failures = 0usize;
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        for n in 0..count {
            let event = nth_event(&events, function, n);
            let started = Instant::now();
            let response = stack.invoke(function, &event);
            round_trip.push(started.elapsed().as_secs_f64() * 1e3);
            match response {
                Ok(body) => {
                    let outcome = body.get("outcome").and_then(Value::as_str).unwrap_or("?");
                    let verdict = body.get("verdict").and_then(Value::as_str).unwrap_or("?");
                    *outcomes.entry(format!("{outcome}/{verdict}")).or_default() += 1;
                }
                Err(error) => {
                    if failures == 0 {
                        eprintln!("event-load: {}: {error}", function.package());
                    }
                    failures += 1;
                }
            }
        }
        let (hwm, rss) = memory_kib(pid)?;
        let handler = logged_durations(&stack, function)?;
        let evaluation = in_process(function, &events, count).await?;
        eprintln!(
            "event-load: {}: {count} events, {failures} failed",
            function.package()
        );
        report.insert(
            function.package().to_string(),
            json!({
                "events": count,
                "scenarios": events.len(),
                "failures": failures,
                "outcomes": outcomes,
                "round_trip_ms": stats_json(&round_trip),
                "handler_ms": stats_json(&handler.duration_ms),
                "logged_handler_us": stats_json(&handler.duration_us),
                "logged_aws_call_us": stats_json(&handler.aws_call_us),
                "logged_evaluation_us": stats_json(&handler.evaluation_us),
                "evaluation_us": stats_json(&evaluation),
                "evaluation_us_by_scenario": by_scenario(function, &evaluation),
                "vm_hwm_kib_at_ready": hwm_start,
                "vm_rss_kib_at_ready": rss_start,
                "vm_hwm_kib": hwm,
                "vm_rss_kib": rss,
            }),
        );
    }
    println!(
        "{}",
        json!({"log_dir": stack.dir.display().to_string(), "functions": report})
    );
    Ok(())
}
