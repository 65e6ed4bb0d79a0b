use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `Allow` with `NotAction`: every action except the listed ones.
    ///
    /// ### Why is this bad
    /// It grants thousands of actions, including every action AWS adds later, to express a
    /// short deny list. Use `Deny` to take things away, and `Allow` for what is needed.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:s3:::app-data/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": "arn:aws:s3:::app-data/*"}, {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}]}
    /// ```
    pub struct AllowNotAction {
        id: "allow-not-action",
        category: Category::NotActionOrResource,
        severity: Severity::Medium,
        kinds: kinds::IDENTITY,
        summary: "`Allow` with `NotAction` grants everything but a list",
    }
}

impl Rule for AllowNotAction {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if !statement.action.negated {
                continue;
            }
            let mut finding = Self::META.finding(
                at(policy, statement, Some("NotAction")),
                "`Allow` with `NotAction` grants every action but a few".to_string(),
                format!(
                    "The statement allows {} actions: everything except {}, including actions AWS adds later.",
                    s.actions.len(),
                    quoted_list(&statement.action.patterns, 5)
                ),
                "List the actions the principal needs under `Action`; express exclusions as a `Deny` statement.".to_string(),
            );
            finding.actions = statement.action.patterns.clone();
            finding.resources = s.resource_patterns();
            constrain(&mut finding, &s.constraint);
            out.push(finding);
        }
    }
}
