//! Per-document analysis: what a policy grants, worked out once per document for the rules.
//!
//! The rules ask this view what the statements grant *together*, never how one field is
//! written: Allow statements are united, Deny statements subtracted (`NotAction` and
//! `NotResource` denies included), and "every resource" means a pattern that covers every ARN
//! an action accepts (`*`, `arn:aws:*:*:*:*`, `arn:aws:s3:::*/*`, `arn:aws:iam::*:role/*`),
//! not the literal `*`. Also here: how far a statement's conditions narrow it
//! ([`Constraint`]), and the access one document grants that another did not ([`diff`]).
//! Deciding one request is the authorizer's job, [`crate::authorize`].

mod constraint;
mod grants;

pub use constraint::Constraint;

pub use grants::{diff, grant_summary, AccessDiff, ServiceAccess};

use crate::catalog::{catalog, ActionId, ActionSet};
use crate::matching::{parse_arn, pattern_covers_format, pattern_is_universal};
use crate::policy::{Condition, Effect, OperatorFamily, Policy, Statement};
use std::sync::OnceLock;

/// The resources a statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceScope {
    /// Every resource: `"*"` or a pattern that matches every ARN (`arn:aws:*:*:*:*`), possibly
    /// among other patterns.
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
    /// The `Resource` / `NotResource` patterns as written, for messages.
    pub written_resources: Vec<String>,
    pub constraint: Constraint,
    /// Whether the condition block holds for every request (none, or only `...IfExists`
    /// conditions whose values match everything): a Deny like that always applies.
    pub always_applies: bool,
    /// The actions this statement reaches on every resource of their type, within an account.
    broad: OnceLock<ActionSet>,
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
            Some(spec) if spec.patterns.iter().any(|p| pattern_is_universal(p)) => {
                ResourceScope::Any
            }
            Some(spec) => ResourceScope::Listed(spec.patterns.clone()),
        };
        let written_resources = statement
            .resource
            .as_ref()
            .map(|spec| spec.patterns.clone())
            .unwrap_or_default();
        StatementAnalysis {
            index: statement.index,
            effect: statement.effect,
            actions,
            patterns,
            resources,
            written_resources,
            constraint: Constraint::of(statement),
            always_applies: statement.conditions.iter().all(always_holds),
            broad: OnceLock::new(),
        }
    }

    /// Whether the statement reaches every resource `action` can act on (within an account):
    /// `*`, `NotResource`, or a pattern covering a whole resource type such as
    /// `arn:aws:iam::*:role/*` or `arn:aws:s3:::*/*`.
    pub fn is_broad_for(&self, action: ActionId) -> bool {
        if !self.actions.contains(action) {
            return false;
        }
        if let Some(broad) = self.broad.get() {
            return broad.contains(action);
        }
        // One action: cheaper to decide alone than to work out the whole set.
        match &self.resources {
            ResourceScope::Any => true,
            ResourceScope::Implicit => false,
            ResourceScope::Excluding(excluded) => !patterns_cover(excluded, action, true),
            ResourceScope::Listed(patterns) => patterns_cover(patterns, action, false),
        }
    }

    /// The statement's actions it grants (or denies) on every resource of their type, within
    /// an account.
    pub fn broad_actions(&self) -> &ActionSet {
        self.broad
            .get_or_init(|| self.actions_reaching_everything())
    }

    /// The statement's actions whose resources it covers completely, within an account.
    fn actions_reaching_everything(&self) -> ActionSet {
        match &self.resources {
            ResourceScope::Any => self.actions.clone(),
            ResourceScope::Implicit => ActionSet::new_empty(),
            ResourceScope::Excluding(excluded) => {
                // Everything but the exclusions: broad unless they take every resource the
                // action has.
                let mut set = self.actions.clone();
                set.subtract(&covered_actions(&self.actions, excluded, true));
                set
            }
            ResourceScope::Listed(patterns) => covered_actions(&self.actions, patterns, false),
        }
    }

    /// The members of `among` the statement grants on every resource of their type in every
    /// account and region: only patterns open in region and account reach that far, and what
    /// they cover is then what they cover within one. `among` spares a rule the actions it
    /// ignores.
    pub fn actions_reaching_everywhere_among(&self, among: &ActionSet) -> ActionSet {
        let mut actions = self.actions.clone();
        actions.intersect_with(among);
        match &self.resources {
            ResourceScope::Any => actions,
            ResourceScope::Implicit | ResourceScope::Excluding(_) => ActionSet::new_empty(),
            ResourceScope::Listed(patterns) => {
                let open: Vec<String> = patterns
                    .iter()
                    .filter(|p| open_in_region_and_account(p))
                    .cloned()
                    .collect();
                if open.is_empty() || actions.is_empty() {
                    ActionSet::new_empty()
                } else {
                    covered_actions(&actions, &open, false)
                }
            }
        }
    }

    pub fn resource_patterns(&self) -> Vec<String> {
        match &self.resources {
            ResourceScope::Any | ResourceScope::Listed(_) => self.written_resources.clone(),
            ResourceScope::Excluding(p) => {
                p.iter().map(|p| format!("everything except {p}")).collect()
            }
            ResourceScope::Implicit => Vec::new(),
        }
    }
}

