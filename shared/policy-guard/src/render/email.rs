//! The readable text of a verdict: the `email` body, and the finding blocks the CLI can reuse.

use super::severity_counts;
use crate::change::{JudgedFinding, Verdict};
use crate::policy::Location;
use crate::report::Finding;
use crate::text::sanitize;
use std::fmt::Write;

/// Bounds for one line of context and one paragraph of a finding.
const LINE_MAX: usize = 300;
const PARAGRAPH_MAX: usize = 2000;
const NOTES_MAX: usize = 20;
const NEW_ACCESS_MAX: usize = 40;

/// The email body: who, what, when, where, then each finding (the first `keep` in full, a count
/// of the rest), the new access, notes and suppressions.
pub fn email_text(verdict: &Verdict, keep: usize) -> String {
    let mut out = String::new();
    let context = &verdict.context;
    let line = |value: Option<&String>| match value {
        Some(v) => sanitize(v, LINE_MAX),
        None => "unknown".to_string(),
    };
    let total = verdict.findings.len();
    let headline = match verdict.highest_severity() {
        Some(severity) => format!(
            "policy-guard found {total} problem{} (highest: {}) in a permission change.",
            if total == 1 { "" } else { "s" },
            severity.as_str().to_ascii_uppercase()
        ),
        None => "policy-guard has notes about a permission change.".to_string(),
    };
    let _ = writeln!(out, "{headline}\n");
    let _ = writeln!(
        out,
        "  What:   {} ({})",
        sanitize(&verdict.summary, LINE_MAX),
        line(context.event_name.as_ref())
    );
    let mut who = line(context.actor_arn.as_ref());
    if let Some(kind) = &context.actor_type {
        let _ = write!(who, " ({})", sanitize(kind, 40));
    }
    if let Some(issuer) = &context.actor_issuer_arn {
        let _ = write!(who, " via {}", sanitize(issuer, LINE_MAX));
    }
    if let Some(service) = &context.invoked_by {
        let _ = write!(who, " invoked by {}", sanitize(service, 100));
    }
    let _ = writeln!(out, "  Who:    {who}");
    let _ = writeln!(
        out,
        "  From:   {}, {}",
        line(context.source_ip.as_ref()),
        line(context.user_agent.as_ref())
    );
    let _ = writeln!(out, "  When:   {}", line(context.event_time.as_ref()));
    let _ = writeln!(
        out,
        "  Where:  account {}, region {}",
        line(context.account.as_ref()),
        line(context.region.as_ref())
    );
    let _ = writeln!(out, "  Event:  {}", line(context.event_id.as_ref()));

    for (index, judged) in verdict.findings.iter().take(keep).enumerate() {
        let _ = write!(out, "\n{}. {}", index + 1, finding_text(judged));
    }
    let omitted = &verdict.findings.get(keep..).unwrap_or_default();
    if !omitted.is_empty() {
        let counts: Vec<String> = severity_counts(omitted.iter().map(|f| &f.finding.severity))
            .into_iter()
            .map(|(severity, n)| format!("{n} {severity}"))
            .collect();
        let mut rules: Vec<&str> = Vec::new();
        for judged in omitted.iter() {
            if !rules.contains(&judged.finding.rule_id.as_str()) {
                rules.push(&judged.finding.rule_id);
            }
        }
        let _ = writeln!(
            out,
            "\n{} more findings not shown ({}; rules: {}). The message was summarised to fit \
             SNS's size limit: check the document with `policy-guard check` for the full list.",
            omitted.len(),
            counts.join(", "),
            sanitize(&rules.join(", "), PARAGRAPH_MAX)
        );
    }
    if !verdict.new_access.is_empty() {
        let against = verdict
            .compared_with
            .as_deref()
            .unwrap_or("the previous version");
        let _ = writeln!(out, "\nNew access compared with {}:", sanitize(against, 40));
        for access in verdict.new_access.iter().take(NEW_ACCESS_MAX) {
            let _ = writeln!(out, "  - {}", sanitize(access, LINE_MAX));
        }
        let more = verdict.new_access.len().saturating_sub(NEW_ACCESS_MAX);
        if more > 0 {
            let _ = writeln!(out, "  - and {more} more");
        }
    }
    if !verdict.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for note in verdict.notes.iter().take(NOTES_MAX) {
            let _ = writeln!(out, "  - {}", sanitize(&note.to_string(), PARAGRAPH_MAX));
        }
        let more = verdict.notes.len().saturating_sub(NOTES_MAX);
        if more > 0 {
            let _ = writeln!(out, "  - and {more} more");
        }
    }
    if !verdict.suppressed.is_empty() {
        let _ = writeln!(out, "\nSuppressed by configuration:");
        for suppressed in verdict.suppressed.iter().take(NOTES_MAX) {
            let _ = writeln!(
                out,
                "  - {}: {}",
                sanitize(&suppressed.rule_id, 80),
                sanitize(&suppressed.reason, LINE_MAX)
            );
        }
        let more = verdict.suppressed.len().saturating_sub(NOTES_MAX);
        if more > 0 {
            let _ = writeln!(out, "  - and {more} more");
        }
    }
    out
}

/// One finding as a block of text (no leading number):
/// severity, rule id and title, then where, why and how to fix it.
pub fn finding_text(judged: &JudgedFinding) -> String {
    let finding: &Finding = &judged.finding;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "[{}] {}: {}",
        finding.severity.as_str().to_ascii_uppercase(),
        sanitize(&finding.rule_id, 80),
        sanitize(&finding.title, LINE_MAX)
    );
    let _ = writeln!(
        out,
        "   In:   {}, {}",
        sanitize(&judged.document, LINE_MAX),
        location_text(&finding.location)
    );
    let _ = writeln!(
        out,
        "   Why:  {}",
        sanitize(&finding.message, PARAGRAPH_MAX)
    );
    let _ = writeln!(out, "   Fix:  {}", sanitize(&finding.fix, PARAGRAPH_MAX));
    out
}

fn location_text(location: &Location) -> String {
    let pointer = if location.pointer.is_empty() {
        "the whole document".to_string()
    } else {
        sanitize(&location.pointer, 200)
    };
    match &location.sid {
        Some(sid) => format!("{pointer} (Sid {})", sanitize(sid, 100)),
        None => pointer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::verdict;

    #[test]
    fn hostile_context_cannot_forge_lines() {
        let mut v = verdict();
        v.context.user_agent = Some("ua\nWhen:   forged\u{1b}[2J".into());
        let text = email_text(&v, usize::MAX);
        assert!(!text.contains("\nWhen:   forged"));
        assert!(!text.contains('\u{1b}'));
    }

    #[test]
    fn location_mentions_the_sid() {
        let location = Location {
            statement_index: Some(1),
            sid: Some("Admin".into()),
            pointer: "Statement[1]".into(),
        };
        assert_eq!(location_text(&location), "Statement[1] (Sid Admin)");
        assert_eq!(location_text(&Location::default()), "the whole document");
    }
}
