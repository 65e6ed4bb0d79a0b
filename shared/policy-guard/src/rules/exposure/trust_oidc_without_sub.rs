use crate::catalog::catalog;
use crate::policy::{Condition, PrincipalKind, Statement};
use crate::rules::principals::{listed, oidc_host, pins};
use crate::rules::{at, kinds, Rule, RuleContext};
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a trust policy that lets an OIDC identity provider's tokens assume the role
    /// (`sts:AssumeRoleWithWebIdentity`) without a condition on the token's subject,
    /// `<provider>:sub` (a `sub` of `*`, or `repo:*` for GitHub Actions, counts as none). For
    /// Cognito identity pools (`cognito-identity.amazonaws.com`) a condition on the pool id,
    /// `cognito-identity.amazonaws.com:aud`, is accepted; for Login with Amazon and Facebook,
    /// the user (`www.amazon.com:user_id`, `graph.facebook.com:id`) or the app (`:app_id`).
    ///
    /// ### Why is this bad
    /// The provider issues tokens to everyone who uses it: without a `sub` condition, every
    /// GitHub repository in the world, or every workload of a shared identity provider, can
    /// assume the role. `aud` alone does not help: for GitHub it is `sts.amazonaws.com` for
    /// everybody.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"StringEquals": {"token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": "repo:example-org/articles-api:ref:refs/heads/main"}}}]}
    /// ```
    pub struct TrustOidcWithoutSub {
        id: "trust-oidc-without-sub",
        category: Category::PublicAccess,
        severity: Severity::High,
        kinds: kinds::TRUST,
        summary: "an OIDC provider may assume the role without a condition on the token's subject",
    }
}

const GITHUB: &str = "token.actions.githubusercontent.com";
const COGNITO: &str = "cognito-identity.amazonaws.com";

/// A `sub` value that any token of the provider matches.
fn matches_everyone(host: &str, condition: &Condition, value: &str) -> bool {
    if !condition.operator.supports_wildcards() {
        return false;
    }
    let wild = |s: &str| s.chars().all(|c| matches!(c, '*' | '?'));
    if wild(value) {
        return true;
    }
    host.eq_ignore_ascii_case(GITHUB)
        && value
            .get(..5)
            .is_some_and(|p| p.eq_ignore_ascii_case("repo:"))
        && value
            .get(5..)
            .is_some_and(|rest| rest.starts_with(['*', '?']))
}

/// The claims that identify whose token it is, per provider: `sub` for OIDC providers; the
/// identity pool (`aud`) for Cognito; the user or the app for Login with Amazon and Facebook.
fn subject_claims(host: &str) -> &'static [&'static str] {
    if host.eq_ignore_ascii_case(COGNITO) {
        &["aud", "sub"]
    } else if host.eq_ignore_ascii_case("www.amazon.com") {
        &["user_id", "app_id"]
    } else if host.eq_ignore_ascii_case("graph.facebook.com") {
        &["id", "app_id"]
    } else {
        &["sub"]
    }
}

/// Whether the statement pins the provider's subject (or, for Cognito, the identity pool).
fn subject_pinned(statement: &Statement, host: &str) -> bool {
    let claims = subject_claims(host);
    statement.conditions.iter().any(|c| {
        let key_ok = c.key.rsplit_once(':').is_some_and(|(h, claim)| {
            h.eq_ignore_ascii_case(host) && claims.iter().any(|k| k.eq_ignore_ascii_case(claim))
        });
        key_ok && pins(c) && !c.values.iter().any(|v| matches_everyone(host, c, v))
    })
}

/// How a statement bounds the subject of one provider's tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Subject {
    /// A condition names the subjects that may assume the role.
    Pinned,
    /// No positive condition on the subject claim at all.
    Unconditioned,
    /// A condition on the subject claim whose value matches every token (`*`, `repo:*`).
    MatchesEveryone { key: String, value: String },
}

