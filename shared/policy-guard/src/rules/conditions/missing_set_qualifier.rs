use crate::catalog::catalog;
use crate::policy::OperatorFamily;
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::text::quoted;
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports an operator without `ForAllValues:` or `ForAnyValue:` on a key the catalog
    /// types as multivalued (`ArrayOf…`: `aws:TagKeys`, `aws:CalledVia`,
    /// `aws:PrincipalOrgPaths`...; Access Analyzer *Missing qualifier*). `Null` needs no
    /// qualifier and is not reported. The opposite mistake, a qualifier on a single-valued
    /// key, is `forallvalues-single-valued`.
    ///
    /// ### Why is this bad
    /// The request holds a set of values for such a key, and IAM documents how a set is
    /// compared only with a set operator: "multivalued context keys require a condition set
    /// operator". Without one, whether the condition asks about every value or about any
    /// value is not stated and cannot be read from the policy. A `Deny` may not apply to a
    /// request whose set merely contains the value (medium); an `Allow` may grant or refuse
    /// other than meant (low).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"StringEquals": {"aws:TagKeys": "owner"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:CreateTags", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": "owner"}}}]}
    /// ```
    pub struct MissingSetQualifier {
        id: "missing-set-qualifier",
        category: Category::InsecureCondition,
        severity: Severity::Medium,
        kinds: kinds::POLICIES,
        summary: "a multivalued condition key compared without `ForAllValues:`/`ForAnyValue:`",
    }
}

impl Rule for MissingSetQualifier {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.qualifier().is_some() || op.family() == OperatorFamily::Null {
            continue;
        }
        let Some(ty) = catalog().condition_key_type(&condition.key) else {
            continue;
        };
        if !ty.is_multivalued() {
            continue;
        }
        let (severity, effect) = if statement.is_allow() {
            (Severity::Low, "the statement may grant or refuse other than meant")
        } else {
            (Severity::Medium, "the `Deny` may not apply to a request whose values merely include the one named")
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "Multivalued key {} compared without a set operator",
                quoted(&condition.key)
            ),
            format!(
                "{} is multivalued ({ty}), a set of values per request, and {} does not say whether every value or any value must match: {effect}.",
                quoted(&condition.key),
                quoted(op.as_str())
            ),
            format!(
                "Write `ForAnyValue:{0}` (some value matches) or `ForAllValues:{0}` (every value matches; also true when the request has none).",
                op.as_str()
            ),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
