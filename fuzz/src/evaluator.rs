//! Target `evaluator`: the whole judgement of a parsed policy.
//!
//! Input: bytes that parse as a policy (the seed corpus: fixtures and AWS managed policies) are
//! used as they are; any other bytes drive a generator that writes a policy document from IAM's
//! grammar (real and made-up actions, ARN patterns with wildcards, principals, every condition
//! operator family, NotAction / NotResource / NotPrincipal, single-statement form) with hostile
//! strings mixed in. The request is drawn from the same bytes.
//!
//! Properties, for every policy `parse_policy` accepts:
//! 1. `authorize::authorize` (the policy as an identity policy, or as a resource policy naming the caller), `analysis::analyze`, `analysis::grant_summary`, `analysis::diff` and
//!    `rules::check_policy` (every document kind, with and without an account, with a
//!    configuration trusting accounts) never panic.
//! 2. Adding an unconditional `Deny * on *` identity policy always gives `ExplicitlyDenied`
//!    (for every request `authorize` accepts: one action, no wildcard).
//! 3. Every finding's statement index is inside the document, its title is one line without
//!    raw control characters, and `rules::check_document` on the same text agrees with
//!    `check_policy`.

use arbitrary::{Result, Unstructured};
use policy_guard::analysis::{analyze, diff, grant_summary};
use policy_guard::authorize::{authorize, context_map, Decision, Policies, Request};
use policy_guard::policy::{parse_policy, Policy};
use policy_guard::rules::{check_document, check_policy, CheckOptions};
use policy_guard::{Config, DocumentKind};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const ACTIONS: &[&str] = &[
    "*",
    "s3:*",
    "s3:Get*",
    "s3:GetObject",
    "s3:PutBucketPolicy",
    "iam:PassRole",
    "iam:*",
    "iam:*Policy*",
    "iam:Create*",
    "iam:AttachRolePolicy",
    "sts:AssumeRole",
    "lambda:*",
    "lambda:InvokeFunction",
    "lambda:AddPermission",
    "dynamodb:*",
    "dynamodb:GetItem",
    "kms:Decrypt",
    "ec2:RunInstances",
    "secretsmanager:GetSecretValue",
    "*:Get*",
    "s?:G*",
    "nosuch:Thing",
    "iam:?*",
    "logs:CreateLogGroup",
    "sts:AssumeRoleWithWebIdentity",
    "*:*",
    "s3:*Object*",
];
const RESOURCES: &[&str] = &[
    "*",
    "arn:aws:s3:::b",
    "arn:aws:s3:::b/*",
    "arn:aws:s3:::*",
    "arn:aws:iam::*:role/*",
    "arn:aws:iam::111122223333:role/app",
    "arn:aws:iam::111122223333:role/*",
    "arn:aws:logs:*:*:*",
    "arn:aws:dynamodb:us-east-1:111122223333:table/T",
    "arn:aws:lambda:us-east-1:111122223333:function:f",
    "arn:*",
    "arn:aws:iam::444455556666:root",
    "arn:aws:s3:::b/${aws:username}/*",
    "arn:aws:ec2:*:*:instance/*",
];
const PRINCIPALS: &[(&str, &str)] = &[
    ("AWS", "*"),
    ("AWS", "arn:aws:iam::111122223333:root"),
    ("AWS", "444455556666"),
    ("AWS", "arn:aws:iam::444455556666:role/x"),
    ("Service", "lambda.amazonaws.com"),
    ("Service", "s3.amazonaws.com"),
    ("Federated", "cognito-identity.amazonaws.com"),
    (
        "Federated",
        "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
    ),
    (
        "CanonicalUser",
        "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be",
    ),
];
const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThanEquals",
    "DateLessThan",
    "DateGreaterThan",
    "Bool",
    "BinaryEquals",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotLike",
    "Null",
    "ForAllValues:StringEquals",
    "ForAnyValue:StringLike",
    "StringLikeIfExists",
    "ForAllValues:ArnLikeIfExists",
    "boolifexists",
];
const KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SecureTransport",
    "aws:PrincipalOrgID",
    "aws:TagKeys",
    "aws:RequestTag/env",
    "aws:ResourceTag/${aws:username}",
    "sts:ExternalId",
    "s3:prefix",
    "aws:SourceIp",
    "aws:CurrentTime",
    "aws:MultiFactorAuthPresent",
    "token.actions.githubusercontent.com:sub",
    "token.actions.githubusercontent.com:aud",
    "lambda:FunctionUrlAuthType",
    "iam:PassedToService",
    "aws:username",
    "nosuch:Key",
];
const VALUES: &[&str] = &[
    "true",
    "false",
    "*",
    "arn:aws:s3:::b",
    "111122223333",
    "o-abcdefghij",
    "10.0.0.0/8",
    "2024-01-01T00:00:00Z",
    "1",
    "repo:org/app:*",
    "sts.amazonaws.com",
    "AWS_IAM",
    "NONE",
    "",
    "lambda.amazonaws.com",
    "prod*",
];
const HOSTILE: &[&str] = &[
    "\u{1b}[31m",
    "\r\n",
    "\u{202e}",
    "\u{0}",
    "é",
    "%",
    "\"",
    "${",
    "}",
];

