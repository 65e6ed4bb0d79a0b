use crate::catalog::ConditionKeyType;
use crate::policy::OperatorFamily;
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::{type_mismatch, TypeMismatch};
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a condition that can never match because its operator does not fit the key's
    /// type (from the service authorization reference): `String` operators on a numeric or
    /// date key, `Numeric` operators on a non-numeric key, `Date` operators on a non-date key,
    /// `Bool` on a non-boolean key, `IpAddress` on a non-address key, `Arn` operators on a
    /// numeric, date, boolean or address key; or because none of its values is one the
    /// operator can compare (`NumericEquals` `ten`, `DateGreaterThan` `yesterday`, `IpAddress`
    /// `10.0.0.300/8`, `Bool` `yes`). Values with policy variables are not judged. `String`
    /// operators on boolean keys are `bool-under-string-operator`, on ARN keys
    /// `string-operator-on-arn-key`.
    ///
    /// ### Why is this bad
    /// IAM accepts the document but the comparison fails for every request that carries the
    /// key, negated operators included. In a `Deny` the guardrail is silently bypassed: high.
    /// In an `Allow` the statement never grants anything: low (a broken application, not a
    /// hole).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "one hour"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}}}]}
    /// ```
    pub struct ConditionTypeMismatch {
        id: "condition-type-mismatch",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "a condition whose operator does not fit its key's type, or whose values do not parse, never matches",
    }
}

impl Rule for ConditionTypeMismatch {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let Some(mismatch) = type_mismatch(condition) else {
            continue;
        };
        let op = &condition.operator;
        let key = quoted(&condition.key);
        let (title, what, fix) = match mismatch {
            TypeMismatch::Operator { key_type } => (
                format!("{} used on the {key_type} key {key}", quoted(op.as_str())),
                format!(
                    "{key} is a {key_type} key, and {} compares {} values: it never matches a value the request has",
                    quoted(op.as_str()),
                    family_name(op.family())
                ),
                format!(
                    "Use an operator of the key's type ({}) instead of {}.",
                    operators_for(key_type),
                    quoted(op.as_str())
                ),
            ),
            TypeMismatch::Values => (
                format!(
                    "{} on {key} has no value it can compare",
                    quoted(op.as_str())
                ),
                format!(
                    "{} compares {} values, and {} {}: it never matches",
                    quoted(op.as_str()),
                    family_name(op.family()),
                    quoted_list(&condition.values, 4),
                    if condition.values.len() > 1 {
                        "are none of them"
                    } else {
                        "is not one"
                    }
                ),
                format!("Write the values as {}.", value_form(op.family())),
            ),
        };
        let when = if op.if_exists() {
            " when the request has the key"
        } else {
            ""
        };
        let (severity, effect) = if statement.is_allow() {
            (
                Severity::Low,
                format!("this statement never grants anything{when}"),
            )
        } else {
            (
                Severity::High,
                format!("the `Deny` never applies{when}: the guardrail is silently bypassed"),
            )
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            title,
            format!("{what}, so {effect}."),
            fix,
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}

fn family_name(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::String => "text",
        OperatorFamily::Numeric => "numeric",
        OperatorFamily::Date => "date",
        OperatorFamily::Bool => "`true`/`false`",
        OperatorFamily::Binary => "base-64 binary",
        OperatorFamily::IpAddress => "IP address",
        OperatorFamily::Arn => "ARN",
        OperatorFamily::Null => "presence",
    }
}

fn operators_for(ty: ConditionKeyType) -> &'static str {
    match ty.element() {
        ConditionKeyType::Arn => "`ArnEquals`/`ArnLike`",
        ConditionKeyType::Numeric => "`NumericEquals`, `NumericLessThan`...",
        ConditionKeyType::Date => "`DateGreaterThan`, `DateLessThan`...",
        ConditionKeyType::IpAddress => "`IpAddress`/`NotIpAddress`",
        ConditionKeyType::Binary => "`BinaryEquals`",
        ConditionKeyType::Bool => "`Bool`",
        _ => "`StringEquals`/`StringLike`",
    }
}

fn value_form(family: OperatorFamily) -> &'static str {
    match family {
        OperatorFamily::Numeric => "integers or decimals (`3600`)",
        OperatorFamily::Date => {
            "ISO 8601 dates (`2026-12-31T23:59:59Z`) or epoch seconds (`1798761599`)"
        }
        OperatorFamily::Bool => "`true` or `false`",
        OperatorFamily::IpAddress => "IPv4 or IPv6 addresses or CIDR ranges (`203.0.113.0/24`)",
        _ => "the operator expects",
    }
}
