//! Sensitive actions, by what granting them on every resource lets someone do (checked against
//! the catalog in tests; most telling first: findings name them in this order).

use super::ActionList;

/// Reading data out of the account.
pub static DATA_EXFILTRATION: ActionList = ActionList::new(&[
    "s3:GetObject",
    "s3:GetObjectVersion",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
    "kms:Decrypt",
    "ec2:GetPasswordData",
    // cloudsplaining's default exclusions: a snapshot, copied or shared, carries the database.
    "rds:CreateDBSnapshot",
    "rds:CopyDBSnapshot",
]);

/// Returning credentials: policy_sentry's credentials-exposure list, cloudsplaining's
/// `ACTIONS_THAT_RETURN_CREDENTIALS` (its misspelt `gamelist:*` entries left out) and
/// parliament's `cognito-idp:AssociateSoftwareToken` (returns a TOTP secret). Two of
/// cloudsplaining's are not IAM actions in the catalog and are left out:
/// `sso:GetRoleCredentials` (the access portal's API, authorized by the portal's bearer token,
/// not by a policy) and `connect:GetFederationTokens` (not in the service authorization
/// reference; `connect:GetFederationToken` is listed).
pub static CREDENTIALS_EXPOSURE: ActionList = ActionList::new(&[
    "chime:CreateApiKey",
    "codepipeline:PollForJobs",
    "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity",
    "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken",
    "ecr:GetAuthorizationToken",
    "gamelift:RequestUploadCredentials",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential",
    "iam:ResetServiceSpecificCredential",
    "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails",
    "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:connect",
    "redshift:GetClusterCredentials",
    "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:GetFederationToken",
    "sts:GetSessionToken",
    "redshift:GetClusterCredentialsWithIAM",
    "redshift-serverless:GetCredentials",
    "codeartifact:GetAuthorizationToken",
    "ecr-public:GetAuthorizationToken",
    "emr-containers:GetManagedEndpointSessionCredentials",
    "finspace-api:GetProgrammaticAccessCredentials",
    "airflow:CreateCliToken",
    "airflow:CreateWebLoginToken",
    "appsync:CreateApiKey",
    "cloud9:CreateEnvironmentToken",
    "cognito-idp:GetSigningCertificate",
    "cognito-idp:AssociateSoftwareToken",
    "gamelift:GetInstanceAccess",
    "grafana:CreateWorkspaceApiKey",
    "license-manager:GetAccessToken",
    "lightsail:CreateBucketAccessKey",
    "lightsail:DownloadDefaultKeyPair",
    "mediapackage:RotateChannelCredentials",
]);

/// Changing who else may use a resource: resource policies, ACLs, grants, shares.
pub static RESOURCE_EXPOSURE: ActionList = ActionList::new(&[
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketAcl",
    "s3:PutObjectAcl",
    "s3:PutObjectVersionAcl",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutAccountPublicAccessBlock",
    "lambda:AddPermission",
    "lambda:AddLayerVersionPermission",
    "lambda:CreateFunctionUrlConfig",
    "lambda:UpdateFunctionUrlConfig",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "sns:AddPermission",
    "sns:SetTopicAttributes",
    "sqs:AddPermission",
    "sqs:SetQueueAttributes",
    "secretsmanager:PutResourcePolicy",
    "ecr:SetRepositoryPolicy",
    "glacier:SetVaultAccessPolicy",
    "ec2:ModifySnapshotAttribute",
    "ec2:ModifyImageAttribute",
    "rds:ModifyDBSnapshotAttribute",
    "rds:ModifyDBClusterSnapshotAttribute",
    "ram:CreateResourceShare",
    "ram:AssociateResourceShare",
    "events:PutPermission",
    "logs:PutResourcePolicy",
    "backup:PutBackupVaultAccessPolicy",
    "apigateway:UpdateRestApiPolicy",
    "glue:PutResourcePolicy",
    "elasticfilesystem:PutFileSystemPolicy",
    "redshift:AuthorizeSnapshotAccess",
    "ssm:ModifyDocumentPermission",
]);
