//! Whether one statement applies to one request: action, resource (with policy variables) and
//! conditions, three-valued. The statement matcher of [`super::authorize`], the one request
//! evaluator.

use crate::eval::conditions::{evaluate_condition, Truth};
use crate::matching::{wildcard_match, wildcard_match_ignore_case};
use crate::policy::{Condition, OperatorFamily, Policy, SetQualifier, Statement};
use std::collections::BTreeMap;

/// Request context keyed by lower-cased key name. An empty list is a key known to be absent; a
/// key not in the map was not given, and anything that needs it is unknown.
pub type ContextMap = BTreeMap<String, Vec<String>>;

/// How the matcher treats what the caller did not say.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mode {
    /// Substitute `${...}` policy variables (IAM does only for `Version: 2012-10-17`).
    pub variables: bool,
}

/// The context keys an unknown outcome needed, as the policy spelled them.
#[derive(Debug, Default)]
pub(crate) struct Missing {
    pub keys: Vec<String>,
}

impl Missing {
    fn note(&mut self, key: &str) {
        if !self.keys.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            self.keys.push(key.to_string());
        }
    }
}

fn and(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::False, _) | (_, Truth::False) => Truth::False,
        (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
        _ => Truth::True,
    }
}

fn or(a: Truth, b: Truth) -> Truth {
    match (a, b) {
        (Truth::True, _) | (_, Truth::True) => Truth::True,
        (Truth::Unknown, _) | (_, Truth::Unknown) => Truth::Unknown,
        _ => Truth::False,
    }
}

fn not(a: Truth) -> Truth {
    match a {
        Truth::True => Truth::False,
        Truth::False => Truth::True,
        Truth::Unknown => Truth::Unknown,
    }
}

/// Whether the statement's `Action` / `NotAction` covers `action` (case-insensitive).
pub(crate) fn action_matches(statement: &Statement, action: &str) -> bool {
    let hit = statement
        .action
        .patterns
        .iter()
        .any(|p| wildcard_match_ignore_case(p, action));
    hit != statement.action.negated
}

/// Whether the statement's `Resource` / `NotResource` covers `resource`. No resource element
/// (trust policies) covers the resource the policy is attached to.
pub(crate) fn resource_truth(
    statement: &Statement,
    resource: &str,
    context: &ContextMap,
    mode: Mode,
    missing: &mut Missing,
) -> Truth {
    let Some(spec) = &statement.resource else {
        return Truth::True;
    };
    let mut hit = Truth::False;
    for pattern in &spec.patterns {
        let one = if mode.variables && pattern.contains("${") {
            match substitute(pattern, context, missing) {
                Substituted::Text(tokens) => Truth::from(glob_tokens(&tokens, resource, false)),
                Substituted::Absent => Truth::False,
                Substituted::Unknown => Truth::Unknown,
            }
        } else {
            Truth::from(wildcard_match(pattern, resource))
        };
        hit = or(hit, one);
        if hit == Truth::True {
            break;
        }
    }
    if spec.negated {
        not(hit)
    } else {
        hit
    }
}

/// Every condition of the statement, ANDed.
pub(crate) fn conditions_truth(
    statement: &Statement,
    context: &ContextMap,
    mode: Mode,
    missing: &mut Missing,
) -> Truth {
    let mut result = Truth::True;
    for condition in &statement.conditions {
        let truth = condition_truth(condition, context, mode, missing);
        result = and(result, truth);
        if result == Truth::False {
            return Truth::False;
        }
    }
    result
}

