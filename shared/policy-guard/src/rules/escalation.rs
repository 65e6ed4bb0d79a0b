//! Which privilege escalation paths ([`crate::tables::escalation`]) one document grants: a
//! query over the per-document [`Analysis`], shared by `privilege-escalation` and
//! `passrole-wildcard`, and kept apart from the table so that an analysis of a principal's
//! policies together can ask the same question of the union.
//!
//! A path is granted when every permission it needs is granted, from one statement or from
//! several:
//!
//! - on every resource of its type ([`Analysis::broad_grant`]: `*`, `NotResource`, or a pattern
//!   covering the whole type such as `arn:aws:iam::*:role/*`);
//! - for a path that passes a new role, the permissions besides `iam:PassRole` on any resource:
//!   creating the compute is the pivot, whatever the new resource is called, while the role
//!   passed is what decides how far it goes, so `iam:PassRole` must reach every role;
//! - for a path that still escalates when aimed at the principal itself ([`OnSelf::Escalates`]),
//!   on a resource that names the caller through a policy variable
//!   (`arn:aws:iam::111122223333:user/${aws:username}`).
//!
//! A document that grants administrator access (nearly every action on every resource, however
//! written) is `admin-access`'s finding: listing its escalation paths too would bury it. A
//! statement written with `*` or `NotAction` that grants less is judged here like any other.

use crate::analysis::{Analysis, BroadGrant, ResourceScope, StatementAnalysis};
use crate::catalog::{catalog, ActionId};
use crate::matching::pattern_overlaps_format;
use crate::matching::variables::{names_the_principal, widened};
use crate::tables::escalation::{
    escalation_paths, EscalationPath, OnSelf, PathCategory, ResolvedPath,
};
use std::collections::BTreeSet;

/// How far a granted path reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Any principal, function, stack, instance... of the account.
    Any,
    /// Only the principal's own user, role, group or policy, named through a policy variable.
    OnlySelf,
}

/// One path the document grants, and the grant of each of its permissions.
#[derive(Debug, Clone)]
pub struct GrantedPath {
    pub path: &'static EscalationPath,
    pub reach: Reach,
    /// One grant per required permission, in the path's order.
    pub grants: Vec<(ActionId, BroadGrant)>,
}

impl GrantedPath {
    /// The statements the path's permissions come from, in document order.
    pub fn statements(&self) -> Vec<usize> {
        let set: BTreeSet<usize> = self.grants.iter().map(|(_, g)| g.statement).collect();
        set.into_iter().collect()
    }

    /// The weakest link: the most narrowing condition among the grants.
    pub fn constraint(&self) -> crate::analysis::Constraint {
        self.grants
            .iter()
            .map(|(_, g)| g.constraint.clone())
            .max()
            .unwrap_or(crate::analysis::Constraint::None)
    }

    pub fn requires_passrole(&self) -> bool {
        self.path.requires.contains(&"iam:PassRole")
    }
}

