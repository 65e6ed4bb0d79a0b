//! The rules: one file, one unit struct each, declared with [`declare_rule!`] so that the id,
//! category, severity and documentation live in one place, and listed once in [`RULES`].
//! `policy-guard rules`, `policy-guard explain`, SARIF rule metadata and the docs are all
//! generated from that list.

mod input;

pub use input::FunctionUrlConfig;

use crate::eval::{analyze, Analysis, Constraint};
use crate::policy::{parse_policy, Location, Policy, Statement};
use crate::report::{Category, Config, DocumentKind, Finding};
use crate::Severity;

/// What a rule is, independent of any document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable kebab-case id: used in suppressions, SNS attributes and SARIF.
    pub id: &'static str,
    pub category: Category,
    /// The rule's findings have this severity or, when a constraint or the case makes them
    /// less dangerous, a lower one; never a higher one.
    pub severity: Severity,
    /// The kinds of document the rule judges; the first is the kind of its doc examples.
    pub kinds: &'static [DocumentKind],
    /// One line for listings.
    pub summary: &'static str,
    /// Markdown: `### What it does`, `### Why is this bad`, `### Example`, `### Use instead`.
    pub docs: &'static str,
}

impl RuleMeta {
    /// A finding of this rule with its default severity.
    pub fn finding(
        &self,
        location: Location,
        title: String,
        message: String,
        fix: String,
    ) -> Finding {
        Finding {
            rule_id: self.id.to_string(),
            category: self.category,
            severity: self.severity,
            title,
            message,
            fix,
            location,
            actions: Vec::new(),
            resources: Vec::new(),
            constrained_by: Vec::new(),
        }
    }

    /// The fenced code block under `### {heading}` in the docs, if any.
    pub fn doc_example(&self, heading: &str) -> Option<&'static str> {
        let marker = format!("### {heading}");
        let start = self.docs.find(&marker)?;
        let after = self.docs.get(start + marker.len()..)?;
        let open = after.find("```")?;
        let body_start = after.get(open..)?.find('\n')? + open + 1;
        let body = after.get(body_start..)?;
        let close = body.find("```")?;
        body.get(..close)
    }
}

/// One rule. Implementations are unit structs declared with [`declare_rule!`].
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    /// Appends this rule's findings about `cx` to `out`. Never fails, never panics: a document
    /// the rule cannot judge yields nothing (the parser already reported it as malformed).
    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>);
}

/// Declares a rule's unit struct and its [`RuleMeta`], with the docs written once.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            id: $id:literal,
            category: $category:expr,
            severity: $severity:expr,
            kinds: $kinds:expr,
            summary: $summary:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        $vis struct $name;

        impl $name {
            pub const META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                id: $id,
                category: $category,
                severity: $severity,
                kinds: $kinds,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}

/// What a rule sees.
pub struct RuleContext<'a> {
    pub kind: DocumentKind,
    pub subject: Subject<'a>,
    /// The account the document lives in, when known: decides what is "foreign".
    pub account: Option<&'a str>,
    pub config: &'a Config,
}

pub enum Subject<'a> {
    Policy {
        policy: &'a Policy,
        analysis: &'a Analysis,
    },
    FunctionUrl(&'a FunctionUrlConfig),
}

impl<'a> RuleContext<'a> {
    pub fn policy(&self) -> Option<(&'a Policy, &'a Analysis)> {
        match self.subject {
            Subject::Policy { policy, analysis } => Some((policy, analysis)),
            Subject::FunctionUrl(_) => None,
        }
    }

    /// Whether `account` is the document's own or configured as trusted.
    pub fn is_trusted_account(&self, account: &str) -> bool {
        self.account == Some(account) || self.config.is_trusted_account(account)
    }
}

