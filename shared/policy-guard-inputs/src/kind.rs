//! The kinds of input policy-guard reads, and of policy documents.

use policy_guard::DocumentKind;

/// What an input is: decides how it is read and which rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum InputKind {
    /// An IAM policy document; identity, trust or resource is detected from its content.
    Policy,
    Identity,
    Trust,
    Resource,
    /// A permissions boundary.
    Boundary,
    /// A Lambda `GetPolicy` output (`{"Policy": "<json>", "RevisionId": ...}`) or a function's
    /// resource policy.
    LambdaPolicy,
    /// A CloudTrail record, an EventBridge CloudTrail event or a CloudTrail log file.
    Cloudtrail,
    /// `terraform show -json` of a plan.
    TerraformPlan,
    /// A Lambda function URL configuration (`{"functionName", "authType", "cors"}`).
    FunctionUrl,
}

impl InputKind {
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::Policy => "policy",
            InputKind::Identity => "identity",
            InputKind::Trust => "trust",
            InputKind::Resource => "resource",
            InputKind::Boundary => "boundary",
            InputKind::LambdaPolicy => "lambda-policy",
            InputKind::Cloudtrail => "cloudtrail",
            InputKind::TerraformPlan => "terraform-plan",
            InputKind::FunctionUrl => "function-url",
        }
    }

    /// The document kind of a single-document input.
    pub fn document_kind(self) -> Option<DocumentKind> {
        match self {
            InputKind::Identity => Some(DocumentKind::Identity),
            InputKind::Trust => Some(DocumentKind::Trust),
            InputKind::Resource | InputKind::LambdaPolicy => Some(DocumentKind::Resource),
            InputKind::Boundary => Some(DocumentKind::PermissionsBoundary),
            InputKind::FunctionUrl => Some(DocumentKind::FunctionUrlConfig),
            InputKind::Policy | InputKind::Cloudtrail | InputKind::TerraformPlan => None,
        }
    }

    pub fn from_document_kind(kind: DocumentKind) -> InputKind {
        match kind {
            DocumentKind::Identity => InputKind::Identity,
            DocumentKind::PermissionsBoundary => InputKind::Boundary,
            DocumentKind::Trust => InputKind::Trust,
            DocumentKind::Resource => InputKind::Resource,
            DocumentKind::FunctionUrlConfig => InputKind::FunctionUrl,
        }
    }
}

/// Which kind a policy document is, from its content alone (a boundary looks like an identity
/// policy: only how it is used tells them apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyKind {
    Identity,
    Trust,
    Resource,
}

impl PolicyKind {
    /// The rules a document of this kind is judged by.
    pub fn document_kind(self) -> DocumentKind {
        match self {
            PolicyKind::Identity => DocumentKind::Identity,
            PolicyKind::Trust => DocumentKind::Trust,
            PolicyKind::Resource => DocumentKind::Resource,
        }
    }
}

impl From<PolicyKind> for InputKind {
    fn from(kind: PolicyKind) -> InputKind {
        InputKind::from_document_kind(kind.document_kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_kinds_map_to_the_same_input_and_document_kinds() {
        for kind in [
            PolicyKind::Identity,
            PolicyKind::Trust,
            PolicyKind::Resource,
        ] {
            assert_eq!(
                InputKind::from(kind).document_kind(),
                Some(kind.document_kind())
            );
        }
    }
}
