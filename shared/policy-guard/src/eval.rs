//! The request evaluator: IAM's decision logic for one request against one policy
//! ([`evaluate`]), with its condition operators. What a document grants as a whole is
//! [`crate::analysis`].

pub(crate) mod conditions;
mod decide;

pub use decide::{evaluate, Decision, Evaluation, Request};