fn subject(statement: &Statement, host: &str) -> Subject {
    if subject_pinned(statement, host) {
        return Subject::Pinned;
    }
    let claims = subject_claims(host);
    statement
        .conditions
        .iter()
        .filter(|c| {
            !c.operator.is_negated()
                && c.key.rsplit_once(':').is_some_and(|(h, claim)| {
                    h.eq_ignore_ascii_case(host)
                        && claims.iter().any(|k| k.eq_ignore_ascii_case(claim))
                })
        })
        .find_map(|c| {
            c.values
                .iter()
                .find(|v| matches_everyone(host, c, v))
                .map(|v| Subject::MatchesEveryone {
                    key: c.key.clone(),
                    value: v.clone(),
                })
        })
        .unwrap_or(Subject::Unconditioned)
}

impl Rule for TrustOidcWithoutSub {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let Some(web_identity) = catalog().lookup("sts:AssumeRoleWithWebIdentity") else {
            return;
        };
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if !s.actions.contains(web_identity) {
                continue;
            }
            let open: Vec<(&str, Subject)> = listed(statement)
                .iter()
                .filter(|p| p.kind == PrincipalKind::Federated)
                .filter_map(|p| oidc_host(&p.value))
                .map(|host| (host, subject(statement, host)))
                .filter(|(_, subject)| *subject != Subject::Pinned)
                .collect();
            let Some((first, first_subject)) = open.first() else {
                continue;
            };
            let key_of = |h: &str| format!("{h}:{}", subject_claims(h).first().unwrap_or(&"sub"));
            let unconditioned: Vec<&str> = open
                .iter()
                .filter(|(_, s)| *s == Subject::Unconditioned)
                .map(|(h, _)| *h)
                .collect();
            let everyone: Vec<(&str, &str, &str)> = open
                .iter()
                .filter_map(|(h, s)| match s {
                    Subject::MatchesEveryone { key, value } => {
                        Some((*h, key.as_str(), value.as_str()))
                    }
                    _ => None,
                })
                .collect();
            let keys: Vec<String> = open.iter().map(|(h, _)| key_of(h)).collect();
            let title = match first_subject {
                Subject::MatchesEveryone { key, value } if first.eq_ignore_ascii_case(GITHUB) => {
                    format!(
                        "Any GitHub repository may assume the role: {} {} matches every repository",
                        quoted(key),
                        quoted(value)
                    )
                }
                Subject::MatchesEveryone { key, value } => format!(
                    "Any identity of {} may assume the role: {} {} matches every subject",
                    quoted(first),
                    quoted(key),
                    quoted(value)
                ),
                _ => format!(
                    "Any identity of {} may assume the role: no condition on {}",
                    quoted(first),
                    quoted(&key_of(first))
                ),
            };
            let mut reasons = Vec::new();
            if !unconditioned.is_empty() {
                let keys: Vec<String> = unconditioned.iter().map(|h| key_of(h)).collect();
                reasons.push(format!(
                    "for tokens of {} without a condition on {}",
                    quoted_list(&unconditioned, 3),
                    quoted_list(&keys, 3)
                ));
            }
            for (host, key, value) in &everyone {
                let what = if host.eq_ignore_ascii_case(GITHUB) {
                    "every repository"
                } else {
                    "every subject"
                };
                reasons.push(format!(
                    "for tokens of {} with a condition on {} whose value {} matches {what}",
                    quoted(host),
                    quoted(key),
                    quoted(value)
                ));
            }
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                title,
                format!(
                    "The statement allows `sts:AssumeRoleWithWebIdentity` {}: every user or workload the provider issues tokens to can assume the role.",
                    reasons.join(", and ")
                ),
                format!(
                    "{} a `StringEquals` (or `StringLike`) condition on {} naming the subjects that may assume the role{}.",
                    if everyone.is_empty() { "Add" } else { "Use" },
                    quoted_list(&keys, 3),
                    if open.iter().any(|(h, _)| h.eq_ignore_ascii_case(GITHUB)) {
                        ", e.g. `repo:<org>/<repo>:ref:refs/heads/main`"
                    } else {
                        ""
                    }
                ),
            );
            finding.actions = vec!["sts:AssumeRoleWithWebIdentity".to_string()];
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    fn statement(condition: &str) -> Statement {
        let doc = format!(
            r#"{{"Statement":[{{"Effect":"Allow","Principal":{{"Federated":"x"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
        );
        parse_policy(&doc).unwrap().statements.remove(0)
    }

    #[test]
    fn subject_conditions() {
        let gh = GITHUB;
        let ok = statement(
            r#"{"StringLike":{"Token.Actions.GithubUserContent.com:SUB":"repo:org/app:*"}}"#,
        );
        assert!(subject_pinned(&ok, gh));
        for bad in [
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
            r#"{"StringLike":{"token.actions.githubusercontent.com:sub":["repo:org/app:*","*"]}}"#,
            r#"{"StringNotEquals":{"token.actions.githubusercontent.com:sub":"repo:org/app:x"}}"#,
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
            r#"{"StringEquals":{"other.example.com:sub":"repo:org/app"}}"#,
        ] {
            assert!(!subject_pinned(&statement(bad), gh), "{bad}");
        }
        // A literal `*` under StringEquals matches no token: not "everyone".
        let literal =
            statement(r#"{"StringEquals":{"token.actions.githubusercontent.com:sub":"*"}}"#);
        assert!(subject_pinned(&literal, gh));
        let pool =
            statement(r#"{"StringEquals":{"cognito-identity.amazonaws.com:aud":"us-east-1:abc"}}"#);
        assert!(subject_pinned(&pool, COGNITO));
        assert!(!subject_pinned(&pool, "accounts.google.com"));
    }

    #[test]
    fn no_subject_and_a_subject_matching_everyone_are_told_apart() {
        let none = statement(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
        );
        assert_eq!(subject(&none, GITHUB), Subject::Unconditioned);
        let negated = statement(
            r#"{"StringNotEquals":{"token.actions.githubusercontent.com:sub":"repo:org/app:x"}}"#,
        );
        assert_eq!(subject(&negated, GITHUB), Subject::Unconditioned);
        for (condition, value) in [
            (
                r#"{"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
                "repo:*",
            ),
            (
                r#"{"StringLike":{"token.actions.githubusercontent.com:sub":["repo:org/app:*","*"]}}"#,
                "*",
            ),
        ] {
            assert_eq!(
                subject(&statement(condition), GITHUB),
                Subject::MatchesEveryone {
                    key: "token.actions.githubusercontent.com:sub".to_string(),
                    value: value.to_string()
                },
                "{condition}"
            );
        }
    }

    fn messages(document: &str) -> Vec<Finding> {
        let config = crate::Config {
            min_severity: Severity::Info,
            ..crate::Config::default()
        };
        let options = crate::rules::CheckOptions {
            account: Some("111122223333"),
            config: &config,
        };
        crate::rules::check_document(document, crate::DocumentKind::Trust, &options)
    }

    #[test]
    fn the_messages_say_which_case_it_is() {
        let with = |condition: &str| {
            format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Federated":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{condition}}}]}}"#
            )
        };
        let ours = |document: &str| -> Finding {
            messages(document)
                .into_iter()
                .find(|f| f.rule_id == TrustOidcWithoutSub::META.id)
                .unwrap()
        };
        let none = ours(&with(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"}}"#,
        ));
        assert!(none.title.contains("no condition on"), "{}", none.title);
        assert!(
            none.message.contains("without a condition on"),
            "{}",
            none.message
        );
        let every = ours(&with(
            r#"{"StringEquals":{"token.actions.githubusercontent.com:aud":"sts.amazonaws.com"},"StringLike":{"token.actions.githubusercontent.com:sub":"repo:*"}}"#,
        ));
        assert!(every.title.contains("every repository"), "{}", every.title);
        assert!(
            every.message.contains("`repo:*` matches every repository"),
            "{}",
            every.message
        );
        assert!(
            !every.message.contains("without a condition"),
            "{}",
            every.message
        );
    }

    /// tests/rules.rs holds each rule's fix to its own findings only: this one must pass
    /// every rule.
    #[test]
    fn the_use_instead_example_passes_every_rule() {
        let fixed = TrustOidcWithoutSub::META
            .doc_example("Use instead")
            .unwrap();
        let findings = messages(fixed);
        assert!(findings.is_empty(), "{findings:#?}");
    }
}
