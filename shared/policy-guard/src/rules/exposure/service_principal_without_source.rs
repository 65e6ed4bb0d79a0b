use crate::rules::principals::{pinned, services};
use crate::tables::keys::SOURCE_KEYS;
use crate::rules::{at, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a resource policy statement that allows an AWS service principal
    /// (`s3.amazonaws.com`, `events.amazonaws.com`, `sns.amazonaws.com`...) with no condition
    /// on `aws:SourceArn`, `aws:SourceAccount`, `aws:SourceOwner`, `aws:SourceOrgID` or
    /// `aws:SourceOrgPaths` (keys compare case-insensitively: `AWS:SourceArn` counts).
    ///
    /// ### Why is this bad
    /// The service acts for all of its customers. Without a source condition, a bucket, rule or
    /// topic in anybody's account can make the service call your function or write to your
    /// resource: the confused deputy problem.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowCloudWatchEventsInvoke", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowCloudWatchEventsInvoke", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:events:us-east-1:111122223333:rule/nightly-report"}}}]}
    /// ```
    pub struct ServicePrincipalWithoutSource {
        id: "service-principal-without-source",
        category: Category::ConfusedDeputy,
        severity: Severity::High,
        kinds: kinds::RESOURCE,
        summary: "a service principal is allowed without an `aws:SourceArn` or `aws:SourceAccount` condition",
    }
}

impl Rule for ServicePrincipalWithoutSource {
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
            let services = services(statement);
            if services.is_empty() || pinned(statement, SOURCE_KEYS) {
                continue;
            }
            let actions = statement.action.patterns.clone();
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                format!(
                    "{} may act for any AWS account",
                    quoted_list(&services, 2)
                ),
                format!(
                    "{} is allowed {} with no `aws:SourceArn` or `aws:SourceAccount` condition: a resource in any account can make the service call on its behalf (confused deputy).",
                    quoted_list(&services, 4),
                    quoted_list(&actions, 4)
                ),
                "Add an `AWS:SourceArn` condition (`\"Condition\": {\"ArnLike\": {\"AWS:SourceArn\": \"<ARN of the bucket, rule, topic or API>\"}}`) and, for services whose source ARNs carry no account, an `AWS:SourceAccount` condition.".to_string(),
            );
            finding.actions = actions;
            finding.resources = s.resource_patterns();
            out.push(finding);
        }
    }
}
