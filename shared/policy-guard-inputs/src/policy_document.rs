//! An `aws_iam_policy_document` data source whose `json` Terraform knows only after apply (it
//! is read during apply because it refers to a resource of the same plan), rebuilt from its
//! `statement` blocks: what is known is judged, each unknown value is a placeholder or leaves
//! out what it stands for, and every one of them is listed.

use serde_json::{json, Map, Value};

/// A value of a policy document Terraform knows only after apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue {
    /// Where in the data source: `statement[0].resources[0]`.
    pub path: String,
    /// The configuration's reference the value comes from (`aws_sqs_queue.q.arn`), when the
    /// configuration names exactly one.
    pub reference: Option<String>,
    /// How the value was judged.
    pub treatment: Treatment,
}

/// How an unknown value was judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Treatment {
    /// Replaced by this placeholder (an ARN of the referenced resource's type, or a value that
    /// matches nothing broad).
    Placeholder(String),
    /// A condition value: checked as present.
    ConditionPresent,
    /// An action (or a principal, the effect, a source document): the statement it is in was
    /// not judged.
    StatementLeftOut,
    /// Not judged at all: the whole document is unknown in a way blocks cannot rebuild.
    DocumentLeftOut,
}

/// What a resource reference resolves to for a placeholder: the referenced resource's type and
/// planned values.
pub trait Placeholders {
    /// A placeholder ARN for `reference` (`aws_sqs_queue.q.arn`): one resource of that type.
    fn arn_for(&self, reference: &str) -> Option<String>;
}

/// The value every unknown resource without a known type becomes: an ARN of no service, which
/// matches no action's resource type and nothing broad.
pub const UNKNOWN_RESOURCE: &str = "arn:aws:unknown:::known-after-apply";

use crate::terraform::KNOWN_AFTER_APPLY;

/// The rebuilt document (`None` when nothing can be judged) and the unknown values.
pub fn rebuild(
    values: &Value,
    unknown: Option<&Value>,
    expressions: Option<&Value>,
    placeholders: &dyn Placeholders,
) -> (Option<String>, Vec<UnknownValue>) {
    let mut unknowns = Vec::new();
    // Source and override documents merge into the statements: the merge is not rebuilt, so
    // with any of them (known or not) nothing is certain.
    for field in [
        "source_json",
        "override_json",
        "source_policy_documents",
        "override_policy_documents",
    ] {
        let present = values
            .get(field)
            .is_some_and(|v| !v.is_null() && v != &json!([]));
        if present || is_unknown(unknown.and_then(|u| u.get(field))) {
            unknowns.push(UnknownValue {
                path: field.to_string(),
                reference: single_reference(expressions.and_then(|e| e.get(field))),
                treatment: Treatment::DocumentLeftOut,
            });
            return (None, unknowns);
        }
    }
    let mut document = Map::new();
    document.insert("Version".into(), json!("2012-10-17"));
    if let Some(version) = values.get("version").and_then(Value::as_str) {
        document.insert("Version".into(), json!(version));
    }
    if let Some(id) = values.get("policy_id").and_then(Value::as_str) {
        document.insert("Id".into(), json!(id));
    }
    let blocks = values
        .get("statement")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut statements = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        let block_unknown = unknown
            .and_then(|u| u.get("statement"))
            .and_then(|s| s.get(i));
        let block_expressions = expressions
            .and_then(|e| e.get("statement"))
            .and_then(|s| s.get(i));
        let mut context = Statement {
            index: i,
            unknown: block_unknown,
            expressions: block_expressions,
            placeholders,
            unknowns: Vec::new(),
            left_out: false,
        };
        let statement = context.build(block);
        unknowns.append(&mut context.unknowns);
        if !context.left_out {
            statements.push(statement);
        }
    }
    if is_unknown(unknown.and_then(|u| u.get("statement"))) {
        unknowns.push(UnknownValue {
            path: "statement".to_string(),
            reference: None,
            treatment: Treatment::DocumentLeftOut,
        });
        return (None, unknowns);
    }
    if statements.is_empty() && !blocks.is_empty() {
        // Every statement left out: nothing was judged, and an empty document is no verdict.
        return (None, unknowns);
    }
    document.insert("Statement".into(), Value::Array(statements));
    (Some(Value::Object(document).to_string()), unknowns)
}

