//! The guard's configuration, read once from the environment at init.
//!
//! - `POLICY_GUARD_TOPIC_ARN` (required): the SNS topic findings go to.
//! - `POLICY_GUARD_MIN_SEVERITY` (default `medium`, or the configuration's `min_severity`):
//!   findings below it are not published.
//! - `POLICY_GUARD_CONFIG` (optional): the configuration as JSON or TOML text (suppressions,
//!   severity overrides, trusted accounts, org id).
//! - `POLICY_GUARD_TRUST_SYSTEM_ROOTS` (optional, `true`/`false`, default `false`): also trust
//!   the system's CA store, not only the compiled-in Amazon Trust Services roots.

use policy_guard::matching::{is_account_id, parse_arn};
use policy_guard::report::ConfigError;
use policy_guard::text::quoted;
use policy_guard::{Config, Severity};

use crate::sdk::TrustRoots;

pub const TOPIC_ARN_VAR: &str = "POLICY_GUARD_TOPIC_ARN";
pub const MIN_SEVERITY_VAR: &str = "POLICY_GUARD_MIN_SEVERITY";
pub const CONFIG_VAR: &str = "POLICY_GUARD_CONFIG";
pub const SYSTEM_ROOTS_VAR: &str = "POLICY_GUARD_TRUST_SYSTEM_ROOTS";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub topic_arn: String,
    pub config: Config,
    pub trust_roots: TrustRoots,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{TOPIC_ARN_VAR} is not set: the guard needs the ARN of the SNS topic to publish findings to")]
    MissingTopic,
    #[error(
        "{TOPIC_ARN_VAR} is {0}, not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)"
    )]
    BadTopic(String),
    #[error("{MIN_SEVERITY_VAR} is {0}: expected one of info, low, medium, high, critical")]
    BadSeverity(String),
    #[error("{SYSTEM_ROOTS_VAR} is {0}: expected true or false")]
    BadSystemRoots(String),
    #[error("{CONFIG_VAR} is invalid: {0}")]
    BadConfig(#[from] ConfigError),
}

impl Settings {
    pub fn from_env() -> Result<Settings, SettingsError> {
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (the environment, or a map in tests).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, SettingsError> {
        let present = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let topic_arn = present(TOPIC_ARN_VAR)
            .ok_or(SettingsError::MissingTopic)?
            .trim()
            .to_string();
        let valid_topic = parse_arn(&topic_arn).is_some_and(|arn| {
            arn.service == "sns"
                && !arn.region.is_empty()
                && is_account_id(arn.account)
                && !arn.resource.is_empty()
                && !arn.resource.contains(':')
        });
        if !valid_topic {
            return Err(SettingsError::BadTopic(quoted(&topic_arn)));
        }
        let mut config = match present(CONFIG_VAR) {
            Some(text) => Config::parse(&text)?,
            None => Config::default(),
        };
        if let Some(level) = present(MIN_SEVERITY_VAR) {
            config.min_severity = level
                .parse::<Severity>()
                .map_err(|_| SettingsError::BadSeverity(quoted(&level)))?;
        }
        let trust_roots = match present(SYSTEM_ROOTS_VAR).map(|v| v.trim().to_ascii_lowercase()) {
            None => TrustRoots::AmazonTrustServices,
            Some(v) if v == "false" => TrustRoots::AmazonTrustServices,
            Some(v) if v == "true" => TrustRoots::WithSystemStore,
            Some(other) => return Err(SettingsError::BadSystemRoots(quoted(&other))),
        };
        Ok(Settings {
            topic_arn,
            config,
            trust_roots,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingsError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:policy-guard";

    #[test]
    fn defaults() {
        let s = settings(&[(TOPIC_ARN_VAR, TOPIC)]).unwrap();
        assert_eq!(s.topic_arn, TOPIC);
        assert_eq!(s.config.min_severity, Severity::Medium);
        assert_eq!(s.trust_roots, TrustRoots::AmazonTrustServices);
    }

    #[test]
    fn the_system_ca_store_is_opt_in() {
        let with = |v: &str| settings(&[(TOPIC_ARN_VAR, TOPIC), (SYSTEM_ROOTS_VAR, v)]);
        assert_eq!(
            with("true").unwrap().trust_roots,
            TrustRoots::WithSystemStore
        );
        assert_eq!(
            with(" TRUE ").unwrap().trust_roots,
            TrustRoots::WithSystemStore
        );
        assert_eq!(
            with("false").unwrap().trust_roots,
            TrustRoots::AmazonTrustServices
        );
        let bad = with("yes").unwrap_err();
        assert_eq!(
            bad.to_string(),
            "POLICY_GUARD_TRUST_SYSTEM_ROOTS is `yes`: expected true or false"
        );
    }

    #[test]
    fn the_environment_overrides_the_configured_minimum() {
        let s = settings(&[
            (TOPIC_ARN_VAR, TOPIC),
            (
                CONFIG_VAR,
                "min_severity = \"low\"\ntrusted_accounts = [\"444455556666\"]\n",
            ),
            (MIN_SEVERITY_VAR, "HIGH"),
        ])
        .unwrap();
        assert_eq!(s.config.min_severity, Severity::High);
        assert_eq!(s.config.trusted_accounts, vec!["444455556666"]);
    }

    #[test]
    fn invalid_settings_fail_with_a_clear_message() {
        assert_eq!(settings(&[]).unwrap_err(), SettingsError::MissingTopic);
        let bad_topic = settings(&[(TOPIC_ARN_VAR, "my-topic")]).unwrap_err();
        assert!(
            bad_topic.to_string().contains("not an SNS topic ARN"),
            "{bad_topic}"
        );
        let bad_level =
            settings(&[(TOPIC_ARN_VAR, TOPIC), (MIN_SEVERITY_VAR, "severe")]).unwrap_err();
        assert!(bad_level.to_string().contains("`severe`"), "{bad_level}");
        let bad_config = settings(&[
            (TOPIC_ARN_VAR, TOPIC),
            (
                CONFIG_VAR,
                "{\"suppressions\":[{\"rule\":\"x\",\"reason\":\"y\"}]}",
            ),
        ])
        .unwrap_err();
        assert!(
            bad_config
                .to_string()
                .starts_with("POLICY_GUARD_CONFIG is invalid: suppression 0 names unknown rule"),
            "{bad_config}"
        );
    }
}
