//! Judging: from a change and its resolved references to a [`Verdict`]: findings per document,
//! what access is new, [`Note`]s about what could not be resolved, all after the configuration.
//! [`judge_outcome`] is the one way from any event outcome (change, malformed, failed,
//! ignored) to what the guard and the CLI report. The event model itself is [`crate::change`].

mod note;
mod outcome;

pub use note::Note;
pub use outcome::{judge_outcome, Judgement, VerdictKind};

use crate::analysis::diff;
use crate::change::{
    function_name, policy_name, Change, ChangeEvent, EventContext, Reference, UnreadableEvent,
};
use crate::policy::{parse_policy, Location};
use crate::report::{Config, DocumentKind, Finding, Report, SuppressedFinding};
use crate::rules::{check_document, CheckOptions, MalformedEvent};
use crate::text::quoted;
use crate::Severity;

/// A managed policy version fetched from IAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPolicy {
    pub policy_arn: String,
    pub version_id: String,
    /// As IAM returned it (URL-encoded from real IAM, plain JSON from emulators).
    pub document: String,
}

/// What became of one reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Found(ResolvedPolicy),
    /// Permanently unavailable (the policy or version no longer exists, there is no earlier
    /// version): the verdict says so in a note. Transient failures never get here: the guard
    /// returns an error and the event is retried.
    Missing(String),
}

/// The resolutions of a change's references.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Resolved {
    entries: Vec<(Reference, Resolution)>,
}

impl Resolved {
    pub fn new() -> Resolved {
        Resolved::default()
    }

    pub fn insert(&mut self, reference: Reference, resolution: Resolution) {
        self.entries.retain(|(r, _)| *r != reference);
        self.entries.push((reference, resolution));
    }

    pub fn get(&self, reference: &Reference) -> Option<&Resolution> {
        self.entries
            .iter()
            .find(|(r, _)| r == reference)
            .map(|(_, resolution)| resolution)
    }
}

/// A finding and the document it is about (`policy AdministratorAccess (default version v1)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedFinding {
    pub document: String,
    pub finding: Finding,
}

/// Everything the guard concluded about one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub context: EventContext,
    /// What changed, one line, unsanitized: `AdministratorAccess attached to role new-role`.
    pub summary: String,
    /// The ARNs the change concerns (those suppressions may name).
    pub arns: Vec<String>,
    /// After severity overrides, suppressions and the minimum severity; most severe first.
    pub findings: Vec<JudgedFinding>,
    pub suppressed: Vec<SuppressedFinding>,
    /// For a new default policy version: the access it grants that `compared_with` did not.
    pub new_access: Vec<String>,
    pub compared_with: Option<String>,
    /// What the guard could not resolve or wants a reader to know (never findings).
    pub notes: Vec<Note>,
    /// Whether the verdict is worth a message: findings, or notes when the configured minimum
    /// severity is `info`.
    pub notify: bool,
}

impl Verdict {
    pub fn highest_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.finding.severity).max()
    }

    /// Distinct rule ids, most severe first.
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for judged in &self.findings {
            if !ids.contains(&judged.finding.rule_id.as_str()) {
                ids.push(&judged.finding.rule_id);
            }
        }
        ids
    }

    /// `findings`, `notes` or `clean`, for logs.
    pub fn label(&self) -> VerdictKind {
        if !self.findings.is_empty() {
            VerdictKind::Findings
        } else if self.notify {
            VerdictKind::Notes
        } else {
            VerdictKind::Clean
        }
    }

    /// The verdict about an event the guard could not understand: one `malformed-event`
    /// finding about the event itself (subject to the configuration like any other).
    pub fn malformed(context: EventContext, error: &UnreadableEvent, config: &Config) -> Verdict {
        let name = context
            .event_name
            .clone()
            .unwrap_or_else(|| "event".to_string());
        let id = context
            .event_id
            .clone()
            .unwrap_or_else(|| "(no event id)".to_string());
        let meta = &MalformedEvent::META;
        let finding = meta.finding(
            Location::default(),
            format!("CloudTrail event {} could not be understood", quoted(&name)),
            format!(
                "The guard could not read event {} ({}): {}. The permission change it records was \
                 not judged.",
                quoted(&id),
                quoted(&name),
                quoted(&error.to_string())
            ),
            "Look the event up in CloudTrail by its id and review the change by hand. If the \
             record's shape is new, report it to policy-guard with the record attached."
                .to_string(),
        );
        let mut arns: Vec<String> = Vec::new();
        arns.extend(context.actor_arn.iter().cloned());
        arns.extend(context.actor_issuer_arn.iter().cloned());
        if let Some(account) = &context.account {
            arns.push(format!("arn:aws:iam::{account}:root"));
        }
        let refs: Vec<&str> = arns.iter().map(String::as_str).collect();
        let report = Report::new(vec![finding]).apply_config(config, &refs);
        let findings: Vec<JudgedFinding> = report
            .findings
            .into_iter()
            .map(|finding| JudgedFinding {
                document: "the event".to_string(),
                finding,
            })
            .collect();
        Verdict {
            context,
            summary: format!("{name} event could not be understood"),
            arns,
            notify: !findings.is_empty(),
            findings,
            suppressed: report.suppressed,
            new_access: Vec::new(),
            compared_with: None,
            notes: Vec::new(),
        }
    }
}

