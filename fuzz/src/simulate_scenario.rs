//! Target `simulate_scenario`: `authorize::scenario::parse_scenario` then `authorize::authorize`
//! on arbitrary bytes, as `policy-guard simulate` reads a scenario file.
//!
//! Properties:
//! 1. No panic, whatever the bytes; every error renders and names a path.
//! 2. A decided scenario is consistent: Allowed has no blocker and an explicit deny names a Deny
//!    statement.
//! 3. Adding an unconditional Deny-everything identity policy (for IAM users, roles and role
//!    sessions, the principals that have identity policies) never leaves the request Allowed.

use policy_guard::authorize::scenario::parse_scenario;
use policy_guard::authorize::{authorize, Decision, Policies};
use policy_guard::policy::{parse_policy, Effect};

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/simulate_scenario.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let scenario = match parse_scenario(&text) {
        Ok(scenario) => scenario,
        Err(error) => {
            let _ = error.to_string();
            let _ = error.path();
            return;
        }
    };
    let request = scenario.request();
    let policies = scenario.policies();
    let decided = match authorize(&request, &policies) {
        Ok(decided) => decided,
        Err(error) => {
            let _ = error.to_string();
            return;
        }
    };
    match decided.decision {
        Decision::Allowed => assert!(decided.blocked_by.is_empty(), "{decided:?}"),
        Decision::ExplicitlyDenied => assert!(
            decided.deciding.iter().any(|d| d.effect == Effect::Deny),
            "{decided:?}"
        ),
        Decision::ImplicitlyDenied => {}
    }
    let Ok(deny_all) =
        parse_policy(r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}"#)
    else {
        return;
    };
    let mut identity = scenario.identity_policies.clone();
    identity.push(deny_all);
    let denied = authorize(
        &request,
        &Policies {
            identity: &identity,
            ..policies
        },
    );
    if let Ok(denied) = denied {
        // Identity policies belong to IAM users and roles (and their sessions): an identity
        // provider (`saml-provider/`, `oidc-provider/`) or the root user has none to deny with.
        let has_identity_policies = [":user/", ":role/", ":assumed-role/"]
            .iter()
            .any(|kind| request.principal.contains(kind));
        if has_identity_policies {
            assert_ne!(denied.decision, Decision::Allowed, "{denied:?}");
        }
    }
}
