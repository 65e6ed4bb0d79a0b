//! The configuration shared by the functions and the CLI (JSON or TOML): the data and the
//! questions the engine asks of it. Reading and validating a configuration needs the rule list
//! (suppressions and overrides must name known rules), so `Config::parse` and
//! `Config::validate` live in `rules/configured.rs`: this module depends on no rule.

use crate::matching::wildcard_match;
use crate::policy::Location;
use crate::Severity;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What to report and what to keep quiet about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Findings below this severity are dropped. Default `medium`.
    #[serde(default = "default_min_severity")]
    pub min_severity: Severity,
    /// Per-rule severity instead of the rule's default.
    #[serde(default)]
    pub severity_overrides: BTreeMap<String, Severity>,
    #[serde(default)]
    pub suppressions: Vec<Suppression>,
    /// Accounts that are not "foreign" besides the policy's own (12 digits each).
    #[serde(default)]
    pub trusted_accounts: Vec<String>,
    /// The AWS Organizations id (`o-...`) whose accounts count as trusted.
    #[serde(default)]
    pub org_id: Option<String>,
}

/// Silences one rule (or `*`, every rule) for ARNs matching a glob, optionally in one
/// statement only, with a mandatory reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub rule: String,
    /// Glob (`*`, `?`) over the ARNs a change concerns: policy, role, user, group, function,
    /// the actor, or `arn:aws:iam::<account>:root` for the account. Absent: everywhere.
    #[serde(default)]
    pub arn: Option<String>,
    /// The statement the suppression is about: its `Sid` (a string) or its 0-based index in
    /// the document's `Statement` list (a number). Absent: every statement, and findings
    /// about no statement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<StatementSelector>,
    pub reason: String,
}

/// Which statement a suppression names: `statement = "PublicRead"` or `statement = 2`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum StatementSelector {
    /// The statement's 0-based position in `Statement`.
    Index(usize),
    /// The statement's `Sid`, exactly (case-sensitive, as IAM compares it).
    Sid(String),
}

impl StatementSelector {
    /// Whether a finding at `location` is about the named statement. A finding about no
    /// statement (the whole document, an event) is about none.
    pub fn matches(&self, location: &Location) -> bool {
        match self {
            StatementSelector::Index(index) => location.statement_index == Some(*index),
            StatementSelector::Sid(sid) => location.sid.as_deref() == Some(sid.as_str()),
        }
    }
}

impl std::fmt::Display for StatementSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatementSelector::Index(index) => write!(f, "Statement[{index}]"),
            StatementSelector::Sid(sid) => write!(f, "Sid {sid}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration is neither valid JSON nor valid TOML: {0}")]
    Syntax(String),
    #[error("suppression {index} names unknown rule {rule}")]
    UnknownRule { index: usize, rule: String },
    #[error("suppression {index} for rule {rule} has no reason: every suppression must say why")]
    MissingReason { index: usize, rule: String },
    #[error("suppression {index} for rule {rule} names an empty statement Sid: give a Sid or a 0-based index")]
    EmptyStatementSid { index: usize, rule: String },
    #[error("severity override names unknown rule {0}")]
    UnknownOverride(String),
    #[error("trusted account {0} is not a 12-digit account id")]
    BadAccount(String),
    #[error("org id {0} does not look like `o-` followed by 10 to 32 lowercase letters or digits")]
    BadOrgId(String),
}

/// A TOML error as one line: its position and message, without the quoted source line the
/// toml crate's `Display` adds (the file's own text, control characters and all, would reach
/// the function's log or the terminal).
pub(crate) fn toml_syntax(text: &str, error: &toml::de::Error) -> ConfigError {
    let position = error.span().map(|span| {
        let before = text.as_bytes().get(..span.start).unwrap_or_default();
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(before.get(line_start..).unwrap_or_default())
            .chars()
            .count()
            + 1;
        format!("TOML parse error at line {line}, column {column}: ")
    });
    let mut message = position.unwrap_or_default();
    crate::text::sanitize_into(&mut message, error.message().trim_end(), 512);
    ConfigError::Syntax(message)
}

fn default_min_severity() -> Severity {
    Severity::Medium
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_severity: default_min_severity(),
            severity_overrides: BTreeMap::new(),
            suppressions: Vec::new(),
            trusted_accounts: Vec::new(),
            org_id: None,
        }
    }
}

impl Suppression {
    /// Whether the suppression is about `rule_id` and one of `arns` (its statement aside).
    fn covers(&self, rule_id: &str, arns: &[&str]) -> bool {
        (self.rule == "*" || self.rule == rule_id)
            && match &self.arn {
                None => true,
                Some(glob) => arns.iter().any(|arn| wildcard_match(glob, arn)),
            }
    }
}

impl Config {
    /// The first suppression that silences `rule_id` for one of `arns`, whatever the
    /// statement: suppressions that name a statement are not considered (see
    /// [`Config::suppression_at`]).
    pub fn suppression_for(&self, rule_id: &str, arns: &[&str]) -> Option<&Suppression> {
        self.suppressions
            .iter()
            .find(|s| s.statement.is_none() && s.covers(rule_id, arns))
    }

    /// The first suppression that silences a finding of `rule_id` at `location` for one of
    /// `arns`: one that names no statement, or names this finding's statement.
    pub fn suppression_at(
        &self,
        rule_id: &str,
        location: &Location,
        arns: &[&str],
    ) -> Option<&Suppression> {
        self.suppressions.iter().find(|s| {
            s.covers(rule_id, arns)
                && s.statement
                    .as_ref()
                    .is_none_or(|statement| statement.matches(location))
        })
    }

