//! What both functions' `main` shares: the init sequence, the log format and the Lambda
//! handler adapter. A function's `main` names only its service and its policy source.

use crate::{sdk, Guard, Notifier, PolicySource, Service, Settings, SnsNotifier};
use aws_config::SdkConfig;
use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;

/// Runs a guard function: tracing, configuration, the SDK configuration, `source` and the SNS
/// notifier built once at init, in that order (nothing deferred to the first event), then one
/// [`Guard::handle`] per event. Invalid configuration fails init with its message.
pub async fn serve<P, F>(service: Service, source: F) -> Result<(), lambda_runtime::Error>
where
    P: PolicySource,
    F: FnOnce(&SdkConfig) -> P,
{
    init_tracing();
    let settings = Settings::from_env().inspect_err(|error| {
        tracing::error!(error = %error, "invalid configuration: the function cannot start");
    })?;
    let sdk = sdk::load(settings.trust_roots).await;
    let source = source(&sdk);
    let notifier = SnsNotifier::new(&sdk, settings.topic_arn);
    let guard = Guard::new(service, settings.config, source, notifier);
    tracing::info!(service = service.event_bridge_source(), "guard ready");
    lambda_runtime::run(service_fn(|event: LambdaEvent<Value>| {
        handle(&guard, event)
    }))
    .await
}

/// JSON log lines (one per event from the handler), filtered by `RUST_LOG` (default `info`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .flatten_event(true)
        .with_current_span(false)
        .with_span_list(false)
        .with_target(false)
        .with_env_filter(filter)
        .init();
}

/// One invocation: the event's outcome as JSON, or an error for Lambda to retry.
pub async fn handle<P: PolicySource, N: Notifier>(
    guard: &Guard<P, N>,
    event: LambdaEvent<Value>,
) -> Result<Value, lambda_runtime::Error> {
    let outcome = guard.handle(&event.payload).await?;
    Ok(outcome.to_json())
}
