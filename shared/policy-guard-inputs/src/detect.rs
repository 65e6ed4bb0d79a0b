//! What a JSON input is, from its shape.

use crate::kind::{InputKind, PolicyKind};
use policy_guard::policy::Policy;
use serde_json::{Map, Value};

/// Detects the kind of a parsed input; `None` when it is nothing policy-guard reads.
pub fn detect(value: &Value) -> Option<InputKind> {
    match value {
        Value::Object(object) => detect_object(object),
        // A policy given as a JSON string (CloudTrail's requestParameters.policyDocument).
        Value::String(text) => {
            let decoded = policy_guard::policy::decode_document(text).ok()?;
            let inner: Value = serde_json::from_str(&decoded).ok()?;
            match &inner {
                Value::Object(object) if looks_like_policy(object) => {
                    Some(policy_kind(&inner).into())
                }
                _ => None,
            }
        }
        // An array of CloudTrail records or EventBridge events.
        Value::Array(items) => {
            let all_events = !items.is_empty()
                && items
                    .iter()
                    .all(|i| i.as_object().is_some_and(looks_like_event));
            all_events.then_some(InputKind::Cloudtrail)
        }
        _ => None,
    }
}

fn detect_object(object: &Map<String, Value>) -> Option<InputKind> {
    if object.get("Records").is_some_and(Value::is_array) {
        return Some(InputKind::Cloudtrail);
    }
    // `aws cloudtrail lookup-events` output.
    if object.get("Events").is_some_and(Value::is_array) {
        return Some(InputKind::Cloudtrail);
    }
    if object.contains_key("format_version")
        && (object.contains_key("planned_values") || object.contains_key("resource_changes"))
    {
        return Some(InputKind::TerraformPlan);
    }
    if looks_like_event(object) {
        return Some(InputKind::Cloudtrail);
    }
    if object.get("Policy").is_some_and(Value::is_string) && !object.contains_key("Statement") {
        return Some(InputKind::LambdaPolicy);
    }
    if looks_like_policy(object) {
        return Some(statements_kind(object.get("Statement")).into());
    }
    let url_keys = ["authType", "AuthType", "functionName", "FunctionName"];
    if object.keys().any(|k| url_keys.contains(&k.as_str()))
        && (object.contains_key("authType") || object.contains_key("AuthType"))
    {
        return Some(InputKind::FunctionUrl);
    }
    None
}

fn looks_like_event(object: &Map<String, Value>) -> bool {
    object.contains_key("detail-type")
        || (object.contains_key("detail") && object.contains_key("source"))
        || (object.contains_key("eventName") && object.contains_key("eventSource"))
}

/// Any of the policy grammar's top-level keys: a misspelled or broken policy is still a
/// policy, and the engine reports what is wrong with it.
fn looks_like_policy(object: &Map<String, Value>) -> bool {
    object.contains_key("Statement")
        || (object.contains_key("Version") && object.len() <= 3)
        || object.keys().any(|k| k.eq_ignore_ascii_case("statement"))
}

/// Identity unless a statement names a `Principal` (or `NotPrincipal`): then a trust policy
/// when every action is `sts:AssumeRole*` (with the session actions trust policies carry),
/// else a resource policy.
pub fn policy_kind(document: &Value) -> PolicyKind {
    statements_kind(document.get("Statement"))
}

/// [`policy_kind`] of a policy the engine has parsed, read from the typed statements: the
/// same answer as for the JSON it was parsed from, without writing it out again.
pub fn parsed_policy_kind(policy: &Policy) -> PolicyKind {
    if policy.statements.iter().all(|s| s.principal.is_none()) {
        return PolicyKind::Identity;
    }
    // `NotAction` names what is *not* granted: never a trust policy's `sts:AssumeRole*`.
    if policy.statements.iter().any(|s| s.action.negated) {
        return PolicyKind::Resource;
    }
    actions_kind(
        policy
            .statements
            .iter()
            .flat_map(|s| s.action.patterns.iter().map(String::as_str)),
    )
}

/// [`policy_kind`] of a document whose `Statement` is `statement`.
fn statements_kind(statement: Option<&Value>) -> PolicyKind {
    let statements: Vec<&Value> = match statement {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(single @ Value::Object(_)) => vec![single],
        _ => return PolicyKind::Identity,
    };
    let has_principal = statements
        .iter()
        .any(|s| s.get("Principal").is_some() || s.get("NotPrincipal").is_some());
    if !has_principal {
        return PolicyKind::Identity;
    }
    let mut actions = Vec::new();
    for statement in &statements {
        match statement.get("Action") {
            Some(Value::String(a)) => actions.push(a.as_str()),
            Some(Value::Array(items)) => {
                actions.extend(items.iter().filter_map(Value::as_str));
            }
            _ => return PolicyKind::Resource,
        }
    }
    actions_kind(actions.into_iter())
}

