//! Condition keys and actions that decide who can get in: confused-deputy guards, organization
//! guards, the STS actions that let a principal into a role, which keys a request may lack and
//! which keys a statement's actions support.

use crate::catalog::{catalog, ActionDef, ActionId, ActionSet, ConditionKeyDef, ConditionKeyType};
use crate::policy::{Condition, ConditionOperator, OperatorFamily, SetQualifier, Statement};
use std::net::IpAddr;

/// Keys naming where a service's request comes from: the confused-deputy guards.
pub const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    // In KMS key policies, AWS documents the encryption context as the confused-deputy guard:
    // it names the calling resource's ARN, account included (CloudWatch Logs, CloudTrail, ...).
    "kms:EncryptionContext:aws:logs:arn",
    "kms:EncryptionContext:aws:cloudtrail:arn",
    "kms:EncryptionContext:aws:sns:topicArn",
    "kms:EncryptionContext:aws:sqs:arn",
    "kms:EncryptionContext:aws:lambda:FunctionArn",
];

/// Keys that restrict a cross-account grant to one organization.
pub const ORG_KEYS: &[&str] = &["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"];

/// The STS actions that let a principal into a role (or shape the session it gets).
pub const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];

/// Keys IAM puts in every request's context (IAM User Guide, global condition keys:
/// "this key is always included in the request context"). Every other key may be absent: a
/// resource without the tag, a request without tags, a call through a VPC endpoint (which has
/// no `aws:SourceIp`), a principal outside any organization.
pub const ALWAYS_PRESENT_KEYS: &[&str] = &[
    "aws:PrincipalArn",
    "aws:PrincipalAccount",
    "aws:PrincipalType",
    "aws:PrincipalIsAWSService",
    "aws:userid",
    "aws:CurrentTime",
    "aws:EpochTime",
    "aws:SecureTransport",
    "aws:RequestedRegion",
    "aws:ViaAWSService",
];

/// Keys present on every request of the action that defines them: `iam:PassedToService` is
/// set on every `iam:PassRole` (a statement mixing actions is judged by the one the key is for).
pub const PRESENT_WITH_THEIR_ACTION: &[&str] = &["iam:PassedToService"];

/// Whether a request may lack `key`: every key but the always-present ones.
pub fn may_be_absent(key: &str) -> bool {
    !ALWAYS_PRESENT_KEYS
        .iter()
        .chain(PRESENT_WITH_THEIR_ACTION)
        .any(|k| k.eq_ignore_ascii_case(key))
}

/// Tag keys: `aws:ResourceTag/…`, `aws:RequestTag/…`, `aws:PrincipalTag/…`, a service's
/// `…:ResourceTag/…`, and the tag-key lists (`aws:TagKeys`, `…:TagKeys`).
pub fn is_tag_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    let Some((_, name)) = lower.split_once(':') else {
        return false;
    };
    name == "tagkeys"
        || [
            "resourcetag/",
            "requesttag/",
            "principaltag/",
            // S3 object tags: `s3:ExistingObjectTag/<key>`, `s3:RequestObjectTag/<key>`.
            "existingobjecttag/",
            "requestobjecttag/",
        ]
        .iter()
        .any(|prefix| name.starts_with(prefix))
}

/// Whether the requests a statement covers can carry a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySupport {
    /// A global key, a key of one of the statement's actions (their service, themselves, their
    /// resource types), or a key AWS sets without listing it.
    Supported,
    /// A key of some service, but not of any of the statement's actions.
    OtherActions,
    /// No service defines it and it is not global.
    Unknown,
}

/// Above this many actions, a statement is judged against the whole catalog.
const HUGE: usize = 1_000;

/// Claims AWS exposes as condition keys for web identity federation (`<provider>:<claim>`).
const OIDC_CLAIMS: &[&str] = &[
    "sub", "aud", "amr", "oaud", "azp", "email", "app_id", "id", "user_id",
];

/// `token.actions.githubusercontent.com:sub`, `oidc.eks.<region>.amazonaws.com/id/<id>:aud`...
pub(crate) fn is_oidc_key(key: &str) -> bool {
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

/// Whether `key` is one AWS sets without the catalog listing it for any action
/// ([`UNLISTED_KEYS`]) or a web identity provider's claim: no action list says who carries it.
pub fn is_unlisted_key(key: &str) -> bool {
    UNLISTED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) || is_oidc_key(key)
}

