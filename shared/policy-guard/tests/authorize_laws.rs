//! Laws of `authorize` over generated policies: more Deny or less Allow never allows more, a
//! guardrail (boundary, SCP, RCP, session policy, endpoint policy) never widens access, and the
//! order of policies and statements does not matter.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::authorize::{authorize, context_map, Authorization, Decision, Policies, Request};
use policy_guard::policy::{parse_policy, Effect, Policy};
use proptest::prelude::*;

const PRINCIPALS: &[&str] = &[
    "arn:aws:iam::111122223333:user/alice",
    "arn:aws:sts::111122223333:assumed-role/app/s1",
    "arn:aws:iam::444455556666:user/carol",
    "anonymous",
    "sns.amazonaws.com",
];
const ACTIONS: &[&str] = &["s3:GetObject", "s3:PutObject", "sqs:SendMessage"];
const RESOURCES: &[&str] = &[
    "arn:aws:s3:::bucket/key",
    "arn:aws:s3:::other/key",
    "arn:aws:sqs:us-east-1:111122223333:q",
];

#[derive(Debug, Clone)]
struct Stmt {
    allow: bool,
    action: &'static str,
    not_action: bool,
    resource: &'static str,
    principal: &'static str,
    condition: Option<(&'static str, &'static str)>,
}