fn condition_truth(
    condition: &Condition,
    context: &ContextMap,
    mode: Mode,
    missing: &mut Missing,
) -> Truth {
    let values = lookup(context, &condition.key);
    // A key the request does not give makes every condition on it unknown, `IfExists`
    // included: "not given" may be "absent" or "not known", and only the caller can say which.
    if values.is_none() {
        missing.note(&condition.key);
        return Truth::Unknown;
    }
    let needs_variables = mode.variables
        && condition.operator.family() != OperatorFamily::Null
        && condition.values.iter().any(|v| v.contains("${"));
    let truth = if needs_variables {
        let mut patterns = Vec::with_capacity(condition.values.len());
        let mut unknown = false;
        for value in &condition.values {
            match substitute(value, context, missing) {
                Substituted::Text(tokens) => patterns.push(tokens),
                // A variable known to be absent leaves no value to compare with.
                Substituted::Absent => {}
                Substituted::Unknown => unknown = true,
            }
        }
        let truth = match values {
            // `${*}`, `${?}` or a variable's value put a literal `*` or `?` into a `StringLike`
            // pattern: it must match only itself, which the text form cannot say.
            Some(given)
                if !given.is_empty()
                    && condition.operator.family() == OperatorFamily::String
                    && condition.operator.supports_wildcards()
                    && patterns
                        .iter()
                        .flatten()
                        .any(|t| matches!(t, Token::Char('*' | '?'))) =>
            {
                like_with_literals(condition, &patterns, given)
            }
            _ => {
                let substituted = Condition {
                    operator: condition.operator.clone(),
                    key: condition.key.clone(),
                    values: patterns.iter().map(|t| tokens_to_text(t)).collect(),
                };
                evaluate_condition(&substituted, values)
            }
        };
        match (truth, unknown) {
            (Truth::True, _) => Truth::True,
            (_, true) => Truth::Unknown,
            (t, false) => t,
        }
    } else {
        evaluate_condition(condition, values)
    };
    if truth == Truth::Unknown && values.is_none() {
        missing.note(&condition.key);
    }
    truth
}

/// `StringLike` / `StringNotLike` (with a set qualifier or not) over patterns that hold literal
/// wildcard characters: the same logic as [`evaluate_condition`] for a key that is present,
/// with the token matcher.
fn like_with_literals(condition: &Condition, patterns: &[Vec<Token>], given: &[String]) -> Truth {
    let positive = |value: &String| patterns.iter().any(|p| glob_tokens(p, value, false));
    let negated = condition.operator.is_negated();
    Truth::from(match condition.operator.qualifier() {
        Some(SetQualifier::ForAllValues) => given.iter().all(|v| positive(v) != negated),
        Some(SetQualifier::ForAnyValue) => given.iter().any(|v| positive(v) != negated),
        None => given.iter().any(positive) != negated,
    })
}

fn lookup<'c>(context: &'c ContextMap, key: &str) -> Option<&'c Vec<String>> {
    if key.bytes().any(|b| b.is_ascii_uppercase()) {
        context.get(&key.to_ascii_lowercase())
    } else {
        context.get(key)
    }
}

/// Whether policy variables apply to this document: only under `2012-10-17`.
pub(crate) fn variables_enabled(policy: &Policy) -> bool {
    policy.version.as_deref() == Some("2012-10-17")
}

/// One position of a pattern after substitution: a wildcard, or a literal character (a `*`
/// that came from `${*}` or from a variable's value is literal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    Star,
    One,
    Char(char),
}

enum Substituted {
    Text(Vec<Token>),
    /// A variable whose key is known to be absent and has no default.
    Absent,
    /// A variable whose key was not given.
    Unknown,
}

/// Replaces `${key}`, `${key, 'default'}`, `${*}`, `${?}` and `${$}`. An unterminated `${`
/// is literal text.
fn substitute(pattern: &str, context: &ContextMap, missing: &mut Missing) -> Substituted {
    let mut out = Vec::with_capacity(pattern.len());
    let mut rest = pattern;
    let mut outcome_unknown = false;
    let mut absent = false;
    while let Some((before, after)) = rest.split_once("${") {
        push_pattern(&mut out, before);
        let Some((inner, tail)) = after.split_once('}') else {
            push_literal(&mut out, "${");
            rest = after;
            continue;
        };
        match inner.trim() {
            "*" => out.push(Token::Char('*')),
            "?" => out.push(Token::Char('?')),
            "$" => out.push(Token::Char('$')),
            spec => {
                let (key, default) = match spec.split_once(',') {
                    Some((key, default)) => (key.trim(), parse_default(default)),
                    None => (spec, None),
                };
                match lookup(context, key) {
                    // Multivalued keys cannot be variables: only a single value substitutes.
                    Some(values) if values.len() == 1 => {
                        if let Some(value) = values.first() {
                            push_literal(&mut out, value);
                        }
                    }
                    Some(_) => match default {
                        Some(default) => push_literal(&mut out, default),
                        None => absent = true,
                    },
                    None => {
                        missing.note(key);
                        outcome_unknown = true;
                    }
                }
            }
        }
        rest = tail;
    }
    push_pattern(&mut out, rest);
    if outcome_unknown {
        Substituted::Unknown
    } else if absent {
        Substituted::Absent
    } else {
        Substituted::Text(out)
    }
}

