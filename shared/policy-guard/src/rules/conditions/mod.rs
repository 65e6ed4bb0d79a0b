//! Condition blocks that do not test what they seem to.

rule_family! {
    forallvalues_single_valued::ForAllValuesSingleValued,
    stringlike_without_wildcard::StringLikeWithoutWildcard,
    bool_under_string_operator::BoolUnderStringOperator,
}
