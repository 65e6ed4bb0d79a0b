//! Criterion bench of `authorize`: one role session with ten identity policies, a permissions
//! boundary and three SCP levels, deciding an allowed and an explicitly denied request.
//! Run as `cargo bench -p policy-guard-bench --bench authorize`.

use criterion::{criterion_group, criterion_main, Criterion};
use policy_guard::authorize::{authorize, context_map, Policies, Request};
use policy_guard::policy::{parse_policy, Policy};
use std::hint::black_box;

fn policy(text: &str) -> Option<Policy> {
    parse_policy(text).ok()
}

fn bench(c: &mut Criterion) {
    let services = [
        "s3", "sqs", "sns", "dynamodb", "lambda", "ec2", "kms", "logs", "ssm", "iam",
    ];
    let identity: Vec<Policy> = services
        .iter()
        .enumerate()
        .filter_map(|(i, service)| {
            policy(&format!(
                r#"{{"Version":"2012-10-17","Statement":[
                    {{"Sid":"Read{i}","Effect":"Allow","Action":["{service}:Get*","{service}:List*","{service}:Describe*"],"Resource":"*"}},
                    {{"Sid":"Write{i}","Effect":"Allow","Action":"{service}:Put*","Resource":"arn:aws:{service}:us-east-1:111122223333:team-${{aws:PrincipalTag/team}}-*",
                      "Condition":{{"StringEquals":{{"aws:RequestedRegion":"us-east-1"}},"Bool":{{"aws:SecureTransport":"true"}}}}}},
                    {{"Sid":"NoDelete{i}","Effect":"Deny","Action":"{service}:Delete*","Resource":"*"}}
                ]}}"#
            ))
        })
        .collect();
    let boundary: Vec<Policy> = policy(
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
            {"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}"#,
    )
    .into_iter()
    .collect();
    let full = r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
    let region = r#"{"Statement":[{"Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*",
        "Condition":{"StringNotEquals":{"aws:RequestedRegion":["us-east-1","eu-west-1"]}}}]}"#;
    let scps: Vec<Vec<Policy>> = vec![
        policy(full).into_iter().collect(),
        [policy(full), policy(region)]
            .into_iter()
            .flatten()
            .collect(),
        policy(full).into_iter().collect(),
    ];
    let policies = Policies {
        identity: &identity,
        permissions_boundaries: &boundary,
        scps: &scps,
        ..Policies::default()
    };
    let context = context_map([
        ("aws:RequestedRegion", vec!["us-east-1".to_string()]),
        ("aws:SecureTransport", vec!["true".to_string()]),
        ("aws:PrincipalTag/team", vec!["blue".to_string()]),
    ]);
    let allowed = Request {
        principal: "arn:aws:sts::111122223333:assumed-role/app/session",
        action: "ssm:PutParameter",
        resource: "arn:aws:ssm:us-east-1:111122223333:team-blue-config",
        context: context.clone(),
        ..Request::default()
    };
    let denied = Request {
        action: "dynamodb:DeleteTable",
        resource: "arn:aws:dynamodb:us-east-1:111122223333:table/orders",
        ..allowed.clone()
    };
    let mut group = c.benchmark_group("authorize");
    group.bench_function("10 identity + boundary + 3 SCP levels, allowed", |b| {
        b.iter(|| authorize(black_box(&allowed), black_box(&policies)))
    });
    group.bench_function(
        "10 identity + boundary + 3 SCP levels, explicit deny",
        |b| b.iter(|| authorize(black_box(&denied), black_box(&policies))),
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
