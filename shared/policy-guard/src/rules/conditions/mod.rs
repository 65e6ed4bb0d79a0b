//! Condition blocks that do not test what they seem to.

rule_family! {
    forallvalues_single_valued::ForAllValuesSingleValued,
    stringlike_without_wildcard::StringLikeWithoutWildcard,
    bool_under_string_operator::BoolUnderStringOperator,
    condition_type_mismatch::ConditionTypeMismatch,
    string_operator_on_arn_key::StringOperatorOnArnKey,
    deny_condition_not_applicable::DenyConditionNotApplicable,
    mfa_deny_without_if_exists::MfaDenyWithoutIfExists,
    private_source_ip::PrivateSourceIp,
    missing_set_qualifier::MissingSetQualifier,
    null_with_qualifier::NullWithQualifier,
    wildcard_without_like::WildcardWithoutLike,
    missing_paired_condition_key::MissingPairedConditionKey,
}
