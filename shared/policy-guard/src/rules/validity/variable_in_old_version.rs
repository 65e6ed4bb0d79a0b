use crate::rules::{at, kinds, Rule, RuleContext};
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${*}`) in
    /// `Resource`, `NotResource` or condition values of a policy whose `Version` is
    /// `2008-10-17` or absent (Access Analyzer *Variable unsupported in version*, *Missing
    /// version*; parliament NO_VERSION, OLD_VERSION).
    ///
    /// ### Why is this bad
    /// Variables only exist in the `2012-10-17` policy language. Anywhere else IAM compares
    /// `${aws:username}` as literal text, which no resource or request has. A `Deny` scoped to
    /// `arn:aws:s3:::home/${aws:username}/*` or conditioned on it then matches nothing and
    /// protects nothing (high). An `Allow` grants nothing (low). A variable under `NotResource`
    /// or a negated operator excludes nothing, so an `Allow` reaches further than meant
    /// (medium) and a `Deny` applies more widely (low).
    ///
    /// ### Example
    /// ```json
    /// {"Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::example-home/${aws:username}/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::example-home/${aws:username}/*"}]}
    /// ```
    pub struct VariableInOldVersion {
        id: "variable-in-old-version",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "a policy variable in a `2008-10-17` or versionless policy, where it is literal text",
    }
}

fn has_variable(value: &str) -> bool {
    value.contains("${")
}

impl Rule for VariableInOldVersion {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, _)) = cx.policy() else {
            return;
        };
        if policy.version.as_deref() == Some("2012-10-17") {
            return;
        }
        let version = match policy.version.as_deref() {
            Some(v) => format!("The `Version` is {}", quoted(v)),
            None => "The policy has no `Version` (IAM then reads it as `2008-10-17`)".to_string(),
        };
        for statement in &policy.statements {
            // (values, narrows: a positive match that must hold, or an exclusion)
            let mut positive: Vec<String> = Vec::new();
            let mut excluding: Vec<String> = Vec::new();
            if let Some(resource) = &statement.resource {
                for pattern in resource.patterns.iter().filter(|p| has_variable(p)) {
                    if resource.negated {
                        excluding.push(pattern.clone());
                    } else {
                        positive.push(pattern.clone());
                    }
                }
            }
            for condition in &statement.conditions {
                let with_vars = condition.values.iter().filter(|v| has_variable(v)).cloned();
                if condition.operator.is_negated() {
                    excluding.extend(with_vars);
                } else {
                    positive.extend(with_vars);
                }
            }
            if positive.is_empty() && excluding.is_empty() {
                continue;
            }
            let (severity, effect) = match (statement.is_allow(), positive.is_empty()) {
                (false, false) => (Severity::High, "the `Deny` matches nothing those values were meant to name, so it does not protect them"),
                (true, false) => (Severity::Low, "the statement grants nothing on what those values were meant to name"),
                (true, true) => (Severity::Medium, "the exclusion excludes nothing, so the `Allow` reaches what it was meant to leave out"),
                (false, true) => (Severity::Low, "the exclusion excludes nothing, so the `Deny` also applies where it was meant not to"),
            };
            let mut values = positive;
            values.extend(excluding);
            let mut finding = Self::META.finding(
                at(policy, statement, None),
                format!("Policy variable compared as literal text in {}", quoted_list(&values, 2)),
                format!(
                    "{version}: policy variables need `2012-10-17`, so {} {} compared as written, dollar sign and braces included; {effect}.",
                    quoted_list(&values, 4),
                    if values.len() == 1 { "is" } else { "are" }
                ),
                "Add `\"Version\": \"2012-10-17\"` at the top of the policy.".to_string(),
            );
            finding.severity = severity;
            finding.actions = statement.action.patterns.clone();
            out.push(finding);
        }
    }
}
