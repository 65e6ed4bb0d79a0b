//! A configuration read and checked against the rule list: suppressions and severity overrides
//! must name known rules. Here rather than in `config.rs`, so that the configuration's data does
//! not depend on the rules that depend on it.

use super::rule_by_id;
use crate::config::{toml_syntax, Config, ConfigError, StatementSelector};
use crate::matching::is_account_id;
use crate::text::{quoted, sanitize};

impl Config {
    /// Parses JSON (text starting with `{`) or TOML, then validates.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let config: Config = if text.trim_start().starts_with('{') {
            serde_json::from_str(text)
                .map_err(|e| ConfigError::Syntax(sanitize(&e.to_string(), 512)))?
        } else {
            toml::from_str(text).map_err(|e| toml_syntax(text, &e))?
        };
        config.validate()?;
        Ok(config)
    }

    pub fn validate(&self) -> Result<(), ConfigError> {
        for (index, s) in self.suppressions.iter().enumerate() {
            if s.rule != "*" && rule_by_id(&s.rule).is_none() {
                return Err(ConfigError::UnknownRule {
                    index,
                    rule: quoted(&s.rule),
                });
            }
            if s.reason.trim().is_empty() {
                return Err(ConfigError::MissingReason {
                    index,
                    rule: quoted(&s.rule),
                });
            }
            if matches!(&s.statement, Some(StatementSelector::Sid(sid)) if sid.trim().is_empty()) {
                return Err(ConfigError::EmptyStatementSid {
                    index,
                    rule: quoted(&s.rule),
                });
            }
        }
        if let Some(id) = self
            .severity_overrides
            .keys()
            .find(|id| rule_by_id(id).is_none())
        {
            return Err(ConfigError::UnknownOverride(quoted(id)));
        }
        if let Some(bad) = self.trusted_accounts.iter().find(|a| !is_account_id(a)) {
            return Err(ConfigError::BadAccount(quoted(bad)));
        }
        if let Some(org) = &self.org_id {
            let body = org.strip_prefix("o-").unwrap_or("");
            let ok = (10..=32).contains(&body.len())
                && body
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
            if !ok {
                return Err(ConfigError::BadOrgId(quoted(org)));
            }
        }
        Ok(())
    }
}
