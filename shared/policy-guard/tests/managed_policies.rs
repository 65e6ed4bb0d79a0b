//! The broadest real-world input: 1,388 AWS managed policies (`../shared/corpus/`). All parse,
//! none panics, the known landmarks are judged right, and the per-rule counts are a snapshot so
//! that any change in judgement shows up in review.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind, Finding, Severity};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/aws-managed-policies")
}

/// The corpus's policy files, sorted.
fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("the managed-policy corpus beside the project")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// A managed policy judged as an identity policy (no account) under `config`.
fn check(text: &str, config: &Config) -> Vec<Finding> {
    let options = CheckOptions {
        account: None,
        config,
    };
    check_document(text, DocumentKind::Identity, &options)
}

/// Every finding, the low ones too: the engine skips rules the configuration would drop.
fn every_finding() -> Config {
    Config {
        min_severity: policy_guard::Severity::Info,
        ..Config::default()
    }
}

fn judge(name: &str) -> Vec<Finding> {
    let text = std::fs::read_to_string(corpus_dir().join(format!("{name}.json"))).unwrap();
    check(&text, &Config::default())
}

#[test]
fn every_managed_policy_parses_and_the_counts_are_stable() {
    let files = corpus_files();
    assert_eq!(files.len(), 1388);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_category: BTreeMap<String, usize> = BTreeMap::new();
    let mut policies_by_highest: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let findings = check(&text, &every_finding());
        assert!(
            !findings.iter().any(|f| f.rule_id == "malformed-policy"),
            "{} does not parse: {:?}",
            path.display(),
            findings
                .iter()
                .find(|f| f.rule_id == "malformed-policy")
                .map(|f| &f.message)
        );
        for f in &findings {
            // What lets the engine skip rules below the minimum severity.
            let declared = policy_guard::rules::rule_by_id(&f.rule_id).map(|r| r.meta().severity);
            assert!(
                declared.is_some_and(|d| f.severity <= d),
                "{}: {} above its declared severity",
                path.display(),
                f.rule_id
            );
            *by_rule
                .entry(format!("{} ({})", f.rule_id, f.severity))
                .or_default() += 1;
            *by_category.entry(f.category.to_string()).or_default() += 1;
        }
        let highest = findings
            .iter()
            .map(|f| f.severity)
            .max()
            .map_or("clean".to_string(), |s| s.to_string());
        *policies_by_highest.entry(highest).or_default() += 1;
    }
    insta::assert_json_snapshot!(
        "managed_policy_findings",
        serde_json::json!({
            "policies": files.len(),
            "policies_by_highest_severity": policies_by_highest,
            "findings_by_category": by_category,
            "findings_by_rule_and_severity": by_rule,
        })
    );
}

#[test]
fn administrator_access_is_critical() {
    let findings = judge("AdministratorAccess");
    let admin = findings
        .iter()
        .find(|f| f.rule_id == "admin-access")
        .expect("admin-access");
    assert_eq!(admin.severity, Severity::Critical);
}

#[test]
fn deny_all_has_no_finding() {
    assert_eq!(judge("AWSDenyAll"), Vec::new());
}

#[test]
fn lambda_vpc_role_has_no_wildcard_finding_for_its_eni_actions() {
    for f in judge("AWSLambdaVPCAccessExecutionRole") {
        assert!(
            !f.actions.iter().any(|a| a.starts_with("ec2:")),
            "ENI actions must not be reported: {f:#?}"
        );
        assert!(f.severity < Severity::Medium, "{f:#?}");
    }
}

#[test]
fn power_user_is_near_admin_and_read_only_is_not_admin() {
    let power = judge("PowerUserAccess");
    assert!(power
        .iter()
        .any(|f| f.rule_id == "admin-access" && f.severity == Severity::High));
    assert!(!judge("ReadOnlyAccess")
        .iter()
        .any(|f| f.rule_id == "admin-access"));
    assert!(judge("IAMFullAccess")
        .iter()
        .any(|f| f.rule_id == "service-wildcard" || f.rule_id == "privilege-escalation"));
}

/// Skipping the rules a configuration would drop changes no report: over the whole corpus,
/// at every minimum severity, the configured report equals the one made from every finding.
#[test]
fn skipping_rules_below_the_minimum_changes_no_report() {
    let mut skipped_some = false;
    for path in &corpus_files() {
        let text = std::fs::read_to_string(path).unwrap();
        let all = check(&text, &every_finding());
        for min_severity in [
            policy_guard::Severity::Low,
            policy_guard::Severity::Medium,
            policy_guard::Severity::High,
        ] {
            let config = Config {
                min_severity,
                ..Config::default()
            };
            let raw = check(&text, &config);
            skipped_some |= raw.len() < all.len();
            assert_eq!(
                policy_guard::Report::new(raw).apply_config(&config, &[]),
                policy_guard::Report::new(all.clone()).apply_config(&config, &[]),
                "{} at {min_severity}",
                path.display()
            );
        }
    }
    assert!(
        skipped_some,
        "no rule was skipped: the test compares nothing"
    );
}
