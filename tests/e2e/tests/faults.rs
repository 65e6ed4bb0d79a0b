#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]
//! Fault injection end to end: the real function binaries under cargo-lambda's runtime
//! emulator, with a fault proxy between them and moto (`policy_guard_e2e::FaultProxy`).
//!
//! For each fault (throttled, HTTP 500, connection dropped without an answer, connection
//! refused, slower than the SDK's 5 s attempt timeout) on IAM, then on SNS:
//! - the invocation returns the function's error (so Lambda would retry it);
//! - the SDK's attempts at the failing call are bounded by `MAX_ATTEMPTS` (counted by the proxy,
//!   and from the function's own log of every SDK attempt, which also sees refused
//!   connections the proxy cannot);
//! - nothing is published (no `Publish` reaches moto, nothing arrives on the SQS queue, and at
//!   the end moto's own record holds exactly the messages published after the faults cleared);
//! - once the fault clears, the same event (same CloudTrail eventID) is published exactly once
//!   with its rule ids, and a clean event is acknowledged with a clean verdict;
//! - no event is acknowledged (`Ok`) without either a published notification or a clean or
//!   unjudged verdict in both the response and the function's log.

use policy_guard_e2e::scenarios::{Expect, Scenario, SCENARIOS};
use policy_guard_e2e::{
    AwsService, Fault, Function, Invocation, Notification, Options, Seen, Stack,
};
use serde_json::Value;
use std::time::{Duration, Instant};

/// `shared/guard-aws/src/sdk.rs`: `RetryConfig::standard().with_max_attempts(3)`.
const MAX_ATTEMPTS: usize = 3;
/// `sdk.rs`: `operation_attempt_timeout(5 s)`, `operation_timeout(20 s)`. The proxy holds a
/// request this long: past the attempt timeout, so every attempt times out (the proxy sees the
/// SDK give up and forwards nothing); a guard without an attempt timeout would get its answer
/// after 6 s and the test would fail.
const SLOW: Duration = Duration::from_secs(6);
/// Logs every SDK attempt (`beginning attempt #N`) in the function's log.
const ATTEMPT_LOG: &str = "aws_smithy_runtime::client::orchestrator=debug";

const FAULTS: [(&str, Fault); 5] = [
    ("throttled", Fault::Throttle),
    ("http-500", Fault::InternalError),
    ("dropped", Fault::Drop),
    ("refused", Fault::Refuse),
    ("slow", Fault::Slow(SLOW)),
];

/// Needs IAM (`GetPolicy` of the attached policy, then its document) and must be published.
const IAM_BAD: &str = "iam-attach-role-policy-administrator-access.json";
/// Needs IAM (a customer managed policy, never cached) and is clean.
const IAM_CLEAN: &str = "iam-attach-role-policy-customer-scoped.json";
/// lambda-guard's publish path: needs SNS only.
const LAMBDA_BAD: &str = "lambda-add-permission-public.json";

fn scenario(fixture: &str) -> &'static Scenario {
    SCENARIOS.iter().find(|s| s.fixture == fixture).unwrap()
}

fn rule_ids(scenario: &Scenario) -> &'static [&'static str] {
    match scenario.expect {
        Expect::Findings { rule_ids, .. } => rule_ids,
        Expect::Nothing => &[],
    }
}

/// The scenario's event with a fresh EventBridge id and CloudTrail eventID.
fn event_with_id(scenario: &Scenario, id: &str) -> Value {
    let mut event = scenario.event().unwrap();
    event["id"] = Value::String(id.to_string());
    event["detail"]["eventID"] = Value::String(id.to_string());
    event
}

async fn fault_stack(label: &str) -> Stack {
    let options = Options {
        fault_proxy: true,
        log_directives: Some(ATTEMPT_LOG),
        ..Options::default()
    };
    let started = Instant::now();
    let stack = Stack::start_with(label, options)
        .await
        .expect("the emulated stack with the fault proxy starts");
    eprintln!(
        "{label}: stack ready in {:.1?} (logs: {})",
        started.elapsed(),
        stack.dir.display()
    );
    stack
}

/// One invocation and what it caused.
struct Observed {
    invocation: Invocation,
    /// Requests the proxy read during the invocation.
    seen: Vec<Seen>,
    /// SDK attempts the function logged during the invocation (all services).
    attempts: usize,
    /// What reached the queue because of it.
    notifications: Vec<Notification>,
    /// `Publish` calls moto answered with 200 (every call from the functions goes through the
    /// proxy; moto's own record, `Stack::published`, takes seconds to read, so it is checked
    /// once at the end).
    published: usize,
}

