use crate::policy::{OperatorFamily, SetQualifier};
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::text::quoted;
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a `Deny` conditioned on `"Bool": {"aws:MultiFactorAuthPresent": "false"}`
    /// (without `IfExists`), and an `Allow` that requires MFA with
    /// `"Null": {"aws:MultiFactorAuthPresent": "false"}` (parliament's BAD_PATTERN_FOR_MFA).
    ///
    /// ### Why is this bad
    /// `aws:MultiFactorAuthPresent` is only in the request context of temporary credentials.
    /// A request signed with a user's long-term access keys has no such key, and `Bool`
    /// fails on a missing key, so the `Deny` does not apply: whoever holds the access keys
    /// bypasses the MFA requirement (high). `BoolIfExists` holds without the key and closes
    /// that gap. `Null` `false` only asks whether the key is there: every temporary session has
    /// it, `false` included when no MFA was used, so such an `Allow` does not require MFA
    /// (medium).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"], "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:ListMFADevices", "sts:GetSessionToken"], "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
    /// ```
    pub struct MfaDenyWithoutIfExists {
        id: "mfa-deny-without-if-exists",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "an MFA condition that requests signed with long-term access keys slip past",
    }
}

const MFA_KEY: &str = "aws:MultiFactorAuthPresent";

impl Rule for MfaDenyWithoutIfExists {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        if !condition.key.eq_ignore_ascii_case(MFA_KEY) {
            continue;
        }
        let op = &condition.operator;
        let says_false = condition
            .values
            .iter()
            .any(|v| v.trim().eq_ignore_ascii_case("false"));
        if !says_false {
            continue;
        }
        let finding = match (statement.is_allow(), op.family()) {
            (false, OperatorFamily::Bool)
                if !op.if_exists() && op.qualifier() != Some(SetQualifier::ForAllValues) =>
            {
                let mut f = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!("{} on {} lets long-term access keys past the `Deny`", quoted(op.as_str()), quoted(&condition.key)),
                    format!(
                        "Requests signed with long-term access keys carry no {}, and {} fails on a missing key, so the `Deny` does not apply to them: the MFA requirement is bypassed with the user's access keys.",
                        quoted(&condition.key),
                        quoted(op.as_str())
                    ),
                    "Use `BoolIfExists` (`\"BoolIfExists\": {\"aws:MultiFactorAuthPresent\": \"false\"}`): it also denies requests that carry no MFA key at all.".to_string(),
                );
                f.severity = Severity::High;
                f
            }
            (true, OperatorFamily::Null) if op.qualifier().is_none() => {
                let mut f = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!("`Null` on {} does not require MFA", quoted(&condition.key)),
                    format!(
                        "`Null` `false` only asks that {} be present: every temporary session carries it, with the value `false` when no MFA was used, so the statement also allows sessions without MFA.",
                        quoted(&condition.key)
                    ),
                    "Require MFA with `\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}`.".to_string(),
                );
                f.severity = Severity::Medium;
                f
            }
            _ => continue,
        };
        let mut finding = finding;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
