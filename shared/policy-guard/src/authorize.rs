//! Authorization across every policy type: one request, every policy that applies to it, and
//! AWS's decision (IAM User Guide, "Policy evaluation logic" and "How AWS enforcement code logic
//! evaluates requests to allow or deny access").
//!
//! The order is AWS's: an explicit Deny in any applicable policy wins; then every RCP level of
//! the resource's account and every SCP level of the principal's account must allow; then a
//! resource-based policy, the identity-based policies, the permissions boundaries and the session
//! policy decide together as the documentation describes for same-account and cross-account
//! requests; VPC endpoint policies must also allow when the request goes through an endpoint.
//!
//! Three-valued, with the condition operators of [`crate::eval`]: a condition on a context key the request does not
//! give is unknown, never silently met. The decision reported is the least permissive one the
//! unknown keys could produce, and those keys are listed; when every way of resolving them gives
//! the same decision, none is listed.

mod matcher;
mod principal;
pub mod scenario;

pub use matcher::ContextMap;
pub use principal::{NamedAs, PrincipalId};

pub(crate) use matcher::{action_matches, conditions_truth, resource_truth, Missing, Mode};

use crate::catalog::catalog;
use crate::eval::conditions::Truth;
use crate::matching::{is_account_id, parse_arn};
use crate::policy::{Effect, Policy};
use crate::text::quoted;
use principal::principal_match;

/// The policy types AWS evaluates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PolicyKind {
    Identity,
    Resource,
    PermissionsBoundary,
    Scp,
    Rcp,
    Session,
    VpcEndpoint,
}

impl PolicyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyKind::Identity => "identity",
            PolicyKind::Resource => "resource",
            PolicyKind::PermissionsBoundary => "permissions-boundary",
            PolicyKind::Scp => "scp",
            PolicyKind::Rcp => "rcp",
            PolicyKind::Session => "session",
            PolicyKind::VpcEndpoint => "vpc-endpoint",
        }
    }
}

/// The final decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Decision {
    Allowed,
    ImplicitlyDenied,
    ExplicitlyDenied,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Allowed => "Allowed",
            Decision::ImplicitlyDenied => "ImplicitlyDenied",
            Decision::ExplicitlyDenied => "ExplicitlyDenied",
        }
    }
}

/// One request. `context` keys are lower-cased (see [`context_map`]); keys IAM derives from the
/// principal and resource (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`,
/// `aws:username` for users, `aws:ResourceAccount`, `aws:PrincipalIsAWSService`) are added when
/// the context does not give them.
#[derive(Debug, Clone, Default)]
pub struct Request<'a> {
    /// An ARN, a service principal (`lambda.amazonaws.com`) or `anonymous`.
    pub principal: &'a str,
    /// `service:Action`.
    pub action: &'a str,
    /// The resource ARN; `*` (or empty) for actions that take no resource.
    pub resource: &'a str,
    /// Needed when the resource ARN names no account (S3 buckets).
    pub resource_account: Option<&'a str>,
    /// Overrides the account derived from the principal ARN.
    pub principal_account: Option<&'a str>,
    /// The principal's account is the organization's management account (SCPs do not apply).
    pub principal_in_management_account: bool,
    /// The resource's account is the management account (RCPs do not apply).
    pub resource_in_management_account: bool,
    /// Overrides whether the principal is a service-linked role (derived from the
    /// `aws-service-role/` path or an `AWSServiceRoleFor` role name).
    pub service_linked_role: Option<bool>,
    pub context: ContextMap,
}

/// Every policy that applies to the request. Absent (empty) means no policy of that type
/// applies, except that an SCP or RCP level with no policy allows nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policies<'a> {
    pub identity: &'a [Policy],
    pub permissions_boundaries: &'a [Policy],
    /// One list per level, organization root first, the account last.
    pub scps: &'a [Vec<Policy>],
    pub rcps: &'a [Vec<Policy>],
    pub resource: Option<&'a Policy>,
    pub session: Option<&'a Policy>,
    pub vpc_endpoint: &'a [Policy],
}

