//! libFuzzer entry point of the `wildcard_matcher` target; the target itself (input, properties) is
//! `src/wildcard_matcher.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::wildcard_matcher::fuzz_one(data));
