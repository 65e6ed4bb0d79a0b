//! Reports: the findings about one document or one change, sorted, and filtered by the
//! configuration. [`Finding`], [`DocumentKind`] and [`Config`] live in their own modules
//! (re-exported here and at the crate root).

pub use crate::config::{Config, ConfigError, Suppression};
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
    /// may name.
    pub fn apply_config(self, config: &Config, arns: &[&str]) -> Report {
        let mut kept = Vec::new();
        let mut suppressed = self.suppressed;
        for mut finding in self.findings {
            if let Some(severity) = config.severity_overrides.get(&finding.rule_id) {
                finding.severity = *severity;
            }
            if let Some(suppression) = config.suppression_for(&finding.rule_id, arns) {
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

fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.location.statement_index.cmp(&b.location.statement_index))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
}