/// A statement that decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecidingStatement {
    pub kind: PolicyKind,
    /// The SCP/RCP level (0 = organization root), for those kinds.
    pub level: Option<usize>,
    /// The policy's index within its kind (within its level for SCPs and RCPs).
    pub policy: usize,
    pub statement: usize,
    pub sid: Option<String>,
    pub effect: Effect,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub decision: Decision,
    /// The policy types whose Allow the decision rests on (sorted).
    pub allowed_by: Vec<PolicyKind>,
    /// The policy types that denied, explicitly or by allowing nothing (sorted).
    pub blocked_by: Vec<PolicyKind>,
    pub deciding: Vec<DecidingStatement>,
    /// Context keys the conditions needed and the request did not give, as the policies spell
    /// them (sorted, case-insensitively unique). Non-empty means a fuller context could give a
    /// more permissive decision than the one reported.
    pub missing_context_keys: Vec<String>,
}

/// Why a request cannot be authorized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthorizeError {
    #[error("action {} is not `service:Action` at `request.action`", quoted(.0))]
    Action(String),
    #[error("principal {} is not an IAM ARN, a service principal or `anonymous` at `request.principal`", quoted(.0))]
    Principal(String),
    #[error("account {} is not twelve digits at `{path}`", quoted(account))]
    Account { account: String, path: &'static str },
    #[error("the resource account is unknown: resource {} names no account, give `request.resource_account`", quoted(.0))]
    ResourceAccount(String),
}

/// Lower-cases context keys as IAM compares them.
pub fn context_map<K: AsRef<str>>(pairs: impl IntoIterator<Item = (K, Vec<String>)>) -> ContextMap {
    pairs
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v))
        .collect()
}

/// Requests a resource-based policy must allow even when an identity policy does: role trust
/// policies (`sts:AssumeRole*`, and `sts:TagSession` / `sts:SetSourceIdentity` that ride on
/// them) and KMS key policies (actions on a key, not `kms:CreateKey` or `kms:ListKeys`).
fn resource_policy_required(action: &str, resource: &str) -> bool {
    let Some((service, name)) = action.split_once(':') else {
        return false;
    };
    if service.eq_ignore_ascii_case("kms") {
        return parse_arn(resource).is_some_and(|arn| arn.resource.starts_with("key/"));
    }
    service.eq_ignore_ascii_case("sts")
        && [
            "AssumeRole",
            "AssumeRoleWithSAML",
            "AssumeRoleWithWebIdentity",
            "TagSession",
            "SetSourceIdentity",
        ]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(name))
}

fn validate_action(action: &str) -> Result<(), AuthorizeError> {
    let valid = action.split_once(':').is_some_and(|(service, name)| {
        !service.is_empty()
            && !name.is_empty()
            && service
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    });
    if valid {
        Ok(())
    } else {
        Err(AuthorizeError::Action(action.to_string()))
    }
}

/// One matching statement's outcome.
#[derive(Debug, Clone)]
struct Hit<'p> {
    kind: PolicyKind,
    level: Option<usize>,
    policy: usize,
    statement: usize,
    // Borrowed: only the deciding statements' Sids are copied out.
    sid: Option<&'p str>,
    effect: Effect,
    truth: Truth,
    named: NamedAs,
}

impl Hit<'_> {
    fn deciding(&self) -> DecidingStatement {
        DecidingStatement {
            kind: self.kind,
            level: self.level,
            policy: self.policy,
            statement: self.statement,
            sid: self.sid.map(str::to_string),
            effect: self.effect,
        }
    }
}

struct Scan<'r, 'p> {
    principal: &'r PrincipalId,
    action: &'r str,
    resource: &'r str,
    context: &'r ContextMap,
    has_boundary: bool,
    hits: Vec<Hit<'p>>,
    missing: Missing,
}

impl<'p> Scan<'_, 'p> {
    fn policy(&mut self, kind: PolicyKind, level: Option<usize>, index: usize, policy: &'p Policy) {
        let mode = Mode {
            variables: matcher::variables_enabled(policy),
        };
        for statement in &policy.statements {
            if !action_matches(statement, self.action) {
                continue;
            }
            let deny = statement.effect == Effect::Deny;
            let Some(named) = principal_match(
                statement.principal.as_ref(),
                self.principal,
                self.has_boundary,
                deny,
            ) else {
                continue;
            };
            let mut missing = Missing::default();
            let resource =
                resource_truth(statement, self.resource, self.context, mode, &mut missing);
            let truth = if resource == Truth::False {
                Truth::False
            } else {
                match conditions_truth(statement, self.context, mode, &mut missing) {
                    Truth::False => Truth::False,
                    Truth::True => resource,
                    Truth::Unknown => Truth::Unknown,
                }
            };
            if truth == Truth::False {
                continue;
            }
            if truth == Truth::Unknown {
                for key in missing.keys {
                    if !self
                        .missing
                        .keys
                        .iter()
                        .any(|k| k.eq_ignore_ascii_case(&key))
                    {
                        self.missing.keys.push(key);
                    }
                }
            }
            self.hits.push(Hit {
                kind,
                level,
                policy: index,
                statement: statement.index,
                sid: statement.sid.as_deref(),
                effect: statement.effect,
                truth,
                named,
            });
        }
    }
}