/// Applies a statement's constraint to a finding: lower the severity, say why.
pub fn constrain(finding: &mut Finding, constraint: &Constraint) {
    let steps = constraint.severity_steps();
    if steps == 0 {
        return;
    }
    let before = finding.severity;
    finding.severity = before.lowered(steps);
    finding.constrained_by = constraint.keys().to_vec();
    finding.message.push_str(&format!(
        " The statement's condition on {} narrows it, so the severity is lowered from {before}.",
        crate::text::quoted_list(constraint.keys(), 4)
    ));
}

/// The location of a statement element.
pub fn at(policy: &Policy, statement: &Statement, element: Option<&str>) -> Location {
    Location::statement(policy, statement, element)
}

/// How a document is checked: the account it lives in and the configuration.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    pub account: Option<&'a str>,
    pub config: &'a Config,
}

/// Judges a document given as text (JSON, JSON string or URL-encoded). Never fails: a document
/// that does not parse is a `malformed-policy` finding with its location.
pub fn check_document(text: &str, kind: DocumentKind, options: &CheckOptions<'_>) -> Vec<Finding> {
    if kind == DocumentKind::FunctionUrlConfig {
        return match FunctionUrlConfig::parse(text) {
            Ok(config) => run(kind, Subject::FunctionUrl(&config), options),
            Err(error) => vec![MalformedPolicy::report(
                &error.to_string(),
                Location::default(),
            )],
        };
    }
    match parse_policy(text) {
        Ok(policy) => check_policy(&policy, kind, options),
        Err(error) => vec![MalformedPolicy::report(
            &error.to_string(),
            error.location(),
        )],
    }
}

/// Judges a parsed policy.
pub fn check_policy(
    policy: &Policy,
    kind: DocumentKind,
    options: &CheckOptions<'_>,
) -> Vec<Finding> {
    let analysis = analyze(policy);
    run(
        kind,
        Subject::Policy {
            policy,
            analysis: &analysis,
        },
        options,
    )
}

fn run(kind: DocumentKind, subject: Subject<'_>, options: &CheckOptions<'_>) -> Vec<Finding> {
    let cx = RuleContext {
        kind,
        subject,
        account: options.account,
        config: options.config,
    };
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if meta.kinds.contains(&kind) && options.config.may_report(meta) {
            rule.check(&cx, &mut out);
        }
    }
    out
}

/// The rule reference (`docs/rules.md`), generated from [`RULES`] so it is never written twice.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule list (`policy-guard rules`, `policy-guard explain RULE`); do not edit.\n\n| id | category | default severity | judges | summary |\n| --- | --- | --- | --- | --- |\n",
    );
    for rule in RULES {
        let m = rule.meta();
        let kinds: Vec<&str> = m.kinds.iter().map(|k| k.as_str()).collect();
        let judges = if kinds.is_empty() {
            "events".to_string()
        } else {
            kinds.join(", ")
        };
        out.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {judges} | {} |\n",
            m.category,
            m.severity,
            m.summary.replace('|', "\\|"),
            id = m.id
        ));
    }
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "\n## {}\n\nCategory `{}`, default severity `{}`.\n\n{}",
            m.id,
            m.category,
            m.severity,
            m.docs
                .lines()
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join("\n")
                .replace("### ", "#### ")
        ));
    }
    out
}

pub fn rule_by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// Document kinds, for rule declarations.
pub(crate) mod kinds {
    use crate::report::DocumentKind::{self, *};
    pub const IDENTITY: &[DocumentKind] = &[Identity];
    pub const POLICIES: &[DocumentKind] = &[Identity, Resource, Trust, PermissionsBoundary];
    pub const RESOURCE: &[DocumentKind] = &[Resource];
    pub const TRUST: &[DocumentKind] = &[Trust];
    pub const FUNCTION_URL: &[DocumentKind] = &[FunctionUrlConfig];
    pub const NONE: &[DocumentKind] = &[];
}

