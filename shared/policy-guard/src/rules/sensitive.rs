//! Shared machinery for rules about sensitive actions granted on every resource: the action
//! lists (checked against the catalog in tests) and one finding per statement.

use super::{at, constrain, RuleContext, RuleMeta};
use crate::catalog::{catalog, ActionId};
use crate::eval::BroadGrant;
use crate::text::quoted_list;
use crate::Finding;
use std::collections::BTreeMap;
use std::sync::OnceLock;

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

/// Privilege escalation methods that need a single action (Rhino Security Labs' list).
pub static ESCALATION_SINGLE: ActionList = ActionList::new(&[
    "iam:CreatePolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy",
    "iam:AttachRolePolicy",
    "iam:PutUserPolicy",
    "iam:PutGroupPolicy",
    "iam:PutRolePolicy",
    "iam:CreateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AddUserToGroup",
    "iam:UpdateAssumeRolePolicy",
    "lambda:UpdateFunctionCode",
    "glue:UpdateDevEndpoint",
]);

/// `iam:PassRole` plus one of these sets runs code as a more privileged role.
pub const ESCALATION_WITH_PASSROLE: &[(&str, &[&str])] = &[
    ("EC2 instance with a passed role", &["ec2:RunInstances"]),
    (
        "Lambda function invoked directly",
        &["lambda:CreateFunction", "lambda:InvokeFunction"],
    ),
    (
        "Lambda function behind an event source",
        &["lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
    ),
    (
        "Lambda function opened to a trigger",
        &["lambda:CreateFunction", "lambda:AddPermission"],
    ),
    ("CloudFormation stack", &["cloudformation:CreateStack"]),
    ("Glue development endpoint", &["glue:CreateDevEndpoint"]),
    (
        "Data Pipeline",
        &[
            "datapipeline:CreatePipeline",
            "datapipeline:PutPipelineDefinition",
        ],
    ),
    ("ECS task", &["ecs:RegisterTaskDefinition", "ecs:RunTask"]),
    (
        "ECS service",
        &["ecs:RegisterTaskDefinition", "ecs:CreateService"],
    ),
    (
        "CodeBuild project",
        &["codebuild:CreateProject", "codebuild:StartBuild"],
    ),
    (
        "SageMaker notebook",
        &[
            "sagemaker:CreateNotebookInstance",
            "sagemaker:CreatePresignedNotebookInstanceUrl",
        ],
    ),
    ("SageMaker training job", &["sagemaker:CreateTrainingJob"]),
    (
        "SageMaker processing job",
        &["sagemaker:CreateProcessingJob"],
    ),
];

/// Whether the statement grants the action through `*` or `NotAction`: those statements are the
/// administrator and not-action rules' findings, not a list of sensitive actions.
pub fn through_blanket(cx: &RuleContext<'_>, statement: usize) -> bool {
    let Some((policy, _)) = cx.policy() else {
        return false;
    };
    policy
        .statements
        .get(statement)
        .is_some_and(|s| s.action.negated || s.action.patterns.iter().any(|p| p == "*"))
}

/// A fixed list of action names (most telling first: findings name them in this order) and,
/// resolved against the catalog once per process, their ids.
pub struct ActionList {
    names: &'static [&'static str],
    ids: OnceLock<Vec<ActionId>>,
}

impl ActionList {
    pub const fn new(names: &'static [&'static str]) -> Self {
        Self {
            names,
            ids: OnceLock::new(),
        }
    }

    pub fn ids(&self) -> &[ActionId] {
        self.ids.get_or_init(|| {
            self.names
                .iter()
                .filter_map(|n| catalog().lookup(n))
                .collect()
        })
    }
}

/// One finding per statement that grants any of `actions` on every resource.
pub fn broad_findings(
    cx: &RuleContext<'_>,
    meta: &RuleMeta,
    actions: &[ActionId],
    title: impl Fn(usize) -> String,
    why: &str,
    fix: &str,
    out: &mut Vec<Finding>,
) {
    let Some((policy, analysis)) = cx.policy() else {
        return;
    };
    let allowed = analysis.allowed();
    let mut by_statement: BTreeMap<usize, (BroadGrant, Vec<String>)> = BTreeMap::new();
    for &id in actions.iter().filter(|&&id| allowed.contains(id)) {
        let Some(grant) = analysis.broad_grant(id) else {
            continue;
        };
        if through_blanket(cx, grant.statement) {
            continue;
        }
        let Some(def) = catalog().action(id) else {
            continue;
        };
        by_statement
            .entry(grant.statement)
            .or_insert_with(|| (grant, Vec::new()))
            .1
            .push(def.qualified());
    }
    for (index, (grant, names)) in by_statement {
        let Some(statement) = policy.statements.get(index) else {
            continue;
        };
        let mut finding = meta.finding(
            at(policy, statement, Some(statement.resource_key())),
            title(names.len()),
            format!(
                "{} granted on every resource: {why}",
                quoted_list(&names, 6)
            ),
            fix.to_string(),
        );
        finding.actions = names;
        finding.resources = grant.resources.clone();
        constrain(&mut finding, &grant.constraint);
        out.push(finding);
    }
}

/// The `iam:PassRole` grant on every role and the escalation paths it completes with the other
/// actions the policy allows (on any resource: creating the compute is the pivot).
pub fn passrole_paths(cx: &RuleContext<'_>) -> Option<(BroadGrant, Vec<&'static str>)> {
    let (_, analysis) = cx.policy()?;
    let passrole = catalog().lookup("iam:PassRole")?;
    let grant = analysis.broad_grant(passrole)?;
    if through_blanket(cx, grant.statement) {
        return None;
    }
    let allowed = analysis.allowed();
    let paths = escalation_with_passrole()
        .iter()
        .filter(|(_, needs)| {
            needs
                .iter()
                .all(|id| id.is_some_and(|id| allowed.contains(id)))
        })
        .map(|(name, _)| *name)
        .collect();
    Some((grant, paths))
}

/// An escalation path's name and the actions it needs (`None`: not in the catalog).
type EscalationPath = (&'static str, Vec<Option<ActionId>>);

/// [`ESCALATION_WITH_PASSROLE`] with each action looked up once.
fn escalation_with_passrole() -> &'static [EscalationPath] {
    static PATHS: OnceLock<Vec<EscalationPath>> = OnceLock::new();
    PATHS.get_or_init(|| {
        ESCALATION_WITH_PASSROLE
            .iter()
            .map(|(name, needs)| (*name, needs.iter().map(|a| catalog().lookup(a)).collect()))
            .collect()
    })
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_action_exists_in_the_catalog() {
        let mut lists: Vec<&str> = [
            DATA_EXFILTRATION.names,
            CREDENTIALS_EXPOSURE.names,
            RESOURCE_EXPOSURE.names,
            ESCALATION_SINGLE.names,
        ]
        .concat();
        for (_, actions) in ESCALATION_WITH_PASSROLE {
            lists.extend_from_slice(actions);
        }
        let missing: Vec<&str> = lists
            .into_iter()
            .filter(|a| catalog().lookup(a).is_none())
            .collect();
        assert!(missing.is_empty(), "not in the catalog: {missing:?}");
    }
}
