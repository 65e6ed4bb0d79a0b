//! CloudTrail records and EventBridge events turned into typed changes.
//!
//! [`parse_event`] reads an EventBridge event (`"detail-type": "AWS API Call via CloudTrail"`,
//! the CloudTrail record in `detail`) or a bare CloudTrail record, and says what happened:
//! a [`Change`] with the documents it carries or the references it needs resolved, a failed
//! call that changed nothing, an unrelated event, or an event the guard cannot understand.
//! [`crate::judge`] then turns a change and its resolved references into a verdict: this module
//! is the event model only.
//!
//! Everything here is pure and lenient about the fields that only describe the event (ids,
//! times, actors): real records lack some of them. It is strict about the fields the judgement
//! depends on (a document, a policy ARN): when one is missing the event is
//! [`EventOutcome::Malformed`], which becomes a `malformed-event` finding, never a silent pass.

mod permission;
mod record;
pub mod services;

/// Judging moved to [`crate::judge`]; these paths stay for existing callers.
pub use crate::judge::{judge, JudgedFinding, Resolution, Resolved, ResolvedPolicy, Verdict};
pub use permission::PermissionRequest;
pub use record::{parse_event, FieldError, UnreadableEvent, UNNAMED};

use crate::matching::parse_arn;
use serde::Serialize;

/// The `detail-type` EventBridge gives CloudTrail management events.
pub const CLOUDTRAIL_DETAIL_TYPE: &str = "AWS API Call via CloudTrail";

/// The service whose API the event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Service {
    Iam,
    Lambda,
}

impl Service {
    /// The service's entry in the table of watched events ([`services`]).
    pub fn events(self) -> &'static services::ServiceEvents {
        match self {
            Service::Iam => &services::IAM,
            Service::Lambda => &services::LAMBDA,
        }
    }

    /// The EventBridge `source` of the service's events: `aws.iam`, `aws.lambda`.
    pub fn event_bridge_source(self) -> &'static str {
        self.events().event_bridge_source
    }

    /// The CloudTrail `eventSource`: `iam.amazonaws.com`, `lambda.amazonaws.com`.
    pub fn event_source(self) -> &'static str {
        self.events().event_source
    }

    fn from_event_source(source: &str) -> Option<Service> {
        services::SERVICES
            .iter()
            .find(|s| s.event_source == source)
            .map(|s| s.service)
    }

    fn from_event_bridge_source(source: &str) -> Option<Service> {
        services::SERVICES
            .iter()
            .find(|s| s.event_bridge_source == source)
            .map(|s| s.service)
    }
}

/// Who did what, when and where: every field as the record gives it (attacker-controlled,
/// unsanitized, possibly absent).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EventContext {
    /// CloudTrail's `eventID` (else the EventBridge event `id`).
    pub event_id: Option<String>,
    pub event_name: Option<String>,
    pub event_source: Option<String>,
    pub event_time: Option<String>,
    /// The account the change happened in (`recipientAccountId`, else the envelope's account).
    pub account: Option<String>,
    pub region: Option<String>,
    /// `userIdentity.arn` (for an assumed role, the session ARN).
    pub actor_arn: Option<String>,
    /// `userIdentity.type`: `IAMUser`, `AssumedRole`, `Root`, `AWSService`...
    pub actor_type: Option<String>,
    /// For an assumed role: the role behind the session (`sessionContext.sessionIssuer.arn`).
    pub actor_issuer_arn: Option<String>,
    /// For a call made by an AWS service on someone's behalf (`userIdentity.invokedBy`).
    pub invoked_by: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
}

/// What parsing an event found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventOutcome {
    /// A permission change the guard judges.
    Change(ChangeEvent),
    /// The call failed (`errorCode`): nothing changed.
    Failed {
        context: EventContext,
        error_code: String,
        error_message: Option<String>,
    },
    /// Not an event the guard watches (another service, another API call, another detail-type).
    Ignored {
        context: EventContext,
        reason: String,
    },
    /// A watched event the guard cannot understand (missing or unreadable fields).
    Malformed {
        context: EventContext,
        error: UnreadableEvent,
    },
}

