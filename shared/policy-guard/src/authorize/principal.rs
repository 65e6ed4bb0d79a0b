//! Who makes the request, and which entries of a `Principal` element name them.

use crate::matching::{is_account_id, parse_arn};
use crate::policy::{PrincipalKind, PrincipalSpec, Principals};

/// The principal making a request, as IAM identifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalId {
    /// `arn:aws:iam::ACCT:user/path/name`
    User { account: String, arn: String },
    /// `arn:aws:iam::ACCT:role/path/name`: the role itself (as a caller, a session of it).
    Role {
        account: String,
        arn: String,
        name: String,
        path: String,
    },
    /// `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION`
    RoleSession {
        account: String,
        arn: String,
        role: String,
    },
    /// `arn:aws:sts::ACCT:federated-user/NAME` (a `GetFederationToken` session).
    FederatedUser { account: String, arn: String },
    /// `arn:aws:iam::ACCT:root`: the account root user.
    Root { account: String },
    /// `lambda.amazonaws.com`: an AWS service principal.
    Service(String),
    /// A web identity or SAML provider (`accounts.google.com`,
    /// `arn:aws:iam::ACCT:saml-provider/NAME`) calling `AssumeRoleWith*`.
    IdentityProvider(String),
    /// `anonymous`: an unauthenticated request.
    Anonymous,
}

/// How a matching `Principal` entry names the caller: it decides what a resource-policy grant
/// is capped by within one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NamedAs {
    /// The caller itself: a user ARN, a role *session* ARN, a federated-user ARN, a service or
    /// provider, or `*`.
    Directly,
    /// The role of a session (`arn:aws:iam::ACCT:role/NAME`): capped by the boundary and the
    /// session policy.
    Role,
    /// The account (`ACCT` or `arn:aws:iam::ACCT:root`): the account delegates to its own
    /// identity policies.
    Account,
}

const WEB_IDENTITY_PROVIDERS: &[&str] = &[
    "accounts.google.com",
    "graph.facebook.com",
    "www.amazon.com",
    "cognito-identity.amazonaws.com",
];

