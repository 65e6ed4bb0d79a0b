//! Reports: the findings about one document or one change, sorted, and filtered by the
//! configuration. [`Finding`], [`DocumentKind`] and [`Config`] live in their own modules
//! (re-exported here and at the crate root).

pub use crate::config::{Config, ConfigError, StatementSelector, Suppression};
pub use crate::document::DocumentKind;
pub use crate::finding::{Category, Finding};

use crate::Severity;
use serde::{Deserialize, Serialize};

/// The findings about one document or one change, most severe first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Findings removed by suppressions, kept for audit (`rule_id`, reason).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressed: Vec<SuppressedFinding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuppressedFinding {
    pub rule_id: String,
    pub reason: String,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Report {
        sort_findings(&mut findings);
        Report {
            findings,
            suppressed: Vec::new(),
        }
    }

    pub fn is_clean(&self) -> bool {
        self.findings.is_empty()
    }

    pub fn highest_severity(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }

    /// Distinct rule ids, most severe first.
    pub fn rule_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = Vec::new();
        for finding in &self.findings {
            if !ids.contains(&finding.rule_id.as_str()) {
                ids.push(&finding.rule_id);
            }
        }
        ids
    }

    /// Applies severity overrides, suppressions and the minimum severity. `arns` are the ARNs
    /// the change concerns (policy, role, user, function, actor, account) that suppressions
    /// may name; a suppression that names a statement (Sid or index) silences only the
    /// findings about that statement.
    pub fn apply_config(self, config: &Config, arns: &[&str]) -> Report {
        let mut kept = Vec::new();
        let mut suppressed = self.suppressed;
        for mut finding in self.findings {
            if let Some(severity) = config.severity_overrides.get(&finding.rule_id) {
                finding.severity = *severity;
            }
            if let Some(suppression) =
                config.suppression_at(&finding.rule_id, &finding.location, arns)
            {
                suppressed.push(SuppressedFinding {
                    rule_id: finding.rule_id.clone(),
                    reason: suppression.reason.clone(),
                });
                continue;
            }
            if finding.severity >= config.min_severity {
                kept.push(finding);
            }
        }
        sort_findings(&mut kept);
        Report {
            findings: kept,
            suppressed,
        }
    }
}

/// One statement of a document, for the changes a diff reports: its index and `Sid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementRef {
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

/// A condition as written: `StringEquals aws:SourceAccount ["111122223333"]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionRef {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// What a new version of a document grants that the old one did not, beside new actions
/// (`analysis::diff`): who, under which conditions, on which resources. Typed; rendered at
/// the edge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum AccessChange {
    /// An Allow statement names a principal no Allow statement of the old version named
    /// (`principal_type` `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for
    /// `"Principal": "*"`).
    PrincipalAdded {
        statement: StatementRef,
        principal_type: String,
        principal: String,
    },
    /// An Allow statement with `NotPrincipal` (everyone except the listed principals) that
    /// the old version did not have.
    NotPrincipalAdded {
        statement: StatementRef,
        excluded: Vec<String>,
    },
    /// A condition of an Allow statement is gone: the statement now holds without it.
    ConditionRemoved {
        statement: StatementRef,
        condition: ConditionRef,
    },
    /// A condition on the same key and operator now matches more: values added (values
    /// removed, for a `Not...` operator).
    ConditionWeakened {
        statement: StatementRef,
        old: ConditionRef,
        new: ConditionRef,
    },
    /// A condition on the same key under another operator: it may match more.
    ConditionChanged {
        statement: StatementRef,
        old: ConditionRef,
        new: ConditionRef,
    },
    /// Actions the old version allowed now reach a resource pattern no old statement
    /// granted them on.
    ResourceAdded {
        statement: StatementRef,
        resource: String,
        /// The first actions (up to 5) of `action_count`.
        actions: Vec<String>,
        action_count: usize,
    },
    /// A Deny statement of the old version is gone.
    DenyRemoved {
        statement: StatementRef,
        actions: Vec<String>,
    },
    /// A Deny statement now applies only under a condition it did not have.
    DenyConditionAdded {
        statement: StatementRef,
        condition: ConditionRef,
    },
}

impl std::fmt::Display for StatementRef {
    /// `Statement[1] (Sid "Read")`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Statement[{}]", self.index)?;
        if let Some(sid) = &self.sid {
            write!(f, " (Sid {})", crate::text::quoted(sid))?;
        }
        Ok(())
    }
}

impl ConditionRef {
    /// `` `StringEquals` `aws:SourceAccount` `111122223333` `` (values quoted, sanitized).
    pub fn describe(&self) -> String {
        format!(
            "{} {} {}",
            crate::text::quoted(&self.operator),
            crate::text::quoted(&self.key),
            crate::text::quoted_list(&self.values, 5)
        )
    }
}

impl AccessChange {
    /// The statement the change is about (in the new version; in the old for a removed Deny).
    pub fn statement(&self) -> &StatementRef {
        match self {
            AccessChange::PrincipalAdded { statement, .. }
            | AccessChange::NotPrincipalAdded { statement, .. }
            | AccessChange::ConditionRemoved { statement, .. }
            | AccessChange::ConditionWeakened { statement, .. }
            | AccessChange::ConditionChanged { statement, .. }
            | AccessChange::ResourceAdded { statement, .. }
            | AccessChange::DenyRemoved { statement, .. }
            | AccessChange::DenyConditionAdded { statement, .. } => statement,
        }
    }

