//! The cold-start baseline: a hello-world lambda_runtime function (echoes its event), built with
//! the workspace's release profile and the same tokio flavour as the guards. No tracing, no SDK:
//! the least a Rust Lambda function can do before its first `/invocation/next`.

use lambda_runtime::{run, service_fn, Error, LambdaEvent};
use serde_json::Value;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Error> {
    run(service_fn(|event: LambdaEvent<Value>| async move {
        Ok::<Value, Error>(event.payload)
    }))
    .await
}
