//! Unknown condition keys, and documents and events that cannot be read.

rule_family! {
    unknown_condition_key::UnknownConditionKey,
    malformed_policy::MalformedPolicy,
    malformed_event::MalformedEvent,
}
