//! Who outside the account can reach it: trust policies, resource-based policies, function URLs.

rule_family! {
    trust_public::TrustPublic,
    trust_foreign_account::TrustForeignAccount,
    trust_oidc_without_sub::TrustOidcWithoutSub,
    public_resource_policy::PublicResourcePolicy,
    service_principal_without_source::ServicePrincipalWithoutSource,
    s3_principal_without_source_account::S3PrincipalWithoutSourceAccount,
    resource_policy_foreign_account::ResourcePolicyForeignAccount,
    lambda_wildcard_action::LambdaWildcardAction,
    allow_not_principal::AllowNotPrincipal,
    function_url_auth_none::FunctionUrlAuthNone,
}
