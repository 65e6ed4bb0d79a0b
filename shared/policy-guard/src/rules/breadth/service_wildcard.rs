use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::catalog::catalog;
use crate::analysis::ResourceScope;
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports `service:*` in an `Allow` statement: every action of the service, today's and
    /// those AWS adds tomorrow. High on every resource; low when the resources are scoped.
    ///
    /// ### Why is this bad
    /// `dynamodb:*` on `*` lets a compromised function read, rewrite and delete every table
    /// and its backups, not just call the three APIs it needs.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"], "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Articles"}]}
    /// ```
    pub struct ServiceWildcard {
        id: "service-wildcard",
        category: Category::ServiceWildcard,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "`service:*` grants every action of a service",
    }
}

impl Rule for ServiceWildcard {
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
            if statement.action.negated {
                continue;
            }
            for pattern in &s.patterns {
                let Some((service, "*")) = pattern.pattern.split_once(':') else {
                    continue;
                };
                if service.contains(['*', '?']) || catalog().service(service).is_none() {
                    continue;
                }
                let everywhere = matches!(
                    s.resources,
                    ResourceScope::Any | ResourceScope::Excluding(_)
                );
                let resources = s.resource_patterns();
                let where_ = if everywhere {
                    "every resource"
                } else {
                    "the listed resources"
                };
                let mut finding = Self::META.finding(
                    at(policy, statement, Some(&format!("{}[{}]", statement.action_key(), pattern.position))),
                    format!("{} grants every {service} action on {where_}", quoted(&pattern.pattern)),
                    format!(
                        "{} allows all {} actions of {service}, including ones the principal never calls and ones AWS adds later.",
                        quoted(&pattern.pattern),
                        pattern.matched
                    ),
                    format!("Replace {} with the {service} actions the principal calls{}.", quoted(&pattern.pattern),
                        if everywhere { ", and scope `Resource` to their ARNs" } else { "" }),
                );
                if !everywhere {
                    finding.severity = Severity::Low;
                }
                finding.actions = vec![pattern.pattern.clone()];
                finding.resources = resources;
                constrain(&mut finding, &s.constraint);
                out.push(finding);
            }
        }
    }
}
