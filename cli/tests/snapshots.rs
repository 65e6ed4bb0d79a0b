//! Snapshots of the three output formats on policies from the seed documents.
//! Update with `INSTA_UPDATE=always cargo test -p policy-guard-cli --test snapshots`, then
//! review the `.snap` files.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

mod common;

use common::{run, SEEDS};
use policy_guard::rules::RULES;
use serde_json::Value;

const BAD: &[&str] = &[
    "bad-admin.json",
    "bad-dynamodb-wildcard.json",
    "bad-travel-guide-role.json",
];
const GOOD: &[&str] = &[
    "good-dynamodb-scoped.json",
    "good-lambda-execution-role.json",
    "good-trust-lambda.json",
    "good-resource-apigateway.json",
];

fn paths(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| format!("{SEEDS}/{n}")).collect()
}

fn check(format: &str, names: &[&str]) -> common::Output {
    let files = paths(names);
    let mut args = vec!["check", "--format", format];
    args.extend(files.iter().map(String::as_str));
    run(&args)
}

#[test]
fn text_output() {
    let mut names = BAD.to_vec();
    names.extend(GOOD);
    names.push("lambda-get-policy.json");
    let out = check("text", &names);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!("text", out.stdout);
}

#[test]
fn json_output() {
    let mut names = BAD.to_vec();
    names.extend(GOOD);
    names.push("lambda-get-policy.json");
    let out = check("json", &names);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let mut value = out.json();
    // The tool's version changes with every release; the rest is the schema.
    value["tool"]["version"] = Value::from("[version]");
    insta::assert_json_snapshot!("json", value);
}

/// The SARIF log, with the rule list cut to the rules the results use (the full list grows
/// with every new rule and is checked against `RULES` here instead).
#[test]
fn sarif_output() {
    let out = check(
        "sarif",
        &[
            "bad-admin.json",
            "bad-dynamodb-wildcard.json",
            "good-dynamodb-scoped.json",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let mut value = out.json();
    let run = &mut value["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .clone();
    // The engine's rules, then the CLI's own `unresolved-reference`.
    assert_eq!(rules.len(), RULES.len() + 1);
    assert_eq!(
        rules.last().map(|r| r["id"].clone()),
        Some(serde_json::json!("unresolved-reference"))
    );
    for (rule, meta) in rules.iter().zip(RULES.iter().map(|r| r.meta())) {
        assert_eq!(rule["id"], meta.id);
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
    }
    let mut used = Vec::new();
    for result in run["results"].as_array_mut().expect("results") {
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(
            rules[index]["id"], result["ruleId"],
            "ruleIndex points at the rule"
        );
        result["ruleIndex"] = Value::from("[index]");
        if !used.contains(&index) {
            used.push(index);
        }
    }
    used.sort_unstable();
    run["tool"]["driver"]["rules"] = Value::Array(used.iter().map(|i| rules[*i].clone()).collect());
    run["tool"]["driver"]["version"] = Value::from("[version]");
    run["tool"]["driver"]["semanticVersion"] = Value::from("[version]");
    insta::assert_json_snapshot!("sarif", value);
}

/// A GOOD policy from the seeds has no finding at medium or above (the default threshold).
#[test]
fn good_seed_policies_are_clean() {
    for name in GOOD {
        let out = check("json", &[name]);
        assert_eq!(out.code, 0, "{name}: {}", out.stdout);
        assert_eq!(out.json()["summary"]["findings"], 0, "{name}");
    }
}

/// Every BAD seed policy has at least one finding at medium or above.
#[test]
fn bad_seed_policies_have_findings() {
    for name in BAD {
        let out = check("json", &[name]);
        assert_eq!(out.code, 1, "{name}");
        assert!(
            out.json()["summary"]["findings"].as_u64() > Some(0),
            "{name}"
        );
    }
}
