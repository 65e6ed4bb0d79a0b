//! The Lambda guard's Lambda entry point: the shared init and handler
//! ([`guard_aws::runtime::serve`]) with no policy source (a function's resource policy is in
//! the event itself) and so no IAM client to build.

use guard_aws::NoPolicies;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    guard_aws::runtime::serve(lambda_guard::SERVICE, |_| NoPolicies).await
}
