//! The scenarios: one realistic EventBridge event per file in `tests/fixtures/events/`, which
//! guard receives it, and what must (or must not) arrive on the findings queue.

use crate::{workspace_root, Function, Result};
use serde_json::Value;

/// What must arrive for one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No message at all.
    Nothing,
    /// One message whose subject is `[<HIGHEST>] <summary>`, whose highest severity is at least
    /// `at_least`, and whose findings include every rule id and category listed.
    Findings {
        summary: &'static str,
        at_least: &'static str,
        rule_ids: &'static [&'static str],
        categories: &'static [&'static str],
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    pub fixture: &'static str,
    pub function: Function,
    /// What the event does, for people.
    pub title: &'static str,
    pub expect: Expect,
}

impl Scenario {
    pub fn event(&self) -> Result<Value> {
        let path = workspace_root()
            .join("tests/fixtures/events")
            .join(self.fixture);
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(serde_json::from_str(&text)?)
    }

    pub fn event_id(&self) -> Result<String> {
        let event = self.event()?;
        let id = event.pointer("/detail/eventID").and_then(Value::as_str);
        Ok(id.ok_or("fixture without detail.eventID")?.to_string())
    }
}

/// `info` < `low` < `medium` < `high` < `critical`.
pub fn severity_rank(severity: &str) -> Option<u8> {
    ["info", "low", "medium", "high", "critical"]
        .iter()
        .position(|s| *s == severity)
        .and_then(|p| u8::try_from(p).ok())
}

const fn bad(
    fixture: &'static str,
    function: Function,
    title: &'static str,
    summary: &'static str,
    at_least: &'static str,
    rule_ids: &'static [&'static str],
    categories: &'static [&'static str],
) -> Scenario {
    Scenario {
        fixture,
        function,
        title,
        expect: Expect::Findings {
            summary,
            at_least,
            rule_ids,
            categories,
        },
    }
}

const fn good(fixture: &'static str, function: Function, title: &'static str) -> Scenario {
    Scenario {
        fixture,
        function,
        title,
        expect: Expect::Nothing,
    }
}

use Function::{IamGuard as Iam, LambdaGuard as Lambda};