struct Statement<'a> {
    index: usize,
    unknown: Option<&'a Value>,
    expressions: Option<&'a Value>,
    placeholders: &'a dyn Placeholders,
    unknowns: Vec<UnknownValue>,
    left_out: bool,
}

impl Statement<'_> {
    fn build(&mut self, block: &Value) -> Value {
        let mut out = Map::new();
        if let Some(sid) = block.get("sid").and_then(Value::as_str) {
            out.insert("Sid".into(), json!(sid));
        }
        match block.get("effect").and_then(Value::as_str) {
            Some(effect) => {
                out.insert("Effect".into(), json!(effect));
            }
            None if self.field_unknown("effect") => self.leave_out("effect"),
            None => {
                out.insert("Effect".into(), json!("Allow"));
            }
        }
        for (field, key) in [("actions", "Action"), ("not_actions", "NotAction")] {
            if let Some(actions) = self.actions(block, field) {
                out.insert(key.into(), actions);
            }
        }
        for (field, key) in [("resources", "Resource"), ("not_resources", "NotResource")] {
            if let Some(resources) = self.resources(block, field) {
                out.insert(key.into(), resources);
            }
        }
        for (field, key) in [
            ("principals", "Principal"),
            ("not_principals", "NotPrincipal"),
        ] {
            if let Some(principals) = self.principals(block, field) {
                out.insert(key.into(), principals);
            }
        }
        if let Some(condition) = self.condition(block) {
            out.insert("Condition".into(), condition);
        }
        Value::Object(out)
    }

    fn path(&self, rest: &str) -> String {
        format!("statement[{}].{rest}", self.index)
    }

    fn field_unknown(&self, field: &str) -> bool {
        is_unknown(self.unknown.and_then(|u| u.get(field)))
    }

    fn reference(&self, field: &str) -> Option<String> {
        single_reference(self.expressions.and_then(|e| e.get(field)))
    }

    fn leave_out(&mut self, field: &str) {
        self.left_out = true;
        self.unknowns.push(UnknownValue {
            path: self.path(field),
            reference: self.reference(field),
            treatment: Treatment::StatementLeftOut,
        });
    }

    /// An action list with an unknown element (or unknown as a whole) leaves the statement out.
    fn actions(&mut self, block: &Value, field: &str) -> Option<Value> {
        if self.field_unknown(field) {
            self.leave_out(field);
            return None;
        }
        let items = block.get(field).and_then(Value::as_array)?;
        let field_unknown = self.unknown.and_then(|u| u.get(field));
        let mut actions = Vec::new();
        for (j, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(action) if !is_unknown(field_unknown.and_then(|u| u.get(j))) => {
                    actions.push(json!(action));
                }
                _ => {
                    self.left_out = true;
                    self.unknowns.push(UnknownValue {
                        path: self.path(&format!("{field}[{j}]")),
                        reference: self.reference(field),
                        treatment: Treatment::StatementLeftOut,
                    });
                }
            }
        }
        Some(Value::Array(actions))
    }

    /// Unknown resources become placeholders: one resource of the referenced type.
    fn resources(&mut self, block: &Value, field: &str) -> Option<Value> {
        let reference = self.reference(field);
        let placeholder = || {
            reference
                .as_deref()
                .and_then(|r| self.placeholders.arn_for(r))
                .unwrap_or_else(|| UNKNOWN_RESOURCE.to_string())
        };
        if self.field_unknown(field) {
            let value = placeholder();
            self.unknowns.push(UnknownValue {
                path: self.path(field),
                reference: reference.clone(),
                treatment: Treatment::Placeholder(value.clone()),
            });
            return Some(json!([value]));
        }
        let items = block.get(field).and_then(Value::as_array)?;
        let field_unknown = self.unknown.and_then(|u| u.get(field));
        let mut resources = Vec::new();
        let mut found = Vec::new();
        for (j, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(resource) if !is_unknown(field_unknown.and_then(|u| u.get(j))) => {
                    resources.push(json!(resource));
                }
                _ => {
                    let value = placeholder();
                    resources.push(json!(value));
                    found.push(UnknownValue {
                        path: self.path(&format!("{field}[{j}]")),
                        reference: reference.clone(),
                        treatment: Treatment::Placeholder(value),
                    });
                }
            }
        }
        self.unknowns.append(&mut found);
        Some(Value::Array(resources))
    }

    /// Principals: an unknown identifier leaves the statement out (a placeholder account
    /// would decide who is foreign).
    fn principals(&mut self, block: &Value, field: &str) -> Option<Value> {
        if self.field_unknown(field) {
            self.leave_out(field);
            return None;
        }
        let blocks = block.get(field).and_then(Value::as_array)?;
        if blocks.is_empty() {
            return None;
        }
        let mut out = Map::new();
        for (k, principal) in blocks.iter().enumerate() {
            let kind = principal.get("type").and_then(Value::as_str);
            let principal_unknown = self
                .unknown
                .and_then(|u| u.get(field))
                .and_then(|u| u.get(k));
            let identifiers = principal.get("identifiers").and_then(Value::as_array);
            let any_unknown = is_unknown(principal_unknown.and_then(|u| u.get("type")))
                || is_unknown(principal_unknown.and_then(|u| u.get("identifiers")))
                || identifiers.is_some_and(|ids| ids.iter().any(|i| !i.is_string()));
            let (Some(kind), Some(identifiers), false) = (kind, identifiers, any_unknown) else {
                self.leave_out(&format!("{field}[{k}]"));
                return None;
            };
            let entry = out
                .entry(kind.to_string())
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(list) = entry {
                list.extend(identifiers.iter().cloned());
            }
        }
        Some(Value::Object(out))
    }

    /// Conditions: an unknown value is checked as present.
    fn condition(&mut self, block: &Value) -> Option<Value> {
        let blocks = block.get("condition").and_then(Value::as_array)?;
        if blocks.is_empty() {
            return None;
        }
        let mut out: Map<String, Value> = Map::new();
        for (k, condition) in blocks.iter().enumerate() {
            let condition_unknown = self
                .unknown
                .and_then(|u| u.get("condition"))
                .and_then(|u| u.get(k));
            let (Some(test), Some(variable)) = (
                condition.get("test").and_then(Value::as_str),
                condition.get("variable").and_then(Value::as_str),
            ) else {
                self.leave_out(&format!("condition[{k}]"));
                return None;
            };
            let mut values = Vec::new();
            let values_unknown = condition_unknown.and_then(|u| u.get("values"));
            let items = condition
                .get("values")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if is_unknown(values_unknown) {
                values.push(json!(KNOWN_AFTER_APPLY));
                self.unknowns.push(UnknownValue {
                    path: self.path(&format!("condition[{k}].values")),
                    reference: None,
                    treatment: Treatment::ConditionPresent,
                });
            }
            for (j, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(value) if !is_unknown(values_unknown.and_then(|u| u.get(j))) => {
                        values.push(json!(value));
                    }
                    _ => {
                        values.push(json!(KNOWN_AFTER_APPLY));
                        self.unknowns.push(UnknownValue {
                            path: self.path(&format!("condition[{k}].values[{j}]")),
                            reference: None,
                            treatment: Treatment::ConditionPresent,
                        });
                    }
                }
            }
            let operator = out
                .entry(test.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(keys) = operator {
                keys.insert(variable.to_string(), Value::Array(values));
            }
        }
        Some(Value::Object(out))
    }
}

