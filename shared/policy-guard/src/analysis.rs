//! Per-document analysis: what a policy grants, worked out once per document for the rules.
//! Expanded action sets per statement, how far a statement's conditions narrow it
//! ([`Constraint`]), broad grants, and the access one document grants that another did not
//! ([`diff`]). Deciding one request is the request evaluator's job, [`crate::eval`].

mod constraint;
mod grants;

pub use constraint::Constraint;

pub use grants::{diff, grant_summary, AccessDiff, ServiceAccess};

use crate::catalog::{catalog, ActionId, ActionSet};
use crate::matching::pattern_covers_format;
use crate::policy::{Effect, Policy, Statement};

/// The resources a statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceScope {
    /// `"Resource": "*"` (possibly among other patterns).
    Any,
    /// Specific patterns.
    Listed(Vec<String>),
    /// `NotResource`: everything except these.
    Excluding(Vec<String>),
    /// No resource element (trust policies): the resource the policy is attached to.
    Implicit,
}

/// One pattern of an `Action` element and what it matched in the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternMatch {
    pub position: usize,
    pub pattern: String,
    pub matched: usize,
    pub service_known: bool,
    /// The action the pattern names, when it has no wildcard and the catalog has it.
    pub exact: Option<ActionId>,
}

/// One statement, expanded.
#[derive(Debug, Clone)]
pub struct StatementAnalysis {
    pub index: usize,
    pub effect: Effect,
    /// The actions the statement covers (a `NotAction` is already complemented).
    pub actions: ActionSet,
    pub patterns: Vec<PatternMatch>,
    pub resources: ResourceScope,
    pub constraint: Constraint,
}

impl StatementAnalysis {
    fn new(statement: &Statement) -> StatementAnalysis {
        let catalog = catalog();
        let mut actions = ActionSet::new_empty();
        let mut patterns = Vec::with_capacity(statement.action.patterns.len());
        for (position, pattern) in statement.action.patterns.iter().enumerate() {
            let matches = catalog.expand_into(pattern, &mut actions);
            patterns.push(PatternMatch {
                position,
                pattern: pattern.clone(),
                matched: matches.matched,
                service_known: matches.service_known,
                exact: matches.exact,
            });
        }
        if statement.action.negated {
            actions = actions.complement();
        }
        let resources = match &statement.resource {
            None => ResourceScope::Implicit,
            Some(spec) if spec.negated => ResourceScope::Excluding(spec.patterns.clone()),
            Some(spec) if spec.patterns.iter().any(|p| p == "*") => ResourceScope::Any,
            Some(spec) => ResourceScope::Listed(spec.patterns.clone()),
        };
        StatementAnalysis {
            index: statement.index,
            effect: statement.effect,
            actions,
            patterns,
            resources,
            constraint: Constraint::of(statement),
        }
    }

    /// Whether the statement reaches every resource `action` can act on (within an account):
    /// `*`, `NotResource`, or a pattern covering a whole resource type such as
    /// `arn:aws:iam::*:role/*`.
    pub fn is_broad_for(&self, action: ActionId) -> bool {
        match &self.resources {
            ResourceScope::Any | ResourceScope::Excluding(_) => true,
            ResourceScope::Implicit => false,
            ResourceScope::Listed(patterns) => {
                let Some(def) = catalog().action(action) else {
                    return false;
                };
                let mut types = def.resource_types().peekable();
                if types.peek().is_none() {
                    // Actions that only support "*" are granted by a pattern only if it matches
                    // the service's whole ARN space (`arn:aws:logs:*:*:*`).
                    return patterns.iter().any(|p| {
                        crate::matching::parse_arn(p).is_some_and(|arn| arn.resource == "*")
                    });
                }
                types.any(|t| {
                    patterns
                        .iter()
                        .any(|p| pattern_covers_format(p, t.arn_format()))
                })
            }
        }
    }

    pub fn resource_patterns(&self) -> Vec<String> {
        match &self.resources {
            ResourceScope::Any => vec!["*".to_string()],
            ResourceScope::Listed(p) => p.clone(),
            ResourceScope::Excluding(p) => {
                p.iter().map(|p| format!("everything except {p}")).collect()
            }
            ResourceScope::Implicit => Vec::new(),
        }
    }
}

/// A statement that grants an action on every resource of its type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BroadGrant {
    pub statement: usize,
    pub constraint: Constraint,
    pub resources: Vec<String>,
}

/// A whole policy, expanded once and shared by every rule.
#[derive(Debug, Clone)]
pub struct Analysis {
    pub statements: Vec<StatementAnalysis>,
    denied_everywhere: ActionSet,
    allowed: ActionSet,
}

/// Expands every statement of `policy` against the catalog.
pub fn analyze(policy: &Policy) -> Analysis {
    let statements: Vec<StatementAnalysis> = policy
        .statements
        .iter()
        .map(StatementAnalysis::new)
        .collect();
    let mut denied_everywhere = ActionSet::new_empty();
    for s in &statements {
        let everywhere = matches!(s.resources, ResourceScope::Any | ResourceScope::Implicit);
        if s.effect == Effect::Deny && s.constraint.is_none() && everywhere {
            denied_everywhere.union_with(&s.actions);
        }
    }
    let mut allowed = ActionSet::new_empty();
    for s in statements.iter().filter(|s| s.effect == Effect::Allow) {
        allowed.union_with(&s.actions);
    }
    allowed.subtract(&denied_everywhere);
    Analysis {
        statements,
        denied_everywhere,
        allowed,
    }
}

impl Analysis {
    /// Actions an unconditional `Deny` removes on every resource.
    pub fn denied_everywhere(&self) -> &ActionSet {
        &self.denied_everywhere
    }

    /// Allow statements, in document order.
    pub fn allows(&self) -> impl Iterator<Item = &StatementAnalysis> {
        self.statements.iter().filter(|s| s.effect == Effect::Allow)
    }

    /// Every action some Allow statement grants, on some resource, under some condition.
    pub fn allowed(&self) -> &ActionSet {
        &self.allowed
    }

    /// Actions granted on every resource with no condition at all, after unconditional denies.
    /// Split across statements counts: the union is what the principal holds.
    pub fn unconstrained(&self) -> ActionSet {
        let mut set = ActionSet::new_empty();
        for s in self.allows() {
            let everywhere = matches!(
                s.resources,
                ResourceScope::Any | ResourceScope::Excluding(_)
            );
            if everywhere && s.constraint.is_none() {
                set.union_with(&s.actions);
            }
        }
        set.subtract(&self.denied_everywhere);
        set
    }

    /// The least constrained statement granting `action` on all of its resources, if any.
    pub fn broad_grant(&self, action: ActionId) -> Option<BroadGrant> {
        if self.denied_everywhere.contains(action) {
            return None;
        }
        self.allows()
            .filter(|s| s.actions.contains(action) && s.is_broad_for(action))
            .min_by(|a, b| a.constraint.cmp(&b.constraint))
            .map(|s| BroadGrant {
                statement: s.index,
                constraint: s.constraint.clone(),
                resources: s.resource_patterns(),
            })
    }
}
