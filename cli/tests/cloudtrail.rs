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
    let out = run(&["check", "--format", "json", TRAIL]);
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
