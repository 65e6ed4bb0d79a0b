//! The IAM guard's Lambda entry point: the shared init and handler
//! ([`guard_aws::runtime::serve`]) with IAM as the source of referenced policies.

use guard_aws::IamPolicySource;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    guard_aws::runtime::serve(iam_guard::SERVICE, IamPolicySource::new).await
}
