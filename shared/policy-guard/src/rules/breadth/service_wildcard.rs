use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::catalog::catalog;
use crate::analysis::{ResourceScope, StatementAnalysis};
use crate::policy::Policy;
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a policy that grants every action of a service, today's and those AWS adds
    /// tomorrow: high when the actions reach every resource, however that is written
    /// (`dynamodb:*` on `*`, on `arn:aws:dynamodb:*:*:*`, or `"*"` with a `Deny` whose
    /// `NotAction` leaves one service); low for `service:*` or `*` on named resources. A policy
    /// that grants nearly everything is the administrator rule's finding instead.
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
        if analysis.grants_administrator() {
            return;
        }
        let allowed = analysis.allowed();
        let mut reported: Vec<&'static str> = Vec::new();
        for service in catalog().services() {
            // Every action allowed somewhere first (cheap), then on every resource.
            let mut ids = service.action_ids();
            if ids.is_empty() || !ids.all(|id| allowed.contains(id)) {
                continue;
            }
            let broad = analysis.broad();
            if !service.action_ids().all(|id| broad.contains(id)) {
                continue;
            }
            if let Some(finding) = whole_service(policy, analysis, service) {
                reported.push(service.prefix());
                out.push(finding);
            }
        }
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if statement.action.negated || matches!(s.resources, ResourceScope::Any) {
                continue;
            }
            for pattern in &s.patterns {
                let services = named_services(&pattern.pattern, s);
                if services.is_empty() || services.iter().all(|svc| reported.contains(svc)) {
                    continue;
                }
                let (what, fix) = if pattern.pattern == "*" {
                    ("every action".to_string(), "the actions the principal calls".to_string())
                } else {
                    let svc = services.first().copied().unwrap_or_default();
                    (format!("every {svc} action"), format!("the {svc} actions the principal calls"))
                };
                let mut finding = Self::META.finding(
                    at(policy, statement, Some(&format!("{}[{}]", statement.action_key(), pattern.position))),
                    format!("{} grants {what} on the listed resources", quoted(&pattern.pattern)),
                    format!(
                        "{} allows {what} ({} actions) on {}, including ones the principal never calls and ones AWS adds later.",
                        quoted(&pattern.pattern),
                        pattern.matched,
                        crate::text::quoted_list(&s.written_resources, 4),
                    ),
                    format!("Replace {} with {fix}.", quoted(&pattern.pattern)),
                );
                finding.severity = Severity::Low;
                finding.actions = vec![pattern.pattern.clone()];
                finding.resources = s.resource_patterns();
                constrain(&mut finding, &s.constraint);
                out.push(finding);
            }
        }
    }
}

/// The services a `service:*` or `*` pattern grants wholesale: `*` names the services its
/// statement's resource patterns belong to.
fn named_services(pattern: &str, s: &StatementAnalysis) -> Vec<&'static str> {
    let catalog = catalog();
    if pattern == "*" {
        let mut services: Vec<&'static str> = s
            .written_resources
            .iter()
            .filter_map(|r| crate::matching::parse_arn(r))
            .filter_map(|arn| catalog.service(arn.service).map(|svc| svc.prefix()))
            .collect();
        services.sort_unstable();
        services.dedup();
        return services;
    }
    let Some((service, "*")) = pattern.split_once(':') else {
        return Vec::new();
    };
    if service.contains(['*', '?']) {
        return Vec::new();
    }
    catalog
        .service(service)
        .map(|svc| vec![svc.prefix()])
        .unwrap_or_default()
}

/// The finding for a service all of whose actions the policy grants on every resource.
fn whole_service(
    policy: &Policy,
    analysis: &crate::analysis::Analysis,
    service: crate::catalog::ServiceRef,
) -> Option<Finding> {
    let prefix = service.prefix();
    let in_service = |s: &&StatementAnalysis| service.action_ids().filter(|&id| s.broad_actions().contains(id)).count();
    let contributing: Vec<&StatementAnalysis> = analysis
        .allows()
        .filter(|s| in_service(s) > 0)
        .collect();
    let main = contributing.iter().max_by_key(|s| in_service(s))?;
    let statement = policy.statements.get(main.index)?;
    let literal = main
        .patterns
        .iter()
        .find(|p| p.pattern.eq_ignore_ascii_case(&format!("{prefix}:*")));
    let element = match literal {
        Some(p) => format!("{}[{}]", statement.action_key(), p.position),
        None => statement.action_key().to_string(),
    };
    let through: Vec<String> = contributing
        .iter()
        .map(|s| format!("Statement[{}]", s.index))
        .collect();
    let plain_star = matches!(main.resources, ResourceScope::Any)
        && main.written_resources.iter().all(|r| r == "*");
    let denies: Vec<String> = analysis
        .statements
        .iter()
        .filter(|s| s.effect == crate::policy::Effect::Deny && s.always_applies)
        .map(|s| format!("Statement[{}]", s.index))
        .collect();
    let (title, message, fix) = match literal {
        // As written: `dynamodb:*` on `*` in one statement.
        Some(p) if contributing.len() == 1 && plain_star && denies.is_empty() => (
            format!("{} grants every {prefix} action on every resource", quoted(&p.pattern)),
            format!(
                "{} allows all {} actions of {prefix}, including ones the principal never calls and ones AWS adds later.",
                quoted(&p.pattern),
                service.action_count()
            ),
            format!(
                "Replace {} with the {prefix} actions the principal calls, and scope `Resource` to their ARNs.",
                quoted(&p.pattern)
            ),
        ),
        _ => {
            let reach = if plain_star {
                String::new()
            } else {
                format!(
                    " ({} covers every resource of the service)",
                    crate::text::quoted_list(&main.written_resources, 3)
                )
            };
            let after_deny = if denies.is_empty() {
                String::new()
            } else {
                format!(", which is what remains after the Deny in {}", denies.join(", "))
            };
            (
                format!("every {prefix} action is granted on every resource"),
                format!(
                    "The policy (through {}) allows all {} actions of {prefix} on every resource{reach}{after_deny}, including ones the principal never calls and ones AWS adds later.",
                    through.join(", "),
                    service.action_count()
                ),
                format!("Grant the {prefix} actions the principal calls, and scope `Resource` to their ARNs."),
            )
        }
    };
    let mut finding = ServiceWildcard::META.finding(at(policy, statement, Some(&element)), title, message, fix);
    finding.actions = vec![format!("{prefix}:*")];
    finding.resources = main.resource_patterns();
    let unconstrained = analysis.unconstrained();
    if !service.action_ids().all(|id| unconstrained.contains(id)) {
        let constraint = contributing
            .iter()
            .map(|s| s.constraint.clone())
            .max()
            .unwrap_or(crate::analysis::Constraint::None);
        constrain(&mut finding, &constraint);
    }
    Some(finding)
}
