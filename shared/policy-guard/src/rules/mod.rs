//! The rules, grouped by family, one file and one unit struct each.
//!
//! Every rule is declared with `declare_rule!` so that its id, category, severity and
//! documentation live in one place. `policy-guard rules`, `policy-guard explain`, SARIF rule
//! metadata and `docs/rules.md` are all generated from the one list, [`RULES`].
//!
//! # Layout
//!
//! - `rule`: the [`Rule`] trait, [`RuleMeta`], `declare_rule!`, what a rule
//!   sees ([`RuleContext`]) and the helpers rules share ([`at`], [`constrain`]).
//! - `registry`: [`RULES`], collected from the families, and [`rule_by_id`].
//! - `engine`: the entry points, [`check_document`] and [`check_policy`].
//! - `docs`: [`rules_markdown`], the generated rule reference.
//! - the families, in listing order (the registry concatenates them in this order, and each
//!   family lists its rules in its own order, so the order of [`RULES`] is the order of
//!   `policy-guard rules` and `docs/rules.md`):
//!   - `grants`: what an identity policy lets its holder do: administrator access, privilege
//!     escalation, `iam:PassRole` on every role, credentials, data exfiltration, resource
//!     exposure, permissions management.
//!   - `breadth`: how wide an identity policy is written: service wildcards, `NotAction`,
//!     `NotResource`, `"Resource": "*"`.
//!   - `actions`: actions and resources checked against the AWS action catalog.
//!   - `exposure`: who outside the account can reach it: trust policies, resource-based
//!     policies, `NotPrincipal`, public function URLs.
//!   - `conditions`: condition blocks that do not test what they seem to.
//!   - `validity`: unknown condition keys, documents and events that cannot be read.
//! - the helpers the rules share: `input` (function URL configurations), `principals` (who a
//!   statement names and how conditions pin them), `sensitive` (one finding per statement that
//!   grants a listed action on every resource), `escalation` (the privilege escalation paths a
//!   document grants). The action and key tables they use are in
//!   [`crate::tables`].
//!
//! # Adding a rule
//!
//! Write `rules/FAMILY/my_rule.rs` with a `declare_rule!` and an `impl Rule`, and add one line,
//! `my_rule::MyRule,`, to the `rule_family!` list in `rules/FAMILY/mod.rs` where the rule should
//! appear in listings. Nothing else is edited by hand: the registry, the docs and the CLI pick
//! it up.

#[macro_use]
mod rule;
mod configured;
mod docs;
mod engine;
mod escalation;
mod input;
mod principals;
mod registry;
mod sensitive;

/// Declares a family's rule files and its list of rules, in listing order: one
/// `file::RuleStruct,` line per rule. The structs are re-exported by [`crate::rules`] through
/// the family's `exports` module; the list, `RULES`, is collected by the registry.
macro_rules! rule_family {
    ($($file:ident :: $rule:ident),* $(,)?) => {
        $(mod $file;)*

        /// The family's rules, re-exported by [`crate::rules`].
        pub mod exports {
            $(pub use super::$file::$rule;)*
        }

        /// The family's rules, in listing order.
        pub(in crate::rules) const RULES: &[&dyn $crate::rules::Rule] = &[$(&$file::$rule),*];
    };
}

mod actions;
mod breadth;
mod conditions;
mod exposure;
mod grants;
mod validity;

pub use docs::rules_markdown;
pub use engine::{check_document, check_policy, CheckOptions};
pub use input::FunctionUrlConfig;
pub use registry::{rule_by_id, RULES};
pub(crate) use rule::kinds;
pub use rule::{at, constrain, Rule, RuleContext, RuleMeta, Subject};

pub use actions::exports::*;
pub use breadth::exports::*;
pub use conditions::exports::*;
pub use exposure::exports::*;
pub use grants::exports::*;
pub use validity::exports::*;
