//! Evaluating one condition against request context values.

use crate::matching::wildcard_match;
use crate::policy::{Condition, OperatorFamily, SetQualifier};
use crate::tables::keys::{is_date, parse_cidr, parse_number, type_mismatch};
use std::net::IpAddr;

/// Three-valued: a key the caller did not supply makes the outcome unknown, not false.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    True,
    False,
    Unknown,
}

impl From<bool> for Truth {
    fn from(b: bool) -> Truth {
        if b {
            Truth::True
        } else {
            Truth::False
        }
    }
}

pub fn evaluate_condition(condition: &Condition, context: Option<&Vec<String>>) -> Truth {
    let op = &condition.operator;
    if op.family() == OperatorFamily::Null {
        // `Null: true` holds when the key is absent. Without context we cannot know.
        let Some(values) = context else {
            return Truth::Unknown;
        };
        let want_absent = condition
            .values
            .iter()
            .any(|v| v.eq_ignore_ascii_case("true"));
        return Truth::from(values.is_empty() == want_absent);
    }
    let Some(values) = context else {
        return if op.if_exists() {
            Truth::True
        } else {
            Truth::Unknown
        };
    };
    if values.is_empty() {
        // A key known to be absent: IAM's condition-operator page makes a negated operator
        // (`StringNotEquals`, `ArnNotLike`, ...) true then, and every other one false.
        return match op.qualifier() {
            Some(SetQualifier::ForAllValues) => Truth::True,
            _ if op.if_exists() => Truth::True,
            Some(SetQualifier::ForAnyValue) => Truth::False,
            None => Truth::from(op.is_negated()),
        };
    }
    if type_mismatch(condition).is_some() {
        // An operator that does not fit the key's type, or values it cannot compare, never
        // match a value the request has (`condition-type-mismatch` reports them), negated or not.
        return Truth::False;
    }
    let mut results = values.iter().map(|v| value_matches(condition, v));
    let outcome = match op.qualifier() {
        Some(SetQualifier::ForAllValues) => fold_all(&mut results),
        _ => fold_any(&mut results),
    };
    if op.is_negated() && op.qualifier().is_none() {
        // StringNotEquals and friends: true when no context value equals any condition value.
        return match outcome {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        };
    }
    outcome
}

fn fold_all(results: &mut dyn Iterator<Item = Truth>) -> Truth {
    let mut out = Truth::True;
    for r in results {
        match r {
            Truth::False => return Truth::False,
            Truth::Unknown => out = Truth::Unknown,
            Truth::True => {}
        }
    }
    out
}

fn fold_any(results: &mut dyn Iterator<Item = Truth>) -> Truth {
    let mut out = Truth::False;
    for r in results {
        match r {
            Truth::True => return Truth::True,
            Truth::Unknown => out = Truth::Unknown,
            Truth::False => {}
        }
    }
    out
}

/// `ArnEquals` / `ArnLike`: "each of the six colon-delimited components of the ARN is checked
/// separately and each can include multi-character match wildcards (*) or single-character
/// match wildcards (?)" (IAM User Guide, condition operators), so a `*` never spans a `:`
/// between components (the sixth, the resource, keeps its own colons). A pattern with fewer
/// than six components (`*` alone) is matched against the whole value.
fn arn_matches(pattern: &str, value: &str) -> bool {
    // Five colons make six components (`splitn(6, ..)` keeps the resource's own colons).
    let components = |text: &str| text.bytes().filter(|&b| b == b':').count() >= 5;
    if !components(pattern) {
        return wildcard_match(pattern, value);
    }
    components(value)
        && pattern
            .splitn(6, ':')
            .zip(value.splitn(6, ':'))
            .all(|(p, v)| wildcard_match(p, v))
}

/// Does one context value match any of the condition's values (before negation)? Negated
/// operators under a set qualifier compare per value, so negation is applied here for them.
fn value_matches(condition: &Condition, value: &str) -> Truth {
    let op = &condition.operator;
    let positive = |expected: &str| -> Truth {
        match op.family() {
            OperatorFamily::String => {
                let base = op.base();
                if base.contains("IgnoreCase") {
                    Truth::from(expected.eq_ignore_ascii_case(value))
                } else if op.supports_wildcards() {
                    Truth::from(wildcard_match(expected, value))
                } else {
                    Truth::from(expected == value)
                }
            }
            OperatorFamily::Arn => Truth::from(arn_matches(expected, value)),
            OperatorFamily::Bool => Truth::from(expected.eq_ignore_ascii_case(value)),
            OperatorFamily::Binary => Truth::from(expected == value),
            OperatorFamily::Numeric => compare_numbers(op.base(), value, expected),
            OperatorFamily::Date => compare_dates(op.base(), value, expected),
            OperatorFamily::IpAddress => ip_in_cidr(value, expected),
            OperatorFamily::Null => Truth::Unknown,
        }
    };
    let hit = fold_any(&mut condition.values.iter().map(|e| positive(e)));
    if op.is_negated() && op.qualifier().is_some() {
        return match hit {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        };
    }
    hit
}

