use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::catalog::{catalog, AccessLevel};
use crate::analysis::{Constraint, NEAR_ADMIN_SHARE};
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a policy that grants every action on every resource, or all but a few services,
    /// whether in one statement (`"Action": "*"`), through `Allow` with a short `NotAction`
    /// list, or split across statements. An unconditional `Deny` that takes the access away
    /// again removes the finding.
    ///
    /// ### Why is this bad
    /// Whoever holds it controls the account: they can read every secret, delete every backup,
    /// and grant themselves anything they do not have yet.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["dynamodb:GetItem", "dynamodb:PutItem"], "Resource": "arn:aws:dynamodb:us-east-1:111122223333:table/Articles"}]}
    /// ```
    pub struct AdminAccess {
        id: "admin-access",
        category: Category::AdminAccess,
        severity: Severity::Critical,
        kinds: kinds::IDENTITY,
        summary: "grants every action on every resource (or all but a few services)",
    }
}


impl Rule for AdminAccess {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        let catalog = catalog();
        let total = catalog.action_count();

        // Everything granted on every resource, whichever statements grant it and however
        // the resources are written, after denies; then how much of that needs conditions.
        let threshold = NEAR_ADMIN_SHARE * total.max(1) as f64;
        if (analysis.allowed().len() as f64) < threshold {
            return;
        }
        let everywhere = analysis.broad();
        if (everywhere.len() as f64) < threshold {
            return;
        }
        let contributing: Vec<_> = analysis
            .allows()
            .filter(|s| s.broad_actions().intersects(everywhere))
            .collect();
        let unconstrained = analysis.unconstrained();
        let constraint = if unconstrained.len() as f64 / total.max(1) as f64 >= NEAR_ADMIN_SHARE {
            // No severity step; a condition that bounds nothing still says why.
            contributing
                .iter()
                .map(|s| s.constraint.clone())
                .filter(|c| c.severity_steps() == 0)
                .max()
                .unwrap_or(Constraint::None)
        } else {
            contributing
                .iter()
                .map(|s| s.constraint.clone())
                .max()
                .unwrap_or(Constraint::None)
        };
        let Some(main) = contributing
            .iter()
            .max_by_key(|s| s.broad_actions().len())
        else {
            return;
        };
        let Some(statement) = policy.statements.get(main.index) else {
            return;
        };

        let iam_admin = catalog.actions_of_service("iam").iter().all(|id| {
            catalog
                .action(id)
                .is_none_or(|a| a.access_level() != AccessLevel::PermissionsManagement)
                || everywhere.contains(id)
        });
        let missing = total - everywhere.len();
        let (severity, title, detail) = if missing == 0 {
            (
                Severity::Critical,
                "policy grants administrator access".to_string(),
                "It allows every action on every resource".to_string(),
            )
        } else if iam_admin {
            (
                Severity::Critical,
                "policy grants administrator access with a short exclusion list".to_string(),
                format!(
                    "It allows {} of {total} actions on every resource, including all of IAM's permissions management, so the holder can grant itself the {missing} it lacks",
                    everywhere.len()
                ),
            )
        } else {
            (
                Severity::High,
                "policy grants near-administrator access".to_string(),
                format!(
                    "It allows {} of {total} actions on every resource; only {missing} are excluded",
                    everywhere.len()
                ),
            )
        };
        let statements: Vec<String> = contributing
            .iter()
            .map(|s| format!("Statement[{}]", s.index))
            .collect();
        let mut finding = Self::META.finding(
            at(policy, statement, None),
            title,
            format!("{detail} (through {}).", statements.join(", ")),
            "Replace the wildcard with the specific actions and resources the principal needs; keep administrator access to a few break-glass roles and suppress it there with a reason.".to_string(),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        finding.resources = main.resource_patterns();
        constrain(&mut finding, &constraint);
        out.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use crate::{Config, DocumentKind};
    use crate::rules::{check_document, CheckOptions};
    use crate::Severity;

    fn admin(text: &str) -> Option<Severity> {
        let config = Config::default();
        let options = CheckOptions {
            account: Some("111122223333"),
            config: &config,
        };
        check_document(text, DocumentKind::Identity, &options)
            .into_iter()
            .find(|f| f.rule_id == "admin-access")
            .map(|f| f.severity)
    }

    #[test]
    fn split_across_statements_and_not_action() {
        let split = r#"{"Statement":[{"Effect":"Allow","Action":"iam:*","Resource":"*"},
            {"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#;
        assert_eq!(admin(split), Some(Severity::Critical));
        let short_exclusion =
            r#"{"Statement":[{"Effect":"Allow","NotAction":["s3:*","ec2:*"],"Resource":"*"}]}"#;
        assert_eq!(admin(short_exclusion), Some(Severity::Critical));
        let power_user = r#"{"Statement":[{"Effect":"Allow","NotAction":["iam:*","organizations:*","account:*"],"Resource":"*"}]}"#;
        assert_eq!(admin(power_user), Some(Severity::High));
    }

    #[test]
    fn deny_removes_and_conditions_lower() {
        let denied = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"*","Resource":"*"}]}"#;
        assert_eq!(admin(denied), None);
        let conditional_deny = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}]}"#;
        assert_eq!(admin(conditional_deny), Some(Severity::Critical));
        let org_only = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}"#;
        assert_eq!(admin(org_only), Some(Severity::Medium));
    }
}
