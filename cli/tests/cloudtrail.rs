//! Backtests over a gzipped CloudTrail log file with mixed events.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, MANAGED, TRAIL};
use serde_json::Value;

fn by_event(json: &Value) -> Vec<(String, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["event_name"].as_str().unwrap_or("").to_string(),
                f["rule_id"].as_str().expect("rule_id").to_string(),
            )
        })
        .collect()
}

#[test]
fn every_permission_change_is_judged() {
    let out = run(&["check", "--format", "json", TRAIL]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["files"][0]["kind"], "cloudtrail");
    let events = &json["summary"]["events"];
    assert_eq!(events["judged"], 8, "{events}");
    assert_eq!(events["failed"], 1, "{events}");
    assert_eq!(events["ignored"], 2, "{events}");
    let found = by_event(&json);
    let has = |event: &str, rule: &str| found.iter().any(|(e, r)| e == event && r == rule);
    assert!(has("CreatePolicy", "service-wildcard"), "{found:?}");
    assert!(
        has("AddPermission20150331v2", "public-resource-policy"),
        "{found:?}"
    );
    assert!(
        has("UpdateAssumeRolePolicy", "trust-foreign-account"),
        "{found:?}"
    );
    assert!(has("PutUserPolicy", "malformed-event"), "{found:?}");
    // AdministratorAccess, resolved from the embedded snapshot without --policies.
    assert!(has("AttachRolePolicy", "admin-access"), "{found:?}");
    let found: Vec<(String, String)> = found
        .into_iter()
        .filter(|(_, r)| r != "unresolved-reference")
        .collect();
    // Good changes, the failed call and the unrelated calls have no finding.
    for quiet in [
        "PutRolePolicy",
        "CreateRole",
        "GetRole",
        "DescribeInstances",
    ] {
        assert!(!found.iter().any(|(e, _)| e == quiet), "{quiet}: {found:?}");
    }
    // Findings carry their event.
    let first = &json["findings"][0];
    assert!(first["event_id"]
        .as_str()
        .is_some_and(|id| id.starts_with("74fa50a0-")));
}

#[test]
fn aws_managed_attachments_resolve_from_the_embedded_snapshot() {
    // No --policies: AdministratorAccess comes from the embedded snapshot and is judged.
    let out = run(&["check", "--format", "json", TRAIL]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json();
    let admin: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["event_name"] == "AttachRolePolicy")
        .collect();
    assert_eq!(admin.len(), 1, "only the call that succeeded: {admin:?}");
    assert_eq!(admin[0]["rule_id"], "admin-access");
    assert_eq!(admin[0]["severity"], "critical");
    let document = admin[0]["document"].as_str().expect("document");
    assert!(
        document.contains("AdministratorAccess")
            && document.contains("from the embedded snapshot of 20"),
        "{document}"
    );
}

