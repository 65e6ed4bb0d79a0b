use crate::catalog::catalog;
use crate::rules::escalation::granted_paths;
use crate::rules::sensitive::through_blanket;
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `iam:PassRole` granted on every role. When the same policy also allows a way to
    /// run code as the passed role, `privilege-escalation` reports the whole path instead.
    ///
    /// ### Why is this bad
    /// Passing a role hands its permissions to a service: with `*`, any role of the account,
    /// administrators included, can be handed to whatever the principal can create now or is
    /// granted later.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::111122223333:role/app-task", "Condition": {"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}}]}
    /// ```
    pub struct PassRoleWildcard {
        id: "passrole-wildcard",
        category: Category::PrivilegeEscalation,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "`iam:PassRole` on every role",
    }
}

impl Rule for PassRoleWildcard {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let Some(passrole) = catalog().lookup("iam:PassRole") else {
            return;
        };
        let Some(grant) = analysis.broad_grant(passrole) else {
            return;
        };
        if through_blanket(cx, grant.statement) {
            return;
        }
        // A path that passes the role is `privilege-escalation`'s finding.
        if granted_paths(analysis)
            .iter()
            .any(|p| p.requires_passrole())
        {
            return;
        }
        let Some(statement) = policy.statements.get(grant.statement) else {
            return;
        };
        let mut finding = Self::META.finding(
            at(policy, statement, Some(statement.resource_key())),
            "`iam:PassRole` allowed on every role".to_string(),
            "`iam:PassRole` on every role lets the holder hand any role of the account, administrators included, to a service it can configure.".to_string(),
            "Scope `Resource` to the role ARNs the workload passes and add an `iam:PassedToService` condition.".to_string(),
        );
        finding.actions = vec!["iam:PassRole".to_string()];
        finding.resources = grant.resources.clone();
        constrain(&mut finding, &grant.constraint);
        out.push(finding);
    }
}
