use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::matching::has_wildcard;
use crate::policy::OperatorFamily;
use crate::{Category, Finding};
use crate::text::{quoted, quoted_list};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `StringLike` / `StringNotLike` (with or without `IfExists` and set qualifiers)
    /// whose values contain no `*` or `?`. `ArnLike` without wildcards is common and harmless
    /// and is not reported.
    ///
    /// ### Why is this bad
    /// The reader cannot tell whether a wildcard was forgotten (`reports/` meant `reports/*`)
    /// or an exact match was meant. `StringEquals` says the latter plainly.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-reports", "Condition": {"StringLike": {"s3:prefix": "reports/"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-reports", "Condition": {"StringLike": {"s3:prefix": "reports/*"}}}]}
    /// ```
    pub struct StringLikeWithoutWildcard {
        id: "stringlike-without-wildcard",
        category: Category::InsecureCondition,
        severity: Severity::Info,
        kinds: kinds::POLICIES,
        summary: "`StringLike` with no wildcard in its values",
    }
}

impl Rule for StringLikeWithoutWildcard {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.family() != OperatorFamily::String || !op.supports_wildcards() {
            continue;
        }
        if condition.values.is_empty() || condition.values.iter().any(|v| has_wildcard(v)) {
            continue;
        }
        let exact = if op.is_negated() {
            "StringNotEquals"
        } else {
            "StringEquals"
        };
        let finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "{} on {} has no wildcard",
                quoted(op.as_str()),
                quoted(&condition.key)
            ),
            format!(
                "The values {} contain no `*` or `?`: {} compares them exactly, and a wildcard may have been forgotten.",
                quoted_list(&condition.values, 4),
                quoted(op.as_str())
            ),
            format!(
                "Use `{exact}` for an exact match, or add the `*` the pattern was meant to have."
            ),
        );
        out.push(finding);
        }
    }
}
