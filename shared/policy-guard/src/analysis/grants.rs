//! "What does this policy grant", grouped by service and access level, and the access a new
//! document grants that an old one did not.

use super::{analyze, Analysis};
use crate::catalog::{catalog, AccessLevel, ActionSet};
use crate::policy::Policy;
use serde::Serialize;
use std::collections::BTreeMap;

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
}

impl AccessDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
    }

    pub fn action_count(&self) -> usize {
        self.added.iter().map(|a| a.actions.len()).sum()
    }

    pub fn summary_lines(&self) -> Vec<String> {
        self.added.iter().map(ServiceAccess::summary_line).collect()
    }
}

pub fn diff(old: &Policy, new: &Policy) -> AccessDiff {
    let (old, new) = (analyze(old), analyze(new));
    let new_unconstrained = new.unconstrained();
    let mut newly_allowed = new.allowed().clone();
    newly_allowed.subtract(old.allowed());
    let mut widened = new_unconstrained.clone();
    widened.subtract(&old.unconstrained());
    newly_allowed.union_with(&widened);
    AccessDiff {
        added: group(&newly_allowed, &new_unconstrained),
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
}