// Identity-policy rules.
mod admin_access;
mod allow_not_action;
mod allow_not_resource;
mod credentials_exposure;
mod data_exfiltration;
mod passrole_wildcard;
mod permissions_management;
mod privilege_escalation;
mod resource_exposure;
mod resource_mismatch;
mod resource_wildcard;
mod sensitive;
mod service_wildcard;
mod unknown_action;
// Document-level rules.
mod malformed_event;
mod malformed_policy;
// Trust, resource-policy, function URL and condition rules (begin).
mod allow_not_principal;
mod bool_under_string_operator;
mod forallvalues_single_valued;
mod function_url_auth_none;
mod lambda_wildcard_action;
mod principals;
mod public_resource_policy;
mod resource_policy_foreign_account;
mod s3_principal_without_source_account;
mod service_principal_without_source;
mod stringlike_without_wildcard;
mod trust_foreign_account;
mod trust_oidc_without_sub;
mod trust_public;
mod unknown_condition_key;
// Trust, resource-policy, function URL and condition rules (end).

pub use admin_access::AdminAccess;
pub use allow_not_action::AllowNotAction;
pub use allow_not_resource::AllowNotResource;
pub use credentials_exposure::CredentialsExposure;
pub use data_exfiltration::DataExfiltration;
pub use malformed_event::MalformedEvent;
pub use malformed_policy::MalformedPolicy;
pub use passrole_wildcard::PassRoleWildcard;
pub use permissions_management::PermissionsManagement;
pub use privilege_escalation::PrivilegeEscalation;
pub use resource_exposure::ResourceExposure;
pub use resource_mismatch::ResourceMismatch;
pub use resource_wildcard::ResourceWildcard;
pub use service_wildcard::ServiceWildcard;
pub use unknown_action::UnknownAction;
// Trust, resource-policy, function URL and condition rules: exports (begin).
pub use allow_not_principal::AllowNotPrincipal;
pub use bool_under_string_operator::BoolUnderStringOperator;
pub use forallvalues_single_valued::ForAllValuesSingleValued;
pub use function_url_auth_none::FunctionUrlAuthNone;
pub use lambda_wildcard_action::LambdaWildcardAction;
pub use public_resource_policy::PublicResourcePolicy;
pub use resource_policy_foreign_account::ResourcePolicyForeignAccount;
pub use s3_principal_without_source_account::S3PrincipalWithoutSourceAccount;
pub use service_principal_without_source::ServicePrincipalWithoutSource;
pub use stringlike_without_wildcard::StringLikeWithoutWildcard;
pub use trust_foreign_account::TrustForeignAccount;
pub use trust_oidc_without_sub::TrustOidcWithoutSub;
pub use trust_public::TrustPublic;
pub use unknown_condition_key::UnknownConditionKey;
// Trust, resource-policy, function URL and condition rules: exports (end).

/// Every rule, once. Order is the order of listings.
pub static RULES: &[&dyn Rule] = &[
    &AdminAccess,
    &PrivilegeEscalation,
    &PassRoleWildcard,
    &CredentialsExposure,
    &DataExfiltration,
    &ResourceExposure,
    &PermissionsManagement,
    &ServiceWildcard,
    &AllowNotAction,
    &AllowNotResource,
    &ResourceWildcard,
    &ResourceMismatch,
    &UnknownAction,
    // Trust, resource-policy, function URL and condition rules: list (begin).
    &TrustPublic,
    &TrustForeignAccount,
    &TrustOidcWithoutSub,
    &PublicResourcePolicy,
    &ServicePrincipalWithoutSource,
    &S3PrincipalWithoutSourceAccount,
    &ResourcePolicyForeignAccount,
    &LambdaWildcardAction,
    &AllowNotPrincipal,
    &FunctionUrlAuthNone,
    &ForAllValuesSingleValued,
    &StringLikeWithoutWildcard,
    &BoolUnderStringOperator,
    &UnknownConditionKey,
    // Trust, resource-policy, function URL and condition rules: list (end).
    &MalformedPolicy,
    &MalformedEvent,
];
