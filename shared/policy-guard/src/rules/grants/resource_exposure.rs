use crate::rules::sensitive::{broad_findings, plural};
use crate::tables::sensitive::RESOURCE_EXPOSURE;
use crate::rules::{kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports actions that change who else may use a resource (`s3:PutBucketPolicy`,
    /// `lambda:AddPermission`, `kms:PutKeyPolicy`, `sqs:SetQueueAttributes`, snapshot
    /// sharing, RAM shares, ...) granted on every resource.
    ///
    /// ### Why is this bad
    /// One call makes any bucket public, any function invokable by anyone, any key usable by
    /// another account: data leaves without a single read permission.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:PutBucketPolicy", "lambda:AddPermission"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// Leave resource policies to the role that deploys them (its finding suppressed with a
    /// reason), and grant the application only what it does with the resource:
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::app-logs/*"}]}
    /// ```
    pub struct ResourceExposure {
        id: "resource-exposure",
        category: Category::ResourceExposure,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "resource-policy and sharing actions (`s3:PutBucketPolicy`, `lambda:AddPermission`, ...) on every resource",
    }
}

impl Rule for ResourceExposure {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        broad_findings(
            cx,
            &Self::META,
            RESOURCE_EXPOSURE.ids(),
            |n| {
                format!(
                    "{} that change resource policies allowed on every resource",
                    plural(n, "action")
                )
            },
            "whoever holds this can open any of these resources to other accounts or to everyone.",
            "Scope `Resource` to the few resources whose policy the principal manages.",
            out,
        );
    }
}
