//! The documents the project started from (`../shared/seeds/`), one fixture per example in
//! `tests/seeds/`: every BAD / anti-pattern example is flagged with the right category, every
//! GOOD / recommended one produces nothing at medium or above.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind, Finding, Severity};
use serde_json::Value;
use std::path::{Path, PathBuf};

const ACCOUNT: &str = "111122223333";

fn managed_policy(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/aws-managed-policies")
        .join(format!("{name}.json"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn judge(case: &Value) -> Vec<Finding> {
    let kind: DocumentKind = serde_json::from_value(case["kind"].clone()).expect("kind");
    let text = match case.get("managed_policy").and_then(Value::as_str) {
        Some(name) => managed_policy(name),
        None => case["document"].to_string(),
    };
    let config = Config::default();
    check_document(
        &text,
        kind,
        &CheckOptions {
            account: Some(ACCOUNT),
            config: &config,
        },
    )
}

fn cases() -> Vec<(PathBuf, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/seeds");
    let mut cases: Vec<(PathBuf, Value)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let case = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, case)
        })
        .collect();
    cases.sort_by(|a, b| a.0.cmp(&b.0));
    cases
}

#[test]
fn seed_examples_are_judged_as_the_seeds_say() {
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "expected every seed example, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for (path, case) in &cases {
        let name = path.file_name().unwrap().to_string_lossy();
        let findings = judge(case);
        match &case["expect"] {
            Value::String(clean) if clean == "clean" => {
                let loud: Vec<_> = findings
                    .iter()
                    .filter(|f| f.severity >= Severity::Medium)
                    .collect();
                if !loud.is_empty() {
                    failures.push(format!(
                        "{name}: GOOD example has findings at medium+: {:#?}",
                        loud.iter()
                            .map(|f| (&f.rule_id, f.severity, &f.title))
                            .collect::<Vec<_>>()
                    ));
                }
            }
            Value::Object(expect) => {
                for category in expect["categories"].as_array().unwrap() {
                    let category = category.as_str().unwrap();
                    if !findings.iter().any(|f| f.category.as_str() == category) {
                        failures.push(format!(
                            "{name}: BAD example not flagged as {category}: got {:?}",
                            findings.iter().map(|f| &f.rule_id).collect::<Vec<_>>()
                        ));
                    }
                }
            }
            other => failures.push(format!("{name}: bad expectation {other}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bad_examples_are_loud_enough_to_notify() {
    // The guard notifies at medium and above by default: each BAD example must reach that,
    // except the seed's "AVOID AWSLambdaBasicExecutionRole", which another seed recommends
    // and is therefore reported at low only.
    for (path, case) in cases() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("bad-") || name.contains("lambda-basic-execution") {
            continue;
        }
        let highest = judge(&case).iter().map(|f| f.severity).max();
        assert!(
            highest >= Some(Severity::Medium),
            "{name}: highest severity {highest:?}"
        );
    }
}