/// `'default'` (single-quoted, as IAM writes it); anything else is no default.
fn parse_default(text: &str) -> Option<&str> {
    text.trim().strip_prefix('\'')?.strip_suffix('\'')
}

fn push_pattern(out: &mut Vec<Token>, text: &str) {
    out.extend(text.chars().map(|c| match c {
        '*' => Token::Star,
        '?' => Token::One,
        c => Token::Char(c),
    }));
}

fn push_literal(out: &mut Vec<Token>, text: &str) {
    out.extend(text.chars().map(Token::Char));
}

/// The substituted pattern as text for a condition value: condition operators interpret
/// wildcards themselves, so the tokens go back to characters.
fn tokens_to_text(tokens: &[Token]) -> String {
    tokens
        .iter()
        .map(|t| match t {
            Token::Star => '*',
            Token::One => '?',
            Token::Char(c) => *c,
        })
        .collect()
}

/// Glob match over tokens: iterative, with one backtrack point per `*` (the classic linear
/// algorithm), so no input makes it recurse or blow up.
fn glob_tokens(pattern: &[Token], text: &str, ignore_case: bool) -> bool {
    let text: Vec<char> = text.chars().collect();
    let eq = |a: char, b: char| {
        if ignore_case {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match (pattern.get(p), text.get(t)) {
            (Some(Token::Star), _) => {
                star = Some((p, t));
                p += 1;
            }
            (Some(Token::One), Some(_)) => {
                p += 1;
                t += 1;
            }
            (Some(Token::Char(c)), Some(&x)) if eq(*c, x) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|t| *t == Token::Star))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(pairs: &[(&str, &[&str])]) -> ContextMap {
        pairs
            .iter()
            .map(|(k, v)| {
                (
                    k.to_ascii_lowercase(),
                    v.iter().map(|s| s.to_string()).collect(),
                )
            })
            .collect()
    }

    fn sub(pattern: &str, context: &ContextMap) -> Option<String> {
        let mut missing = Missing::default();
        match substitute(pattern, context, &mut missing) {
            Substituted::Text(t) => Some(tokens_to_text(&t)),
            _ => None,
        }
    }

    #[test]
    fn variables_substitute_with_defaults_and_specials() {
        let c = ctx(&[("aws:username", &["alice"])]);
        assert_eq!(
            sub("home/${aws:username}/*", &c).as_deref(),
            Some("home/alice/*")
        );
        assert_eq!(sub("a${*}b${?}c${$}", &c).as_deref(), Some("a*b?c$"));
        assert_eq!(
            sub(
                "${aws:PrincipalTag/team, 'none'}",
                &ctx(&[("aws:principaltag/team", &[])])
            )
            .as_deref(),
            Some("none")
        );
        assert_eq!(sub("${aws:userid}", &c), None);
        assert_eq!(
            sub("x${unterminated", &c).as_deref(),
            Some("x${unterminated")
        );
    }

    #[test]
    fn literal_star_from_a_variable_is_not_a_wildcard() {
        let mut missing = Missing::default();
        let Substituted::Text(tokens) = substitute("a${*}", &ContextMap::new(), &mut missing)
        else {
            unreachable!()
        };
        assert!(glob_tokens(&tokens, "a*", false));
        assert!(!glob_tokens(&tokens, "ab", false));
        let Substituted::Text(tokens) = substitute("a*b?", &ContextMap::new(), &mut missing) else {
            unreachable!()
        };
        assert!(glob_tokens(&tokens, "axxbz", false));
        assert!(!glob_tokens(&tokens, "axxb", false));
    }
}
