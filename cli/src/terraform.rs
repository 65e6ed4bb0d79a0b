//! Terraform plans: what `policy_guard_inputs::terraform` reads from a plan, judged. Documents
//! go to the engine, policies attached by ARN are resolved through `--policies` (unresolved,
//! a note), and values known only after apply are notes, never a silent pass.

use crate::judge::{Checker, Document};
use crate::locate::line_of_address;
use crate::model::{FileResult, Origin, Unresolved};
use policy_guard::text::quoted;
use policy_guard::DocumentKind;
use policy_guard_inputs::terraform::{
    read_plan, AccountSource, AttachedPolicy, DocumentSource, PlanAccount, PlanDocument, PlanItem,
    PlanNote, Treatment, UnknownValue,
};
use serde_json::Value;

pub fn check(checker: &mut Checker, plan: &Value, text: &str, result: &mut FileResult) {
    let reading = read_plan(plan, checker.account.as_deref());
    if let Some(PlanAccount { id, source }) = &reading.account {
        let from = match source {
            AccountSource::Given => None,
            AccountSource::CallerIdentity { address } => {
                Some(format!("the account_id of {address}"))
            }
            AccountSource::Arn { address, attribute } => Some(format!(
                "the ARNs of the plan (the first in {attribute} of {address})"
            )),
        };
        if let Some(from) = from {
            Checker::note(
                result,
                format!(
                    "The documents were judged as living in account {}, from {from}; pass \
                     --account to set it.",
                    quoted(id)
                ),
                Origin {
                    line: 1,
                    ..Origin::default()
                },
            );
        }
    } else {
        Checker::note(
            result,
            "The account the documents live in is unknown (no --account, no \
             aws_caller_identity data source, no one account in the plan's ARNs): every \
             account a principal names is reported as another account."
                .to_string(),
            Origin {
                line: 1,
                ..Origin::default()
            },
        );
    }
    for item in &reading.items {
        match item {
            PlanItem::Document(document) => judge_document(checker, document, text, result),
            PlanItem::Attached(attached) => judge_attached(checker, attached, text, result),
            PlanItem::Note(note) => {
                let origin = Origin {
                    document: Some(note.address().to_string()),
                    line: line_of_address(text, note.address()),
                    ..Origin::default()
                };
                if note.judged() {
                    Checker::note(result, note_message(note), origin);
                } else {
                    // Not judged at all: fails closed under --on-unresolved fail.
                    let what = match note {
                        PlanNote::Attribute {
                            attribute: "policy" | "assume_role_policy" | "json",
                            ..
                        }
                        | PlanNote::InlinePolicy { .. }
                        | PlanNote::Unknown { .. } => Unresolved::KnownAfterApply,
                        _ => Unresolved::ValueAfterApply,
                    };
                    checker.unresolved(result, what, note_message(note), origin);
                }
            }
        }
    }
}

fn judge_document(
    checker: &mut Checker,
    document: &PlanDocument<'_>,
    text: &str,
    result: &mut FileResult,
) {
    let address = &document.address;
    let label = match &document.source {
        DocumentSource::Attribute(name) => format!("{address} ({name})"),
        DocumentSource::InlinePolicy(name) => {
            format!("{address} (inline_policy {})", quoted(name))
        }
        DocumentSource::AddedStatement => format!("{address} (statement Lambda adds)"),
        DocumentSource::FunctionUrl => format!("{address} (function URL)"),
    };
    let arns: Vec<&str> = document.arns.iter().map(String::as_str).collect();
    checker.judge(
        Document {
            text: &document.text,
            kind: document.kind,
            account: document.account.as_deref(),
            arns: &arns,
            origin: Origin {
                document: Some(label),
                document_kind: Some(document.kind),
                line: line_of_address(text, address),
                ..Origin::default()
            },
            file_text: None,
        },
        result,
    );
}

