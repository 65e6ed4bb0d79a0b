use crate::rules::{at, Rule, RuleContext};
use crate::text::quoted;
use crate::Severity;
use crate::{Category, DocumentKind, Finding};

declare_rule! {
    /// ### What it does
    /// Reports, in identity policies and permissions boundaries, a statement `Sid` with a
    /// character other than ASCII letters and digits (`Allow-Read`, `read_only`, `S3 access`),
    /// and a `Sid` used by two statements of the same policy. Resource and trust policies are
    /// not judged: services such as SQS and SNS accept other characters there.
    ///
    /// ### Why is this bad
    /// The IAM User Guide ("IAM JSON policy elements: Sid") allows only `A-Z`, `a-z` and `0-9`
    /// and requires the `Sid` to be unique within the policy: IAM rejects the document, so the
    /// deployment that carries it fails. High, like any document that will not deploy.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "Read-Reports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Sid": "ReadReports", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*"}]}
    /// ```
    pub struct InvalidSid {
        id: "invalid-sid",
        category: Category::Malformed,
        severity: Severity::High,
        kinds: IAM_POLICIES,
        summary: "a statement `Sid` IAM rejects: not alphanumeric, or not unique in the policy",
    }
}

/// The documents IAM itself stores and validates.
const IAM_POLICIES: &[DocumentKind] = &[DocumentKind::Identity, DocumentKind::PermissionsBoundary];

impl Rule for InvalidSid {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, _)) = cx.policy() else {
            return;
        };
        let mut seen: Vec<&str> = Vec::new();
        for statement in &policy.statements {
            let Some(sid) = statement.sid.as_deref() else {
                continue;
            };
            let location = at(policy, statement, Some("Sid"));
            if !sid.bytes().all(|b| b.is_ascii_alphanumeric()) {
                let fixed: String = sid.chars().filter(char::is_ascii_alphanumeric).collect();
                out.push(Self::META.finding(
                    location,
                    format!("invalid Sid {}", quoted(sid)),
                    format!(
                        "The Sid {} has characters other than ASCII letters and digits: IAM rejects the policy, so it will not deploy.",
                        quoted(sid)
                    ),
                    format!(
                        "Use only `A-Z`, `a-z` and `0-9` in the Sid, e.g. {}.",
                        quoted(if fixed.is_empty() { "Statement1" } else { &fixed })
                    ),
                ));
            } else if seen.contains(&sid) {
                out.push(Self::META.finding(
                    location,
                    format!("duplicate Sid {}", quoted(sid)),
                    format!(
                        "Another statement of the policy already has the Sid {}: IAM requires Sids to be unique within a policy and rejects it, so it will not deploy.",
                        quoted(sid)
                    ),
                    "Give each statement its own Sid, or remove the Sid.".to_string(),
                ));
            }
            seen.push(sid);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::{check_document, CheckOptions};
    use crate::{Config, DocumentKind};

    fn sid_findings(text: &str, kind: DocumentKind) -> usize {
        let config = Config::default();
        let options = CheckOptions {
            account: Some("111122223333"),
            config: &config,
        };
        check_document(text, kind, &options)
            .iter()
            .filter(|f| f.rule_id == "invalid-sid")
            .count()
    }

    #[test]
    fn only_documents_iam_stores_are_held_to_iam_sid_rules() {
        let identity = r#"{"Version":"2012-10-17","Statement":[{"Sid":"a-b","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"a-b","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#;
        // The second statement is both invalid and a duplicate: one finding each statement.
        assert_eq!(sid_findings(identity, DocumentKind::Identity), 2);
        assert_eq!(sid_findings(identity, DocumentKind::PermissionsBoundary), 2);
        let resource = r#"{"Version":"2012-10-17","Statement":[{"Sid":"sqs-from-sns_1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:111122223333:jobs"}]}"#;
        assert_eq!(sid_findings(resource, DocumentKind::Resource), 0);
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Sid":"trust-ci","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]}"#;
        assert_eq!(sid_findings(trust, DocumentKind::Trust), 0);
    }
}
