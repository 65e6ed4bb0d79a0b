use crate::rules::sensitive::{broad_findings, plural};
use crate::tables::sensitive::DATA_EXFILTRATION;
use crate::rules::{kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports actions that read data out of the account (`s3:GetObject`,
    /// `secretsmanager:GetSecretValue`, `ssm:GetParameter*`, `kms:Decrypt`, ...) granted on
    /// every resource. A condition that narrows the grant (an object tag, a VPC, an
    /// organization) lowers the severity and says so.
    ///
    /// ### Why is this bad
    /// A compromised function with `s3:GetObject` on `*` can download every bucket in the
    /// account, and with `secretsmanager:GetSecretValue` on `*` every secret, not just its own.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "secretsmanager:GetSecretValue"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-source-images/*"}, {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-AbCdEf"}]}
    /// ```
    pub struct DataExfiltration {
        id: "data-exfiltration",
        category: Category::DataExfiltration,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "data-reading actions (`s3:GetObject`, secrets, parameters, `kms:Decrypt`) on every resource",
    }
}

impl Rule for DataExfiltration {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        broad_findings(
            cx,
            &Self::META,
            DATA_EXFILTRATION.ids(),
            |n| format!("{} that read data allowed on every resource", plural(n, "action")),
            "whoever holds this can read every object, secret or parameter in the account.",
            "Scope `Resource` to the buckets (`arn:aws:s3:::bucket/*`), secrets, parameters or keys the principal reads.",
            out,
        );
    }
}
