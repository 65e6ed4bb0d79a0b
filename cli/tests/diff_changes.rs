//! `policy-guard diff` beyond actions: who (principals), under which conditions, on which
//! resources. Snapshots of the text and JSON output; update with
//! `INSTA_UPDATE=always cargo test -p policy-guard-cli --test diff_changes`, then review.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::run;

const DIR: &str = "tests/fixtures/diff";

fn diff(format: &str, old: &str, new: &str) -> common::Output {
    run(&[
        "diff",
        "--format",
        format,
        &format!("{DIR}/{old}"),
        &format!("{DIR}/{new}"),
    ])
}

#[test]
fn a_trust_policy_diff_names_the_new_principal_and_the_removed_condition() {
    let out = diff("text", "trust-old.json", "trust-new.json");
    assert!(
        out.stdout
            .contains("new principal `AWS` `arn:aws:iam::444455556666:root`"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("condition removed: `StringEquals` `sts:ExternalId`"),
        "{}",
        out.stdout
    );
    insta::assert_snapshot!("trust_text", out.stdout);
    let json = diff("json", "trust-old.json", "trust-new.json").json();
    insta::assert_json_snapshot!("trust_json", json);
}

#[test]
fn a_bucket_policy_diff_names_weakened_conditions_new_resources_and_removed_denies() {
    let out = diff("text", "bucket-old.json", "bucket-new.json");
    for expected in [
        "condition weakened: `IpAddress` `aws:SourceIp` `203.0.113.0/24` now `203.0.113.0/24`, `0.0.0.0/0`",
        "resource: `arn:aws:s3:::reports/finance/*` newly reached by `s3:GetObject`",
        "deny removed: Statement[1] (Sid `DenyInsecure`)",
    ] {
        assert!(out.stdout.contains(expected), "{expected}\n{}", out.stdout);
    }
    insta::assert_snapshot!("bucket_text", out.stdout);
    let json = diff("json", "bucket-old.json", "bucket-new.json").json();
    let kinds: Vec<&str> = json["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| c["change"].as_str().expect("change"))
        .collect();
    assert_eq!(
        kinds,
        vec!["condition_weakened", "deny_removed", "resource_added"]
    );
    insta::assert_json_snapshot!("bucket_json", json);
}

#[test]
fn the_reverse_diffs_grant_nothing_new() {
    for (old, new) in [
        ("trust-new.json", "trust-old.json"),
        ("bucket-new.json", "bucket-old.json"),
    ] {
        let out = diff("text", old, new);
        assert!(
            out.stdout.contains("grants no access that"),
            "{old} -> {new}: {}",
            out.stdout
        );
    }
}
