//! How far a statement's `Condition` block narrows what it grants: a condition counts only if
//! it really narrows who or what. One that every request can meet (a tag matched by `*`, a
//! `/0` address range, `…IfExists` or `ForAllValues:` on a key the request may lack, a key
//! none of the statement's actions supports under an operator that holds without it) is a
//! [`VacuousCondition`], and lowers nothing.

use crate::catalog::ActionSet;
use crate::policy::{Condition, OperatorFamily, SetQualifier, Statement};
use crate::tables::keys::{
    holds_without_key, is_tag_key, key_support, may_be_absent, parse_cidr, statement_actions,
    KeySupport,
};
use crate::text::quoted;
use std::fmt;

/// How much a statement's `Condition` block narrows it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Constraint {
    /// No condition: the grant holds for every request.
    None,
    /// Conditions, none of which narrows the grant: every request can meet them. Severity is
    /// not lowered; the findings say why.
    Vacuous(Vec<VacuousCondition>),
    /// Only conditions about how a request is made (TLS, MFA, time, region, user agent): the
    /// same principals still reach the same resources.
    Weak(Vec<String>),
    /// Conditions that narrow whose request or which resources: tags, `aws:SourceArn`,
    /// `aws:SourceAccount`, `aws:PrincipalOrgID`, `aws:SourceVpc`, service-specific keys, and any
    /// key this crate does not know (unknown context counts as constraining, never as absent).
    Scoping(Vec<String>),
}

/// A condition that does not narrow the grant, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VacuousCondition {
    /// The operator as written (`StringLikeIfExists`).
    pub operator: String,
    /// The key as written (`aws:ResourceTag/team`).
    pub key: String,
    pub why: Vacuity,
}

/// Why a condition does not narrow a grant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Vacuity {
    /// A tag key compared with `StringLike` `*`: every value matches, and whoever may tag the
    /// resource or the request chooses the tag.
    AnyTagValue { pattern: String },
    /// `IpAddress` with a `/0` range (`0.0.0.0/0`, `::/0`): every address matches.
    EveryAddress { range: String },
    /// `…IfExists` on a key the request or resource may lack: it holds without the key.
    IfExistsOnOptionalKey,
    /// `ForAllValues:` on a key the request may lack: the empty set satisfies it.
    ForAllValuesOnOptionalKey,
    /// A key none of the statement's actions supports, under an operator that holds when the
    /// key is absent (negated, `…IfExists`, `ForAllValues:`): it holds for every request.
    UnsupportedKey,
}

/// Conditions about the channel, not the scope: they do not shrink who can reach what.
const WEAK_KEYS: &[&str] = &[
    "aws:securetransport",
    "aws:multifactorauthpresent",
    "aws:multifactorauthage",
    "aws:currenttime",
    "aws:epochtime",
    "aws:requestedregion",
    "aws:useragent",
    "aws:referer",
    "aws:tokenissuetime",
    "aws:viaawsservice",
    "aws:principaltype",
    "aws:principalisawsservice",
    "aws:calledvia",
    "aws:calledviafirst",
    "aws:calledvialast",
    "s3:tlsversion",
    "s3:signatureversion",
    "s3:signatureage",
    "s3:authtype",
    "s3:x-amz-content-sha256",
];

impl Constraint {
    /// Judges each condition of `statement` from the grant's side (what an `Allow` lets a
    /// caller do): conditions every request can meet are vacuous; the others decide between
    /// weak and scoping. A positive operator on a key none of the actions supports never
    /// matches, so the statement is dead: that narrows it completely and counts as scoping.
    /// For a `Deny` only [`Constraint::is_none`] matters (a deny applies everywhere only
    /// without any condition), and it stays strict.
    pub(super) fn of(statement: &Statement) -> Constraint {
        if statement.conditions.is_empty() {
            return Constraint::None;
        }
        let mut actions: Option<ActionSet> = None;
        let mut vacuous = Vec::new();
        let mut narrowing: Vec<String> = Vec::new();
        for condition in &statement.conditions {
            match vacuity(statement, condition, &mut actions) {
                Some(why) => vacuous.push(VacuousCondition {
                    operator: condition.operator.as_str().to_string(),
                    key: condition.key.clone(),
                    why,
                }),
                None => {
                    if !narrowing.iter().any(|k| k == &condition.key) {
                        narrowing.push(condition.key.clone());
                    }
                }
            }
        }
        if narrowing.is_empty() {
            return Constraint::Vacuous(vacuous);
        }
        let all_weak = narrowing
            .iter()
            .all(|k| WEAK_KEYS.iter().any(|weak| weak.eq_ignore_ascii_case(k)));
        if all_weak {
            Constraint::Weak(narrowing)
        } else {
            Constraint::Scoping(narrowing)
        }
    }

