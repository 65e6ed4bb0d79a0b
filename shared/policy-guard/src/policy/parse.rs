//! The strict parser: IAM's grammar, every deviation an error with its JSON path.

use super::json::{self, Json};
use super::{
    decode_document, ActionSpec, Condition, ConditionOperator, DecodeError, Effect, Location,
    Policy, Principal, PrincipalKind, PrincipalSpec, Principals, ResourceSpec, Statement,
};
use crate::text::quoted;
use std::borrow::Cow;
use std::collections::HashSet;

/// Why a document is not a valid IAM policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error(transparent)]
    Decode(#[from] DecodeError),
    #[error("invalid JSON at line {line} column {column}: {message}")]
    Json {
        message: String,
        line: usize,
        column: usize,
    },
    #[error("{message} at `{}`", location.pointer)]
    Grammar { message: String, location: Location },
}

impl ParseError {
    /// Where the error is; the document root for encoding and JSON syntax errors.
    pub fn location(&self) -> Location {
        match self {
            ParseError::Grammar { location, .. } => location.clone(),
            _ => Location::default(),
        }
    }
}

/// Parses a policy document given as JSON text, a JSON string, or URL-encoded text.
pub fn parse_policy(text: &str) -> Result<Policy, ParseError> {
    let decoded = decode_document(text)?;
    let tree = json::parse(&decoded).map_err(|e| ParseError::Json {
        message: e.to_string(),
        line: e.line(),
        column: e.column(),
    })?;
    Parser::default().policy(&tree)
}

/// Parses a document that is already a JSON value: an object, or a string holding the document
/// (as in CloudTrail's `requestParameters`).
pub fn parse_policy_json(value: &serde_json::Value) -> Result<Policy, ParseError> {
    match value {
        serde_json::Value::String(text) => parse_policy(text),
        other => parse_policy(&other.to_string()),
    }
}

#[derive(Default)]
struct Parser {
    statement_index: Option<usize>,
    sid: Option<String>,
}

impl Parser {
    fn error(&self, pointer: impl Into<String>, message: impl Into<String>) -> ParseError {
        ParseError::Grammar {
            message: message.into(),
            location: Location {
                statement_index: self.statement_index,
                sid: self.sid.clone(),
                pointer: pointer.into(),
            },
        }
    }