/// The catalog spells some tag keys with a literal placeholder
/// (`secretsmanager:ResourceTag/tag-key`): `secretsmanager:ResourceTag/Project` is that key.
pub(crate) fn placeholder_form(key: &str) -> Option<String> {
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

/// Whether some service (or the global keys) defines `key`.
pub(crate) fn key_exists(key: &str) -> bool {
    catalog().condition_key(key).is_some()
        || placeholder_form(key).is_some_and(|p| catalog().condition_key(&p).is_some())
}

/// Whether a condition on `key` can be met by requests for `actions`, the actions `statement`
/// covers (a `NotAction` already complemented). For statements covering a very large set of
/// actions (`*`, `NotAction`) the key only has to exist somewhere in the catalog. OIDC
/// provider keys are accepted for `sts:AssumeRoleWithWebIdentity`.
pub fn key_support(statement: &Statement, actions: &ActionSet, key: &str) -> KeySupport {
    let federated = catalog()
        .lookup("sts:AssumeRoleWithWebIdentity")
        .is_some_and(|id| actions.contains(id));
    if catalog().is_global_condition_key(key)
        || UNLISTED_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key))
        || (federated && is_oidc_key(key))
    {
        return KeySupport::Supported;
    }
    let huge = statement.action.negated
        || statement.action.patterns.iter().any(|p| p == "*")
        || actions.len() > HUGE
        || actions.is_empty();
    let exists = key_exists(key);
    if (huge && exists) || (!huge && known_for(actions, key)) {
        KeySupport::Supported
    } else if exists {
        KeySupport::OtherActions
    } else {
        KeySupport::Unknown
    }
}

/// The actions a statement covers, expanded against the catalog (`NotAction` complemented).
pub fn statement_actions(statement: &Statement) -> ActionSet {
    let mut actions = ActionSet::new_empty();
    for pattern in &statement.action.patterns {
        catalog().expand_into(pattern, &mut actions);
    }
    if statement.action.negated {
        actions.complement()
    } else {
        actions
    }
}

/// Whether a condition holds for a request that lacks its key, as IAM's condition-operator
/// page has it: `ForAllValues:` and `…IfExists` hold, `ForAnyValue:` does not, a negated
/// operator (`StringNotEquals`, `ArnNotLike`, `NotIpAddress`) holds, every other one fails.
/// `Null` is about presence itself and is not asked here.
pub fn holds_without_key(operator: &ConditionOperator) -> bool {
    match operator.qualifier() {
        Some(SetQualifier::ForAllValues) => true,
        _ if operator.if_exists() => true,
        Some(SetQualifier::ForAnyValue) => false,
        None => operator.is_negated(),
    }
}

/// Keys that are only safe together with a partner (Access Analyzer "Missing paired condition
/// keys"; AWS documents the one pair below): private addresses repeat from VPC to VPC, so
/// `aws:VpcSourceIp` alone admits the same range in any VPC, anyone's included.
pub const PAIRED_KEYS: &[(&str, &[&str])] =
    &[("aws:VpcSourceIp", &["aws:SourceVpc", "aws:SourceVpce"])];

/// The tag keys whose support AWS lists action by action (on the action for request tags and
/// tag-key lists, on the resource type for resource tags), though they are global keys.
pub fn is_per_action_tag_key(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    lower == "aws:tagkeys"
        || lower
            .strip_prefix("aws:resourcetag/")
            .is_some_and(|t| !t.is_empty())
        || lower
            .strip_prefix("aws:requesttag/")
            .is_some_and(|t| !t.is_empty())
}

/// Which actions' requests can carry one condition key, judged by each action's own keys and
/// those of its resource types, not the service-wide list (the union over all its actions).
/// A service key that the service lists but none of its actions or resource types does (some
/// services list keys only service-wide) counts for every action of that service.
pub struct ActionKeySupport<'k> {
    key: &'k str,
    placeholder: Option<String>,
    global: bool,
    /// Per service prefix: whether the service-wide list is the only place naming the key.
    service_only: Vec<(&'static str, bool)>,
}

impl<'k> ActionKeySupport<'k> {
    pub fn new(key: &'k str) -> Self {
        ActionKeySupport {
            key,
            placeholder: placeholder_form(key),
            global: catalog().is_global_condition_key(key),
            service_only: Vec::new(),
        }
    }

