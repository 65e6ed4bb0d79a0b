//! Unknown condition keys, and documents and events that cannot be read or that IAM rejects.

rule_family! {
    unknown_condition_key::UnknownConditionKey,
    malformed_policy::MalformedPolicy,
    invalid_sid::InvalidSid,
    variable_in_old_version::VariableInOldVersion,
    malformed_event::MalformedEvent,
}
