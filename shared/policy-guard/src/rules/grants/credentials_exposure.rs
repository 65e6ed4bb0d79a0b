use crate::rules::sensitive::{broad_findings, plural};
use crate::tables::sensitive::CREDENTIALS_EXPOSURE;
use crate::rules::{kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports actions that return credentials (`iam:CreateAccessKey`, `sts:AssumeRole`,
    /// `ecr:GetAuthorizationToken`, `redshift:GetClusterCredentials`, ...) granted on every
    /// resource. Actions AWS only allows on `*` (`ecr:GetAuthorizationToken`,
    /// `sts:GetSessionToken`) are reported only when no condition narrows them.
    ///
    /// ### Why is this bad
    /// Credentials outlive the session that created them: `iam:CreateAccessKey` on every user
    /// mints long-lived keys for any user, `sts:AssumeRole` on `*` steps into any role that
    /// trusts the account.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:CreateAccessKey", "sts:AssumeRole"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::444455556666:role/deploy"}]}
    /// ```
    pub struct CredentialsExposure {
        id: "credentials-exposure",
        category: Category::CredentialsExposure,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "credential-returning actions (access keys, AssumeRole, tokens) on every resource",
    }
}

impl Rule for CredentialsExposure {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        broad_findings(
            cx,
            &Self::META,
            CREDENTIALS_EXPOSURE.ids(),
            |n| format!("{} that return credentials allowed on every resource", plural(n, "action")),
            "whoever holds this can mint credentials for other principals and keep them.",
            "Scope `Resource` to the users or roles concerned (`arn:aws:iam::<account>:role/<name>`), or add a condition that limits it.",
            out,
        );
    }
}
