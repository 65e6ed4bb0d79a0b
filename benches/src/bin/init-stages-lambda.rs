//! Where a guard's cold start goes: one binary with everything `hello-sdk-lambda.rs` links, that
//! stops its init after stage `POLICY_GUARD_BENCH_STAGE` and then serves as the hello world
//! does. `make bench` starts it at each stage (section 2, "Where the start-up time goes"):
//!
//! 0. nothing: the hello world, in a binary as large as one built on the AWS SDK
//! 1. and the guards' tracing set-up
//! 2. and `guard_aws::sdk::load` (HTTPS client with its trust roots, timeouts, retries,
//!    credentials and region)
//! 3. and the IAM client (through the IAM guard's adapter)
//! 4. and the SNS client: all the init both guards share before their own work
//!
//! One binary for every stage, so the differences between stages are the work done, not the
//! binary's size.

use guard_aws::{sdk, IamPolicySource, SnsNotifier};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    let stage: u8 = std::env::var("POLICY_GUARD_BENCH_STAGE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if stage >= 1 {
        guard_aws::runtime::init_tracing();
    }
    let sdk = if stage >= 2 {
        Some(sdk::load(sdk::TrustRoots::default()).await)
    } else {
        None
    };
    let source = sdk
        .as_ref()
        .filter(|_| stage >= 3)
        .map(IamPolicySource::new);
    let notifier = sdk
        .as_ref()
        .filter(|_| stage >= 4)
        .map(|sdk| SnsNotifier::new(sdk, String::new()));
    run(service_fn(|event: LambdaEvent<Value>| {
        // Holding both keeps them alive (and built) exactly as a guard does.
        let _ = (&source, &notifier);
        async move { Ok::<Value, Error>(event.payload) }
    }))
    .await
}
