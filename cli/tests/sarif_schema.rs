//! SARIF output validated against the SARIF 2.1.0 JSON schema (fixtures/sarif-schema-2.1.0.json,
//! the OASIS schema), plus what GitHub code scanning needs beyond it.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, MANAGED, PLAN, SEEDS, TRAIL};
use serde_json::Value;

const ERRATUM: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

/// The schema as committed, with one erratum of the OASIS text fixed in memory: the `language`
/// pattern (of `run` and `toolComponent`), `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, has a
/// stray `]` that an ECMA-262 checker (the `jsonschema` crate validates a schema against its
/// meta-schema) rejects. It is meant to accept `en` and `en-US`; our logs never set `language`.
fn schema() -> Value {
    let path = format!(
        "{}/tests/fixtures/sarif-schema-2.1.0.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("schema"))
        .expect("schema is JSON");
    assert_eq!(fix_erratum(&mut schema), 2, "the erratum is where it was");
    schema
}

fn fix_erratum(value: &mut Value) -> usize {
    match value {
        Value::String(s) if s == ERRATUM => {
            *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string();
            1
        }
        Value::Object(map) => map.values_mut().map(fix_erratum).sum(),
        Value::Array(items) => items.iter_mut().map(fix_erratum).sum(),
        _ => 0,
    }
}

fn assert_valid(log: &Value) {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

fn assert_github_ready(log: &Value) {
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "policy-guard");
    assert!(driver["version"].is_string() && driver["informationUri"].is_string());
    let rules = driver["rules"].as_array().expect("rules");
    for rule in rules {
        let severity = rule["properties"]["security-severity"]
            .as_str()
            .expect("security-severity");
        let value: f64 = severity.parse().expect("security-severity is a number");
        assert!((0.0..=10.0).contains(&value));
        assert!(rule["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("### What it does")));
        // The CLI's own `unresolved-reference` is documented in its README.
        let help_uri = match rule["id"].as_str().expect("id") {
            "unresolved-reference" => "/blob/main/cli/README.md#unresolved-references".to_string(),
            id => format!("/blob/main/docs/rules.md#{id}"),
        };
        assert!(
            rule["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://") && u.ends_with(&help_uri)),
            "{}",
            rule["helpUri"]
        );
        assert!(
            rule["shortDescription"]["text"].is_string()
                && rule["fullDescription"]["text"].is_string()
        );
        assert!(rule["properties"]["tags"]
            .as_array()
            .is_some_and(|t| !t.is_empty()));
    }
    for result in run["results"].as_array().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        let uri = location["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
        assert!(location["region"]["startLine"].as_u64() >= Some(1));
        assert!(result["partialFingerprints"]
            .as_object()
            .is_some_and(|f| !f.is_empty()));
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().expect("level")));
    }
}

#[test]
fn the_schema_fixture_is_sarif_2_1_0() {
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema["title"]
        .as_str()
        .is_some_and(|t| t.contains("2.1.0")));
    // It rejects what is not SARIF.
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    assert!(!validator.is_valid(&serde_json::json!({"version": "2.1.0"})));
    assert!(!validator.is_valid(&serde_json::json!({"version": "9", "runs": []})));
    // And a real log with one wrong value.
    let mut log = run(&[
        "check",
        "--format",
        "sarif",
        &format!("{SEEDS}/bad-admin.json"),
    ])
    .json();
    assert!(validator.is_valid(&log));
    log["runs"][0]["results"][0]["level"] = Value::from("critical");
    assert!(!validator.is_valid(&log));
}

#[test]
fn sarif_validates_for_every_kind_of_input() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "--min-severity",
        "info",
        "--policies",
        MANAGED,
        SEEDS,
        PLAN,
        "tests/fixtures/terraform/plan-unknowns.json",
        TRAIL,
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log: Value = out.json();
    assert!(log["runs"][0]["results"]
        .as_array()
        .is_some_and(|r| r.len() > 10));
    assert_valid(&log);
    assert_github_ready(&log);
}

#[test]
fn sarif_with_an_input_error_still_validates() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        "tests/fixtures/missing.json",
        SEEDS,
    ]);
    assert_eq!(out.code, 2);
    let log = out.json();
    assert_valid(&log);
    let notes = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(notes.to_string().contains("missing.json"), "{notes}");
}

#[test]
fn clean_sarif_validates() {
    let out = run(&[
        "check",
        "--format",
        "sarif",
        &format!("{SEEDS}/good-trust-lambda.json"),
    ]);
    assert_eq!(out.code, 0);
    let log = out.json();
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert_valid(&log);
}

/// A file whose name is not UTF-8, found by walking a directory: its artifact URI keeps the
/// name's bytes, percent-encoded, and the log still validates.
#[cfg(unix)]
#[test]
fn a_non_utf8_file_name_keeps_its_bytes_in_the_uri() {
    use std::os::unix::ffi::OsStrExt;
    let dir = std::env::temp_dir().join(format!("policy-guard-sarif-bytes-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9 admin.json");
    std::fs::write(
        dir.join(name),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    )
    .expect("write");
    let out = run(&["check", "--format", "sarif", dir.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let log = out.json();
    assert_valid(&log);
    let uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .expect("uri")
        .to_string();
    assert!(uri.ends_with("/caf%E9%20admin.json"), "{uri}");
    let _ = std::fs::remove_dir_all(&dir);
}
