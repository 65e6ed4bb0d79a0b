use crate::catalog::catalog;
use crate::policy::OperatorFamily;
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::{
    holds_without_key, ActionKeySupport, is_per_action_tag_key, is_unlisted_key, key_exists, key_support,
    KeySupport,
};
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a `Deny` (with `Action` or `NotAction`) whose condition key some of its actions
    /// do not support, under an operator that fails without the key (`StringEquals`,
    /// `ArnLike`, `ForAnyValue:`... but not negated operators, `…IfExists` or
    /// `ForAllValues:`). Support is read action by action from the service authorization
    /// reference: the global tag keys (`aws:ResourceTag/…`, `aws:RequestTag/…`,
    /// `aws:TagKeys`) from the action and its resource types, a service's own keys from the
    /// action and its resource types (from the service-wide list only where no action or
    /// resource type of the service names the key).
    /// Where the reference lists request-tag keys on a resource type (EC2 does), every
    /// action on that type counts as supporting them. For `*` and `NotAction`
    /// only the tag keys are judged. Keys AWS sets without listing them
    /// (`lambda:SourceFunctionArn`, `ec2:SourceInstanceARN`...) and identity-provider claims
    /// are not judged. A key that *no* action supports is `unknown-condition-key`.
    /// Access Analyzer *Deny [NotAction] with unsupported tag condition key for service*,
    /// parliament UNKNOWN_CONDITION_FOR_ACTION.
    ///
    /// ### Why is this bad
    /// A request for an action that does not support the key never carries it, so the
    /// condition fails and the `Deny` silently does not apply to that action:
    /// `Deny ec2:* if aws:ResourceTag/env = prod` does not stop the EC2 actions that have no
    /// tagged resource, and `aws:RequestTag` only exists on actions that create or tag. In an
    /// `Allow` the same key only narrows the grant and is not reported here.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "ec2:DeleteSnapshot", "ec2:DeregisterImage", "ec2:DisableSerialConsoleAccess"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": ["ec2:TerminateInstances", "ec2:DeleteSnapshot", "ec2:DeregisterImage"], "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}, {"Effect": "Deny", "Action": "ec2:DisableSerialConsoleAccess", "Resource": "*"}]}
    /// ```
    pub struct DenyConditionNotApplicable {
        id: "deny-condition-not-applicable",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "a `Deny` whose condition key some of its actions never carry, so it does not apply to them",
    }
}

impl Rule for DenyConditionNotApplicable {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        for s in &analysis.statements {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if statement.is_allow() || s.actions.is_empty() {
                continue;
            }
            let huge =
                statement.action.negated || statement.action.patterns.iter().any(|p| p == "*");
            let mut seen: Vec<String> = Vec::new();
            let mut families: Vec<(String, Vec<String>)> = Vec::new();
            for condition in &statement.conditions {
                let op = &condition.operator;
                if op.family() == OperatorFamily::Null || holds_without_key(op) {
                    continue;
                }
                let key = &condition.key;
                let lower = key.to_ascii_lowercase();
                if seen.contains(&lower) {
                    continue;
                }
                seen.push(lower);
                let judged = is_per_action_tag_key(key)
                    || (!huge
                        && !catalog().is_global_condition_key(key)
                        && !is_unlisted_key(key)
                        && key_exists(key));
                // A key no action supports is `unknown-condition-key`'s finding.
                if !judged || key_support(statement, &s.actions, key) != KeySupport::Supported {
                    continue;
                }
                // `aws:ResourceTag/a` and `aws:ResourceTag/b` are supported by the same
                // actions: one pass over (up to every) action per tag-key family.
                let family = tag_key_family(key);
                let cached = family
                    .as_deref()
                    .and_then(|f| families.iter().find(|(k, _)| k == f))
                    .map(|(_, u)| u.clone());
                let uncovered: Vec<String> = match cached {
                    Some(uncovered) => uncovered,
                    None => {
                        let mut support = ActionKeySupport::new(key);
                        let uncovered: Vec<String> = s
                            .actions
                            .iter()
                            .filter(|&id| !support.supports(id))
                            .filter_map(|id| catalog().action(id).map(|a| a.qualified()))
                            .collect();
                        if let Some(family) = family {
                            families.push((family, uncovered.clone()));
                        }
                        uncovered
                    }
                };
                if uncovered.is_empty() {
                    continue;
                }
                let total = s.actions.len();
                let scope = if uncovered.len() == total {
                    format!("none of the statement's {total} action{} supports it", if total == 1 { "" } else { "s" })
                } else {
                    format!(
                        "{} of the statement's {total} actions {} not support it",
                        uncovered.len(),
                        if uncovered.len() == 1 { "does" } else { "do" }
                    )
                };
                let mut finding = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!(
                        "`Deny` conditioned on {} does not apply to {}",
                        quoted(key),
                        quoted_list(&uncovered, 2)
                    ),
                    format!(
                        "{} is in the request context only for actions that support it, and {scope} ({}): for those {} fails and the `Deny` does not apply, so they are not denied.",
                        quoted(key),
                        quoted_list(&uncovered, 4),
                        quoted(op.as_str())
                    ),
                    format!(
                        "Deny the actions without {} in a separate statement (without that condition, or with a key they support), or use `Resource` ARNs to pick what must be denied.",
                        quoted(key)
                    ),
                );
                finding.actions = statement.action.patterns.clone();
                out.push(finding);
            }
        }
    }
}

/// The family of a global tag key whose support does not depend on the tag's name
/// (`aws:resourcetag/`, `aws:requesttag/`, `aws:tagkeys`), lower-cased.
fn tag_key_family(key: &str) -> Option<String> {
    if !is_per_action_tag_key(key) {
        return None;
    }
    let lower = key.to_ascii_lowercase();
    Some(match lower.split_once('/') {
        Some((head, _)) => format!("{head}/"),
        None => lower,
    })
}
