//! libFuzzer entry point of the `policy_parser` target; the target itself (input, properties) is
//! `src/policy_parser.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::policy_parser::fuzz_one(data));
