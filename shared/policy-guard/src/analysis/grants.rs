//! "What does this policy grant", grouped by service and access level, and the access a new
//! document grants that an old one did not.

use super::{analyze, Analysis, ResourceScope, StatementAnalysis};
use crate::catalog::{catalog, AccessLevel, ActionSet};
use crate::matching::wildcard_match;
use crate::policy::{Condition, Effect, Policy, Principals, Statement};
use crate::report::{AccessChange, ConditionRef, StatementRef};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Actions of one service at one access level, either granted on every resource without
/// condition (`unconstrained`) or only on some resources / under conditions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceAccess {
    pub service: String,
    pub access_level: AccessLevel,
    pub unconstrained: bool,
    pub actions: Vec<String>,
}

impl ServiceAccess {
    /// `iam: Permissions management, 3 actions on every resource (iam:AttachRolePolicy, ...)`
    pub fn summary_line(&self) -> String {
        let scope = if self.unconstrained {
            "on every resource"
        } else {
            "scoped"
        };
        let shown: Vec<&str> = self.actions.iter().take(5).map(String::as_str).collect();
        let more = self.actions.len().saturating_sub(shown.len());
        let tail = if more > 0 {
            format!(", and {more} more")
        } else {
            String::new()
        };
        format!(
            "{}: {}, {} action{} {scope} ({}{tail})",
            self.service,
            self.access_level,
            self.actions.len(),
            if self.actions.len() == 1 { "" } else { "s" },
            shown.join(", "),
        )
    }
}

/// One service's actions by (access level, scoped).
type Groups = BTreeMap<(AccessLevel, bool), Vec<String>>;

/// Groups `allowed` by service and access level, splitting off what is also in `unconstrained`.
/// Ordered by service, access level, then unconstrained before scoped.
fn group(allowed: &ActionSet, unconstrained: &ActionSet) -> Vec<ServiceAccess> {
    let catalog = catalog();
    let mut out = Vec::new();
    // Ids ascend by service prefix, then name: a service's actions arrive together, so each
    // service is grouped on its own (`*` puts all 20,000-odd actions through here).
    let mut service: Option<&'static str> = None;
    let mut groups: Groups = BTreeMap::new();
    let flush = |service: &str, groups: &mut Groups, out: &mut Vec<ServiceAccess>| {
        for ((access_level, scoped), actions) in std::mem::take(groups) {
            out.push(ServiceAccess {
                service: service.to_string(),
                access_level,
                unconstrained: !scoped,
                actions,
            });
        }
    };
    for id in allowed.iter() {
        let Some(def) = catalog.action(id) else {
            continue;
        };
        let prefix = def.service_prefix();
        if service != Some(prefix) {
            if let Some(done) = service {
                flush(done, &mut groups, &mut out);
            }
            service = Some(prefix);
        }
        groups
            .entry((def.access_level(), !unconstrained.contains(id)))
            .or_default()
            .push(def.qualified());
    }
    if let Some(done) = service {
        flush(done, &mut groups, &mut out);
    }
    out
}

/// Everything `policy` allows, by service and access level.
pub fn grant_summary(analysis: &Analysis) -> Vec<ServiceAccess> {
    group(analysis.allowed(), &analysis.unconstrained())
}

/// The access `new` grants that `old` did not: actions not allowed before, and actions that
/// were allowed only scoped before and are now unconstrained.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AccessDiff {
    pub added: Vec<ServiceAccess>,
    /// Who, under which conditions and on which resources `new` grants what `old` did not.
    pub changes: Vec<AccessChange>,
}

impl AccessDiff {
    /// No new action and no other change that grants more.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changes.is_empty()
    }

    pub fn action_count(&self) -> usize {
        self.added.iter().map(|a| a.actions.len()).sum()
    }

    /// One line per new service grant, then one per other change.
    pub fn summary_lines(&self) -> Vec<String> {
        self.added
            .iter()
            .map(ServiceAccess::summary_line)
            .chain(self.changes.iter().map(AccessChange::summary_line))
            .collect()
    }
}

pub fn diff(old_policy: &Policy, new_policy: &Policy) -> AccessDiff {
    let (old, new) = (analyze(old_policy), analyze(new_policy));
    let new_unconstrained = new.unconstrained();
    let mut newly_allowed = new.allowed().clone();
    newly_allowed.subtract(old.allowed());
    let mut widened = new_unconstrained.clone();
    widened.subtract(&old.unconstrained());
    newly_allowed.union_with(&widened);
    let mut changes = Vec::new();
    principal_changes(old_policy, new_policy, &mut changes);
    condition_changes(old_policy, &old, new_policy, &new, &mut changes);
    resource_changes(&old, new_policy, &new, &mut changes);
    AccessDiff {
        added: group(&newly_allowed, &new_unconstrained),
        changes,
    }
}

