//! Privilege escalation: the actions that escalate alone, and the sets that escalate with
//! `iam:PassRole`.

use super::ActionList;
use crate::catalog::{catalog, ActionId};
use std::sync::OnceLock;

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

/// An escalation path's name and the actions it needs (`None`: not in the catalog).
type EscalationPath = (&'static str, Vec<Option<ActionId>>);

/// [`ESCALATION_WITH_PASSROLE`] with each action looked up once.
pub fn escalation_with_passrole() -> &'static [EscalationPath] {
    static PATHS: OnceLock<Vec<EscalationPath>> = OnceLock::new();
    PATHS.get_or_init(|| {
        ESCALATION_WITH_PASSROLE
            .iter()
            .map(|(name, needs)| (*name, needs.iter().map(|a| catalog().lookup(a)).collect()))
            .collect()
    })
}