impl Observed {
    fn requests(&self, service: AwsService) -> usize {
        self.seen.iter().filter(|s| s.service == service).count()
    }

    /// SDK attempts at `service`: the proxy's count, except for refused connections, which
    /// only the function's log shows (its attempts minus the other services' requests).
    fn attempts_at(&self, service: AwsService) -> usize {
        let others = self.seen.iter().filter(|s| s.service != service).count();
        self.attempts.saturating_sub(others)
    }
}

fn logged_attempts(stack: &Stack, function: Function) -> usize {
    stack
        .log_lines(function)
        .unwrap()
        .iter()
        .filter(|line| {
            line["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("beginning attempt #"))
        })
        .count()
}

async fn invoke(stack: &Stack, function: Function, event: &Value) -> Observed {
    let proxy = stack.proxy.as_ref().unwrap();
    let mark = proxy.mark();
    let attempts_before = logged_attempts(stack, function);
    let invocation = stack.invoke_response(function, event).unwrap();
    // The last request of a slow fault is marked abandoned once the proxy notices.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut seen = proxy.seen_since(mark);
    while seen.iter().any(|s| s.outcome == "pending") && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        seen = proxy.seen_since(mark);
    }
    let attempts = logged_attempts(stack, function) - attempts_before;
    let published = seen
        .iter()
        .filter(|s| {
            s.service == AwsService::Sns && s.action == "Publish" && s.outcome == "forwarded 200"
        })
        .count();
    let notifications = stack.drain().await.unwrap();
    Observed {
        invocation,
        seen,
        attempts,
        notifications,
        published,
    }
}