fn stmt() -> impl Strategy<Value = Stmt> {
    (
        any::<bool>(),
        prop::sample::select(vec![
            "s3:GetObject",
            "s3:*",
            "s3:Put*",
            "sqs:*",
            "*",
            "iam:*",
        ]),
        prop::bool::weighted(0.15),
        prop::sample::select(vec![
            "*",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::other/*",
            "arn:aws:sqs:*:111122223333:q",
        ]),
        prop::sample::select(vec![
            "*",
            "{\"AWS\":\"111122223333\"}",
            "{\"AWS\":\"arn:aws:iam::111122223333:user/alice\"}",
            "{\"AWS\":\"arn:aws:iam::111122223333:role/app\"}",
            "{\"AWS\":\"arn:aws:iam::444455556666:root\"}",
            "{\"Service\":\"sns.amazonaws.com\"}",
        ]),
        prop::option::weighted(
            0.4,
            prop::sample::select(vec![
                ("StringEquals", "aws:PrincipalTag/team"),
                ("StringNotEquals", "aws:PrincipalTag/team"),
                ("StringEqualsIfExists", "aws:RequestedRegion"),
                ("ForAnyValue:StringEquals", "aws:TagKeys"),
                ("ForAllValues:StringEquals", "aws:TagKeys"),
                ("Null", "aws:PrincipalTag/team"),
            ]),
        ),
    )
        .prop_map(
            |(allow, action, not_action, resource, principal, condition)| Stmt {
                allow,
                action,
                not_action,
                resource,
                principal,
                condition,
            },
        )
}

fn render(statements: &[Stmt], with_principal: bool) -> Policy {
    let body: Vec<String> = statements
        .iter()
        .map(|s| {
            let mut out = format!(
                "{{\"Effect\":\"{}\",\"{}\":\"{}\",\"Resource\":\"{}\"",
                if s.allow { "Allow" } else { "Deny" },
                if s.not_action { "NotAction" } else { "Action" },
                s.action,
                s.resource
            );
            if with_principal {
                let p = if s.principal == "*" {
                    "\"*\"".to_string()
                } else {
                    s.principal.to_string()
                };
                out.push_str(&format!(",\"Principal\":{p}"));
            }
            if let Some((op, key)) = s.condition {
                let value = if op == "Null" { "true" } else { "blue" };
                out.push_str(&format!(
                    ",\"Condition\":{{\"{op}\":{{\"{key}\":\"{value}\"}}}}"
                ));
            }
            out.push('}');
            out
        })
        .collect();
    parse_policy(&format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{}]}}",
        body.join(",")
    ))
    .unwrap()
}

#[derive(Debug, Clone)]
struct World {
    principal: &'static str,
    action: &'static str,
    resource: &'static str,
    context: Vec<(&'static str, Vec<String>)>,
    identity: Vec<Vec<Stmt>>,
    boundary: Option<Vec<Stmt>>,
    scps: Vec<Vec<Stmt>>,
    rcps: Vec<Vec<Stmt>>,
    resource_policy: Option<Vec<Stmt>>,
    session: Option<Vec<Stmt>>,
    endpoint: Option<Vec<Stmt>>,
}

fn stmts(max: usize) -> impl Strategy<Value = Vec<Stmt>> {
    prop::collection::vec(stmt(), 1..=max)
}

fn world() -> impl Strategy<Value = World> {
    let context = prop::collection::vec(
        prop::sample::select(vec![
            ("aws:principaltag/team", vec!["blue".to_string()]),
            ("aws:principaltag/team", vec!["red".to_string()]),
            ("aws:principaltag/team", vec![]),
            ("aws:requestedregion", vec!["us-east-1".to_string()]),
            ("aws:tagkeys", vec!["blue".to_string(), "x".to_string()]),
            ("aws:tagkeys", vec![]),
        ]),
        0..3,
    );
    (
        (
            prop::sample::select(PRINCIPALS.to_vec()),
            prop::sample::select(ACTIONS.to_vec()),
            prop::sample::select(RESOURCES.to_vec()),
            context,
        ),
        prop::collection::vec(stmts(3), 0..3),
        prop::option::of(stmts(2)),
        prop::collection::vec(stmts(2), 0..3),
        prop::collection::vec(stmts(2), 0..2),
        prop::option::of(stmts(3)),
        prop::option::of(stmts(2)),
        prop::option::weighted(0.2, stmts(2)),
    )
        .prop_map(
            |(
                (principal, action, resource, context),
                identity,
                boundary,
                scps,
                rcps,
                rp,
                session,
                endpoint,
            )| World {
                principal,
                action,
                resource,
                context,
                identity,
                boundary,
                scps,
                rcps,
                resource_policy: rp,
                session,
                endpoint,
            },
        )
}

fn run(w: &World) -> Authorization {
    let identity: Vec<Policy> = w.identity.iter().map(|s| render(s, false)).collect();
    let boundary: Vec<Policy> = w.boundary.iter().map(|s| render(s, false)).collect();
    let scps: Vec<Vec<Policy>> = w.scps.iter().map(|s| vec![render(s, false)]).collect();
    let rcps: Vec<Vec<Policy>> = w.rcps.iter().map(|s| vec![render(s, true)]).collect();
    let resource = w.resource_policy.as_ref().map(|s| render(s, true));
    let session = w.session.as_ref().map(|s| render(s, false));
    let endpoint: Vec<Policy> = w.endpoint.iter().map(|s| render(s, true)).collect();
    let mut seen = std::collections::BTreeMap::new();
    for (k, v) in &w.context {
        seen.insert(*k, v.clone());
    }
    let request = Request {
        principal: w.principal,
        action: w.action,
        resource: w.resource,
        resource_account: Some("111122223333"),
        context: context_map(seen),
        ..Request::default()
    };
    let policies = Policies {
        identity: &identity,
        permissions_boundaries: &boundary,
        scps: &scps,
        rcps: &rcps,
        resource: resource.as_ref(),
        session: session.as_ref(),
        vpc_endpoint: &endpoint,
    };
    authorize(&request, &policies).unwrap()
}

fn allowed(a: &Authorization) -> bool {
    a.decision == Decision::Allowed
}

fn deny_all() -> Stmt {
    Stmt {
        allow: false,
        action: "*",
        not_action: false,
        resource: "*",
        principal: "*",
        condition: None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn adding_a_deny_never_allows(w in world(), extra in stmt(), target in 0usize..4) {
        let before = run(&w);
        let mut extra = extra;
        extra.allow = false;
        let mut after = w.clone();
        match target {
            0 => after.identity.push(vec![extra]),
            1 => match &mut after.resource_policy {
                Some(rp) => rp.push(extra),
                None => after.resource_policy = Some(vec![extra]),
            },
            2 => if let Some(level) = after.scps.first_mut() { level.push(extra) },
            _ => if let Some(b) = &mut after.boundary { b.push(extra) },
        }
        let after = run(&after);
        if !allowed(&before) {
            prop_assert!(!allowed(&after), "{before:?} -> {after:?}");
        }
        if before.decision == Decision::ExplicitlyDenied {
            prop_assert_eq!(after.decision, Decision::ExplicitlyDenied);
        }
    }

    #[test]
    fn an_unconditional_deny_all_denies_explicitly(w in world()) {
        let mut after = w.clone();
        if after.principal.contains(":iam::") || after.principal.contains(":sts::") {
            after.identity.push(vec![deny_all()]);
        } else {
            after.resource_policy.get_or_insert_with(Vec::new).push(deny_all());
        }
        prop_assert_eq!(run(&after).decision, Decision::ExplicitlyDenied);
    }

    #[test]
    fn removing_an_allow_never_allows(w in world(), pick in 0usize..64) {
        let before = run(&w);
        let mut after = w.clone();
        let mut lists: Vec<&mut Vec<Stmt>> = after.identity.iter_mut().collect();
        lists.extend(after.boundary.iter_mut());
        lists.extend(after.scps.iter_mut());
        lists.extend(after.rcps.iter_mut());
        lists.extend(after.resource_policy.iter_mut());
        lists.extend(after.session.iter_mut());
        lists.extend(after.endpoint.iter_mut());
        let total: usize = lists.iter().map(|l| l.len()).sum();
        if total == 0 {
            return Ok(());
        }
        let mut n = pick % total;
        for list in lists {
            if n < list.len() {
                if list[n].allow {
                    list.remove(n);
                }
                break;
            }
            n -= list.len();
        }
        let after = run(&after);
        if !allowed(&before) {
            prop_assert!(!allowed(&after), "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn guardrails_never_widen(w in world(), guard in stmts(2), kind in 0usize..5) {
        let mut without = w.clone();
        match kind {
            0 => without.boundary = None,
            1 => without.scps.clear(),
            2 => without.rcps.clear(),
            3 => without.session = None,
            _ => without.endpoint = None,
        }
        let mut with = without.clone();
        match kind {
            0 => with.boundary = Some(guard),
            1 => with.scps.push(guard),
            2 => with.rcps.push(guard),
            3 => with.session = Some(guard),
            _ => with.endpoint = Some(guard),
        }
        let (before, after) = (run(&without), run(&with));
        if !allowed(&before) {
            prop_assert!(!allowed(&after), "{before:?} -> {after:?}");
        }
    }

    #[test]
    fn order_does_not_matter(w in world()) {
        let before = run(&w);
        let mut after = w.clone();
        after.identity.reverse();
        for list in after.identity.iter_mut() { list.reverse(); }
        for list in after.scps.iter_mut() { list.reverse(); }
        if let Some(rp) = &mut after.resource_policy { rp.reverse(); }
        if let Some(b) = &mut after.boundary { b.reverse(); }
        let after = run(&after);
        prop_assert_eq!(before.decision, after.decision);
        prop_assert_eq!(&before.allowed_by, &after.allowed_by);
        prop_assert_eq!(&before.blocked_by, &after.blocked_by);
        let lower = |a: &Authorization| {
            let mut keys: Vec<String> = a.missing_context_keys.iter().map(|k| k.to_ascii_lowercase()).collect();
            keys.sort();
            keys
        };
        prop_assert_eq!(lower(&before), lower(&after));
        let effects = |a: &Authorization| a.deciding.iter().filter(|d| d.effect == Effect::Deny).count();
        prop_assert_eq!(effects(&before), effects(&after));
    }
}
