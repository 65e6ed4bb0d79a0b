//! The Terraform plan fixture (from real Terraform, see fixtures/terraform/regenerate.sh)
//! checked end to end through the binary.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, MANAGED, PLAN};

const UNKNOWNS: &str = "tests/fixtures/terraform/plan-unknowns.json";
use serde_json::Value;

/// (rule id, document) pairs of a JSON output's findings.
fn found(output: &Value) -> Vec<(String, String)> {
    output["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().expect("rule_id").to_string(),
                f["document"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

fn has(found: &[(String, String)], rule: &str, document: &str) -> bool {
    found
        .iter()
        .any(|(r, d)| r == rule && d.starts_with(document))
}

fn about<'a>(found: &'a [(String, String)], document: &str) -> Vec<&'a str> {
    found
        .iter()
        .filter(|(_, d)| d.starts_with(document))
        .map(|(r, _)| r.as_str())
        .collect()
}

#[test]
fn plan_fixture_is_real_terraform_output() {
    let text = std::fs::read_to_string(format!("{}/{PLAN}", env!("CARGO_MANIFEST_DIR")))
        .expect("plan fixture");
    let plan: Value = serde_json::from_str(&text).expect("plan is JSON");
    assert!(plan["format_version"].is_string());
    assert!(plan["terraform_version"]
        .as_str()
        .is_some_and(|v| v.starts_with("1.")));
    assert!(plan["planned_values"]["root_module"]["resources"].is_array());
}

#[test]
fn bad_resources_are_found_and_good_ones_are_clean() {
    let out = run(&["check", "--format", "json", PLAN]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["files"][0]["kind"], "terraform-plan");
    let found = found(&json);
    // BAD.
    assert!(
        has(
            &found,
            "service-wildcard",
            "aws_iam_policy.overly_permissive (policy)"
        ),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "admin-access",
            "aws_iam_role_policy.admin_inline (policy)"
        ),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "public-resource-policy",
            "aws_lambda_permission.public"
        ),
        "{found:?}"
    );
    assert!(
        has(
            &found,
            "function-url-auth-none",
            "aws_lambda_function_url.public"
        ),
        "{found:?}"
    );
    // GOOD: nothing at medium or above.
    for clean in [
        "aws_iam_policy.properly_scoped",
        "aws_iam_policy.lambda_logging",
        "aws_iam_role.lambda_execution_role",
        "aws_lambda_permission.api_gateway",
        "data.aws_iam_policy_document.lambda_logging",
    ] {
        assert!(
            about(&found, clean).is_empty(),
            "{clean}: {:?}",
            about(&found, clean)
        );
    }
    // Findings point at the resource's line in the plan file.
    let admin = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule_id"] == "admin-access")
        .expect("admin-access finding");
    assert!(admin["line"].as_u64() > Some(1));
    assert_eq!(admin["pointer"], "Statement[0]");
}

#[test]
fn aws_managed_attachments_resolve_without_policies() {
    // The embedded snapshot resolves AdministratorAccess: judged, no note.
    let out = run(&["check", "--format", "json", PLAN]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let json = out.json();
    assert!(
        has(&found(&json), "admin-access", "arn:aws:iam::aws:policy/AdministratorAccess (attached by aws_iam_role_policy_attachment.admin)"),
        "{}",
        json["findings"]
    );
    // No note about the attachment (the only note says which account was inferred).
    assert!(
        !json["notes"].to_string().contains("AdministratorAccess"),
        "{}",
        json["notes"]
    );

    // --policies still resolves them, and first.
    let resolved = run(&["check", "--format", "json", "--policies", MANAGED, PLAN]);
    let json = resolved.json();
    let found = found(&json);
    assert!(
        has(&found, "admin-access", "arn:aws:iam::aws:policy/AdministratorAccess (attached by aws_iam_role_policy_attachment.admin)"),
        "{found:?}"
    );
    // Only the note saying which account the documents were judged in.
    let notes = json["notes"].as_array().expect("notes");
    assert!(
        notes.iter().all(|n| n["message"]
            .as_str()
            .is_some_and(|m| m.contains("judged as living in account"))),
        "{}",
        json["notes"]
    );
}

/// The fixture plan with its AWS managed attachment replaced by a customer-managed ARN.
fn plan_attaching(arn: &str, name: &str) -> std::path::PathBuf {
    let text = std::fs::read_to_string(PLAN).expect("plan");
    let changed = text.replace("arn:aws:iam::aws:policy/AdministratorAccess", arn);
    assert_ne!(changed, text);
    let path =
        std::env::temp_dir().join(format!("policy-guard-{name}-{}.json", std::process::id()));
    std::fs::write(&path, changed).expect("temp plan");
    path
}

#[test]
fn a_customer_managed_attachment_stays_a_note_naming_why() {
    let plan = plan_attaching("arn:aws:iam::111122223333:policy/team-admin", "customer");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--on-unresolved",
        "note",
        plan.to_str().expect("utf-8"),
    ]);
    let json = out.json();
    let notes = json["notes"].to_string();
    assert!(
        notes.contains("team-admin")
            && notes.contains("could not be resolved")
            && notes.contains("--policies DIR"),
        "{notes}"
    );
    let _ = std::fs::remove_file(&plan);
}