    /// No condition at all. Vacuous conditions do not count as none: a `Deny` with them does
    /// not apply to every request, and an `Allow` with them is reported, not hidden.
    pub fn is_none(&self) -> bool {
        matches!(self, Constraint::None)
    }

    /// How many severity steps a finding drops because of this constraint.
    pub fn severity_steps(&self) -> u8 {
        match self {
            Constraint::None | Constraint::Vacuous(_) => 0,
            Constraint::Weak(_) => 1,
            Constraint::Scoping(_) => 2,
        }
    }

    /// The keys of the conditions that narrow the statement (none when vacuous).
    pub fn keys(&self) -> &[String] {
        match self {
            Constraint::None | Constraint::Vacuous(_) => &[],
            Constraint::Weak(keys) | Constraint::Scoping(keys) => keys,
        }
    }

    /// The conditions that do not narrow the statement, when none does.
    pub fn vacuous(&self) -> &[VacuousCondition] {
        match self {
            Constraint::Vacuous(conditions) => conditions,
            _ => &[],
        }
    }
}

/// Why `condition` does not narrow `statement`, if it does not. `actions` is the statement's
/// expanded action set, computed on first need.
fn vacuity(
    statement: &Statement,
    condition: &Condition,
    actions: &mut Option<ActionSet>,
) -> Option<Vacuity> {
    let op = &condition.operator;
    if op.family() == OperatorFamily::Null {
        return None;
    }
    let key = condition.key.as_str();
    if holds_without_key(op) {
        let actions = actions.get_or_insert_with(|| statement_actions(statement));
        if key_support(statement, actions, key) != KeySupport::Supported {
            return Some(Vacuity::UnsupportedKey);
        }
        if may_be_absent(key) && !required_present(statement, key) {
            if op.qualifier() == Some(SetQualifier::ForAllValues) {
                return Some(Vacuity::ForAllValuesOnOptionalKey);
            }
            if op.if_exists() {
                return Some(Vacuity::IfExistsOnOptionalKey);
            }
        }
    }
    if op.is_negated() {
        return None;
    }
    match op.family() {
        OperatorFamily::String if op.supports_wildcards() && is_tag_key(key) => condition
            .values
            .iter()
            .find(|v| v.as_str() == "*")
            .map(|v| Vacuity::AnyTagValue { pattern: v.clone() }),
        OperatorFamily::IpAddress => condition
            .values
            .iter()
            .find(|v| parse_cidr(v).is_some_and(|(_, bits)| bits == 0))
            .map(|v| Vacuity::EveryAddress { range: v.clone() }),
        _ => None,
    }
}

impl fmt::Display for VacuousCondition {
    /// One clause for a finding's message: what the condition matches and why that does not
    /// narrow the grant (user input in backticks).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = quoted(&self.key);
        let op = quoted(&self.operator);
        match &self.why {
            Vacuity::AnyTagValue { pattern } => write!(
                f,
                "the condition on {key} ({}) matches every tag value, so it does not narrow the grant",
                quoted(pattern)
            ),
            Vacuity::EveryAddress { range } => write!(
                f,
                "the condition on {key} ({}) matches every address, so it does not narrow the grant",
                quoted(range)
            ),
            Vacuity::IfExistsOnOptionalKey => write!(
                f,
                "{op} on {key} holds for every request or resource without that key, so it does not narrow the grant"
            ),
            Vacuity::ForAllValuesOnOptionalKey => write!(
                f,
                "{op} on {key} holds when the request carries no value for the key, so it does not narrow the grant"
            ),
            Vacuity::UnsupportedKey => write!(
                f,
                "none of the statement's actions supports {key}, so {op} on it holds for every request and does not narrow the grant"
            ),
        }
    }
}

