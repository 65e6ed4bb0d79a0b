//! Helpers for the trust, resource-policy and condition rules: what a `Principal` value names
//! (everyone, an account, a service, an identity provider) and whether a statement's condition
//! really pins a key down.

use crate::catalog::{catalog, ActionId};
use crate::matching::{is_account_id, parse_arn};
use crate::policy::{
    Condition, Location, OperatorFamily, Policy, Principal, PrincipalKind, Principals, Statement,
};
use crate::tables::keys::ASSUME_ACTIONS;

/// What one `AWS` principal value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AwsPrincipal<'a> {
    /// `"*"`: every AWS account and anonymous callers.
    Anyone,
    /// A principal of one account: the account itself (`123456789012`,
    /// `arn:aws:iam::123456789012:root`) when `whole`, otherwise a role, user or session in it.
    Account { account: &'a str, whole: bool },
    /// Something this crate cannot place in an account (unique ids such as `AROA...`).
    Unknown,
}

/// Parses an `AWS` principal value.
pub fn aws_principal(value: &str) -> AwsPrincipal<'_> {
    if value == "*" {
        return AwsPrincipal::Anyone;
    }
    if is_account_id(value) {
        return AwsPrincipal::Account {
            account: value,
            whole: true,
        };
    }
    let Some(arn) = parse_arn(value) else {
        return AwsPrincipal::Unknown;
    };
    if !matches!(arn.service, "iam" | "sts") || !is_account_id(arn.account) {
        return AwsPrincipal::Unknown;
    }
    AwsPrincipal::Account {
        account: arn.account,
        whole: arn.resource == "root",
    }
}

/// The principals a statement lists under `Principal` (not `NotPrincipal`).
pub fn listed(statement: &Statement) -> &[Principal] {
    match &statement.principal {
        Some(spec) if !spec.negated => match &spec.principals {
            Principals::Listed(list) => list,
            Principals::Any => &[],
        },
        _ => &[],
    }
}

/// `"Principal": "*"` or an `AWS` principal `"*"`: anyone, signed or not.
pub fn is_public(statement: &Statement) -> bool {
    match &statement.principal {
        Some(spec) if !spec.negated => match &spec.principals {
            Principals::Any => true,
            Principals::Listed(list) => list
                .iter()
                .any(|p| p.kind == PrincipalKind::Aws && p.value == "*"),
        },
        _ => false,
    }
}

/// The service principals a statement names (`events.amazonaws.com`...).
pub fn services(statement: &Statement) -> Vec<&str> {
    listed(statement)
        .iter()
        .filter(|p| p.kind == PrincipalKind::Service)
        .map(|p| p.value.as_str())
        .collect()
}

/// The distinct accounts, other than the document's own and the trusted ones, that the
/// statement's `AWS` principals belong to, with the principal values naming them. Empty when
/// the own account is unknown: without it nothing concrete can be called foreign.
pub fn foreign_principals<'a>(
    statement: &'a Statement,
    own: Option<&str>,
    trusted: impl Fn(&str) -> bool,
) -> (Vec<&'a str>, Vec<&'a str>) {
    let mut accounts: Vec<&str> = Vec::new();
    let mut values: Vec<&str> = Vec::new();
    if own.is_none() {
        return (accounts, values);
    }
    for p in listed(statement) {
        if p.kind != PrincipalKind::Aws {
            continue;
        }
        if let AwsPrincipal::Account { account, .. } = aws_principal(&p.value) {
            if trusted(account) {
                continue;
            }
            if !accounts.contains(&account) {
                accounts.push(account);
            }
            values.push(&p.value);
        }
    }
    (accounts, values)
}

/// An OIDC identity provider named by a `Federated` principal: the provider ARN's
/// `oidc-provider/<host>` part or a built-in provider such as `cognito-identity.amazonaws.com`.
/// SAML providers and anything else are `None`.
pub fn oidc_host(value: &str) -> Option<&str> {
    if let Some(arn) = parse_arn(value) {
        if arn.service != "iam" {
            return None;
        }
        return arn
            .resource
            .strip_prefix("oidc-provider/")
            .filter(|h| !h.is_empty());
    }
    (value.contains('.') && !value.contains([':', ' ', '*'])).then_some(value)
}

/// Whether the condition constrains its key to something: a positive operator (not a `Not...`
/// one, not `Null`) with at least one value that is more than wildcards.
pub fn pins(condition: &Condition) -> bool {
    let op = &condition.operator;
    if op.is_negated() || op.family() == OperatorFamily::Null {
        return false;
    }
    condition.values.iter().any(|v| {
        !(op.supports_wildcards() && !v.is_empty() && v.chars().all(|c| matches!(c, '*' | '?')))
    })
}

/// The statement's conditions on any of `keys` (ASCII case-insensitive: `AWS:SourceArn`).
pub fn conditions_on<'a>(
    statement: &'a Statement,
    keys: &'a [&'a str],
) -> impl Iterator<Item = &'a Condition> + 'a {
    statement
        .conditions
        .iter()
        .filter(move |c| keys.iter().any(|k| k.eq_ignore_ascii_case(&c.key)))
}

/// Whether some condition of the statement pins one of `keys`.
pub fn pinned(statement: &Statement, keys: &[&str]) -> bool {
    conditions_on(statement, keys).any(pins)
}

