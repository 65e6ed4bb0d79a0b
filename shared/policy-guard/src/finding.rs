//! A finding: one thing wrong with one document, and the fixed vocabulary of its categories.
//! Rules produce them, reports sort and filter them, renderers write them.

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
