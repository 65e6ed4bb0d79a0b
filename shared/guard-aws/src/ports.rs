//! The two ports the handler needs: where referenced policy documents come from, and where
//! messages go. Implemented over the AWS SDK ([`crate::iam`], [`crate::sns`]) and in memory
//! (`crate::testing`, with the `testing` feature).

use policy_guard::change::{Reference, Resolution};
use policy_guard::render::SnsMessage;
use std::future::Future;

/// Fetches the policy documents a change only references.
pub trait PolicySource: Send + Sync {
    /// `Ok(Resolution::Missing)` when the document permanently does not exist (deleted policy,
    /// no earlier version); `Err` for everything that might succeed on a retry.
    fn resolve(
        &self,
        reference: &Reference,
    ) -> impl Future<Output = Result<Resolution, SourceError>> + Send;
}

/// Publishes one message.
pub trait Notifier: Send + Sync {
    /// The message id on success.
    fn publish(
        &self,
        message: &SnsMessage,
    ) -> impl Future<Output = Result<String, NotifyError>> + Send;
}

/// Fetching a document failed in a way a retry might fix (throttling, 5xx, timeout) or that
/// needs a person (access denied): the invocation fails, Lambda retries, then the DLQ.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not fetch the {what}: {reason}")]
pub struct SourceError {
    pub what: String,
    pub reason: String,
}

/// Publishing failed after the SDK's own retries.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not publish to SNS: {0}")]
pub struct NotifyError(pub String);

/// A source for guards whose events reference no policy (the Lambda guard): every reference
/// is reported missing, so the function needs no IAM read permissions.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoPolicies;

impl PolicySource for NoPolicies {
    async fn resolve(&self, reference: &Reference) -> Result<Resolution, SourceError> {
        Ok(Resolution::Missing(format!(
            "this guard does not read IAM ({})",
            reference.describe()
        )))
    }
}
