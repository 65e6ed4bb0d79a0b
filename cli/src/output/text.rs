//! rustc/clippy-style diagnostics.
//!
//! ```text
//! error[admin-access]: every action granted on every resource (critical)
//!   --> policies/admin.json:4: Statement[0] (Sid "Admin")
//!    = note: ...why it matters
//!    = help: ...the fix
//! ```
//! `error` for critical and high, `warning` for medium, `note` for low and info; the severity
//! itself is in parentheses. Everything that came from an input is sanitized.

use super::Style;
use crate::model::{FileResult, Item, Note, Origin, Run};
use policy_guard::text::sanitize;
use policy_guard::Severity;
use std::fmt::Write as _;

const LINE_MAX: usize = 300;
const PARAGRAPH_MAX: usize = 4000;

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// One file's findings, notes and skip reason. The text output is these in file order,
/// then [`summary`].
pub fn render_file(out: &mut String, file: &FileResult, style: Style) {
    for item in &file.items {
        finding(out, file, item, style);
    }
    for note in &file.notes {
        file_note(out, file, note, style);
    }
    if let Some(reason) = &file.skipped {
        let _ = writeln!(
            out,
            "{}: skipped {}: {}\n",
            style.paint("note", Style::NOTE),
            sanitize(&file.path, LINE_MAX),
            sanitize(reason, LINE_MAX)
        );
    }
}

/// The closing summary line.
pub fn summary(run: &Run, style: Style) -> String {
    format!("{}\n", style.paint(&run.summary_line(), Style::BOLD))
}

pub fn finding(out: &mut String, file: &FileResult, item: &Item, style: Style) {
    let f = &item.finding;
    let level_word = level(f.severity);
    let color = match level_word {
        "error" => Style::ERROR,
        "warning" => Style::WARNING,
        _ => Style::NOTE,
    };
    let _ = writeln!(
        out,
        "{}{}: {} ({})",
        style.paint(level_word, color),
        style.paint(&format!("[{}]", sanitize(&f.rule_id, 80)), color),
        style.paint(&sanitize(&f.title, LINE_MAX), Style::BOLD),
        f.severity
    );
    let _ = writeln!(
        out,
        "  {} {}",
        style.paint("-->", Style::ARROW),
        location(file, &item.origin, Some(&f.location))
    );
    let _ = writeln!(
        out,
        "   {} note: {}",
        style.paint("=", Style::ARROW),
        sanitize(&f.message, PARAGRAPH_MAX)
    );
    let _ = writeln!(
        out,
        "   {} help: {}",
        style.paint("=", Style::ARROW),
        sanitize(&f.fix, PARAGRAPH_MAX)
    );
    out.push('\n');
}

fn file_note(out: &mut String, file: &FileResult, note: &Note, style: Style) {
    let _ = writeln!(
        out,
        "{}: {}",
        style.paint("note", Style::NOTE),
        sanitize(&note.message, PARAGRAPH_MAX)
    );
    let _ = writeln!(
        out,
        "  {} {}",
        style.paint("-->", Style::ARROW),
        location(file, &note.origin, None)
    );
    out.push('\n');
}

/// `path:line: document, event ID (Name), Statement[0] (Sid "X")`.
pub fn location(
    file: &FileResult,
    origin: &Origin,
    at: Option<&policy_guard::policy::Location>,
) -> String {
    let mut text = format!("{}:{}", sanitize(&file.path, LINE_MAX), origin.line);
    let mut parts: Vec<String> = Vec::new();
    if origin.event_id.is_some() || origin.event_name.is_some() {
        let id = origin.event_id.as_deref().unwrap_or("(no id)");
        let mut event = format!("event {}", sanitize(id, 100));
        if let Some(name) = &origin.event_name {
            let _ = write!(event, " ({})", sanitize(name, 100));
        }
        parts.push(event);
    }
    if let Some(document) = &origin.document {
        parts.push(sanitize(document, LINE_MAX));
    }
    if let Some(location) = at {
        if !location.pointer.is_empty() {
            let mut pointer = sanitize(&location.pointer, 200);
            if let Some(sid) = &location.sid {
                let _ = write!(pointer, " (Sid {:?})", sanitize(sid, 100));
            }
            parts.push(pointer);
        }
    }
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&parts.join(", "));
    }
    text
}