pub const SCENARIOS: &[Scenario] = &[
    // Bad changes: every BAD example of the seeds, and the attacks the issue names.
    bad(
        "iam-create-policy-dynamodb-star.json",
        Iam,
        "a policy granting `dynamodb:*` on `*`",
        "policy overly-permissive-policy created",
        "high",
        &["service-wildcard"],
        &[],
    ),
    bad(
        "iam-put-role-policy-star-star.json",
        Iam,
        "an inline policy granting `*` on `*`",
        "inline policy admin-inline put on role article-service-role",
        "critical",
        &["admin-access"],
        &[],
    ),
    bad(
        "iam-attach-role-policy-administrator-access.json",
        Iam,
        "AdministratorAccess attached to a role",
        "AdministratorAccess attached to role new-role",
        "critical",
        &["admin-access"],
        &[],
    ),
    bad(
        "iam-attach-role-policy-dynamodb-full-access.json",
        Iam,
        "AmazonDynamoDBFullAccess attached to a role",
        "AmazonDynamoDBFullAccess attached to role article-service-role",
        "high",
        &["service-wildcard"],
        &[],
    ),
    bad(
        "iam-attach-user-policy-administrator-access.json",
        Iam,
        "AdministratorAccess attached to a new user",
        "AdministratorAccess attached to user malicious-iam-user",
        "critical",
        &["admin-access"],
        &[],
    ),
    bad(
        "iam-create-role-foreign-trust.json",
        Iam,
        "a role trusting a foreign account without ExternalId",
        "role vendor-access created",
        "high",
        &["trust-foreign-account"],
        &["cross-account"],
    ),
    bad(
        "iam-update-assume-role-policy-foreign.json",
        Iam,
        "a trust policy backdoored for a foreign account",
        "trust policy of role article-service-role updated",
        "high",
        &["trust-foreign-account"],
        &["cross-account"],
    ),
    bad(
        "iam-create-policy-version-admin.json",
        Iam,
        "a new default version granting `*` on `*`",
        "policy article-service-policy: new v2 (default)",
        "critical",
        &["admin-access"],
        &[],
    ),
    bad(
        "iam-set-default-policy-version-dynamodb-star.json",
        Iam,
        "an old version granting `dynamodb:*` made the default",
        "policy media-service-policy: default set to v2",
        "high",
        &["service-wildcard"],
        &[],
    ),
    bad(
        "iam-put-role-policy-null-parameters.json",
        Iam,
        "a PutRolePolicy record without requestParameters",
        "PutRolePolicy event could not be understood",
        "medium",
        &["malformed-event"],
        &[],
    ),
    bad(
        "lambda-add-permission-public.json",
        Lambda,
        "a function made invocable by anyone (principal `*`)",
        "permission backdoor added to function create-article",
        "critical",
        &["public-resource-policy"],
        &["public-access"],
    ),
    bad(
        "lambda-add-permission-s3-without-source.json",
        Lambda,
        "S3 allowed to invoke a function without SourceArn/SourceAccount",
        "permission AllowS3Invoke added to function create-article",
        "high",
        &["service-principal-without-source"],
        &["confused-deputy"],
    ),
    bad(
        "lambda-add-permission-foreign-account.json",
        Lambda,
        "a foreign account allowed to invoke a function",
        "permission partner added to function create-article",
        "medium",
        &["resource-policy-foreign-account"],
        &["cross-account"],
    ),
    bad(
        "lambda-create-function-url-public.json",
        Lambda,
        "a function URL with AuthType NONE",
        "function URL of create-article created (AuthType NONE)",
        "high",
        &["function-url-auth-none"],
        &["public-access"],
    ),
    // Good changes: the seeds' GOOD examples, a failed call, unrelated events.
    good(
        "iam-create-policy-scoped-dynamodb.json",
        Iam,
        "a policy scoped to one DynamoDB table",
    ),
    good(
        "iam-put-role-policy-logging.json",
        Iam,
        "logging scoped to the function's log group",
    ),
    good(
        "iam-create-role-lambda-trust.json",
        Iam,
        "a role only Lambda may assume",
    ),
    good(
        "iam-attach-role-policy-customer-scoped.json",
        Iam,
        "a scoped customer policy attached",
    ),
    good(
        "iam-attach-role-policy-access-denied.json",
        Iam,
        "AdministratorAccess attach that failed (AccessDenied)",
    ),
    good(
        "iam-create-user-unrelated.json",
        Iam,
        "an unrelated IAM call (CreateUser)",
    ),
    good(
        "lambda-add-permission-apigateway-source-arn.json",
        Lambda,
        "API Gateway allowed with its SourceArn",
    ),
    good(
        "lambda-add-permission-events-source-arn.json",
        Lambda,
        "an EventBridge rule allowed with its SourceArn",
    ),
    good(
        "lambda-create-function-url-iam-auth.json",
        Lambda,
        "a function URL with AuthType AWS_IAM",
    ),
    good(
        "lambda-update-function-code-unrelated.json",
        Lambda,
        "an unrelated Lambda call (UpdateFunctionCode)",
    ),
];

/// Roles and users the events name.
pub const SEED_ROLES: &[&str] = &["new-role", "article-service-role"];
pub const SEED_USERS: &[&str] = &["alice", "malicious-iam-user"];
/// AWS managed policies the events attach: created from the corpus's real documents.
pub const SEED_MANAGED_POLICIES: &[&str] = &["AdministratorAccess", "AmazonDynamoDBFullAccess"];

pub const LAMBDA_TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
const SCOPED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Resource":["arn:aws:dynamodb:us-east-1:123456789012:table/Articles","arn:aws:dynamodb:us-east-1:123456789012:table/Articles/index/*"]}]}"#;
const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const DYNAMODB_STAR: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:*","Resource":"*"}]}"#;

/// Customer managed policies as the events leave them: versions in order, the last default.
pub fn seed_customer_policies() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("article-service-policy", vec![SCOPED, ADMIN]),
        ("media-service-policy", vec![SCOPED, DYNAMODB_STAR]),
        ("articles-table-access", vec![SCOPED]),
    ]
}
