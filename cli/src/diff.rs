//! `policy-guard diff OLD NEW`: the access NEW grants that OLD did not: new actions by service
//! and access level, then who (new principals, `NotPrincipal`), under which conditions (removed,
//! weakened or changed conditions, removed or narrowed denies) and on which resources; and the
//! findings NEW trips that OLD did not.

use crate::input::Source;
use crate::judge::Checker;
use crate::locate::{line_of, parse_pointer};
use crate::model::{FileResult, InputKind, Item, Origin};
use crate::output::{json as json_out, text, Style};
use policy_guard::analysis::{diff, AccessDiff, ServiceAccess};
use policy_guard::policy::parse_policy;
use policy_guard::report::{AccessChange, Report};
use policy_guard::rules::{check_policy, CheckOptions};
use policy_guard::text::sanitize;
use policy_guard::DocumentKind;
use policy_guard_inputs::lambda::get_policy_document;
use policy_guard_inputs::{detect, policy_kind};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// One side of the diff, read and parsed.
struct Side {
    path: String,
    /// The document text (for a Lambda `GetPolicy` output: its `Policy`).
    document: String,
    /// The file text, for line numbers when the document is the file.
    file_text: Option<String>,
    kind: DocumentKind,
}

pub struct DiffOutcome {
    pub output: String,
    pub exit: u8,
}

fn read_side(path: &str, forced: Option<InputKind>) -> Result<Side, String> {
    let source = if path == "-" {
        Source::Stdin
    } else {
        Source::File {
            path: path.into(),
            walked: false,
        }
    };
    let shown = source.display();
    let text = crate::input::read(&source).map_err(|e| format!("{shown}: {e}"))?;
    let value: Option<Value> = serde_json::from_str(&text).ok();
    let kind = forced.or_else(|| value.as_ref().and_then(detect));
    let (document, file_text) = match (&value, kind) {
        (Some(v), Some(InputKind::LambdaPolicy)) => match get_policy_document(v) {
            Some(policy) => (policy.to_string(), None),
            None => (text.clone(), Some(text.clone())),
        },
        _ => (text.clone(), Some(text.clone())),
    };
    let document_kind = match kind {
        Some(InputKind::Cloudtrail | InputKind::TerraformPlan | InputKind::FunctionUrl) => {
            return Err(format!(
                "{shown}: diff compares two policy documents; this is a {} input",
                kind.map_or("different", InputKind::as_str)
            ));
        }
        Some(k) => match k.document_kind() {
            Some(kind) => kind,
            None => detected_kind(&document),
        },
        None => detected_kind(&document),
    };
    Ok(Side {
        path: shown,
        document,
        file_text,
        kind: document_kind,
    })
}

fn detected_kind(document: &str) -> DocumentKind {
    serde_json::from_str::<Value>(document).map_or(DocumentKind::Identity, |value| {
        policy_kind(&value).document_kind()
    })
}

pub fn run(
    checker: &Checker,
    old_path: &str,
    new_path: &str,
    json_format: bool,
    style: Style,
) -> DiffOutcome {
    let sides = read_side(old_path, checker.kind)
        .and_then(|old| read_side(new_path, checker.kind).map(|new| (old, new)));
    let (old, new) = match sides {
        Ok(sides) => sides,
        Err(error) => return failure(&error, json_format),
    };
    let parse = |side: &Side| {
        parse_policy(&side.document).map_err(|e| {
            format!(
                "{}: not a policy document policy-guard can compare: {e}",
                sanitize(&side.path, 300)
            )
        })
    };
    let (old_policy, new_policy) = match (parse(&old), parse(&new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(e), _) | (_, Err(e)) => return failure(&e, json_format),
    };
    let access = diff(&old_policy, &new_policy);
    let options = CheckOptions {
        account: checker.account.as_deref(),
        config: &checker.config,
    };
    let judged = |policy, kind| {
        Report::new(check_policy(policy, kind, &options))
            .apply_config(&checker.config, &[])
            .findings
    };
    let before: BTreeSet<(String, String)> = judged(&old_policy, old.kind)
        .into_iter()
        .map(|f| (f.rule_id, f.title))
        .collect();
    let mut file = FileResult::new(&new.path);
    file.kind = Some(InputKind::from_document_kind(new.kind));
    for finding in judged(&new_policy, new.kind) {
        if before.contains(&(finding.rule_id.clone(), finding.title.clone())) {
            continue;
        }
        let line = new
            .file_text
            .as_deref()
            .map_or(1, |t| line_of(t, &parse_pointer(&finding.location.pointer)));
        file.items.push(Item {
            finding,
            origin: Origin {
                line,
                ..Origin::default()
            },
        });
    }
    let exit = u8::from(!file.items.is_empty());
    let output = if json_format {
        render_json(&old, &new, &access, &file)
    } else {
        render_text(&old, &new, &access, &file, style)
    };
    DiffOutcome { output, exit }
}