/// A managed policy attached (or used as a boundary) by ARN: resolved through `--policies`;
/// unresolved, a note.
fn judge_attached(
    checker: &mut Checker,
    attached: &AttachedPolicy,
    text: &str,
    result: &mut FileResult,
) {
    let AttachedPolicy {
        address,
        arn,
        kind,
        account,
    } = attached;
    let role = if *kind == DocumentKind::PermissionsBoundary {
        "used as permissions boundary"
    } else {
        "attached"
    };
    if *kind == DocumentKind::PermissionsBoundary {
        if let Some(name) = arn.rsplit('/').next().filter(|n| !n.is_empty()) {
            result
                .boundary_refs
                .push((name.to_string(), address.clone()));
        }
    }
    let line = line_of_address(text, address);
    let note_origin = || Origin {
        document: Some(address.clone()),
        line,
        ..Origin::default()
    };
    let Some(dir) = checker.policies.as_mut() else {
        checker.unresolved(
            result,
            Unresolved::Policy,
            format!(
                "{} {role} by {address} was not checked: pass --policies DIR to resolve policy ARNs.",
                quoted(arn)
            ),
            note_origin(),
        );
        return;
    };
    match dir.default_document(arn) {
        Ok((document, _)) => {
            let arns = [arn.as_str()];
            checker.judge(
                Document {
                    text: &document,
                    kind: *kind,
                    account: account.as_deref(),
                    arns: &arns,
                    origin: Origin {
                        document: Some(format!("{arn} ({role} by {address})")),
                        document_kind: Some(*kind),
                        line,
                        ..Origin::default()
                    },
                    file_text: None,
                },
                result,
            );
        }
        Err(why) => checker.unresolved(
            result,
            Unresolved::Policy,
            format!(
                "{} {role} by {address} could not be resolved: {why}.",
                quoted(arn)
            ),
            note_origin(),
        ),
    }
}

fn note_message(note: &PlanNote) -> String {
    match note {
        PlanNote::Attribute {
            address,
            attribute,
            references,
        } => {
            let from = if references.is_empty() {
                String::new()
            } else {
                let names: Vec<String> = references.iter().map(|r| quoted(r)).collect();
                format!(" (it is built from {})", names.join(", "))
            };
            format!("{attribute} of {address} is known only after apply{from}: not checked.")
        }
        PlanNote::Unknown {
            address,
            attribute,
            data_source,
            values,
            judged,
        } => {
            let described: Vec<String> = values.iter().map(unknown_value).collect();
            let how = if *judged {
                "judged from"
            } else {
                "not checked: nothing is left to judge in"
            };
            format!(
                "{attribute} of {address} is known only after apply: {how} the statement \
                 blocks of {data_source}, with {} unknown value{}: {}.",
                values.len(),
                crate::model::plural(values.len()),
                described.join("; ")
            )
        }
        PlanNote::InlinePolicy { address, name } => format!(
            "The policy of inline_policy {} of {address} is known only after apply: not checked.",
            quoted(name)
        ),
        PlanNote::Attachment { address } => format!(
            "The policy ARN attached by {address} is known only after apply and is not a policy \
             of this plan: not checked."
        ),
        PlanNote::Condition { address, field } => {
            format!("{field} of {address} is known only after apply: checked as present.")
        }
    }
}

/// `statement[0].resources[0] (aws_sqs_queue.q.arn) judged as "arn:aws:sqs:…"`.
fn unknown_value(value: &UnknownValue) -> String {
    let mut text = value.path.clone();
    if let Some(reference) = &value.reference {
        text.push_str(&format!(" ({})", quoted(reference)));
    }
    let treatment = match &value.treatment {
        Treatment::Placeholder(arn) => format!("judged as {}", quoted(arn)),
        Treatment::ConditionPresent => "checked as present".to_string(),
        Treatment::StatementLeftOut => "its statement not judged".to_string(),
        Treatment::DocumentLeftOut => "the document not judged".to_string(),
    };
    format!("{text} {treatment}")
}