/// The assume actions the statement allows, as written in the catalog.
pub fn assume_actions(actions: &crate::catalog::ActionSet) -> Vec<String> {
    ASSUME_ACTIONS
        .iter()
        .filter_map(|name| catalog().lookup(name))
        .filter(|&id: &ActionId| actions.contains(id))
        .filter_map(|id| catalog().action(id).map(|a| a.qualified()))
        .collect()
}

/// The location of one condition entry: `Statement[0].Condition.StringLike.s3:prefix`.
pub fn condition_location(
    policy: &Policy,
    statement: &Statement,
    condition: &Condition,
) -> Location {
    super::at(
        policy,
        statement,
        Some(&format!(
            "Condition.{}.{}",
            condition.operator.as_str(),
            condition.key
        )),
    )
}

/// What a cross-account finding adds when the home account is unknown: every account named is
/// reported as another, and the reader is told how to settle it. `what` is the role or
/// resource the document belongs to.
pub fn unknown_home_account(accounts: &[&str], what: &str) -> String {
    format!(
        " The home account is unknown (none was given and the document does not say), so every account is reported as another: if {} is the account this {what} lives in, it is not cross-account; give the account (`--account`) to judge it.",
        crate::text::quoted_list(accounts, 3)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;
    use crate::tables::keys::SOURCE_KEYS;

    fn statement(text: &str) -> Statement {
        let doc = format!(r#"{{"Version":"2012-10-17","Statement":[{text}]}}"#);
        parse_policy(&doc).unwrap().statements.remove(0)
    }

    #[test]
    fn parses_aws_principal_values() {
        assert_eq!(aws_principal("*"), AwsPrincipal::Anyone);
        assert_eq!(
            aws_principal("444455556666"),
            AwsPrincipal::Account {
                account: "444455556666",
                whole: true
            }
        );
        assert_eq!(
            aws_principal("arn:aws:iam::444455556666:root"),
            AwsPrincipal::Account {
                account: "444455556666",
                whole: true
            }
        );
        assert_eq!(
            aws_principal("arn:aws-us-gov:iam::444455556666:role/path/deploy"),
            AwsPrincipal::Account {
                account: "444455556666",
                whole: false
            }
        );
        assert_eq!(
            aws_principal("arn:aws:sts::444455556666:assumed-role/deploy/session"),
            AwsPrincipal::Account {
                account: "444455556666",
                whole: false
            }
        );
        assert_eq!(aws_principal("AROAEXAMPLEID"), AwsPrincipal::Unknown);
        assert_eq!(aws_principal("4444555566"), AwsPrincipal::Unknown);
        assert_eq!(
            aws_principal("arn:aws:s3:::444455556666"),
            AwsPrincipal::Unknown
        );
        assert_eq!(aws_principal("arn:aws:iam::*:root"), AwsPrincipal::Unknown);
    }

    #[test]
    fn finds_oidc_hosts() {
        assert_eq!(
            oidc_host(
                "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"
            ),
            Some("token.actions.githubusercontent.com")
        );
        assert_eq!(
            oidc_host(
                "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"
            ),
            Some("oidc.eks.us-east-1.amazonaws.com/id/ABC")
        );
        assert_eq!(
            oidc_host("cognito-identity.amazonaws.com"),
            Some("cognito-identity.amazonaws.com")
        );
        assert_eq!(
            oidc_host("arn:aws:iam::111122223333:saml-provider/Okta"),
            None
        );
        assert_eq!(oidc_host("arn:aws:iam::111122223333:oidc-provider/"), None);
        assert_eq!(oidc_host("localname"), None);
    }

    #[test]
    fn public_and_listed_principals() {
        assert!(is_public(&statement(
            r#"{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}"#
        )));
        assert!(is_public(&statement(
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","*"]},"Action":"sts:AssumeRole"}"#
        )));
        let not = statement(r#"{"Effect":"Allow","NotPrincipal":"*","Action":"sts:AssumeRole"}"#);
        assert!(!is_public(&not) && listed(&not).is_empty());
        let s = statement(
            r#"{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com"],"AWS":["444455556666","arn:aws:iam::444455556666:role/a","arn:aws:iam::111122223333:root","777788889999"]},"Action":"lambda:InvokeFunction","Resource":"*"}"#,
        );
        assert_eq!(services(&s), vec!["events.amazonaws.com"]);
        let (accounts, values) = foreign_principals(&s, Some("111122223333"), |a| {
            a == "111122223333" || a == "777788889999"
        });
        assert_eq!(accounts, vec!["444455556666"]);
        assert_eq!(values.len(), 2);
        assert!(foreign_principals(&s, None, |_| false).0.is_empty());
    }

    #[test]
    fn condition_pinning_ignores_case_negation_and_bare_wildcards() {
        let s = statement(
            r#"{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"lambda:InvokeFunction","Resource":"*",
               "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:s3:::b"},"StringLike":{"aws:SourceAccount":"*"},
               "StringNotEquals":{"aws:PrincipalOrgID":"o-abcdefghij"},"Null":{"aws:SourceOwner":"false"}}}"#,
        );
        assert!(pinned(&s, &["aws:SourceArn"]));
        assert!(!pinned(&s, &["aws:SourceAccount"]));
        assert!(!pinned(&s, &["aws:PrincipalOrgID"]));
        assert!(!pinned(&s, &["aws:SourceOwner"]));
        assert_eq!(conditions_on(&s, SOURCE_KEYS).count(), 3);
    }
}
