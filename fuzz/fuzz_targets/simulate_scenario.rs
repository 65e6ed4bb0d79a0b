//! libFuzzer entry point of the `simulate_scenario` target; the target itself (input, properties) is
//! `src/simulate_scenario.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::simulate_scenario::fuzz_one(data));
