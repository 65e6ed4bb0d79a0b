//! libFuzzer entry point of the `config_file` target; the target itself (input, properties) is
//! `src/config_file.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::config_file::fuzz_one(data));
