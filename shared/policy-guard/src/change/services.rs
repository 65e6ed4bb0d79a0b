//! The one table of what the guard watches: per service, its CloudTrail and EventBridge
//! sources, the guard function its events go to, and each watched event name (exact, or an
//! API-versioned prefix) with the extractor that reads it into a [`super::Change`].
//!
//! Everything else is derived from here: [`super::Service`]'s sources, which `eventName`s
//! [`super::parse_event`] reads, and the EventBridge patterns Terraform deploys
//! (`infra/event-patterns.json`, written by [`event_patterns`]; the `event_patterns` test in
//! `tests/event_patterns.rs` fails while the committed file differs, and
//! `UPDATE_EVENT_PATTERNS=1 cargo test -p policy-guard --test event_patterns` rewrites it).
//!
//! Adding a service: a [`super::Service`] variant and a [`ServiceEvents`] entry here, the
//! `Call` extractors and `Change` variants its events need in `record.rs` and `change.rs`, then
//! regenerate the patterns.

use super::record::Call;
use super::{IdentityKind, Service, CLOUDTRAIL_DETAIL_TYPE};
use serde_json::{json, Map, Value};

/// How a watched event's CloudTrail `eventName` is matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventName {
    /// Exactly this name.
    Exact(&'static str),
    /// This name, or this name followed by an API date and an optional `v<n>`
    /// (`AddPermission20150331v2`): Lambda records its calls under names that change when AWS
    /// ships an API version, so EventBridge matches the stable prefix.
    Versioned(&'static str),
}

impl EventName {
    /// The name as the table writes it, without any version suffix.
    pub fn base(self) -> &'static str {
        match self {
            EventName::Exact(name) | EventName::Versioned(name) => name,
        }
    }

    fn matches(self, name: &str) -> bool {
        match self {
            EventName::Exact(exact) => name == exact,
            EventName::Versioned(base) => super::record::versioned(name, base),
        }
    }

    /// The EventBridge pattern value that matches the name.
    fn pattern(self) -> Value {
        match self {
            EventName::Exact(name) => Value::String(name.to_string()),
            EventName::Versioned(base) => json!({ "prefix": base }),
        }
    }
}

/// One watched event: its name and the extractor that reads its record.
#[derive(Debug, Clone, Copy)]
pub struct WatchedEvent {
    pub name: EventName,
    pub(super) call: Call,
}

/// A service the guard watches.
#[derive(Debug)]
pub struct ServiceEvents {
    pub service: Service,
    /// CloudTrail's `eventSource`: `iam.amazonaws.com`.
    pub event_source: &'static str,
    /// EventBridge's `source`: `aws.iam`.
    pub event_bridge_source: &'static str,
    /// The guard function (and its EventBridge rule) the events go to.
    pub function: &'static str,
    pub events: &'static [WatchedEvent],
}

const fn exact(name: &'static str, call: Call) -> WatchedEvent {
    WatchedEvent {
        name: EventName::Exact(name),
        call,
    }
}

const fn versioned(name: &'static str, call: Call) -> WatchedEvent {
    WatchedEvent {
        name: EventName::Versioned(name),
        call,
    }
}

/// IAM: the calls that create or change an identity policy, an attachment or a trust policy.
/// Read-only calls and deletions are left out: they cannot widen access.
pub static IAM: ServiceEvents = ServiceEvents {
    service: Service::Iam,
    event_source: "iam.amazonaws.com",
    event_bridge_source: "aws.iam",
    function: "iam-guard",
    events: &[
        exact("AttachGroupPolicy", Call::Attach(IdentityKind::Group)),
        exact("AttachRolePolicy", Call::Attach(IdentityKind::Role)),
        exact("AttachUserPolicy", Call::Attach(IdentityKind::User)),
        exact("CreatePolicy", Call::CreatePolicy),
        exact("CreatePolicyVersion", Call::CreatePolicyVersion),
        exact("CreateRole", Call::CreateRole),
        exact("PutGroupPolicy", Call::Put(IdentityKind::Group)),
        exact("PutRolePolicy", Call::Put(IdentityKind::Role)),
        exact("PutUserPolicy", Call::Put(IdentityKind::User)),
        exact("SetDefaultPolicyVersion", Call::SetDefaultPolicyVersion),
        exact("UpdateAssumeRolePolicy", Call::UpdateAssumeRolePolicy),
    ],
};

/// Lambda: resource-policy statements and function URLs.
pub static LAMBDA: ServiceEvents = ServiceEvents {
    service: Service::Lambda,
    event_source: "lambda.amazonaws.com",
    event_bridge_source: "aws.lambda",
    function: "lambda-guard",
    events: &[
        versioned("AddPermission", Call::AddPermission),
        versioned(
            "CreateFunctionUrlConfig",
            Call::FunctionUrl { created: true },
        ),
        versioned(
            "UpdateFunctionUrlConfig",
            Call::FunctionUrl { created: false },
        ),
    ],
};

/// Every watched service.
pub static SERVICES: &[&ServiceEvents] = &[&IAM, &LAMBDA];

impl ServiceEvents {
    /// The extractor for `name`, if the service watches it.
    pub(super) fn call(&self, name: &str) -> Option<Call> {
        self.events
            .iter()
            .find(|event| event.name.matches(name))
            .map(|event| event.call)
    }

    /// The EventBridge pattern of this service's watched events.
    pub fn event_pattern(&self) -> Value {
        json!({
            "source": [self.event_bridge_source],
            "detail-type": [CLOUDTRAIL_DETAIL_TYPE],
            "detail": {
                "eventSource": [self.event_source],
                "eventName": self.events.iter().map(|e| e.name.pattern()).collect::<Vec<_>>(),
            }
        })
    }
}

/// One EventBridge pattern per guard function, keyed by the function: the content of
/// `infra/event-patterns.json`.
pub fn event_patterns() -> Value {
    let mut patterns = Map::new();
    for service in SERVICES {
        patterns.insert(service.function.to_string(), service.event_pattern());
    }
    Value::Object(patterns)
}
