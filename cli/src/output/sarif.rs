//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning takes it.
//!
//! One run; `tool.driver.rules` is every rule of the engine (generated from `RULES`, in its
//! order, so `ruleIndex` is the position there) with its documentation as help markdown and
//! `properties.security-severity` for GitHub's severity column. Each result points at the file
//! (a relative URI) and the line of its statement, Terraform resource or CloudTrail record.

use super::{INFORMATION_URI, VERSION};
use crate::model::{
    category_name, FileResult, Item, Run, UNRESOLVED_DOCS, UNRESOLVED_REFERENCE,
    UNRESOLVED_SEVERITY, UNRESOLVED_SUMMARY,
};
use policy_guard::rules::{RuleMeta, RULES};
use policy_guard::text::sanitize;
use policy_guard::Severity;
use serde_json::{json, Value};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// SARIF `level`: critical and high are errors, medium warnings, low and info notes.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity`: over 9.0 critical, 7.0–8.9 high, 4.0–6.9 medium, else low.
pub fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// `admin-access` → `AdminAccess`.
fn pascal(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// The first paragraph under `### What it does`, else the summary.
fn full_description(meta: &RuleMeta) -> String {
    let marker = "### What it does";
    let Some(start) = meta.docs.find(marker) else {
        return meta.summary.to_string();
    };
    let body = meta.docs.get(start + marker.len()..).unwrap_or_default();
    let paragraph: Vec<&str> = body
        .trim_start()
        .lines()
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("###"))
        .map(str::trim)
        .collect();
    if paragraph.is_empty() {
        meta.summary.to_string()
    } else {
        paragraph.join(" ")
    }
}

/// The rule's section of `docs/rules.md` in the repository, where each rule is a `## <id>`
/// heading.
fn help_uri(meta: &RuleMeta) -> String {
    format!(
        "{INFORMATION_URI}/blob/main/docs/rules.md#{}",
        heading_anchor(meta.id)
    )
}

/// The anchor GitHub gives a Markdown heading: lowercased, spaces as hyphens, every other
/// character but letters, digits, `-` and `_` dropped.
fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn rule(meta: &RuleMeta) -> Value {
    let docs = super::rule_docs(meta);
    json!({
        "id": meta.id,
        "name": pascal(meta.id),
        "shortDescription": {"text": meta.summary},
        "fullDescription": {"text": full_description(meta)},
        "help": {"text": docs, "markdown": docs},
        "helpUri": help_uri(meta),
        "defaultConfiguration": {"level": level(meta.severity)},
        "properties": {
            "tags": ["security", meta.category.as_str()],
            "security-severity": security_severity(meta.severity),
            "precision": "high",
            "problem.severity": level(meta.severity),
        },
    })
}

/// A relative URI for a path: `/` separators, percent-encoding of what a URI cannot hold.
pub fn uri(path: &str) -> String {
    uri_of_bytes(path.as_bytes())
}

/// The URI of a file's artifact: of its path's own bytes when they are not UTF-8 (a file
/// found by walking a directory), so the URI names exactly that file; else of [`uri`].
pub fn file_uri(file: &FileResult) -> String {
    match &file.os_path {
        Some(path) if path.to_str().is_none() => uri_of_bytes(&path_bytes(path)),
        _ => uri(&file.path),
    }
}

#[cfg(unix)]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = path.as_os_str().as_bytes();
    let mut bytes = bytes;
    while let Some(rest) = bytes.strip_prefix(b"./") {
        bytes = rest;
    }
    bytes.to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &std::path::Path) -> Vec<u8> {
    crate::input::display_path(path).into_bytes()
}

fn uri_of_bytes(path: &[u8]) -> String {
    let path = match std::env::current_dir() {
        Ok(cwd) => {
            let mut prefix = path_bytes(&cwd);
            prefix.push(b'/');
            path.strip_prefix(prefix.as_slice()).unwrap_or(path)
        }
        Err(_) => path,
    };
    let mut out = String::with_capacity(path.len());
    for &byte in path {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    if out.starts_with('/') {
        format!("file://{out}")
    } else if out == "-" {
        "stdin".to_string()
    } else {
        out
    }
}

/// FNV-1a, 64 bits: a stable fingerprint without a hashing dependency.
fn fnv1a(parts: &[&str]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0u8)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn result(file: &FileResult, item: &Item) -> Value {
    let f = &item.finding;
    // The CLI's own `unresolved-reference` entry follows the engine's rules.
    let rule_index = RULES
        .iter()
        .position(|r| r.meta().id == f.rule_id)
        .or_else(|| (f.rule_id == UNRESOLVED_REFERENCE).then_some(RULES.len()));
    let mut where_parts: Vec<String> = Vec::new();
    if let Some(id) = &item.origin.event_id {
        let mut event = format!("event {}", sanitize(id, 100));
        if let Some(name) = &item.origin.event_name {
            event.push_str(&format!(" ({})", sanitize(name, 100)));
        }
        where_parts.push(event);
    }
    if let Some(document) = &item.origin.document {
        where_parts.push(sanitize(document, 300));
    }
    if !f.location.pointer.is_empty() {
        where_parts.push(sanitize(&f.location.pointer, 200));
    }
    let mut text = format!(
        "{}. {}",
        sanitize(&f.title, 300),
        sanitize(&f.message, 4000)
    );
    if !where_parts.is_empty() {
        text.push_str(&format!(" (In {}.)", where_parts.join(", ")));
    }
    text.push_str(&format!(" Fix: {}", sanitize(&f.fix, 4000)));
    let fingerprint = fnv1a(&[
        &f.rule_id,
        &file.path,
        item.origin.document.as_deref().unwrap_or(""),
        item.origin.event_id.as_deref().unwrap_or(""),
        &f.location.pointer,
        &f.title,
    ]);
    let mut logical = Vec::new();
    if let Some(document) = &item.origin.document {
        logical.push(json!({"fullyQualifiedName": sanitize(document, 300), "kind": "resource"}));
    }
    let mut location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": file_uri(file)},
            "region": {"startLine": item.origin.line.max(1)},
        },
    });
    if !logical.is_empty() {
        if let Some(object) = location.as_object_mut() {
            object.insert("logicalLocations".into(), Value::Array(logical));
        }
    }
    let mut out = json!({
        "ruleId": sanitize(&f.rule_id, 80),
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"policyGuardFindingHash/v1": fingerprint},
        "properties": {
            "severity": f.severity.as_str(),
            "category": category_name(f),
            "security-severity": security_severity(f.severity),
        },
    });
    if let (Some(index), Some(object)) = (rule_index, out.as_object_mut()) {
        object.insert("ruleIndex".into(), json!(index));
    }
    out
}