fn text(u: &mut Unstructured<'_>, vocabulary: &[&str]) -> Result<String> {
    let mut s = (*u.choose(vocabulary)?).to_string();
    if u.ratio(1, 16)? {
        s.push_str(u.choose(HOSTILE)?);
    }
    if u.ratio(1, 32)? {
        s = u.arbitrary()?;
    }
    Ok(s)
}

fn one_or_many(u: &mut Unstructured<'_>, vocabulary: &[&str]) -> Result<Value> {
    let n = u.int_in_range(1..=4)?;
    if n == 1 && u.arbitrary()? {
        return Ok(json!(text(u, vocabulary)?));
    }
    Ok(Value::Array(
        (0..n)
            .map(|_| text(u, vocabulary).map(Value::String))
            .collect::<Result<_>>()?,
    ))
}

fn statement(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut s = Map::new();
    if u.ratio(1, 3)? {
        s.insert(
            "Sid".into(),
            json!(text(u, &["A", "Admin", "x y", "\u{1b}[2J", ""])?),
        );
    }
    s.insert(
        "Effect".into(),
        json!(if u.ratio(3, 4)? { "Allow" } else { "Deny" }),
    );
    let action_key = if u.ratio(1, 5)? {
        "NotAction"
    } else {
        "Action"
    };
    s.insert(action_key.into(), one_or_many(u, ACTIONS)?);
    if u.ratio(4, 5)? {
        let key = if u.ratio(1, 6)? {
            "NotResource"
        } else {
            "Resource"
        };
        s.insert(key.into(), one_or_many(u, RESOURCES)?);
    }
    if u.ratio(1, 3)? {
        let key = if u.ratio(1, 8)? {
            "NotPrincipal"
        } else {
            "Principal"
        };
        let value = if u.ratio(1, 4)? {
            json!("*")
        } else {
            let mut by_kind = Map::new();
            for _ in 0..u.int_in_range(1..=3)? {
                let (kind, value) = *u.choose(PRINCIPALS)?;
                let entry = by_kind.entry(kind.to_string()).or_insert_with(|| json!([]));
                if let Value::Array(items) = entry {
                    items.push(json!(value));
                }
            }
            Value::Object(by_kind)
        };
        s.insert(key.into(), value);
    }
    if u.ratio(1, 2)? {
        let mut block = Map::new();
        for _ in 0..u.int_in_range(1..=3)? {
            let operator = text(u, OPERATORS)?;
            let entry = block.entry(operator).or_insert_with(|| json!({}));
            for _ in 0..u.int_in_range(1..=2)? {
                let key = text(u, KEYS)?;
                let values = if u.ratio(1, 6)? {
                    json!(u.arbitrary::<bool>()?)
                } else {
                    one_or_many(u, VALUES)?
                };
                if let Value::Object(keys) = entry {
                    keys.insert(key, values);
                }
            }
        }
        s.insert("Condition".into(), Value::Object(block));
    }
    Ok(Value::Object(s))
}

fn generated_policy(u: &mut Unstructured<'_>) -> Result<String> {
    let n = u.int_in_range(1..=6)?;
    let statements: Vec<Value> = (0..n).map(|_| statement(u)).collect::<Result<_>>()?;
    let mut doc = Map::new();
    if u.ratio(7, 8)? {
        doc.insert(
            "Version".into(),
            json!(if u.ratio(9, 10)? {
                "2012-10-17"
            } else {
                "2008-10-17"
            }),
        );
    }
    let statement = if n == 1 && u.arbitrary()? {
        statements.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(statements)
    };
    doc.insert("Statement".into(), statement);
    let text = Value::Object(doc).to_string();
    // Sometimes in the encodings CloudTrail and IAM use.
    Ok(match u.int_in_range(0..=9)? {
        0 => serde_json::to_string(&text).unwrap_or_default(),
        1 => text.bytes().map(|b| format!("%{b:02X}")).collect(),
        _ => text,
    })
}

