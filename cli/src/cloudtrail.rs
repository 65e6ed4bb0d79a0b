//! Backtest: every permission-changing event of a CloudTrail input judged exactly as the guard
//! judges it (`change::parse_event`, the references resolved, `change::judge`).

use crate::check::Checker;
use crate::locate::{element_lines, Step};
use crate::model::{FileResult, Item, Note, Origin};
use policy_guard::change::{parse_event, EventOutcome, OutcomeKind};
use policy_guard::judge::{judge_outcome, Judgement, Note as VerdictNote, Resolved};
use serde_json::Value;

/// One event of the input.
struct Entry<'a> {
    event: std::borrow::Cow<'a, Value>,
}

pub fn check(checker: &mut Checker, value: &Value, text: &str, result: &mut FileResult) {
    let entries = match entries(value) {
        Ok(entries) => entries,
        Err(error) => {
            result.error = Some(error);
            return;
        }
    };
    let lines = match value {
        Value::Object(object) if object.get("Records").is_some_and(Value::is_array) => {
            element_lines(text, &[Step::Key("Records".into())])
        }
        Value::Object(object) if object.get("Events").is_some_and(Value::is_array) => {
            element_lines(text, &[Step::Key("Events".into())])
        }
        Value::Array(_) => element_lines(text, &[]),
        _ => Vec::new(),
    };
    for (i, entry) in entries.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        judge_event(checker, &entry.event, line, result);
    }
}

fn list(items: &[Value]) -> Vec<Entry<'_>> {
    items
        .iter()
        .map(|event| Entry {
            event: std::borrow::Cow::Borrowed(event),
        })
        .collect()
}

fn entries(value: &Value) -> Result<Vec<Entry<'_>>, String> {
    match value {
        // A CloudTrail log file.
        Value::Object(object) if object.get("Records").is_some_and(Value::is_array) => {
            match object.get("Records") {
                Some(Value::Array(records)) => Ok(list(records)),
                _ => Ok(Vec::new()),
            }
        }
        // `aws cloudtrail lookup-events`: each record is a JSON string in `CloudTrailEvent`.
        Value::Object(object) if object.get("Events").is_some_and(Value::is_array) => {
            let Some(Value::Array(events)) = object.get("Events") else {
                return Ok(Vec::new());
            };
            Ok(events
                .iter()
                .map(|event| {
                    let record = match event.get("CloudTrailEvent") {
                        Some(Value::String(text)) => {
                            serde_json::from_str(text).unwrap_or(Value::Null)
                        }
                        _ => event.clone(),
                    };
                    Entry {
                        event: std::borrow::Cow::Owned(record),
                    }
                })
                .collect())
        }
        Value::Array(items) => Ok(list(items)),
        Value::Object(_) => Ok(vec![Entry {
            event: std::borrow::Cow::Borrowed(value),
        }]),
        _ => Err(
            "not a CloudTrail record, EventBridge event or CloudTrail log file (an object)"
                .to_string(),
        ),
    }
}

fn judge_event(checker: &mut Checker, event: &Value, line: usize, result: &mut FileResult) {
    let mut outcome = parse_event(event);
    let mut resolved = Resolved::new();
    if let EventOutcome::Change(change) = &mut outcome {
        if let Some(account) = &checker.account {
            change.context.account = Some(account.clone());
        }
        let references = change.references();
        // Nothing resolved without --policies: the verdict says so in a note, never a silent pass.
        if let Some(dir) = checker.policies.as_mut() {
            resolved = dir.resolve_all(&references);
        }
    }
    // As the guard does: a malformed event is a malformed-event finding with the parse error as
    // a note; a failed call or an unwatched event is counted, not judged.
    let verdict = match judge_outcome(outcome, &resolved, &checker.config) {
        Judgement::Judged { verdict, .. } => verdict,
        Judgement::Unjudged { outcome, .. } => {
            if outcome == OutcomeKind::Failed {
                result.events.failed += 1;
            } else {
                result.events.ignored += 1;
            }
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
    for note in verdict.notes {
        let mut message = note.to_string();
        if unresolvable && matches!(note, VerdictNote::UnresolvedReference { .. }) {
            message.push_str(" Pass --policies DIR to resolve policy ARNs.");
        }
        result.notes.push(Note {
            message,
            origin: base.clone(),
        });
    }
    result.suppressed.extend(verdict.suppressed);
}