/// The function's "event handled" / "event failed" log lines about `event_id`.
fn log_about(stack: &Stack, function: Function, event_id: &str, message: &str) -> Vec<Value> {
    stack
        .log_lines(function)
        .unwrap()
        .into_iter()
        .filter(|l| {
            l["event_id"] == event_id
                && l["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with(message))
        })
        .collect()
}

/// Rule 4: an acknowledged event has either a published notification (its message id in the
/// response, its one message on the queue) or a clean or unjudged verdict in the response and
/// the function's log, with nothing published.
fn check_acknowledged(
    stack: &Stack,
    function: Function,
    event_id: &str,
    observed: &Observed,
    problems: &mut Vec<String>,
) {
    let body = &observed.invocation.body;
    if !observed.invocation.is_ok() {
        return;
    }
    let on_queue = observed
        .notifications
        .iter()
        .filter(|n| n.event_id() == Some(event_id))
        .count();
    let logged = log_about(stack, function, event_id, "event handled");
    let Some(line) = logged.last() else {
        problems.push(format!(
            "{event_id}: acknowledged without an `event handled` log line"
        ));
        return;
    };
    match body["message_id"].as_str() {
        Some(message_id) => {
            if on_queue != 1 || observed.published != 1 {
                problems.push(format!(
                    "{event_id}: acknowledged with message id {message_id}, but {on_queue} \
                     message(s) on the queue and {} Publish call(s) recorded",
                    observed.published
                ));
            }
            if line["message_id"] != message_id {
                problems.push(format!("{event_id}: log line {line} lacks {message_id}"));
            }
        }
        None => {
            let verdict = body["verdict"].as_str().unwrap_or_default();
            if !matches!(verdict, "clean" | "none") || body["duplicate"] == true {
                problems.push(format!(
                    "{event_id}: acknowledged without a message id or a clean verdict: {body}"
                ));
            }
            if line["verdict"] != verdict || line["message_id"] != "" {
                problems.push(format!("{event_id}: log line {line} disagrees with {body}"));
            }
            if on_queue != 0 || observed.published != 0 {
                problems.push(format!(
                    "{event_id}: no message id in the response, yet {on_queue} message(s) \
                     on the queue, {} Publish call(s)",
                    observed.published
                ));
            }
        }
    }
}

/// The invocation failed because `service` failed: the function's error, bounded attempts,
/// nothing published.
#[expect(
    clippy::too_many_arguments,
    reason = "one assertion over every field of a failed invocation, named at the call site"
)]
fn check_failed(
    stack: &Stack,
    function: Function,
    event_id: &str,
    service: AwsService,
    fault: Fault,
    observed: &Observed,
    figures: &mut Vec<String>,
    problems: &mut Vec<String>,
) {
    let what = format!(
        "{} {event_id} ({} {fault:?})",
        function.package(),
        service.signing_name()
    );
    let invocation = &observed.invocation;
    if invocation.is_ok() {
        problems.push(format!(
            "{what}: acknowledged although {} failed: {}",
            service.signing_name(),
            invocation.body
        ));
    } else if invocation.body["errorType"].is_null() || invocation.body["errorMessage"].is_null() {
        problems.push(format!(
            "{what}: not the function's error ({}): {}",
            invocation.status, invocation.body
        ));
    }
    let message = invocation.body["errorMessage"].as_str().unwrap_or_default();
    let expected_code = match fault {
        Fault::Throttle => Some("Throttling"),
        Fault::InternalError => Some("InternalFailure"),
        _ => None,
    };
    if let Some(code) = expected_code {
        if !message.contains(code) {
            problems.push(format!("{what}: the error does not name {code}: {message}"));
        }
    }
    let proxied = observed.requests(service);
    let attempts = observed.attempts_at(service);
    figures.push(format!(
        "{what}: {attempts} attempt(s) logged by the function, {proxied} request(s) seen by \
         the proxy ({:?}); error: {}",
        observed
            .seen
            .iter()
            .map(|s| format!("{} {} -> {}", s.service.signing_name(), s.action, s.outcome))
            .collect::<Vec<_>>(),
        message.chars().take(300).collect::<String>()
    ));
    if !(1..=MAX_ATTEMPTS).contains(&attempts) {
        problems.push(format!(
            "{what}: {attempts} attempts at {}, expected 1..={MAX_ATTEMPTS}",
            service.signing_name()
        ));
    }
    if fault == Fault::Refuse {
        if proxied != 0 {
            problems.push(format!("{what}: {proxied} requests got through a refusal"));
        }
    } else {
        if proxied > MAX_ATTEMPTS || proxied == 0 {
            problems.push(format!(
                "{what}: the proxy saw {proxied} {} requests, expected 1..={MAX_ATTEMPTS}",
                service.signing_name()
            ));
        }
        // The function's log and the proxy agree on every attempt.
        if observed.attempts != observed.seen.len() {
            problems.push(format!(
                "{what}: {} attempts logged, {} requests proxied",
                observed.attempts,
                observed.seen.len()
            ));
        }
    }
    if let Fault::Slow(_) = fault {
        for seen in observed.seen.iter().filter(|s| s.service == service) {
            if !seen.outcome.starts_with("abandoned by the client") {
                problems.push(format!("{what}: a slow request ended as {}", seen.outcome));
            }
        }
    }
    if !observed.notifications.is_empty() || observed.published != 0 {
        problems.push(format!(
            "{what}: {} message(s) on the queue, {} Publish call(s) recorded",
            observed.notifications.len(),
            observed.published
        ));
    }
    if log_about(stack, function, event_id, "event failed").is_empty() {
        problems.push(format!("{what}: no `event failed` log line"));
    }
    if !stack.function_running(function).unwrap() {
        problems.push(format!("{what}: the function process is gone"));
    }
}

/// After the fault cleared: the same event is published exactly once, with its rule ids.
fn check_published_once(
    stack: &Stack,
    function: Function,
    event_id: &str,
    scenario: &Scenario,
    observed: &Observed,
    problems: &mut Vec<String>,
) {
    let what = format!(
        "{} {event_id} (after the fault cleared)",
        function.package()
    );
    let body = &observed.invocation.body;
    if !observed.invocation.is_ok() {
        problems.push(format!("{what}: failed: {body}"));
        return;
    }
    if body["duplicate"] != false || !body["message_id"].is_string() {
        problems.push(format!(
            "{what}: the failed attempt counted as handled, nothing published: {body}"
        ));
    }
    let mine: Vec<&Notification> = observed
        .notifications
        .iter()
        .filter(|n| n.event_id() == Some(event_id))
        .collect();
    if mine.len() != 1 || observed.notifications.len() != 1 {
        problems.push(format!(
            "{what}: {} notification(s) for the event, {} on the queue in all",
            mine.len(),
            observed.notifications.len()
        ));
    }
    for notification in mine {
        let found = notification.rule_ids();
        for rule in rule_ids(scenario) {
            if !found.iter().any(|r| r == rule) {
                problems.push(format!("{what}: rule {rule} missing (found {found:?})"));
            }
        }
    }
    check_acknowledged(stack, function, event_id, observed, problems);
}