/// Whether a pattern leaves the region and account open (`*` or empty, as S3's ARNs have them):
/// only such a pattern can cover a resource type in every account and region.
fn open_in_region_and_account(pattern: &str) -> bool {
    pattern
        .splitn(6, ':')
        .skip(3)
        .take(2)
        .all(|field| field.bytes().all(|b| b == b'*'))
}

/// Do `patterns` cover `action`'s resources: one of its resource types when `every_type` is
/// false (the grant reaches a whole type), all of them when true (a deny leaves none)?
fn patterns_cover(patterns: &[String], action: ActionId, every_type: bool) -> bool {
    let Some(def) = catalog().action(action) else {
        return false;
    };
    if patterns.iter().any(|p| pattern_is_universal(p)) {
        return true;
    }
    let mut types = def.resource_types().peekable();
    if types.peek().is_none() {
        // Actions that only support "*" are granted by a pattern only if it matches the
        // service's whole ARN space (`arn:aws:logs:*:*:*`).
        return patterns
            .iter()
            .any(|p| parse_arn(p).is_some_and(|arn| arn.resource == "*"));
    }
    let covered = |t: &crate::catalog::ResourceTypeDef| {
        patterns
            .iter()
            .any(|p| pattern_covers_format(p, t.arn_format()))
    };
    if every_type {
        types.all(covered)
    } else {
        types.any(covered)
    }
}

/// The members of `actions` whose resources `patterns` cover. Each resource type is compared
/// with the patterns once, however many actions share it.
fn covered_actions(actions: &ActionSet, patterns: &[String], every_type: bool) -> ActionSet {
    let catalog = catalog();
    if patterns.iter().any(|p| pattern_is_universal(p)) {
        return actions.clone();
    }
    // Whether some pattern's resource is `*` (which grants the actions that only support `*`).
    // Every action of the statement is a candidate, whatever service the patterns name:
    // `sts:AssumeRole` acts on IAM roles.
    let star_resource = patterns
        .iter()
        .any(|p| parse_arn(p).is_some_and(|arn| arn.resource == "*"));
    // Cheap screens before a pattern is compared with a format: its service field (a literal
    // one must equal the format's), and whether any resource field has a `*` at all (without
    // one, only formats whose resource field has no variable can be covered).
    let screens: Vec<(&String, Option<&str>)> = patterns
        .iter()
        .map(|p| {
            let service = p.split(':').nth(2).filter(|s| !s.contains(['*', '?']));
            (p, service)
        })
        .collect();
    let any_star = patterns.iter().any(|p| {
        p.splitn(6, ':')
            .nth(5)
            .map_or(p.contains('*'), |resource| resource.contains('*'))
    });
    let pattern_reaches_type = |format: &str| {
        let format_resource = format.splitn(6, ':').nth(5).unwrap_or("");
        if !any_star && format_resource.contains("${") {
            return false;
        }
        let format_service = format.split(':').nth(2).unwrap_or("");
        screens.iter().any(|(pattern, service)| {
            service.is_none_or(|s| s == format_service) && pattern_covers_format(pattern, format)
        })
    };
    // Each resource type is compared with the patterns once, however many actions share it:
    // 0 not yet, 1 not covered, 2 covered.
    let mut type_covered = vec![0u8; catalog.resource_type_count()];
    actions
        .iter()
        .filter(|&id| {
            let Some(def) = catalog.action(id) else {
                return false;
            };
            if def.wildcard_resource_only() {
                return star_resource;
            }
            let mut is_covered = |index: usize| {
                let Some(slot) = type_covered.get_mut(index) else {
                    return false;
                };
                if *slot == 0 {
                    let covers = catalog
                        .resource_type_by_index(index)
                        .is_some_and(|t| pattern_reaches_type(t.arn_format()));
                    *slot = if covers { 2 } else { 1 };
                }
                *slot == 2
            };
            let mut types = def.resource_type_indexes();
            if every_type {
                types.all(&mut is_covered)
            } else {
                types.any(&mut is_covered)
            }
        })
        .collect()
}

/// A condition that holds for every request: `...IfExists` (an absent key passes) whose
/// values match every value the key can have.
fn always_holds(condition: &Condition) -> bool {
    let operator = &condition.operator;
    if !operator.if_exists() || operator.is_negated() || operator.qualifier().is_some() {
        return false;
    }
    let all_stars = |v: &String| !v.is_empty() && v.bytes().all(|b| b == b'*');
    match operator.family() {
        OperatorFamily::String | OperatorFamily::Arn => {
            operator.supports_wildcards() && condition.values.iter().any(all_stars)
        }
        OperatorFamily::IpAddress => {
            condition.values.iter().any(|v| v.trim() == "0.0.0.0/0")
                && condition.values.iter().any(|v| v.trim() == "::/0")
        }
        _ => false,
    }
}

