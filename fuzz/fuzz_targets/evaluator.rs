//! libFuzzer entry point of the `evaluator` target; the target itself (input, properties) is
//! `src/evaluator.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::evaluator::fuzz_one(data));
