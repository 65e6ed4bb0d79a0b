//! policy-guard: an exact IAM policy engine.
//!
//! Pure Rust, no I/O, no async: the same judgement for the Lambda guard, the CLI and tests.
//!
//! # Layout
//!
//! - The vocabulary every layer shares: [`finding`] ([`Finding`], [`Category`]), [`document`]
//!   ([`DocumentKind`]), [`config`] ([`Config`]), [`severity`] ([`Severity`]).
//! - Reading: [`policy`] parses documents strictly; [`catalog`] is the embedded AWS action
//!   catalog; [`matching`] matches wildcards and ARNs; [`tables`] holds fixed AWS knowledge
//!   (sensitive actions, escalation paths, condition keys).
//! - Understanding: [`analysis`] works out what one document grants (once per document, for
//!   the rules); [`authorize`] decides one request against every policy type that applies
//!   (identity, resource, permissions boundary, SCP and RCP levels, session, VPC endpoint), and
//!   [`eval`] holds its condition evaluation and the one-document `evaluate`.
//! - Judging documents: [`rules`], the rule trait, the registry collected from the rule
//!   families (`rules/grants`, `rules/breadth`, `rules/actions`, `rules/exposure`,
//!   `rules/conditions`, `rules/validity`), the engine entry point
//!   ([`rules::check_document`]) and the generated rule reference.
//! - Events: [`change`] is the event model (a CloudTrail record read into a typed change, or
//!   why it could not be read); [`judge`] turns an event's outcome and its resolved references
//!   into a verdict, with typed notes and labels.
//! - Writing: [`report`] sorts and filters findings under the configuration; [`render`] writes
//!   verdicts for people (email) and machines (SNS attributes, JSON); [`text`] quotes and
//!   sanitizes.
//!
//! # One event's way through the modules
//!
//! 1. [`change::parse_event`] reads the EventBridge event or CloudTrail record into an
//!    [`change::EventOutcome`]: a [`change::Change`] with the documents it carries and the
//!    references it needs resolved (a managed policy's default version...), a failed call, an
//!    unwatched event, or an [`change::UnreadableEvent`] saying which field was missing.
//! 2. The caller (the guard's handler, the CLI) resolves the references: IAM, or a directory.
//! 3. [`judge::judge_outcome`] judges it: for a change, [`judge::judge`] checks every document
//!    with [`rules::check_document`], which parses it ([`policy`]), analyses it once
//!    ([`analysis`]) and runs every rule of the document's kind ([`rules`]); then applies the
//!    configuration ([`report`]) and compares a new default version with the previous one
//!    ([`analysis::diff`]). A malformed event becomes one `malformed-event` finding.
//! 4. The resulting [`judge::Verdict`] (findings, new access, [`judge::Note`]s) is written by
//!    [`render`]; its [`judge::VerdictKind`] and the [`change::OutcomeKind`] label the log line.

pub mod analysis;
pub mod authorize;
pub mod catalog;
pub mod change;
pub mod config;
pub mod document;
pub mod eval;
pub mod finding;
pub mod judge;
pub mod matching;
pub mod policy;
pub mod render;
pub mod report;
pub mod rules;
pub mod severity;
pub mod tables;
pub mod text;

pub use config::Config;
pub use document::DocumentKind;
pub use finding::{Category, Finding};
pub use report::Report;
pub use severity::Severity;
