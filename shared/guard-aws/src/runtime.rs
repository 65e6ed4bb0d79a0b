//! What both functions' `main` shares: the log format and the Lambda handler adapter.

use crate::{Guard, Notifier, PolicySource};
use lambda_runtime::LambdaEvent;
use serde_json::Value;

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
