//! Shared machinery for rules about sensitive actions granted on every resource: one finding
//! per statement. The action lists themselves are tables, in [`crate::tables`].

use super::{at, constrain, RuleContext, RuleMeta};
use crate::analysis::BroadGrant;
use crate::catalog::{catalog, ActionId};
use crate::text::quoted_list;
use crate::Finding;
use std::collections::BTreeMap;

/// Whether the document grants administrator access (nearly every action on every resource,
/// however written): then the administrator rule's finding says it all, and listing its
/// sensitive actions again would only bury it.
pub fn through_blanket(cx: &RuleContext<'_>, _statement: usize) -> bool {
    cx.policy()
        .is_some_and(|(_, analysis)| analysis.grants_administrator())
}

/// One finding per statement that grants any of `actions` on every resource.
pub fn broad_findings(
    cx: &RuleContext<'_>,
    meta: &RuleMeta,
    actions: &[ActionId],
    title: impl Fn(usize) -> String,
    why: &str,
    fix: &str,
    out: &mut Vec<Finding>,
) {
    let Some((policy, analysis)) = cx.policy() else {
        return;
    };
    let allowed = analysis.allowed();
    let mut by_statement: BTreeMap<usize, (BroadGrant, Vec<String>)> = BTreeMap::new();
    for &id in actions.iter().filter(|&&id| allowed.contains(id)) {
        let Some(grant) = analysis.broad_grant(id) else {
            continue;
        };
        if through_blanket(cx, grant.statement) {
            continue;
        }
        let Some(def) = catalog().action(id) else {
            continue;
        };
        by_statement
            .entry(grant.statement)
            .or_insert_with(|| (grant, Vec::new()))
            .1
            .push(def.qualified());
    }
    for (index, (grant, names)) in by_statement {
        let Some(statement) = policy.statements.get(index) else {
            continue;
        };
        let mut finding = meta.finding(
            at(policy, statement, Some(statement.resource_key())),
            title(names.len()),
            format!(
                "{} granted on every resource: {why}",
                quoted_list(&names, 6)
            ),
            fix.to_string(),
        );
        finding.actions = names;
        finding.resources = grant.resources.clone();
        constrain(&mut finding, &grant.constraint);
        out.push(finding);
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