/// Granting at least this share of all actions on every resource is administrator access in
/// all but name: the exclusions are a short list.
pub const NEAR_ADMIN_SHARE: f64 = 0.9;

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
    /// Actions a Deny that always applies takes away on every resource they have.
    denied_everywhere: ActionSet,
    /// Actions whose broad grant a Deny that always applies narrows: denied everywhere, or
    /// everywhere outside a `NotResource` list that does not cover them.
    denied_broadly: ActionSet,
    allowed: ActionSet,
    broad: OnceLock<ActionSet>,
}

/// Expands every statement of `policy` against the catalog.
pub fn analyze(policy: &Policy) -> Analysis {
    let statements: Vec<StatementAnalysis> = policy
        .statements
        .iter()
        .map(StatementAnalysis::new)
        .collect();
    let mut denied_everywhere = ActionSet::new_empty();
    let mut denied_broadly = ActionSet::new_empty();
    for s in statements
        .iter()
        .filter(|s| s.effect == Effect::Deny && s.always_applies)
    {
        match &s.resources {
            ResourceScope::Any | ResourceScope::Implicit => {
                denied_everywhere.union_with(&s.actions);
            }
            ResourceScope::Listed(patterns) => {
                denied_everywhere.union_with(&covered_actions(&s.actions, patterns, true));
            }
            ResourceScope::Excluding(kept) => {
                // What is left is granted on the kept resources only: still broad where they
                // cover the action's resources.
                let mut narrowed = s.actions.clone();
                narrowed.subtract(&covered_actions(&s.actions, kept, false));
                denied_broadly.union_with(&narrowed);
            }
        }
    }
    denied_broadly.union_with(&denied_everywhere);
    let mut allowed = ActionSet::new_empty();
    for s in statements.iter().filter(|s| s.effect == Effect::Allow) {
        allowed.union_with(&s.actions);
    }
    allowed.subtract(&denied_everywhere);
    Analysis {
        statements,
        denied_everywhere,
        denied_broadly,
        allowed,
        broad: OnceLock::new(),
    }
}

impl Analysis {
    /// Actions a Deny that always applies removes on every resource.
    pub fn denied_everywhere(&self) -> &ActionSet {
        &self.denied_everywhere
    }

    /// Actions a Deny keeps from being granted on every resource (see [`Analysis::broad`]).
    pub fn denied_broadly(&self) -> &ActionSet {
        &self.denied_broadly
    }

    /// Allow statements, in document order.
    pub fn allows(&self) -> impl Iterator<Item = &StatementAnalysis> {
        self.statements.iter().filter(|s| s.effect == Effect::Allow)
    }

    /// Every action some Allow statement grants, on some resource, under some condition.
    pub fn allowed(&self) -> &ActionSet {
        &self.allowed
    }

    /// Every action granted on every resource of its type (within an account), under some
    /// condition, after denies: the union over the Allow statements, so a grant split across
    /// statements counts whole.
    pub fn broad(&self) -> &ActionSet {
        self.broad.get_or_init(|| {
            let mut set = ActionSet::new_empty();
            for s in self.allows() {
                set.union_with(s.broad_actions());
            }
            set.subtract(&self.denied_broadly);
            set
        })
    }

    /// Whether nearly every action ([`NEAR_ADMIN_SHARE`]) is granted on every resource.
    pub fn grants_administrator(&self) -> bool {
        if (self.allowed.len() as f64) < NEAR_ADMIN_SHARE * catalog().action_count() as f64 {
            return false;
        }
        self.broad().len() as f64 >= NEAR_ADMIN_SHARE * catalog().action_count() as f64
    }

    /// Actions granted on every resource with no condition that narrows them, after denies.
    pub fn unconstrained(&self) -> ActionSet {
        let mut set = ActionSet::new_empty();
        for s in self.allows().filter(|s| s.constraint.severity_steps() == 0) {
            set.union_with(s.broad_actions());
        }
        set.subtract(&self.denied_broadly);
        set
    }

    /// The least constrained statement granting `action` on all of its resources, if any.
    pub fn broad_grant(&self, action: ActionId) -> Option<BroadGrant> {
        if self.denied_broadly.contains(action) {
            return None;
        }
        self.allows()
            .filter(|s| s.is_broad_for(action))
            .min_by(|a, b| a.constraint.cmp(&b.constraint))
            .map(|s| BroadGrant {
                statement: s.index,
                constraint: s.constraint.clone(),
                resources: s.resource_patterns(),
            })
    }
}
