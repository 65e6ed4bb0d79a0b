use crate::rules::principals::{conditions_on, pinned, pins, services};
use crate::rules::{at, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a resource policy statement that allows `s3.amazonaws.com` with an
    /// `aws:SourceArn` condition but no `aws:SourceAccount` (or `aws:SourceOrgID`) condition.
    /// (A statement with neither is a `service-principal-without-source` finding.)
    ///
    /// ### Why is this bad
    /// S3 bucket ARNs carry no account id and bucket names are global: once the bucket is
    /// deleted, anyone can create a bucket with the same name in their own account, and its
    /// event notifications then invoke your function.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowS3Invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:ProcessUpload", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::example-uploads"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "AllowS3Invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:ProcessUpload", "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::example-uploads"}, "StringEquals": {"AWS:SourceAccount": "111122223333"}}}]}
    /// ```
    pub struct S3PrincipalWithoutSourceAccount {
        id: "s3-principal-without-source-account",
        category: Category::ConfusedDeputy,
        severity: Severity::Low,
        kinds: kinds::RESOURCE,
        summary: "`s3.amazonaws.com` is allowed by bucket ARN without an `aws:SourceAccount` condition",
    }
}

impl Rule for S3PrincipalWithoutSourceAccount {
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
            if !services(statement)
                .iter()
                .any(|svc| svc.eq_ignore_ascii_case("s3.amazonaws.com"))
            {
                continue;
            }
            if !pinned(statement, &["aws:SourceArn"])
                || pinned(
                    statement,
                    &[
                        "aws:SourceAccount",
                        "aws:SourceOwner",
                        "aws:SourceOrgID",
                        "aws:SourceOrgPaths",
                    ],
                )
            {
                continue;
            }
            let buckets: Vec<&str> = conditions_on(statement, &["aws:SourceArn"])
                .filter(|c| pins(c))
                .flat_map(|c| c.values.iter().map(String::as_str))
                .collect();
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Condition")),
                "`s3.amazonaws.com` is trusted by bucket name only".to_string(),
                format!(
                    "The statement allows `s3.amazonaws.com` when the source is {}, but bucket ARNs carry no account: if the bucket is deleted, a bucket of the same name in another account passes the condition.",
                    quoted_list(&buckets, 3)
                ),
                "Add an `AWS:SourceAccount` condition with the bucket owner's account id (`\"StringEquals\": {\"AWS:SourceAccount\": \"<account id>\"}`).".to_string(),
            );
            finding.actions = statement.action.patterns.clone();
            finding.resources = s.resource_patterns();
            out.push(finding);
        }
    }
}
