use crate::policy::OperatorFamily;
use crate::rules::principals::condition_location;
use crate::rules::{kinds, Rule, RuleContext};
use crate::tables::keys::is_private_range;
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};

declare_rule! {
    /// ### What it does
    /// Reports private or reserved ranges (`10.0.0.0/8`, `172.16.0.0/12`, `192.168.0.0/16`,
    /// loopback, link-local, `100.64.0.0/10`, `fc00::/7`, `fe80::/10`) among the values of
    /// `aws:SourceIp` under `IpAddress` or `NotIpAddress` (Access Analyzer *Private IP
    /// address*, *Private NotIpAddress* and their *subset* suggestions).
    ///
    /// ### Why is this bad
    /// `aws:SourceIp` is the public address a request comes from. A request from inside a VPC
    /// through a VPC endpoint carries `aws:VpcSourceIp` (and `aws:SourceVpc`) instead, so a
    /// private range in `aws:SourceIp` never matches. With only private ranges: a `Deny` with
    /// `IpAddress` never applies (high); an `Allow` with `NotIpAddress` holds for every
    /// request that has a source address, so it restricts nothing (high); a `Deny` with
    /// `NotIpAddress` denies every such request, the office network included (medium); an
    /// `Allow` with `IpAddress` grants nothing (low). Private ranges mixed with public ones
    /// are dead values (low).
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}}}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*", "Condition": {"IpAddress": {"aws:VpcSourceIp": ["10.0.0.0/8", "192.168.0.0/16"]}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}]}
    /// ```
    pub struct PrivateSourceIp {
        id: "private-source-ip",
        category: Category::InsecureCondition,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "private address ranges in `aws:SourceIp`, which never carries them",
    }
}

impl Rule for PrivateSourceIp {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        for (policy, statement, condition) in cx.conditions() {
        let op = &condition.operator;
        if op.family() != OperatorFamily::IpAddress
            || !condition.key.eq_ignore_ascii_case("aws:SourceIp")
        {
            continue;
        }
        let private: Vec<&String> = condition
            .values
            .iter()
            .filter(|v| is_private_range(v))
            .collect();
        if private.is_empty() {
            continue;
        }
        let only = private.len() == condition.values.len();
        let (severity, effect) = match (only, statement.is_allow(), op.is_negated()) {
            (false, _, _) => (Severity::Low, "the list works only through its public values"),
            (true, false, false) => (Severity::High, "the `Deny` never applies"),
            (true, true, true) => (Severity::High, "the condition holds for every request that has a source address and restricts nothing"),
            (true, false, true) => (Severity::Medium, "the condition holds for every request that has a source address, and the `Deny` refuses them all, the private network included"),
            (true, true, false) => (Severity::Low, "the statement never grants anything"),
        };
        let mut finding = Self::META.finding(
            condition_location(policy, statement, condition),
            format!(
                "Private range{} {} in `aws:SourceIp`",
                if private.len() == 1 { "" } else { "s" },
                quoted_list(&private, 2)
            ),
            format!(
                "`aws:SourceIp` holds only public addresses (requests through a VPC endpoint carry `aws:VpcSourceIp` instead), so under {} {} never {}, and {effect}.",
                quoted(op.as_str()),
                quoted_list(&private, 4),
                if private.len() == 1 { "matches" } else { "match" }
            ),
            "Name private ranges with `aws:VpcSourceIp` together with `aws:SourceVpc` or `aws:SourceVpce`, and keep `aws:SourceIp` for public ranges.".to_string(),
        );
        finding.severity = severity;
        finding.actions = statement.action.patterns.clone();
        out.push(finding);
        }
    }
}
