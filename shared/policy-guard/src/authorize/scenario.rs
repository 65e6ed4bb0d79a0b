//! The scenario format of `policy-guard simulate` and of the scenario corpus: one request and
//! every policy that applies, as JSON. Strict: unknown keys and wrong shapes are errors naming
//! their JSON path.

use super::{context_map, ContextMap, Decision, Policies, PolicyKind, Request};
use crate::policy::{parse_policy_json, ParseError, Policy};
use crate::text::quoted;
use serde_json::{Map, Value};

/// Larger inputs are refused before parsing: a scenario is a handful of policies (IAM's own
/// limits keep each under a few KB).
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;

/// Why a scenario cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("scenario is {0} bytes, more than the {max} allowed", max = MAX_SCENARIO_BYTES)]
    TooLarge(usize),
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{message} at `{path}`")]
    Shape { message: String, path: String },
    #[error("invalid policy at `{path}`: {source}")]
    Policy {
        path: String,
        #[source]
        source: ParseError,
    },
}

impl ScenarioError {
    /// The JSON path of the problem (empty for the document as a whole).
    pub fn path(&self) -> String {
        match self {
            ScenarioError::Shape { path, .. } => path.clone(),
            ScenarioError::Policy { path, source } => {
                let inner = source.location().pointer;
                if inner.is_empty() {
                    path.clone()
                } else {
                    format!("{path}.{inner}")
                }
            }
            _ => String::new(),
        }
    }
}

/// The request part of a scenario, owned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScenarioRequest {
    pub principal: String,
    pub action: String,
    pub resource: String,
    pub resource_account: Option<String>,
    pub principal_account: Option<String>,
    pub principal_in_management_account: bool,
    pub resource_in_management_account: bool,
    pub service_linked_role: Option<bool>,
    pub context: ContextMap,
}

/// What a corpus case expects (optional in `simulate` input, checked by the corpus test).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub decision: Decision,
    pub allowed_by: Option<Vec<PolicyKind>>,
    pub blocked_by: Option<Vec<PolicyKind>>,
    pub missing_context_keys: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub request: ScenarioRequest,
    pub identity_policies: Vec<Policy>,
    pub permissions_boundaries: Vec<Policy>,
    pub scps: Vec<Vec<Policy>>,
    pub rcps: Vec<Vec<Policy>>,
    pub resource_policy: Option<Policy>,
    pub session_policy: Option<Policy>,
    pub vpc_endpoint_policies: Vec<Policy>,
    pub expected: Option<Expected>,
    pub why: Option<String>,
    pub source: Option<String>,
}

impl Scenario {
    pub fn request(&self) -> Request<'_> {
        let r = &self.request;
        Request {
            principal: &r.principal,
            action: &r.action,
            resource: &r.resource,
            resource_account: r.resource_account.as_deref(),
            principal_account: r.principal_account.as_deref(),
            principal_in_management_account: r.principal_in_management_account,
            resource_in_management_account: r.resource_in_management_account,
            service_linked_role: r.service_linked_role,
            context: r.context.clone(),
        }
    }

    pub fn policies(&self) -> Policies<'_> {
        Policies {
            identity: &self.identity_policies,
            permissions_boundaries: &self.permissions_boundaries,
            scps: &self.scps,
            rcps: &self.rcps,
            resource: self.resource_policy.as_ref(),
            session: self.session_policy.as_ref(),
            vpc_endpoint: &self.vpc_endpoint_policies,
        }
    }
}

fn shape(message: impl Into<String>, path: &str) -> ScenarioError {
    ScenarioError::Shape {
        message: message.into(),
        path: path.to_string(),
    }
}

