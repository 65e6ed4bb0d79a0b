use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::catalog::{catalog, ConditionKeyType};
use crate::policy::OperatorFamily;
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a boolean condition key (`aws:SecureTransport`, `aws:MultiFactorAuthPresent`,
    /// `aws:ViaAWSService`...) under a `String` operator. (`Bool` on a key of another type
    /// never matches at all: that is `condition-type-mismatch`.)
    ///
    /// ### Why is this bad
    /// `StringEquals` compares text case-sensitively: `"True"` never equals the request's
    /// `true`, so a `Deny` meant to enforce TLS or MFA silently never applies.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"StringEquals": {"aws:SecureTransport": "False"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
    /// ```
    pub struct BoolUnderStringOperator {
        id: "bool-under-string-operator",
        category: Category::InsecureCondition,
        severity: Severity::Low,
        kinds: kinds::POLICIES,
        summary: "a boolean condition key under a `String` operator",
    }
}

impl Rule for BoolUnderStringOperator {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        let Some(ty) = catalog().condition_key_type(&condition.key) else {
            continue;
        };
        let is_bool = ty.element() == ConditionKeyType::Bool;
        let (title, message, fix) = match op.family() {
            OperatorFamily::String if is_bool => (
                format!("Boolean key {} compared as a string", quoted(&condition.key)),
                format!(
                    "{} is a Bool key but {} compares it as text, case-sensitively: `\"True\"` or `\"1\"` never match, and the condition silently does nothing.",
                    quoted(&condition.key),
                    quoted(op.as_str())
                ),
                format!(
                    "Use `Bool` (`\"Bool\": {{\"{}\": \"true\"}}`) instead of {}.",
                    crate::text::sanitize(&condition.key, crate::text::QUOTE_MAX),
                    quoted(op.as_str())
                ),
            ),
            _ => continue,
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            title,
            message,
            fix,
        );
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