fn statement_ref(statement: &Statement) -> StatementRef {
    StatementRef {
        index: statement.index,
        sid: statement.sid.clone(),
    }
}

fn condition_ref(condition: &Condition) -> ConditionRef {
    ConditionRef {
        operator: condition.operator.as_str().to_string(),
        key: condition.key.clone(),
        values: condition.values.clone(),
    }
}

/// `(type, value)` of every principal a statement's `Principal` names (`("*", "*")` for
/// `"Principal": "*"`); nothing for `NotPrincipal`.
fn principals_of(statement: &Statement) -> Vec<(String, String)> {
    match &statement.principal {
        Some(spec) if !spec.negated => match &spec.principals {
            Principals::Any => vec![("*".to_string(), "*".to_string())],
            Principals::Listed(list) => list
                .iter()
                .map(|p| (p.kind.as_str().to_string(), p.value.clone()))
                .collect(),
        },
        _ => Vec::new(),
    }
}

/// The principals a `NotPrincipal` excludes, sorted; `None` without `NotPrincipal`.
fn excluded_of(statement: &Statement) -> Option<Vec<String>> {
    match &statement.principal {
        Some(spec) if spec.negated => {
            let mut excluded: Vec<String> = match &spec.principals {
                Principals::Any => vec!["*".to_string()],
                Principals::Listed(list) => list
                    .iter()
                    .map(|p| format!("{}:{}", p.kind.as_str(), p.value))
                    .collect(),
            };
            excluded.sort();
            excluded.dedup();
            Some(excluded)
        }
        _ => None,
    }
}

fn allows(policy: &Policy) -> impl Iterator<Item = &Statement> {
    policy
        .statements
        .iter()
        .filter(|s| s.effect == Effect::Allow)
}

/// Principals and `NotPrincipal` lists the new version's Allow statements name that no Allow
/// statement of the old version named.
fn principal_changes(old: &Policy, new: &Policy, out: &mut Vec<AccessChange>) {
    let before: BTreeSet<(String, String)> = allows(old).flat_map(principals_of).collect();
    let excluded_before: BTreeSet<Vec<String>> = allows(old).filter_map(excluded_of).collect();
    let mut seen = BTreeSet::new();
    for statement in allows(new) {
        for principal in principals_of(statement) {
            if !before.contains(&principal) && seen.insert(principal.clone()) {
                out.push(AccessChange::PrincipalAdded {
                    statement: statement_ref(statement),
                    principal_type: principal.0,
                    principal: principal.1,
                });
            }
        }
        if let Some(excluded) = excluded_of(statement) {
            if !excluded_before.contains(&excluded) {
                out.push(AccessChange::NotPrincipalAdded {
                    statement: statement_ref(statement),
                    excluded,
                });
            }
        }
    }
}

/// The old statement a new one is a version of: the one with the same `Sid`, else the one at
/// the same position with the same effect (and no `Sid` of another new statement).
fn counterpart<'a>(old: &'a Policy, new: &Policy, statement: &Statement) -> Option<&'a Statement> {
    if let Some(sid) = &statement.sid {
        if let Some(found) = old
            .statements
            .iter()
            .find(|o| o.sid.as_deref() == Some(sid.as_str()))
        {
            return Some(found);
        }
    }
    old.statements.get(statement.index).filter(|o| {
        o.effect == statement.effect
            && o.sid.as_ref().is_none_or(|sid| {
                !new.statements
                    .iter()
                    .any(|n| n.sid.as_deref() == Some(sid.as_str()))
            })
    })
}

fn same_key(a: &Condition, b: &Condition) -> bool {
    a.key.eq_ignore_ascii_case(&b.key)
}

