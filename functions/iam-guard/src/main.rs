//! The IAM guard's Lambda entry point: tracing, configuration and SDK clients once at init,
//! then one [`Guard::handle`] per event. Invalid configuration fails init with its message.

use guard_aws::{sdk, Guard, IamPolicySource, Settings, SnsNotifier};
use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    guard_aws::runtime::init_tracing();
    let settings = Settings::from_env().inspect_err(|error| {
        tracing::error!(error = %error, "invalid configuration: the function cannot start");
    })?;
    let sdk = sdk::load(settings.trust_roots).await;
    let source = IamPolicySource::new(&sdk);
    let notifier = SnsNotifier::new(&sdk, settings.topic_arn);
    let guard = Guard::new(iam_guard::SERVICE, settings.config, source, notifier);
    tracing::info!(
        service = iam_guard::SERVICE.event_bridge_source(),
        "guard ready"
    );
    run(service_fn(|event: LambdaEvent<Value>| {
        guard_aws::runtime::handle(&guard, event)
    }))
    .await
}