/// Reads one scenario from JSON text.
pub fn parse_scenario(text: &str) -> Result<Scenario, ScenarioError> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(ScenarioError::TooLarge(text.len()));
    }
    // serde_json refuses nesting deeper than 128 levels, so a deep document is an error here.
    let value: Value = serde_json::from_str(text).map_err(|e| ScenarioError::Json {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    let root = value
        .as_object()
        .ok_or_else(|| shape("a scenario must be a JSON object", ""))?;
    const KEYS: &[&str] = &[
        "request",
        "identity_policies",
        "permissions_boundaries",
        "scps",
        "rcps",
        "resource_policy",
        "session_policy",
        "vpc_endpoint_policies",
        "expected",
        "why",
        "source",
    ];
    known_keys(root, KEYS, "")?;
    let request = match root.get("request") {
        Some(v) => parse_request(v)?,
        None => return Err(shape("missing key `request`", "")),
    };
    Ok(Scenario {
        request,
        identity_policies: policy_list(root.get("identity_policies"), "identity_policies")?,
        permissions_boundaries: policy_list(
            root.get("permissions_boundaries"),
            "permissions_boundaries",
        )?,
        scps: levels(root.get("scps"), "scps")?,
        rcps: levels(root.get("rcps"), "rcps")?,
        resource_policy: optional_policy(root.get("resource_policy"), "resource_policy")?,
        session_policy: optional_policy(root.get("session_policy"), "session_policy")?,
        vpc_endpoint_policies: policy_list(
            root.get("vpc_endpoint_policies"),
            "vpc_endpoint_policies",
        )?,
        expected: root.get("expected").map(parse_expected).transpose()?,
        why: optional_string(root.get("why"), "why")?,
        source: optional_string(root.get("source"), "source")?,
    })
}

fn known_keys(object: &Map<String, Value>, keys: &[&str], path: &str) -> Result<(), ScenarioError> {
    match object.keys().find(|k| !keys.contains(&k.as_str())) {
        Some(unknown) => Err(shape(
            format!("unknown key {}", quoted(unknown)),
            &join(path, unknown),
        )),
        None => Ok(()),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn parse_request(value: &Value) -> Result<ScenarioRequest, ScenarioError> {
    let object = value
        .as_object()
        .ok_or_else(|| shape("`request` must be an object", "request"))?;
    known_keys(
        object,
        &[
            "principal",
            "action",
            "resource",
            "resource_account",
            "principal_account",
            "principal_in_management_account",
            "resource_in_management_account",
            "service_linked_role",
            "context",
        ],
        "request",
    )?;
    let required = |key: &str| -> Result<String, ScenarioError> {
        match object.get(key) {
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(shape("must be a string", &join("request", key))),
            None => Err(shape(format!("missing key `{key}`"), "request")),
        }
    };
    let flag = |key: &str| -> Result<Option<bool>, ScenarioError> {
        match object.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(shape("must be true or false", &join("request", key))),
        }
    };
    let resource = match object.get("resource") {
        None | Some(Value::Null) => "*".to_string(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(shape("must be a string", "request.resource")),
    };
    Ok(ScenarioRequest {
        principal: required("principal")?,
        action: required("action")?,
        resource,
        resource_account: optional_string(
            object.get("resource_account"),
            "request.resource_account",
        )?,
        principal_account: optional_string(
            object.get("principal_account"),
            "request.principal_account",
        )?,
        principal_in_management_account: flag("principal_in_management_account")?.unwrap_or(false),
        resource_in_management_account: flag("resource_in_management_account")?.unwrap_or(false),
        service_linked_role: flag("service_linked_role")?,
        context: parse_context(object.get("context"))?,
    })
}

fn parse_context(value: Option<&Value>) -> Result<ContextMap, ScenarioError> {
    let object = match value {
        None | Some(Value::Null) => return Ok(ContextMap::new()),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(shape("`context` must be an object", "request.context")),
    };
    let mut pairs = Vec::with_capacity(object.len());
    for (key, value) in object {
        let path = format!("request.context.{key}");
        let values = match value {
            // `null` or `[]`: the key is known to be absent from the request.
            Value::Null => Vec::new(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    scalar(item).ok_or_else(|| {
                        shape(
                            "context values must be strings, numbers or booleans",
                            &format!("{path}[{i}]"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
            other => vec![scalar(other).ok_or_else(|| {
                shape(
                    "a context value must be a string, number, boolean, list or null",
                    &path,
                )
            })?],
        };
        pairs.push((key.as_str(), values));
    }
    Ok(context_map(pairs))
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn optional_string(value: Option<&Value>, path: &str) -> Result<Option<String>, ScenarioError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(shape("must be a string", path)),
    }
}

fn policy(value: &Value, path: &str) -> Result<Policy, ScenarioError> {
    if !value.is_object() {
        return Err(shape("a policy must be a JSON object", path));
    }
    parse_policy_json(value).map_err(|source| ScenarioError::Policy {
        path: path.to_string(),
        source,
    })
}

fn optional_policy(value: Option<&Value>, path: &str) -> Result<Option<Policy>, ScenarioError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => policy(v, path).map(Some),
    }
}

fn policy_list(value: Option<&Value>, path: &str) -> Result<Vec<Policy>, ScenarioError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| policy(item, &format!("{path}[{i}]")))
            .collect(),
        Some(_) => Err(shape("must be a list of policies", path)),
    }
}

fn levels(value: Option<&Value>, path: &str) -> Result<Vec<Vec<Policy>>, ScenarioError> {
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let level = format!("{path}[{i}]");
                match item {
                    Value::Array(_) => policy_list(Some(item), &level),
                    _ => Err(shape(
                        "each level must be a list of policies (organization root first)",
                        &level,
                    )),
                }
            })
            .collect(),
        Some(_) => Err(shape(
            "must be a list of levels, each a list of policies",
            path,
        )),
    }
}

