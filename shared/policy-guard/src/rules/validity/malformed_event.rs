use crate::rules::{kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a permission-changing CloudTrail event the guard cannot understand: a missing
    /// field the change depends on (CloudTrail omits request parameters it cannot record), a
    /// field of the wrong type. A document that is there but invalid is `malformed-policy`.
    ///
    /// ### Why is this bad
    /// The guard cannot judge what it cannot read. Retrying would not help, and staying silent
    /// would let the change pass unseen, so the event itself becomes the finding.
    ///
    /// ### Example
    /// ```json
    /// {"source": "aws.iam", "detail-type": "AWS API Call via CloudTrail", "detail": {"eventSource": "iam.amazonaws.com", "eventName": "PutRolePolicy", "requestParameters": {"roleName": "app", "policyName": "p"}}}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"source": "aws.iam", "detail-type": "AWS API Call via CloudTrail", "detail": {"eventSource": "iam.amazonaws.com", "eventName": "PutRolePolicy", "requestParameters": {"roleName": "app", "policyName": "p", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"sqs:SendMessage\",\"Resource\":\"arn:aws:sqs:us-east-1:111122223333:jobs\"}]}"}}}
    /// ```
    pub struct MalformedEvent {
        id: "malformed-event",
        category: Category::Malformed,
        severity: Severity::Medium,
        kinds: kinds::NONE,
        summary: "permission-changing event that cannot be understood",
    }
}

impl Rule for MalformedEvent {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, _cx: &RuleContext<'_>, _out: &mut Vec<Finding>) {
        // Events are judged by `change`, which builds this rule's findings.
    }
}