/// Every path `policy` grants, in table order.
pub fn granted_paths(analysis: &Analysis) -> Vec<GrantedPath> {
    let passrole = catalog().lookup("iam:PassRole");
    let mut out = Vec::new();
    if analysis.grants_administrator() {
        return out;
    }
    for resolved in escalation_paths() {
        let Some(ids) = ids_of(resolved) else {
            continue;
        };
        // Granted at all first: the breadth of a grant is only worked out when it matters.
        if !ids.iter().all(|&id| analysis.allowed().contains(id)) {
            continue;
        }
        let path = resolved.path;
        // The compute a role is passed to may be named; a path without `iam:PassRole`
        // (`cloudformation-005` runs as an existing stack's role) acts on what it names.
        let passes_role = passrole.is_some()
            && path.category == PathCategory::NewPassRole
            && resolved.requires.contains(&passrole);
        let any_resource_counts = |id: ActionId| passes_role && Some(id) != passrole;
        let broad: Option<Vec<(ActionId, BroadGrant)>> = ids
            .iter()
            .map(|&id| {
                let grant = analysis.broad_grant(id).or_else(|| {
                    any_resource_counts(id)
                        .then(|| any_grant(analysis, id))
                        .flatten()
                });
                grant.map(|g| (id, g))
            })
            .collect();
        if let Some(grants) = broad {
            out.push(GrantedPath {
                path,
                reach: Reach::Any,
                grants,
            });
            continue;
        }
        if path.on_self != OnSelf::Escalates {
            continue;
        }
        let mut some_self = false;
        let on_self: Option<Vec<(ActionId, BroadGrant)>> = ids
            .iter()
            .map(|&id| {
                analysis
                    .broad_grant(id)
                    .or_else(|| {
                        let grant = self_grant(analysis, id);
                        some_self |= grant.is_some();
                        grant
                    })
                    .map(|g| (id, g))
            })
            .collect();
        if let Some(grants) = on_self {
            if some_self {
                out.push(GrantedPath {
                    path,
                    reach: Reach::OnlySelf,
                    grants,
                });
            }
        }
    }
    out
}

fn ids_of(resolved: &ResolvedPath) -> Option<Vec<ActionId>> {
    resolved.requires.iter().copied().collect()
}

fn grant_of(s: &StatementAnalysis) -> BroadGrant {
    BroadGrant {
        statement: s.index,
        constraint: s.constraint.clone(),
        resources: s.resource_patterns(),
    }
}

/// The least constrained Allow statement granting `action` on any resource at all.
fn any_grant(analysis: &Analysis, action: ActionId) -> Option<BroadGrant> {
    if analysis.denied_everywhere().contains(action) {
        return None;
    }
    analysis
        .allows()
        .filter(|s| s.actions.contains(action))
        .min_by(|a, b| a.constraint.cmp(&b.constraint))
        .map(grant_of)
}

/// The least constrained Allow statement granting `action` on a resource that names the caller
/// through a policy variable and can be one of the action's resources.
pub fn self_grant(analysis: &Analysis, action: ActionId) -> Option<BroadGrant> {
    if analysis.denied_everywhere().contains(action) {
        return None;
    }
    analysis
        .allows()
        .filter(|s| s.actions.contains(action))
        .filter(|s| names_principal_for(s, action))
        .min_by(|a, b| a.constraint.cmp(&b.constraint))
        .map(grant_of)
}

