//! Findings, reports and the configuration that filters them.

mod config;

pub use config::{Config, ConfigError, Suppression};

use crate::policy::Location;
use crate::Severity;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The fixed vocabulary of finding categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Malformed,
    UnknownAction,
    ResourceMismatch,
    AdminAccess,
    ServiceWildcard,
    ResourceWildcard,
    NotActionOrResource,
    PrivilegeEscalation,
    PermissionsManagement,
    CredentialsExposure,
    DataExfiltration,
    ResourceExposure,
    PublicAccess,
    CrossAccount,
    ConfusedDeputy,
    InsecureCondition,
}

impl Category {
    pub const ALL: [Category; 16] = [
        Category::Malformed,
        Category::UnknownAction,
        Category::ResourceMismatch,
        Category::AdminAccess,
        Category::ServiceWildcard,
        Category::ResourceWildcard,
        Category::NotActionOrResource,
        Category::PrivilegeEscalation,
        Category::PermissionsManagement,
        Category::CredentialsExposure,
        Category::DataExfiltration,
        Category::ResourceExposure,
        Category::PublicAccess,
        Category::CrossAccount,
        Category::ConfusedDeputy,
        Category::InsecureCondition,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Malformed => "malformed",
            Category::UnknownAction => "unknown-action",
            Category::ResourceMismatch => "resource-mismatch",
            Category::AdminAccess => "admin-access",
            Category::ServiceWildcard => "service-wildcard",
            Category::ResourceWildcard => "resource-wildcard",
            Category::NotActionOrResource => "not-action-or-resource",
            Category::PrivilegeEscalation => "privilege-escalation",
            Category::PermissionsManagement => "permissions-management",
            Category::CredentialsExposure => "credentials-exposure",
            Category::DataExfiltration => "data-exfiltration",
            Category::ResourceExposure => "resource-exposure",
            Category::PublicAccess => "public-access",
            Category::CrossAccount => "cross-account",
            Category::ConfusedDeputy => "confused-deputy",
            Category::InsecureCondition => "insecure-condition",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with one document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule_id: String,
    pub category: Category,
    pub severity: Severity,
    /// One line, no trailing period: "`dynamodb:*` granted on every resource".
    pub title: String,
    /// The offending actions and resources, and why it matters.
    pub message: String,
    /// A concrete change that removes the finding.
    pub fix: String,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    /// Condition keys that constrain the grant and lowered the severity (empty: not lowered).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constrained_by: Vec<String>,
}

/// What a document is, which decides the rules that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Attached to a user, group or role (managed or inline): grants permissions.
    Identity,
    /// A permissions boundary: caps a principal's permissions, grants nothing by itself.
    PermissionsBoundary,
    /// A role's trust policy (`AssumeRolePolicyDocument`): who may assume the role.
    Trust,
    /// A resource-based policy (Lambda function policy, bucket policy...): who may act on it.
    Resource,
    /// A Lambda function URL configuration (`CreateFunctionUrlConfig` request parameters).
    FunctionUrlConfig,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Identity => "identity",
            DocumentKind::PermissionsBoundary => "permissions-boundary",
            DocumentKind::Trust => "trust",
            DocumentKind::Resource => "resource",
            DocumentKind::FunctionUrlConfig => "function-url-config",
        }
    }
}

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
