//! Exit codes: 0 clean, 1 findings, 2 usage or input errors (which win over findings, and
//! never stop the other inputs from being checked).
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, SEEDS};
use std::path::PathBuf;

fn seed(name: &str) -> String {
    format!("{SEEDS}/{name}")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("policy-guard-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn clean_is_0_findings_is_1() {
    assert_eq!(run(&["check", &seed("good-dynamodb-scoped.json")]).code, 0);
    assert_eq!(run(&["check", &seed("bad-admin.json")]).code, 1);
}

#[test]
fn threshold_decides() {
    // bad-dynamodb-wildcard has high and medium findings, nothing critical.
    let bad = seed("bad-dynamodb-wildcard.json");
    assert_eq!(run(&["check", "--min-severity", "critical", &bad]).code, 0);
    assert_eq!(run(&["check", "--min-severity", "high", &bad]).code, 1);
}

#[test]
fn a_missing_file_is_2_and_the_other_inputs_are_still_checked() {
    let out = run(&[
        "check",
        "tests/fixtures/no-such-file.json",
        &seed("bad-admin.json"),
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("tests/fixtures/no-such-file.json"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("error[admin-access]"), "{}", out.stdout);
    assert!(out.stdout.contains("1 input error"), "{}", out.stdout);
}

#[test]
fn unreadable_inputs_are_errors_naming_their_path() {
    let dir = temp_dir("unreadable");
    let broken_gz = dir.join("trail.json.gz");
    std::fs::write(&broken_gz, [0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad]).expect("write");
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x80]).expect("write");
    let good = seed("good-trust-lambda.json");
    let out = run(&[
        "check",
        "--format",
        "json",
        broken_gz.to_str().expect("utf-8"),
        binary.to_str().expect("utf-8"),
        &good,
    ]);
    assert_eq!(out.code, 2);
    let json = out.json();
    let errors = json["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0]["file"]
        .as_str()
        .expect("file")
        .ends_with("trail.json.gz"));
    assert!(errors[0]["message"]
        .as_str()
        .expect("message")
        .contains("gzip"));
    assert!(errors[1]["message"]
        .as_str()
        .expect("message")
        .contains("UTF-8"));
    // The good file was still checked, and is clean.
    assert_eq!(json["summary"]["files_checked"], 1);
    assert_eq!(json["summary"]["files_clean"], 1);
    assert!(out.stderr.contains("trail.json.gz"), "{}", out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unrecognised_file_named_explicitly_is_an_error_and_skipped_in_a_directory() {
    let dir = temp_dir("unknown");
    std::fs::write(
        dir.join("package.json"),
        r#"{"name":"x","version":"1.0.0"}"#,
    )
    .expect("write");
    std::fs::write(
        dir.join("admin.json"),
        r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .expect("write");
    std::fs::create_dir_all(dir.join("nested/.terraform")).expect("mkdir");
    std::fs::write(dir.join("nested/.terraform/ignored.json"), "{}").expect("write");
    std::fs::write(dir.join("nested/notes.txt"), "not json").expect("write");
    let walked = run(&["check", "--format", "json", dir.to_str().expect("utf-8")]);
    assert_eq!(walked.code, 1, "{}", walked.stdout);
    let json = walked.json();
    assert_eq!(json["summary"]["files_skipped"], 1, "{}", json["files"]);
    assert_eq!(json["summary"]["files_checked"], 1, "{}", json["files"]);
    let named = run(&["check", dir.join("package.json").to_str().expect("utf-8")]);
    assert_eq!(named.code, 2);
    assert!(
        named.stderr.contains("package.json") && named.stderr.contains("--kind"),
        "{}",
        named.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_are_2() {
    assert_eq!(run(&["check"]).code, 2);
    assert_eq!(
        run(&["check", "--min-severity", "severe", "x.json"]).code,
        2
    );
    assert_eq!(run(&["check", "--format", "xml", "x.json"]).code, 2);
    assert_eq!(
        run(&["check", "--account", "12", &seed("bad-admin.json")]).code,
        2
    );
    assert_eq!(
        run(&["check", "--policies", "tests/none", &seed("bad-admin.json")]).code,
        2
    );
    assert_eq!(run(&["explain", "no-such-rule"]).code, 2);
    assert_eq!(run(&["frobnicate"]).code, 2);
    assert_eq!(run(&["--help"]).code, 0);
}

#[test]
fn a_config_file_is_the_functions_configuration() {
    let dir = temp_dir("config");
    let config = dir.join("guard.toml");
    std::fs::write(
        &config,
        "min_severity = \"high\"\n[[suppressions]]\nrule = \"admin-access\"\nreason = \"break-glass policy, reviewed\"\n",
    )
    .expect("write");
    let config = config.to_str().expect("utf-8");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--config",
        config,
        &seed("bad-admin.json"),
    ]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    let json = out.json();
    assert_eq!(json["suppressed"][0]["rule_id"], "admin-access");
    assert_eq!(
        json["suppressed"][0]["reason"],
        "break-glass policy, reviewed"
    );
    assert_eq!(json["min_severity"], "high");
    // --min-severity overrides the file's.
    let lower = run(&[
        "check",
        "--format",
        "json",
        "--config",
        config,
        "--min-severity",
        "medium",
        &seed("bad-dynamodb-wildcard.json"),
    ]);
    assert_eq!(lower.json()["min_severity"], "medium");
    // An invalid configuration is a usage error naming the file.
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"suppressions":[{"rule":"admin-access","reason":" "}]}"#,
    )
    .expect("write");
    let out = run(&[
        "check",
        "--config",
        bad.to_str().expect("utf-8"),
        &seed("bad-admin.json"),
    ]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("bad.json") && out.stderr.contains("reason"),
        "{}",
        out.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The summary counts what a suppression hid, and every count agrees in number.
#[test]
fn the_summary_counts_suppressed_findings_in_good_grammar() {
    let dir = temp_dir("suppressed");
    let config = dir.join("guard.toml");
    std::fs::write(
        &config,
        "[[suppressions]]\nrule = \"admin-access\"\nreason = \"break-glass policy, reviewed\"\n",
    )
    .expect("write");
    let out = run(&[
        "check",
        "--config",
        config.to_str().expect("utf-8"),
        &seed("bad-admin.json"),
    ]);
    let summary = out.stdout.lines().last().expect("summary line").to_string();
    assert!(summary.contains("1 finding suppressed"), "{summary}");
    assert!(summary.contains(" in 1 file;"), "{summary}");
    for wrong in [
        "1 findings",
        "1 files",
        "1 notes",
        "1 events",
        " 1 input errors",
    ] {
        assert!(!summary.contains(wrong), "{summary}");
    }
    let json = run(&[
        "check",
        "--format",
        "json",
        "--config",
        config.to_str().expect("utf-8"),
        &seed("bad-admin.json"),
    ])
    .json();
    assert_eq!(json["summary"]["suppressed"], 1);
    let _ = std::fs::remove_dir_all(&dir);
}

/// An identity policy in a file named as a boundary is judged as a permissions boundary;
/// `--kind` still forces.
#[test]
fn a_file_named_as_a_boundary_is_judged_as_one() {
    let dir = temp_dir("boundary");
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let boundary = dir.join("permissions-boundary.json");
    let plain = dir.join("app.json");
    std::fs::write(&boundary, policy).expect("write");
    std::fs::write(&plain, policy).expect("write");
    let kinds = |args: &[&str]| {
        let json = run(args).json();
        json["files"]
            .as_array()
            .expect("files")
            .iter()
            .map(|f| f["kind"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let boundary = boundary.to_str().expect("utf-8");
    let plain = plain.to_str().expect("utf-8");
    assert_eq!(
        kinds(&["check", "--format", "json", boundary, plain]),
        ["boundary", "identity"]
    );
    assert_eq!(
        kinds(&["check", "--format", "json", "--kind", "identity", boundary]),
        ["identity"]
    );
    assert_eq!(
        kinds(&["check", "--format", "json", "--kind", "boundary", plain]),
        ["boundary"]
    );
    // Referenced as a boundary by another input of the run: a plan's role names
    // policy/guardrail as its permissions boundary, and guardrail.json is in the run.
    let guardrail = dir.join("guardrail.json");
    std::fs::write(&guardrail, policy).expect("write");
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        serde_json::json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [{
                "address": "aws_iam_role.app", "mode": "managed", "type": "aws_iam_role",
                "name": "app",
                "values": {"name": "app", "permissions_boundary": "arn:aws:iam::111122223333:policy/guardrail"}
            }]}}
        })
        .to_string(),
    )
    .expect("write");
    let guardrail = guardrail.to_str().expect("utf-8");
    let plan = plan.to_str().expect("utf-8");
    assert_eq!(
        kinds(&["check", "--format", "json", guardrail, plan]),
        ["boundary", "terraform-plan"]
    );
    let out = run(&["check", "--on-unresolved", "note", guardrail, plan]);
    assert!(
        out.stdout
            .contains("Judged as a permissions boundary: aws_iam_role.app uses"),
        "{}",
        out.stdout
    );
    assert_eq!(
        kinds(&["check", "--format", "json", guardrail]),
        ["identity"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
