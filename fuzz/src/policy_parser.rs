//! Target `policy_parser`: `policy::parse_policy` on arbitrary text.
//!
//! Properties:
//! 1. No panic, whatever the bytes (invalid UTF-8 goes through `String::from_utf8_lossy`, as
//!    the CLI and the functions would hand it over), and an error always renders.
//! 2. parse → `to_json` → parse is stable: the re-parsed policy equals the first one (exactly,
//!    see `STRICT_ORDER`), and a second
//!    round trip gives exactly the same `Policy` (the canonical form is a fixed point).
//! 3. The same document given as a JSON string and URL-encoded parses to the same policy.

use policy_guard::policy::{parse_policy, parse_policy_json, Policy, Principals};

/// `Policy::to_json` documents that "parsing it gives back an equal policy": the parser keeps
/// principals and conditions in the canonical order `to_json` writes, so equality is exact
/// (found by this target, fixed in the parser; false would compare up to that order only).
const STRICT_ORDER: bool = true;

/// The policy with principals ordered by type and conditions by (operator, key): the order
/// `to_json` writes them in.
fn normalized(policy: &Policy) -> Policy {
    let mut p = policy.clone();
    for s in &mut p.statements {
        if let Some(spec) = &mut s.principal {
            if let Principals::Listed(list) = &mut spec.principals {
                list.sort_by(|a, b| a.kind.as_str().cmp(b.kind.as_str()));
            }
        }
        s.conditions
            .sort_by(|a, b| (a.operator.as_str(), &a.key).cmp(&(b.operator.as_str(), &b.key)));
    }
    p
}

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/policy_parser.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let first = match parse_policy(&text) {
        Ok(policy) => policy,
        Err(error) => {
            // Errors render and locate without panicking.
            let _ = error.to_string();
            let _ = error.location();
            return;
        }
    };
    let canonical = first.to_json();
    let second = parse_policy(&canonical.to_string())
        .unwrap_or_else(|e| panic!("canonical form does not parse: {e}\n{canonical}"));
    if STRICT_ORDER {
        assert_eq!(first, second, "round trip changed the policy");
    } else {
        assert_eq!(
            normalized(&first),
            normalized(&second),
            "round trip changed the policy"
        );
    }
    let third = parse_policy(&second.to_json().to_string()).expect("canonical form parses again");
    assert_eq!(second, third, "canonical form is not a fixed point");
    assert_eq!(canonical, second.to_json());

    // The other encodings CloudTrail and IAM use give the same policy.
    let compact = canonical.to_string();
    let as_string = serde_json::Value::String(compact.clone());
    assert_eq!(
        parse_policy_json(&as_string).expect("JSON-string form parses"),
        second
    );
    assert_eq!(
        parse_policy_json(&canonical).expect("value form parses"),
        second
    );
    let encoded: String = compact.bytes().map(|b| format!("%{b:02X}")).collect();
    assert_eq!(
        parse_policy(&encoded).expect("URL-encoded form parses"),
        second
    );
}
