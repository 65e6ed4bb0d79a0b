//! Backtest: every permission-changing event of a CloudTrail input judged exactly as the guard
//! judges it (`change::parse_event`, the references resolved, `change::judge`). The events
//! come from `policy_guard_inputs::cloudtrail`.

use crate::judge::Checker;
use crate::locate::{element_lines, Step};
use crate::model::{plural, FileResult, Item, Note, Origin, Unresolved};
use policy_guard::change::{parse_event, EventOutcome, OutcomeKind, Reference};
use policy_guard::judge::{judge_outcome, Judgement, Note as VerdictNote, Resolved};
use policy_guard::text::quoted;
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
    // The accounts the judged events happened in, when --account does not set one: said once
    // per file, so a reader knows which account was home.
    let mut accounts: Vec<String> = Vec::new();
    let mut without_account = 0usize;
    for (i, event) in read.events.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1);
        match judge_event(checker, event, line, result) {
            Some(Some(account)) if !accounts.contains(&account) => accounts.push(account),
            Some(None) => without_account += 1,
            _ => {}
        }
    }
    if checker.account.is_some() {
        return;
    }
    if !accounts.is_empty() {
        let listed: Vec<String> = accounts.iter().take(5).map(|a| quoted(a)).collect();
        Checker::note(
            result,
            format!(
                "Each event was judged in its own account (recipientAccountId): {}{}; pass \
                 --account to set it.",
                listed.join(", "),
                if accounts.len() > 5 { ", ..." } else { "" }
            ),
            Origin {
                line: 1,
                ..Origin::default()
            },
        );
    }
    if without_account > 0 {
        Checker::note(
            result,
            format!(
                "{without_account} event{} had no recipientAccountId and no --account was given: \
                 every account a principal names is reported as another account.",
                plural(without_account)
            ),
            Origin {
                line: 1,
                ..Origin::default()
            },
        );
    }
}

/// Judges one event; `Some(account)` for a judged one (the account it was judged in).
fn judge_event(
    checker: &mut Checker,
    event: &Value,
    line: usize,
    result: &mut FileResult,
) -> Option<Option<String>> {
    boundary_reference(event, result);
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
            return None;
        }
    };
    let account = verdict.context.account.clone();
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
        // Not resolved at all, or asked for and missing (`--policies` without the file, a
        // customer-managed ARN the embedded snapshot cannot have).
        let (reference, missing) = match &note {
            VerdictNote::UnresolvedReference { reference } => (reference, false),
            VerdictNote::MissingDocument { reference, .. } => (reference, true),
            _ => {
                result.notes.push(Note {
                    message,
                    origin: base.clone(),
                });
                continue;
            }
        };
        if unresolvable && !missing {
            message.push_str(" Pass --policies DIR to resolve policy ARNs.");
        }
        if matches!(reference, Reference::PreviousVersion { .. }) {
            // Only says which access is new: the document in force was judged.
            result.notes.push(Note {
                message,
                origin: base.clone(),
            });
        } else {
            // What the event put in force was not judged: fails closed under
            // --on-unresolved fail.
            checker.unresolved(result, Unresolved::Policy, message, base.clone());
        }
    }
    result.suppressed.extend(verdict.suppressed);
    Some(account)
}

/// A permissions boundary an event sets by ARN (`CreateRole`, `CreateUser`,
/// `Put{Role,User}PermissionsBoundary`), recorded so a policy file of the run with that name
/// is judged as a boundary. Failed calls count too: the intent is what names the file's role.
fn boundary_reference(event: &Value, result: &mut FileResult) {
    // A CloudTrail record, or an EventBridge event around one.
    let record = event.get("detail").unwrap_or(event);
    let Some(arn) = record
        .pointer("/requestParameters/permissionsBoundary")
        .and_then(Value::as_str)
    else {
        return;
    };
    let Some(name) = arn.rsplit('/').next().filter(|n| !n.is_empty()) else {
        return;
    };
    let event_name = record
        .get("eventName")
        .and_then(Value::as_str)
        .unwrap_or("an event");
    let id = record
        .get("eventID")
        .and_then(Value::as_str)
        .unwrap_or("(no id)");
    result
        .boundary_refs
        .push((name.to_string(), format!("event {id} ({event_name})")));
}