/// Trust when some action is `sts:AssumeRole*` and every other is a session action trust
/// policies carry; else resource. Only called once a principal is known to be named.
fn actions_kind<'a>(actions: impl Iterator<Item = &'a str>) -> PolicyKind {
    let mut assume = false;
    let mut all_trust = true;
    for action in actions {
        let lower = action.to_ascii_lowercase();
        let assume_role = lower.starts_with("sts:assumerole");
        assume |= assume_role;
        all_trust &= assume_role
            || matches!(
                lower.as_str(),
                "sts:tagsession" | "sts:setsourceidentity" | "sts:setcontext"
            );
    }
    if assume && all_trust {
        PolicyKind::Trust
    } else {
        PolicyKind::Resource
    }
}

/// Whether a file's name says it is a permissions boundary: `boundary` as a word of its stem
/// (`permissions-boundary.json`, `app_boundary.json`, `PermissionsBoundary.json.gz`), so an
/// identity policy file named so is judged as the boundary it is. `--kind` still forces.
pub fn named_as_boundary(file_name: &str) -> bool {
    // The extension's words (`json`, `gz`) are never `boundary`: no need to strip it, nor to
    // allocate (this runs once per input file).
    const CAMEL: &str = "permissionsboundary";
    file_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| {
            word.eq_ignore_ascii_case("boundary")
                || (word.len() >= CAMEL.len()
                    && word
                        .get(word.len() - CAMEL.len()..)
                        .is_some_and(|end| end.eq_ignore_ascii_case(CAMEL)))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn policies_by_principal_and_actions() {
        let identity = json!({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]});
        let trust = json!({"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]});
        let resource = json!({"Statement":{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}});
        assert_eq!(detect(&identity), Some(InputKind::Identity));
        assert_eq!(detect(&trust), Some(InputKind::Trust));
        assert_eq!(detect(&resource), Some(InputKind::Resource));
        assert_eq!(
            detect(&json!(identity.to_string())),
            Some(InputKind::Identity)
        );
    }

    /// The typed classification and the JSON one agree on every policy the engine parses:
    /// hand-written edge cases, the AWS managed policies and the CLI's seed fixtures.
    #[test]
    fn parsed_and_json_classification_agree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = [
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#,
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}}"#,
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"NotAction":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:TagSession"}]}"#,
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"},{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
            r#"{"Statement":[]}"#,
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for dir in [
            "../../../shared/corpus/aws-managed-policies",
            "../../cli/tests/fixtures/seeds",
        ] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
        }
        let mut compared = 0;
        for text in &texts {
            let Ok(policy) = policy_guard::policy::parse_policy(text) else {
                continue;
            };
            let value: Value = serde_json::from_str(text).unwrap();
            assert_eq!(parsed_policy_kind(&policy), policy_kind(&value), "{text}");
            compared += 1;
        }
        assert!(compared > 1_300, "{compared}");
    }

    #[test]
    fn boundary_file_names() {
        for name in [
            "permissions-boundary.json",
            "boundary.json",
            "app_boundary.json.gz",
            "PermissionsBoundary.json",
            "Boundary.JSON",
        ] {
            assert!(named_as_boundary(name), "{name}");
        }
        for name in ["boundaryless.json", "admin.json", "no-boundaries.json"] {
            assert!(!named_as_boundary(name), "{name}");
        }
    }

    #[test]
    fn other_inputs() {
        assert_eq!(detect(&json!({"Records": []})), Some(InputKind::Cloudtrail));
        assert_eq!(
            detect(&json!({"eventName":"PutRolePolicy","eventSource":"iam.amazonaws.com"})),
            Some(InputKind::Cloudtrail)
        );
        assert_eq!(
            detect(&json!({"detail-type":"AWS API Call via CloudTrail","detail":{}})),
            Some(InputKind::Cloudtrail)
        );
        assert_eq!(
            detect(&json!({"format_version":"1.2","planned_values":{}})),
            Some(InputKind::TerraformPlan)
        );
        assert_eq!(
            detect(&json!({"Policy":"{}","RevisionId":"x"})),
            Some(InputKind::LambdaPolicy)
        );
        assert_eq!(
            detect(&json!({"functionName":"f","authType":"NONE"})),
            Some(InputKind::FunctionUrl)
        );
        assert_eq!(detect(&json!({"name":"package","version":"1"})), None);
        assert_eq!(detect(&json!([1, 2])), None);
    }
}
