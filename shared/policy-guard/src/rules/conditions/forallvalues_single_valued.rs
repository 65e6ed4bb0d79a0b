use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::catalog::catalog;
use crate::policy::{OperatorFamily, SetQualifier};
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `ForAllValues:` on a condition key the catalog types as single-valued
    /// (`aws:SourceVpc`, `aws:PrincipalOrgID`, `s3:prefix`...): medium in an `Allow`, low in a
    /// `Deny`. `ForAnyValue:` on a single-valued key is reported as low. Keys the catalog does
    /// not know are not judged, nor is `Null` (`null-with-qualifier`).
    ///
    /// ### Why is this bad
    /// Set operators are for multivalued keys such as `aws:TagKeys`. `ForAllValues:` is true
    /// when the request has no value for the key at all (every element of the empty set
    /// matches), so an `Allow` meant to require a VPC also allows requests that come from no
    /// VPC. `ForAnyValue:` is false when the key is absent, so a `Deny` with it stops denying.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"ForAllValues:StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
    /// ```
    pub struct ForAllValuesSingleValued {
        id: "forallvalues-single-valued",
        category: Category::InsecureCondition,
        severity: Severity::Medium,
        kinds: kinds::POLICIES,
        summary: "`ForAllValues:` or `ForAnyValue:` on a single-valued condition key",
    }
}

impl Rule for ForAllValuesSingleValued {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        let Some(qualifier) = op.qualifier() else {
            continue;
        };
        // A qualifier on `Null` is `null-with-qualifier`'s, whatever the key.
        if op.family() == OperatorFamily::Null {
            continue;
        }
        let Some(ty) = catalog().condition_key_type(&condition.key) else {
            continue;
        };
        if ty.is_multivalued() {
            continue;
        }
        let plain = format!(
            "{}{}",
            op.base(),
            if op.if_exists() { "IfExists" } else { "" }
        );
        let (severity, why) = match (qualifier, statement.is_allow()) {
            (SetQualifier::ForAllValues, true) => (
                Severity::Medium,
                "`ForAllValues:` is true when the request carries no value for the key, so the statement also allows requests without it",
            ),
            (SetQualifier::ForAllValues, false) => (
                Severity::Low,
                "`ForAllValues:` is true when the request carries no value for the key, so the `Deny` also applies to requests without it",
            ),
            (SetQualifier::ForAnyValue, true) => (
                Severity::Low,
                "`ForAnyValue:` compares a set; on a single value it behaves like the plain operator and hides the intent",
            ),
            (SetQualifier::ForAnyValue, false) => (
                Severity::Low,
                "`ForAnyValue:` is false when the request carries no value for the key, so the `Deny` does not apply to requests without it",
            ),
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "{} used on the single-valued key {}",
                quoted(op.as_str()),
                quoted(&condition.key)
            ),
            format!(
                "{} is a single-valued {ty} key: {why}.",
                quoted(&condition.key)
            ),
            format!(
                "Use {} instead of {}; add a `Null` condition (`\"Null\": {{\"{}\": \"false\"}}`) if the key must be present.",
                quoted(&plain),
                quoted(op.as_str()),
                crate::text::sanitize(&condition.key, crate::text::QUOTE_MAX)
            ),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
