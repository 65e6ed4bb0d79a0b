use crate::rules::sensitive::{broad_findings, passrole_paths, plural};
use crate::tables::escalation::ESCALATION_SINGLE;
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports the known ways to turn a policy into more permissions (Rhino Security Labs'
    /// list and the newer ECS, CodeBuild and SageMaker pivots): editing or attaching policies
    /// (`iam:CreatePolicyVersion`, `iam:Attach*Policy`, `iam:Put*Policy`), credentials for
    /// others (`iam:CreateAccessKey`, `iam:CreateLoginProfile`), trust changes
    /// (`iam:UpdateAssumeRolePolicy`), code swaps (`lambda:UpdateFunctionCode`), and
    /// `iam:PassRole` on every role together with a way to run code as the passed role
    /// (`ec2:RunInstances`, `lambda:CreateFunction` + `lambda:InvokeFunction`,
    /// `cloudformation:CreateStack`, `glue:CreateDevEndpoint`, `ecs:RunTask`, ...).
    ///
    /// ### Why is this bad
    /// The holder is one API call away from administrator: it can attach
    /// AdministratorAccess to itself, or start a function under a role that has it.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:AttachRolePolicy", "iam:CreatePolicyVersion"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:GetPolicy", "iam:GetPolicyVersion"], "Resource": "arn:aws:iam::aws:policy/*"}]}
    /// ```
    pub struct PrivilegeEscalation {
        id: "privilege-escalation",
        category: Category::PrivilegeEscalation,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "a known privilege escalation path (policy edits, credentials for others, PassRole + compute)",
    }
}

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        broad_findings(
            cx,
            &Self::META,
            ESCALATION_SINGLE.ids(),
            |n| format!("{} that escalate privileges allowed on every resource", plural(n, "action")),
            "each is a known path to administrator (attach or edit a policy, mint credentials for another user, rewrite a trust policy, swap a function's code).",
            "Remove these actions, or scope them to resources that cannot lead back to this principal (and add `iam:PermissionsBoundary` conditions for role management).",
            out,
        );
        let Some((grant, paths)) = passrole_paths(cx) else {
            return;
        };
        if paths.is_empty() {
            return;
        }
        let Some((policy, _)) = cx.policy() else {
            return;
        };
        let Some(statement) = policy.statements.get(grant.statement) else {
            return;
        };
        let mut finding = Self::META.finding(
            at(policy, statement, Some(statement.resource_key())),
            "`iam:PassRole` on every role with a way to run code as it".to_string(),
            format!(
                "`iam:PassRole` is granted on every role, and the policy also allows {}: the holder can run code as any role in the account, including administrators.",
                quoted_list(&paths, 4)
            ),
            "Scope `iam:PassRole` to the one role the workload passes and add an `iam:PassedToService` condition.".to_string(),
        );
        finding.actions = vec!["iam:PassRole".to_string()];
        finding.resources = grant.resources.clone();
        constrain(&mut finding, &grant.constraint);
        out.push(finding);
    }
}
