#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]
//! Load: `POLICY_GUARD_LOAD_EVENTS` events (default 600; `make load` replays 10,000 on release
//! builds) through ONE warm instance of each guard under cargo-lambda's runtime emulator, with
//! moto as AWS. The events alternate between the two functions, each cycling through its own
//! scenarios (good and bad), every event with a fresh event id.
//!
//! Asserted: every invocation answered `Ok`; every event acknowledged either with a message id
//! (bad scenarios) or a clean/unjudged verdict (good ones), in the response and in the
//! function's log line; zero lost: exactly one message per bad event on the SQS queue (drained
//! while the events run, receive + `DeleteMessageBatch`, matched by event id), no duplicates,
//! nothing else; the
//! function process's RSS (`VmRSS`) after the events within `RSS_SLACK_KIB` of its value after a
//! warm-up pass, and its open file descriptors within `FD_SLACK`.

use policy_guard_e2e::scenarios::{Expect, Scenario, SCENARIOS};
use policy_guard_e2e::{drain_queue, sdk_config, Function, Notification, Stack};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const DEFAULT_EVENTS: usize = 600;
/// Allowed RSS growth from after the warm-up to the end. With 10,000 events each function
/// handles 5,000: a leak of 1 KiB per event would add ~4,900 KiB and fail this bound (it fails
/// at ~820 B per event and up). At the default 600 events (300 per function) only leaks of
/// ~14 KiB per event and more are caught.
///
/// Known growth inside the bound: ~160-180 B per invocation in both functions, from
/// lambda_runtime 1.5's `run`, which calls `std::env::set_var("_X_AMZN_TRACE_ID", ..)` on every
/// invocation; glibc never frees a replaced environment string, and every invocation brings a
/// new trace id (heaptrack: 92 B in `__add_to_environ` + 24 B in `tsearch` per invocation).
/// That is ~0.8 MiB per 5,000 events.
const RSS_SLACK_KIB: u64 = 4 * 1024;
/// Allowed growth in open file descriptors (an extra pooled connection or two).
const FD_SLACK: usize = 4;
/// Warm-up: this many passes over each function's scenarios before the first sample.
const WARM_UP_PASSES: usize = 4;

fn event_count() -> usize {
    match std::env::var("POLICY_GUARD_LOAD_EVENTS") {
        Ok(value) => value
            .trim()
            .parse()
            .expect("POLICY_GUARD_LOAD_EVENTS is a number of events"),
        Err(_) => DEFAULT_EVENTS,
    }
}

/// `VmRSS` and `VmHWM` of `pid`, in KiB.
fn memory_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|kib| kib.parse().ok())
            .unwrap_or_else(|| panic!("no {name} in /proc/{pid}/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .unwrap()
        .count()
}

struct Planned {
    function: Function,
    scenario: &'static Scenario,
    event: Value,
    id: String,
}

fn scenarios_of(function: Function) -> Vec<&'static Scenario> {
    SCENARIOS
        .iter()
        .filter(|s| s.function == function)
        .collect()
}

/// `count` events for `function`, cycling its scenarios; ids `<prefix>-<function>-<n>`.
fn plan(function: Function, count: usize, prefix: &str) -> Vec<Planned> {
    let scenarios = scenarios_of(function);
    // Parse each fixture once; the events differ only by id.
    let templates: Vec<Value> = scenarios.iter().map(|s| s.event().unwrap()).collect();
    (0..count)
        .map(|n| {
            let index = n % scenarios.len();
            let id = format!("{prefix}-{}-{n:06}", function.package());
            let mut event = templates[index].clone();
            event["id"] = Value::String(id.clone());
            event["detail"]["eventID"] = Value::String(id.clone());
            Planned {
                function,
                scenario: scenarios[index],
                event,
                id,
            }
        })
        .collect()
}

/// What one function's run produced.
#[derive(Default)]
struct Run {
    answered: usize,
    failures: Vec<String>,
    /// Event id -> message id, for events the guard published.
    message_ids: HashMap<String, String>,
    /// Event id -> the response's verdict, for events acknowledged without a message.
    unpublished: HashMap<String, String>,
    /// `(events done, VmRSS KiB)` samples.
    rss_samples: Vec<(usize, u64)>,
    elapsed: Duration,
}

