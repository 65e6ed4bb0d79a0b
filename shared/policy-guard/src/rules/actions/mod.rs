//! Actions and resources checked against the AWS action catalog.

rule_family! {
    resource_mismatch::ResourceMismatch,
    unknown_action::UnknownAction,
}
