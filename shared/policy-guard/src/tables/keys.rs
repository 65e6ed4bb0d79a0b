//! Condition keys and actions that decide who can get in: confused-deputy guards, organization
//! guards, the STS actions that let a principal into a role.

/// Keys naming where a service's request comes from: the confused-deputy guards.
pub const SOURCE_KEYS: &[&str] = &[
    "aws:SourceArn",
    "aws:SourceAccount",
    "aws:SourceOwner",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    // In KMS key policies, AWS documents the encryption context as the confused-deputy guard:
    // it names the calling resource's ARN, account included (CloudWatch Logs, CloudTrail, ...).
    "kms:EncryptionContext:aws:logs:arn",
    "kms:EncryptionContext:aws:cloudtrail:arn",
    "kms:EncryptionContext:aws:sns:topicArn",
    "kms:EncryptionContext:aws:sqs:arn",
    "kms:EncryptionContext:aws:lambda:FunctionArn",
];

/// Keys that restrict a cross-account grant to one organization.
pub const ORG_KEYS: &[&str] = &["aws:PrincipalOrgID", "aws:PrincipalOrgPaths"];

/// The STS actions that let a principal into a role (or shape the session it gets).
pub const ASSUME_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithWebIdentity",
    "sts:AssumeRoleWithSAML",
    "sts:TagSession",
    "sts:SetSourceIdentity",
];
