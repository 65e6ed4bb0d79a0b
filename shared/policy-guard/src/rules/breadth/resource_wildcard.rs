use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::catalog::{catalog, ActionId, ActionSet};
use crate::analysis::ResourceScope;
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;
use std::sync::OnceLock;

declare_rule! {
    /// ### What it does
    /// Reports `"Resource": "*"`, or a pattern that covers every resource of a type in every
    /// account and region (`arn:aws:s3:::*/*`, `arn:aws:dynamodb:*:*:table/*`,
    /// `arn:aws:*:*:*:*`), for actions that accept resource ARNs. Actions that AWS only
    /// allows on `*` (`xray:PutTraceSegments`, `rekognition:DetectLabels`, the `ec2:Describe*`
    /// calls) are not findings, and neither are the network-interface actions Lambda needs to
    /// attach a function to a VPC, which AWS documents with `Resource: "*"`. Writing log
    /// events on `*` (AWSLambdaBasicExecutionRole) is reported at low.
    ///
    /// ### Why is this bad
    /// The principal can act on every resource of the type in the account, including those
    /// created later for other applications, where it needs one table or one log group.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:ReceiveMessage"], "Resource": "arn:aws:sqs:us-east-1:111122223333:jobs"}, {"Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"}]}
    /// ```
    pub struct ResourceWildcard {
        id: "resource-wildcard",
        category: Category::ResourceWildcard,
        severity: Severity::Medium,
        kinds: kinds::IDENTITY,
        summary: "`Resource: \"*\"` for actions that accept resource ARNs",
    }
}

/// The network-interface actions a VPC-attached Lambda function's role needs. Lambda creates
/// the ENIs in subnets chosen at deploy time, and AWS documents these with `Resource: "*"`
/// (AWSLambdaVPCAccessExecutionRole does the same).
const LAMBDA_VPC_ENI_ACTIONS: &[&str] = &[
    "ec2:CreateNetworkInterface",
    "ec2:DeleteNetworkInterface",
    "ec2:DescribeNetworkInterfaces",
    "ec2:AssignPrivateIpAddresses",
    "ec2:UnassignPrivateIpAddresses",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcs",
];

/// Delivering logs: AWSLambdaBasicExecutionRole grants the first three on `*`, and API
/// Gateway's account-wide logging role (AmazonAPIGatewayPushToCloudWatchLogs, which a seed
/// recommends on `arn:aws:logs:*:*:*`) all of them, because API Gateway names and finds the
/// log groups of every API itself. Reported at low, not medium.
const LOG_DELIVERY_ACTIONS: &[&str] = &[
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogGroups",
    "logs:DescribeLogStreams",
    "logs:GetLogEvents",
    "logs:FilterLogEvents",
];

/// Services whose catalog data marks required resource types as optional: S3's object actions
/// all need `object*` in AWS's reference, but the source data lost the marker.
const OPTIONAL_MARKER_UNRELIABLE: &[&str] = &["s3"];

/// The actions this rule judges: every action but the exempt ones, computed once per process.
fn judged_actions() -> &'static ActionSet {
    static JUDGED: OnceLock<ActionSet> = OnceLock::new();
    JUDGED.get_or_init(|| exempt().complement())
}

/// The actions [`is_exempt`] holds for, computed once per process.
fn exempt() -> &'static ActionSet {
    static EXEMPT: OnceLock<ActionSet> = OnceLock::new();
    EXEMPT.get_or_init(|| {
        catalog()
            .actions()
            .map(|(id, _)| id)
            .filter(|&id| is_exempt(id))
            .collect()
    })
}

fn is_exempt(id: ActionId) -> bool {
    catalog().action(id).is_none_or(|def| {
        let mut types = def.resource_types_with_required().peekable();
        let star_only = types.peek().is_none();
        // Every resource type optional (rekognition:DetectModerationLabels with an optional
        // custom adapter): the plain call has no resource, so `*` is what AWS expects.
        let all_optional = types.all(|(_, required)| !required)
            && !OPTIONAL_MARKER_UNRELIABLE.contains(&def.service_prefix());
        star_only
            || all_optional
            || (def.service_prefix() == "ec2"
                && LAMBDA_VPC_ENI_ACTIONS.iter().any(|a| {
                    a.strip_prefix("ec2:")
                        .is_some_and(|name| name.eq_ignore_ascii_case(def.name()))
                }))
    })
}