fn failure(error: &str, json_format: bool) -> DiffOutcome {
    let output = if json_format {
        let value = json!({"version": json_out::SCHEMA_VERSION, "error": sanitize(error, 2000)});
        serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
    } else {
        String::new()
    };
    if !json_format || output.is_empty() {
        eprintln!("error: {}", sanitize(error, 2000));
    }
    DiffOutcome { output, exit: 2 }
}

fn summary(access: &AccessDiff, file: &FileResult) -> String {
    let n = file.items.len();
    let services: BTreeSet<&str> = access.added.iter().map(|a| a.service.as_str()).collect();
    let actions = access.action_count();
    let changes = access.changes.len();
    format!(
        "{n} new finding{}; {actions} action{} newly granted in {} service{}; {changes} change{} in who, conditions or resources",
        crate::model::plural(n),
        crate::model::plural(actions),
        services.len(),
        crate::model::plural(services.len()),
        crate::model::plural(changes)
    )
}

/// The lines of the new actions, by service and access level.
fn action_lines(access: &AccessDiff) -> Vec<String> {
    access
        .added
        .iter()
        .map(ServiceAccess::summary_line)
        .collect()
}

/// The lines of the other changes: who, conditions, resources.
fn change_lines(access: &AccessDiff) -> Vec<String> {
    access
        .changes
        .iter()
        .map(AccessChange::summary_line)
        .collect()
}

fn render_text(
    old: &Side,
    new: &Side,
    access: &AccessDiff,
    file: &FileResult,
    style: Style,
) -> String {
    let mut out = String::new();
    let (old_name, new_name) = (sanitize(&old.path, 300), sanitize(&new.path, 300));
    if access.is_empty() {
        let _ = writeln!(
            out,
            "{new_name} grants no access that {old_name} did not.\n"
        );
    }
    if !access.added.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.paint(
                &format!("{new_name} grants access that {old_name} did not:"),
                Style::BOLD
            )
        );
        for line in action_lines(access) {
            let _ = writeln!(out, "  {} {}", style.paint("+", Style::WARNING), line);
        }
        out.push('\n');
    }
    if !access.changes.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            style.paint(
                &format!(
                    "{new_name} grants to other principals, under fewer conditions or on other resources than {old_name}:"
                ),
                Style::BOLD
            )
        );
        for line in change_lines(access) {
            let _ = writeln!(out, "  {} {}", style.paint("+", Style::WARNING), line);
        }
        out.push('\n');
    }
    if file.items.is_empty() {
        let _ = writeln!(out, "{new_name} trips no rule that {old_name} did not.\n");
    } else {
        let _ = writeln!(
            out,
            "{}\n",
            style.paint(
                &format!("Findings {new_name} has that {old_name} did not:"),
                Style::BOLD
            )
        );
        for item in &file.items {
            text::finding(&mut out, file, item, style);
        }
    }
    let _ = writeln!(out, "{}", style.paint(&summary(access, file), Style::BOLD));
    out
}

fn render_json(old: &Side, new: &Side, access: &AccessDiff, file: &FileResult) -> String {
    let findings: Vec<json_out::FindingOut> = file
        .items
        .iter()
        .map(|i| json_out::finding(file, i))
        .collect();
    let value = json!({
        "version": json_out::SCHEMA_VERSION,
        "old": {"file": sanitize(&old.path, 2048), "kind": old.kind.as_str()},
        "new": {"file": sanitize(&new.path, 2048), "kind": new.kind.as_str()},
        "new_access": access.added,
        "new_access_lines": action_lines(access),
        "changes": access.changes,
        "change_lines": change_lines(access),
        "new_findings": findings,
        "summary": {
            "text": summary(access, file),
            "new_findings": file.items.len(),
            "new_actions": access.action_count(),
            "changes": access.changes.len(),
        },
    });
    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
}