impl PrincipalId {
    /// Parses the request's principal; `None` when it is none of the shapes IAM knows.
    pub fn parse(text: &str) -> Option<PrincipalId> {
        if text == "anonymous" || text == "*" {
            return Some(PrincipalId::Anonymous);
        }
        if WEB_IDENTITY_PROVIDERS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(text))
        {
            return Some(PrincipalId::IdentityProvider(text.to_ascii_lowercase()));
        }
        if let Some(arn) = parse_arn(text) {
            let account = arn.account.to_string();
            if !is_account_id(&account) {
                return None;
            }
            let (kind, rest) = arn.resource.split_once('/').unwrap_or((arn.resource, ""));
            return match (arn.service, kind) {
                ("iam", "root") if rest.is_empty() => Some(PrincipalId::Root { account }),
                ("iam", "user") if !rest.is_empty() => Some(PrincipalId::User {
                    account,
                    arn: text.to_string(),
                }),
                ("iam", "role") if !rest.is_empty() => {
                    let (path, name) = match rest.rsplit_once('/') {
                        Some((path, name)) => (path.to_string(), name.to_string()),
                        None => (String::new(), rest.to_string()),
                    };
                    (!name.is_empty()).then(|| PrincipalId::Role {
                        account,
                        arn: text.to_string(),
                        name,
                        path,
                    })
                }
                ("iam", "saml-provider" | "oidc-provider") if !rest.is_empty() => {
                    Some(PrincipalId::IdentityProvider(text.to_string()))
                }
                ("sts", "assumed-role") => {
                    let (role, session) = rest.split_once('/')?;
                    (!role.is_empty() && !session.is_empty() && !session.contains('/')).then(|| {
                        PrincipalId::RoleSession {
                            account,
                            arn: text.to_string(),
                            role: role.to_string(),
                        }
                    })
                }
                ("sts", "federated-user") if !rest.is_empty() => Some(PrincipalId::FederatedUser {
                    account,
                    arn: text.to_string(),
                }),
                _ => None,
            };
        }
        let service_like = text.ends_with(".amazonaws.com") || text.ends_with(".amazonaws.com.cn");
        let plain = text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
        (service_like && plain).then(|| PrincipalId::Service(text.to_ascii_lowercase()))
    }

    /// The account the principal belongs to, when it has one.
    pub fn account(&self) -> Option<&str> {
        match self {
            PrincipalId::User { account, .. }
            | PrincipalId::Role { account, .. }
            | PrincipalId::RoleSession { account, .. }
            | PrincipalId::FederatedUser { account, .. }
            | PrincipalId::Root { account } => Some(account),
            _ => None,
        }
    }

    /// Whether identity-side policies (identity, boundary, session, SCPs) exist for it.
    pub fn is_iam_principal(&self) -> bool {
        self.account().is_some()
    }

    /// `aws:PrincipalArn`: for a role session, the role's ARN.
    pub fn principal_arn(&self) -> Option<String> {
        match self {
            PrincipalId::User { arn, .. }
            | PrincipalId::Role { arn, .. }
            | PrincipalId::FederatedUser { arn, .. } => Some(arn.clone()),
            PrincipalId::RoleSession { account, role, .. } => {
                Some(format!("arn:aws:iam::{account}:role/{role}"))
            }
            PrincipalId::Root { account } => Some(format!("arn:aws:iam::{account}:root")),
            _ => None,
        }
    }

    /// `aws:PrincipalType` as IAM sets it.
    pub fn principal_type(&self) -> Option<&'static str> {
        match self {
            PrincipalId::User { .. } => Some("User"),
            PrincipalId::Role { .. } | PrincipalId::RoleSession { .. } => Some("AssumedRole"),
            PrincipalId::FederatedUser { .. } => Some("FederatedUser"),
            PrincipalId::Root { .. } => Some("Account"),
            PrincipalId::Anonymous => Some("Anonymous"),
            _ => None,
        }
    }

    /// A role whose path is `aws-service-role/`, or a session of a role named as AWS names
    /// service-linked roles.
    pub fn looks_service_linked(&self) -> bool {
        match self {
            PrincipalId::Role { path, .. } => {
                path == "aws-service-role" || path.starts_with("aws-service-role/")
            }
            PrincipalId::RoleSession { role, .. } => role.starts_with("AWSServiceRoleFor"),
            _ => false,
        }
    }

    fn role_name(&self) -> Option<&str> {
        match self {
            PrincipalId::Role { name, .. } => Some(name),
            PrincipalId::RoleSession { role, .. } => Some(role),
            _ => None,
        }
    }

    /// What a `NotPrincipal` must list for the caller to be exempt: AWS checks the account,
    /// then the role, then the session, and denies if any of them is not listed.
    fn chain(&self) -> Vec<Entry<'_>> {
        let mut chain = Vec::with_capacity(3);
        match self {
            PrincipalId::User { arn, .. } | PrincipalId::FederatedUser { arn, .. } => {
                chain.push(Entry::Exact(arn))
            }
            PrincipalId::Role { .. } => chain.push(Entry::Role),
            PrincipalId::RoleSession { arn, .. } => {
                chain.push(Entry::Exact(arn));
                chain.push(Entry::Role);
            }
            PrincipalId::Service(name) | PrincipalId::IdentityProvider(name) => {
                chain.push(Entry::Exact(name))
            }
            PrincipalId::Root { .. } | PrincipalId::Anonymous => {}
        }
        if self.account().is_some() {
            chain.push(Entry::Account);
        }
        chain
    }
}

enum Entry<'a> {
    Exact(&'a str),
    Role,
    Account,
}