/// What applies, worked out once from the request.
struct Facts {
    same_account: bool,
    iam_principal: bool,
    root: bool,
    scps_apply: bool,
    rcps_apply: bool,
    resource_required: bool,
    scp_levels: usize,
    rcp_levels: usize,
    boundaries: usize,
    session: bool,
    endpoints: usize,
    resource_policy: bool,
}

/// Decides `request` against `policies` with AWS's evaluation logic.
pub fn authorize(
    request: &Request<'_>,
    policies: &Policies<'_>,
) -> Result<Authorization, AuthorizeError> {
    validate_action(request.action)?;
    let principal = PrincipalId::parse(request.principal)
        .ok_or_else(|| AuthorizeError::Principal(request.principal.to_string()))?;
    let principal_account = match request.principal_account {
        Some(a) if is_account_id(a) => Some(a),
        Some(a) => {
            return Err(AuthorizeError::Account {
                account: a.to_string(),
                path: "request.principal_account",
            })
        }
        None => principal.account(),
    };
    let resource_account = match request.resource_account {
        Some(a) if is_account_id(a) => Some(a),
        Some(a) => {
            return Err(AuthorizeError::Account {
                account: a.to_string(),
                path: "request.resource_account",
            })
        }
        None => parse_arn(request.resource)
            .map(|arn| arn.account)
            .filter(|a| is_account_id(a)),
    };
    if principal_account.is_some() && resource_account.is_none() {
        return Err(AuthorizeError::ResourceAccount(
            request.resource.to_string(),
        ));
    }
    // Actions that take no resource are authorized against `*`, whatever ARN was given.
    let wildcard_only = catalog()
        .lookup(request.action)
        .and_then(|id| catalog().action(id))
        .is_some_and(|def| def.wildcard_resource_only());
    let resource = if wildcard_only || request.resource.is_empty() {
        "*"
    } else {
        request.resource
    };

    let mut context = request.context.clone();
    let mut derive = |key: &str, value: Option<String>| {
        if let Some(value) = value {
            context
                .entry(key.to_string())
                .or_insert_with(|| vec![value]);
        }
    };
    derive("aws:principalarn", principal.principal_arn());
    derive(
        "aws:principalaccount",
        principal_account.map(str::to_string),
    );
    derive(
        "aws:principaltype",
        principal.principal_type().map(str::to_string),
    );
    derive("aws:resourceaccount", resource_account.map(str::to_string));
    derive(
        "aws:principalisawsservice",
        Some(matches!(principal, PrincipalId::Service(_)).to_string()),
    );
    if let PrincipalId::User { arn, .. } = &principal {
        derive("aws:username", arn.rsplit('/').next().map(str::to_string));
    }

    let iam_principal = principal.is_iam_principal();
    let service_linked = request
        .service_linked_role
        .unwrap_or_else(|| principal.looks_service_linked());
    let is_service = matches!(principal, PrincipalId::Service(_));
    let facts = Facts {
        same_account: iam_principal && principal_account == resource_account,
        iam_principal,
        root: matches!(principal, PrincipalId::Root { .. }),
        // SCPs restrict the IAM principals of member accounts, service-linked roles excepted.
        scps_apply: iam_principal && !request.principal_in_management_account && !service_linked,
        // RCPs restrict access to member accounts' resources, except by service principals and
        // service-linked roles.
        rcps_apply: !request.resource_in_management_account && !is_service && !service_linked,
        resource_required: resource_policy_required(request.action, resource),
        scp_levels: policies.scps.len(),
        rcp_levels: policies.rcps.len(),
        boundaries: policies.permissions_boundaries.len(),
        session: policies.session.is_some(),
        endpoints: policies.vpc_endpoint.len(),
        resource_policy: policies.resource.is_some(),
    };

    let mut scan = Scan {
        principal: &principal,
        action: request.action,
        resource,
        context: &context,
        has_boundary: !policies.permissions_boundaries.is_empty(),
        hits: Vec::new(),
        missing: Missing::default(),
    };
    if iam_principal {
        for (i, p) in policies.identity.iter().enumerate() {
            scan.policy(PolicyKind::Identity, None, i, p);
        }
        for (i, p) in policies.permissions_boundaries.iter().enumerate() {
            scan.policy(PolicyKind::PermissionsBoundary, None, i, p);
        }
        if let Some(p) = policies.session {
            scan.policy(PolicyKind::Session, None, 0, p);
        }
    }
    if facts.scps_apply {
        for (level, list) in policies.scps.iter().enumerate() {
            for (i, p) in list.iter().enumerate() {
                scan.policy(PolicyKind::Scp, Some(level), i, p);
            }
        }
    }
    if facts.rcps_apply {
        for (level, list) in policies.rcps.iter().enumerate() {
            for (i, p) in list.iter().enumerate() {
                scan.policy(PolicyKind::Rcp, Some(level), i, p);
            }
        }
    }
    if let Some(p) = policies.resource {
        scan.policy(PolicyKind::Resource, None, 0, p);
    }
    for (i, p) in policies.vpc_endpoint.iter().enumerate() {
        scan.policy(PolicyKind::VpcEndpoint, None, i, p);
    }

    let hits = scan.hits;
    let pessimistic = decide(&facts, &hits, false);
    let optimistic = decide(&facts, &hits, true);
    let mut missing_context_keys = if pessimistic.decision == optimistic.decision {
        Vec::new()
    } else {
        scan.missing.keys
    };
    missing_context_keys.sort_by_key(|k| k.to_ascii_lowercase());
    Ok(Authorization {
        missing_context_keys,
        ..pessimistic
    })
}

