//! Properties over generated policies: parse → serialize → parse round-trips, and neither the
//! evaluator nor the rules panic on any well-formed document.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::authorize::{authorize, Decision, Policies, Request};
use policy_guard::policy::parse_policy;
use policy_guard::rules::{check_document, check_policy, CheckOptions};
use policy_guard::{Config, DocumentKind};
use proptest::prelude::*;
use serde_json::{json, Value};

fn action() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        "(s3|iam|dynamodb|lambda|sts|ec2|kms|nosuchsvc):[A-Za-z*?]{1,12}",
        "(s3|iam|lambda):\\*",
    ]
}

fn resource() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        "arn:aws:s3:::[a-z*?]{1,8}(/[a-z*]{0,6})?",
        "arn:aws:iam::(111122223333|\\*|444455556666):(role|user|policy)/[a-z*]{1,8}",
        "arn:aws:dynamodb:us-east-1:111122223333:table/[A-Za-z]{1,8}",
        "arn:aws:lambda:us-east-1:111122223333:function:[a-z]{1,8}",
    ]
}

fn one_or_many(item: impl Strategy<Value = String> + Clone) -> impl Strategy<Value = Value> {
    prop_oneof![
        item.clone().prop_map(Value::String),
        prop::collection::vec(item, 1..4).prop_map(|v| json!(v)),
    ]
}

fn condition() -> impl Strategy<Value = Value> {
    let operator = prop_oneof![
        Just("StringEquals"),
        Just("StringLike"),
        Just("ArnLike"),
        Just("Bool"),
        Just("ForAllValues:StringEquals"),
        Just("ForAnyValue:StringLikeIfExists"),
        Just("NumericLessThan"),
        Just("IpAddress"),
        Just("Null"),
    ];
    let key = prop_oneof![
        Just("aws:SourceArn"),
        Just("aws:SecureTransport"),
        Just("aws:PrincipalOrgID"),
        Just("aws:TagKeys"),
        Just("sts:ExternalId"),
        Just("s3:prefix"),
    ];
    (
        operator,
        key,
        one_or_many("[a-z0-9*.:/-]{1,10}".prop_map(String::from).boxed()),
    )
        .prop_map(|(op, key, values)| json!({ op: { key: values } }))
}

fn principal() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!("*")),
        one_or_many(
            "arn:aws:iam::(111122223333|444455556666):root"
                .prop_map(String::from)
                .boxed()
        )
        .prop_map(|v| json!({ "AWS": v })),
        one_or_many(
            "(lambda|s3|events|apigateway)\\.amazonaws\\.com"
                .prop_map(String::from)
                .boxed()
        )
        .prop_map(|v| json!({ "Service": v })),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::option::of("[A-Za-z0-9]{1,8}"),
        prop::bool::ANY,
        prop::bool::ANY,
        one_or_many(action()),
        prop::option::of((prop::bool::ANY, one_or_many(resource()))),
        prop::option::of((prop::bool::ANY, principal())),
        prop::option::of(condition()),
    )
        .prop_map(
            |(sid, allow, not_action, actions, resources, principal, condition)| {
                let mut s = serde_json::Map::new();
                if let Some(sid) = sid {
                    s.insert("Sid".into(), json!(sid));
                }
                s.insert("Effect".into(), json!(if allow { "Allow" } else { "Deny" }));
                s.insert(
                    (if not_action { "NotAction" } else { "Action" }).into(),
                    actions,
                );
                if let Some((not, r)) = resources {
                    s.insert((if not { "NotResource" } else { "Resource" }).into(), r);
                }
                if let Some((not, p)) = principal {
                    s.insert((if not { "NotPrincipal" } else { "Principal" }).into(), p);
                }
                if let Some(c) = condition {
                    s.insert("Condition".into(), c);
                }
                Value::Object(s)
            },
        )
}

fn document() -> impl Strategy<Value = Value> {
    (prop::bool::ANY, prop::collection::vec(statement(), 1..5)).prop_map(|(single, statements)| {
        let statement = if single && statements.len() == 1 {
            statements.into_iter().next().unwrap_or(Value::Null)
        } else {
            json!(statements)
        };
        json!({ "Version": "2012-10-17", "Statement": statement })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_serialize_parse_round_trips(doc in document()) {
        let text = doc.to_string();
        let policy = parse_policy(&text).expect("generated documents are valid");
        let again = parse_policy(&policy.to_json().to_string()).expect("canonical form parses");
        prop_assert_eq!(policy, again);
    }

    #[test]
    fn rules_never_panic_and_report_locations_inside_the_document(doc in document()) {
        let policy = parse_policy(&doc.to_string()).expect("valid");
        let config = Config::default();
        let options = CheckOptions { account: Some("111122223333"), config: &config };
        for kind in [DocumentKind::Identity, DocumentKind::Resource, DocumentKind::Trust, DocumentKind::PermissionsBoundary] {
            for finding in check_policy(&policy, kind, &options) {
                if let Some(index) = finding.location.statement_index {
                    prop_assert!(index < policy.statements.len());
                }
            }
        }
    }

    #[test]
    fn evaluator_never_panics_and_deny_everything_denies(doc in document(), action in action(), resource in resource()) {
        let policy = parse_policy(&doc.to_string()).expect("valid");
        let request = Request {
            principal: "arn:aws:iam::111122223333:user/alice",
            action: &action,
            resource: &resource,
            resource_account: Some("111122223333"),
            ..Request::default()
        };
        let identity = [policy];
        let _ = authorize(&request, &Policies { identity: &identity, ..Policies::default() });
        let deny_all = parse_policy(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#).expect("valid");
        let with_deny = [identity[0].clone(), deny_all];
        let decided = authorize(&request, &Policies { identity: &with_deny, ..Policies::default() });
        // A request names one action: a wildcard in it is an error, never a decision.
        if action.contains(['*', '?']) {
            prop_assert!(decided.is_err());
        } else {
            prop_assert_eq!(decided.expect("a plain action is decided").decision, Decision::ExplicitlyDenied);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let config = Config::default();
        let options = CheckOptions { account: None, config: &config };
        let _ = check_document(&text, DocumentKind::Identity, &options);
    }
}