/// `true` in `after_unknown` (at any depth: the caller walks down to the value).
pub fn is_unknown(value: Option<&Value>) -> bool {
    value == Some(&Value::Bool(true))
}

/// The one resource attribute an expression refers to (`aws_sqs_queue.q.arn`), ignoring the
/// bare resource address Terraform lists next to it; `None` when it names none or several.
fn single_reference(expression: Option<&Value>) -> Option<String> {
    let references: Vec<&str> = expression?
        .get("references")?
        .as_array()?
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let attributes: Vec<&str> = references
        .iter()
        .copied()
        .filter(|r| {
            !references
                .iter()
                .any(|other| other.starts_with(&format!("{r}.")))
        })
        .collect();
    match attributes.as_slice() {
        [one] => Some((*one).to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Queue;
    impl Placeholders for Queue {
        fn arn_for(&self, reference: &str) -> Option<String> {
            (reference == "aws_sqs_queue.q.arn")
                .then(|| "arn:aws:sqs:us-east-1:111122223333:orders".to_string())
        }
    }

    #[test]
    fn unknown_values_become_placeholders_or_leave_their_statement_out() {
        let values = json!({"statement": [
            {"sid": "Q", "actions": ["sqs:SendMessage"], "resources": [null], "effect": null,
             "condition": [{"test": "StringEquals", "variable": "aws:SourceArn", "values": [null]}]},
            {"actions": [null, "s3:GetObject"], "resources": ["*"]},
            {"actions": ["*"], "resources": ["*"]}
        ]});
        let unknown = json!({"json": true, "statement": [
            {"resources": [true], "condition": [{"values": [true]}]},
            {"actions": [true, false]},
            {}
        ]});
        let expressions = json!({"statement": [
            {"resources": {"references": ["aws_sqs_queue.q.arn", "aws_sqs_queue.q"]}},
            {"actions": {"references": ["var.a"]}}
        ]});
        let (document, unknowns) = rebuild(&values, Some(&unknown), Some(&expressions), &Queue);
        let document: Value = serde_json::from_str(&document.unwrap()).unwrap();
        assert_eq!(
            document["Statement"],
            json!([
                {"Sid": "Q", "Effect": "Allow", "Action": ["sqs:SendMessage"],
                 "Resource": ["arn:aws:sqs:us-east-1:111122223333:orders"],
                 "Condition": {"StringEquals": {"aws:SourceArn": ["(known after apply)"]}}},
                {"Effect": "Allow", "Action": ["*"], "Resource": ["*"]}
            ])
        );
        let paths: Vec<(&str, &Treatment)> = unknowns
            .iter()
            .map(|u| (u.path.as_str(), &u.treatment))
            .collect();
        assert_eq!(
            paths,
            vec![
                (
                    "statement[0].resources[0]",
                    &Treatment::Placeholder("arn:aws:sqs:us-east-1:111122223333:orders".into())
                ),
                (
                    "statement[0].condition[0].values[0]",
                    &Treatment::ConditionPresent
                ),
                ("statement[1].actions[0]", &Treatment::StatementLeftOut),
            ]
        );
        assert_eq!(
            unknowns[0].reference.as_deref(),
            Some("aws_sqs_queue.q.arn")
        );
        assert_eq!(unknowns[2].reference.as_deref(), Some("var.a"));
    }

    #[test]
    fn unknown_source_documents_leave_the_document_out() {
        let values = json!({"source_policy_documents": null, "statement": []});
        let unknown = json!({"source_policy_documents": true});
        let (document, unknowns) = rebuild(&values, Some(&unknown), None, &Queue);
        assert!(document.is_none());
        assert_eq!(unknowns[0].treatment, Treatment::DocumentLeftOut);
    }
}
