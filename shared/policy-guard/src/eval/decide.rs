//! IAM's decision for one request: an explicit Deny wins, then an Allow, else implicit deny.

use super::conditions::Truth;
use crate::authorize::{action_matches, conditions_truth, resource_truth, Missing, Mode};
use crate::policy::{Effect, Policy, Principals, Statement};
use std::collections::BTreeMap;

/// One document's request evaluation goes through the statement matcher of
/// [`crate::authorize`], without policy variables and with this evaluator's long-standing
/// reading of `IfExists` on a key not given (met).
const MODE: Mode = Mode {
    variables: false,
    strict_missing: false,
};

/// One request: who asks (optional, for resource and trust policies), which action on which
/// resource, and the request context keys known (keys are matched case-insensitively).
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    pub action: &'a str,
    pub resource: &'a str,
    pub principal: Option<&'a str>,
    pub context: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    ExplicitDeny,
    ImplicitDeny,
}

/// The decision, and whether it rests on conditions whose context keys were not given: a
/// `conditional` Allow may not hold for a real request, a Deny that might apply is listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub decision: Decision,
    pub conditional: bool,
    /// `(policy index, statement index)` of the statements that decided.
    pub deciding: Vec<(usize, usize)>,
}

/// Evaluates `request` against every policy together (identity policies of one principal, or a
/// resource policy), with IAM's logic.
pub fn evaluate(policies: &[&Policy], request: &Request<'_>) -> Evaluation {
    let context: BTreeMap<String, Vec<String>> = request
        .context
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v.clone()))
        .collect();
    let mut allows = Vec::new();
    let mut conditional_allows = Vec::new();
    let mut denies = Vec::new();
    let mut possible_denies = Vec::new();
    for (p, policy) in policies.iter().enumerate() {
        for statement in &policy.statements {
            if !matches_request(statement, request, &context) {
                continue;
            }
            let truth = conditions_hold(statement, &context);
            let target = match (statement.effect, truth) {
                (_, Truth::False) => continue,
                (Effect::Deny, Truth::True) => &mut denies,
                (Effect::Deny, Truth::Unknown) => &mut possible_denies,
                (Effect::Allow, Truth::True) => &mut allows,
                (Effect::Allow, Truth::Unknown) => &mut conditional_allows,
            };
            target.push((p, statement.index));
        }
    }
    if !denies.is_empty() {
        return Evaluation {
            decision: Decision::ExplicitDeny,
            conditional: false,
            deciding: denies,
        };
    }
    if !allows.is_empty() || !conditional_allows.is_empty() {
        let conditional = allows.is_empty() || !possible_denies.is_empty();
        let mut deciding = if allows.is_empty() {
            conditional_allows
        } else {
            allows
        };
        deciding.extend(possible_denies);
        return Evaluation {
            decision: Decision::Allow,
            conditional,
            deciding,
        };
    }
    Evaluation {
        decision: Decision::ImplicitDeny,
        conditional: false,
        deciding: Vec::new(),
    }
}

fn matches_request(
    statement: &Statement,
    request: &Request<'_>,
    context: &BTreeMap<String, Vec<String>>,
) -> bool {
    if !action_matches(statement, request.action) {
        return false;
    }
    let mut missing = Missing::default();
    if resource_truth(statement, request.resource, context, MODE, &mut missing) != Truth::True {
        return false;
    }
    match (&statement.principal, request.principal) {
        (None, _) | (Some(_), None) => true,
        (Some(spec), Some(who)) => {
            let hit = match &spec.principals {
                Principals::Any => true,
                Principals::Listed(list) => list.iter().any(|p| p.value == "*" || p.value == who),
            };
            hit != spec.negated
        }
    }
}

fn conditions_hold(statement: &Statement, context: &BTreeMap<String, Vec<String>>) -> Truth {
    conditions_truth(statement, context, MODE, &mut Missing::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    fn request<'a>(action: &'a str, resource: &'a str) -> Request<'a> {
        Request {
            action,
            resource,
            ..Request::default()
        }
    }

    #[test]
    fn explicit_deny_wins_then_allow_then_implicit_deny() {
        let p = parse_policy(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"},
               {"Effect":"Deny","Action":"s3:DeleteBucket","Resource":"*"}]}"#,
        )
        .unwrap();
        let e = evaluate(&[&p], &request("s3:DeleteBucket", "arn:aws:s3:::b"));
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(
            evaluate(&[&p], &request("S3:getobject", "arn:aws:s3:::b/k")).decision,
            Decision::Allow
        );
        assert_eq!(
            evaluate(&[&p], &request("ec2:RunInstances", "*")).decision,
            Decision::ImplicitDeny
        );
    }

    #[test]
    fn not_action_and_not_resource() {
        let p = parse_policy(
            r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","NotResource":"arn:aws:s3:::secret/*"}]}"#,
        )
        .unwrap();
        assert_eq!(
            evaluate(&[&p], &request("iam:PassRole", "*")).decision,
            Decision::ImplicitDeny
        );
        assert_eq!(
            evaluate(&[&p], &request("s3:GetObject", "arn:aws:s3:::secret/k")).decision,
            Decision::ImplicitDeny
        );
        assert_eq!(
            evaluate(&[&p], &request("s3:GetObject", "arn:aws:s3:::open/k")).decision,
            Decision::Allow
        );
    }

    #[test]
    fn unknown_context_is_conditional_never_ignored() {
        let p = parse_policy(
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
                "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-abcdefghij"}}}]}"#,
        )
        .unwrap();
        let unknown = evaluate(&[&p], &request("s3:GetObject", "arn:aws:s3:::b/k"));
        assert_eq!(
            (unknown.decision, unknown.conditional),
            (Decision::Allow, true)
        );
        let mut known = request("s3:GetObject", "arn:aws:s3:::b/k");
        known
            .context
            .insert("aws:principalorgid".into(), vec!["o-zzzzzzzzzz".into()]);
        assert_eq!(evaluate(&[&p], &known).decision, Decision::ImplicitDeny);
        known
            .context
            .insert("aws:principalorgid".into(), vec!["o-abcdefghij".into()]);
        let allowed = evaluate(&[&p], &known);
        assert_eq!(
            (allowed.decision, allowed.conditional),
            (Decision::Allow, false)
        );
    }

    #[test]
    fn deny_across_policies() {
        let allow =
            parse_policy(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#)
                .unwrap();
        let deny = parse_policy(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#)
            .unwrap();
        let e = evaluate(&[&allow, &deny], &request("iam:CreateUser", "*"));
        assert_eq!(e.decision, Decision::ExplicitDeny);
        assert_eq!(e.deciding, vec![(1, 0)]);
    }
}