/// After the fault cleared: a clean event is acknowledged as clean and publishes nothing.
fn check_clean(
    stack: &Stack,
    function: Function,
    event_id: &str,
    observed: &Observed,
    problems: &mut Vec<String>,
) {
    let what = format!("{} {event_id} (clean)", function.package());
    let body = &observed.invocation.body;
    if !observed.invocation.is_ok() || body["verdict"] != "clean" || !body["message_id"].is_null() {
        problems.push(format!("{what}: expected a clean verdict: {body}"));
    }
    let logged = log_about(stack, function, event_id, "event handled");
    if !logged.iter().any(|l| l["verdict"] == "clean") {
        problems.push(format!("{what}: no clean verdict in the log: {logged:?}"));
    }
    check_acknowledged(stack, function, event_id, observed, problems);
}

/// moto's own record of `Publish` calls agrees: exactly the `expected` messages, and nothing
/// is left on the queue.
/// Every request the proxy saw reached the port of the service it was meant for.
fn check_routing(stack: &Stack, problems: &mut Vec<String>) {
    let Some(proxy) = stack.proxy.as_ref() else {
        problems.push("the stack has no fault proxy".to_string());
        return;
    };
    let misrouted = proxy
        .seen()
        .iter()
        .filter(|s| s.endpoint != s.service)
        .count();
    if misrouted != 0 {
        problems.push(format!(
            "{misrouted} requests reached another service's port"
        ));
    }
}

async fn check_moto_record(stack: &Stack, expected: usize, problems: &mut Vec<String>) {
    let published = stack.published().unwrap();
    if published.len() != expected {
        problems.push(format!(
            "moto recorded {} Publish calls, expected {expected} (one per event once its fault \
             cleared)",
            published.len()
        ));
    }
    let left = stack.receive(Duration::from_secs(1)).await.unwrap();
    if !left.is_empty() {
        problems.push(format!("{} unexpected messages on the queue", left.len()));
    }
}

fn report(label: &str, stack: &Stack, started: Instant, figures: &[String], problems: &[String]) {
    let proxy = stack.proxy.as_ref().unwrap();
    eprintln!("{label}: figures\n  {}", figures.join("\n  "));
    eprintln!(
        "{label}: {} requests proxied in all, {} unreadable, in {:.1?}",
        proxy.seen().len(),
        proxy.unreadable(),
        started.elapsed()
    );
    assert!(
        problems.is_empty(),
        "{} problems:\n  {}\n(logs: {})",
        problems.len(),
        problems.join("\n  "),
        stack.dir.display()
    );
}

#[tokio::test]
async fn iam_faults_fail_the_invocation_until_they_clear() {
    let started = Instant::now();
    let stack = fault_stack("faults-iam").await;
    let proxy = stack.proxy.as_ref().unwrap();
    let (bad, clean, lambda) = (scenario(IAM_BAD), scenario(IAM_CLEAN), scenario(LAMBDA_BAD));
    let mut figures = Vec::new();
    let mut problems = Vec::new();

    for (name, fault) in FAULTS {
        let bad_id = format!("fault-iam-{name}-bad");
        let clean_id = format!("fault-iam-{name}-clean");
        let bad_event = event_with_id(bad, &bad_id);
        let clean_event = event_with_id(clean, &clean_id);
        proxy.set(AwsService::Iam, fault).unwrap();

        // Lambda retries a failed asynchronous invocation twice; each retry fails alike. (One
        // invocation for the slow fault, which takes ~15 s.)
        let tries = if matches!(fault, Fault::Slow(_)) {
            1
        } else {
            2
        };
        for _ in 0..tries {
            for (id, event) in [(&bad_id, &bad_event), (&clean_id, &clean_event)] {
                let observed = invoke(&stack, Function::IamGuard, event).await;
                check_failed(
                    &stack,
                    Function::IamGuard,
                    id,
                    AwsService::Iam,
                    fault,
                    &observed,
                    &mut figures,
                    &mut problems,
                );
                if observed.requests(AwsService::Sns) != 0 {
                    problems.push(format!("{id}: SNS called although IAM failed"));
                }
            }
        }
        // lambda-guard reads nothing from IAM: unaffected.
        let lambda_id = format!("fault-iam-{name}-lambda");
        let observed = invoke(
            &stack,
            Function::LambdaGuard,
            &event_with_id(lambda, &lambda_id),
        )
        .await;
        if observed.requests(AwsService::Iam) != 0 {
            problems.push(format!("{lambda_id}: lambda-guard called IAM"));
        }
        check_published_once(
            &stack,
            Function::LambdaGuard,
            &lambda_id,
            lambda,
            &observed,
            &mut problems,
        );

        proxy.clear().unwrap();
        let observed = invoke(&stack, Function::IamGuard, &bad_event).await;
        check_published_once(
            &stack,
            Function::IamGuard,
            &bad_id,
            bad,
            &observed,
            &mut problems,
        );
        let observed = invoke(&stack, Function::IamGuard, &clean_event).await;
        check_clean(
            &stack,
            Function::IamGuard,
            &clean_id,
            &observed,
            &mut problems,
        );
        if observed.requests(AwsService::Iam) == 0 || observed.requests(AwsService::Sns) != 0 {
            problems.push(format!(
                "{clean_id}: expected IAM reads and no Publish after the fault: {:?}",
                observed.seen
            ));
        }
    }
    check_routing(&stack, &mut problems);
    // Per fault: lambda-guard's event, and iam-guard's once the fault cleared.
    check_moto_record(&stack, FAULTS.len() * 2, &mut problems).await;
    report("faults-iam", &stack, started, &figures, &problems);
}