fn run(stack: &Stack, events: &[Planned], pid: u32) -> Run {
    let started = Instant::now();
    let mut run = Run::default();
    let every = (events.len() / 10).max(1);
    for (n, planned) in events.iter().enumerate() {
        match stack.invoke_response(planned.function, &planned.event) {
            Ok(invocation) if invocation.is_ok() => {
                run.answered += 1;
                let body = &invocation.body;
                let bad = matches!(planned.scenario.expect, Expect::Findings { .. });
                match body["message_id"].as_str() {
                    Some(message_id) if bad && body["duplicate"] == false => {
                        run.message_ids
                            .insert(planned.id.clone(), message_id.to_string());
                    }
                    None if !bad && matches!(body["verdict"].as_str(), Some("clean" | "none")) => {
                        let verdict = body["verdict"].as_str().unwrap_or_default();
                        run.unpublished.insert(planned.id.clone(), verdict.into());
                    }
                    _ => run.failures.push(format!(
                        "{} ({}): unexpected acknowledgement {body}",
                        planned.id, planned.scenario.fixture
                    )),
                }
            }
            Ok(invocation) => run.failures.push(format!(
                "{} ({}): the function failed ({}): {}",
                planned.id, planned.scenario.fixture, invocation.status, invocation.body
            )),
            Err(error) => run.failures.push(format!(
                "{} ({}): no answer: {error}",
                planned.id, planned.scenario.fixture
            )),
        }
        if (n + 1) % every == 0 {
            run.rss_samples.push((n + 1, memory_kib(pid).0));
        }
    }
    run.elapsed = started.elapsed();
    run
}

/// What the drainer read.
struct Drained {
    notifications: Vec<Notification>,
    passes: usize,
    largest_pass: usize,
}

/// Drains the queue every 250 ms until the replay is over, then once more. moto slows down
/// with the queue's length (a receive took seconds with ~5,800 messages waiting), so the queue
/// is kept short. Runs on its own runtime with its own SDK client: the stack's pooled
/// connections belong to the test's runtime, blocked while the replay threads run.
fn drain_while(stack: &Stack, replaying: &AtomicBool) -> Drained {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let sdk = sdk_config(&stack.moto_url).await;
        let mut drained = Drained {
            notifications: Vec::new(),
            passes: 0,
            largest_pass: 0,
        };
        loop {
            let last = !replaying.load(Ordering::SeqCst);
            let batch = drain_queue(&sdk, &stack.queue_url).await.unwrap();
            drained.passes += 1;
            drained.largest_pass = drained.largest_pass.max(batch.len());
            drained.notifications.extend(batch);
            if last {
                return drained;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    })
}

/// The function's `event handled` lines by event id (for ids starting with `prefix`).
fn handled_lines(stack: &Stack, function: Function, prefix: &str) -> HashMap<String, Vec<Value>> {
    let mut out: HashMap<String, Vec<Value>> = HashMap::new();
    for line in stack.log_lines(function).unwrap() {
        if line["message"] != "event handled" {
            continue;
        }
        if let Some(id) = line["event_id"]
            .as_str()
            .filter(|id| id.starts_with(prefix))
        {
            out.entry(id.to_string()).or_default().push(line);
        }
    }
    out
}

