//! libFuzzer entry point of the `event_parser` target; the target itself (input, properties) is
//! `src/event_parser.rs`, shared with the regression replay in `tests/regressions.rs`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| policy_guard_fuzz::event_parser::fuzz_one(data));
