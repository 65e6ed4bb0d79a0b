use crate::rules::{at, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports an action pattern that matches no action of the catalog: a typo
    /// (`s3:GetObjects`), an unknown service prefix, an action AWS retired.
    ///
    /// ### Why is this bad
    /// IAM accepts the policy but the line grants (or denies) nothing: an intended `Deny`
    /// silently protects nothing (high: the guardrail is not there), an intended `Allow`
    /// breaks the application at run time (low).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjects", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    pub struct UnknownAction {
        id: "unknown-action",
        category: Category::UnknownAction,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "action pattern matches no known AWS action",
    }
}

impl Rule for UnknownAction {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        for s in &analysis.statements {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            for pattern in s.patterns.iter().filter(|p| p.matched == 0) {
                let pointer = format!("{}[{}]", statement.action_key(), pattern.position);
                let (title, message) = if pattern.service_known {
                    (
                        format!("unknown action {}", quoted(&pattern.pattern)),
                        format!(
                            "{} matches no action of its service, so this line has no effect.",
                            quoted(&pattern.pattern)
                        ),
                    )
                } else {
                    let service = pattern.pattern.split(':').next().unwrap_or_default();
                    (
                        format!("unknown service prefix {}", quoted(service)),
                        format!(
                            "{} names no AWS service, so this line has no effect.",
                            quoted(&pattern.pattern)
                        ),
                    )
                };
                let (severity, message) = if statement.is_allow() {
                    (Severity::Low, message)
                } else {
                    (
                        Severity::High,
                        format!(
                            "{message} In a `Deny` that means the guardrail protects nothing: the action it was meant to deny stays allowed wherever another policy allows it."
                        ),
                    )
                };
                let mut finding = Self::META.finding(
                    at(policy, statement, Some(&pointer)),
                    title,
                    message,
                    "Correct the action name (see the Service Authorization Reference) or remove it.".to_string(),
                );
                finding.severity = severity;
                finding.actions = vec![pattern.pattern.clone()];
                out.push(finding);
            }
        }
    }
}
