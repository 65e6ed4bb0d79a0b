//! `policy-guard simulate`: verdicts in text and JSON, exit 0 when every scenario is decided and
//! 2 when one cannot be read (with the JSON path of the problem), input text sanitized.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, run_with_stdin};

const DIR: &str = "tests/fixtures/simulate";

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

#[test]
fn decided_scenarios_exit_0_with_one_verdict_each() {
    let out = run(&[
        "simulate",
        &fixture("cross-account-allowed.json"),
        &fixture("scp-denied.json"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    assert!(out
        .stdout
        .contains("cross-account-allowed.json: Allowed (allowed by identity, resource, scp)"));
    assert!(out
        .stdout
        .contains("scp-denied.json: ExplicitlyDenied (blocked by scp)"));
    assert!(out
        .stdout
        .contains("Deny scp level 0 policy 1 statement 0 (Sid `OnlyUsEast1`)"));
}

#[test]
fn json_has_the_documented_fields() {
    let out = run(&[
        "simulate",
        "--format",
        "json",
        &fixture("cross-account-allowed.json"),
        &fixture("inconclusive.json"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let doc = out.json();
    assert_eq!(doc["version"], "1");
    let results = doc["results"].as_array().expect("results");
    assert_eq!(results.len(), 2);
    for r in results {
        for key in [
            "file",
            "decision",
            "allowed_by",
            "blocked_by",
            "deciding",
            "missing_context_keys",
        ] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    assert_eq!(results[0]["decision"], "Allowed");
    assert_eq!(results[1]["decision"], "ExplicitlyDenied");
    assert_eq!(
        results[1]["missing_context_keys"],
        serde_json::json!(["aws:SourceVpce"])
    );
}

#[test]
fn unreadable_scenarios_exit_2_naming_the_path_and_the_others_are_decided() {
    let out = run(&[
        "simulate",
        &fixture("unknown-key.json"),
        &fixture("scp-denied.json"),
        &fixture("bad-action.json"),
        &fixture("bad-policy.json"),
        &fixture("no-such-file.json"),
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("unknown key `resource_polcy` at `resource_polcy`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("`GetObject` is not `service:Action` at `request.action`"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("at `scps[1][0]`"), "{}", out.stderr);
    assert!(out.stderr.contains("no-such-file.json"), "{}", out.stderr);
    assert!(
        out.stdout.contains("scp-denied.json: ExplicitlyDenied"),
        "{}",
        out.stdout
    );
}

#[test]
fn standard_input_is_a_scenario() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture("scp-denied.json")),
    )
    .expect("fixture");
    let out = run_with_stdin(&["simulate", "-"], Some(&text));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("-: ExplicitlyDenied"),
        "{}",
        out.stdout
    );
    let out = run_with_stdin(&["simulate", "-"], Some("[[[[[[[["));
    assert_eq!(out.code, 2);
}

#[test]
fn deeply_nested_and_huge_inputs_are_errors_not_crashes() {
    let deep = format!(
        "{{\"request\":{{\"principal\":\"anonymous\",\"action\":\"s3:GetObject\",\"context\":{}{}}}}}",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let out = run_with_stdin(&["simulate", "-"], Some(&deep));
    assert_eq!(out.code, 2, "{}", out.stdout);
    let huge = format!("{{\"why\":\"{}\"}}", "x".repeat(5 * 1024 * 1024));
    let out = run_with_stdin(&["simulate", "-"], Some(&huge));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("bytes, more than"), "{}", out.stderr);
}

#[test]
fn input_text_is_sanitized() {
    let out = run(&["simulate", &fixture("control-characters.json")]);
    assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    assert!(!out.stderr.contains('\u{1b}'), "{:?}", out.stderr);
    assert!(!out.stdout.contains('\u{202e}'), "{:?}", out.stdout);
    let out = run(&[
        "simulate",
        "--format",
        "json",
        &fixture("control-characters.json"),
    ]);
    assert!(!out.stdout.contains("\\u001b"), "{}", out.stdout);
}

#[test]
fn snapshots() {
    let files = [
        fixture("cross-account-allowed.json"),
        fixture("scp-denied.json"),
        fixture("inconclusive.json"),
    ];
    let args = |format: &'static str| {
        let mut args = vec!["simulate", "--format", format];
        args.extend(files.iter().map(String::as_str));
        run(&args)
    };
    insta::assert_snapshot!("simulate_text", args("text").stdout);
    insta::assert_snapshot!("simulate_json", args("json").stdout);
}
