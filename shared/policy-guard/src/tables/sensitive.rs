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
]);

/// Returning credentials (policy_sentry's credentials-exposure list).
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