    fn matches(&self, def: &ConditionKeyDef) -> bool {
        def.matches(self.key) || self.placeholder.as_deref().is_some_and(|p| def.matches(p))
    }

    fn listed_for(&self, action: &ActionDef) -> bool {
        action.condition_key_defs().any(|k| self.matches(k))
            || action
                .resource_types()
                .flat_map(|r| r.condition_key_defs())
                .any(|k| self.matches(k))
    }

    /// Whether requests for `action` can carry the key.
    pub fn supports(&mut self, action: ActionId) -> bool {
        let Some(def) = catalog().action(action) else {
            return false;
        };
        if self.listed_for(def) {
            return true;
        }
        if self.global {
            return false;
        }
        let Some(service) = def.service() else {
            return false;
        };
        let prefix = service.prefix();
        if let Some(&(_, only)) = self.service_only.iter().find(|(p, _)| *p == prefix) {
            return only;
        }
        let only = service.condition_key_defs().any(|k| self.matches(k))
            && !service.actions().any(|(_, a)| self.listed_for(a));
        self.service_only.push((prefix, only));
        only
    }
}

/// Ranges that never appear as `aws:SourceIp`: AWS sets it to the public address a request
/// comes from, and a request through a VPC endpoint carries `aws:VpcSourceIp` instead (IAM User
/// Guide, `aws:SourceIp`; Access Analyzer "Private IP address"). RFC 1918, loopback,
/// link-local, shared address space (RFC 6598), IPv6 unique-local and link-local, loopback.
pub const PRIVATE_RANGES: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
    "fe80::/10",
    "::1/128",
];

/// Whether the address or CIDR range `value` lies wholly inside a private range.
pub fn is_private_range(value: &str) -> bool {
    let Some((ip, bits)) = parse_cidr(value) else {
        return false;
    };
    PRIVATE_RANGES
        .iter()
        .filter_map(|r| parse_cidr(r))
        .any(|(net, len)| bits >= len && same_prefix(ip, net, len))
}

/// Whether `a` and `b` (same family) agree on their first `len` bits.
fn same_prefix(a: IpAddr, b: IpAddr, len: u32) -> bool {
    let (x, y, width) = match (a, b) {
        (IpAddr::V4(a), IpAddr::V4(b)) => (u128::from(u32::from(a)), u128::from(u32::from(b)), 32),
        (IpAddr::V6(a), IpAddr::V6(b)) => (u128::from(a), u128::from(b), 128),
        _ => return false,
    };
    if len == 0 {
        return true;
    }
    let shift = width - len.min(width);
    (x >> shift) == (y >> shift)
}