/// What kind of outcome parsing an event had: `change`, `failed`, `ignored`, `malformed` (the
/// guard's `outcome` log field and response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutcomeKind {
    Change,
    Failed,
    Ignored,
    Malformed,
}

impl OutcomeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Change => "change",
            OutcomeKind::Failed => "failed",
            OutcomeKind::Ignored => "ignored",
            OutcomeKind::Malformed => "malformed",
        }
    }
}

impl std::fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl EventOutcome {
    pub fn context(&self) -> &EventContext {
        match self {
            EventOutcome::Change(change) => &change.context,
            EventOutcome::Failed { context, .. }
            | EventOutcome::Ignored { context, .. }
            | EventOutcome::Malformed { context, .. } => context,
        }
    }

    /// `change`, `failed`, `ignored` or `malformed`, for logs.
    pub fn label(&self) -> OutcomeKind {
        match self {
            EventOutcome::Change(_) => OutcomeKind::Change,
            EventOutcome::Failed { .. } => OutcomeKind::Failed,
            EventOutcome::Ignored { .. } => OutcomeKind::Ignored,
            EventOutcome::Malformed { .. } => OutcomeKind::Malformed,
        }
    }
}

/// One permission change with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeEvent {
    pub context: EventContext,
    pub service: Service,
    pub change: Change,
    /// Fields naming the changed principal or policy that the record lacked (`roleName`): the
    /// change is judged under [`UNNAMED`] and the verdict says so.
    pub unnamed: Vec<&'static str>,
}

/// Role, user or group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IdentityKind {
    Role,
    User,
    Group,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Role => "role",
            IdentityKind::User => "user",
            IdentityKind::Group => "group",
        }
    }
}

/// An IAM role, user or group, by name (CloudTrail records names, not ARNs).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Identity {
    pub kind: IdentityKind,
    pub name: String,
}

impl Identity {
    /// `arn:aws:iam::<account>:role/<name>`. The record does not say the identity's path, so an
    /// identity under a path (`/service-role/`) gets the path-less ARN: suppressions should use
    /// a glob (`arn:aws:iam::*:role/*name`).
    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:iam::{account}:{}/{}",
            self.kind.as_str(),
            self.name
        )
    }
}

/// What changed, with the documents the record carries.
///
/// Documents are kept as the text the record holds (JSON, or the JSON text of a JSON string,
/// or URL-encoded); the rule crate decodes them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `CreatePolicy`: a new customer managed policy (its first version is its default).
    CreatePolicy {
        policy_name: String,
        policy_arn: Option<String>,
        document: String,
    },
    /// `CreatePolicyVersion`: a new version, the default one when `set_as_default`.
    CreatePolicyVersion {
        policy_arn: String,
        version_id: Option<String>,
        set_as_default: bool,
        document: String,
    },
    /// `SetDefaultPolicyVersion`: an existing version becomes the one in force.
    SetDefaultPolicyVersion {
        policy_arn: String,
        version_id: String,
    },
    /// `AttachRolePolicy`, `AttachUserPolicy`, `AttachGroupPolicy`.
    AttachPolicy {
        identity: Identity,
        policy_arn: String,
    },
    /// `PutRolePolicy`, `PutUserPolicy`, `PutGroupPolicy`: an inline policy.
    PutInlinePolicy {
        identity: Identity,
        policy_name: String,
        document: String,
    },
    /// `CreateRole`: a new role and its trust policy.
    CreateRole {
        role_name: String,
        role_arn: Option<String>,
        trust_document: String,
        permissions_boundary: Option<String>,
    },
    /// `UpdateAssumeRolePolicy`: a role's new trust policy.
    UpdateAssumeRolePolicy {
        role_name: String,
        trust_document: String,
    },
    /// `AddPermission20150331v2` (and every other `AddPermission<date>`): one statement added to
    /// a function's resource policy, wrapped as a one-statement policy document.
    AddPermission {
        function: String,
        function_arn: Option<String>,
        statement_id: Option<String>,
        /// The account the function lives in: what "foreign" means for the statement.
        function_account: Option<String>,
        document: String,
    },
    /// `CreateFunctionUrlConfig<date>` / `UpdateFunctionUrlConfig<date>`.
    FunctionUrlConfig {
        function: String,
        function_arn: Option<String>,
        created: bool,
        auth_type: Option<String>,
        /// `{"functionName", "authType", "cors"}` as the rule crate reads it.
        document: String,
    },
}

