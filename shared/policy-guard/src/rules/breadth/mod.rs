//! How wide an identity policy is written.

rule_family! {
    service_wildcard::ServiceWildcard,
    allow_not_action::AllowNotAction,
    allow_not_resource::AllowNotResource,
    resource_wildcard::ResourceWildcard,
}