fn compare_numbers(base: &str, actual: &str, expected: &str) -> Truth {
    // A condition value that is not a number never matches (the rule reports it).
    let Some(e) = parse_number(expected) else {
        return Truth::False;
    };
    let Ok(a) = actual.trim().parse::<f64>() else {
        return Truth::Unknown;
    };
    Truth::from(match base {
        "NumericEquals" => a == e,
        "NumericNotEquals" => a == e, // negated by the caller
        "NumericLessThan" => a < e,
        "NumericLessThanEquals" => a <= e,
        "NumericGreaterThan" => a > e,
        "NumericGreaterThanEquals" => a >= e,
        _ => return Truth::Unknown,
    })
}

/// ISO 8601 UTC timestamps of the same shape compare as text; anything else is unknown.
fn compare_dates(base: &str, actual: &str, expected: &str) -> Truth {
    if !is_date(expected) {
        // Not a date (`yesterday`): never matches (the rule reports it).
        return Truth::False;
    }
    let comparable = |s: &str| s.len() >= 10 && s.ends_with('Z');
    if !(comparable(actual) && comparable(expected) && actual.len() == expected.len()) {
        return Truth::Unknown;
    }
    let ordering = actual.cmp(expected);
    Truth::from(match base {
        "DateEquals" | "DateNotEquals" => ordering.is_eq(),
        "DateLessThan" => ordering.is_lt(),
        "DateLessThanEquals" => ordering.is_le(),
        "DateGreaterThan" => ordering.is_gt(),
        "DateGreaterThanEquals" => ordering.is_ge(),
        _ => return Truth::Unknown,
    })
}

