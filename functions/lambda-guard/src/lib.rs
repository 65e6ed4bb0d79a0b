//! The Lambda guard: judges `aws.lambda` CloudTrail events (AddPermission<date> with any
//! date suffix, CreateFunctionUrlConfig<date>, UpdateFunctionUrlConfig<date>) and publishes one
//! SNS message per event with findings. It reads no IAM policy: its role needs only
//! `sns:Publish`.

use guard_aws::Service;

pub const SERVICE: Service = Service::Lambda;

#[cfg(test)]
mod tests {
    use super::*;
    use guard_aws::testing::RecordingNotifier;
    use guard_aws::Guard;
    use guard_aws::NoPolicies;
    use policy_guard::Config;
    use serde_json::Value;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../tests/fixtures/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    fn run(guard: &Guard<NoPolicies, RecordingNotifier>, name: &str) -> guard_aws::Outcome {
        let event = fixture(name);
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(guard.handle(&event))
            .unwrap()
    }

    fn guard() -> Guard<NoPolicies, RecordingNotifier> {
        Guard::new(
            SERVICE,
            Config::default(),
            NoPolicies,
            RecordingNotifier::new(),
        )
    }

    #[test]
    fn public_permission_is_published() {
        let guard = guard();
        let outcome = run(&guard, "lambda-add-permission-public.json");
        assert_eq!(outcome.verdict.as_str(), "findings", "{outcome:?}");
        let messages = guard.notifier().published();
        assert_eq!(messages.len(), 1);
        assert!(messages[0]
            .subject
            .contains("permission backdoor added to function create-article"));
    }

    #[test]
    fn unrelated_and_iam_events_publish_nothing() {
        let guard = guard();
        for name in [
            "lambda-update-function-code-unrelated.json",
            "iam-put-role-policy-star-star.json",
        ] {
            let outcome = run(&guard, name);
            assert_eq!(outcome.outcome.as_str(), "ignored", "{name}");
        }
        assert!(guard.notifier().published().is_empty());
    }
}