impl Rule for ResourceWildcard {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        // Nearly everything on everything is the administrator finding.
        if analysis.grants_administrator() {
            return;
        }
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            // NotAction and NotResource have rules of their own.
            if statement.action.negated
                || matches!(s.resources, ResourceScope::Excluding(_) | ResourceScope::Implicit)
            {
                continue;
            }
            let mut judged = s.actions_reaching_everywhere_among(judged_actions());
            judged.subtract(analysis.denied_broadly());
            let ids: Vec<ActionId> = judged.iter().collect();
            let actions: Vec<String> = ids
                .iter()
                .filter_map(|&id| catalog().action(id).map(|a| a.qualified()))
                .collect();
            if actions.is_empty() {
                continue;
            }
            let they = if actions.len() == 1 { "it accepts" } else { "they accept" };
            let literal_star = s.written_resources.iter().any(|r| r == "*");
            let message = if literal_star {
                format!(
                    "`Resource: \"*\"` applies {} to every matching resource in the account, though {they} resource ARNs.",
                    quoted_list(&actions, 5),
                )
            } else {
                format!(
                    "{}, so it applies {} to every matching resource in every account and region, though {they} resource ARNs.",
                    coverage(s, &ids),
                    quoted_list(&actions, 5),
                )
            };
            let mut finding = Self::META.finding(
                at(policy, statement, Some(statement.resource_key())),
                format!("{} action{} allowed on every resource", actions.len(), if actions.len() == 1 { "" } else { "s" }),
                message,
                "Scope `Resource` to the ARNs of the resources the principal uses (table, queue, log group, bucket/*).".to_string(),
            );
            if actions.iter().all(|a| {
                LOG_DELIVERY_ACTIONS
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(a))
            }) {
                finding.severity = Severity::Low;
            }
            finding.actions = actions;
            finding.resources = s.resource_patterns();
            constrain(&mut finding, &s.constraint);
            out.push(finding);
        }
    }
}

/// "`arn:aws:s3:::*/*` covers every s3 `object`": which written pattern reaches which whole
/// resource type, for the first few actions (each resource type compared once).
fn coverage(s: &crate::analysis::StatementAnalysis, ids: &[ActionId]) -> String {
    let catalog = catalog();
    let mut seen: Vec<usize> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for &id in ids.iter().take(8) {
        let Some(def) = catalog.action(id) else {
            continue;
        };
        for index in def.resource_type_indexes() {
            if seen.contains(&index) {
                continue;
            }
            seen.push(index);
            let Some(t) = catalog.resource_type_by_index(index) else {
                continue;
            };
            for pattern in &s.written_resources {
                if crate::matching::pattern_covers_format_anywhere(pattern, t.arn_format()) {
                    pairs.push((pattern.clone(), format!("{} `{}`", def.service_prefix(), t.name())));
                }
            }
        }
    }
    let mut by_pattern: Vec<(String, Vec<String>)> = Vec::new();
    for (pattern, what) in pairs {
        match by_pattern.iter_mut().find(|(p, _)| *p == pattern) {
            Some((_, list)) => list.push(what),
            None => by_pattern.push((pattern, vec![what])),
        }
    }
    let parts: Vec<String> = by_pattern
        .iter()
        .take(3)
        .map(|(pattern, what)| {
            let shown: Vec<&str> = what.iter().take(4).map(String::as_str).collect();
            let more = if what.len() > shown.len() { ", …" } else { "" };
            format!("{} covers every {}{more}", crate::text::quoted(pattern), shown.join(", every "))
        })
        .collect();
    if parts.is_empty() {
        "The resource pattern".to_string()
    } else {
        parts.join("; ")
    }
}
