//! The IAM policy document model and its strict parser.
//!
//! [`parse_policy`] accepts a document as JSON, as a JSON string inside JSON (CloudTrail's
//! `requestParameters.policyDocument`) or URL-encoded (IAM's `GetPolicyVersion`). Every error
//! names where it happened (`Statement[2].Action[0]`, the statement's index and Sid).

mod condition;
mod decode;
pub mod json;
mod parse;

pub use condition::{ConditionOperator, OperatorFamily, SetQualifier};
pub use decode::{decode_document, DecodeError};
pub use parse::{parse_policy, parse_policy_json, ParseError};

use serde_json::{json, Map, Value};

/// Where in a document something is: the statement (index and Sid) and a JSON path such as
/// `Statement[2].Action[0]` (empty for the document as a whole).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement_index: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    pub pointer: String,
}

impl Location {
    /// The location of a whole statement, or of one of its elements when `element` is given.
    pub fn statement(policy: &Policy, statement: &Statement, element: Option<&str>) -> Location {
        let base = statement.pointer(policy.single_statement);
        Location {
            statement_index: Some(statement.index),
            sid: statement.sid.clone(),
            pointer: match element {
                Some(element) => format!("{base}.{element}"),
                None => base,
            },
        }
    }
}

/// A parsed policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// `2012-10-17`, `2008-10-17`, or absent (IAM then assumes 2008-10-17: no policy variables).
    pub version: Option<String>,
    pub id: Option<String>,
    pub statements: Vec<Statement>,
    /// Whether `Statement` was a single object rather than an array (for JSON paths).
    pub single_statement: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement, with its position in the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub index: usize,
    pub sid: Option<String>,
    pub effect: Effect,
    pub principal: Option<PrincipalSpec>,
    pub action: ActionSpec,
    /// Absent in trust policies, where the role itself is the resource.
    pub resource: Option<ResourceSpec>,
    pub conditions: Vec<Condition>,
}

