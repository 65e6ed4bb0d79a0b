//! The rule list's contract: unique ids, complete docs, every doc example behaving as
//! documented, and every rule's data-driven corpus (`tests/corpus/<rule-id>/pass-*.json`,
//! `fail-*.json`): a fail case must trip the rule, a pass case must not.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::rules::{check_document, CheckOptions, RuleMeta, RULES};
use policy_guard::{Config, DocumentKind, Finding};
use std::path::{Path, PathBuf};

/// The account every corpus document and doc example lives in.
const ACCOUNT: &str = "111122223333";

fn findings_of(meta: &RuleMeta, text: &str) -> Vec<Finding> {
    let config = Config {
        min_severity: policy_guard::Severity::Info,
        ..Config::default()
    };
    let options = CheckOptions {
        account: Some(ACCOUNT),
        config: &config,
    };
    let kind = meta.kinds.first().copied();
    let findings = match kind {
        Some(kind) => check_document(text, kind, &options),
        None => event_findings(text),
    };
    assert_within_declared_severity(&findings);
    findings
        .into_iter()
        .filter(|f| f.rule_id == meta.id)
        .collect()
}

/// The engine skips a rule whose declared severity is below the configuration's minimum
/// (`Config::may_report`): that is only sound if no rule reports above it. Every doc example
/// and corpus case, of every rule, holds all rules to it.
fn assert_within_declared_severity(findings: &[Finding]) {
    for finding in findings {
        let declared = RULES
            .iter()
            .map(|r| r.meta())
            .find(|m| m.id == finding.rule_id)
            .map(|m| m.severity);
        assert!(
            declared.is_some_and(|declared| finding.severity <= declared),
            "{} reported {} above its declared {declared:?}: {}",
            finding.rule_id,
            finding.severity,
            finding.title
        );
    }
}

/// Rules without a document kind judge events, as the guard does (nothing resolved).
fn event_findings(text: &str) -> Vec<Finding> {
    use policy_guard::change::{judge, parse_event, EventOutcome, Resolved, Verdict};
    let value: serde_json::Value = serde_json::from_str(text).expect("event fixture is JSON");
    let config = Config {
        min_severity: policy_guard::Severity::Info,
        ..Config::default()
    };
    let verdict = match parse_event(&value) {
        EventOutcome::Change(event) => judge(&event, &Resolved::new(), &config),
        EventOutcome::Malformed { context, error } => Verdict::malformed(context, &error, &config),
        EventOutcome::Failed { .. } | EventOutcome::Ignored { .. } => return Vec::new(),
    };
    verdict
        .findings
        .into_iter()
        .map(|judged| judged.finding)
        .collect()
}

#[test]
fn rule_ids_are_unique_kebab_case_and_documented() {
    let mut seen = std::collections::BTreeSet::new();
    for rule in RULES {
        let meta = rule.meta();
        assert!(seen.insert(meta.id), "duplicate rule id {}", meta.id);
        assert!(
            meta.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !meta.id.starts_with('-'),
            "{} is not kebab-case",
            meta.id
        );
        for heading in [
            "### What it does",
            "### Why is this bad",
            "### Example",
            "### Use instead",
        ] {
            assert!(
                meta.docs.contains(heading),
                "{} docs lack `{heading}`",
                meta.id
            );
        }
        assert!(
            !meta.summary.is_empty() && !meta.summary.ends_with('.'),
            "{} summary",
            meta.id
        );
    }
}

#[test]
fn doc_examples_fire_and_their_fixes_do_not() {
    for rule in RULES {
        let meta = rule.meta();
        let example = meta
            .doc_example("Example")
            .unwrap_or_else(|| panic!("{}: no example", meta.id));
        let fixed = meta
            .doc_example("Use instead")
            .unwrap_or_else(|| panic!("{}: no fix", meta.id));
        assert!(
            !findings_of(meta, example).is_empty(),
            "{}: its doc example does not fire",
            meta.id
        );
        let still = findings_of(meta, fixed);
        assert!(
            still.is_empty(),
            "{}: its `Use instead` example fires: {still:#?}",
            meta.id
        );
    }
}

