use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::PAIRED_KEYS;
use crate::text::quoted;
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports a condition key that is only safe together with a partner key, used in a
    /// statement that has none of its partners: `aws:VpcSourceIp` without `aws:SourceVpc` or
    /// `aws:SourceVpce` (Access Analyzer *Missing paired condition keys*, the pair AWS
    /// documents).
    ///
    /// ### Why is this bad
    /// Private address ranges are reused in every VPC. `aws:VpcSourceIp` `10.0.0.0/8` alone
    /// matches a request from that range in any VPC with an endpoint, another account's
    /// included; naming the VPC or endpoint as well pins the range to the network that was
    /// meant.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-reports/*", "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
    /// ```
    pub struct MissingPairedConditionKey {
        id: "missing-paired-condition-key",
        category: Category::InsecureCondition,
        severity: Severity::Low,
        kinds: kinds::POLICIES,
        summary: "a condition key used without the partner key that makes it safe (`aws:VpcSourceIp` without `aws:SourceVpc`)",
    }
}

impl Rule for MissingPairedConditionKey {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, _)) = cx.policy() else {
            return;
        };
        for statement in &policy.statements {
            let has = |key: &str| statement.condition_keys().any(|k| k.eq_ignore_ascii_case(key));
            for condition in &statement.conditions {
                let Some((_, partners)) = PAIRED_KEYS
                    .iter()
                    .find(|(key, _)| condition.key.eq_ignore_ascii_case(key))
                else {
                    continue;
                };
                if partners.iter().any(|p| has(p)) {
                    continue;
                }
                let names = partners
                    .iter()
                    .map(|p| format!("`{p}`"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                let mut finding = Self::META.finding(
                    condition_location(policy, statement, condition),
                    format!("{} used without {names}", quoted(&condition.key)),
                    format!(
                        "{} compares private addresses, which every VPC reuses: without {names} the condition matches the same range in any VPC, another account's included.",
                        quoted(&condition.key)
                    ),
                    format!("Add {names} to the same condition block."),
                );
                finding.actions = statement.action.patterns.clone();
                out.push(finding);
            }
        }
    }
}