/// Whether a statement's `Principal` / `NotPrincipal` covers the caller, and how. A statement
/// without either element (identity policies, SCPs) applies to the caller directly.
pub fn principal_match(
    spec: Option<&PrincipalSpec>,
    caller: &PrincipalId,
    has_boundary: bool,
    deny: bool,
) -> Option<NamedAs> {
    let Some(spec) = spec else {
        return Some(NamedAs::Directly);
    };
    if spec.negated {
        // A Deny with NotPrincipal always denies a principal with a permissions boundary
        // (the IAM User Guide's NotPrincipal page).
        if deny && has_boundary && caller.is_iam_principal() {
            return Some(NamedAs::Directly);
        }
        let covered = match &spec.principals {
            Principals::Any => true,
            Principals::Listed(list) => {
                let chain = caller.chain();
                !chain.is_empty()
                    && chain.iter().all(|entry| {
                        list.iter().any(|p| match entry {
                            Entry::Exact(arn) => {
                                entry_names(p.kind, &p.value, caller) == Some(NamedAs::Directly)
                                    && p.value.eq_ignore_ascii_case(arn)
                            }
                            Entry::Role => {
                                entry_names(p.kind, &p.value, caller) == Some(NamedAs::Role)
                            }
                            Entry::Account => {
                                entry_names(p.kind, &p.value, caller) == Some(NamedAs::Account)
                            }
                        })
                    })
            }
        };
        return (!covered).then_some(NamedAs::Directly);
    }
    match &spec.principals {
        Principals::Any => Some(NamedAs::Directly),
        Principals::Listed(list) => list
            .iter()
            .filter_map(|p| entry_names(p.kind, &p.value, caller))
            .min(),
    }
}

/// How one `Principal` entry names the caller, if it does.
fn entry_names(kind: PrincipalKind, value: &str, caller: &PrincipalId) -> Option<NamedAs> {
    match kind {
        PrincipalKind::Aws => {}
        PrincipalKind::Service => {
            return matches!(caller, PrincipalId::Service(s) if s.eq_ignore_ascii_case(value))
                .then_some(NamedAs::Directly);
        }
        PrincipalKind::Federated => {
            return matches!(caller, PrincipalId::IdentityProvider(p) if p.eq_ignore_ascii_case(value))
                .then_some(NamedAs::Directly);
        }
        PrincipalKind::CanonicalUser => return None,
    }
    if value == "*" {
        return Some(NamedAs::Directly);
    }
    let account = caller.account()?;
    if is_account_id(value) {
        return (value == account).then_some(NamedAs::Account);
    }
    let arn = parse_arn(value)?;
    if arn.account != account {
        return None;
    }
    match (arn.service, arn.resource) {
        ("iam", "root") => return Some(NamedAs::Account),
        ("iam", resource) if resource.starts_with("role/") => {
            if let PrincipalId::Role { arn: own, .. } = caller {
                return (own == value).then_some(NamedAs::Role);
            }
            // A session carries only the role's name; the role ARN's last segment is it.
            let name = resource.rsplit('/').next()?;
            return (caller.role_name() == Some(name)
                && matches!(caller, PrincipalId::RoleSession { .. }))
            .then_some(NamedAs::Role);
        }
        _ => {}
    }
    match caller {
        PrincipalId::User { arn, .. }
        | PrincipalId::RoleSession { arn, .. }
        | PrincipalId::FederatedUser { arn, .. } => (arn == value).then_some(NamedAs::Directly),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_principal_shape() {
        assert!(matches!(
            PrincipalId::parse("arn:aws:sts::111122223333:assumed-role/app/s1"),
            Some(PrincipalId::RoleSession { .. })
        ));
        assert!(matches!(
            PrincipalId::parse("arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX"),
            Some(PrincipalId::Role { .. })
        ));
        assert_eq!(
            PrincipalId::parse("lambda.amazonaws.com"),
            Some(PrincipalId::Service("lambda.amazonaws.com".into()))
        );
        assert_eq!(
            PrincipalId::parse("anonymous"),
            Some(PrincipalId::Anonymous)
        );
        assert_eq!(PrincipalId::parse("bob"), None);
        assert_eq!(PrincipalId::parse("arn:aws:iam::12:user/x"), None);
    }
}