    /// Could a finding of the rule `rule_id`, declared at `severity`, survive [`Report::apply_config`](crate::Report::apply_config),
    /// kept or listed as suppressed? No rule reports above its declared severity (a test holds
    /// every rule to that), so a rule whose severity, or override, is below `min_severity` and
    /// that no suppression names has nothing to report: the engine skips it.
    pub fn may_report(&self, rule_id: &str, severity: Severity) -> bool {
        let severity = self
            .severity_overrides
            .get(rule_id)
            .copied()
            .unwrap_or(severity);
        severity >= self.min_severity
            || self
                .suppressions
                .iter()
                .any(|s| s.rule == "*" || s.rule == rule_id)
    }

    pub fn is_trusted_account(&self, account: &str) -> bool {
        self.trusted_accounts.iter().any(|a| a == account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_below_the_minimum_are_skipped_unless_overridden_or_suppressed() {
        let low = crate::rules::rule_by_id("bool-under-string-operator").map(|r| r.meta());
        let medium = crate::rules::rule_by_id("resource-wildcard").map(|r| r.meta());
        let (Some(low), Some(medium)) = (low, medium) else {
            panic!("both rules exist");
        };
        let default = Config::default();
        assert!(!default.may_report(low.id, low.severity));
        assert!(default.may_report(medium.id, medium.severity));
        let info = Config {
            min_severity: Severity::Info,
            ..Config::default()
        };
        assert!(info.may_report(low.id, low.severity));
        let high = Config {
            min_severity: Severity::High,
            ..Config::default()
        };
        assert!(!high.may_report(medium.id, medium.severity));
        let raised = Config {
            severity_overrides: [(low.id.to_string(), Severity::High)].into(),
            ..Config::default()
        };
        assert!(raised.may_report(low.id, low.severity));
        let lowered = Config {
            severity_overrides: [(medium.id.to_string(), Severity::Low)].into(),
            ..Config::default()
        };
        assert!(!lowered.may_report(medium.id, medium.severity));
        // A suppressed finding is listed as suppressed whatever its severity.
        for rule in [low.id, "*"] {
            let suppressed = Config {
                suppressions: vec![Suppression {
                    rule: rule.to_string(),
                    arn: None,
                    statement: None,
                    reason: "reviewed".to_string(),
                }],
                ..Config::default()
            };
            assert!(suppressed.may_report(low.id, low.severity), "{rule}");
        }
    }

    #[test]
    fn syntax_errors_are_one_line_without_raw_input() {
        for (text, expected) in [
            (
                "reas{}",
                "configuration is neither valid JSON nor valid TOML: TOML parse error at line 1, column 5: key with no value, expected `=`",
            ),
            (
                "min_severity = \"high\"\n\u{1b}[2J = 1\n",
                "configuration is neither valid JSON nor valid TOML: TOML parse error at line 2, column 2: key with no value, expected `=`",
            ),
            (
                "{\"min_severity\": \"high\", \"\\u001b[2J\": 1}",
                "configuration is neither valid JSON nor valid TOML: unknown field `\\u{1b}[2J`, expected one of `min_severity`, `severity_overrides`, `suppressions`, `trusted_accounts`, `org_id` at line 1 column 36",
            ),
        ] {
            let message = Config::parse(text).unwrap_err().to_string();
            assert_eq!(message, expected);
            assert!(!message.chars().any(char::is_control), "{message:?}");
        }
    }

    #[test]
    fn json_and_toml_are_equivalent() {
        let json = r#"{"min_severity":"high","suppressions":[{"rule":"admin-access","arn":"arn:aws:iam::*:role/break-glass","reason":"reviewed"}]}"#;
        let toml = "min_severity = \"high\"\n[[suppressions]]\nrule = \"admin-access\"\narn = \"arn:aws:iam::*:role/break-glass\"\nreason = \"reviewed\"\n";
        assert_eq!(Config::parse(json).unwrap(), Config::parse(toml).unwrap());
    }

    #[test]
    fn suppressions_need_a_reason_and_a_known_rule() {
        let missing = r#"{"suppressions":[{"rule":"admin-access","reason":"  "}]}"#;
        assert!(matches!(
            Config::parse(missing),
            Err(ConfigError::MissingReason { .. })
        ));
        let unknown = r#"{"suppressions":[{"rule":"no-such-rule","reason":"x"}]}"#;
        assert_eq!(
            Config::parse(unknown).unwrap_err().to_string(),
            "suppression 0 names unknown rule `no-such-rule`"
        );
        assert!(Config::parse(r#"{"min_severity":"severe"}"#).is_err());
        assert!(Config::parse(r#"{"unknown_field":1}"#).is_err());
        assert!(Config::parse(r#"{"trusted_accounts":["123"]}"#).is_err());
    }

    #[test]
    fn suppression_matches_rule_and_arn_glob() {
        let config = Config::parse(
            r#"{"suppressions":[{"rule":"admin-access","arn":"arn:aws:iam::*:role/break-glass","reason":"reviewed"}]}"#,
        )
        .unwrap();
        assert!(config
            .suppression_for(
                "admin-access",
                &["arn:aws:iam::123456789012:role/break-glass"]
            )
            .is_some());
        assert!(config
            .suppression_for("admin-access", &["arn:aws:iam::123456789012:role/other"])
            .is_none());
        assert!(config
            .suppression_for(
                "service-wildcard",
                &["arn:aws:iam::123456789012:role/break-glass"]
            )
            .is_none());
    }
}
