use crate::rules::{at, kinds, Rule, RuleContext};
use crate::catalog::{catalog, AccessLevel};
use crate::matching::{has_wildcard, parse_arn};
use crate::policy::Statement;
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a Lambda function policy statement (its resource is a function ARN, or all its
    /// actions are `lambda:` actions) whose action is a wildcard such as `lambda:*` or `*` that
    /// reaches write or permissions-management actions beyond `lambda:InvokeFunction` and
    /// `lambda:InvokeFunctionUrl`.
    ///
    /// ### Why is this bad
    /// A trigger needs to invoke the function, nothing else. `lambda:*` also lets the principal
    /// replace the function's code (`lambda:UpdateFunctionCode`), change its configuration and
    /// add permissions for others: whoever controls the principal runs their code with the
    /// function's role.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowAPIGatewayInvoke", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:*", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:abc123/*/POST/articles"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowAPIGatewayInvoke", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:abc123/*/POST/articles"}}}]}
    /// ```
    pub struct LambdaWildcardAction {
        id: "lambda-wildcard-action",
        category: Category::ServiceWildcard,
        severity: Severity::Medium,
        kinds: kinds::RESOURCE,
        summary: "a Lambda function policy grants `lambda:*` instead of `lambda:InvokeFunction`",
    }
}

/// A statement of a function policy: a function resource, or only `lambda:` actions.
fn is_function_policy(statement: &Statement) -> bool {
    let function_resource = statement.resource.as_ref().is_some_and(|r| {
        !r.negated
            && r.patterns.iter().any(|p| {
                parse_arn(p).is_some_and(|arn| {
                    arn.service == "lambda" && arn.resource.starts_with("function:")
                })
            })
    });
    let lambda_actions = statement.action.patterns.iter().all(|p| {
        p.get(..7)
            .is_some_and(|prefix| prefix.eq_ignore_ascii_case("lambda:"))
    });
    function_resource || lambda_actions
}

impl Rule for LambdaWildcardAction {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let lambda = catalog().actions_of_service("lambda");
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if statement.action.negated || !is_function_policy(statement) {
                continue;
            }
            for pattern in &s.patterns {
                if !has_wildcard(&pattern.pattern) {
                    continue;
                }
                let mut reached = catalog().expand(&pattern.pattern).actions;
                reached.intersect_with(&lambda);
                let beyond: Vec<String> = reached
                    .iter()
                    .filter_map(|id| catalog().action(id))
                    .filter(|a| {
                        matches!(
                            a.access_level(),
                            AccessLevel::Write | AccessLevel::PermissionsManagement
                        ) && !a.name().starts_with("Invoke")
                    })
                    .map(|a| a.qualified())
                    .collect();
                if beyond.is_empty() {
                    continue;
                }
                let notable: Vec<&str> = [
                    "lambda:UpdateFunctionCode",
                    "lambda:AddPermission",
                    "lambda:UpdateFunctionConfiguration",
                    "lambda:DeleteFunction",
                ]
                .into_iter()
                .filter(|n| beyond.iter().any(|b| b.eq_ignore_ascii_case(n)))
                .collect();
                let mut finding = Self::META.finding(
                    at(policy, statement, Some(&format!("{}[{}]", statement.action_key(), pattern.position))),
                    format!("{} grants more than invoking the function", quoted(&pattern.pattern)),
                    format!(
                        "{} reaches {} Lambda write and permissions actions besides invoking{}.",
                        quoted(&pattern.pattern),
                        beyond.len(),
                        if notable.is_empty() {
                            String::new()
                        } else {
                            format!(", including {}", crate::text::quoted_list(&notable, 4))
                        }
                    ),
                    format!(
                        "Replace {} with `lambda:InvokeFunction` (or `lambda:InvokeFunctionUrl` for a function URL).",
                        quoted(&pattern.pattern)
                    ),
                );
                finding.actions = vec![pattern.pattern.clone()];
                finding.resources = s.resource_patterns();
                out.push(finding);
            }
        }
    }
}
