//! Verdicts rendered for people and machines: the SNS message the guard publishes (subject,
//! `MessageStructure=json` body with a versioned machine-readable `default` and a readable
//! `email`, and message attributes for SNS filter policies).
//!
//! Every string that came from the event (names, ARNs, user agents, error text) is
//! attacker-controlled: it goes through [`crate::text::sanitize`] and a length bound before it
//! reaches any output.

mod email;
mod machine;

pub use email::{email_text, finding_text};
pub use machine::{machine_json, MACHINE_FORMAT_VERSION};

use crate::change::Verdict;
use crate::text::sanitize;
use crate::Severity;

/// SNS rejects a message (body and attributes together) over 256 KiB; this leaves room for the
/// attributes and the JSON envelope.
pub const MESSAGE_BUDGET_BYTES: usize = 240 * 1024;

/// SNS subjects must be under 100 characters.
pub const SUBJECT_MAX_CHARS: usize = 99;

/// Findings shown in full before the rest are summarised, from most to fewest.
const KEEP_STEPS: [usize; 7] = [usize::MAX, 100, 50, 20, 10, 3, 0];

/// One SNS `Publish` call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnsMessage {
    /// ASCII, no control characters, under 100 characters.
    pub subject: String,
    /// The `MessageStructure=json` body: `{"default": "...", "email": "..."}`.
    pub message: String,
    /// Name and value, in a stable order.
    pub attributes: Vec<(String, AttributeValue)>,
}

/// An SNS message attribute value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    /// `DataType: String`.
    String(String),
    /// `DataType: String.Array`: SNS filter policies match any element.
    StringArray(Vec<String>),
}

impl AttributeValue {
    pub fn data_type(&self) -> &'static str {
        match self {
            AttributeValue::String(_) => "String",
            AttributeValue::StringArray(_) => "String.Array",
        }
    }

    /// The `StringValue` SNS takes: the text, or a JSON array for `String.Array`.
    pub fn string_value(&self) -> String {
        match self {
            AttributeValue::String(s) => s.clone(),
            AttributeValue::StringArray(items) => {
                serde_json::Value::from(items.clone()).to_string()
            }
        }
    }
}

/// The message for a verdict, or `None` when there is nothing to say (a clean verdict).
pub fn sns_message(verdict: &Verdict) -> Option<SnsMessage> {
    if !verdict.notify {
        return None;
    }
    let subject = subject(verdict);
    let attributes = attributes(verdict);
    let mut message = String::new();
    for keep in KEEP_STEPS {
        let body = serde_json::json!({
            "default": machine_json(verdict, keep).to_string(),
            "email": email_text(verdict, keep),
        });
        message = body.to_string();
        if message.len() <= MESSAGE_BUDGET_BYTES {
            break;
        }
    }
    Some(SnsMessage {
        subject,
        message,
        attributes,
    })
}

/// `[CRITICAL] AdministratorAccess attached to role new-role`.
pub fn subject(verdict: &Verdict) -> String {
    let level = match verdict.highest_severity() {
        Some(severity) => severity.as_str().to_ascii_uppercase(),
        None => "NOTE".to_string(),
    };
    ascii_line(&format!("[{level}] {}", verdict.summary), SUBJECT_MAX_CHARS)
}

/// Printable ASCII only (SNS subjects), at most `max_chars`, cut with `...`.
fn ascii_line(text: &str, max_chars: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    if clean.len() <= max_chars {
        return clean;
    }
    let cut = max_chars.saturating_sub(3);
    format!("{}...", clean.get(..cut).unwrap_or_default())
}

/// Attribute values: sanitized and bounded.
const ATTRIBUTE_MAX_CHARS: usize = 256;

