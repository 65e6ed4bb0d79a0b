//! Condition blocks that do not test what they seem to.

rule_family! {
    forallvalues_single_valued::ForAllValuesSingleValued,
    stringlike_without_wildcard::StringLikeWithoutWildcard,
    bool_under_string_operator::BoolUnderStringOperator,
    condition_type_mismatch::ConditionTypeMismatch,
    string_operator_on_arn_key::StringOperatorOnArnKey,
}