fn request_context(u: &mut Unstructured<'_>) -> Result<BTreeMap<String, Vec<String>>> {
    let mut context = BTreeMap::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let key = text(u, KEYS)?;
        let values = (0..u.int_in_range(0..=2)?)
            .map(|_| text(u, VALUES))
            .collect::<Result<_>>()?;
        context.insert(key, values);
    }
    Ok(context)
}

fn judge_everything(document: &str, policy: &Policy, u: &mut Unstructured<'_>) -> Result<()> {
    let analysis = analyze(policy);
    let _ = grant_summary(&analysis);
    let _ = analysis.allowed();
    let _ = analysis.unconstrained();
    if u.ratio(1, 4)? {
        let _ = diff(policy, policy);
        let empty = parse_policy(r#"{"Version":"2012-10-17","Statement":[]}"#).expect("valid");
        let _ = diff(&empty, policy);
    }

    let check = |kind: DocumentKind, options: &CheckOptions<'_>| {
        let findings = check_policy(policy, kind, options);
        for f in &findings {
            if let Some(index) = f.location.statement_index {
                assert!(
                    index < policy.statements.len(),
                    "{} points past the document",
                    f.rule_id
                );
            }
            assert!(
                !f.title.contains(['\n', '\r', '\u{1b}']),
                "{}: raw control in title {:?}",
                f.rule_id,
                f.title
            );
        }
        findings
    };
    let kinds = [
        DocumentKind::Identity,
        DocumentKind::Resource,
        DocumentKind::Trust,
        DocumentKind::PermissionsBoundary,
    ];
    let default = Config::default();
    let options = CheckOptions {
        account: Some("111122223333"),
        config: &default,
    };
    for kind in kinds {
        let findings = check(kind, &options);
        if kind == DocumentKind::Identity {
            assert_eq!(
                findings,
                check_document(document, kind, &options),
                "check_document disagrees"
            );
        }
    }
    // One more kind under another configuration: no account, or a trusted foreign account.
    let trusting = Config {
        trusted_accounts: vec!["444455556666".to_string()],
        ..Config::default()
    };
    let account = if u.arbitrary()? {
        None
    } else {
        Some("111122223333")
    };
    let kind = *u.choose(&kinds)?;
    let _ = check(
        kind,
        &CheckOptions {
            account,
            config: &trusting,
        },
    );

    for _ in 0..u.int_in_range(1..=4)? {
        let action = text(u, ACTIONS)?;
        let resource = text(u, RESOURCES)?;
        // An IAM user whose identity policy this is, or a caller this resource policy names.
        let as_resource_policy: bool = u.arbitrary()?;
        let principal = if as_resource_policy {
            text(
                u,
                &[
                    "arn:aws:iam::444455556666:root",
                    "lambda.amazonaws.com",
                    "anonymous",
                ],
            )?
        } else {
            "arn:aws:iam::111122223333:user/alice".to_string()
        };
        let request = Request {
            principal: &principal,
            action: &action,
            resource: &resource,
            resource_account: Some("111122223333"),
            context: context_map(request_context(u)?),
            ..Request::default()
        };
        if as_resource_policy {
            let alone = Policies {
                resource: Some(policy),
                ..Policies::default()
            };
            let _ = authorize(&request, &alone);
            continue;
        }
        let deny_all =
            parse_policy(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#)
                .expect("valid");
        let identity = [policy.clone()];
        let with_deny = [policy.clone(), deny_all];
        let alone = Policies {
            identity: &identity,
            ..Policies::default()
        };
        let _ = authorize(&request, &alone);
        let denied = Policies {
            identity: &with_deny,
            ..Policies::default()
        };
        if let Ok(decided) = authorize(&request, &denied) {
            assert_eq!(
                decided.decision,
                Decision::ExplicitlyDenied,
                "Deny * on * did not deny {action} on {resource}"
            );
        }
    }
    Ok(())
}

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/evaluator.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let mut u = Unstructured::new(data);
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(policy) = parse_policy(text) {
            let _ = judge_everything(text, &policy, &mut u);
            return;
        }
    }
    let Ok(text) = generated_policy(&mut u) else {
        return;
    };
    if let Ok(policy) = parse_policy(&text) {
        let _ = judge_everything(&text, &policy, &mut u);
    }
}
