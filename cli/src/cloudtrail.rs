//! Backtest: every permission-changing event of a CloudTrail input judged exactly as the guard
//! judges it (`change::parse_event`, the references resolved, `change::judge`). The events
//! come from `policy_guard_inputs::cloudtrail`.

use crate::judge::Checker;
use crate::locate::{element_lines, Step};
use crate::model::{FileResult, Item, Note, Origin};
use policy_guard::change::{judge, parse_event, EventOutcome, Resolved, Verdict};
use policy_guard_inputs::cloudtrail::{events, EventArray};
use serde_json::Value;

pub fn check(checker: &mut Checker, value: &Value, text: &str, result: &mut FileResult) {
    let read = match events(value) {
        Ok(read) => read,
        Err(error) => {
            result.error = Some(error.to_string());
            return;
        }
    };
    let lines = match read.array {
        EventArray::Whole => Vec::new(),
        array => {
            let path: Vec<Step> = array
                .key()
                .map(|k| Step::Key(k.into()))
                .into_iter()
                .collect();
            element_lines(text, &path)
        }
    };
    for (i, event) in read.events.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        judge_event(checker, event, line, result);
    }
}

/// Whether a verdict's note says a referenced policy was not resolved: such a note gets a
/// hint when no `--policies` was given. The one place the note's wording is relied on.
fn is_unresolved_reference(note: &str) -> bool {
    note.ends_with("was not resolved.")
}

fn judge_event(checker: &mut Checker, event: &Value, line: usize, result: &mut FileResult) {
    let verdict = match parse_event(event) {
        EventOutcome::Change(mut change) => {
            if let Some(account) = &checker.account {
                change.context.account = Some(account.clone());
            }
            let references = change.references();
            let resolved = match checker.policies.as_mut() {
                Some(dir) => dir.resolve_all(&references),
                // Nothing resolved: the verdict says so in a note, never a silent pass.
                None => Resolved::new(),
            };
            judge(&change, &resolved, &checker.config)
        }
        EventOutcome::Malformed { context, error } => {
            // As the guard does: a malformed-event finding, and the parse error as a note.
            let mut verdict = Verdict::malformed(context, &error, &checker.config);
            verdict.notes.push(format!("Parse error: {error}"));
            verdict
        }
        EventOutcome::Failed { .. } => {
            result.events.failed += 1;
            return;
        }
        EventOutcome::Ignored { .. } => {
            result.events.ignored += 1;
            return;
        }
    };
    result.events.judged += 1;
    let base = Origin {
        document: None,
        document_kind: None,
        event_id: verdict.context.event_id.clone(),
        event_name: verdict.context.event_name.clone(),
        line,
    };
    for judged in verdict.findings {
        result.items.push(Item {
            finding: judged.finding,
            origin: Origin {
                document: Some(judged.document),
                ..base.clone()
            },
        });
    }
    if !verdict.new_access.is_empty() {
        let compared = verdict
            .compared_with
            .as_deref()
            .unwrap_or("the previous version");
        result.notes.push(Note {
            message: format!(
                "New access compared with {compared}: {}",
                verdict.new_access.join("; ")
            ),
            origin: base.clone(),
        });
    }
    let unresolvable = checker.policies.is_none();
    for mut note in verdict.notes {
        if unresolvable && is_unresolved_reference(&note) {
            note.push_str(" Pass --policies DIR to resolve policy ARNs.");
        }
        result.notes.push(Note {
            message: note,
            origin: base.clone(),
        });
    }
    result.suppressed.extend(verdict.suppressed);
}
