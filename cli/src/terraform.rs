//! Terraform plans: what `policy_guard_inputs::terraform` reads from a plan, judged. Documents
//! go to the engine, policies attached by ARN are resolved through `--policies` (unresolved,
//! a note), and values known only after apply are notes, never a silent pass.

use crate::judge::{Checker, Document};
use crate::locate::line_of_address;
use crate::model::{FileResult, Origin};
use policy_guard::text::quoted;
use policy_guard::DocumentKind;
use policy_guard_inputs::terraform::{
    read_plan, AttachedPolicy, DocumentSource, PlanDocument, PlanItem, PlanNote,
};
use serde_json::Value;

pub fn check(checker: &mut Checker, plan: &Value, text: &str, result: &mut FileResult) {
    let reading = read_plan(plan, checker.account.as_deref());
    for item in &reading.items {
        match item {
            PlanItem::Document(document) => judge_document(checker, document, text, result),
            PlanItem::Attached(attached) => judge_attached(checker, attached, text, result),
            PlanItem::Note(note) => Checker::note(
                result,
                note_message(note),
                Origin {
                    document: Some(note.address().to_string()),
                    line: line_of_address(text, note.address()),
                    ..Origin::default()
                },
            ),
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
    let line = line_of_address(text, address);
    let note_origin = || Origin {
        document: Some(address.clone()),
        line,
        ..Origin::default()
    };
    let Some(dir) = checker.policies.as_mut() else {
        Checker::note(
            result,
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
        Err(why) => Checker::note(
            result,
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
        PlanNote::Attribute { address, attribute } => {
            format!("{attribute} of {address} is known only after apply: not checked.")
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
