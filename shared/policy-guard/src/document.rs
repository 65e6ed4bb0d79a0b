//! What kind of document is judged: decides the rules that apply to it.

use serde::{Deserialize, Serialize};

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
