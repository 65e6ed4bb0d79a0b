//! Target `terraform_plan`: `policy_guard_inputs::terraform::read_plan` on arbitrary JSON, then
//! every document it returns judged as the CLI judges it.
//!
//! Input: the bytes as JSON (the seed is the CLI's fixture plan, made by real terraform);
//! bytes that are not JSON are dropped early, since the reader only ever sees parsed JSON.
//!
//! Properties:
//! 1. No panic: reading, with and without a known account, and judging every document found
//!    under the kind the reader gave it.
//! 2. Reading is deterministic: the same plan read twice gives the same items.
//! 3. Every document and attachment names the resource it belongs to (a non-empty address), and
//!    every finding's title is one line without raw control characters.
use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::Config;
use policy_guard_inputs::terraform::{read_plan, PlanItem};
use serde_json::Value;

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/terraform_plan.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let Ok(plan) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let config = Config {
        min_severity: policy_guard::Severity::Info,
        ..Config::default()
    };
    for account in [None, Some("111122223333")] {
        let reading = read_plan(&plan, account);
        let again = read_plan(&plan, account);
        assert_eq!(
            format!("{:?}", reading.items),
            format!("{:?}", again.items),
            "reading the same plan twice differs"
        );
        for item in &reading.items {
            match item {
                PlanItem::Document(document) => {
                    assert!(
                        !document.address.is_empty(),
                        "a document without an address"
                    );
                    let options = CheckOptions {
                        account: document.account.as_deref(),
                        config: &config,
                    };
                    for finding in check_document(&document.text, document.kind, &options) {
                        assert!(
                            !finding.title.chars().any(char::is_control),
                            "a finding title with a control character: {:?}",
                            finding.title
                        );
                    }
                }
                PlanItem::Attached(attached) => {
                    assert!(
                        !attached.address.is_empty(),
                        "an attachment without an address"
                    );
                }
                PlanItem::Note(note) => {
                    let _ = note.address();
                }
            }
        }
    }
}
