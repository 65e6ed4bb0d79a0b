//! How far a statement's `Condition` block narrows what it grants.

use crate::policy::Statement;

/// How much a statement's `Condition` block narrows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Constraint {
    /// No condition: the grant holds for every request.
    None,
    /// Only conditions about how a request is made (TLS, MFA, time, region, user agent): the
    /// same principals still reach the same resources.
    Weak(Vec<String>),
    /// Conditions that narrow whose request or which resources: tags, `aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpc`, service-specific keys, and any
    /// key this crate does not know (unknown context counts as constraining, never as absent).
    Scoping(Vec<String>),
}

/// Conditions about the channel, not the scope: they do not shrink who can reach what.
const WEAK_KEYS: &[&str] = &[
    "aws:securetransport",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:useragent",
    "aws:referer",
    "aws:tokenissuetime",
    "aws:viaawsservice",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "s3:tlsversion",
    "s3:signatureversion",
    "s3:signatureage",
    "s3:authtype",
    "s3:x-amz-content-sha256",
];

impl Constraint {
    pub(super) fn of(statement: &Statement) -> Constraint {
        if statement.conditions.is_empty() {
            return Constraint::None;
        }
        let keys: Vec<String> = statement.condition_keys().map(str::to_string).collect();
        let all_weak = keys
            .iter()
            .all(|k| WEAK_KEYS.iter().any(|weak| weak.eq_ignore_ascii_case(k)));
        if all_weak {
            Constraint::Weak(keys)
        } else {
            Constraint::Scoping(keys)
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Constraint::None)
    }

    /// How many severity steps a finding drops because of this constraint.
    pub fn severity_steps(&self) -> u8 {
        match self {
            Constraint::None => 0,
            Constraint::Weak(_) => 1,
            Constraint::Scoping(_) => 2,
        }
    }

    pub fn keys(&self) -> &[String] {
        match self {
            Constraint::None => &[],
            Constraint::Weak(keys) | Constraint::Scoping(keys) => keys,
        }
    }
}