fn ip_in_cidr(actual: &str, cidr: &str) -> Truth {
    // A range that does not parse (`10.0.0.300/8`) never matches (the rule reports it).
    let Some((net, bits)) = parse_cidr(cidr) else {
        return Truth::False;
    };
    let Ok(ip) = actual.parse::<IpAddr>() else {
        return Truth::Unknown;
    };
    match (ip, net) {
        (IpAddr::V4(ip), IpAddr::V4(net)) => {
            let bits = bits.min(32);
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            Truth::from(u32::from(ip) & mask == u32::from(net) & mask)
        }
        (IpAddr::V6(ip), IpAddr::V6(net)) => {
            let bits = bits.min(128);
            let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
            Truth::from(u128::from(ip) & mask == u128::from(net) & mask)
        }
        _ => Truth::False,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn arn_wildcards_stay_inside_their_component() {
        let pattern = "arn:aws:sns:*:111122223333:topic";
        assert!(super::arn_matches(
            pattern,
            "arn:aws:sns:us-east-1:111122223333:topic"
        ));
        // A whole-string match would let `*` take `us-east-1:999999999999:x`.
        assert!(!super::arn_matches(
            pattern,
            "arn:aws:sns:us-east-1:999999999999:x:111122223333:topic"
        ));
        assert!(super::arn_matches(
            "arn:aws:logs:*:*:log-group:/aws/*",
            "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/f"
        ));
        assert!(super::arn_matches("*", "arn:aws:s3:::b"));
        assert!(!super::arn_matches("arn:aws:s3:::b", "not-an-arn"));
    }

    use super::*;
    use crate::policy::ConditionOperator;

    fn cond(op: &str, values: &[&str]) -> Condition {
        Condition {
            operator: ConditionOperator::parse(op).unwrap(),
            key: "k".into(),
            values: values.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn ctx(values: &[&str]) -> Vec<String> {
        values.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn string_families() {
        assert_eq!(
            evaluate_condition(&cond("StringEquals", &["a"]), Some(&ctx(&["a"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("StringNotEquals", &["a"]), Some(&ctx(&["a"]))),
            Truth::False
        );
        assert_eq!(
            evaluate_condition(&cond("StringLike", &["a*"]), Some(&ctx(&["abc"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("StringEqualsIgnoreCase", &["A"]), Some(&ctx(&["a"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("StringEquals", &["a"]), None),
            Truth::Unknown
        );
        assert_eq!(
            evaluate_condition(&cond("StringEqualsIfExists", &["a"]), None),
            Truth::True
        );
    }

    #[test]
    fn set_qualifiers() {
        let all = cond("ForAllValues:StringEquals", &["a", "b"]);
        assert_eq!(
            evaluate_condition(&all, Some(&ctx(&["a", "b"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&all, Some(&ctx(&["a", "c"]))),
            Truth::False
        );
        assert_eq!(evaluate_condition(&all, Some(&ctx(&[]))), Truth::True);
        let any = cond("ForAnyValue:StringEquals", &["a"]);
        assert_eq!(
            evaluate_condition(&any, Some(&ctx(&["c", "a"]))),
            Truth::True
        );
        assert_eq!(evaluate_condition(&any, Some(&ctx(&[]))), Truth::False);
    }

    #[test]
    fn mismatched_conditions_never_match() {
        let keyed = |op: &str, key: &str, values: &[&str]| Condition {
            operator: ConditionOperator::parse(op).unwrap(),
            key: key.into(),
            values: values.iter().map(|s| s.to_string()).collect(),
        };
        // Operator of the wrong type for the key, negated or not.
        for (op, key, value, actual) in [
            ("NumericEquals", "aws:SourceVpc", "10", "10"),
            ("NumericNotEquals", "aws:SourceVpc", "10", "11"),
            ("StringEquals", "aws:MultiFactorAuthAge", "10", "10"),
            (
                "DateGreaterThan",
                "aws:SourceVpc",
                "2020-01-01T00:00:00Z",
                "2021-01-01T00:00:00Z",
            ),
            ("IpAddress", "aws:SourceVpc", "10.0.0.0/8", "10.1.2.3"),
            ("Bool", "aws:SourceVpc", "true", "true"),
        ] {
            assert_eq!(
                evaluate_condition(&keyed(op, key, &[value]), Some(&ctx(&[actual]))),
                Truth::False,
                "{op} on {key}"
            );
        }
        // Values the operator cannot compare.
        for (op, key, value, actual) in [
            ("NumericLessThan", "aws:MultiFactorAuthAge", "ten", "3"),
            ("NumericNotEquals", "aws:MultiFactorAuthAge", "ten", "3"),
            (
                "DateGreaterThan",
                "aws:CurrentTime",
                "yesterday",
                "2021-01-01T00:00:00Z",
            ),
            ("IpAddress", "aws:SourceIp", "10.0.0.300/8", "10.1.2.3"),
            ("NotIpAddress", "aws:SourceIp", "10.0.0.300/8", "10.1.2.3"),
            ("Bool", "aws:SecureTransport", "yes", "true"),
        ] {
            assert_eq!(
                evaluate_condition(&keyed(op, key, &[value]), Some(&ctx(&[actual]))),
                Truth::False,
                "{op} {value}"
            );
        }
        // The same conditions written well still match.
        assert_eq!(
            evaluate_condition(
                &keyed("NumericLessThan", "aws:MultiFactorAuthAge", &["10"]),
                Some(&ctx(&["3"]))
            ),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(
                &keyed("IpAddress", "aws:SourceIp", &["10.0.0.0/8"]),
                Some(&ctx(&["10.1.2.3"]))
            ),
            Truth::True
        );
    }

    #[test]
    fn numbers_dates_ips_bools_null() {
        assert_eq!(
            evaluate_condition(&cond("NumericLessThan", &["10"]), Some(&ctx(&["3"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(
                &cond("DateGreaterThan", &["2020-01-01T00:00:00Z"]),
                Some(&ctx(&["2021-01-01T00:00:00Z"]))
            ),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(
                &cond("IpAddress", &["10.0.0.0/8"]),
                Some(&ctx(&["10.1.2.3"]))
            ),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(
                &cond("NotIpAddress", &["10.0.0.0/8"]),
                Some(&ctx(&["10.1.2.3"]))
            ),
            Truth::False
        );
        assert_eq!(
            evaluate_condition(
                &cond("IpAddress", &["2001:db8::/32"]),
                Some(&ctx(&["2001:db8::1"]))
            ),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("Bool", &["true"]), Some(&ctx(&["TRUE"]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("Null", &["true"]), Some(&ctx(&[]))),
            Truth::True
        );
        assert_eq!(
            evaluate_condition(&cond("Null", &["false"]), Some(&ctx(&["x"]))),
            Truth::True
        );
    }
}