/// The SARIF rule entry of `unresolved-reference`, the CLI's verdict on a reference it could
/// not resolve (`--on-unresolved fail`): after the engine's rules.
fn unresolved_rule() -> Value {
    let docs = UNRESOLVED_DOCS;
    json!({
        "id": UNRESOLVED_REFERENCE,
        "name": pascal(UNRESOLVED_REFERENCE),
        "shortDescription": {"text": UNRESOLVED_SUMMARY},
        "fullDescription": {"text": UNRESOLVED_SUMMARY},
        "help": {"text": docs, "markdown": docs},
        "helpUri": format!("{INFORMATION_URI}/blob/main/cli/README.md#unresolved-references"),
        "defaultConfiguration": {"level": level(UNRESOLVED_SEVERITY)},
        "properties": {
            "tags": ["security", UNRESOLVED_REFERENCE],
            "security-severity": security_severity(UNRESOLVED_SEVERITY),
            "precision": "high",
            "problem.severity": level(UNRESOLVED_SEVERITY),
        },
    })
}

pub fn build(run: &Run) -> Value {
    let mut rules: Vec<Value> = RULES.iter().map(|r| rule(r.meta())).collect();
    rules.push(unresolved_rule());
    let results: Vec<Value> = run.items().map(|(f, i)| result(f, i)).collect();
    let notifications: Vec<Value> = run
        .files
        .iter()
        .filter_map(|f| {
            f.error.as_ref().map(|e| {
                json!({
                    "level": "error",
                    "message": {"text": format!("{}: {}", sanitize(&f.path, 300), sanitize(e, 2000))},
                    "locations": [{"physicalLocation": {"artifactLocation": {"uri": file_uri(f)}}}],
                })
            })
        })
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "policy-guard",
                "version": VERSION,
                "semanticVersion": VERSION,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": run.error_count() == 0,
                "exitCode": run.exit_code(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}

pub fn render(run: &Run) -> String {
    serde_json::to_string_pretty(&build(run)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(pascal("admin-access"), "AdminAccess");
        assert_eq!(uri("a b/c.json"), "a%20b/c.json");
        assert_eq!(uri("-"), "stdin");
        assert_eq!(fnv1a(&["a"]), fnv1a(&["a"]));
        assert_ne!(fnv1a(&["a", "b"]), fnv1a(&["ab"]));
    }

    /// A file name that is not UTF-8 keeps its bytes in the URI, percent-encoded; the
    /// display path's replacement character would name another file.
    #[cfg(unix)]
    #[test]
    fn non_utf8_file_names_keep_their_bytes() {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"dir/caf\xe9 \xff.json");
        let path = std::path::PathBuf::from(name);
        let mut file = FileResult::new(&crate::input::display_path(&path));
        file.os_path = Some(path);
        assert_eq!(file_uri(&file), "dir/caf%E9%20%FF.json");
        assert_eq!(uri(&file.path), "dir/caf%EF%BF%BD%20%EF%BF%BD.json");
        let plain = FileResult::new("a b.json");
        assert_eq!(file_uri(&plain), "a%20b.json");
    }

    #[test]
    fn heading_anchors_as_github_makes_them() {
        assert_eq!(heading_anchor("admin-access"), "admin-access");
        assert_eq!(heading_anchor(" What it does "), "what-it-does");
        assert_eq!(
            heading_anchor("`Allow` with NotAction!"),
            "allow-with-notaction"
        );
    }

    /// Every rule's `helpUri` lands on a heading of docs/rules.md (a renamed rule or a
    /// regenerated document without it would leave code scanning pointing at nothing).
    #[test]
    fn every_help_uri_names_a_heading_of_the_rules_document() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/rules.md");
        let rules_md = std::fs::read_to_string(path).unwrap();
        let anchors: std::collections::BTreeSet<String> = rules_md
            .lines()
            .filter_map(|line| line.strip_prefix('#'))
            .map(|heading| heading_anchor(heading.trim_start_matches('#')))
            .collect();
        let prefix = format!("{INFORMATION_URI}/blob/main/docs/rules.md#");
        assert!(!RULES.is_empty());
        for rule in RULES {
            let uri = help_uri(rule.meta());
            let anchor = uri.strip_prefix(&prefix).unwrap();
            assert!(
                anchors.contains(anchor),
                "{uri}: no such heading in docs/rules.md"
            );
        }
    }
}