/// Whether the statement also has `"Null": {key: "false"}`: the key must be present.
fn required_present(statement: &Statement, key: &str) -> bool {
    statement.conditions.iter().any(|c| {
        c.operator.family() == OperatorFamily::Null
            && c.key.eq_ignore_ascii_case(key)
            && c.values.iter().all(|v| v.eq_ignore_ascii_case("false"))
            && !c.values.is_empty()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    /// The constraint of the first statement of a one-statement policy with this condition
    /// block (and these actions).
    fn constraint(actions: &str, condition: &str) -> Constraint {
        let text = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":{actions},"Resource":"*","Condition":{condition}}}]}}"#
        );
        let policy = parse_policy(&text).unwrap();
        Constraint::of(&policy.statements[0])
    }

    fn why(actions: &str, condition: &str) -> Option<Vacuity> {
        match constraint(actions, condition) {
            Constraint::Vacuous(list) => list.first().map(|v| v.why.clone()),
            _ => None,
        }
    }

    fn narrows(actions: &str, condition: &str) -> bool {
        constraint(actions, condition).severity_steps() > 0
    }

    #[test]
    fn tag_conditions_matching_every_value_narrow_nothing() {
        for condition in [
            r#"{"StringLike":{"aws:ResourceTag/team":"*"}}"#,
            r#"{"StringLike":{"aws:RequestTag/owner":["x","*"]}}"#,
            r#"{"ForAnyValue:StringLike":{"aws:TagKeys":"*"}}"#,
            r#"{"StringLike":{"ec2:ResourceTag/Name":"*"}}"#,
            r#"{"StringLike":{"aws:PrincipalTag/dept":"*"}}"#,
        ] {
            assert!(
                matches!(
                    why(r#""ec2:*""#, condition),
                    Some(Vacuity::AnyTagValue { .. })
                ),
                "{condition}"
            );
        }
        for condition in [
            r#"{"StringLike":{"aws:ResourceTag/team":"data-*"}}"#,
            r#"{"StringEquals":{"aws:ResourceTag/team":"*"}}"#,
            r#"{"StringLike":{"s3:prefix":"*"}}"#,
        ] {
            assert!(narrows(r#""ec2:*""#, condition), "{condition}");
        }
    }

    #[test]
    fn address_ranges_of_every_address_narrow_nothing() {
        for condition in [
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","::/0"]}}"#,
            r#"{"IpAddress":{"aws:VpcSourceIp":" 0.0.0.0/0"}}"#,
        ] {
            assert!(
                matches!(
                    why(r#""s3:GetObject""#, condition),
                    Some(Vacuity::EveryAddress { .. })
                ),
                "{condition}"
            );
        }
        for condition in [
            r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            r#"{"NotIpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"IpAddress":{"aws:SourceIp":"203.0.113.7"}}"#,
        ] {
            assert!(narrows(r#""s3:GetObject""#, condition), "{condition}");
        }
    }

    #[test]
    fn if_exists_on_a_key_the_request_may_lack_narrows_nothing() {
        for condition in [
            r#"{"StringEqualsIfExists":{"aws:ResourceTag/team":"data"}}"#,
            r#"{"IpAddressIfExists":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            r#"{"StringNotEqualsIfExists":{"aws:SourceVpc":"vpc-1"}}"#,
        ] {
            assert_eq!(
                why(r#""s3:GetObject""#, condition),
                Some(Vacuity::IfExistsOnOptionalKey),
                "{condition}"
            );
        }
        for condition in [
            // Always in the request.
            r#"{"ArnLikeIfExists":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/ci"}}"#,
            // A `Null` check makes the key required.
            r#"{"StringEqualsIfExists":{"aws:ResourceTag/team":"data"},"Null":{"aws:ResourceTag/team":"false"}}"#,
            // Set on every request of the action that defines it.
            r#"{"StringEqualsIfExists":{"iam:PassedToService":"ec2.amazonaws.com"}}"#,
        ] {
            assert!(
                narrows(r#"["s3:GetObject","iam:PassRole"]"#, condition),
                "{condition}"
            );
        }
    }

    #[test]
    fn for_all_values_on_a_key_the_request_may_lack_narrows_nothing() {
        for condition in [
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":["team","owner"]}}"#,
            r#"{"ForAllValues:StringLike":{"aws:TagKeys":"app-*"}}"#,
            r#"{"ForAllValues:StringNotEquals":{"aws:TagKeys":"admin"}}"#,
        ] {
            assert_eq!(
                why(r#""ec2:CreateTags""#, condition),
                Some(Vacuity::ForAllValuesOnOptionalKey),
                "{condition}"
            );
        }
        for condition in [
            // `ForAnyValue:` is false without the key: the grant needs a matching tag.
            r#"{"ForAnyValue:StringEquals":{"aws:TagKeys":"team"}}"#,
            r#"{"ForAllValues:StringEquals":{"aws:TagKeys":"team"},"Null":{"aws:TagKeys":"false"}}"#,
            r#"{"ForAnyValue:StringLike":{"aws:TagKeys":"team-*"}}"#,
        ] {
            assert!(narrows(r#""ec2:CreateTags""#, condition), "{condition}");
        }
    }

    #[test]
    fn a_key_no_action_supports_narrows_nothing_under_operators_that_hold_without_it() {
        for condition in [
            r#"{"StringNotEquals":{"ec2:Region":"us-east-1"}}"#,
            r#"{"ArnNotLike":{"lambda:FunctionArn":"arn:aws:lambda:*:*:function:x"}}"#,
            r#"{"StringEqualsIfExists":{"aws:SourceVpcId":"vpc-1"}}"#,
        ] {
            assert_eq!(
                why(r#""s3:GetObject""#, condition),
                Some(Vacuity::UnsupportedKey),
                "{condition}"
            );
        }
        // Positive operators on such a key never match: the grant is dead, which narrows it.
        for condition in [
            r#"{"StringEquals":{"ec2:Region":"us-east-1"}}"#,
            r#"{"ArnLike":{"lambda:FunctionArn":"arn:aws:lambda:*:*:function:x"}}"#,
            r#"{"ForAnyValue:StringEquals":{"aws:SourceVpcId":"vpc-1"}}"#,
        ] {
            assert!(narrows(r#""s3:GetObject""#, condition), "{condition}");
        }
    }

    #[test]
    fn mixed_blocks_are_judged_by_the_conditions_that_narrow() {
        let c = constraint(
            r#""s3:GetObject""#,
            r#"{"StringLike":{"aws:ResourceTag/team":"*"},"Bool":{"aws:SecureTransport":"true"}}"#,
        );
        assert_eq!(c, Constraint::Weak(vec!["aws:SecureTransport".to_string()]));
        let c = constraint(
            r#""s3:GetObject""#,
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
        );
        assert!(!c.is_none() && c.severity_steps() == 0 && c.keys().is_empty());
        let text = c.vacuous().first().map(ToString::to_string).unwrap();
        assert_eq!(
            text,
            "the condition on `aws:SourceIp` (`0.0.0.0/0`) matches every address, so it does not narrow the grant"
        );
    }

    /// End to end: a finding under vacuous conditions keeps its severity and says why; under
    /// the same conditions written to narrow, it is lowered.
    #[test]
    fn findings_keep_their_severity_under_vacuous_conditions() {
        use crate::rules::{check_document, CheckOptions};
        use crate::{Config, DocumentKind, Severity};
        let worst = |condition: &str| {
            let text = format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{condition}}}]}}"#
            );
            let config = Config {
                min_severity: Severity::Info,
                ..Config::default()
            };
            let options = CheckOptions {
                account: Some("111122223333"),
                config: &config,
            };
            check_document(&text, DocumentKind::Identity, &options)
                .into_iter()
                .filter(|f| f.rule_id == "resource-wildcard")
                .map(|f| (f.severity, f.message))
                .next()
                .unwrap()
        };
        let (unconditioned, _) = worst("{}");
        for vacuous in [
            r#"{"IpAddress":{"aws:SourceIp":"0.0.0.0/0"}}"#,
            r#"{"StringLike":{"aws:ResourceTag/team":"*"}}"#,
            r#"{"StringEqualsIfExists":{"aws:ResourceTag/team":"data"}}"#,
        ] {
            let (severity, message) = worst(vacuous);
            assert_eq!(severity, unconditioned, "{vacuous}");
            assert!(message.contains("does not narrow the grant"), "{message}");
        }
        for narrowing in [
            r#"{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}"#,
            r#"{"StringLike":{"aws:ResourceTag/team":"data-*"}}"#,
            r#"{"StringEquals":{"aws:ResourceTag/team":"data"}}"#,
        ] {
            let (severity, _) = worst(narrowing);
            assert!(severity < unconditioned, "{narrowing}");
        }
    }
}
