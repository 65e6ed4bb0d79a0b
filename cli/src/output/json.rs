//! `--format json`: the stable, versioned schema documented in `cli/SCHEMA.md`.
//!
//! Version "1". Every key is always present (`null` when it does not apply); keys may be added
//! within a version, never removed or renamed. Text from inputs is sanitized and bounded.

use super::VERSION;
use crate::model::{FileResult, Item, Note, Origin, Run};
use policy_guard::text::sanitize;
use serde::Serialize;

pub const SCHEMA_VERSION: &str = "1";
const FIELD_MAX: usize = 2048;
const LIST_MAX: usize = 100;

#[derive(Serialize)]
pub struct Output<'a> {
    pub version: &'static str,
    pub tool: Tool,
    pub min_severity: &'static str,
    pub summary: Summary,
    pub findings: Vec<FindingOut<'a>>,
    pub notes: Vec<NoteOut>,
    pub files: Vec<FileOut>,
    pub errors: Vec<ErrorOut>,
    pub suppressed: Vec<SuppressedOut>,
}

#[derive(Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: &'static str,
}

#[derive(Serialize)]
pub struct Summary {
    pub text: String,
    pub findings: usize,
    pub by_severity: BySeverity,
    pub files_checked: usize,
    pub files_clean: usize,
    pub files_skipped: usize,
    pub errors: usize,
    pub notes: usize,
    pub suppressed: usize,
    pub events: Events,
    pub exit_code: u8,
}

#[derive(Serialize)]
pub struct BySeverity {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

#[derive(Serialize)]
pub struct Events {
    pub judged: usize,
    pub failed: usize,
    pub ignored: usize,
}

#[derive(Serialize)]
pub struct FindingOut<'a> {
    pub rule_id: String,
    pub category: &'static str,
    pub severity: &'static str,
    pub title: String,
    pub message: String,
    pub fix: String,
    pub file: String,
    pub line: usize,
    pub kind: Option<&'a str>,
    pub document: Option<String>,
    pub statement_index: Option<usize>,
    pub sid: Option<String>,
    pub pointer: Option<String>,
    pub actions: Vec<String>,
    pub resources: Vec<String>,
    pub constrained_by: Vec<String>,
    pub event_id: Option<String>,
    pub event_name: Option<String>,
}

#[derive(Serialize)]
pub struct NoteOut {
    pub message: String,
    pub file: String,
    pub line: usize,
    pub document: Option<String>,
    pub event_id: Option<String>,
    pub event_name: Option<String>,
}

#[derive(Serialize)]
pub struct FileOut {
    pub file: String,
    pub kind: Option<&'static str>,
    pub status: &'static str,
    pub findings: usize,
    pub notes: usize,
    pub reason: Option<String>,
}

#[derive(Serialize)]
pub struct ErrorOut {
    pub file: String,
    pub message: String,
}

#[derive(Serialize)]
pub struct SuppressedOut {
    pub file: String,
    pub rule_id: String,
    pub reason: String,
}

fn bounded(text: &str) -> String {
    sanitize(text, FIELD_MAX)
}

fn opt(text: Option<&String>) -> Option<String> {
    text.map(|t| bounded(t))
}

fn list(items: &[String]) -> Vec<String> {
    items.iter().take(LIST_MAX).map(|s| bounded(s)).collect()
}

pub fn build(run: &Run) -> Output<'_> {
    let count =
        |s: policy_guard::Severity| run.items().filter(|(_, i)| i.finding.severity == s).count();
    let events = run.events();
    Output {
        version: SCHEMA_VERSION,
        tool: Tool {
            name: "policy-guard",
            version: VERSION,
        },
        min_severity: run.min_severity.as_str(),
        summary: Summary {
            text: run.summary_line(),
            findings: run.finding_count(),
            by_severity: BySeverity {
                critical: count(policy_guard::Severity::Critical),
                high: count(policy_guard::Severity::High),
                medium: count(policy_guard::Severity::Medium),
                low: count(policy_guard::Severity::Low),
                info: count(policy_guard::Severity::Info),
            },
            files_checked: run.checked_count(),
            files_clean: run.clean_count(),
            files_skipped: run.skipped_count(),
            errors: run.error_count(),
            notes: run.note_count(),
            suppressed: run.suppressed_count(),
            events: Events {
                judged: events.judged,
                failed: events.failed,
                ignored: events.ignored,
            },
            exit_code: run.exit_code(),
        },
        findings: run.items().map(|(f, i)| finding(f, i)).collect(),
        notes: run
            .files
            .iter()
            .flat_map(|f| f.notes.iter().map(move |n| note(f, n)))
            .collect(),
        files: run.files.iter().map(file).collect(),
        errors: run
            .files
            .iter()
            .filter_map(|f| {
                f.error.as_ref().map(|e| ErrorOut {
                    file: bounded(&f.path),
                    message: bounded(e),
                })
            })
            .collect(),
        suppressed: run
            .files
            .iter()
            .flat_map(|f| {
                f.suppressed.iter().map(move |s| SuppressedOut {
                    file: bounded(&f.path),
                    rule_id: sanitize(&s.rule_id, 80),
                    reason: bounded(&s.reason),
                })
            })
            .collect(),
    }
}

pub fn finding<'a>(file: &'a FileResult, item: &'a Item) -> FindingOut<'a> {
    let f = &item.finding;
    let origin: &Origin = &item.origin;
    let kind = origin
        .document_kind
        .map(|k| k.as_str())
        .or_else(|| file.kind.map(|k| k.as_str()));
    FindingOut {
        rule_id: sanitize(&f.rule_id, 80),
        category: crate::model::category_name(f),
        severity: f.severity.as_str(),
        title: bounded(&f.title),
        message: sanitize(&f.message, FIELD_MAX * 2),
        fix: sanitize(&f.fix, FIELD_MAX * 2),
        file: bounded(&file.path),
        line: origin.line,
        kind,
        document: opt(origin.document.as_ref()),
        statement_index: f.location.statement_index,
        sid: opt(f.location.sid.as_ref()),
        pointer: (!f.location.pointer.is_empty()).then(|| sanitize(&f.location.pointer, 200)),
        actions: list(&f.actions),
        resources: list(&f.resources),
        constrained_by: list(&f.constrained_by),
        event_id: opt(origin.event_id.as_ref()),
        event_name: opt(origin.event_name.as_ref()),
    }
}

fn note(file: &FileResult, note: &Note) -> NoteOut {
    NoteOut {
        message: bounded(&note.message),
        file: bounded(&file.path),
        line: note.origin.line,
        document: opt(note.origin.document.as_ref()),
        event_id: opt(note.origin.event_id.as_ref()),
        event_name: opt(note.origin.event_name.as_ref()),
    }
}

fn file(f: &FileResult) -> FileOut {
    let status = if f.error.is_some() {
        "error"
    } else if f.skipped.is_some() {
        "skipped"
    } else if f.items.is_empty() {
        "clean"
    } else {
        "findings"
    };
    FileOut {
        file: bounded(&f.path),
        kind: f.kind.map(|k| k.as_str()),
        status,
        findings: f.items.len(),
        notes: f.notes.len(),
        reason: f.error.as_ref().or(f.skipped.as_ref()).map(|r| bounded(r)),
    }
}

pub fn render(run: &Run) -> String {
    serde_json::to_string_pretty(&build(run)).unwrap_or_else(|e| {
        format!("{{\"version\":\"{SCHEMA_VERSION}\",\"error\":\"cannot serialize: {e}\"}}")
    })
}
