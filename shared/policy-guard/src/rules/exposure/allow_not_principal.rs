use crate::rules::{at, constrain, Rule, RuleContext};
use crate::policy::Principals;
use crate::{Category, DocumentKind, Finding};
use crate::text::quoted_list;
use crate::Severity;

/// Resource policies first: their kind judges the doc examples.
const KINDS: &[DocumentKind] = &[DocumentKind::Resource, DocumentKind::Trust];

declare_rule! {
    /// ### What it does
    /// Reports `Allow` with `NotPrincipal` in a resource or trust policy: everyone except the
    /// listed principals.
    ///
    /// ### Why is this bad
    /// "Everyone except" includes every AWS account and, in resource policies, anonymous
    /// callers. AWS documents `NotPrincipal` with `Allow` as something to avoid; it is also
    /// easy to get wrong with assumed-role sessions, which are principals of their own.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/intern"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/report-reader"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}]}
    /// ```
    pub struct AllowNotPrincipal {
        id: "allow-not-principal",
        category: Category::NotActionOrResource,
        severity: Severity::High,
        kinds: KINDS,
        summary: "`Allow` with `NotPrincipal` grants everyone but a list",
    }
}

impl Rule for AllowNotPrincipal {
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
            let Some(spec) = statement.principal.as_ref().filter(|p| p.negated) else {
                continue;
            };
            let excluded: Vec<String> = match &spec.principals {
                Principals::Any => vec!["*".to_string()],
                Principals::Listed(list) => list.iter().map(|p| p.value.clone()).collect(),
            };
            let mut finding = Self::META.finding(
                at(policy, statement, Some("NotPrincipal")),
                "`Allow` with `NotPrincipal` grants every principal but a few".to_string(),
                format!(
                    "The statement allows {} to every principal, in any account and anonymous ones, except {}.",
                    quoted_list(&statement.action.patterns, 5),
                    quoted_list(&excluded, 4)
                ),
                "Name the principals that need access under `Principal`; to exclude principals, use a `Deny` statement with an `aws:PrincipalArn` condition.".to_string(),
            );
            finding.actions = statement.action.patterns.clone();
            finding.resources = s.resource_patterns();
            constrain(&mut finding, &s.constraint);
            out.push(finding);
        }
    }
}