#[test]
fn an_unresolvable_attachment_is_an_unresolved_reference_naming_why() {
    let empty = std::env::temp_dir().join(format!("policy-guard-empty-{}", std::process::id()));
    std::fs::create_dir_all(&empty).expect("temp dir");
    let plan = plan_attaching("arn:aws:iam::111122223333:policy/team-admin", "empty-dir");
    let out = run(&[
        "check",
        "--format",
        "json",
        "--policies",
        empty.to_str().expect("utf-8"),
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let unresolved: Vec<&Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "unresolved-reference")
        .collect();
    assert!(
        unresolved.iter().any(|f| f["message"]
            .as_str()
            .is_some_and(|m| m.contains("could not be resolved") && m.contains("team-admin.json"))),
        "{unresolved:?}"
    );
    // An AWS managed ARN missing from the directory falls back to the snapshot.
    let out = run(&[
        "check",
        "--format",
        "json",
        "--policies",
        empty.to_str().expect("utf-8"),
        PLAN,
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    assert!(
        has(&found(&json), "admin-access", "arn:aws:iam::aws:policy/AdministratorAccess (attached by aws_iam_role_policy_attachment.admin)"),
        "{}",
        json["findings"]
    );
    let _ = std::fs::remove_dir_all(&empty);
    let _ = std::fs::remove_file(&plan);
}

#[test]
fn the_boundary_is_judged_as_a_permissions_boundary() {
    // At info, the boundary's findings (if any rule speaks about boundaries) carry its kind;
    // in any case it must never be judged as an identity policy granting `s3:*` etc.
    let out = run(&["check", "--format", "json", "--min-severity", "info", PLAN]);
    let json = out.json();
    for finding in json["findings"].as_array().expect("findings") {
        if finding["document"]
            .as_str()
            .is_some_and(|d| d.starts_with("aws_iam_policy.permission_boundary"))
        {
            assert_eq!(finding["kind"], "permissions-boundary", "{finding}");
        }
    }
    let text = run(&["check", PLAN]).stdout;
    assert!(
        !text.contains("aws_iam_policy.permission_boundary"),
        "{text}"
    );
}

#[test]
fn plan_text_output_points_at_resources() {
    let out = run(&["check", PLAN]);
    assert!(
        out.stdout.contains("error[admin-access]: "),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("  --> tests/fixtures/terraform/plan.json:"),
        "{}",
        out.stdout
    );
    assert!(out
        .stdout
        .contains("aws_iam_role_policy.admin_inline (policy), Statement[0]"));
}

/// A plan whose policies reference a queue created in the same plan (real Terraform,
/// fixtures/terraform/unknowns/main.tf): what is known is judged, never "clean".
#[test]
fn values_known_after_apply_do_not_hide_what_is_known() {
    let out = run(&["check", "--format", "json", UNKNOWNS]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let found = self::found(&json);
    // The data source read during apply: rebuilt from its blocks, `*` on `*` found, under
    // the resource that uses it.
    assert!(
        has(
            &found,
            "admin-access",
            "aws_iam_policy.from_document (policy)"
        ),
        "{found:?}"
    );
    // The queue-only policy from the data source's pattern is judged too, and its placeholder
    // is one queue: nothing broad about it.
    assert!(
        about(&found, "aws_iam_policy.queue_only")
            .iter()
            .all(|r| *r == "unresolved-reference"),
        "{found:?}"
    );
    // jsonencode of an object with an unknown value: the plan holds no part of it, so it is
    // an unresolved reference naming what it is built from.
    assert!(
        has(
            &found,
            "unresolved-reference",
            "aws_iam_policy.admin_and_queue"
        ),
        "{found:?}"
    );
    let text = json.to_string();
    assert!(text.contains("aws_sqs_queue.q.arn"), "{text}");
    let notes: Vec<&str> = json["notes"]
        .as_array()
        .expect("notes")
        .iter()
        .map(|n| n["message"].as_str().expect("message"))
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("statement[0].resources[0]")
            && n.contains("aws_sqs_queue.q.arn")
            && n.contains("arn:aws:sqs:us-east-1:*:orders")),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| n.contains("account") && n.contains("unknown")),
        "{notes:?}"
    );

    // --on-unresolved note: the jsonencode policy is a note, the data source's admin access
    // still fails the run.
    let out = run(&[
        "check",
        "--format",
        "json",
        "--on-unresolved",
        "note",
        UNKNOWNS,
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let noted = self::found(&json);
    assert!(
        !noted.iter().any(|(r, _)| r == "unresolved-reference"),
        "{noted:?}"
    );
    assert!(has(&noted, "admin-access", "aws_iam_policy.from_document"));
    assert!(json["notes"].to_string().contains("admin_and_queue"));
}

/// A plan attaching a customer managed policy: without --policies it is not judged, so the
/// default fails the run with an `unresolved-reference` result in every format.
#[test]
fn an_unresolved_attachment_fails_closed_by_default() {
    let dir = std::env::temp_dir().join(format!("policy-guard-unresolved-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let plan = dir.join("plan.json");
    std::fs::write(
        &plan,
        serde_json::json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [{
                "address": "aws_iam_role_policy_attachment.custom",
                "mode": "managed",
                "type": "aws_iam_role_policy_attachment",
                "name": "custom",
                "values": {"role": "app", "policy_arn": "arn:aws:iam::111122223333:policy/custom-admin"}
            }]}}
        })
        .to_string(),
    )
    .expect("plan written");
    let path = plan.to_str().expect("UTF-8 temp path");

    let out = run(&["check", "--format", "json", path]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let json = out.json();
    let finding = &json["findings"][0];
    assert_eq!(finding["rule_id"], "unresolved-reference");
    assert_eq!(finding["category"], "unresolved-reference");
    assert_eq!(finding["severity"], "high");
    assert!(finding["message"]
        .as_str()
        .is_some_and(|m| m.contains("custom-admin") && m.contains("--policies")));
    assert_eq!(json["summary"]["exit_code"], 1);

    // A threshold above high does not hide it: it is the run's own verdict.
    let out = run(&["check", "--min-severity", "critical", path]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(
        out.stdout.contains("error[unresolved-reference]"),
        "{}",
        out.stdout
    );

    let out = run(&["check", "--format", "sarif", path]);
    assert_eq!(out.code, 1);
    let sarif = out.json();
    let run0 = &sarif["runs"][0];
    let result = &run0["results"][0];
    assert_eq!(result["ruleId"], "unresolved-reference");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
    let rule = &run0["tool"]["driver"]["rules"][index];
    assert_eq!(rule["id"], "unresolved-reference");
    assert_eq!(rule["defaultConfiguration"]["level"], "error");

    let out = run(&["check", "--on-unresolved", "note", path]);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.contains("note: "), "{}", out.stdout);
    assert!(
        out.stdout.contains("0 findings in 1 file; 1 file clean"),
        "{}",
        out.stdout
    );
    std::fs::remove_dir_all(&dir).expect("temp dir removed");
}
