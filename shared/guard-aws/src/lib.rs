//! policy-guard's runtime around the pure rule crate: the guard's event handler, generic over
//! two small ports ([`PolicySource`], [`Notifier`]), and their adapters over the AWS SDK (IAM
//! `GetPolicy`/`GetPolicyVersion` with a cache of AWS managed policy versions, SNS `Publish`),
//! plus the configuration read from the environment.
//!
//! ```text
//! event JSON -> change::parse_event -> PolicySource (IAM) -> judge::judge_outcome
//!            -> render::sns_message -> Notifier (SNS)
//! ```

pub mod handler;
pub mod iam;
pub mod ports;
pub mod runtime;
pub mod sdk;
pub mod settings;
pub mod sns;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use handler::{Guard, GuardError, Outcome};
pub use iam::IamPolicySource;
pub use policy_guard::change::Service;
pub use ports::{NoPolicies, Notifier, NotifyError, PolicySource, SourceError};
pub use settings::{Settings, SettingsError};
pub use sns::SnsNotifier;
