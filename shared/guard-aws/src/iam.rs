//! [`PolicySource`] over IAM: `GetPolicy` for the default version, `GetPolicyVersion` for the
//! document, `ListPolicyVersions` for the version a new default replaced. AWS managed policy
//! versions never change, so their documents are cached for the life of the sandbox.

use crate::ports::{PolicySource, SourceError};
use aws_sdk_iam::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use policy_guard::change::{Reference, Resolution, ResolvedPolicy};
use policy_guard::text::sanitize;
use std::collections::HashMap;
use std::sync::Mutex;

/// Cached AWS managed policy versions, at most (the whole catalogue is ~1,400 policies).
const CACHE_MAX: usize = 2048;

pub struct IamPolicySource {
    client: aws_sdk_iam::Client,
    cache: Mutex<HashMap<(String, String), String>>,
}

/// The outcome of one IAM call: a value, "does not exist", or an error worth a retry.
enum Fetch<T> {
    Found(T),
    Missing(String),
}

impl IamPolicySource {
    pub fn new(config: &aws_config::SdkConfig) -> IamPolicySource {
        IamPolicySource::with_client(aws_sdk_iam::Client::new(config))
    }

    pub fn with_client(client: aws_sdk_iam::Client) -> IamPolicySource {
        IamPolicySource {
            client,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// AWS managed policies live under the `aws` account (`arn:aws:iam::aws:policy/...`).
    fn is_aws_managed(policy_arn: &str) -> bool {
        policy_arn.split(':').nth(4) == Some("aws")
    }

    fn cached(&self, policy_arn: &str, version_id: &str) -> Option<String> {
        let cache = self.cache.lock().ok()?;
        cache
            .get(&(policy_arn.to_string(), version_id.to_string()))
            .cloned()
    }

    fn remember(&self, policy_arn: &str, version_id: &str, document: &str) {
        if !Self::is_aws_managed(policy_arn) {
            return;
        }
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= CACHE_MAX {
                cache.clear();
            }
            cache.insert(
                (policy_arn.to_string(), version_id.to_string()),
                document.to_string(),
            );
        }
    }

    async fn default_version_id(&self, policy_arn: &str) -> Result<Fetch<String>, SourceError> {
        let result = self.client.get_policy().policy_arn(policy_arn).send().await;
        match result {
            Ok(output) => match output.policy().and_then(|p| p.default_version_id()) {
                Some(version) => Ok(Fetch::Found(version.to_string())),
                None => Ok(Fetch::Missing(
                    "IAM returned no default version".to_string(),
                )),
            },
            Err(error) => classify(error, "policy", policy_arn),
        }
    }

    async fn document(
        &self,
        policy_arn: &str,
        version_id: &str,
    ) -> Result<Fetch<String>, SourceError> {
        if let Some(document) = self.cached(policy_arn, version_id) {
            return Ok(Fetch::Found(document));
        }
        let result = self
            .client
            .get_policy_version()
            .policy_arn(policy_arn)
            .version_id(version_id)
            .send()
            .await;
        match result {
            Ok(output) => match output.policy_version().and_then(|v| v.document()) {
                Some(document) => {
                    self.remember(policy_arn, version_id, document);
                    Ok(Fetch::Found(document.to_string()))
                }
                None => Ok(Fetch::Missing("IAM returned no document".to_string())),
            },
            Err(error) => classify(error, "policy version", policy_arn),
        }
    }

    /// The most recently created version other than `current`.
    async fn previous_version_id(
        &self,
        policy_arn: &str,
        current: Option<&str>,
    ) -> Result<Fetch<String>, SourceError> {
        let result = self
            .client
            .list_policy_versions()
            .policy_arn(policy_arn)
            .send()
            .await;
        let output = match result {
            Ok(output) => output,
            Err(error) => {
                return classify(error, "policy versions", policy_arn);
            }
        };
        let current = match current {
            Some(c) => Some(c.to_string()),
            None => output
                .versions()
                .iter()
                .find(|v| v.is_default_version())
                .and_then(|v| v.version_id().map(str::to_string)),
        };
        let previous = output
            .versions()
            .iter()
            .filter(|v| v.version_id().is_some() && v.version_id() != current.as_deref())
            .max_by_key(|v| {
                let created = v.create_date().map(|d| (d.secs(), d.subsec_nanos()));
                (created, version_number(v.version_id().unwrap_or_default()))
            })
            .and_then(|v| v.version_id());
        Ok(match previous {
            Some(version) => Fetch::Found(version.to_string()),
            None => Fetch::Missing("the policy has no other version".to_string()),
        })
    }
}

/// `v12` -> 12, for ordering versions created within the same second.
fn version_number(version_id: &str) -> u64 {
    version_id.trim_start_matches('v').parse().unwrap_or(0)
}

/// `NoSuchEntity` is permanent ([`Fetch::Missing`]); everything else is an error: the SDK has
/// already retried what it considers transient, and access denied needs a person.
fn classify<E, R, T>(
    error: SdkError<E, R>,
    what: &str,
    policy_arn: &str,
) -> Result<Fetch<T>, SourceError>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    if error.as_service_error().and_then(|e| e.code()) == Some("NoSuchEntity") {
        let message = error
            .as_service_error()
            .and_then(|e| e.message())
            .unwrap_or("NoSuchEntity");
        return Ok(Fetch::Missing(sanitize(message, 300)));
    }
    Err(SourceError {
        what: format!("{what} {}", sanitize(policy_arn, 300)),
        reason: sanitize(&DisplayErrorContext(&error).to_string(), 1000),
    })
}

impl PolicySource for IamPolicySource {
    async fn resolve(&self, reference: &Reference) -> Result<Resolution, SourceError> {
        let policy_arn = reference.policy_arn();
        let version_id = match reference {
            Reference::DefaultVersion { .. } => match self.default_version_id(policy_arn).await? {
                Fetch::Found(version) => version,
                Fetch::Missing(why) => return Ok(Resolution::Missing(why)),
            },
            Reference::Version { version_id, .. } => version_id.clone(),
            Reference::PreviousVersion {
                current_version_id, ..
            } => {
                match self
                    .previous_version_id(policy_arn, current_version_id.as_deref())
                    .await?
                {
                    Fetch::Found(version) => version,
                    Fetch::Missing(why) => return Ok(Resolution::Missing(why)),
                }
            }
        };
        Ok(match self.document(policy_arn, &version_id).await? {
            Fetch::Found(document) => Resolution::Found(ResolvedPolicy {
                policy_arn: policy_arn.to_string(),
                version_id,
                document,
            }),
            Fetch::Missing(why) => Resolution::Missing(why),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_managed_policies_are_recognised() {
        assert!(IamPolicySource::is_aws_managed(
            "arn:aws:iam::aws:policy/AdministratorAccess"
        ));
        assert!(IamPolicySource::is_aws_managed(
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        ));
        assert!(!IamPolicySource::is_aws_managed(
            "arn:aws:iam::111122223333:policy/App"
        ));
    }

    #[test]
    fn version_numbers_order_versions() {
        assert!(version_number("v10") > version_number("v9"));
        assert_eq!(version_number("x"), 0);
    }
}
