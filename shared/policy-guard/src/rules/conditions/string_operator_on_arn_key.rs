use crate::catalog::{catalog, ConditionKeyType};
use crate::policy::{ConditionOperator, OperatorFamily, SetQualifier};
use crate::rules::principals::condition_location;
use crate::rules::{Rule, RuleContext};
use crate::text::quoted;
use crate::Severity;
use crate::{Category, DocumentKind, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a `String` operator (`StringEquals`, `StringLike`, their negations and
    /// `IgnoreCase` forms, with or without `IfExists` and set qualifiers) on a key the catalog
    /// types as an ARN: `aws:SourceArn`, `aws:PrincipalArn`, `lambda:FunctionArn`... The
    /// service authorization reference types these keys `ARN`, for `ArnEquals`/`ArnLike`.
    ///
    /// ### Why is this bad
    /// It works, but says less than it should: a string pattern's `*` may span the ARN's
    /// colon-separated fields (`arn:aws:sns:*:111122223333:*` under `StringLike` also matches
    /// an ARN whose region field holds `x:999999999999:y`), while `ArnLike` matches each of the
    /// six fields on its own. The ARN operators state that the value is an ARN and are checked
    /// as one.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs", "Condition": {"StringLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:*"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs", "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:*"}}}]}
    /// ```
    pub struct StringOperatorOnArnKey {
        id: "string-operator-on-arn-key",
        category: Category::InsecureCondition,
        severity: Severity::Low,
        kinds: KINDS,
        summary: "a `String` operator on an ARN condition key where `ArnEquals`/`ArnLike` is meant",
    }
}

/// Every policy kind; resource policies first, the kind of the doc examples, where
/// `aws:SourceArn` guards service principals.
const KINDS: &[DocumentKind] = &[
    DocumentKind::Resource,
    DocumentKind::Identity,
    DocumentKind::Trust,
    DocumentKind::PermissionsBoundary,
];

impl Rule for StringOperatorOnArnKey {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.family() != OperatorFamily::String {
            continue;
        }
        let Some(ty) = catalog().condition_key_type(&condition.key) else {
            continue;
        };
        if ty.element() != ConditionKeyType::Arn {
            continue;
        }
        let arn_op = arn_operator(op);
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "{} used on the ARN key {}",
                quoted(op.as_str()),
                quoted(&condition.key)
            ),
            format!(
                "{} is an ARN key, but {} compares it as plain text: a wildcard may span the ARN's colon-separated fields, and the intent (an ARN) is not stated.",
                quoted(&condition.key),
                quoted(op.as_str())
            ),
            format!(
                "Use {} instead of {}.",
                quoted(&arn_op),
                quoted(op.as_str())
            ),
        );
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}

/// The ARN operator meant: qualifier and `IfExists` kept, `Like` for patterns.
fn arn_operator(op: &ConditionOperator) -> String {
    let base = match (op.is_negated(), op.supports_wildcards()) {
        (false, false) => "ArnEquals",
        (false, true) => "ArnLike",
        (true, false) => "ArnNotEquals",
        (true, true) => "ArnNotLike",
    };
    let qualifier = match op.qualifier() {
        Some(SetQualifier::ForAllValues) => "ForAllValues:",
        Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
        None => "",
    };
    let suffix = if op.if_exists() { "IfExists" } else { "" };
    format!("{qualifier}{base}{suffix}")
}
