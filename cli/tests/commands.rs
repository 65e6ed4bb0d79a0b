//! `rules`, `explain`, `diff`, standard input, `--kind`, colour, hostile text, and output that
//! does not depend on `-j`.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, run_with_stdin, SEEDS};
use policy_guard::rules::RULES;

#[test]
fn rules_lists_every_rule() {
    let out = run(&["rules"]);
    assert_eq!(out.code, 0);
    for rule in RULES {
        let meta = rule.meta();
        let line = out
            .stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(meta.id))
            .unwrap_or_else(|| panic!("{} missing:\n{}", meta.id, out.stdout));
        assert!(
            line.contains(meta.severity.as_str()) && line.contains(meta.summary),
            "{line}"
        );
    }
    let json = run(&["rules", "--format", "json"]).json();
    assert_eq!(json.as_array().map(Vec::len), Some(RULES.len()));
}

#[test]
fn explain_prints_the_rules_own_documentation() {
    let out = run(&["explain", "admin-access"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("# admin-access\n"));
    assert!(out.stdout.contains("### What it does\n"), "{}", out.stdout);
    assert!(out.stdout.contains("### Use instead"));
    // The CLI's own verdict is explained too.
    let out = run(&["explain", "unresolved-reference"]);
    assert_eq!(out.code, 0);
    assert!(out.stdout.starts_with("# unresolved-reference\n"));
    assert!(out.stdout.contains("--on-unresolved"), "{}", out.stdout);
}

#[test]
fn diff_reports_new_access_and_new_findings() {
    let old = format!("{SEEDS}/good-dynamodb-scoped.json");
    let new = format!("{SEEDS}/bad-dynamodb-wildcard.json");
    let out = run(&["diff", &old, &new]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("grants access that"), "{}", out.stdout);
    assert!(out.stdout.contains("+ dynamodb: "), "{}", out.stdout);
    assert!(
        out.stdout.contains("error[service-wildcard]"),
        "{}",
        out.stdout
    );
    let json = run(&["diff", "--format", "json", &old, &new]).json();
    assert_eq!(json["version"], "1");
    assert!(json["new_access"].as_array().is_some_and(|a| !a.is_empty()));
    assert!(json["new_findings"]
        .as_array()
        .is_some_and(|f| f.iter().any(|f| f["rule_id"] == "service-wildcard")));
    // Narrowing access adds nothing.
    let back = run(&["diff", &new, &old]);
    assert_eq!(back.code, 0, "{}", back.stdout);
    assert!(
        back.stdout.contains("grants no access that"),
        "{}",
        back.stdout
    );
    assert_eq!(run(&["diff", &old, "tests/fixtures/missing.json"]).code, 2);
}

#[test]
fn stdin_and_forced_kinds() {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
    let out = run_with_stdin(&["check", "--format", "json", "-"], Some(trust));
    let json = out.json();
    assert_eq!(json["files"][0]["kind"], "trust");
    assert_eq!(json["files"][0]["file"], "-");
    assert_eq!(out.code, 1, "{}", out.stdout);
    // The same document forced to identity: trust rules do not apply.
    let forced = run_with_stdin(
        &["check", "--format", "json", "--kind", "identity", "-"],
        Some(trust),
    );
    assert_eq!(forced.json()["files"][0]["kind"], "identity");
}

#[test]
fn malformed_json_is_a_malformed_policy_finding_with_its_line() {
    let out = run_with_stdin(
        &["check", "--format", "json", "-"],
        Some("{\n  \"Statement\": [\n"),
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert_eq!(out.json()["findings"][0]["rule_id"], "malformed-policy");
}

#[test]
fn text_is_plain_off_a_terminal_and_hostile_text_is_escaped() {
    let hostile = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"x\\u001b[31mred\\nforged\",\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}";
    let out = run_with_stdin(&["check", "-"], Some(hostile));
    assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    assert!(out.stdout.contains("\\u{1b}"), "{}", out.stdout);
    let colored = run_with_stdin(&["check", "--color", "always", "-"], Some(hostile));
    assert!(
        colored.stdout.contains("\u{1b}[1;31merror"),
        "{:?}",
        colored.stdout
    );
}

#[test]
fn lambda_get_policy_output_is_a_resource_policy() {
    let out = run(&[
        "check",
        "--format",
        "json",
        "--min-severity",
        "low",
        &format!("{SEEDS}/lambda-get-policy.json"),
    ]);
    let json = out.json();
    assert_eq!(json["files"][0]["kind"], "lambda-policy");
    let ids = common::rule_ids(&json);
    assert!(
        ids.iter().any(|i| i == "resource-policy-foreign-account"),
        "{ids:?}"
    );
    // The account is the function's (from its ARN): the statement's own account is not foreign.
    assert_eq!(json["findings"][0]["line"], 2);
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    // Every kind of input the fixtures hold (policies, CloudTrail, Terraform, files skipped as
    // not a policy), checked by one thread, by more threads than files, and by the default.
    for format in ["text", "json", "sarif"] {
        let one = run(&[
            "check",
            "--no-progress",
            "--format",
            format,
            "-j",
            "1",
            "tests/fixtures",
        ]);
        assert_eq!(one.code, 1, "{format}: {}", one.stderr);
        assert!(one.stdout.len() > 1000, "{format}: {}", one.stdout);
        for jobs in [Some("3"), Some("64"), None] {
            let mut args = vec!["check", "--no-progress", "--format", format];
            if let Some(jobs) = jobs {
                args.extend(["-j", jobs]);
            }
            args.push("tests/fixtures");
            let many = run(&args);
            assert_eq!(many.code, one.code, "{format} -j {jobs:?}");
            assert_eq!(many.stdout, one.stdout, "{format} -j {jobs:?}");
            assert_eq!(many.stderr, one.stderr, "{format} -j {jobs:?}");
        }
    }
}
