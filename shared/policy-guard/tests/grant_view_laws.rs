//! Laws of the semantic view (`analysis::analyze`): what a document grants does not depend on
//! how it is written. Splitting a statement's actions over two statements, merging two
//! statements with the same effect, resources and conditions, reordering statements, and
//! writing `*` as an ARN pattern that covers every ARN all leave the view unchanged, and so
//! the severity of the administrator finding.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::analysis::analyze;
use policy_guard::catalog::ActionSet;
use policy_guard::policy::parse_policy;
use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind, Severity};
use proptest::prelude::*;
use serde_json::{json, Value};

/// What a document grants: every action allowed somewhere, every action allowed on every
/// resource of its type, and those of them that no condition narrows.
#[derive(Debug, PartialEq)]
struct View {
    allowed: ActionSet,
    broad: ActionSet,
    unconstrained: ActionSet,
}

fn view(doc: &Value) -> View {
    let policy = parse_policy(&doc.to_string()).expect("generated documents are valid");
    let analysis = analyze(&policy);
    View {
        allowed: analysis.allowed().clone(),
        broad: analysis.broad().clone(),
        unconstrained: analysis.unconstrained(),
    }
}

fn admin_severity(doc: &Value) -> Option<Severity> {
    let config = Config {
        min_severity: Severity::Info,
        ..Config::default()
    };
    let options = CheckOptions {
        account: Some("111122223333"),
        config: &config,
    };
    check_document(&doc.to_string(), DocumentKind::Identity, &options)
        .into_iter()
        .find(|f| f.rule_id == "admin-access")
        .map(|f| f.severity)
}

fn action() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        Just("s3:*".to_string()),
        Just("iam:*".to_string()),
        "(s3|iam|dynamodb|lambda|sts|ec2|kms|sqs):(Get|Put|List|Create|Delete|Pass|Attach)[A-Za-z]{0,6}\\*?",
        "[a-m]\\*:\\*",
    ]
}

fn resource() -> impl Strategy<Value = String> + Clone {
    prop_oneof![
        Just("*".to_string()),
        Just("arn:aws:*:*:*:*".to_string()),
        Just("arn:aws:s3:::*/*".to_string()),
        Just("arn:aws:iam::*:role/*".to_string()),
        Just("arn:aws:dynamodb:*:*:table/*".to_string()),
        "arn:aws:s3:::[a-z]{1,6}(/\\*)?",
        "arn:aws:dynamodb:us-east-1:111122223333:table/[A-Z][a-z]{0,5}\\*?",
    ]
}

fn condition() -> impl Strategy<Value = Option<Value>> {
    prop::option::of(prop_oneof![
        Just(json!({"StringEquals": {"aws:PrincipalOrgID": "o-abcdefghij"}})),
        Just(json!({"Bool": {"aws:SecureTransport": "true"}})),
        Just(json!({"StringLikeIfExists": {"aws:ResourceTag/team": "*"}})),
        Just(json!({"StringEquals": {"aws:ResourceTag/team": "data"}})),
    ])
}

/// One statement: effect, whether `NotAction`, actions, whether `NotResource`, resources,
/// condition.
type Parts = (bool, bool, Vec<String>, bool, Vec<String>, Option<Value>);

fn parts() -> impl Strategy<Value = Parts> {
    (
        prop::bool::weighted(0.75),
        prop::bool::weighted(0.15),
        prop::collection::vec(action(), 1..5),
        prop::bool::weighted(0.15),
        prop::collection::vec(resource(), 1..3),
        condition(),
    )
}

fn statement((allow, not_action, actions, not_resource, resources, condition): &Parts) -> Value {
    let mut s = serde_json::Map::new();
    s.insert(
        "Effect".into(),
        json!(if *allow { "Allow" } else { "Deny" }),
    );
    s.insert(
        (if *not_action { "NotAction" } else { "Action" }).into(),
        json!(actions),
    );
    s.insert(
        (if *not_resource {
            "NotResource"
        } else {
            "Resource"
        })
        .into(),
        json!(resources),
    );
    if let Some(c) = condition {
        s.insert("Condition".into(), c.clone());
    }
    Value::Object(s)
}

fn document(statements: &[Parts]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements.iter().map(statement).collect::<Vec<_>>()})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn reordering_statements_changes_nothing(
        statements in prop::collection::vec(parts(), 1..5),
        rotate in 0usize..5,
    ) {
        let doc = document(&statements);
        let mut reordered = statements.clone();
        let by = rotate % reordered.len();
        reordered.rotate_left(by);
        reordered.reverse();
        let other = document(&reordered);
        prop_assert_eq!(view(&doc), view(&other));
        prop_assert_eq!(admin_severity(&doc), admin_severity(&other));
    }

    #[test]
    fn splitting_a_statement_changes_nothing(
        statements in prop::collection::vec(parts(), 1..4),
        which in 0usize..4,
        at in 1usize..4,
    ) {
        let which = which % statements.len();
        let target = &statements[which];
        // Splitting is only the same grant for `Action` (a `NotAction` list is not a union).
        prop_assume!(!target.1 && target.2.len() >= 2);
        let at = at.min(target.2.len() - 1);
        let mut first = target.clone();
        let mut second = target.clone();
        first.2 = target.2[..at].to_vec();
        second.2 = target.2[at..].to_vec();
        let mut split = statements.clone();
        split[which] = first;
        split.insert(which + 1, second);
        let (doc, other) = (document(&statements), document(&split));
        prop_assert_eq!(view(&doc), view(&other));
        prop_assert_eq!(admin_severity(&doc), admin_severity(&other));
    }

    #[test]
    fn merging_statements_with_the_same_scope_changes_nothing(
        base in parts(),
        more in prop::collection::vec(action(), 1..4),
        others in prop::collection::vec(parts(), 0..3),
    ) {
        prop_assume!(!base.1);
        let mut twin = base.clone();
        twin.2 = more.clone();
        let mut merged = base.clone();
        merged.2.extend(more);
        let mut apart = vec![base, twin];
        apart.extend(others.iter().cloned());
        let mut together = vec![merged];
        together.extend(others);
        let (doc, other) = (document(&apart), document(&together));
        prop_assert_eq!(view(&doc), view(&other));
        prop_assert_eq!(admin_severity(&doc), admin_severity(&other));
    }

    #[test]
    fn a_full_coverage_arn_pattern_is_the_same_as_star(
        statements in prop::collection::vec(parts(), 1..5),
        spelling in prop_oneof![Just("arn:aws:*:*:*:*"), Just("arn:*:*:*:*:*"), Just("arn:aws:*"), Just("arn:*")],
    ) {
        let rewritten: Vec<Parts> = statements
            .iter()
            .map(|p| {
                let mut p = p.clone();
                for r in &mut p.4 {
                    if r == "*" {
                        *r = spelling.to_string();
                    }
                }
                p
            })
            .collect();
        let (doc, other) = (document(&statements), document(&rewritten));
        prop_assert_eq!(view(&doc), view(&other));
        prop_assert_eq!(admin_severity(&doc), admin_severity(&other));
    }
}
