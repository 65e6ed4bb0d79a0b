use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::catalog::{catalog, ActionSet};
use crate::analysis::StatementAnalysis;
use crate::{Category, Finding};
use crate::text::{quoted, quoted_list};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a condition key that no action of the statement supports: neither a global
    /// `aws:` key nor a key of the actions' services, of the actions themselves or of their
    /// resource types (case-insensitive; `${TagKey}` templates match). For statements covering
    /// a very large set of actions (`*`, `NotAction`) the key only has to exist somewhere in the
    /// catalog. OIDC provider keys (`<provider>:sub`, `:aud`, `:amr`...) are accepted for
    /// `sts:AssumeRoleWithWebIdentity`.
    ///
    /// ### Why is this bad
    /// A key the request never carries makes most operators false: an `Allow` with it never
    /// applies and a `Deny` with it never denies, without any error. Usually it is a typo
    /// (`aws:SourceVpcId` for `aws:SourceVpc`) or a key of another service (`ec2:Region` on S3
    /// actions).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"StringNotEquals": {"aws:SourceVpcId": "vpc-1a2b3c4d"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"StringNotEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
    /// ```
    pub struct UnknownConditionKey {
        id: "unknown-condition-key",
        category: Category::InsecureCondition,
        severity: Severity::Low,
        kinds: kinds::POLICIES,
        summary: "a condition key none of the statement's actions supports",
    }
}

/// Above this many actions, a statement is judged against the whole catalog.
const HUGE: usize = 1_000;

/// Claims AWS exposes as condition keys for web identity federation (`<provider>:<claim>`).
const OIDC_CLAIMS: &[&str] = &[
    "sub", "aud", "amr", "oaud", "azp", "email", "app_id", "id", "user_id",
];

/// `token.actions.githubusercontent.com:sub`, `oidc.eks.<region>.amazonaws.com/id/<id>:aud`...
fn is_oidc_key(key: &str) -> bool {
    key.rsplit_once(':').is_some_and(|(host, claim)| {
        host.contains('.')
            && !host.contains(['*', ' ', ':'])
            && OIDC_CLAIMS.iter().any(|c| c.eq_ignore_ascii_case(claim))
    })
}

/// Keys AWS sets on requests but the catalog does not list: those of credentials that
/// services issue (usable with any action) and a few used in AWS managed policies.
const UNLISTED_KEYS: &[&str] = &[
    "lambda:SourceFunctionArn",
    "ec2:SourceInstanceARN",
    "ec2:RoleDelivery",
    "glue:RoleAssumedBy",
    "glue:CredentialIssuingService",
    "lakeformation:GlueARN",
    "aws:PrincipalOrgMasterAccountId",
    "deepracer:UserToken",
    "deepracer:MultiUser",
];

/// The catalog spells some tag keys with a literal placeholder
/// (`secretsmanager:ResourceTag/tag-key`): `secretsmanager:ResourceTag/Project` is that key.
fn placeholder_form(key: &str) -> Option<String> {
    let (head, tail) = key.split_once('/')?;
    (!tail.is_empty()).then(|| format!("{head}/tag-key"))
}

/// Does some action of `actions` support `key` (not a global key: the caller checked)?
fn known_for(actions: &ActionSet, key: &str) -> bool {
    let placeholder = placeholder_form(key);
    match placeholder.as_deref() {
        Some(p) if catalog().is_global_condition_key(p) => !actions.is_empty(),
        Some(p) => catalog().supports_condition_key(actions, &[key, p]),
        None => catalog().supports_condition_key(actions, &[key]),
    }
}

fn exists(key: &str) -> bool {
    catalog().condition_key(key).is_some()
        || placeholder_form(key).is_some_and(|p| catalog().condition_key(&p).is_some())
}

fn is_huge(statement: &crate::policy::Statement, s: &StatementAnalysis) -> bool {
    statement.action.negated
        || statement.action.patterns.iter().any(|p| p == "*")
        || s.actions.len() > HUGE
}

impl Rule for UnknownConditionKey {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let web_identity = catalog().lookup("sts:AssumeRoleWithWebIdentity");
        for s in &analysis.statements {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            if statement.conditions.is_empty() {
                continue;
            }
            let huge = is_huge(statement, s) || s.actions.is_empty();
            let federated = web_identity.is_some_and(|id| s.actions.contains(id));
            let mut seen: Vec<String> = Vec::new();
            for condition in &statement.conditions {
                let key = &condition.key;
                let lower = key.to_ascii_lowercase();
                if seen.contains(&lower) {
                    continue;
                }
                seen.push(lower);
                if catalog().is_global_condition_key(key)
                    || UNLISTED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
                    || (federated && is_oidc_key(key))
                {
                    continue;
                }
                let exists = exists(key);
                if huge && exists {
                    continue;
                }
                if !huge && known_for(&s.actions, key) {
                    continue;
                }
                let message = if exists {
                    format!(
                        "{} is a condition key, but none of the statement's actions ({}) supports it: requests for them never carry it, so the condition is false for most operators and the statement never applies.",
                        quoted(key),
                        quoted_list(&statement.action.patterns, 4)
                    )
                } else {
                    format!(
                        "{} is neither a global key nor a key of any AWS service: requests never carry it, so the condition is false for most operators and the statement never applies.",
                        quoted(key)
                    )
                };
                let mut finding = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!("Unknown condition key {}", quoted(key)),
                    message,
                    format!(
                        "Replace {} with a key the actions support (see the service authorization reference), or remove the condition.",
                        quoted(key)
                    ),
                );
                finding.actions = statement.action.patterns.clone();
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oidc_keys_and_placeholders() {
        assert!(is_oidc_key("token.actions.githubusercontent.com:sub"));
        assert!(is_oidc_key("oidc.eks.us-east-1.amazonaws.com/id/ABC:AUD"));
        assert!(!is_oidc_key("s3:prefix"));
        assert!(!is_oidc_key("example.com:role"));
        assert_eq!(
            placeholder_form("secretsmanager:ResourceTag/Project").as_deref(),
            Some("secretsmanager:ResourceTag/tag-key")
        );
        assert!(placeholder_form("secretsmanager:ResourceTag/").is_none());
        assert!(exists("secretsmanager:ResourceTag/Project"));
        assert!(!exists("aws:SourceVpcId"));
    }
}
