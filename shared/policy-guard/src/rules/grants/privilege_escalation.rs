use crate::rules::escalation::{granted_paths, GrantedPath, Reach};
use crate::rules::sensitive::plural;
use crate::rules::{at, constrain, kinds, Rule, RuleContext};
use crate::tables::escalation::{PathCategory, Source};
use crate::text::{quoted, quoted_list};
use crate::Severity;
use crate::{Category, Finding};
use std::collections::BTreeMap;

declare_rule! {
    /// ### What it does
    /// Reports the known privilege escalation paths the policy grants whole: pathfinding.cloud's
    /// catalog (86 paths, `apprunner-001` … `sts-001`, and 8 more from cloudsplaining and
    /// Rhino Security Labs), each with every permission it needs,
    /// granted from one statement or from several. Self-escalation (`iam:PutRolePolicy`,
    /// `iam:AttachUserPolicy`, `iam:CreatePolicyVersion`, ...), access to other principals
    /// (`iam:CreateAccessKey`, `iam:UpdateAssumeRolePolicy`, `sts:AssumeRole` on every role),
    /// `iam:PassRole` on every role with a way to run code as it (`ec2:RunInstances`,
    /// `lambda:CreateFunction` + `lambda:InvokeFunction`, ...), and code run in existing
    /// compute that already has a role (`lambda:UpdateFunctionCode`, `ssm:SendCommand`,
    /// `codebuild:StartBuild`, `ecs:ExecuteCommand`, launch-template versions, ...).
    ///
    /// A permission counts when it is granted on every resource of its type; for a path that
    /// passes a new role, the permissions besides `iam:PassRole` count on any resource. A path
    /// aimed at the principal itself through a policy variable
    /// (`arn:aws:iam::111122223333:user/${aws:username}` with `iam:PutUserPolicy`) is reported
    /// too; creating one's own access key or changing one's own password is not.
    ///
    /// ### Why is this bad
    /// The holder is one step away from more permissions than the policy shows, usually
    /// administrator: it attaches AdministratorAccess to itself, mints keys for an
    /// administrator, or runs code as a role that has it.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:AttachRolePolicy", "iam:CreatePolicyVersion"], "Resource": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:GetPolicy", "iam:GetPolicyVersion"], "Resource": "arn:aws:iam::aws:policy/*"}]}
    /// ```
    pub struct PrivilegeEscalation {
        id: "privilege-escalation",
        category: Category::PrivilegeEscalation,
        severity: Severity::High,
        kinds: kinds::IDENTITY,
        summary: "every permission of a known privilege escalation path (pathfinding.cloud's catalog)",
    }
}

/// Paths named in full in a message; the rest are counted.
const SHOWN_PATHS: usize = 8;

impl Rule for PrivilegeEscalation {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Some((policy, analysis)) = cx.policy() else {
            return;
        };
        // One finding per set of granting statements and reach: a policy granting `iam:*`
        // gets one finding naming its twenty paths, not twenty findings.
        let mut groups: BTreeMap<(Reach, Vec<usize>), Vec<GrantedPath>> = BTreeMap::new();
        for granted in granted_paths(analysis) {
            groups
                .entry((granted.reach, granted.statements()))
                .or_default()
                .push(granted);
        }
        for ((reach, statements), paths) in groups {
            let Some(statement) = statements
                .first()
                .and_then(|&i| policy.statements.get(i))
            else {
                continue;
            };
            let ids: Vec<&str> = paths.iter().map(|p| p.path.id).collect();
            let title = match reach {
                Reach::Any => format!(
                    "{} granted ({})",
                    plural(paths.len(), "privilege escalation path"),
                    quoted_list(&ids, 4)
                ),
                Reach::OnlySelf => format!(
                    "{} on the principal itself ({})",
                    plural(paths.len(), "privilege escalation path"),
                    quoted_list(&ids, 4)
                ),
            };
            let described: Vec<String> = paths
                .iter()
                .take(SHOWN_PATHS)
                .map(describe)
                .collect();
            let more = paths.len().saturating_sub(SHOWN_PATHS);
            let statement_names: Vec<String> = statements
                .iter()
                .filter_map(|&i| policy.statements.get(i))
                .map(|s| match &s.sid {
                    Some(sid) => format!("statement {} ({})", s.index + 1, quoted(sid)),
                    None => format!("statement {}", s.index + 1),
                })
                .collect();
            let reach_text = match reach {
                Reach::Any => "",
                Reach::OnlySelf => " on the principal's own user, role, group or policy, named through a policy variable,",
            };
            let message = format!(
                "The policy grants{reach_text} every permission of {}: {}{}. Granted by {}. {}",
                plural(paths.len(), "known privilege escalation path"),
                described.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                },
                statement_names.join(", "),
                why(&paths, reach),
            );
            let fix = match reach {
                Reach::Any => "Scope each permission to the resources the principal manages (never every role for `iam:PassRole`, add `iam:PassedToService`), or remove the permissions one of these paths needs.".to_string(),
                Reach::OnlySelf => "Do not let a principal change its own policies or boundary: drop these actions on its own ARN, or grant them only to an administrator.".to_string(),
            };
            let mut finding = Self::META.finding(
                at(policy, statement, Some(statement.resource_key())),
                title,
                message,
                fix,
            );
            let mut actions: Vec<String> = paths
                .iter()
                .flat_map(|p| p.path.requires.iter().map(|a| (*a).to_string()))
                .collect();
            actions.sort();
            actions.dedup();
            finding.actions = actions;
            let mut resources: Vec<String> = paths
                .iter()
                .flat_map(|p| p.grants.iter().flat_map(|(_, g)| g.resources.clone()))
                .collect();
            resources.sort();
            resources.dedup();
            finding.resources = resources;
            let constraint = paths
                .iter()
                .map(GrantedPath::constraint)
                .max()
                .unwrap_or(crate::analysis::Constraint::None);
            constrain(&mut finding, &constraint);
            out.push(finding);
        }
    }
}

/// "`iam-005` (self-escalation: `iam:PutRolePolicy`)".
fn describe(p: &GrantedPath) -> String {
    let source = match p.path.source {
        Source::PathfindingCloud => String::new(),
        Source::Other(source) => format!(", after {source}"),
    };
    format!(
        "{} ({}: {}{source})",
        quoted(p.path.id),
        p.path.category.as_str(),
        quoted_list(p.path.requires, 8)
    )
}

fn why(paths: &[GrantedPath], reach: Reach) -> &'static str {
    if reach == Reach::OnlySelf {
        return "The principal can write itself a policy, attach one, or lift its own boundary: whatever its other policies say, it can make itself administrator.";
    }
    let has = |c: PathCategory| paths.iter().any(|p| p.path.category == c);
    if has(PathCategory::SelfEscalation) {
        "Writing, attaching or re-versioning a policy, or joining a group, is a known way to administrator."
    } else if has(PathCategory::PrincipalAccess) {
        "Each lets the holder act as another principal (its keys, its password, its trust policy, its role), administrators included."
    } else if has(PathCategory::NewPassRole) {
        "The holder can hand any role of the account, administrators included, to compute it controls and run code as that role."
    } else {
        "The holder can run its own code in existing compute and act with the role that compute already has."
    }
}
