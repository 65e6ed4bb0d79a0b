use crate::analysis::{Analysis, ResourceScope};
use crate::catalog::{catalog, AccessLevel, ActionId, ActionSet};
use crate::matching::pattern_overlaps_format;
use crate::matching::variables::{names_the_principal, widened};
use crate::policy::Policy;
use crate::rules::sensitive::{broad_findings, plural};
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::tables::escalation::single_action_paths;
use crate::tables::sensitive::{CREDENTIALS_EXPOSURE, RESOURCE_EXPOSURE};
use crate::text::quoted_list;
use crate::Severity;
use crate::{Category, Finding};
use std::sync::OnceLock;

declare_rule! {
    /// ### What it does
    /// Reports two things. Actions of the "Permissions management" access level granted on
    /// every resource and not already reported as privilege escalation, resource exposure or
    /// credentials exposure: `iam:CreateRole`, `iam:DeleteRolePolicy`, `kms:RevokeGrant`,
    /// `sso:CreatePermissionSet`, ... And, on named resources, the actions that decide who
    /// else may use them: the access level's resource-policy, ACL and grant actions and the
    /// resource-exposure list (`s3:PutBucketPolicy`, `s3:PutObjectAcl`,
    /// `sqs:SetQueueAttributes`, `kms:CreateGrant`, `lambda:AddPermission`, ...). IAM's own
    /// actions on named users, roles and policies are delegated administration, judged by
    /// `privilege-escalation`.
    ///
    /// ### Why is this bad
    /// Whoever changes permissions decides who can do what: outside an administrator's hands
    /// it undoes every other control. On one bucket, `s3:*` or `*` includes
    /// `s3:PutBucketPolicy` and `s3:PutObjectAcl`: the holder can make the data public without
    /// anyone granting it a read.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:DeleteRolePolicy"], "Resource": "*"}, {"Effect": "Allow", "Action": "s3:*", "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateRole", "iam:DeleteRolePolicy"], "Resource": "arn:aws:iam::111122223333:role/app/*", "Condition": {"ArnEquals": {"iam:PermissionsBoundary": "arn:aws:iam::111122223333:policy/app-boundary"}}}, {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    pub struct PermissionsManagement {
        id: "permissions-management",
        category: Category::PermissionsManagement,
        severity: Severity::Medium,
        kinds: kinds::IDENTITY,
        summary: "permissions-management actions on every resource, or access-control actions on named resources",
    }
}

impl Rule for PermissionsManagement {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let candidates = broad_candidates();
        let allowed = analysis.allowed();
        if candidates.iter().any(|&id| allowed.contains(id)) {
            broad_findings(
                cx,
                &Self::META,
                candidates,
                |n| format!("{} that manage permissions allowed on every resource", plural(n, "action")),
                "managing permissions is an administrator's job, and these reach every resource of their type.",
                "Scope these actions to the resources the principal administers, or require a permissions boundary with an `iam:PermissionsBoundary` condition.",
                out,
            );
        }
        named_findings(policy, analysis, out);
    }
}

/// Permissions-management actions left to this rule when granted on every resource: those
/// reported as escalation, exposure or PassRole have their own rules.
fn broad_candidates() -> &'static [ActionId] {
    static NOT_REPORTED_ELSEWHERE: OnceLock<Vec<ActionId>> = OnceLock::new();
    NOT_REPORTED_ELSEWHERE.get_or_init(|| {
        let mut set = catalog()
            .actions_with_level(AccessLevel::PermissionsManagement)
            .clone();
        for &id in single_action_paths()
            .iter()
            .chain(RESOURCE_EXPOSURE.ids())
            .chain(CREDENTIALS_EXPOSURE.ids())
        {
            set.remove(id);
        }
        if let Some(passrole) = catalog().lookup("iam:PassRole") {
            set.remove(passrole);
        }
        set.iter().collect()
    })
}

/// Actions that decide who may use a named resource: the "Permissions management" access
/// level and the resource-exposure list, outside IAM and STS (principals' own permissions).
fn access_control_actions() -> &'static ActionSet {
    static ACTIONS: OnceLock<ActionSet> = OnceLock::new();
    ACTIONS.get_or_init(|| {
        let mut set = catalog()
            .actions_with_level(AccessLevel::PermissionsManagement)
            .clone();
        for &id in RESOURCE_EXPOSURE.ids() {
            set.insert(id);
        }
        for prefix in ["iam", "sts"] {
            set.subtract(&catalog().actions_of_service(prefix));
        }
        set
    })
}

/// One finding per statement granting access-control actions on resources it names.
fn named_findings(policy: &Policy, analysis: &Analysis, out: &mut Vec<Finding>) {
    let wanted = access_control_actions();
    for s in analysis.allows() {
        let ResourceScope::Listed(patterns) = &s.resources else {
            continue;
        };
        let mut actions = s.actions.clone();
        actions.intersect_with(wanted);
        actions.subtract(analysis.denied_everywhere());
        let mut names = Vec::new();
        let mut reached: Vec<&str> = Vec::new();
        for id in actions.iter() {
            if s.is_broad_for(id) {
                continue;
            }
            let hits = named_resources(patterns, id);
            if hits.is_empty() {
                continue;
            }
            let Some(def) = catalog().action(id) else {
                continue;
            };
            names.push(def.qualified());
            for hit in hits {
                if !reached.contains(&hit) {
                    reached.push(hit);
                }
            }
        }
        if names.is_empty() {
            continue;
        }
        let Some(statement) = policy.statements.get(s.index) else {
            continue;
        };
        let reads = names.iter().any(|n| is_read_name(n));
        let verb = if reads {
            "read or change who else may use"
        } else {
            "change who else may use"
        };
        let mut finding = PermissionsManagement::META.finding(
            at(policy, statement, Some(statement.resource_key())),
            format!(
                "{} that {} access granted on {}",
                plural(names.len(), "action"),
                if names.len() == 1 { "controls" } else { "control" },
                quoted_list(&reached, 3)
            ),
            format!(
                "{} granted on {}: the holder can {verb} these resources (a bucket policy or ACL that makes objects public, a key grant or queue policy for another account), which no read or write permission needs.",
                quoted_list(&names, 6),
                quoted_list(&reached, 4)
            ),
            "Grant the data actions the workload uses (`s3:GetObject`, `s3:PutObject`, ...) instead of the service's wildcard, and leave resource policies, ACLs and grants to their administrators.".to_string(),
        );
        finding.actions = names;
        finding.resources = reached.iter().map(|r| (*r).to_string()).collect();
        constrain(&mut finding, &s.constraint);
        out.push(finding);
    }
}

/// The statement's patterns that name resources `action` acts on, leaving out those that name
/// the principal itself through a policy variable (`privilege-escalation` judges those).
fn named_resources(patterns: &[String], action: ActionId) -> Vec<&str> {
    let Some(def) = catalog().action(action) else {
        return Vec::new();
    };
    patterns
        .iter()
        .filter(|p| !names_the_principal(p))
        .filter(|p| {
            let wide = widened(p);
            def.resource_types()
                .any(|t| pattern_overlaps_format(&wide, t.arn_format()))
        })
        .map(String::as_str)
        .collect()
}

/// Actions that only read access settings (`s3:GetBucketPolicy` style names): the message
/// must not say they change anything.
fn is_read_name(qualified: &str) -> bool {
    let name = qualified.split_once(':').map_or(qualified, |(_, n)| n);
    ["Get", "List", "Describe", "View"]
        .iter()
        .any(|p| name.starts_with(p))
}
