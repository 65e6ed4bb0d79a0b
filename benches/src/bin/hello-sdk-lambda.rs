//! The cold-start floor of a function built on the AWS SDK: the hello world of
//! `hello-lambda.rs` plus exactly the init the guards share before their own work — the
//! guards' tracing set-up, `guard_aws::sdk::load` (HTTPS client, timeouts, retries,
//! credentials and region) and the IAM and SNS clients, built through the guards' adapters.
//! No settings, no catalog, no rules. The guards' cold start over this one is what policy-guard
//! itself adds; this one over the bare hello world is what the SDK costs.

use guard_aws::{sdk, IamPolicySource, SnsNotifier};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    guard_aws::runtime::init_tracing();
    let sdk = sdk::load(sdk::TrustRoots::default()).await;
    let source = IamPolicySource::new(&sdk);
    let notifier = SnsNotifier::new(&sdk, String::new());
    run(service_fn(|event: LambdaEvent<Value>| {
        // Holding both keeps them alive (and built) exactly as a guard does.
        let _ = (&source, &notifier);
        async move { Ok::<Value, Error>(event.payload) }
    }))
    .await
}
