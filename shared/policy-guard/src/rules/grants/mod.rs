//! What an identity policy lets its holder do.

rule_family! {
    admin_access::AdminAccess,
    privilege_escalation::PrivilegeEscalation,
    passrole_wildcard::PassRoleWildcard,
    credentials_exposure::CredentialsExposure,
    data_exfiltration::DataExfiltration,
    resource_exposure::ResourceExposure,
    permissions_management::PermissionsManagement,
}