    fn object<'a>(
        &self,
        value: &'a Json<'a>,
        path: &Path<'_>,
    ) -> Result<&'a [(Cow<'a, str>, Json<'a>)], ParseError> {
        let Json::Object(entries) = value else {
            return Err(self.error(
                path.render(),
                format!("expected an object, found {}", value.type_name()),
            ));
        };
        // Pairwise for the few keys of a real policy; hashed for a hostile object of many.
        let duplicate = if entries.len() <= 16 {
            entries.iter().enumerate().find_map(|(i, (key, _))| {
                entries
                    .iter()
                    .take(i)
                    .any(|(earlier, _)| earlier == key)
                    .then_some(key)
            })
        } else {
            let mut seen = HashSet::with_capacity(entries.len());
            entries
                .iter()
                .find_map(|(key, _)| (!seen.insert(key.as_ref())).then_some(key))
        };
        if let Some(key) = duplicate {
            return Err(self.error(
                path.key(key).render(),
                format!("duplicate key {}", quoted(key)),
            ));
        }
        Ok(entries)
    }

    fn policy(&mut self, value: &Json) -> Result<Policy, ParseError> {
        let entries = self.object(value, &Path::Root)?;
        let mut version = None;
        let mut id = None;
        let mut statement = None;
        for (key, value) in entries {
            match key.as_ref() {
                "Version" => {
                    let text = self.string(value, &Path::Root.key("Version"))?;
                    if text != "2012-10-17" && text != "2008-10-17" {
                        return Err(self.error(
                            "Version",
                            format!(
                                "unsupported version {}: expected `2012-10-17` or `2008-10-17`",
                                quoted(&text)
                            ),
                        ));
                    }
                    version = Some(text);
                }
                "Id" => id = Some(self.string(value, &Path::Root.key("Id"))?),
                "Statement" => statement = Some(value),
                other => {
                    return Err(self.error(
                        join("", other),
                        format!("unknown top-level key {}", quoted(other)),
                    ))
                }
            }
        }
        let Some(statement) = statement else {
            return Err(self.error("", "missing `Statement`"));
        };
        let (single_statement, items): (bool, Vec<(Option<usize>, &Json)>) = match statement {
            Json::Array(items) => (
                false,
                items
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (Some(i), s))
                    .collect(),
            ),
            Json::Object(_) => (true, vec![(None, statement)]),
            other => {
                return Err(self.error(
                    "Statement",
                    format!(
                        "expected an object or an array of objects, found {}",
                        other.type_name()
                    ),
                ))
            }
        };
        let mut statements = Vec::with_capacity(items.len());
        let statement_path = Path::Root.key("Statement");
        for (index, (element, item)) in items.into_iter().enumerate() {
            let path = match element {
                Some(i) => statement_path.index(i),
                None => statement_path,
            };
            statements.push(self.statement(index, &path, item)?);
        }
        Ok(Policy {
            version,
            id,
            statements,
            single_statement,
        })
    }

    fn statement(
        &mut self,
        index: usize,
        path: &Path<'_>,
        value: &Json,
    ) -> Result<Statement, ParseError> {
        self.statement_index = Some(index);
        self.sid = None;
        let entries = self.object(value, path)?;
        // The Sid first, so that every later error can name it.
        if let Some((_, sid)) = entries.iter().find(|(k, _)| k == "Sid") {
            let sid = self.string(sid, &path.key("Sid"))?;
            self.sid = Some(sid);
        }
        let mut effect = None;
        let mut principal = None;
        let mut action = None;
        let mut resource = None;
        let mut conditions = Vec::new();
        for (key, value) in entries {
            let here = path.key(key);
            match key.as_ref() {
                "Sid" => {}
                "Effect" => {
                    effect = Some(match self.string(value, &here)?.as_str() {
                        "Allow" => Effect::Allow,
                        "Deny" => Effect::Deny,
                        other => {
                            return Err(self.error(
                                here.render(),
                                format!(
                                    "invalid effect {}: expected `Allow` or `Deny`",
                                    quoted(other)
                                ),
                            ))
                        }
                    })
                }
                "Principal" | "NotPrincipal" => {
                    if principal.is_some() {
                        return Err(self.error(
                            here.render(),
                            "`Principal` and `NotPrincipal` are mutually exclusive",
                        ));
                    }
                    principal = Some(PrincipalSpec {
                        negated: key == "NotPrincipal",
                        principals: self.principals(value, &here)?,
                    });
                }
                "Action" | "NotAction" => {
                    if action.is_some() {
                        return Err(self.error(
                            here.render(),
                            "`Action` and `NotAction` are mutually exclusive",
                        ));
                    }
                    let patterns = self.string_list(value, &here)?;
                    for (i, pattern) in patterns.iter().enumerate() {
                        self.check_action_syntax(pattern, || here.index(i).render())?;
                    }
                    action = Some(ActionSpec {
                        negated: key == "NotAction",
                        patterns,
                    });
                }
                "Resource" | "NotResource" => {
                    if resource.is_some() {
                        return Err(self.error(
                            here.render(),
                            "`Resource` and `NotResource` are mutually exclusive",
                        ));
                    }
                    let patterns = self.string_list(value, &here)?;
                    resource = Some(ResourceSpec {
                        negated: key == "NotResource",
                        patterns,
                    });
                }
                "Condition" => conditions = self.conditions(value, &here)?,
                other => {
                    return Err(self.error(
                        here.render(),
                        format!("unknown statement key {}", quoted(other)),
                    ))
                }
            }
        }
        let Some(effect) = effect else {
            return Err(self.error(path.render(), "missing `Effect`"));
        };
        let Some(action) = action else {
            return Err(self.error(path.render(), "missing `Action` or `NotAction`"));
        };
        Ok(Statement {
            index,
            sid: self.sid.clone(),
            effect,
            principal,
            action,
            resource,
            conditions,
        })
    }

    /// `pointer` is only built for an error: most documents have none.
    fn check_action_syntax(
        &self,
        pattern: &str,
        pointer: impl FnOnce() -> String,
    ) -> Result<(), ParseError> {
        if pattern == "*" {
            return Ok(());
        }
        if is_action_syntax(pattern) {
            Ok(())
        } else {
            Err(self.error(
                pointer(),
                format!(
                    "invalid action {}: expected `service:Action` or `*`",
                    quoted(pattern)
                ),
            ))
        }
    }

    fn string(&self, value: &Json, path: &Path<'_>) -> Result<String, ParseError> {
        match value {
            Json::String(s) => Ok(s.to_string()),
            other => Err(self.error(
                path.render(),
                format!("expected a string, found {}", other.type_name()),
            )),
        }
    }

    /// A string or a non-empty array of strings.
    fn string_list(&self, value: &Json, path: &Path<'_>) -> Result<Vec<String>, ParseError> {
        let list = match value {
            Json::String(s) => vec![s.to_string()],
            Json::Array(items) => {
                if items.is_empty() {
                    return Err(self.error(path.render(), "empty list"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Json::String(s) => Ok(s.to_string()),
                        other => self.string(other, &path.index(i)),
                    })
                    .collect::<Result<_, _>>()?
            }
            other => {
                return Err(self.error(
                    path.render(),
                    format!(
                        "expected a string or an array of strings, found {}",
                        other.type_name()
                    ),
                ))
            }
        };
        if let Some(i) = list.iter().position(|s| s.is_empty()) {
            return Err(self.error(path.index(i).render(), "empty string"));
        }
        Ok(list)
    }

    fn principals(&self, value: &Json, path: &Path<'_>) -> Result<Principals, ParseError> {
        if let Json::String(s) = value {
            return if s == "*" {
                Ok(Principals::Any)
            } else {
                Err(self.error(
                    path.render(),
                    format!(
                        "invalid principal {}: expected `*` or an object such as {{\"AWS\": ...}}",
                        quoted(s)
                    ),
                ))
            };
        }
        let entries = self.object(value, path)?;
        if entries.is_empty() {
            return Err(self.error(path.render(), "empty principal object"));
        }
        let mut principals = Vec::new();
        for (key, values) in entries {
            let here = path.key(key);
            let kind = match key.as_ref() {
                "AWS" => PrincipalKind::Aws,
                "Service" => PrincipalKind::Service,
                "Federated" => PrincipalKind::Federated,
                "CanonicalUser" => PrincipalKind::CanonicalUser,
                other => {
                    return Err(self.error(
                        here.render(),
                        format!("unknown principal type {}: expected `AWS`, `Service`, `Federated` or `CanonicalUser`", quoted(other)),
                    ))
                }
            };
            for value in self.string_list(values, &here)? {
                principals.push(Principal { kind, value });
            }
        }
        // Order is meaningless to IAM; keeping the canonical one (by type, as serialized) makes
        // parse → to_json → parse an identity.
        principals.sort_by(|a, b| a.kind.as_str().cmp(b.kind.as_str()));
        Ok(Principals::Listed(principals))
    }

    fn conditions(&self, value: &Json, path: &Path<'_>) -> Result<Vec<Condition>, ParseError> {
        let mut out = Vec::new();
        for (operator_text, block) in self.object(value, path)? {
            let here = path.key(operator_text);
            let Some(operator) = ConditionOperator::parse(operator_text) else {
                return Err(self.error(
                    here.render(),
                    format!("unknown condition operator {}", quoted(operator_text)),
                ));
            };
            for (key, values) in self.object(block, &here)? {
                let key_path = here.key(key);
                if key.is_empty() {
                    return Err(self.error(key_path.render(), "empty condition key"));
                }
                let values = self.condition_values(values, &key_path)?;
                out.push(Condition {
                    operator: operator.clone(),
                    key: key.to_string(),
                    values,
                });
            }
        }
        // Canonical order (operator, then key), the order `Policy::to_json` writes.
        out.sort_by(|a, b| {
            (a.operator.as_str(), a.key.as_str()).cmp(&(b.operator.as_str(), b.key.as_str()))
        });
        Ok(out)
    }

    /// Condition values: strings, numbers or booleans, alone or in an array; kept as text.
    fn condition_values(&self, value: &Json, path: &Path<'_>) -> Result<Vec<String>, ParseError> {
        let scalar = |v: &Json, at: &Path<'_>| -> Result<String, ParseError> {
            match v {
                Json::String(s) => Ok(s.to_string()),
                Json::Number(n) => Ok(n.to_string()),
                Json::Bool(b) => Ok(b.to_string()),
                other => Err(self.error(
                    at.render(),
                    format!(
                        "expected a string, number or boolean, found {}",
                        other.type_name()
                    ),
                )),
            }
        };
        match value {
            Json::Array(items) => {
                if items.is_empty() {
                    return Err(self.error(path.render(), "empty list of condition values"));
                }
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| match item {
                        Json::String(s) => Ok(s.to_string()),
                        other => scalar(other, &path.index(i)),
                    })
                    .collect()
            }
            other => Ok(vec![scalar(other, path)?]),
        }
    }
}