/// Removed or weakened conditions of Allow statements that still allow some of the same
/// actions, and Deny statements removed or made conditional.
fn condition_changes(
    old_policy: &Policy,
    old: &Analysis,
    new_policy: &Policy,
    new: &Analysis,
    out: &mut Vec<AccessChange>,
) {
    fn analysis_of(analysis: &Analysis, index: usize) -> Option<&StatementAnalysis> {
        analysis.statements.iter().find(|s| s.index == index)
    }
    let mut paired_old = BTreeSet::new();
    for statement in &new_policy.statements {
        let Some(before) = counterpart(old_policy, new_policy, statement) else {
            continue;
        };
        paired_old.insert(before.index);
        let at = statement_ref(statement);
        match statement.effect {
            Effect::Allow => {
                let overlap = match (
                    analysis_of(old, before.index),
                    analysis_of(new, statement.index),
                ) {
                    (Some(o), Some(n)) => o.actions.intersects(&n.actions),
                    _ => false,
                };
                if !overlap {
                    continue;
                }
                for condition in &before.conditions {
                    let same: Vec<&Condition> = statement
                        .conditions
                        .iter()
                        .filter(|c| same_key(c, condition))
                        .collect();
                    let same_operator = same
                        .iter()
                        .find(|c| c.operator.as_str() == condition.operator.as_str());
                    match (same_operator, same.first()) {
                        (Some(now), _) => {
                            let widened = if condition.operator.is_negated() {
                                condition.values.iter().any(|v| !now.values.contains(v))
                            } else {
                                now.values.iter().any(|v| !condition.values.contains(v))
                            };
                            if widened {
                                out.push(AccessChange::ConditionWeakened {
                                    statement: at.clone(),
                                    old: condition_ref(condition),
                                    new: condition_ref(now),
                                });
                            }
                        }
                        (None, Some(now)) => out.push(AccessChange::ConditionChanged {
                            statement: at.clone(),
                            old: condition_ref(condition),
                            new: condition_ref(now),
                        }),
                        (None, None) => out.push(AccessChange::ConditionRemoved {
                            statement: at.clone(),
                            condition: condition_ref(condition),
                        }),
                    }
                }
            }
            Effect::Deny => {
                for condition in &statement.conditions {
                    let had = before.conditions.iter().any(|c| {
                        same_key(c, condition) && c.operator.as_str() == condition.operator.as_str()
                    });
                    if !had {
                        out.push(AccessChange::DenyConditionAdded {
                            statement: at.clone(),
                            condition: condition_ref(condition),
                        });
                    }
                }
            }
        }
    }
    for statement in &old_policy.statements {
        if statement.effect == Effect::Deny && !paired_old.contains(&statement.index) {
            out.push(AccessChange::DenyRemoved {
                statement: statement_ref(statement),
                actions: statement.action.patterns.clone(),
            });
        }
    }
}

/// Whether an old statement's resources cover `resource` as written in a new statement.
fn covers(scope: &ResourceScope, resource: &str) -> bool {
    match scope {
        ResourceScope::Any | ResourceScope::Implicit => true,
        ResourceScope::Listed(patterns) => patterns.iter().any(|p| wildcard_match(p, resource)),
        ResourceScope::Excluding(patterns) => !patterns.iter().any(|p| wildcard_match(p, resource)),
    }
}

