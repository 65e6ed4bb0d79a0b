//! The guard end to end: every scenario's event through the real function binaries under
//! cargo-lambda's runtime emulator, with moto as AWS; assertions on what reaches the queue.

use policy_guard_e2e::scenarios::{severity_rank, Expect, SCENARIOS};
use policy_guard_e2e::{Function, Stack};
use std::time::{Duration, Instant};

#[tokio::test]
async fn every_scenario_end_to_end() {
    let started = Instant::now();
    let stack = Stack::start("guard", None)
        .await
        .expect("the emulated stack starts");
    eprintln!(
        "stack ready in {:?} (logs: {})",
        started.elapsed(),
        stack.dir.display()
    );
    let mut failures: Vec<String> = Vec::new();
    let mut pending = Vec::new();
    let mut expected_messages = 0;

    for scenario in SCENARIOS {
        let event = scenario.event().unwrap();
        let event_id = scenario.event_id().unwrap();
        let response = match stack.invoke(scenario.function, &event) {
            Ok(response) => response,
            Err(error) => {
                failures.push(format!("{}: invocation failed: {error}", scenario.fixture));
                continue;
            }
        };
        let published = response["message_id"].is_string();
        match scenario.expect {
            Expect::Nothing => {
                if published {
                    failures.push(format!(
                        "{}: expected nothing, the guard published: {response}",
                        scenario.fixture
                    ));
                }
            }
            Expect::Findings {
                summary,
                at_least,
                rule_ids,
                categories,
            } => {
                expected_messages += 1;
                let Some(n) = stack
                    .notification_for(&event_id, Duration::from_secs(10), &mut pending)
                    .await
                    .unwrap()
                else {
                    failures.push(format!(
                        "{}: no message arrived (invoke response: {response})",
                        scenario.fixture
                    ));
                    continue;
                };
                let severity = n.attribute("severity").unwrap_or_default().to_string();
                let mut problems = Vec::new();
                if severity_rank(&severity) < severity_rank(at_least) {
                    problems.push(format!("severity {severity:?} is below {at_least}"));
                }
                let subject = format!("[{}] {summary}", severity.to_ascii_uppercase());
                if n.subject != subject {
                    problems.push(format!("subject {:?}, expected {subject:?}", n.subject));
                }
                let found_rules = n.rule_ids();
                for rule in rule_ids {
                    if !found_rules.iter().any(|r| r == rule) {
                        problems.push(format!("rule {rule} missing (found {found_rules:?})"));
                    }
                }
                let found_categories = n.categories();
                for category in categories {
                    if !found_categories.iter().any(|c| c == category) {
                        problems.push(format!(
                            "category {category} missing (found {found_categories:?})"
                        ));
                    }
                }
                let attribute_rules = n.attribute("rule_ids").unwrap_or_default();
                for rule in &found_rules {
                    if !attribute_rules.contains(rule.as_str()) {
                        problems.push(format!(
                            "rule_ids attribute {attribute_rules:?} lacks {rule}"
                        ));
                    }
                }
                let event_name = event["detail"]["eventName"].as_str().unwrap_or_default();
                if n.attribute("event_name") != Some(event_name) {
                    problems.push(format!(
                        "event_name attribute {:?}",
                        n.attribute("event_name")
                    ));
                }
                if n.attribute("account") != Some("123456789012") {
                    problems.push(format!("account attribute {:?}", n.attribute("account")));
                }
                if n.body["version"] != "1" || n.body["highest_severity"] != severity.as_str() {
                    problems.push(format!("default body version/severity: {}", n.body));
                }
                if !problems.is_empty() {
                    failures.push(format!("{}: {}", scenario.fixture, problems.join("; ")));
                }
            }
        }
    }

    // Nothing else arrives: one message per bad change, none for the good ones.
    pending.extend(stack.receive(Duration::from_secs(2)).await.unwrap());
    for extra in &pending {
        failures.push(format!(
            "unexpected message: {} {}",
            extra.subject, extra.body
        ));
    }
    // The new default version is compared with the version it replaced.
    let published = stack.published().unwrap();
    if published.len() != expected_messages {
        failures.push(format!(
            "{} messages published, expected {expected_messages}",
            published.len()
        ));
    }
    match published
        .iter()
        .find(|p| p.subject.contains("article-service-policy: new v2"))
    {
        Some(p)
            if p.default["new_access"]["compared_with"] == "v1"
                && p.email.contains("New access compared with v1") => {}
        other => failures.push(format!(
            "CreatePolicyVersion not compared with v1: {other:?}"
        )),
    }
    // A redelivered event is not published twice.
    let admin = SCENARIOS
        .iter()
        .find(|s| s.fixture == "iam-attach-role-policy-administrator-access.json")
        .unwrap();
    let again = stack
        .invoke(Function::IamGuard, &admin.event().unwrap())
        .unwrap();
    if again["duplicate"] != true || stack.published().unwrap().len() != expected_messages {
        failures.push(format!("a redelivery was published again: {again}"));
    }

    eprintln!(
        "{} scenarios, {expected_messages} messages expected, in {:?}",
        SCENARIOS.len(),
        started.elapsed()
    );
    assert!(
        failures.is_empty(),
        "{} problems:\n  {}\n(logs: {})",
        failures.len(),
        failures.join("\n  "),
        stack.dir.display()
    );
}

#[tokio::test]
async fn invalid_configuration_fails_init_with_a_clear_message() {
    let dir = policy_guard_e2e::run_dir("init").unwrap();
    let binaries = policy_guard_e2e::build_functions(&dir).unwrap();
    for (function, binary) in binaries {
        let (ok, output) = policy_guard_e2e::run_init_only(
            &binary,
            &[
                (
                    "POLICY_GUARD_TOPIC_ARN",
                    "arn:aws:sns:us-east-1:123456789012:t",
                ),
                ("POLICY_GUARD_MIN_SEVERITY", "severe"),
            ],
            Duration::from_secs(30),
        )
        .unwrap();
        assert!(!ok, "{function:?} started with an invalid configuration");
        assert!(
            output.contains("POLICY_GUARD_MIN_SEVERITY is `severe`"),
            "{function:?}: {output}"
        );
        let (ok, output) =
            policy_guard_e2e::run_init_only(&binary, &[], Duration::from_secs(30)).unwrap();
        assert!(
            !ok && output.contains("POLICY_GUARD_TOPIC_ARN is not set"),
            "{function:?}: {output}"
        );
    }
}
