use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::{holds_without_key, key_support, KeySupport};
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
    /// `sts:AssumeRoleWithWebIdentity`. A key that only *some* of a `Deny`'s actions support,
    /// and a tag key (`aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:TagKeys`) that none of
    /// them supports, are `deny-condition-not-applicable`.
    ///
    /// ### Why is this bad
    /// A key the request never carries makes most operators false: an `Allow` with it never
    /// applies and a `Deny` with it never denies, without any error. Usually it is a typo
    /// (`aws:SourceVpcId` for `aws:SourceVpc`) or a key of another service (`ec2:Region` on S3
    /// actions). In a `Deny` under an operator that fails without the key (`StringEquals`,
    /// `ArnLike`, `ForAnyValue:`...) the deny protects nothing: high. Negated operators,
    /// `...IfExists` and `ForAllValues:` hold without the key, so such a `Deny` applies to every
    /// request it names (low), and an `Allow` is dead or unconditioned (low).
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
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "a condition key none of the statement's actions supports",
    }
}

impl Rule for UnknownConditionKey {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        for s in &analysis.statements {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            let mut seen: Vec<String> = Vec::new();
            for condition in &statement.conditions {
                let key = &condition.key;
                let lower = key.to_ascii_lowercase();
                if seen.contains(&lower) {
                    continue;
                }
                seen.push(lower);
                let support = key_support(statement, &s.actions, key);
                if support == KeySupport::Supported {
                    continue;
                }
                let what = if support == KeySupport::OtherActions {
                    format!(
                        "{} is a condition key, but none of the statement's actions ({}) supports it: requests for them never carry it",
                        quoted(key),
                        quoted_list(&statement.action.patterns, 4)
                    )
                } else {
                    format!(
                        "{} is neither a global key nor a key of any AWS service: requests never carry it",
                        quoted(key)
                    )
                };
                let holds = holds_without_key(&condition.operator);
                let (severity, effect) = match (statement.is_allow(), holds) {
                    (true, false) => (
                        Severity::Low,
                        format!("so {} never matches and the statement never grants anything", quoted(condition.operator.as_str())),
                    ),
                    (true, true) => (
                        Severity::Low,
                        format!("so {} holds for every request and narrows nothing", quoted(condition.operator.as_str())),
                    ),
                    (false, false) => (
                        Severity::High,
                        format!("so {} never matches: the `Deny` never applies and protects nothing", quoted(condition.operator.as_str())),
                    ),
                    (false, true) => (
                        Severity::Low,
                        format!("so {} holds for every request: the `Deny` applies to every request it names, not only the ones the condition was meant to pick", quoted(condition.operator.as_str())),
                    ),
                };
                let mut finding = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!("Unknown condition key {}", quoted(key)),
                    format!("{what}, {effect}."),
                    format!(
                        "Replace {} with a key the actions support (see the service authorization reference), or remove the condition.",
                        quoted(key)
                    ),
                );
                finding.severity = severity;
                finding.actions = statement.action.patterns.clone();
                out.push(finding);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::tables::keys::{is_oidc_key, key_exists, placeholder_form};

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
        assert!(key_exists("secretsmanager:ResourceTag/Project"));
        assert!(!key_exists("aws:SourceVpcId"));
    }
}
