//! policy-guard's fuzz targets, one module each: `fuzz_one(data)` is the whole property check of one
//! input. libFuzzer reaches them through the thin binaries in `fuzz_targets/` (feature
//! `libfuzzer`, on by default, nightly); `tests/regressions.rs` replays every saved crash in
//! `regressions/<target>/` through the same functions on the stable toolchain in `make test`.

pub mod cloudtrail_log;
pub mod config_file;
pub mod evaluator;
pub mod event_parser;
pub mod policy_parser;
pub mod simulate_scenario;
pub mod terraform_plan;
pub mod wildcard_matcher;

/// Every target by name, as `scripts/fuzz` and the regression folders name them.
pub const TARGETS: &[(&str, fn(&[u8]))] = &[
    ("cloudtrail_log", cloudtrail_log::fuzz_one),
    ("config_file", config_file::fuzz_one),
    ("evaluator", evaluator::fuzz_one),
    ("event_parser", event_parser::fuzz_one),
    ("policy_parser", policy_parser::fuzz_one),
    ("simulate_scenario", simulate_scenario::fuzz_one),
    ("terraform_plan", terraform_plan::fuzz_one),
    ("wildcard_matcher", wildcard_matcher::fuzz_one),
];
