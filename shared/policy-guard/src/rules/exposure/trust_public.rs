use crate::rules::principals::{assume_actions, is_public, pinned};
use crate::rules::{at, kinds, Rule, RuleContext};
use crate::{Category, Finding};
use crate::text::quoted_list;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a trust policy that lets `"*"` (or `{"AWS": "*"}`) assume the role:
    /// `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`, `sts:AssumeRoleWithSAML`,
    /// `sts:TagSession` or `sts:SetSourceIdentity`. Critical without a condition; high with
    /// one, because an `sts:ExternalId` or another condition is all that stands between the
    /// role and every AWS account in the world.
    ///
    /// ### Why is this bad
    /// Anyone with any AWS account can call `sts:AssumeRole` on the role's ARN. An external id
    /// is a shared string, not a secret: whoever learns it (logs, a vendor's support portal)
    /// gets the role's permissions.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/deploy"}, "Action": "sts:AssumeRole"}]}
    /// ```
    pub struct TrustPublic {
        id: "trust-public",
        category: Category::PublicAccess,
        severity: Severity::Critical,
        kinds: kinds::TRUST,
        summary: "a trust policy lets any AWS principal assume the role",
    }
}

impl Rule for TrustPublic {
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
            if !is_public(statement) {
                continue;
            }
            let actions = assume_actions(&s.actions);
            if actions.is_empty() {
                continue;
            }
            let mut finding = Self::META.finding(
                at(policy, statement, Some("Principal")),
                "The trust policy lets anyone assume the role".to_string(),
                format!(
                    "`Principal` is `*`: any AWS account, including ones you do not know, may call {} on this role.",
                    quoted_list(&actions, 5)
                ),
                "Name the accounts or roles that may assume the role under `Principal` (`{\"AWS\": \"arn:aws:iam::<account>:role/<name>\"}`), and add an `sts:ExternalId` condition for third parties.".to_string(),
            );
            if !statement.conditions.is_empty() {
                let keys: Vec<String> = statement.condition_keys().map(str::to_string).collect();
                let external_id = pinned(statement, &["sts:ExternalId"]);
                finding.severity = Severity::High;
                finding.message.push_str(&format!(
                    " The condition on {} narrows it, so the severity is high rather than critical{}.",
                    quoted_list(&keys, 4),
                    if external_id {
                        ", but an external id is a shared string, not an identity"
                    } else {
                        ""
                    }
                ));
                finding.constrained_by = keys;
            }
            finding.actions = actions;
            out.push(finding);
        }
    }
}
