use super::{at, Rule, RuleContext};
use crate::catalog::{catalog, ResourceTypeDef};
use crate::eval::ResourceScope;
use crate::matching::{has_wildcard, parse_arn, pattern_overlaps_format};
use crate::report::{Category, DocumentKind, Finding};
use crate::text::quoted_list;
use crate::Severity;
use std::collections::HashMap;

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
    fn meta(&self) -> &'static super::RuleMeta {
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
            let mut mismatched = Vec::new();
            let mut expected = Vec::new();
            // Policy variables (`${aws:username}`) stand for any value.
            let comparable: Vec<String> = patterns.iter().map(|p| without_variables(p)).collect();
            let services: Vec<Option<&str>> = patterns
                .iter()
                .map(|p| parse_arn(p).map(|arn| arn.service))
                .collect();
            // Actions of a statement share resource types: test each type against the
            // patterns once.
            let mut type_fits: HashMap<*const ResourceTypeDef, bool> = HashMap::new();
            for action in statement
                .action
                .patterns
                .iter()
                .filter(|p| !has_wildcard(p))
            {
                let Some(def) = catalog.lookup(action).and_then(|id| catalog.action(id)) else {
                    continue;
                };
                // Only same-service pairs are judged: every resource an ARN of the action's service.
                let service = def.service_prefix();
                let same_service = services
                    .iter()
                    .all(|s| s.is_some_and(|s| s.eq_ignore_ascii_case(service)));
                let types: Vec<_> = def.resource_types().collect();
                if !same_service || !has_own_type(service, &types) {
                    continue;
                }
                let fits = types.iter().any(|&t| {
                    *type_fits.entry(std::ptr::from_ref(t)).or_insert_with(|| {
                        comparable
                            .iter()
                            .any(|p| pattern_overlaps_format(p, t.arn_format()))
                    })
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
    use super::without_variables;

    #[test]
    fn policy_variables_become_wildcards() {
        assert_eq!(
            without_variables("arn:aws:s3:::${aws:PrincipalTag/b}/x"),
            "arn:aws:s3:::*/x"
        );
        assert_eq!(without_variables("a${b"), "a${b");
    }
}