/// A document the change only names: the guard must fetch it (IAM `GetPolicy` /
/// `GetPolicyVersion`) before judging.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reference {
    /// The default version of a managed policy (what `Attach*Policy` attaches).
    DefaultVersion { policy_arn: String },
    /// One version of a managed policy.
    Version {
        policy_arn: String,
        version_id: String,
    },
    /// The version a new default most likely replaced: the most recently created version other
    /// than `current` (IAM does not record the previous default). Used only to say which access
    /// is new.
    PreviousVersion {
        policy_arn: String,
        current_version_id: Option<String>,
    },
}

impl Reference {
    pub fn policy_arn(&self) -> &str {
        match self {
            Reference::DefaultVersion { policy_arn }
            | Reference::Version { policy_arn, .. }
            | Reference::PreviousVersion { policy_arn, .. } => policy_arn,
        }
    }

    /// For logs and notes: `default version of arn:...`.
    pub fn describe(&self) -> String {
        match self {
            Reference::DefaultVersion { policy_arn } => format!("default version of {policy_arn}"),
            Reference::Version {
                policy_arn,
                version_id,
            } => {
                format!("version {version_id} of {policy_arn}")
            }
            Reference::PreviousVersion { policy_arn, .. } => {
                format!("previous version of {policy_arn}")
            }
        }
    }
}

impl ChangeEvent {
    /// What must be resolved before [`judge`] can say everything it knows.
    pub fn references(&self) -> Vec<Reference> {
        match &self.change {
            Change::AttachPolicy { policy_arn, .. } => {
                vec![Reference::DefaultVersion {
                    policy_arn: policy_arn.clone(),
                }]
            }
            Change::SetDefaultPolicyVersion {
                policy_arn,
                version_id,
            } => vec![
                Reference::Version {
                    policy_arn: policy_arn.clone(),
                    version_id: version_id.clone(),
                },
                Reference::PreviousVersion {
                    policy_arn: policy_arn.clone(),
                    current_version_id: Some(version_id.clone()),
                },
            ],
            Change::CreatePolicyVersion {
                policy_arn,
                version_id,
                set_as_default: true,
                ..
            } => {
                vec![Reference::PreviousVersion {
                    policy_arn: policy_arn.clone(),
                    current_version_id: version_id.clone(),
                }]
            }
            _ => Vec::new(),
        }
    }

    /// One line saying what changed: `AdministratorAccess attached to role new-role`.
    /// Unsanitized: callers sanitize for their medium.
    pub fn summary(&self) -> String {
        match &self.change {
            Change::CreatePolicy { policy_name, .. } => format!("policy {policy_name} created"),
            Change::CreatePolicyVersion {
                policy_arn,
                version_id,
                set_as_default,
                ..
            } => {
                let version = version_id.as_deref().unwrap_or("version");
                let default = if *set_as_default {
                    "default"
                } else {
                    "not default"
                };
                format!(
                    "policy {}: new {version} ({default})",
                    policy_name(policy_arn)
                )
            }
            Change::SetDefaultPolicyVersion {
                policy_arn,
                version_id,
            } => {
                format!(
                    "policy {}: default set to {version_id}",
                    policy_name(policy_arn)
                )
            }
            Change::AttachPolicy {
                identity,
                policy_arn,
            } => format!(
                "{} attached to {} {}",
                policy_name(policy_arn),
                identity.kind.as_str(),
                identity.name
            ),
            Change::PutInlinePolicy {
                identity,
                policy_name,
                ..
            } => format!(
                "inline policy {policy_name} put on {} {}",
                identity.kind.as_str(),
                identity.name
            ),
            Change::CreateRole { role_name, .. } => format!("role {role_name} created"),
            Change::UpdateAssumeRolePolicy { role_name, .. } => {
                format!("trust policy of role {role_name} updated")
            }
            Change::AddPermission {
                function,
                statement_id,
                ..
            } => match statement_id {
                Some(sid) => format!(
                    "permission {sid} added to function {}",
                    function_name(function)
                ),
                None => format!("permission added to function {}", function_name(function)),
            },
            Change::FunctionUrlConfig {
                function,
                created,
                auth_type,
                ..
            } => format!(
                "function URL of {} {} (AuthType {})",
                function_name(function),
                if *created { "created" } else { "updated" },
                auth_type.as_deref().unwrap_or("unchanged")
            ),
        }
    }