struct Document {
    label: String,
    kind: DocumentKind,
    text: String,
    account: Option<String>,
}

/// Judges a change: every document it carries or references, after the configuration.
/// Unresolved references become notes, never findings.
pub fn judge(event: &ChangeEvent, resolved: &Resolved, config: &Config) -> Verdict {
    let account = event.context.account.clone();
    let mut documents: Vec<Document> = Vec::new();
    let mut notes: Vec<Note> = Vec::new();
    if !event.unnamed.is_empty() {
        notes.push(Note::UnnamedTarget {
            fields: event.unnamed.clone(),
        });
    }
    let mut new_access = Vec::new();
    let mut compared_with = None;
    let identity = |label: String, text: &str| Document {
        label,
        kind: DocumentKind::Identity,
        text: text.to_string(),
        account: account.clone(),
    };
    let fetch = |reference: Reference, notes: &mut Vec<Note>| -> Option<ResolvedPolicy> {
        match resolved.get(&reference) {
            Some(Resolution::Found(policy)) => Some(policy.clone()),
            Some(Resolution::Missing(why)) => {
                notes.push(Note::MissingDocument {
                    document: reference.describe(),
                    reason: why.clone(),
                    reference,
                });
                None
            }
            None => {
                notes.push(Note::UnresolvedReference { reference });
                None
            }
        }
    };
    // The new document in force and the version it replaced: what access is new.
    let mut compare =
        |policy_arn: &str, new_text: &str, current: Option<String>, notes: &mut Vec<Note>| {
            let reference = Reference::PreviousVersion {
                policy_arn: policy_arn.to_string(),
                current_version_id: current,
            };
            let Some(previous) = fetch(reference, notes) else {
                return;
            };
            match (parse_policy(&previous.document), parse_policy(new_text)) {
                (Ok(old), Ok(new)) => {
                    let added = diff(&old, &new);
                    new_access = added.summary_lines();
                    if added.is_empty() {
                        notes.push(Note::NoNewAccess {
                            compared_with: previous.version_id.clone(),
                        });
                    }
                    compared_with = Some(previous.version_id);
                }
                _ => notes.push(Note::NewAccessUnknown {
                    previous_version: previous.version_id,
                }),
            }
        };
    match &event.change {
        Change::CreatePolicy {
            policy_name,
            document,
            ..
        } => {
            documents.push(identity(format!("policy {policy_name}"), document));
        }
        Change::CreatePolicyVersion {
            policy_arn,
            version_id,
            set_as_default,
            document,
        } => {
            let version = version_id
                .clone()
                .unwrap_or_else(|| "new version".to_string());
            documents.push(identity(
                format!("policy {} {version}", policy_name(policy_arn)),
                document,
            ));
            if *set_as_default {
                compare(policy_arn, document, version_id.clone(), &mut notes);
            } else {
                notes.push(Note::NotDefaultVersion { version });
            }
        }
        Change::SetDefaultPolicyVersion {
            policy_arn,
            version_id,
        } => {
            let reference = Reference::Version {
                policy_arn: policy_arn.clone(),
                version_id: version_id.clone(),
            };
            if let Some(policy) = fetch(reference, &mut notes) {
                let label = format!("policy {} {version_id}", policy_name(policy_arn));
                documents.push(identity(label, &policy.document));
                compare(
                    policy_arn,
                    &policy.document,
                    Some(version_id.clone()),
                    &mut notes,
                );
            }
        }
        Change::AttachPolicy { policy_arn, .. } => {
            let reference = Reference::DefaultVersion {
                policy_arn: policy_arn.clone(),
            };
            if let Some(policy) = fetch(reference, &mut notes) {
                let label = format!(
                    "policy {} (default version {})",
                    policy_name(policy_arn),
                    policy.version_id
                );
                documents.push(identity(label, &policy.document));
            }
        }
        Change::PutInlinePolicy {
            identity: who,
            policy_name,
            document,
        } => {
            let label = format!(
                "inline policy {policy_name} of {} {}",
                who.kind.as_str(),
                who.name
            );
            documents.push(identity(label, document));
        }
        Change::CreateRole {
            role_name,
            trust_document,
            ..
        }
        | Change::UpdateAssumeRolePolicy {
            role_name,
            trust_document,
        } => {
            documents.push(Document {
                label: format!("trust policy of role {role_name}"),
                kind: DocumentKind::Trust,
                text: trust_document.clone(),
                account: account.clone(),
            });
        }
        Change::AddPermission {
            function,
            statement_id,
            function_account,
            document,
            ..
        } => {
            let label = match statement_id {
                Some(sid) => format!("statement {sid} of function {}", function_name(function)),
                None => format!("resource policy of function {}", function_name(function)),
            };
            documents.push(Document {
                label,
                kind: DocumentKind::Resource,
                text: document.clone(),
                account: function_account.clone().or_else(|| account.clone()),
            });
        }
        Change::FunctionUrlConfig {
            function, document, ..
        } => {
            documents.push(Document {
                label: format!("function URL of {}", function_name(function)),
                kind: DocumentKind::FunctionUrlConfig,
                text: document.clone(),
                account: account.clone(),
            });
        }
    }

    let arns = event.arns();
    let refs: Vec<&str> = arns.iter().map(String::as_str).collect();
    let mut findings: Vec<JudgedFinding> = Vec::new();
    let mut suppressed = Vec::new();
    for document in &documents {
        let options = CheckOptions {
            account: document.account.as_deref(),
            config,
        };
        let raw = check_document(&document.text, document.kind, &options);
        let report = Report::new(raw).apply_config(config, &refs);
        suppressed.extend(report.suppressed);
        findings.extend(report.findings.into_iter().map(|finding| JudgedFinding {
            document: document.label.clone(),
            finding,
        }));
    }
    // Stable: most severe first, document order kept within a severity.
    findings.sort_by_key(|f| std::cmp::Reverse(f.finding.severity));
    let notify =
        !findings.is_empty() || (!notes.is_empty() && config.min_severity <= Severity::Info);
    Verdict {
        context: event.context.clone(),
        summary: event.summary(),
        arns,
        findings,
        suppressed,
        new_access,
        compared_with,
        notes,
        notify,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::{parse_event, EventOutcome};
    use serde_json::{json, Value};

    const ADMIN: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    const SCOPED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem"],"Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/Articles"}]}"#;

    fn event(name: &str, request: Value, response: Value) -> ChangeEvent {
        let record = json!({
            "eventSource": "iam.amazonaws.com",
            "eventName": name,
            "eventID": "e-1",
            "awsRegion": "us-east-1",
            "recipientAccountId": "111122223333",
            "userIdentity": {"type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice"},
            "requestParameters": request,
            "responseElements": response
        });
        match parse_event(&record) {
            EventOutcome::Change(change) => change,
            other => panic!("{other:?}"),
        }
    }

    fn attach() -> ChangeEvent {
        event(
            "AttachRolePolicy",
            json!({"roleName": "new-role", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            Value::Null,
        )
    }

    fn found(reference: &Reference, version: &str, document: &str) -> Resolved {
        let mut resolved = Resolved::new();
        resolved.insert(
            reference.clone(),
            Resolution::Found(ResolvedPolicy {
                policy_arn: reference.policy_arn().to_string(),
                version_id: version.to_string(),
                document: document.to_string(),
            }),
        );
        resolved
    }

    #[test]
    fn attached_admin_policy_is_found_in_the_resolved_document() {
        let change = attach();
        let reference = change.references().remove(0);
        let verdict = judge(&change, &found(&reference, "v1", ADMIN), &Config::default());
        assert!(verdict.notify);
        assert!(
            verdict.rule_ids().contains(&"admin-access"),
            "{:?}",
            verdict.rule_ids()
        );
        assert_eq!(verdict.highest_severity(), Some(Severity::Critical));
        assert_eq!(
            verdict.findings[0].document,
            "policy AdministratorAccess (default version v1)"
        );
    }

    /// Issue 16 item 7: a record that lacks the name of what it changes is judged all the same,
    /// whichever way the name is missing, and the verdict says so.
    #[test]
    fn changes_without_a_name_are_judged_and_noted() {
        let public_trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}"#;
        let cases = [
            (
                "CreateRole",
                json!({"assumeRolePolicyDocument": public_trust}),
                "trust-public",
                vec!["roleName"],
            ),
            (
                "UpdateAssumeRolePolicy",
                json!({"roleName": 42, "policyDocument": public_trust}),
                "trust-public",
                vec!["roleName"],
            ),
            (
                "PutUserPolicy",
                json!({"userName": "", "policyDocument": ADMIN}),
                "admin-access",
                vec!["userName", "policyName"],
            ),
            (
                "CreatePolicy",
                json!({"policyDocument": serde_json::from_str::<Value>(ADMIN).unwrap()}),
                "admin-access",
                vec!["policyName"],
            ),
        ];
        for (name, request, rule, fields) in cases {
            let change = event(name, request, Value::Null);
            assert_eq!(change.unnamed, fields, "{name}");
            let verdict = judge(&change, &Resolved::new(), &Config::default());
            assert!(
                verdict.rule_ids().contains(&rule),
                "{name}: {:?}",
                verdict.rule_ids()
            );
            assert!(verdict.notify, "{name}");
            let note = verdict
                .notes
                .iter()
                .find(|n| matches!(n, Note::UnnamedTarget { .. }))
                .unwrap_or_else(|| panic!("{name}: no note in {:?}", verdict.notes));
            assert!(
                note.to_string().contains(&format!("`{}`", fields[0])),
                "{note}"
            );
        }
        // An attachment without the role's name still resolves and judges the policy.
        let change = event(
            "AttachRolePolicy",
            json!({"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
            Value::Null,
        );
        let reference = change.references().remove(0);
        let verdict = judge(&change, &found(&reference, "v1", ADMIN), &Config::default());
        assert!(verdict.rule_ids().contains(&"admin-access"));
        // Without the document there is still nothing to judge: that stays malformed.
        let record = json!({
            "eventSource": "iam.amazonaws.com",
            "eventName": "CreateRole",
            "recipientAccountId": "111122223333",
            "requestParameters": {"roleName": "r"},
        });
        assert!(matches!(
            parse_event(&record),
            EventOutcome::Malformed { .. }
        ));
    }

    #[test]
    fn unresolved_references_are_notes_not_findings() {
        let change = attach();
        let mut resolved = Resolved::new();
        resolved.insert(
            change.references().remove(0),
            Resolution::Missing("NoSuchEntity".into()),
        );
        let verdict = judge(&change, &resolved, &Config::default());
        assert!(verdict.findings.is_empty());
        assert!(
            !verdict.notify,
            "a note alone is below the default minimum severity"
        );
        assert_eq!(verdict.notes.len(), 1);
        let chatty = Config {
            min_severity: Severity::Info,
            ..Config::default()
        };
        assert!(judge(&change, &resolved, &chatty).notify);
    }

    #[test]
    fn suppression_by_role_arn_silences_the_finding() {
        let change = attach();
        let reference = change.references().remove(0);
        let config = Config::parse(
            r#"{"suppressions":[{"rule":"*","arn":"arn:aws:iam::*:role/new-role","reason":"break-glass role, reviewed"}]}"#,
        )
        .unwrap();
        let verdict = judge(&change, &found(&reference, "v1", ADMIN), &config);
        assert!(verdict.findings.is_empty() && !verdict.notify);
        assert!(!verdict.suppressed.is_empty());
    }

    #[test]
    fn new_default_version_says_what_access_is_new() {
        let change = event(
            "CreatePolicyVersion",
            json!({"policyArn": "arn:aws:iam::111122223333:policy/App", "policyDocument": ADMIN, "setAsDefault": true}),
            json!({"policyVersion": {"versionId": "v2", "isDefaultVersion": true}}),
        );
        let reference = change.references().remove(0);
        let verdict = judge(
            &change,
            &found(&reference, "v1", SCOPED),
            &Config::default(),
        );
        assert_eq!(verdict.compared_with.as_deref(), Some("v1"));
        assert!(!verdict.new_access.is_empty());
        assert!(verdict.rule_ids().contains(&"admin-access"));
    }

    #[test]
    fn scoped_inline_policy_is_clean() {
        let change = event(
            "PutRolePolicy",
            json!({"roleName": "app", "policyName": "articles", "policyDocument": SCOPED}),
            Value::Null,
        );
        let verdict = judge(&change, &Resolved::new(), &Config::default());
        assert!(verdict.findings.is_empty(), "{:?}", verdict.findings);
        assert!(!verdict.notify);
        assert_eq!(verdict.label(), VerdictKind::Clean);
    }

    #[test]
    fn malformed_events_become_a_finding_about_the_event() {
        let context = EventContext {
            event_name: Some("PutRolePolicy".into()),
            event_id: Some("e-2".into()),
            ..EventContext::default()
        };
        let verdict = Verdict::malformed(
            context,
            &UnreadableEvent::Field(crate::change::FieldError::NoRequestParameters),
            &Config::default(),
        );
        assert_eq!(verdict.rule_ids(), vec!["malformed-event"]);
        assert!(verdict.notify);
        assert_eq!(verdict.highest_severity(), Some(Severity::Medium));
    }
}
