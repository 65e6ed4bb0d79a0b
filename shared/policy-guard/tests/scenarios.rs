//! The scenario corpus: every `tests/scenarios/<family>/<case>.json` is a request, the policies
//! that apply, and the decision AWS's documentation gives for it (`expected`, with `why` and the
//! `source` page). Every file is decided and every mismatch is reported at once.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::authorize::authorize;
use policy_guard::authorize::scenario::parse_scenario;
use std::path::{Path, PathBuf};

fn case_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            case_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_scenario_decides_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut files = Vec::new();
    case_files(&root, &mut files);
    files.sort();
    assert!(files.len() >= 300, "only {} scenarios", files.len());
    let mut failures = Vec::new();
    for file in &files {
        let name = file
            .strip_prefix(&root)
            .unwrap_or(file)
            .display()
            .to_string();
        let text = std::fs::read_to_string(file).unwrap();
        let scenario = match parse_scenario(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{name}: unreadable: {e}"));
                continue;
            }
        };
        assert!(
            scenario.why.is_some() && scenario.source.is_some(),
            "{name}: no why/source"
        );
        let Some(expected) = &scenario.expected else {
            failures.push(format!("{name}: no `expected`"));
            continue;
        };
        let got = match authorize(&scenario.request(), &scenario.policies()) {
            Ok(got) => got,
            Err(e) => {
                failures.push(format!("{name}: error: {e}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        if got.decision != expected.decision {
            problems.push(format!(
                "decision {:?}, expected {:?}",
                got.decision, expected.decision
            ));
        }
        if let Some(allowed_by) = &expected.allowed_by {
            if &got.allowed_by != allowed_by {
                problems.push(format!(
                    "allowed_by {:?}, expected {:?}",
                    got.allowed_by, allowed_by
                ));
            }
        }
        if let Some(blocked_by) = &expected.blocked_by {
            if &got.blocked_by != blocked_by {
                problems.push(format!(
                    "blocked_by {:?}, expected {:?}",
                    got.blocked_by, blocked_by
                ));
            }
        }
        if let Some(keys) = &expected.missing_context_keys {
            let mut want: Vec<String> = keys.iter().map(|k| k.to_ascii_lowercase()).collect();
            want.sort();
            let mut have: Vec<String> = got
                .missing_context_keys
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect();
            have.sort();
            if want != have {
                problems.push(format!("missing_context_keys {have:?}, expected {want:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios disagree:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