/// A rule's `Use instead` example is what the docs tell a user to write: no rule at all may
/// report it, at any severity, or the advice sends the user from one finding to another.
#[test]
fn use_instead_examples_trip_no_rule() {
    let config = Config {
        min_severity: policy_guard::Severity::Info,
        ..Config::default()
    };
    let options = CheckOptions {
        account: Some(ACCOUNT),
        config: &config,
    };
    let mut failures = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        let Some(kind) = meta.kinds.first().copied() else {
            continue;
        };
        let Some(fixed) = meta.doc_example("Use instead") else {
            continue;
        };
        for finding in check_document(fixed, kind, &options) {
            failures.push(format!(
                "{}: its `Use instead` example trips {} ({}): {}",
                meta.id, finding.rule_id, finding.severity, finding.title
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

#[test]
fn every_rule_has_pass_and_fail_cases_and_they_hold() {
    let mut failures = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        let dir = corpus_dir().join(meta.id);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: no corpus directory {}: {e}", meta.id, dir.display()))
            .map(|entry| entry.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        cases.sort();
        let name = |p: &PathBuf| p.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            cases.iter().any(|p| name(p).starts_with("pass-")),
            "{}: no pass case",
            meta.id
        );
        assert!(
            cases.iter().any(|p| name(p).starts_with("fail-")),
            "{}: no fail case",
            meta.id
        );
        for path in &cases {
            let text = std::fs::read_to_string(path).unwrap();
            let found = findings_of(meta, &text);
            let file = name(path);
            if file.starts_with("fail-") && found.is_empty() {
                failures.push(format!("{}/{file}: expected a finding, got none", meta.id));
            }
            // `fail-<what>.<severity>.json`: the rule's most severe finding has that severity,
            // so a case pins how bad the class is, not only that it is seen.
            if let Some(expected) = expected_severity(&file) {
                let worst = found.iter().map(|f| f.severity).max();
                if file.starts_with("fail-") && worst != Some(expected) {
                    failures.push(format!(
                        "{}/{file}: expected severity {expected}, got {worst:?}",
                        meta.id
                    ));
                }
            }
            if file.starts_with("pass-") && !found.is_empty() {
                failures.push(format!(
                    "{}/{file}: expected no finding, got {:?}",
                    meta.id, found[0].title
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "corpus failures:\n{}",
        failures.join("\n")
    );
}

/// The severity a corpus file name ends in (`fail-split.critical.json`), if any.
fn expected_severity(file: &str) -> Option<policy_guard::Severity> {
    let stem = file.strip_suffix(".json")?;
    let (_, suffix) = stem.rsplit_once('.')?;
    Some(match suffix {
        "critical" => policy_guard::Severity::Critical,
        "high" => policy_guard::Severity::High,
        "medium" => policy_guard::Severity::Medium,
        "low" => policy_guard::Severity::Low,
        "info" => policy_guard::Severity::Info,
        other => panic!("{file}: `{other}` is not a severity"),
    })
}

#[test]
fn corpus_directories_name_existing_rules() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let entry = entry.unwrap();
        // The folder's README.md says how cases are read; only folders name rules.
        if !entry.path().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            RULES.iter().any(|r| r.meta().id == name),
            "tests/corpus/{name} names no rule"
        );
    }
}

#[test]
fn every_document_kind_has_rules() {
    for kind in [
        DocumentKind::Identity,
        DocumentKind::Trust,
        DocumentKind::Resource,
        DocumentKind::FunctionUrlConfig,
    ] {
        assert!(
            RULES.iter().any(|r| r.meta().kinds.contains(&kind)),
            "no rule for {kind:?}"
        );
    }
}

/// `docs/rules.md` is generated from the rule list; `UPDATE_DOCS=1 cargo test` rewrites it.
#[test]
fn rule_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md");
    let generated = policy_guard::rules::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p policy-guard --test rules`"
    );
}
