//! Condition operators: `[ForAllValues:|ForAnyValue:]Base[IfExists]`.

use std::fmt;

/// The operator families of IAM's condition grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperatorFamily {
    String,
    Numeric,
    Date,
    Bool,
    Binary,
    IpAddress,
    Arn,
    Null,
}

/// `ForAllValues:` or `ForAnyValue:`, for multivalued context keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    ForAllValues,
    ForAnyValue,
}

/// A parsed condition operator, keeping the text as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionOperator {
    raw: String,
    base: &'static str,
    family: OperatorFamily,
    negated: bool,
    wildcard: bool,
    if_exists: bool,
    qualifier: Option<SetQualifier>,
}

/// (name, family, negated, supports wildcards)
const BASES: &[(&str, OperatorFamily, bool, bool)] = &[
    ("StringEquals", OperatorFamily::String, false, false),
    ("StringNotEquals", OperatorFamily::String, true, false),
    (
        "StringEqualsIgnoreCase",
        OperatorFamily::String,
        false,
        false,
    ),
    (
        "StringNotEqualsIgnoreCase",
        OperatorFamily::String,
        true,
        false,
    ),
    ("StringLike", OperatorFamily::String, false, true),
    ("StringNotLike", OperatorFamily::String, true, true),
    ("NumericEquals", OperatorFamily::Numeric, false, false),
    ("NumericNotEquals", OperatorFamily::Numeric, true, false),
    ("NumericLessThan", OperatorFamily::Numeric, false, false),
    (
        "NumericLessThanEquals",
        OperatorFamily::Numeric,
        false,
        false,
    ),
    ("NumericGreaterThan", OperatorFamily::Numeric, false, false),
    (
        "NumericGreaterThanEquals",
        OperatorFamily::Numeric,
        false,
        false,
    ),
    ("DateEquals", OperatorFamily::Date, false, false),
    ("DateNotEquals", OperatorFamily::Date, true, false),
    ("DateLessThan", OperatorFamily::Date, false, false),
    ("DateLessThanEquals", OperatorFamily::Date, false, false),
    ("DateGreaterThan", OperatorFamily::Date, false, false),
    ("DateGreaterThanEquals", OperatorFamily::Date, false, false),
    ("Bool", OperatorFamily::Bool, false, false),
    ("BinaryEquals", OperatorFamily::Binary, false, false),
    ("IpAddress", OperatorFamily::IpAddress, false, false),
    ("NotIpAddress", OperatorFamily::IpAddress, true, false),
    ("ArnEquals", OperatorFamily::Arn, false, true),
    ("ArnLike", OperatorFamily::Arn, false, true),
    ("ArnNotEquals", OperatorFamily::Arn, true, true),
    ("ArnNotLike", OperatorFamily::Arn, true, true),
    ("Null", OperatorFamily::Null, false, false),
];

impl ConditionOperator {
    /// Parses an operator name; `None` if IAM would reject it. Operator names are
    /// case-sensitive in IAM's grammar but AWS accepts any case, so matching ignores case.
    pub fn parse(raw: &str) -> Option<ConditionOperator> {
        let (qualifier, rest) = if let Some(rest) = strip_prefix_ci(raw, "ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = strip_prefix_ci(raw, "ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, raw)
        };
        let (if_exists, base_text) = match strip_suffix_ci(rest, "IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        let &(base, family, negated, wildcard) = BASES
            .iter()
            .find(|(name, ..)| name.eq_ignore_ascii_case(base_text))?;
        if if_exists && family == OperatorFamily::Null {
            return None;
        }
        Some(ConditionOperator {
            raw: raw.to_string(),
            base,
            family,
            negated,
            wildcard,
            if_exists,
            qualifier,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.raw
    }
    /// The operator without qualifier and `IfExists`, in AWS's casing (`StringLike`).
    pub fn base(&self) -> &'static str {
        self.base
    }
    pub fn family(&self) -> OperatorFamily {
        self.family
    }
    /// `StringNotEquals`, `ArnNotLike`, `NotIpAddress`: the condition holds when values differ.
    pub fn is_negated(&self) -> bool {
        self.negated
    }
    /// `StringLike` / `ArnLike` family: values may use `*` and `?`.
    pub fn supports_wildcards(&self) -> bool {
        self.wildcard
    }
    pub fn if_exists(&self) -> bool {
        self.if_exists
    }
    pub fn qualifier(&self) -> Option<SetQualifier> {
        self.qualifier
    }
}

impl fmt::Display for ConditionOperator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| text.get(prefix.len()..))
        .flatten()
}

fn strip_suffix_ci<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = text.len().checked_sub(suffix.len())?;
    let tail = text.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| text.get(..cut))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_family_with_qualifiers_and_if_exists() {
        let op = ConditionOperator::parse("ForAllValues:StringLikeIfExists").unwrap();
        assert_eq!(op.base(), "StringLike");
        assert_eq!(op.qualifier(), Some(SetQualifier::ForAllValues));
        assert!(op.if_exists() && op.supports_wildcards());
        for (name, family, ..) in BASES {
            assert_eq!(ConditionOperator::parse(name).unwrap().family(), *family);
        }
        assert!(ConditionOperator::parse("NotIpAddressIfExists")
            .unwrap()
            .is_negated());
    }

    #[test]
    fn rejects_unknown_operators() {
        assert!(ConditionOperator::parse("StringContains").is_none());
        assert!(ConditionOperator::parse("NullIfExists").is_none());
        assert!(ConditionOperator::parse("ForSomeValues:StringEquals").is_none());
        assert!(ConditionOperator::parse("").is_none());
    }
}
