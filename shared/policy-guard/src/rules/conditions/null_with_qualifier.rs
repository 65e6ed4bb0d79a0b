use crate::policy::{OperatorFamily, SetQualifier};
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::text::quoted;
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports `ForAllValues:Null` and `ForAnyValue:Null` (Access Analyzer *Null with
    /// qualifier*).
    ///
    /// ### Why is this bad
    /// AWS documents that `Null` with `ForAllValues:` always returns true and with
    /// `ForAnyValue:` always returns false, whatever the request holds. A `Deny` with
    /// `ForAnyValue:Null` never applies (high); an `Allow` with `ForAllValues:Null` is not
    /// narrowed by it (medium); the other two combinations deny everything the statement
    /// names or grant nothing (low).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "true"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:RunInstances", "Resource": "*", "Condition": {"Null": {"aws:TagKeys": "true"}}}]}
    /// ```
    pub struct NullWithQualifier {
        id: "null-with-qualifier",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "`ForAllValues:Null` (always true) or `ForAnyValue:Null` (always false)",
    }
}

impl Rule for NullWithQualifier {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.family() != OperatorFamily::Null {
            continue;
        }
        let Some(qualifier) = op.qualifier() else {
            continue;
        };
        let always = qualifier == SetQualifier::ForAllValues;
        let (severity, effect) = match (statement.is_allow(), always) {
            (false, false) => (Severity::High, "the `Deny` never applies"),
            (true, true) => (Severity::Medium, "the condition narrows nothing"),
            (false, true) => (Severity::Low, "the condition narrows nothing: the `Deny` applies to every request it names"),
            (true, false) => (Severity::Low, "the statement never grants anything"),
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!("{} on {} is always {}", quoted(op.as_str()), quoted(&condition.key), if always { "true" } else { "false" }),
            format!(
                "`Null` with {} returns {} whatever the request holds, so {effect}.",
                if always { "`ForAllValues:`" } else { "`ForAnyValue:`" },
                if always { "true" } else { "false" }
            ),
            "Use plain `Null` to test whether the key is present, or a `ForAnyValue:`/`ForAllValues:` `StringLike` to test its values.".to_string(),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
