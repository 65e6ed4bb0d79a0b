//! The embedded AWS managed-policy snapshot (`policy-guard-managed`) as a fallback behind a
//! [`PolicySource`]: IAM stays the source of truth (a managed policy can change after the
//! snapshot), and only when IAM cannot be read (unreachable, throttled, denied) is the default
//! version of an AWS managed policy taken from the snapshot, its version label saying so.

use crate::ports::{PolicySource, SourceError};
use policy_guard::change::{Reference, Resolution, ResolvedPolicy};

/// A source whose failures fall back to the embedded snapshot for AWS managed policies.
#[derive(Debug, Default)]
pub struct SnapshotFallback<S>(pub S);

impl<S: PolicySource> PolicySource for SnapshotFallback<S> {
    async fn resolve(&self, reference: &Reference) -> Result<Resolution, SourceError> {
        let result = self.0.resolve(reference).await;
        with_snapshot_fallback(reference, result)
    }
}

/// `result` unchanged unless it is an error about the default version (or the very version
/// the snapshot holds) of an AWS managed policy the snapshot has: then that document, with a
/// version label saying it came from the snapshot because IAM was unreachable.
pub fn with_snapshot_fallback(
    reference: &Reference,
    result: Result<Resolution, SourceError>,
) -> Result<Resolution, SourceError> {
    let Err(error) = result else {
        return result;
    };
    let arn = reference.policy_arn();
    if !policy_guard_managed::is_aws_managed(arn) {
        return Err(error);
    }
    let Ok(snapshot) = policy_guard_managed::snapshot() else {
        return Err(error);
    };
    let Some(policy) = snapshot.by_arn(arn) else {
        return Err(error);
    };
    let usable = match reference {
        Reference::DefaultVersion { .. } => true,
        Reference::Version { version_id, .. } => *version_id == policy.version_id,
        Reference::PreviousVersion { .. } => false,
    };
    if !usable {
        return Err(error);
    }
    tracing::warn!(
        policy_arn = arn,
        error = %error,
        snapshot = snapshot.date(),
        "IAM unreachable: using the embedded managed-policy snapshot"
    );
    Ok(Resolution::Found(ResolvedPolicy {
        policy_arn: arn.to_string(),
        version_id: format!(
            "{}, from the embedded snapshot of {} because IAM could not be read: {}",
            policy.version_id,
            snapshot.date(),
            error.reason
        ),
        document: policy.document.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::InMemoryPolicies;

    const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";

    fn default(arn: &str) -> Reference {
        Reference::DefaultVersion {
            policy_arn: arn.to_string(),
        }
    }

    #[tokio::test]
    async fn iam_unreachable_falls_back_to_the_snapshot_for_aws_managed_policies() {
        let mut iam = InMemoryPolicies::new();
        iam.fail_with = Some("dispatch failure: timed out".to_string());
        let source = SnapshotFallback(iam);
        let Ok(Resolution::Found(found)) = source.resolve(&default(ADMIN)).await else {
            panic!("AdministratorAccess from the snapshot");
        };
        assert!(
            found.document.contains(r#""Action":"*""#),
            "{}",
            found.document
        );
        assert!(
            found
                .version_id
                .starts_with("v1, from the embedded snapshot of 20")
                && found
                    .version_id
                    .ends_with("because IAM could not be read: dispatch failure: timed out"),
            "{}",
            found.version_id
        );
        // A customer-managed policy, or an older version, still fails: Lambda retries.
        let customer = source
            .resolve(&default("arn:aws:iam::111122223333:policy/team-admin"))
            .await;
        assert!(customer.is_err(), "{customer:?}");
        let old = Reference::Version {
            policy_arn: ADMIN.to_string(),
            version_id: "v0".to_string(),
        };
        assert!(source.resolve(&old).await.is_err());
    }

    #[tokio::test]
    async fn iam_stays_the_source_of_truth() {
        // IAM answers (a version newer than the snapshot): its answer is used as is.
        let iam = InMemoryPolicies::new().with_version(
            ADMIN,
            "v9",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#,
        );
        let source = SnapshotFallback(iam);
        let Ok(Resolution::Found(found)) = source.resolve(&default(ADMIN)).await else {
            panic!("found in IAM");
        };
        assert_eq!(found.version_id, "v9");
        assert!(found.document.contains("Deny"));
    }
}