/// The decision with every unknown condition resolved one way: `optimistic` takes unknown
/// Allows as met and unknown Denies as not, the other way round otherwise.
fn decide(facts: &Facts, hits: &[Hit], optimistic: bool) -> Authorization {
    let on = |h: &&Hit| match h.truth {
        Truth::True => true,
        Truth::False => false,
        Truth::Unknown => (h.effect == Effect::Allow) == optimistic,
    };
    let live: Vec<&Hit> = hits.iter().filter(on).collect();

    let denies: Vec<&Hit> = live
        .iter()
        .copied()
        .filter(|h| h.effect == Effect::Deny)
        .collect();
    if !denies.is_empty() {
        let mut blocked_by: Vec<PolicyKind> = denies.iter().map(|h| h.kind).collect();
        blocked_by.sort();
        blocked_by.dedup();
        let mut deciding: Vec<DecidingStatement> = denies.iter().map(|h| h.deciding()).collect();
        deciding.sort_by_key(|d| (d.kind, d.level, d.policy, d.statement));
        return Authorization {
            decision: Decision::ExplicitlyDenied,
            allowed_by: Vec::new(),
            blocked_by,
            deciding,
            missing_context_keys: Vec::new(),
        };
    }
    let allows = |kind: PolicyKind| {
        live.iter()
            .copied()
            .filter(move |h| h.kind == kind && h.effect == Effect::Allow)
    };
    let every_level = |kind: PolicyKind, levels: usize| {
        (0..levels).all(|level| allows(kind).any(|h| h.level == Some(level)))
    };
    let mut blocked_by = Vec::new();
    let mut allowed_by = Vec::new();

    // Organization guardrails: every level must allow.
    if facts.rcps_apply && facts.rcp_levels > 0 {
        if every_level(PolicyKind::Rcp, facts.rcp_levels) {
            allowed_by.push(PolicyKind::Rcp);
        } else {
            blocked_by.push(PolicyKind::Rcp);
        }
    }
    if facts.scps_apply && facts.scp_levels > 0 {
        if every_level(PolicyKind::Scp, facts.scp_levels) {
            allowed_by.push(PolicyKind::Scp);
        } else {
            blocked_by.push(PolicyKind::Scp);
        }
    }
    if facts.endpoints > 0 {
        let all =
            (0..facts.endpoints).all(|i| allows(PolicyKind::VpcEndpoint).any(|h| h.policy == i));
        if all {
            allowed_by.push(PolicyKind::VpcEndpoint);
        } else {
            blocked_by.push(PolicyKind::VpcEndpoint);
        }
    }

    // The principal's own side: identity policies (the root user holds every permission of its
    // account without one), capped by every boundary and the session policy.
    let identity = facts.root || allows(PolicyKind::Identity).next().is_some();
    let boundary = (0..facts.boundaries)
        .all(|i| allows(PolicyKind::PermissionsBoundary).any(|h| h.policy == i));
    let session = !facts.session || allows(PolicyKind::Session).next().is_some();
    let resource_named = |named: NamedAs| allows(PolicyKind::Resource).any(|h| h.named == named);
    let resource_any = allows(PolicyKind::Resource).next().is_some();

    let mut granted = false;
    let mut grant_kinds: Vec<PolicyKind> = Vec::new();
    let caps = |kinds: &mut Vec<PolicyKind>| {
        if facts.boundaries > 0 {
            kinds.push(PolicyKind::PermissionsBoundary);
        }
        if facts.session {
            kinds.push(PolicyKind::Session);
        }
    };
    if !facts.iam_principal {
        // Services, providers and anonymous callers have no identity policies: only the
        // resource-based policy can grant.
        if resource_any {
            granted = true;
            grant_kinds.push(PolicyKind::Resource);
        } else {
            blocked_by.push(PolicyKind::Resource);
        }
    } else if facts.same_account {
        // A grant naming the user or the session itself is final; one naming the role is
        // capped by the boundary and the session policy; one naming the account delegates to
        // the identity policies.
        if resource_named(NamedAs::Directly) {
            granted = true;
            grant_kinds.push(PolicyKind::Resource);
        }
        if resource_named(NamedAs::Role) && boundary && session {
            granted = true;
            grant_kinds.push(PolicyKind::Resource);
            caps(&mut grant_kinds);
        }
        let resource_ok = !facts.resource_required || resource_any;
        if identity && boundary && session && resource_ok {
            granted = true;
            if !facts.root {
                grant_kinds.push(PolicyKind::Identity);
            }
            caps(&mut grant_kinds);
            if facts.resource_required {
                grant_kinds.push(PolicyKind::Resource);
            }
        }
        if !granted {
            if !identity && !resource_any {
                blocked_by.push(PolicyKind::Identity);
                if facts.resource_policy || facts.resource_required {
                    blocked_by.push(PolicyKind::Resource);
                }
            } else if identity && !resource_ok {
                blocked_by.push(PolicyKind::Resource);
            } else if !identity && resource_any && !resource_named(NamedAs::Role) {
                // Only the account is named: the account's identity policies must allow.
                blocked_by.push(PolicyKind::Identity);
            }
            if !boundary {
                blocked_by.push(PolicyKind::PermissionsBoundary);
            }
            if !session {
                blocked_by.push(PolicyKind::Session);
            }
        }
    } else {
        // Across accounts both sides must allow: the principal's account and the resource's.
        if !identity {
            blocked_by.push(PolicyKind::Identity);
        }
        if !boundary {
            blocked_by.push(PolicyKind::PermissionsBoundary);
        }
        if !session {
            blocked_by.push(PolicyKind::Session);
        }
        if !resource_any {
            blocked_by.push(PolicyKind::Resource);
        }
        if identity && boundary && session && resource_any {
            granted = true;
            if !facts.root {
                grant_kinds.push(PolicyKind::Identity);
            }
            caps(&mut grant_kinds);
            grant_kinds.push(PolicyKind::Resource);
        }
    }

    blocked_by.sort();
    blocked_by.dedup();
    if granted && blocked_by.is_empty() {
        allowed_by.extend(grant_kinds);
        allowed_by.sort();
        allowed_by.dedup();
        let mut deciding: Vec<DecidingStatement> = live
            .iter()
            .filter(|h| h.effect == Effect::Allow && allowed_by.contains(&h.kind))
            .map(|h| h.deciding())
            .collect();
        deciding.sort_by_key(|d| (d.kind, d.level, d.policy, d.statement));
        return Authorization {
            decision: Decision::Allowed,
            allowed_by,
            blocked_by,
            deciding,
            missing_context_keys: Vec::new(),
        };
    }
    Authorization {
        decision: Decision::ImplicitlyDenied,
        allowed_by: Vec::new(),
        blocked_by,
        deciding: Vec::new(),
        missing_context_keys: Vec::new(),
    }
}