    /// The ARNs this change concerns, which suppressions may name: the policy, the role, user
    /// or group, the function, the actor (and the role behind an assumed-role session), and
    /// the account (`arn:aws:iam::<account>:root`).
    pub fn arns(&self) -> Vec<String> {
        let account = self.context.account.as_deref();
        let mut arns = Vec::new();
        match &self.change {
            Change::CreatePolicy {
                policy_name,
                policy_arn,
                ..
            } => {
                if let Some(arn) = policy_arn {
                    arns.push(arn.clone());
                } else if let Some(account) = account {
                    arns.push(format!("arn:aws:iam::{account}:policy/{policy_name}"));
                }
            }
            Change::CreatePolicyVersion { policy_arn, .. }
            | Change::SetDefaultPolicyVersion { policy_arn, .. } => arns.push(policy_arn.clone()),
            Change::AttachPolicy {
                identity,
                policy_arn,
            } => {
                arns.push(policy_arn.clone());
                if let Some(account) = account {
                    arns.push(identity.arn(account));
                }
            }
            Change::PutInlinePolicy { identity, .. } => {
                if let Some(account) = account {
                    arns.push(identity.arn(account));
                }
            }
            Change::CreateRole {
                role_name,
                role_arn,
                ..
            } => match role_arn {
                Some(arn) => arns.push(arn.clone()),
                None => {
                    if let Some(account) = account {
                        arns.push(format!("arn:aws:iam::{account}:role/{role_name}"));
                    }
                }
            },
            Change::UpdateAssumeRolePolicy { role_name, .. } => {
                if let Some(account) = account {
                    arns.push(format!("arn:aws:iam::{account}:role/{role_name}"));
                }
            }
            Change::AddPermission {
                function,
                function_arn,
                ..
            }
            | Change::FunctionUrlConfig {
                function,
                function_arn,
                ..
            } => match function_arn {
                Some(arn) => arns.push(arn.clone()),
                None => arns.push(function.clone()),
            },
        }
        let context = &self.context;
        arns.extend(context.actor_arn.iter().cloned());
        arns.extend(context.actor_issuer_arn.iter().cloned());
        if let Some(account) = account {
            arns.push(format!("arn:aws:iam::{account}:root"));
        }
        arns.dedup();
        arns
    }
}

/// The policy's name: what follows the last `/` of its ARN (`AdministratorAccess`).
pub fn policy_name(policy_arn: &str) -> &str {
    policy_arn.rsplit('/').next().unwrap_or(policy_arn)
}

/// A function's name from its name, partial ARN or ARN (`arn:aws:lambda:...:function:f:alias`).
pub fn function_name(function: &str) -> &str {
    match parse_arn(function) {
        Some(arn) => {
            let rest = arn
                .resource
                .strip_prefix("function:")
                .unwrap_or(arn.resource);
            rest.split(':').next().unwrap_or(rest)
        }
        None => function,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_arns() {
        assert_eq!(
            policy_name("arn:aws:iam::aws:policy/AdministratorAccess"),
            "AdministratorAccess"
        );
        assert_eq!(
            policy_name("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"),
            "AWSLambdaBasicExecutionRole"
        );
        assert_eq!(
            function_name("arn:aws:lambda:us-east-1:111122223333:function:f:live"),
            "f"
        );
        assert_eq!(function_name("f"), "f");
    }

    #[test]
    fn identity_arns_have_no_path() {
        let identity = Identity {
            kind: IdentityKind::User,
            name: "bob".into(),
        };
        assert_eq!(
            identity.arn("111122223333"),
            "arn:aws:iam::111122223333:user/bob"
        );
    }
}