/// Where the parser is in the document. Only an error needs it as text ([`Path::render`]): a
/// valid document, the common case, is parsed without building a pointer for each key.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    fn key<'b>(&'b self, key: &'b str) -> Path<'b> {
        Path::Key(self, key)
    }

    fn index(&self, index: usize) -> Path<'_> {
        Path::Index(self, index)
    }

    /// `Statement[2].Condition.StringEquals.aws:SourceVpc`.
    fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => join(&parent.render(), key),
            Path::Index(parent, index) => format!("{}[{index}]", parent.render()),
        }
    }
}

/// Extends a JSON path. Keys are attacker-controlled: escaped and bounded like any quoted value.
fn join(pointer: &str, key: &str) -> String {
    let key = crate::text::sanitize(key, crate::text::QUOTE_MAX);
    if pointer.is_empty() {
        return key;
    }
    // Built by hand: this runs for every key of every statement, and `format!` was a
    // noticeable part of parsing.
    let mut path = String::with_capacity(pointer.len() + 1 + key.len());
    path.push_str(pointer);
    path.push('.');
    path.push_str(&key);
    path
}

/// `service:Action`: a non-empty service of ASCII letters, digits, `-` and wildcards, one `:`,
/// and a non-empty name that may also hold `_` and `.`. One pass over the bytes: every action
/// of every document goes through here.
fn is_action_syntax(pattern: &str) -> bool {
    let bytes = pattern.as_bytes();
    let Some(colon) = bytes.iter().position(|&b| b == b':') else {
        return false;
    };
    let (service, name) = bytes.split_at(colon);
    let name = name.get(1..).unwrap_or(&[]);
    !service.is_empty()
        && !name.is_empty()
        && service
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'*' | b'?'))
        && name
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'*' | b'?' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition in words, character by character: the byte scan must agree with it.
    fn action_syntax_by_chars(pattern: &str) -> bool {
        match pattern.split_once(':') {
            Some((service, name)) => {
                !service.is_empty()
                    && !name.is_empty()
                    && !name.contains(':')
                    && service
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '*' | '?'))
                    && name.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '*' | '?' | '.')
                    })
            }
            None => false,
        }
    }

    #[test]
    fn action_syntax_examples() {
        for valid in [
            "s3:GetObject",
            "s3:Get*",
            "*:*",
            "ec2:Describe?",
            "a-b:c_d.e",
        ] {
            assert!(is_action_syntax(valid), "{valid}");
        }
        for invalid in [
            "s3",
            "s3:",
            ":Get",
            "s3:Get:Object",
            "s_3:Get",
            "s3:Gét",
            "s3 :Get",
            "",
        ] {
            assert!(!is_action_syntax(invalid), "{invalid}");
        }
    }

    proptest::proptest! {
        #[test]
        fn action_syntax_agrees_with_the_char_definition(pattern in "[a-zA-Z0-9:*?._ é-]{0,12}") {
            proptest::prop_assert_eq!(is_action_syntax(&pattern), action_syntax_by_chars(&pattern));
        }
    }
}
