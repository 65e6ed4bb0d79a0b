//! What a rule is: its metadata ([`RuleMeta`]), the [`Rule`] trait, the `declare_rule!`
//! macro that writes both once, what a rule sees ([`RuleContext`]) and the helpers rules share.

use crate::analysis::{Analysis, Constraint};
use crate::policy::{Location, Policy, Statement};
use crate::rules::FunctionUrlConfig;
use crate::{Category, Config, DocumentKind, Finding, Severity};

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

/// One rule. Implementations are unit structs declared with `declare_rule!`.
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

    /// Every condition of the document with its statement, in document order: what the
    /// condition rules walk (nothing for a function URL configuration).
    pub fn conditions(
        &self,
    ) -> impl Iterator<Item = (&'a Policy, &'a Statement, &'a crate::policy::Condition)> + 'a {
        self.policy().into_iter().flat_map(|(policy, _)| {
            policy.statements.iter().flat_map(move |statement| {
                statement
                    .conditions
                    .iter()
                    .map(move |condition| (policy, statement, condition))
            })
        })
    }

    /// Whether `account` is the document's own or configured as trusted.
    pub fn is_trusted_account(&self, account: &str) -> bool {
        self.account == Some(account) || self.config.is_trusted_account(account)
    }
}

/// Applies a statement's constraint to a finding: lower the severity, say why.
/// Conditions that narrow nothing leave the severity as it is, and the message says why.
pub fn constrain(finding: &mut Finding, constraint: &Constraint) {
    let vacuous = constraint.vacuous();
    if !vacuous.is_empty() {
        let reasons: Vec<String> = vacuous.iter().map(ToString::to_string).collect();
        finding.message.push_str(&format!(
            " The statement has conditions, but {}; the severity stays {}.",
            reasons.join("; "),
            finding.severity
        ));
        return;
    }
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

/// Document kinds, for rule declarations.
pub(crate) mod kinds {
    use crate::DocumentKind::{self, *};
    pub const IDENTITY: &[DocumentKind] = &[Identity];
    pub const POLICIES: &[DocumentKind] = &[Identity, Resource, Trust, PermissionsBoundary];
    pub const RESOURCE: &[DocumentKind] = &[Resource];
    pub const TRUST: &[DocumentKind] = &[Trust];
    pub const FUNCTION_URL: &[DocumentKind] = &[FunctionUrlConfig];
    pub const NONE: &[DocumentKind] = &[];
}