/// `Principal` or `NotPrincipal`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalSpec {
    pub negated: bool,
    pub principals: Principals,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"Principal": "*"`: everyone, authenticated or not.
    Any,
    /// `{"AWS": [...], "Service": ...}` in document order.
    Listed(Vec<Principal>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    Aws,
    Service,
    Federated,
    CanonicalUser,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Aws => "AWS",
            PrincipalKind::Service => "Service",
            PrincipalKind::Federated => "Federated",
            PrincipalKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// `Action` or `NotAction`: patterns such as `s3:Get*`, matched case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionSpec {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// `Resource` or `NotResource`: ARN patterns, matched case-sensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceSpec {
    pub negated: bool,
    pub patterns: Vec<String>,
}

/// One `operator: {key: values}` entry of a `Condition` block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: ConditionOperator,
    pub key: String,
    pub values: Vec<String>,
}

impl Statement {
    /// `Statement[2]`, or `Statement` when the document has a single statement object.
    pub fn pointer(&self, single_statement: bool) -> String {
        if single_statement {
            "Statement".to_string()
        } else {
            format!("Statement[{}]", self.index)
        }
    }

    pub fn is_allow(&self) -> bool {
        self.effect == Effect::Allow
    }

    /// The action element's name as written: `Action` or `NotAction`.
    pub fn action_key(&self) -> &'static str {
        if self.action.negated {
            "NotAction"
        } else {
            "Action"
        }
    }

    pub fn resource_key(&self) -> &'static str {
        match &self.resource {
            Some(r) if r.negated => "NotResource",
            _ => "Resource",
        }
    }

    pub fn condition_keys(&self) -> impl Iterator<Item = &str> {
        self.conditions.iter().map(|c| c.key.as_str())
    }
}

impl Policy {
    /// The canonical JSON form: lists always arrays, principal types and condition blocks in
    /// sorted order (the order the parser keeps them in). Parsing it gives back an equal policy.
    pub fn to_json(&self) -> Value {
        let mut doc = Map::new();
        if let Some(version) = &self.version {
            doc.insert("Version".into(), json!(version));
        }
        if let Some(id) = &self.id {
            doc.insert("Id".into(), json!(id));
        }
        let statements: Vec<Value> = self.statements.iter().map(Statement::to_json).collect();
        let statement = match (self.single_statement, statements.as_slice()) {
            (true, [only]) => only.clone(),
            _ => Value::Array(statements),
        };
        doc.insert("Statement".into(), statement);
        Value::Object(doc)
    }
}

impl Statement {
    fn to_json(&self) -> Value {
        let mut out = Map::new();
        if let Some(sid) = &self.sid {
            out.insert("Sid".into(), json!(sid));
        }
        let effect = match self.effect {
            Effect::Allow => "Allow",
            Effect::Deny => "Deny",
        };
        out.insert("Effect".into(), json!(effect));
        if let Some(principal) = &self.principal {
            let key = if principal.negated {
                "NotPrincipal"
            } else {
                "Principal"
            };
            let value = match &principal.principals {
                Principals::Any => json!("*"),
                Principals::Listed(list) => {
                    let mut by_kind: Map<String, Value> = Map::new();
                    for p in list {
                        let entry = by_kind
                            .entry(p.kind.as_str().to_string())
                            .or_insert_with(|| Value::Array(Vec::new()));
                        if let Value::Array(values) = entry {
                            values.push(json!(p.value));
                        }
                    }
                    Value::Object(by_kind)
                }
            };
            out.insert(key.into(), value);
        }
        out.insert(self.action_key().into(), json!(self.action.patterns));
        if let Some(resource) = &self.resource {
            out.insert(self.resource_key().into(), json!(resource.patterns));
        }
        if !self.conditions.is_empty() {
            let mut block: Map<String, Value> = Map::new();
            for condition in &self.conditions {
                let entry = block
                    .entry(condition.operator.as_str().to_string())
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(keys) = entry {
                    keys.insert(condition.key.clone(), json!(condition.values));
                }
            }
            out.insert("Condition".into(), Value::Object(block));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse_policy(text).expect_err("document should be rejected")
    }

    #[test]
    fn parses_the_whole_grammar() {
        let policy = parse_policy(
            r#"{"Version":"2012-10-17","Id":"x","Statement":[
              {"Sid":"A","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"],"Service":"lambda.amazonaws.com"},
               "NotAction":"iam:*","Resource":"*",
               "Condition":{"ForAnyValue:StringLike":{"aws:TagKeys":["a*",1,true]},"Bool":{"aws:SecureTransport":"true"}}},
              {"Effect":"Deny","NotPrincipal":"*","Action":["s3:Get*"],"NotResource":["arn:aws:s3:::b/${aws:username}"]}
            ]}"#,
        )
        .unwrap();
        assert_eq!(policy.statements.len(), 2);
        let first = &policy.statements[0];
        assert_eq!(first.sid.as_deref(), Some("A"));
        assert!(first.action.negated);
        assert_eq!(first.conditions.len(), 2);
        let tags = first
            .conditions
            .iter()
            .find(|c| c.key == "aws:TagKeys")
            .unwrap();
        assert_eq!(tags.values, vec!["a*", "1", "true"]);
        let Some(PrincipalSpec {
            principals: Principals::Listed(list),
            ..
        }) = &first.principal
        else {
            panic!("listed principals expected")
        };
        assert_eq!(list.len(), 2);
        assert!(policy.statements[1].resource.as_ref().unwrap().negated);
    }

    #[test]
    fn single_statement_object_and_missing_version() {
        let policy =
            parse_policy(r#"{"Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#)
                .unwrap();
        assert!(policy.single_statement && policy.version.is_none());
        let location = Location::statement(&policy, &policy.statements[0], Some("Action"));
        assert_eq!(location.pointer, "Statement.Action");
    }

    #[test]
    fn errors_name_the_path_statement_and_sid() {
        let e = err(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
            {"Sid":"Bad","Effect":"Allow","Action":["s3:GetObject","GetObject"],"Resource":"*"}]}"#,
        );
        assert_eq!(
            e.to_string(),
            "invalid action `GetObject`: expected `service:Action` or `*` at `Statement[1].Action[1]`"
        );
        let location = e.location();
        assert_eq!(location.statement_index, Some(1));
        assert_eq!(location.sid.as_deref(), Some("Bad"));
    }

    #[test]
    fn rejects_what_iam_rejects() {
        let cases = [
            (
                r#"{"Statement":[{"Effect":"allow","Action":"*","Resource":"*"}]}"#,
                "invalid effect",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}]}"#,
                "mutually exclusive",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Effect":"Deny","Action":"*","Resource":"*"}]}"#,
                "duplicate key `Effect`",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Resource":"*"}]}"#,
                "missing `Action`",
            ),
            (
                r#"{"Version":"2020-01-01","Statement":[]}"#,
                "unsupported version",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringContains":{"a":"b"}}}]}"#,
                "unknown condition operator",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":5,"Resource":"*"}]}"#,
                "found a number",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Action":[],"Resource":"*"}]}"#,
                "empty list",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":"arn:aws:iam::1:root","Action":"*"}]}"#,
                "invalid principal",
            ),
            (
                r#"{"Statement":[{"Effect":"Allow","Principal":{"Users":"x"},"Action":"*"}]}"#,
                "unknown principal type",
            ),
            (r#"{"Statment":[]}"#, "unknown top-level key `Statment`"),
            (r#"{"Version":"2012-10-17"}"#, "missing `Statement`"),
            (r#"[1,2]"#, "expected an object"),
            (r#"{"Statement":"#, "invalid JSON"),
        ];
        for (text, expected) in cases {
            let message = err(text).to_string();
            assert!(message.contains(expected), "{text}: {message}");
        }
    }

    #[test]
    fn accepts_encoded_documents() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}"#;
        let encoded: String =
            percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC)
                .collect();
        let as_json_string = serde_json::to_string(text).unwrap();
        let plain = parse_policy(text).unwrap();
        assert_eq!(parse_policy(&encoded).unwrap(), plain);
        assert_eq!(parse_policy(&as_json_string).unwrap(), plain);
        assert_eq!(
            parse_policy_json(&serde_json::Value::String(text.into())).unwrap(),
            plain
        );
    }

    #[test]
    fn canonical_json_round_trips() {
        let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"S","Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},
            "Action":"s3:*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:SourceVpc":["vpc-1"]}}}]}"#;
        let policy = parse_policy(text).unwrap();
        let again = parse_policy(&policy.to_json().to_string()).unwrap();
        assert_eq!(policy, again);
    }
}