    /// One line for messages, every input value quoted and sanitized.
    pub fn summary_line(&self) -> String {
        use crate::text::{quoted, quoted_list};
        let at = self.statement();
        match self {
            AccessChange::PrincipalAdded {
                principal_type,
                principal,
                ..
            } => {
                if principal_type == "*" {
                    format!("who: everyone (`\"Principal\": \"*\"`), in {at}")
                } else {
                    format!(
                        "who: new principal {} {}, in {at}",
                        quoted(principal_type),
                        quoted(principal)
                    )
                }
            }
            AccessChange::NotPrincipalAdded { excluded, .. } => format!(
                "who: everyone except {} (`NotPrincipal`), in {at}",
                quoted_list(excluded, 5)
            ),
            AccessChange::ConditionRemoved { condition, .. } => {
                format!("condition removed: {}, in {at}", condition.describe())
            }
            AccessChange::ConditionWeakened { old, new, .. } => format!(
                "condition weakened: {} now {}, in {at}",
                old.describe(),
                quoted_list(&new.values, 5)
            ),
            AccessChange::ConditionChanged { old, new, .. } => format!(
                "condition changed: {} became {} (it may match more), in {at}",
                old.describe(),
                new.describe()
            ),
            AccessChange::ResourceAdded {
                resource,
                actions,
                action_count,
                ..
            } => {
                let more = action_count.saturating_sub(actions.len());
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!(
                    "resource: {} newly reached by {}{tail}, in {at}",
                    quoted(resource),
                    quoted_list(actions, 5)
                )
            }
            AccessChange::DenyRemoved { actions, .. } => format!(
                "deny removed: {at} of the old version denied {}",
                quoted_list(actions, 5)
            ),
            AccessChange::DenyConditionAdded { condition, .. } => format!(
                "deny narrowed: it now applies only when {}, in {at}",
                condition.describe()
            ),
        }
    }
}

fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.statement_index.cmp(&b.location.statement_index))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{check_document, CheckOptions};

    /// A bucket policy with a public-read and a public-write statement.
    const BUCKET: &str = r#"{"Version":"2012-10-17","Statement":[
        {"Sid":"PublicRead","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::site/*"},
        {"Sid":"PublicWrite","Effect":"Allow","Principal":"*","Action":"s3:PutObject","Resource":"arn:aws:s3:::site/*"}]}"#;

    fn report(config: &str) -> Report {
        let config = Config::parse(config).unwrap();
        let options = CheckOptions {
            account: Some("111122223333"),
            config: &config,
        };
        let raw = check_document(BUCKET, DocumentKind::Resource, &options);
        Report::new(raw).apply_config(&config, &["arn:aws:s3:::site"])
    }

    fn public(report: &Report) -> Vec<Option<usize>> {
        report
            .findings
            .iter()
            .filter(|f| f.rule_id == "public-resource-policy")
            .map(|f| f.location.statement_index)
            .collect()
    }

    #[test]
    fn both_statements_are_public() {
        let all = report("{}");
        assert_eq!(public(&all), vec![Some(0), Some(1)], "{:#?}", all.findings);
    }

    #[test]
    fn a_suppression_by_rule_hides_every_statement_as_before() {
        let old = report(
            "[[suppressions]]\nrule = \"public-resource-policy\"\nreason = \"static site\"\n",
        );
        assert!(public(&old).is_empty());
        assert_eq!(old.suppressed.len(), 2);
    }

    #[test]
    fn a_suppression_by_sid_or_index_hides_that_statement_only() {
        let by_sid = report(
            "[[suppressions]]\nrule = \"public-resource-policy\"\nstatement = \"PublicRead\"\nreason = \"static site\"\n",
        );
        assert_eq!(public(&by_sid), vec![Some(1)], "the public write stays");
        assert_eq!(by_sid.suppressed.len(), 1);

        let by_index = report(
            r#"{"suppressions":[{"rule":"public-resource-policy","statement":1,"reason":"upload bucket"}]}"#,
        );
        assert_eq!(public(&by_index), vec![Some(0)], "the public read stays");

        // A Sid is compared exactly, and a statement that no finding is about hides nothing.
        for config in [
            "[[suppressions]]\nrule = \"public-resource-policy\"\nstatement = \"publicread\"\nreason = \"x\"\n",
            "[[suppressions]]\nrule = \"public-resource-policy\"\nstatement = 7\nreason = \"x\"\n",
        ] {
            assert_eq!(public(&report(config)).len(), 2, "{config}");
        }
    }

    #[test]
    fn an_empty_sid_is_refused() {
        let error = Config::parse(
            "[[suppressions]]\nrule = \"public-resource-policy\"\nstatement = \" \"\nreason = \"x\"\n",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "suppression 0 for rule `public-resource-policy` names an empty statement Sid: give a Sid or a 0-based index"
        );
    }
}
