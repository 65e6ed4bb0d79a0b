//! libFuzzer entry point of the `terraform_plan` target; the target itself (input, properties) is
//! `src/terraform_plan.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::terraform_plan::fuzz_one(data));
