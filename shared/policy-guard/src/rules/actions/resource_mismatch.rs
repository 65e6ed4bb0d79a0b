use crate::rules::{at, Rule, RuleContext};
use crate::catalog::{catalog, ResourceTypeDef};
use crate::analysis::ResourceScope;
use crate::matching::{parse_arn, pattern_overlaps_format};
use crate::{Category, DocumentKind, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports an action named in a statement whose resources cannot be of any type the action
    /// acts on: `s3:GetObject` on `arn:aws:s3:::bucket` (a bucket, not its objects),
    /// `s3:ListBucket` on `arn:aws:s3:::bucket/*` (objects, not the bucket),
    /// `dynamodb:Query` on a log group. Only actions named exactly are checked: `s3:*` on a
    /// bucket is expected to leave object actions unmatched.
    ///
    /// ### Why is this bad
    /// The line grants nothing. The application fails with AccessDenied, and the usual "fix"
    /// under time pressure is `Resource: "*"`. In a `Deny`, the mismatch protects nothing.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::reports"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"]}]}
    /// ```
    pub struct ResourceMismatch {
        id: "resource-mismatch",
        category: Category::ResourceMismatch,
        severity: Severity::Medium,
        kinds: &[DocumentKind::Identity, DocumentKind::PermissionsBoundary, DocumentKind::Resource],
        summary: "an action paired only with resources it cannot act on",
    }
}

impl Rule for ResourceMismatch {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let catalog = catalog();
        for s in &analysis.statements {
            let ResourceScope::Listed(patterns) = &s.resources else {
                continue;
            };
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if statement.action.negated {
                continue;
            }
            // Only same-service pairs are judged: every resource an ARN of the action's
            // service. So only the actions of the one service all the resources name.
            let Some(resource_service) = common_service(patterns) else {
                continue;
            };
            let mut mismatched = Vec::new();
            let mut expected = Vec::new();
            // Policy variables (`${aws:username}`) stand for any value.
            let comparable: Vec<String> = patterns.iter().map(|p| without_variables(p)).collect();
            // Actions of a statement share resource types: test each type against the
            // patterns once.
            let mut type_fits: Vec<(*const ResourceTypeDef, bool)> = Vec::new();
            // The actions named exactly (the analysis looked them up).
            for id in s.patterns.iter().filter_map(|p| p.exact) {
                let Some(def) = catalog.action(id) else {
                    continue;
                };
                if resource_service.is_some_and(|r| !r.eq_ignore_ascii_case(def.service_prefix())) {
                    continue;
                }
                let service = def.service_prefix();
                let types: Vec<_> = def.resource_types().collect();
                if !has_own_type(service, &types) {
                    continue;
                }
                let fits = types.iter().any(|&t| {
                    let key = std::ptr::from_ref(t);
                    if let Some(&(_, fits)) = type_fits.iter().find(|(known, _)| *known == key) {
                        return fits;
                    }
                    let fits = comparable
                        .iter()
                        .any(|p| pattern_overlaps_format(p, t.arn_format()));
                    type_fits.push((key, fits));
                    fits
                });
                if !fits {
                    mismatched.push(def.qualified());
                    // The simplest format of the action's own types, as the example to follow.
                    let own = types
                        .iter()
                        .filter(|t| {
                            parse_arn(t.arn_format())
                                .is_some_and(|a| a.service == def.service_prefix())
                        })
                        .min_by_key(|t| t.arn_format().matches("${").count());
                    if let Some(first) = own {
                        expected.push(format!("{} ({})", def.qualified(), first.arn_format()));
                    }
                }
            }
            if mismatched.is_empty() {
                continue;
            }
            let mut finding = Self::META.finding(
                at(policy, statement, Some(statement.resource_key())),
                format!(
                    "{} paired only with resources {} cannot act on",
                    quoted_list(&mismatched, 3),
                    if mismatched.len() == 1 { "it" } else { "they" }
                ),
                format!(
                    "None of {} is a resource of a type these actions accept, so the line {}. Expected: {}.",
                    quoted_list(patterns, 4),
                    if statement.is_allow() { "grants nothing" } else { "denies nothing" },
                    quoted_list(&expected, 3)
                ),
                "Use ARNs of the resource type each action acts on (for S3 objects `arn:aws:s3:::bucket/*`, for the bucket itself `arn:aws:s3:::bucket`), or move the action to a statement that names them.".to_string(),
            );
            finding.actions = mismatched;
            finding.resources = patterns.clone();
            out.push(finding);
        }
    }
}

/// The service every pattern is an ARN of: `Some(None)` when there are no patterns (then
/// every action counts as of their service), `None` when they are not all ARNs of one
/// service (then no action does).
fn common_service(patterns: &[String]) -> Option<Option<&str>> {
    let mut services = patterns.iter().map(|p| parse_arn(p).map(|arn| arn.service));
    let Some(first) = services.next() else {
        return Some(None);
    };
    let first = first?;
    services
        .all(|s| s.is_some_and(|s| s.eq_ignore_ascii_case(first)))
        .then_some(Some(first))
}

/// Only clear type errors are reported: the action acts on resources of its own service and
/// every pattern names that service. Actions that act on other services' resources
/// (`wafv2:DisassociateWebACL` on a load balancer), actions that only support `*`, and
/// statements that deliberately mix services are left alone: the catalog cannot settle them.
/// Whether some of the action's resource types belong to its own service (those are the
/// types a same-service ARN can be judged against).
fn has_own_type(service: &str, types: &[&ResourceTypeDef]) -> bool {
    types
        .iter()
        .any(|t| parse_arn(t.arn_format()).is_some_and(|arn| arn.service == service))
}

/// Replaces each `${...}` policy variable with `*`.
fn without_variables(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let tail = rest.get(start..).unwrap_or_default();
        match tail.find('}') {
            Some(end) => {
                out.push('*');
                rest = tail.get(end + 1..).unwrap_or_default();
            }
            None => {
                out.push_str(tail);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::{common_service, without_variables};

    #[test]
    fn the_service_all_resources_name() {
        let of = |patterns: &[&str]| {
            let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
            common_service(&patterns).map(|s| s.map(str::to_string))
        };
        assert_eq!(
            of(&["arn:aws:s3:::a", "arn:aws:S3:::b/*"]),
            Some(Some("s3".to_string()))
        );
        assert_eq!(of(&["arn:aws:s3:::a", "arn:aws:sqs:us-east-1:1:q"]), None);
        assert_eq!(of(&["arn:aws:s3:::a", "*"]), None);
        assert_eq!(of(&["*"]), None);
        assert_eq!(of(&[]), Some(None));
    }

    #[test]
    fn policy_variables_become_wildcards() {
        assert_eq!(
            without_variables("arn:aws:s3:::${aws:PrincipalTag/b}/x"),
            "arn:aws:s3:::*/x"
        );
        assert_eq!(without_variables("a${b"), "a${b");
    }
}
