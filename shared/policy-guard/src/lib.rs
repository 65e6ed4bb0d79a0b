//! policy-guard: an exact IAM policy engine.
//!
//! Pure Rust, no I/O, no async: the same judgement for the Lambda guard, the CLI and tests.
//! One event's way through the crate: [`change`] turns a CloudTrail record into a typed change,
//! [`policy`] parses its documents, [`analysis`] works out what they grant, [`rules`] judge it into a
//! [`report::Report`], and [`render`] writes that report for people and machines.

pub mod analysis;
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