#[test]
fn unresolved_references_are_notes_never_findings_or_silence() {
    // The previous version of a customer-managed policy is known to neither the snapshot nor
    // (without --policies) anything else: a note naming why.
    let out = run(&[
        "check",
        "--format",
        "json",
        "--on-unresolved",
        "note",
        TRAIL,
    ]);
    let json = out.json();
    let notes: Vec<(String, String)> = json["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| {
            (
                n["event_name"].as_str().unwrap_or("").to_string(),
                n["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert!(
        notes.iter().any(|(e, m)| e == "CreatePolicyVersion"
            && m.contains("travel-guide-logging")
            && m.contains("--policies DIR")),
        "{notes:?}"
    );
    assert!(
        !notes.iter().any(|(e, _)| e == "AttachRolePolicy"),
        "{notes:?}"
    );
}

/// By default an attachment that is not resolved fails the run: what the event put in force
/// was not judged. A customer managed policy (the AWS managed ones may resolve offline).
#[test]
fn an_unresolved_attachment_fails_closed_by_default() {
    let record = serde_json::json!({
        "eventVersion": "1.10",
        "eventSource": "iam.amazonaws.com",
        "eventName": "AttachRolePolicy",
        "eventID": "attach-1",
        "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333",
        "requestParameters": {
            "roleName": "app",
            "policyArn": "arn:aws:iam::111122223333:policy/custom-admin"
        }
    })
    .to_string();
    let out = common::run_with_stdin(&["check", "--format", "json", "-"], Some(&record));
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json();
    assert_eq!(json["findings"][0]["rule_id"], "unresolved-reference");
    assert_eq!(json["findings"][0]["event_name"], "AttachRolePolicy");
    assert!(json["findings"][0]["message"]
        .as_str()
        .is_some_and(|m| m.contains("custom-admin")));
    // The account the event was judged in is said.
    assert!(
        json["notes"].to_string().contains("recipientAccountId"),
        "{}",
        json["notes"]
    );
    let out = common::run_with_stdin(&["check", "--on-unresolved", "note", "-"], Some(&record));
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("custom-admin"), "{}", out.stdout);
}

#[test]
fn policies_directory_resolves_attached_managed_policies() {
    let out = run(&["check", "--format", "json", "--policies", MANAGED, TRAIL]);
    let json = out.json();
    let admin: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["event_name"] == "AttachRolePolicy")
        .collect();
    assert_eq!(admin.len(), 1, "only the call that succeeded: {admin:?}");
    assert_eq!(admin[0]["rule_id"], "admin-access");
    assert_eq!(admin[0]["severity"], "critical");
    assert!(admin[0]["document"]
        .as_str()
        .is_some_and(|d| d.contains("AdministratorAccess")));
}

#[test]
fn an_eventbridge_event_and_a_bare_record_are_read_too() {
    let record = serde_json::json!({
        "eventVersion": "1.10",
        "eventSource": "iam.amazonaws.com",
        "eventName": "PutRolePolicy",
        "eventID": "e-1",
        "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333",
        "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
        "requestParameters": {"roleName": "app", "policyName": "all",
            "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"},
        "responseElements": null
    });
    let event = serde_json::json!({
        "version": "0", "id": "x", "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.iam", "account": "111122223333", "region": "us-east-1",
        "time": "2025-03-04T10:15:17Z", "resources": [], "detail": record
    });
    for input in [record.to_string(), event.to_string()] {
        let out = common::run_with_stdin(&["check", "--format", "json", "-"], Some(&input));
        assert_eq!(out.code, 1, "{}", out.stdout);
        let json = out.json();
        assert_eq!(json["findings"][0]["rule_id"], "admin-access");
        assert_eq!(json["findings"][0]["file"], "-");
        assert_eq!(json["findings"][0]["event_name"], "PutRolePolicy");
    }
}

/// A policy file named after the boundary an event sets is judged as a boundary.
#[test]
fn a_boundary_an_event_sets_makes_the_named_file_a_boundary() {
    let dir = std::env::temp_dir().join(format!("policy-guard-ct-boundary-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let trail = dir.join("trail.json");
    std::fs::write(
        &trail,
        serde_json::json!({"Records": [{
            "eventVersion": "1.10",
            "eventSource": "iam.amazonaws.com",
            "eventName": "PutRolePermissionsBoundary",
            "eventID": "pb-1",
            "recipientAccountId": "111122223333",
            "requestParameters": {
                "roleName": "app",
                "permissionsBoundary": "arn:aws:iam::111122223333:policy/guardrail"
            }
        }]})
        .to_string(),
    )
    .expect("write");
    let policy = dir.join("guardrail.json");
    std::fs::write(
        &policy,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
    )
    .expect("write");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--on-unresolved",
        "note",
        dir.to_str().expect("utf-8"),
    ]);
    let json = out.json();
    let kinds: Vec<&str> = json["files"]
        .as_array()
        .expect("files")
        .iter()
        .map(|f| f["kind"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["boundary", "cloudtrail"], "{}", json["files"]);
    assert!(
        json["notes"]
            .to_string()
            .contains("event pb-1 (PutRolePermissionsBoundary)"),
        "{}",
        json["notes"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
