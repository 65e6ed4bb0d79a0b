use crate::catalog::{catalog, ConditionKeyType};
use crate::matching::has_wildcard;
use crate::policy::{OperatorFamily, SetQualifier};
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::without_variables;
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports `*` or `?` in the values of an exact `String` operator (`StringEquals`,
    /// `StringNotEquals`, their `IgnoreCase` forms, with or without `IfExists` and set
    /// qualifiers) on a key the catalog types as a string, or does not know (Access Analyzer
    /// *Wildcard without like operator*). Wildcards inside policy variables (`${*}`) are not
    /// counted. ARN keys are `string-operator-on-arn-key`, boolean keys
    /// `bool-under-string-operator`, numeric and date keys `condition-type-mismatch`; the opposite mistake, `StringLike` without a wildcard, is
    /// `stringlike-without-wildcard`.
    ///
    /// ### Why is this bad
    /// Only the `Like` operators read `*` and `?` as wildcards: `StringEquals` compares them as
    /// characters, so `team-*` matches only a value that is literally `team-*`. In a `Deny` the
    /// guardrail never applies to the values it was meant to catch (high). In an `Allow` the
    /// value grants nothing (low). Under a negated operator the exclusion excludes nothing: an
    /// `Allow` reaches further than meant (medium), a `Deny` applies more widely (low).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod-*"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:TerminateInstances", "Resource": "*", "Condition": {"StringLike": {"aws:ResourceTag/env": "prod-*"}}}]}
    /// ```
    pub struct WildcardWithoutLike {
        id: "wildcard-without-like",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "`*` or `?` in the values of `StringEquals`, where it is compared literally",
    }
}

impl Rule for WildcardWithoutLike {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.family() != OperatorFamily::String || op.supports_wildcards() {
            continue;
        }
        // ARN, boolean, numeric... keys under a `String` operator are other rules'.
        let other_type = catalog()
            .condition_key_type(&condition.key)
            .is_some_and(|t| t.element() != ConditionKeyType::String);
        if other_type {
            continue;
        }
        let literal: Vec<&String> = condition
            .values
            .iter()
            .filter(|v| has_wildcard(&without_variables(v)))
            .collect();
        if literal.is_empty() {
            continue;
        }
        let (severity, effect) = match (statement.is_allow(), op.is_negated()) {
            (false, false) => (Severity::High, "the `Deny` never applies to the values the pattern was meant to catch"),
            (true, false) => (Severity::Low, "the statement grants nothing through that value"),
            (true, true) => (Severity::Medium, "the exclusion excludes nothing, so the `Allow` also reaches the values it was meant to leave out"),
            (false, true) => (Severity::Low, "the exclusion excludes nothing, so the `Deny` also applies to the values it was meant to spare"),
        };
        let qualifier = match op.qualifier() {
            Some(SetQualifier::ForAllValues) => "ForAllValues:",
            Some(SetQualifier::ForAnyValue) => "ForAnyValue:",
            None => "",
        };
        let like = format!(
            "{qualifier}{}{}",
            if op.is_negated() { "StringNotLike" } else { "StringLike" },
            if op.if_exists() { "IfExists" } else { "" }
        );
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "{} on {} compares {} literally",
                quoted(op.as_str()),
                quoted(&condition.key),
                quoted_list(&literal, 2)
            ),
            format!(
                "{} reads `*` and `?` as plain characters, so {} {} only a value written exactly so: {effect}.",
                quoted(op.as_str()),
                quoted_list(&literal, 4),
                if literal.len() == 1 { "matches" } else { "match" }
            ),
            format!(
                "Use {} for a pattern, or remove the wildcard for an exact value.",
                quoted(&like)
            ),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