fn parse_decision(value: &Value, path: &str) -> Result<Decision, ScenarioError> {
    match value.as_str() {
        Some("Allowed") => Ok(Decision::Allowed),
        Some("ImplicitlyDenied") => Ok(Decision::ImplicitlyDenied),
        Some("ExplicitlyDenied") => Ok(Decision::ExplicitlyDenied),
        _ => Err(shape(
            "must be `Allowed`, `ImplicitlyDenied` or `ExplicitlyDenied`",
            path,
        )),
    }
}

/// `identity`, `resource`, `permissions-boundary`, `scp`, `rcp`, `session`, `vpc-endpoint`.
pub fn parse_kind(text: &str) -> Option<PolicyKind> {
    [
        PolicyKind::Identity,
        PolicyKind::Resource,
        PolicyKind::PermissionsBoundary,
        PolicyKind::Scp,
        PolicyKind::Rcp,
        PolicyKind::Session,
        PolicyKind::VpcEndpoint,
    ]
    .into_iter()
    .find(|k| k.as_str() == text)
}

fn kinds(value: Option<&Value>, path: &str) -> Result<Option<Vec<PolicyKind>>, ScenarioError> {
    let Some(value) = value else {
        return Ok(None);
    };
    let items = value
        .as_array()
        .ok_or_else(|| shape("must be a list of policy types", path))?;
    let mut out = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            item.as_str()
                .and_then(parse_kind)
                .ok_or_else(|| shape("unknown policy type", &format!("{path}[{i}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    out.sort();
    out.dedup();
    Ok(Some(out))
}

fn parse_expected(value: &Value) -> Result<Expected, ScenarioError> {
    let object = value
        .as_object()
        .ok_or_else(|| shape("`expected` must be an object", "expected"))?;
    known_keys(
        object,
        &[
            "decision",
            "allowed_by",
            "blocked_by",
            "missing_context_keys",
        ],
        "expected",
    )?;
    let decision = match object.get("decision") {
        Some(v) => parse_decision(v, "expected.decision")?,
        None => return Err(shape("missing key `decision`", "expected")),
    };
    let missing_context_keys = match object.get("missing_context_keys") {
        None => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str().map(str::to_string).ok_or_else(|| {
                        shape(
                            "must be a string",
                            &format!("expected.missing_context_keys[{i}]"),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
        Some(_) => return Err(shape("must be a list", "expected.missing_context_keys")),
    };
    Ok(Expected {
        decision,
        allowed_by: kinds(object.get("allowed_by"), "expected.allowed_by")?,
        blocked_by: kinds(object.get("blocked_by"), "expected.blocked_by")?,
        missing_context_keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_and_bad_policies_name_their_path() {
        let e = parse_scenario(
            r#"{"request":{"principal":"anonymous","action":"s3:GetObject"},"extra":1}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), "extra");
        let e = parse_scenario(
            r#"{"request":{"principal":"anonymous","action":"s3:GetObject","contxt":{}}}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), "request.contxt");
        let e = parse_scenario(
            r#"{"request":{"principal":"anonymous","action":"s3:GetObject"},
                "identity_policies":[{"Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}]}"#,
        )
        .unwrap_err();
        assert!(
            e.path().starts_with("identity_policies[0].Statement"),
            "{}",
            e.path()
        );
        let e = parse_scenario(
            r#"{"request":{"principal":"anonymous","action":"s3:GetObject"},"scps":[{}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), "scps[0]");
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            parse_scenario(&deep),
            Err(ScenarioError::Json { .. })
        ));
    }
}