fn attributes(verdict: &Verdict) -> Vec<(String, AttributeValue)> {
    let severity = verdict
        .highest_severity()
        .map_or(Severity::Info, |s| s)
        .as_str()
        .to_string();
    let rule_ids: Vec<String> = verdict
        .rule_ids()
        .iter()
        .take(50)
        .map(|id| sanitize(id, ATTRIBUTE_MAX_CHARS))
        .collect();
    let bounded = |value: Option<&String>| match value {
        Some(v) if !v.trim().is_empty() => sanitize(v, ATTRIBUTE_MAX_CHARS),
        _ => "unknown".to_string(),
    };
    let mut attributes = vec![
        ("severity".to_string(), AttributeValue::String(severity)),
        (
            "event_name".to_string(),
            AttributeValue::String(bounded(verdict.context.event_name.as_ref())),
        ),
        (
            "account".to_string(),
            AttributeValue::String(bounded(verdict.context.account.as_ref())),
        ),
    ];
    if !rule_ids.is_empty() {
        attributes.insert(
            1,
            (
                "rule_ids".to_string(),
                AttributeValue::StringArray(rule_ids),
            ),
        );
    }
    attributes
}

/// Counts by severity, most severe first: `2 high, 1 medium`.
fn severity_counts<'a>(severities: impl Iterator<Item = &'a Severity>) -> Vec<(Severity, usize)> {
    let mut counts: Vec<(Severity, usize)> = Vec::new();
    for severity in severities {
        match counts.iter_mut().find(|(s, _)| s == severity) {
            Some((_, n)) => *n += 1,
            None => counts.push((*severity, 1)),
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    counts
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::change::{EventContext, JudgedFinding};
    use crate::policy::Location;
    use crate::report::{Category, Finding, SuppressedFinding};

    pub(crate) fn finding(
        rule: &str,
        severity: Severity,
        title: &str,
        statement: usize,
    ) -> Finding {
        Finding {
            rule_id: rule.to_string(),
            category: Category::AdminAccess,
            severity,
            title: title.to_string(),
            message: format!("{title}: this is why it matters."),
            fix: "Grant only the actions the workload calls, on its own resources.".to_string(),
            location: Location {
                statement_index: Some(statement),
                sid: None,
                pointer: format!("Statement[{statement}].Action"),
            },
            actions: vec!["*".to_string()],
            resources: vec!["*".to_string()],
            constrained_by: Vec::new(),
        }
    }

    pub(crate) fn verdict() -> Verdict {
        Verdict {
            context: EventContext {
                event_id: Some("39480357-0a1d-4531-a3f2-71be4c041c25".into()),
                event_name: Some("AttachRolePolicy".into()),
                event_source: Some("iam.amazonaws.com".into()),
                event_time: Some("2024-08-01T13:37:41Z".into()),
                account: Some("111122223333".into()),
                region: Some("us-east-1".into()),
                actor_arn: Some("arn:aws:sts::111122223333:assumed-role/Admin/alice".into()),
                actor_type: Some("AssumedRole".into()),
                actor_issuer_arn: Some("arn:aws:iam::111122223333:role/Admin".into()),
                invoked_by: None,
                source_ip: Some("203.0.113.7".into()),
                user_agent: Some("aws-cli/2.17.0 Python/3.11".into()),
            },
            summary: "AdministratorAccess attached to role new-role".into(),
            arns: vec![
                "arn:aws:iam::aws:policy/AdministratorAccess".into(),
                "arn:aws:iam::111122223333:role/new-role".into(),
            ],
            findings: vec![JudgedFinding {
                document: "policy AdministratorAccess (default version v1)".into(),
                finding: finding(
                    "admin-access",
                    Severity::Critical,
                    "Full administrator access: `*` on `*`",
                    0,
                ),
            }],
            suppressed: vec![SuppressedFinding {
                rule_id: "resource-wildcard".into(),
                reason: "reviewed in SEC-12".into(),
            }],
            new_access: Vec::new(),
            compared_with: None,
            notes: Vec::new(),
            notify: true,
        }
    }

    #[test]
    fn clean_verdicts_have_no_message() {
        let mut clean = verdict();
        clean.findings.clear();
        clean.notify = false;
        assert!(sns_message(&clean).is_none());
    }

    #[test]
    fn subject_attributes_and_structure() {
        let message = sns_message(&verdict()).unwrap();
        assert_eq!(
            message.subject,
            "[CRITICAL] AdministratorAccess attached to role new-role"
        );
        let names: Vec<&str> = message.attributes.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, vec!["severity", "rule_ids", "event_name", "account"]);
        assert_eq!(
            message.attributes[1].1.string_value(),
            r#"["admin-access"]"#
        );
        let body: serde_json::Value = serde_json::from_str(&message.message).unwrap();
        let default: serde_json::Value =
            serde_json::from_str(body["default"].as_str().unwrap()).unwrap();
        assert_eq!(default["version"], "1");
        assert!(body["email"].as_str().unwrap().contains("admin-access"));
    }

    #[test]
    fn subjects_are_ascii_single_line_and_short() {
        let mut hostile = verdict();
        hostile.summary = format!("role\u{1b}[31m\nforged\u{202e} {}", "x".repeat(300));
        let subject = subject(&hostile);
        assert!(subject.len() < 100, "{}", subject.len());
        assert!(subject.chars().all(|c| c.is_ascii_graphic() || c == ' '));
        assert!(subject.ends_with("..."));
    }

    #[test]
    fn huge_verdicts_are_summarised_not_dropped() {
        let mut big = verdict();
        let long = "y".repeat(5000);
        big.findings = (0..400)
            .map(|i| JudgedFinding {
                document: format!("policy P{i}"),
                finding: {
                    let mut f = finding("service-wildcard", Severity::High, &long, i);
                    f.actions = (0..200).map(|a| format!("s3:Action{a}")).collect();
                    f
                },
            })
            .collect();
        let message = sns_message(&big).unwrap();
        assert!(
            message.message.len() <= MESSAGE_BUDGET_BYTES,
            "{}",
            message.message.len()
        );
        let body: serde_json::Value = serde_json::from_str(&message.message).unwrap();
        let default: serde_json::Value =
            serde_json::from_str(body["default"].as_str().unwrap()).unwrap();
        assert_eq!(default["findings_total"], 400);
        let shown = default["findings"].as_array().unwrap().len();
        assert_eq!(default["findings_omitted"]["count"], 400 - shown);
        assert!(body["email"]
            .as_str()
            .unwrap()
            .contains("more findings not shown"));
    }

    #[test]
    fn snapshot_subject_email_and_default_body() {
        let message = sns_message(&verdict()).unwrap();
        let body: serde_json::Value = serde_json::from_str(&message.message).unwrap();
        let default: serde_json::Value =
            serde_json::from_str(body["default"].as_str().unwrap()).unwrap();
        insta::assert_snapshot!("admin_attached_subject", message.subject);
        insta::assert_snapshot!("admin_attached_email", body["email"].as_str().unwrap());
        insta::assert_json_snapshot!("admin_attached_default", default);
    }

    #[test]
    fn snapshot_new_version_with_notes_and_malformed_event() {
        let mut version = verdict();
        version.context.event_name = Some("CreatePolicyVersion".into());
        version.summary = "policy App: new v2 (default)".into();
        version.findings = vec![
            JudgedFinding {
                document: "policy App v2".into(),
                finding: finding(
                    "service-wildcard",
                    Severity::High,
                    "`dynamodb:*` granted on every resource",
                    0,
                ),
            },
            JudgedFinding {
                document: "policy App v2".into(),
                finding: finding(
                    "resource-wildcard",
                    Severity::Medium,
                    "Write actions on every resource",
                    1,
                ),
            },
        ];
        version.suppressed.clear();
        version.new_access =
            vec!["dynamodb: Write, 30 actions on every resource (dynamodb:PutItem, ...)".into()];
        version.compared_with = Some("v1".into());
        version.notes = vec![crate::judge::Note::MissingDocument {
            document: "previous version".into(),
            reason: "NoSuchEntity".into(),
            reference: crate::change::Reference::PreviousVersion {
                policy_arn: "arn:aws:iam::111122223333:policy/App".into(),
                current_version_id: Some("v2".into()),
            },
        }];
        insta::assert_snapshot!("new_version_email", email_text(&version, usize::MAX));

        let context = EventContext {
            event_id: Some("e-9".into()),
            event_name: Some("PutRolePolicy".into()),
            account: Some("111122223333".into()),
            ..EventContext::default()
        };
        let malformed = Verdict::malformed(
            context,
            &crate::change::UnreadableEvent::Field(crate::change::FieldError::Missing {
                field: "policyDocument",
            }),
            &Default::default(),
        );
        let message = sns_message(&malformed).unwrap();
        insta::assert_snapshot!("malformed_subject", message.subject);
        insta::assert_snapshot!("malformed_email", email_text(&malformed, usize::MAX));
    }
}
