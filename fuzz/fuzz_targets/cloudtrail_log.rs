//! libFuzzer entry point of the `cloudtrail_log` target; the target itself (input, properties) is
//! `src/cloudtrail_log.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::cloudtrail_log::fuzz_one(data));