/// A value's text without its policy variables (`${aws:username}`, `${*}`): what is left is
/// compared as written.
pub fn without_variables(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or(""));
        let after = rest.get(start..).unwrap_or("");
        match after.find('}') {
            Some(end) => rest = after.get(end + 1..).unwrap_or(""),
            None => {
                out.push_str(after);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Why a condition never matches a request that carries its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeMismatch {
    /// The operator's family does not fit the key's type: `NumericEquals` on a string key,
    /// `StringEquals` on a date, `Bool` on a non-boolean key, `IpAddress` on a non-address.
    Operator { key_type: ConditionKeyType },
    /// None of the condition's values is one the operator can compare: `NumericEquals` `ten`,
    /// `DateGreaterThan` `yesterday`, `IpAddress` `10.0.0.300/8`, `Bool` `yes`.
    Values,
}

/// Whether `condition` can never match, whatever the request holds under its key. `String`
/// operators on `Bool` keys (`bool-under-string-operator`) and on ARN keys (they compare the
/// text, `string-operator-on-arn-key`) are not mismatches here; `Null` and `BinaryEquals`
/// are never judged. Values with policy variables (`${aws:username}`) count as valid.
pub fn type_mismatch(condition: &Condition) -> Option<TypeMismatch> {
    let family = condition.operator.family();
    if let Some(key_type) = catalog().condition_key_type(&condition.key) {
        if !operator_fits(family, key_type.element(), &condition.key) {
            return Some(TypeMismatch::Operator { key_type });
        }
    }
    let parses = |value: &String| value.contains("${") || value_parses(family, value);
    (!condition.values.is_empty() && !condition.values.iter().any(parses))
        .then_some(TypeMismatch::Values)
}

/// `aws:EpochTime` is typed `Date` but AWS documents it with numeric operators as well.
fn operator_fits(family: OperatorFamily, ty: ConditionKeyType, key: &str) -> bool {
    use ConditionKeyType as T;
    let epoch = key.eq_ignore_ascii_case("aws:EpochTime");
    match family {
        OperatorFamily::String => !matches!(ty, T::Numeric | T::Date),
        OperatorFamily::Numeric => ty == T::Numeric || epoch,
        OperatorFamily::Date => ty == T::Date || epoch,
        OperatorFamily::Bool => ty == T::Bool,
        OperatorFamily::IpAddress => ty == T::IpAddress,
        OperatorFamily::Arn => !matches!(
            ty,
            T::Numeric | T::Date | T::Bool | T::IpAddress | T::Binary
        ),
        OperatorFamily::Binary | OperatorFamily::Null => true,
    }
}

/// Whether `value` is one an operator of `family` can compare.
pub fn value_parses(family: OperatorFamily, value: &str) -> bool {
    match family {
        OperatorFamily::Numeric => parse_number(value).is_some(),
        OperatorFamily::Date => is_date(value),
        OperatorFamily::Bool => {
            value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
        }
        OperatorFamily::IpAddress => parse_cidr(value).is_some(),
        OperatorFamily::String
        | OperatorFamily::Arn
        | OperatorFamily::Binary
        | OperatorFamily::Null => true,
    }
}

/// An integer or decimal, as numeric operators compare them.
pub fn parse_number(value: &str) -> Option<f64> {
    let text = value.trim();
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !plain(whole) || !plain(fraction) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// An address or a CIDR range: the network and its prefix length (32 or 128 when none).
pub fn parse_cidr(value: &str) -> Option<(IpAddr, u32)> {
    let (network, bits) = match value.trim().split_once('/') {
        Some((network, bits)) => {
            if bits.is_empty() || !bits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (network, Some(bits.parse::<u32>().ok()?))
        }
        None => (value.trim(), None),
    };
    let ip: IpAddr = network.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let bits = bits.unwrap_or(max);
    (bits <= max).then_some((ip, bits))
}

/// A date as date operators take it: epoch seconds, or one of the W3C profiles of ISO 8601
/// (`2026`, `2026-12`, `2026-12-01`, `2026-12-01T17:00Z`, `2026-12-01T17:00:00.5+01:00`).
pub fn is_date(value: &str) -> bool {
    let text = value.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let (date, time) = match text.split_once(['T', 't']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    if !number_in(parts.next(), 4, 0..=9999) {
        return false;
    }
    let month = parts.next();
    let day = parts.next();
    if parts.next().is_some() {
        return false;
    }
    match (month, day, time) {
        (None, None, None) => true,
        (Some(_), None, None) => number_in(month, 2, 1..=12),
        (Some(_), Some(_), time) => {
            number_in(month, 2, 1..=12) && number_in(day, 2, 1..=31) && time.is_none_or(is_time)
        }
        _ => false,
    }
}

/// `hh:mm[:ss[.s…]]` followed by `Z` or `±hh:mm` (or nothing).
fn is_time(text: &str) -> bool {
    let (clock, zone) = match text.find(['Z', 'z', '+', '-']) {
        Some(at) => (text.get(..at).unwrap_or(""), text.get(at..).unwrap_or("")),
        None => (text, ""),
    };
    let zone_ok = zone.is_empty()
        || zone.eq_ignore_ascii_case("z")
        || zone.get(1..).is_some_and(|offset| {
            let mut hm = offset.split(':');
            number_in(hm.next(), 2, 0..=23)
                && number_in(hm.next(), 2, 0..=59)
                && hm.next().is_none()
        });
    let mut fields = clock.split(':');
    let hour = fields.next();
    let minute = fields.next();
    let second = fields.next();
    let second_ok = second.is_none_or(|s| {
        let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
        number_in(Some(whole), 2, 0..=60)
            && !fraction.is_empty()
            && fraction.bytes().all(|b| b.is_ascii_digit())
    });
    zone_ok
        && number_in(hour, 2, 0..=23)
        && number_in(minute, 2, 0..=59)
        && second_ok
        && fields.next().is_none()
}

/// `part` is `len` ASCII digits whose value lies in `range`.
fn number_in(part: Option<&str>, len: usize, range: std::ops::RangeInclusive<u32>) -> bool {
    part.is_some_and(|p| {
        p.len() == len
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| range.contains(&n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_as_their_operators_take_them() {
        for ok in ["10", "-3", "2.5", " 42 "] {
            assert!(parse_number(ok).is_some(), "{ok}");
        }
        for bad in ["ten", "", "1e5", "inf", "NaN", "1.2.3", "."] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
        for ok in [
            "2026",
            "2026-12",
            "2026-12-01",
            "2026-12-01T17:00Z",
            "2026-12-01T17:00:00Z",
            "2026-12-01T17:00:00.25+01:00",
            "2026-12-01T17:00:00",
            "1798761599",
        ] {
            assert!(is_date(ok), "{ok}");
        }
        for bad in [
            "yesterday",
            "12/31/2026",
            "2026-13-01",
            "2026-12-32",
            "2026-12-01T25:00Z",
            "2026-12-01T17:00:00.Z",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
        for ok in [
            "10.0.0.0/8",
            "203.0.113.7",
            "2001:db8::/32",
            "::/0",
            "0.0.0.0/0",
        ] {
            assert!(parse_cidr(ok).is_some(), "{ok}");
        }
        for bad in [
            "10.0.0.300/8",
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0.0/",
            "a.b.c.d",
        ] {
            assert!(parse_cidr(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn private_ranges_and_variables() {
        for private in [
            "10.0.0.0/8",
            "10.1.2.3",
            "172.31.0.0/16",
            "192.168.1.0/24",
            "fd12::/16",
            "::1",
        ] {
            assert!(is_private_range(private), "{private}");
        }
        for public in [
            "0.0.0.0/0",
            "8.0.0.0/7",
            "172.32.0.0/16",
            "203.0.113.0/24",
            "2001:db8::/32",
            "10.0.0.0/7",
            "nonsense",
        ] {
            assert!(!is_private_range(public), "{public}");
        }
        assert_eq!(without_variables("a-${aws:username}-*"), "a--*");
        assert_eq!(without_variables("${*}x${?}"), "x");
        assert_eq!(without_variables("x${open"), "x${open");
        assert!(is_per_action_tag_key("aws:ResourceTag/env"));
        assert!(is_per_action_tag_key("AWS:TagKeys"));
        assert!(!is_per_action_tag_key("aws:PrincipalTag/env"));
    }

    #[test]
    fn key_support_is_read_action_by_action() {
        let id = |name: &str| catalog().lookup(name).unwrap_or_else(|| unreachable!());
        let mut prefix = ActionKeySupport::new("s3:prefix");
        assert!(prefix.supports(id("s3:ListBucket")));
        assert!(!prefix.supports(id("s3:GetObject")));
        let mut tag = ActionKeySupport::new("aws:ResourceTag/env");
        assert!(tag.supports(id("ec2:TerminateInstances")));
        assert!(!tag.supports(id("ec2:DescribeInstances")));
        assert!(!ActionKeySupport::new("aws:TagKeys").supports(id("iam:ListUsers")));
        assert!(ActionKeySupport::new("aws:TagKeys").supports(id("iam:CreateRole")));
    }

    #[test]
    fn operators_are_held_to_the_key_type() {
        let mismatch = |op: &str, key: &str, value: &str| {
            type_mismatch(&Condition {
                operator: ConditionOperator::parse(op).unwrap_or_else(|| unreachable!()),
                key: key.into(),
                values: vec![value.into()],
            })
        };
        assert!(matches!(
            mismatch("NumericEquals", "aws:SourceVpc", "1"),
            Some(TypeMismatch::Operator { .. })
        ));
        assert!(matches!(
            mismatch("StringEquals", "aws:CurrentTime", "2026-01-01"),
            Some(TypeMismatch::Operator { .. })
        ));
        assert_eq!(
            mismatch("Bool", "aws:SecureTransport", "yes"),
            Some(TypeMismatch::Values)
        );
        // Left to other rules, or fine.
        assert_eq!(
            mismatch("StringEquals", "aws:SecureTransport", "true"),
            None
        );
        assert_eq!(mismatch("StringLike", "aws:SourceArn", "arn:*"), None);
        assert_eq!(mismatch("NumericLessThan", "aws:EpochTime", "1"), None);
        assert_eq!(mismatch("NumericEquals", "custom:unknown", "1"), None);
        assert_eq!(
            mismatch("NumericEquals", "aws:MultiFactorAuthAge", "${aws:x}"),
            None
        );
    }
}