/// Whether one of the statement's resources names the caller and can be a resource of
/// `action` (`user/${aws:username}` for `iam:PutUserPolicy`, not for `iam:PutRolePolicy`).
fn names_principal_for(s: &StatementAnalysis, action: ActionId) -> bool {
    let ResourceScope::Listed(patterns) = &s.resources else {
        return false;
    };
    let Some(def) = catalog().action(action) else {
        return false;
    };
    patterns.iter().any(|p| {
        names_the_principal(p) && {
            let wide = widened(p);
            def.resource_types()
                .any(|t| pattern_overlaps_format(&wide, t.arn_format()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::policy::parse_policy;

    fn ids(statements: &str) -> Vec<(&'static str, Reach)> {
        let policy = parse_policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#
        ))
        .unwrap();
        granted_paths(&analyze(&policy))
            .into_iter()
            .map(|g| (g.path.id, g.reach))
            .collect()
    }

    #[test]
    fn a_path_split_over_statements_is_granted() {
        let found = ids(
            r#"{"Effect":"Allow","Action":"ec2:ModifyInstanceAttribute","Resource":"*"},
               {"Effect":"Allow","Action":["ec2:StopInstances","ec2:StartInstances"],"Resource":"arn:aws:ec2:*:*:instance/*"}"#,
        );
        assert_eq!(found, vec![("ec2-002", Reach::Any)]);
    }

    #[test]
    fn a_missing_permission_means_no_path() {
        assert!(ids(r#"{"Effect":"Allow","Action":["ec2:StopInstances","ec2:StartInstances"],"Resource":"*"}"#).is_empty());
        assert!(ids(
            r#"{"Effect":"Allow","Action":"cloudformation:CreateChangeSet","Resource":"*"}"#
        )
        .is_empty());
        // A change set runs as the stack's own role: on named stacks it is not a path.
        assert!(ids(r#"{"Effect":"Allow","Action":["cloudformation:CreateChangeSet","cloudformation:ExecuteChangeSet"],"Resource":"arn:aws:cloudformation:*:*:stack/app-*"}"#).is_empty());
    }

    #[test]
    fn passrole_must_reach_every_role_but_the_compute_may_be_named() {
        let found = ids(
            r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},
               {"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"arn:aws:lambda:us-east-1:111122223333:function:app-*"}"#,
        );
        assert_eq!(found, vec![("lambda-001", Reach::Any)]);
        assert!(ids(
            r#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/app-task"},
               {"Effect":"Allow","Action":["lambda:CreateFunction","lambda:InvokeFunction"],"Resource":"*"}"#
        )
        .is_empty());
    }

    #[test]
    fn an_existing_resource_path_on_one_named_resource_is_not_granted() {
        assert!(ids(r#"{"Effect":"Allow","Action":"lambda:UpdateFunctionCode","Resource":"arn:aws:lambda:us-east-1:111122223333:function:app"}"#).is_empty());
    }

    #[test]
    fn the_principal_itself_through_a_variable() {
        assert_eq!(
            ids(
                r#"{"Effect":"Allow","Action":"iam:PutUserPolicy","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#
            ),
            vec![("iam-007", Reach::OnlySelf)]
        );
        // Self-service credentials are not an escalation.
        assert!(ids(r#"{"Effect":"Allow","Action":["iam:CreateAccessKey","iam:UpdateLoginProfile"],"Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#).is_empty());
        // The variable must name a resource the action acts on.
        assert!(ids(r#"{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"arn:aws:iam::111122223333:user/${aws:username}"}"#).is_empty());
    }

    #[test]
    fn administrator_access_is_left_to_admin_access() {
        assert!(ids(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#).is_empty());
        assert!(ids(r#"{"Effect":"Allow","NotAction":"s3:*","Resource":"*"}"#).is_empty());
        assert!(ids(r#"{"Effect":"Allow","Action":["a*:*","b*:*","c*:*","d*:*","e*:*","f*:*","g*:*","h*:*","i*:*"],"Resource":"*"},
            {"Effect":"Allow","Action":["j*:*","k*:*","l*:*","m*:*","n*:*","o*:*","p*:*","q*:*","r*:*","s*:*","t*:*","u*:*","v*:*","w*:*","x*:*","y*:*","z*:*"],"Resource":"*"}"#).is_empty());
    }

    #[test]
    fn a_wildcard_statement_short_of_administrator_is_judged() {
        let on_roles = ids(r#"{"Effect":"Allow","Action":"*","Resource":"arn:aws:iam::*:role/*"}"#);
        assert!(
            on_roles.iter().any(|(id, _)| *id == "iam-005"),
            "{on_roles:?}"
        );
        let not_action = ids(
            r#"{"Effect":"Allow","NotAction":["ec2:*","s3:*","lambda:*","dynamodb:*","rds:*","sagemaker:*","glue:*","cloudformation:*","ecs:*","ssm:*"],"Resource":"*"}"#,
        );
        assert!(!not_action.is_empty());
    }

    #[test]
    fn an_unconditional_deny_removes_the_path() {
        assert!(ids(
            r#"{"Effect":"Allow","Action":"iam:PutRolePolicy","Resource":"*"},
               {"Effect":"Deny","Action":"iam:PutRolePolicy","Resource":"*"}"#
        )
        .is_empty());
    }
}