#[tokio::test]
async fn replay_events_without_loss_or_growth() {
    let total = event_count();
    let started = Instant::now();
    let stack = Stack::start("load", None)
        .await
        .expect("the emulated stack starts");
    eprintln!(
        "load: stack ready in {:.1?} (logs: {})",
        started.elapsed(),
        stack.dir.display()
    );
    let mut problems: Vec<String> = Vec::new();

    // Warm-up: every scenario of each function a few times, so pools, caches and the
    // allocator reach their steady state before the first sample.
    let mut warm_events = 0;
    for function in Function::ALL {
        let count = scenarios_of(function).len() * WARM_UP_PASSES;
        warm_events += count;
        for planned in plan(function, count, "warm") {
            stack.invoke(function, &planned.event).unwrap();
        }
    }
    let warm = stack.drain().await.unwrap();
    let warm_expected: usize = Function::ALL
        .iter()
        .map(|f| {
            scenarios_of(*f)
                .iter()
                .filter(|s| matches!(s.expect, Expect::Findings { .. }))
                .count()
                * WARM_UP_PASSES
        })
        .sum();
    if warm.len() != warm_expected {
        problems.push(format!(
            "warm-up: {} messages, expected {warm_expected}",
            warm.len()
        ));
    }

    // The same ids twice would be deduplicated by the guard: the load ids are all fresh.
    let per_function: Vec<(Function, Vec<Planned>)> = Function::ALL
        .iter()
        .enumerate()
        .map(|(index, function)| {
            // Alternating functions: the first gets the odd one out.
            let count = total / 2 + usize::from(index == 0 && total % 2 == 1);
            (*function, plan(*function, count, "load"))
        })
        .collect();
    let pids: HashMap<Function, u32> = Function::ALL
        .iter()
        .map(|f| (*f, stack.function_pid(*f).unwrap()))
        .collect();
    let before: HashMap<Function, (u64, u64, usize)> = pids
        .iter()
        .map(|(f, pid)| {
            let (rss, hwm) = memory_kib(*pid);
            (*f, (rss, hwm, open_fds(*pid)))
        })
        .collect();

    // One thread per function: each function's events in order, one at a time (one warm
    // instance each, as the emulator's default concurrency of 1 gives). A third thread drains
    // the queue as the events go.
    let load_started = Instant::now();
    let replaying = AtomicBool::new(true);
    let (runs, drained): (Vec<(Function, Run)>, Drained) = std::thread::scope(|scope| {
        let handles: Vec<_> = per_function
            .iter()
            .map(|(function, events)| {
                let stack = &stack;
                let pid = pids[function];
                scope.spawn(move || (*function, run(stack, events, pid)))
            })
            .collect();
        let drainer = scope.spawn(|| drain_while(&stack, &replaying));
        let runs = handles.into_iter().map(|h| h.join().unwrap()).collect();
        replaying.store(false, Ordering::SeqCst);
        (runs, drainer.join().unwrap())
    });
    let load_elapsed = load_started.elapsed();

    let after: HashMap<Function, (u64, u64, usize)> = pids
        .iter()
        .map(|(f, pid)| {
            let (rss, hwm) = memory_kib(*pid);
            (*f, (rss, hwm, open_fds(*pid)))
        })
        .collect();

    // What reached the queue, by event id. The drainer's last pass began after the last
    // invocation returned (moto delivers to the queue inside `Publish`): nothing should be left.
    let (visible, in_flight) = stack.queue_depth().await.unwrap();
    let mut notifications = drained.notifications;
    notifications.extend(stack.receive(Duration::from_secs(2)).await.unwrap());
    let mut received: HashMap<String, usize> = HashMap::new();
    for notification in &notifications {
        let id = notification.event_id().unwrap_or("(none)").to_string();
        *received.entry(id).or_default() += 1;
    }
    let (left, _) = stack.queue_depth().await.unwrap();

    let mut figures: BTreeMap<&str, String> = BTreeMap::new();
    let mut expected_total = 0;
    let mut received_total = 0;
    for (function, events) in &per_function {
        let name = function.package();
        let run = &runs.iter().find(|(f, _)| f == function).unwrap().1;
        let expected: Vec<&Planned> = events
            .iter()
            .filter(|p| matches!(p.scenario.expect, Expect::Findings { .. }))
            .collect();
        let arrived = expected
            .iter()
            .filter(|p| received.get(&p.id) == Some(&1))
            .count();
        let duplicated = expected
            .iter()
            .filter(|p| received.get(&p.id).is_some_and(|n| *n > 1))
            .count();
        let lost = expected.len() - arrived - duplicated;
        expected_total += expected.len();
        received_total += expected
            .iter()
            .map(|p| received.get(&p.id).copied().unwrap_or(0))
            .sum::<usize>();
        for failure in run.failures.iter().take(20) {
            problems.push(format!("{name}: {failure}"));
        }
        if run.answered != events.len() {
            problems.push(format!(
                "{name}: {} of {} invocations answered Ok ({} failures)",
                run.answered,
                events.len(),
                run.failures.len()
            ));
        }
        if lost != 0 || duplicated != 0 {
            problems.push(format!(
                "{name}: {lost} notifications lost, {duplicated} duplicated of {}",
                expected.len()
            ));
        }
        if run.message_ids.len() != expected.len() {
            problems.push(format!(
                "{name}: {} message ids in the responses, expected {}",
                run.message_ids.len(),
                expected.len()
            ));
        }
        // Every acknowledgement agrees with the function's one log line for the event.
        let lines = handled_lines(&stack, *function, "load-");
        let mut disagreements = 0;
        for planned in events {
            let logged = lines.get(&planned.id).map(Vec::as_slice).unwrap_or(&[]);
            let agrees = match logged {
                [line] => match run.message_ids.get(&planned.id) {
                    Some(message_id) => line["message_id"] == message_id.as_str(),
                    None => {
                        run.unpublished.get(&planned.id).map(String::as_str)
                            == line["verdict"].as_str()
                            && line["message_id"] == ""
                    }
                },
                _ => false,
            };
            if !agrees {
                disagreements += 1;
                if disagreements <= 5 {
                    problems.push(format!(
                        "{name}: {}: log lines {logged:?} disagree with the response",
                        planned.id
                    ));
                }
            }
        }
        if disagreements > 5 {
            problems.push(format!("{name}: {disagreements} log disagreements in all"));
        }

        let (rss_start, _, fds_start) = before[function];
        let (rss_end, hwm_end, fds_end) = after[function];
        if rss_end > rss_start + RSS_SLACK_KIB {
            problems.push(format!(
                "{name}: RSS grew from {rss_start} KiB to {rss_end} KiB over {} events \
                 (bound +{RSS_SLACK_KIB} KiB; samples {:?})",
                events.len(),
                run.rss_samples
            ));
        }
        if fds_end > fds_start + FD_SLACK {
            problems.push(format!(
                "{name}: open fds grew from {fds_start} to {fds_end}"
            ));
        }
        if !stack.function_running(*function).unwrap() {
            problems.push(format!("{name}: the function process is gone"));
        }
        let rate = events.len() as f64 / run.elapsed.as_secs_f64().max(f64::EPSILON);
        let slope = (rss_end as f64 - rss_start as f64) * 1024.0 / events.len().max(1) as f64;
        figures.insert(
            name,
            format!(
                "{name}: {} events in {:.1?} ({rate:.0}/s), {} answered, notifications \
                 expected {} received {} lost {lost} duplicated {duplicated}; RSS start \
                 {rss_start} KiB end {rss_end} KiB ({slope:.0} B/event; peak {hwm_end} KiB; \
                 samples {:?}); fds start {fds_start} end {fds_end}",
                events.len(),
                run.elapsed,
                run.answered,
                expected.len(),
                arrived + duplicated,
                run.rss_samples
            ),
        );
    }
    let unexpected: usize = received
        .iter()
        .filter(|(id, _)| !id.starts_with("load-"))
        .map(|(_, n)| n)
        .sum();
    let unexpected = unexpected
        + received
            .iter()
            .filter(|(id, _)| {
                id.starts_with("load-")
                    && !per_function.iter().any(|(_, events)| {
                        events.iter().any(|p| {
                            &p.id == *id && matches!(p.scenario.expect, Expect::Findings { .. })
                        })
                    })
            })
            .map(|(_, n)| n)
            .sum::<usize>();
    if unexpected != 0 {
        problems.push(format!(
            "{unexpected} messages for events that expected none"
        ));
    }
    if left != 0 {
        problems.push(format!("{left} messages still on the queue after draining"));
    }

    eprintln!(
        "load: {total} events ({} warm-up events before), notifications expected \
         {expected_total} received {received_total} lost {} ({} messages drained in {} passes, \
         at most {} waiting at a pass; left after the replay: {visible} visible, {in_flight} in \
         flight); replay {load_elapsed:.1?}, whole test {:.1?}",
        warm_events,
        expected_total.saturating_sub(received_total),
        notifications.len(),
        drained.passes,
        drained.largest_pass,
        started.elapsed()
    );
    for line in figures.values() {
        eprintln!("load: {line}");
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n  {}\n(logs: {})",
        problems.len(),
        problems.join("\n  "),
        stack.dir.display()
    );
}
