//! In-memory ports for unit tests of the handler (and of each function crate).

use crate::ports::{Notifier, NotifyError, PolicySource, SourceError};
use policy_guard::change::{Reference, Resolution, ResolvedPolicy};
use policy_guard::render::SnsMessage;
use std::collections::HashMap;
use std::sync::Mutex;

/// Policy versions by ARN, in creation order; the default version is named.
#[derive(Debug, Default)]
pub struct InMemoryPolicies {
    policies: HashMap<String, (Vec<(String, String)>, String)>,
    /// When set, every resolution fails with this reason (a transient AWS failure).
    pub fail_with: Option<String>,
    resolved: Mutex<Vec<Reference>>,
}

impl InMemoryPolicies {
    pub fn new() -> InMemoryPolicies {
        InMemoryPolicies::default()
    }

    /// Adds a version; the last added version becomes the default.
    pub fn with_version(mut self, policy_arn: &str, version_id: &str, document: &str) -> Self {
        let entry = self
            .policies
            .entry(policy_arn.to_string())
            .or_insert_with(|| (Vec::new(), String::new()));
        entry.0.push((version_id.to_string(), document.to_string()));
        entry.1 = version_id.to_string();
        self
    }

    /// Every reference resolved so far.
    pub fn resolved(&self) -> Vec<Reference> {
        self.resolved.lock().map(|r| r.clone()).unwrap_or_default()
    }

    fn lookup(&self, reference: &Reference) -> Resolution {
        let Some((versions, default)) = self.policies.get(reference.policy_arn()) else {
            return Resolution::Missing(format!(
                "Policy {} was not found.",
                reference.policy_arn()
            ));
        };
        let wanted = match reference {
            Reference::DefaultVersion { .. } => Some(default.clone()),
            Reference::Version { version_id, .. } => Some(version_id.clone()),
            Reference::PreviousVersion {
                current_version_id, ..
            } => {
                let current = current_version_id
                    .clone()
                    .unwrap_or_else(|| default.clone());
                versions
                    .iter()
                    .rev()
                    .map(|(v, _)| v.clone())
                    .find(|v| *v != current)
            }
        };
        let found = wanted.and_then(|w| versions.iter().find(|(v, _)| *v == w));
        match found {
            Some((version_id, document)) => Resolution::Found(ResolvedPolicy {
                policy_arn: reference.policy_arn().to_string(),
                version_id: version_id.clone(),
                document: document.clone(),
            }),
            None => Resolution::Missing("no such version".to_string()),
        }
    }
}

impl PolicySource for InMemoryPolicies {
    async fn resolve(&self, reference: &Reference) -> Result<Resolution, SourceError> {
        if let Ok(mut resolved) = self.resolved.lock() {
            resolved.push(reference.clone());
        }
        match &self.fail_with {
            Some(reason) => Err(SourceError {
                what: reference.describe(),
                reason: reason.clone(),
            }),
            None => Ok(self.lookup(reference)),
        }
    }
}

/// Records every message; fails while `fail` is set.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    pub messages: Mutex<Vec<SnsMessage>>,
    pub fail: Mutex<Option<String>>,
}

impl RecordingNotifier {
    pub fn new() -> RecordingNotifier {
        RecordingNotifier::default()
    }

    pub fn published(&self) -> Vec<SnsMessage> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}

impl Notifier for RecordingNotifier {
    async fn publish(&self, message: &SnsMessage) -> Result<String, NotifyError> {
        if let Some(reason) = self.fail.lock().ok().and_then(|f| f.clone()) {
            return Err(NotifyError(reason));
        }
        let mut messages = self
            .messages
            .lock()
            .map_err(|_| NotifyError("poisoned".into()))?;
        messages.push(message.clone());
        Ok(format!("message-{}", messages.len()))
    }
}
