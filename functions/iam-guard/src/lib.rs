//! The IAM guard: judges `aws.iam` CloudTrail events (CreatePolicy, CreatePolicyVersion,
//! SetDefaultPolicyVersion, Attach/Put{Role,User,Group}Policy, CreateRole,
//! UpdateAssumeRolePolicy), resolving attached managed policies through IAM, and publishes one
//! SNS message per event with findings.

use guard_aws::Service;

pub const SERVICE: Service = Service::Iam;

#[cfg(test)]
mod tests {
    use super::*;
    use guard_aws::testing::{InMemoryPolicies, RecordingNotifier};
    use guard_aws::{Guard, Notifier, PolicySource};
    use policy_guard::{Config, Severity};
    use serde_json::Value;

    const ADMIN_ARN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
    const ADMIN: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Action":"*","Resource":"*","Effect":"Allow"}]}"#;

    fn fixture(name: &str) -> Value {
        let path = format!(
            "{}/../../tests/fixtures/events/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
    }

    fn guard(policies: InMemoryPolicies) -> Guard<InMemoryPolicies, RecordingNotifier> {
        Guard::new(
            SERVICE,
            Config::default(),
            policies,
            RecordingNotifier::new(),
        )
    }

    fn run<P: PolicySource, N: Notifier>(
        guard: &Guard<P, N>,
        event: &Value,
    ) -> Result<guard_aws::Outcome, guard_aws::GuardError> {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(guard.handle(event))
    }

    #[test]
    fn attached_administrator_access_is_published_once() {
        let guard = guard(InMemoryPolicies::new().with_version(ADMIN_ARN, "v1", ADMIN));
        let event = fixture("iam-attach-role-policy-administrator-access.json");
        let outcome = run(&guard, &event).unwrap();
        assert_eq!(outcome.verdict.as_str(), "findings");
        assert_eq!(outcome.highest_severity, Some(Severity::Critical));
        assert!(outcome.message_id.is_some());
        let again = run(&guard, &event).unwrap();
        assert!(
            again.duplicate && again.message_id.is_none(),
            "a redelivery is not published twice"
        );
        let messages = guard.notifier().published();
        assert_eq!(messages.len(), 1);
        assert_eq!(
            messages[0].subject,
            "[CRITICAL] AdministratorAccess attached to role new-role"
        );
    }

    #[test]
    fn failed_unrelated_and_lambda_events_publish_nothing() {
        let guard = guard(InMemoryPolicies::new());
        for name in [
            "iam-attach-role-policy-access-denied.json",
            "iam-create-user-unrelated.json",
            "lambda-add-permission-public.json",
        ] {
            let outcome = run(&guard, &fixture(name)).unwrap();
            assert!(outcome.message_id.is_none(), "{name}: {outcome:?}");
        }
        assert!(guard.notifier().published().is_empty());
    }

    #[test]
    fn transient_failures_are_errors_so_lambda_retries() {
        let mut policies = InMemoryPolicies::new();
        policies.fail_with = Some("Throttling: Rate exceeded".into());
        let guard = guard(policies);
        let error = run(
            &guard,
            &fixture("iam-attach-role-policy-administrator-access.json"),
        )
        .unwrap_err();
        assert!(error.to_string().contains("Rate exceeded"));
        *guard.notifier().fail.lock().unwrap() = Some("boom".into());
        let error = run(&guard, &fixture("iam-put-role-policy-star-star.json")).unwrap_err();
        assert!(matches!(error, guard_aws::GuardError::Notify(_)));
    }

    #[test]
    fn malformed_events_are_published_as_findings_not_retried() {
        let guard = guard(InMemoryPolicies::new());
        let outcome = run(&guard, &fixture("iam-put-role-policy-null-parameters.json")).unwrap();
        assert_eq!(outcome.outcome.as_str(), "malformed");
        assert_eq!(outcome.rule_ids, vec!["malformed-event"]);
        assert_eq!(guard.notifier().published().len(), 1);
    }

    #[test]
    fn new_default_version_is_compared_with_the_previous_one() {
        let arn = "arn:aws:iam::123456789012:policy/article-service-policy";
        let scoped = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"dynamodb:GetItem","Resource":"arn:aws:dynamodb:us-east-1:123456789012:table/Articles"}]}"#;
        let policies = InMemoryPolicies::new()
            .with_version(arn, "v1", scoped)
            .with_version(arn, "v2", ADMIN);
        let guard = guard(policies);
        run(&guard, &fixture("iam-create-policy-version-admin.json")).unwrap();
        let messages = guard.notifier().published();
        let body: Value = serde_json::from_str(&messages[0].message).unwrap();
        let default: Value = serde_json::from_str(body["default"].as_str().unwrap()).unwrap();
        assert_eq!(default["new_access"]["compared_with"], "v1");
    }
}