/// Resource patterns of the new version's Allow statements on which actions the old version
/// already allowed reach further than any old statement granted them.
fn resource_changes(
    old: &Analysis,
    new_policy: &Policy,
    new: &Analysis,
    out: &mut Vec<AccessChange>,
) {
    for statement in new.allows() {
        let Some(written) = new_policy.statements.get(statement.index) else {
            continue;
        };
        let resources: Vec<String> = match &statement.resources {
            ResourceScope::Implicit => continue,
            ResourceScope::Excluding(patterns) => {
                vec![format!("everything except {}", patterns.join(", "))]
            }
            ResourceScope::Any | ResourceScope::Listed(_) => statement.written_resources.clone(),
        };
        for resource in resources {
            let mut reached = statement.actions.clone();
            reached.intersect_with(old.allowed());
            for before in old.allows() {
                let covered = match &statement.resources {
                    // A NotResource is covered by an old grant that excluded no more.
                    ResourceScope::Excluding(patterns) => match &before.resources {
                        ResourceScope::Any | ResourceScope::Implicit => true,
                        ResourceScope::Excluding(old_patterns) => {
                            old_patterns.iter().all(|p| patterns.contains(p))
                        }
                        ResourceScope::Listed(_) => false,
                    },
                    _ => covers(&before.resources, &resource),
                };
                if covered {
                    reached.subtract(&before.actions);
                }
                if reached.is_empty() {
                    break;
                }
            }
            if reached.is_empty() {
                continue;
            }
            out.push(AccessChange::ResourceAdded {
                statement: statement_ref(written),
                resource,
                actions: reached.names().take(5).collect(),
                action_count: reached.len(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::parse_policy;

    fn policy(statements: &str) -> Policy {
        parse_policy(&format!(
            r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn diff_reports_new_and_widened_access_only() {
        let old =
            policy(r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}"#);
        let new =
            policy(r#"{"Effect":"Allow","Action":["s3:GetObject","iam:PassRole"],"Resource":"*"}"#);
        let d = diff(&old, &new);
        let names: Vec<&str> = d
            .added
            .iter()
            .flat_map(|a| a.actions.iter().map(String::as_str))
            .collect();
        assert_eq!(names, vec!["iam:PassRole", "s3:GetObject"]);
        assert!(d.added.iter().all(|a| a.unconstrained));
        assert!(diff(&new, &old).is_empty());
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn summary_splits_unconstrained_and_scoped() {
        let p = policy(
            r#"{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"*"},
               {"Effect":"Allow","Action":"dynamodb:PutItem","Resource":"arn:aws:dynamodb:us-east-1:111122223333:table/T"}"#,
        );
        let summary = grant_summary(&analyze(&p));
        assert_eq!(summary.len(), 2);
        let read = summary
            .iter()
            .find(|s| s.access_level == AccessLevel::Read)
            .unwrap();
        assert!(read.unconstrained);
        let write = summary
            .iter()
            .find(|s| s.access_level == AccessLevel::Write)
            .unwrap();
        assert!(!write.unconstrained);
        assert!(write
            .summary_line()
            .starts_with("dynamodb: Write, 1 action scoped"));
    }

    fn kinds(d: &AccessDiff) -> Vec<String> {
        d.changes
            .iter()
            .map(|c| {
                serde_json::to_value(c).unwrap()["change"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn a_trust_policy_diff_names_the_new_principals() {
        let old = policy(
            r#"{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}"#,
        );
        let new = policy(
            r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},"Action":"sts:AssumeRole"}"#,
        );
        let d = diff(&old, &new);
        assert!(d.added.is_empty(), "no new action");
        assert_eq!(
            d.changes,
            vec![AccessChange::PrincipalAdded {
                statement: StatementRef {
                    index: 0,
                    sid: None
                },
                principal_type: "AWS".to_string(),
                principal: "arn:aws:iam::444455556666:root".to_string(),
            }]
        );
        assert!(diff(&new, &old).is_empty());
        let everyone = policy(
            r#"{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:user/intern"},"Action":"sts:AssumeRole"}"#,
        );
        assert_eq!(kinds(&diff(&old, &everyone)), vec!["not_principal_added"]);
    }

    #[test]
    fn removed_and_weakened_conditions_are_new_access() {
        let old = policy(
            r#"{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringEquals":{"aws:PrincipalOrgID":"o-aaaaaaaaaa"}}}"#,
        );
        let new = policy(
            r#"{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:PrincipalOrgID":["o-aaaaaaaaaa","o-bbbbbbbbbb"]}}}"#,
        );
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            vec!["condition_removed", "condition_weakened"],
            "{:#?}",
            d.changes
        );
        // Narrowing is not new access.
        assert!(diff(&new, &old)
            .changes
            .iter()
            .all(|c| !matches!(c, AccessChange::ConditionWeakened { .. })));
        let like = policy(
            r#"{"Sid":"Read","Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"},"StringLike":{"aws:PrincipalOrgID":"o-*"}}}"#,
        );
        assert_eq!(kinds(&diff(&old, &like)), vec!["condition_changed"]);
    }

    #[test]
    fn new_resources_for_old_actions_and_removed_denies() {
        let old = policy(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
               {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*"}"#,
        );
        let new = policy(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/public/*","arn:aws:s3:::c/*"]}"#,
        );
        let d = diff(&old, &new);
        assert_eq!(
            kinds(&d),
            vec!["deny_removed", "resource_added"],
            "{:#?}",
            d.changes
        );
        assert!(d.changes.contains(&AccessChange::ResourceAdded {
            statement: StatementRef {
                index: 0,
                sid: None
            },
            resource: "arn:aws:s3:::c/*".to_string(),
            actions: vec!["s3:GetObject".to_string()],
            action_count: 1,
        }));
        let conditional_deny = policy(
            r#"{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
               {"Effect":"Deny","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}}"#,
        );
        assert_eq!(
            kinds(&diff(&old, &conditional_deny)),
            vec!["deny_condition_added"]
        );
        assert!(diff(&old, &old).is_empty());
    }
}
