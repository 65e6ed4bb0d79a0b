use crate::rules::principals::{
    assume_actions, aws_principal, foreign_principals, pinned, AwsPrincipal,
};
use crate::tables::keys::ORG_KEYS;
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a trust policy that lets a principal of another account (the account itself,
    /// its root, or one of its roles or users) assume the role without an `sts:ExternalId` or
    /// an `aws:PrincipalOrgID` / `aws:PrincipalOrgPaths` condition. The document's own account
    /// and the configured `trusted_accounts` are not foreign; service principals are not
    /// reported. When the document's account is unknown, every account a
    /// principal names is reported, and the message says the home account is unknown.
    ///
    /// ### Why is this bad
    /// Trusting `arn:aws:iam::<account>:root` delegates the decision to whoever administers that
    /// account: any of its principals with `sts:AssumeRole` permission gets in. A vendor that
    /// assumes roles in many customers' accounts can be tricked into using yours (the confused
    /// deputy) unless each customer's trust policy requires its own external id.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/vendor-integration"}, "Action": "sts:AssumeRole", "Condition": {"StringEquals": {"sts:ExternalId": "c7f1e2b4-9a3d-4f5e-8b6a-2d1c0e9f8a7b"}}}]}
    /// ```
    pub struct TrustForeignAccount {
        id: "trust-foreign-account",
        category: Category::CrossAccount,
        severity: Severity::High,
        kinds: kinds::TRUST,
        summary: "a trust policy lets another account assume the role without an external id or org condition",
    }
}

impl Rule for TrustForeignAccount {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        for s in analysis.allows() {
            let Some(statement) = policy.statements.get(s.index) else {
                continue;
            };
            // The home account unknown, every account a principal names is reported, and
            // the message says the home account is unknown: never quiet.
            let (accounts, values) = foreign_principals(
                statement,
                Some(cx.account.unwrap_or_default()),
                |a| cx.is_trusted_account(a),
            );
            if accounts.is_empty() {
                continue;
            }
            let actions = assume_actions(&s.actions);
            if actions.is_empty() {
                continue;
            }
            if pinned(statement, &["sts:ExternalId"]) || pinned(statement, ORG_KEYS) {
                continue;
            }
            let whole = values
                .iter()
                .any(|v| matches!(aws_principal(v), AwsPrincipal::Account { whole: true, .. }));
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                format!(
                    "The trust policy lets account {} assume the role",
                    quoted_list(&accounts, 3)
                ),
                format!(
                    "{} may call {} on this role with no `sts:ExternalId` or organization condition{}.",
                    quoted_list(&values, 4),
                    quoted_list(&actions, 5),
                    if whole {
                        "; trusting a whole account lets in every principal that account's administrators allow to call `sts:AssumeRole`"
                    } else {
                        ""
                    }
                ),
                "Add an `sts:ExternalId` condition (`\"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"<id>\"}}`) for a third party, or an `aws:PrincipalOrgID` condition for your own organization's accounts, or list the account under `trusted_accounts`.".to_string(),
            );
            finding.actions = actions;
            if cx.account.is_none() {
                finding.message.push_str(&crate::rules::principals::unknown_home_account(&accounts, "role"));
            }
            constrain(&mut finding, &s.constraint);
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, reason = "a failed expectation is the test failing")]
    use crate::rules::{check_document, CheckOptions};
    use crate::{Config, DocumentKind};

    fn findings(text: &str, kind: DocumentKind, account: Option<&str>) -> Vec<crate::Finding> {
        let config = Config::default();
        let options = CheckOptions { account, config: &config };
        check_document(text, kind, &options)
            .into_iter()
            .filter(|f| f.category == crate::Category::CrossAccount)
            .collect()
    }

    /// Without the home account the rule still reports the account a principal names, and
    /// says the home account is unknown; with it, the home account is not foreign.
    #[test]
    fn an_unknown_home_account_is_said_not_silent() {
        let text = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "sts:AssumeRole"}]}"#;
        let unknown = findings(text, DocumentKind::Trust, None);
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(unknown[0].title.contains("444455556666"), "{}", unknown[0].title);
        assert!(unknown[0].message.contains("The home account is unknown"));
        let known = findings(text, DocumentKind::Trust, Some("111122223333"));
        assert_eq!(known.len(), 1);
        assert!(!known[0].message.contains("home account is unknown"));
        assert!(findings(text, DocumentKind::Trust, Some("444455556666")).is_empty());
    }
}
