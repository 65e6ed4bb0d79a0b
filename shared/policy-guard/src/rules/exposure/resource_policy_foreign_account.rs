use crate::rules::principals::{foreign_principals, pinned};
use crate::tables::keys::ORG_KEYS;
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a resource policy statement that allows a principal of another account (the
    /// account, its root, or one of its roles or users) without an `aws:PrincipalOrgID` or
    /// `aws:PrincipalOrgPaths` condition. The document's own account and the configured
    /// `trusted_accounts` are not foreign; when the document's account is unknown every account
    /// a principal names is reported, and the message says the home account is unknown.
    ///
    /// ### Why is this bad
    /// Access now depends on another account's administrators: whoever they allow can invoke
    /// the function or read the data, and the grant outlives the business relationship unless
    /// someone remembers to remove it.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "partner-invoke", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Id": "default", "Statement": [{"Sid": "org-invoke", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:role/article-publisher"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:CreateArticle", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}
    /// ```
    pub struct ResourcePolicyForeignAccount {
        id: "resource-policy-foreign-account",
        category: Category::CrossAccount,
        severity: Severity::Medium,
        kinds: kinds::RESOURCE,
        summary: "a resource policy allows another account without an organization condition",
    }
}

impl Rule for ResourcePolicyForeignAccount {
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
            if accounts.is_empty() || pinned(statement, ORG_KEYS) {
                continue;
            }
            let actions = statement.action.patterns.clone();
            let resources = s.resource_patterns();
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                format!(
                    "Account {} may call {}",
                    quoted_list(&accounts, 3),
                    quoted_list(&actions, 2)
                ),
                format!(
                    "{} of another account may call {} on {} with no organization condition.",
                    quoted_list(&values, 4),
                    quoted_list(&actions, 5),
                    if resources.is_empty() { "this resource".to_string() } else { quoted_list(&resources, 3) }
                ),
                "Add an `aws:PrincipalOrgID` condition if the account is in your organization, name the one role that needs access instead of the account, or list the account under `trusted_accounts` if it is yours.".to_string(),
            );
            finding.actions = actions;
            finding.resources = resources;
            if cx.account.is_none() {
                finding.message.push_str(&crate::rules::principals::unknown_home_account(&accounts, "resource"));
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
        let text = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "lambda:InvokeFunction", "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f"}]}"#;
        let unknown = findings(text, DocumentKind::Resource, None);
        assert_eq!(unknown.len(), 1, "{unknown:?}");
        assert!(unknown[0].title.contains("444455556666"), "{}", unknown[0].title);
        assert!(unknown[0].message.contains("The home account is unknown"));
        let known = findings(text, DocumentKind::Resource, Some("111122223333"));
        assert_eq!(known.len(), 1);
        assert!(!known[0].message.contains("home account is unknown"));
        assert!(findings(text, DocumentKind::Resource, Some("444455556666")).is_empty());
    }
}
