//! policy-guard: an exact IAM policy engine.
//!
//! Pure Rust, no I/O, no async: the same judgement for the Lambda guard, the CLI and tests.

pub mod severity;

pub use severity::Severity;
