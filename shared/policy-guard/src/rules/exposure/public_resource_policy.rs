use crate::rules::principals::{conditions_on, is_public, pinned, pins};
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::analysis::Constraint;
use crate::policy::{OperatorFamily, Statement};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a resource policy statement that allows `"*"` (or `{"AWS": "*"}`) without a
    /// condition naming who may call or from where: `aws:SourceArn`, `aws:SourceAccount`,
    /// `aws:SourceOwner`, `aws:SourceOrgID`, `aws:PrincipalOrgID`, `aws:PrincipalOrgPaths`,
    /// `aws:PrincipalAccount`, `aws:PrincipalArn`, `aws:SourceVpc`, `aws:SourceVpce`,
    /// `kms:CallerAccount`, or `lambda:FunctionUrlAuthType` set to `AWS_IAM`. Critical; a
    /// condition about the channel only (`aws:SecureTransport`) does not help; `aws:SourceIp`
    /// makes it high; other conditions lower it. `lambda:InvokeFunctionUrl` with
    /// `lambda:FunctionUrlAuthType` `NONE` is a public function URL.
    ///
    /// ### Why is this bad
    /// Anyone on the internet, or any AWS account, can invoke the function, read the bucket or
    /// send to the queue: the resource's cost, data and downstream systems are theirs to use.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "public-invoke", "Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "apigateway-invoke", "Effect": "Allow", "Principal": {"Service": "apigateway.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:abc123/*/POST/articles"}}}]}
    /// ```
    pub struct PublicResourcePolicy {
        id: "public-resource-policy",
        category: Category::PublicAccess,
        severity: Severity::Critical,
        kinds: kinds::RESOURCE,
        summary: "a resource policy allows anyone without a condition on who or where",
    }
}

/// Conditions that name the caller, its account or organization, or its network.
const SCOPING_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalServiceName",
    "aws:userid",
    "aws:SourceVpc",
    "aws:SourceVpcArn",
    "aws:SourceVpce",
    "aws:VpceAccount",
    "aws:VpceOrgID",
    "aws:VpceOrgPaths",
    "kms:CallerAccount",
];

const URL_AUTH: &str = "lambda:FunctionUrlAuthType";

/// `lambda:FunctionUrlAuthType` pinned to `value`.
fn url_auth_is(statement: &Statement, value: &str) -> bool {
    conditions_on(statement, &[URL_AUTH])
        .any(|c| pins(c) && c.values.iter().all(|v| v.eq_ignore_ascii_case(value)))
}

fn source_ip(statement: &Statement) -> bool {
    conditions_on(statement, &["aws:SourceIp"])
        .any(|c| c.operator.family() == OperatorFamily::IpAddress && !c.operator.is_negated())
}

impl Rule for PublicResourcePolicy {
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
            if !is_public(statement)
                || pinned(statement, SCOPING_KEYS)
                || url_auth_is(statement, "AWS_IAM")
            {
                continue;
            }
            let actions = statement.action.patterns.clone();
            let resources = s.resource_patterns();
            let public_url = url_auth_is(statement, "NONE");
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                if public_url {
                    "The function URL is open to anyone on the internet".to_string()
                } else {
                    format!("Anyone may call {}", quoted_list(&actions, 3))
                },
                format!(
                    "`Principal` is `*` and no condition names the caller's account, organization, source or network: anyone may call {} on {}{}.",
                    quoted_list(&actions, 5),
                    if resources.is_empty() { "this resource".to_string() } else { quoted_list(&resources, 3) },
                    if public_url { " through a function URL that takes unsigned requests (`lambda:FunctionUrlAuthType` is `NONE`)" } else { "" }
                ),
                if public_url {
                    "Set the function URL's `AuthType` to `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the callers' roles, or put the function behind API Gateway with an authorizer.".to_string()
                } else {
                    "Replace `\"Principal\": \"*\"` with the accounts, roles or service that need access, or add an `aws:SourceArn`, `aws:SourceAccount` or `aws:PrincipalOrgID` condition.".to_string()
                },
            );
            finding.actions = actions;
            finding.resources = resources;
            if public_url {
                // The auth type condition is what makes it public; nothing lowers it.
            } else if source_ip(statement) {
                let keys: Vec<String> = statement.condition_keys().map(str::to_string).collect();
                finding.severity = Severity::High;
                finding.message.push_str(&format!(
                    " The condition on {} limits callers to some networks, so the severity is high rather than critical.",
                    quoted_list(&keys, 4)
                ));
                finding.constrained_by = keys;
            } else if matches!(s.constraint, Constraint::Scoping(_)) {
                constrain(&mut finding, &s.constraint);
            } else if let Constraint::Weak(keys) = &s.constraint {
                finding.message.push_str(&format!(
                    " The condition on {} is about how the request is made, not who makes it.",
                    quoted_list(keys, 4)
                ));
            }
            out.push(finding);
        }
    }
}