#[tokio::test]
async fn sns_faults_fail_the_invocation_until_they_clear() {
    let started = Instant::now();
    let stack = fault_stack("faults-sns").await;
    let proxy = stack.proxy.as_ref().unwrap();
    let (bad, clean, lambda) = (scenario(IAM_BAD), scenario(IAM_CLEAN), scenario(LAMBDA_BAD));
    let mut figures = Vec::new();
    let mut problems = Vec::new();

    for (name, fault) in FAULTS {
        let cases = [
            (Function::IamGuard, bad, format!("fault-sns-{name}-iam")),
            (
                Function::LambdaGuard,
                lambda,
                format!("fault-sns-{name}-lambda"),
            ),
        ];
        proxy.set(AwsService::Sns, fault).unwrap();
        let tries = if matches!(fault, Fault::Slow(_)) {
            1
        } else {
            2
        };
        for _ in 0..tries {
            for (function, scenario, id) in &cases {
                let observed = invoke(&stack, *function, &event_with_id(scenario, id)).await;
                check_failed(
                    &stack,
                    *function,
                    id,
                    AwsService::Sns,
                    fault,
                    &observed,
                    &mut figures,
                    &mut problems,
                );
                // iam-guard read the policy through IAM first; lambda-guard reads nothing.
                let iam = observed.requests(AwsService::Iam);
                let iam_ok = observed
                    .seen
                    .iter()
                    .filter(|s| s.service == AwsService::Iam)
                    .all(|s| s.outcome == "forwarded 200");
                match function {
                    Function::IamGuard if iam == 0 || !iam_ok => problems.push(format!(
                        "{id}: expected successful IAM reads before Publish: {:?}",
                        observed.seen
                    )),
                    Function::LambdaGuard if iam != 0 => {
                        problems.push(format!("{id}: lambda-guard called IAM"));
                    }
                    _ => {}
                }
            }
        }
        // A clean event needs no SNS: acknowledged as clean even while SNS fails.
        let clean_id = format!("fault-sns-{name}-clean");
        let observed = invoke(&stack, Function::IamGuard, &event_with_id(clean, &clean_id)).await;
        check_clean(
            &stack,
            Function::IamGuard,
            &clean_id,
            &observed,
            &mut problems,
        );
        if observed.attempts_at(AwsService::Sns) != 0 {
            problems.push(format!("{clean_id}: a clean event called SNS"));
        }

        proxy.clear().unwrap();
        for (function, scenario, id) in &cases {
            let observed = invoke(&stack, *function, &event_with_id(scenario, id)).await;
            check_published_once(&stack, *function, id, scenario, &observed, &mut problems);
            if observed.requests(AwsService::Sns) != 1 {
                problems.push(format!(
                    "{id}: {} Publish requests after the fault cleared",
                    observed.requests(AwsService::Sns)
                ));
            }
        }
    }
    check_routing(&stack, &mut problems);
    // Per fault: each function's event once the fault cleared.
    check_moto_record(&stack, FAULTS.len() * 2, &mut problems).await;
    report("faults-sns", &stack, started, &figures, &problems);
}
