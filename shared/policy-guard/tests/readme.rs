//! The configuration example in the README is a valid configuration.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::{Config, Severity};

#[test]
fn readme_configuration_example_parses() {
    let readme = include_str!("../../../README.md");
    let section = readme
        .split("## Configuration")
        .nth(1)
        .expect("a Configuration section");
    let block = section.split("```toml").nth(1).expect("a toml block");
    let toml = block.split("```").next().expect("closed block");
    let config = Config::parse(toml).expect("the README's example is valid");
    assert_eq!(config.min_severity, Severity::Medium);
    assert_eq!(config.suppressions.len(), 1);
    assert_eq!(config.trusted_accounts, vec!["444455556666"]);
}
