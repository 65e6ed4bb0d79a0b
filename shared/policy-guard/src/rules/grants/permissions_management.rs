use crate::rules::sensitive::{broad_findings, plural};
use crate::tables::escalation::ESCALATION_SINGLE;
use crate::tables::sensitive::{CREDENTIALS_EXPOSURE, RESOURCE_EXPOSURE};
use crate::rules::{kinds, Rule, RuleContext};
use crate::catalog::{catalog, AccessLevel, ActionId};
use crate::{Category, Finding};
use crate::Severity;
use std::sync::OnceLock;

declare_rule! {
    /// ### What it does
    /// Reports actions of the "Permissions management" access level granted on every resource
    /// and not already reported as privilege escalation, resource exposure or credentials
    /// exposure: `iam:CreateRole`, `iam:DeleteRolePolicy`, `kms:RevokeGrant`,
    /// `sso:CreatePermissionSet`, ...
    ///
    /// ### Why is this bad
    /// Whoever changes permissions decides who can do what: outside an administrator's hands
    /// it undoes every other control (or removes access others depend on).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:DeleteRolePolicy"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:DeleteRolePolicy"], "Resource": "arn:aws:iam::111122223333:role/app/*", "Condition": {"StringEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/app-boundary"}}}]}
    /// ```
    pub struct PermissionsManagement {
        id: "permissions-management",
        category: Category::PermissionsManagement,
        severity: Severity::Medium,
        kinds: kinds::IDENTITY,
        summary: "permissions-management actions on every resource",
    }
}

impl Rule for PermissionsManagement {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((_, analysis)) = cx.policy() else {
            return;
        };
        // Those reported as escalation, exposure or PassRole are left to their own rules.
        static NOT_REPORTED_ELSEWHERE: OnceLock<Vec<ActionId>> = OnceLock::new();
        let candidates = NOT_REPORTED_ELSEWHERE.get_or_init(|| {
            let mut set = catalog()
                .actions_with_level(AccessLevel::PermissionsManagement)
                .clone();
            for list in [
                &ESCALATION_SINGLE,
                &RESOURCE_EXPOSURE,
                &CREDENTIALS_EXPOSURE,
            ] {
                for &id in list.ids() {
                    set.remove(id);
                }
            }
            if let Some(passrole) = catalog().lookup("iam:PassRole") {
                set.remove(passrole);
            }
            set.iter().collect()
        });
        let allowed = analysis.allowed();
        if !candidates.iter().any(|&id| allowed.contains(id)) {
            return;
        }
        broad_findings(
            cx,
            &Self::META,
            candidates,
            |n| format!("{} that manage permissions allowed on every resource", plural(n, "action")),
            "changing permissions is an administrator's job; here any resource's permissions can be changed.",
            "Scope these actions to the resources the principal administers, or require a permissions boundary with an `iam:PermissionsBoundary` condition.",
            out,
        );
    }
}
