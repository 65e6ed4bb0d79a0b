use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `Allow` with `NotResource`: the actions on every resource except the listed
    /// ones.
    ///
    /// ### Why is this bad
    /// Every resource created later, in any service the actions reach, is granted
    /// automatically; the exclusion list only ever covers what its author thought of.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::payroll/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    pub struct AllowNotResource {
        id: "allow-not-resource",
        category: Category::NotActionOrResource,
        severity: Severity::Medium,
        kinds: kinds::IDENTITY,
        summary: "`Allow` with `NotResource` grants every resource but a list",
    }
}

impl Rule for AllowNotResource {
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
            let Some(resource) = statement.resource.as_ref().filter(|r| r.negated) else {
                continue;
            };
            let mut finding = Self::META.finding(
                at(policy, statement, Some("NotResource")),
                "`Allow` with `NotResource` grants every resource but a few".to_string(),
                format!(
                    "The statement applies to every resource except {}, including resources created later.",
                    quoted_list(&resource.patterns, 5)
                ),
                "List the resources the principal needs under `Resource`.".to_string(),
            );
            finding.actions = statement.action.patterns.clone();
            finding.resources = resource.patterns.clone();
            constrain(&mut finding, &s.constraint);
            out.push(finding);
        }
    }
}
