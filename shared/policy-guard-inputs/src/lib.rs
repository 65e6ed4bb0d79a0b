//! What policy-guard reads, before anything is judged: which kind an input is, the records of
//! a CloudTrail log, the documents of a Terraform plan, the policy inside a Lambda `GetPolicy`
//! output. Pure: no async runtime, no AWS SDK, no I/O beyond the bytes handed in, so the CLI
//! and anything else that reads these inputs share one reading of them.

pub mod cloudtrail;
pub mod decode;
pub mod detect;
pub mod kind;
pub mod lambda;
pub mod policy_document;
pub mod terraform;

pub use detect::{detect, named_as_boundary, parsed_policy_kind, policy_kind};
pub use kind::{InputKind, PolicyKind};
