//! Running the built `policy-guard` binary from the crate directory, so paths in its output
//! are the stable relative paths `tests/fixtures/...`.
#![allow(
    dead_code,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "shared by every test binary, each using part of it; a failed expectation is the test failing"
)]

use std::io::Write;
use std::process::{Command, Stdio};

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

pub fn run(args: &[&str]) -> Output {
    run_with_stdin(args, None)
}

pub fn run_with_stdin(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_policy-guard"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the policy-guard binary runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(text.as_bytes())
            .expect("stdin is written");
    }
    let out = child.wait_with_output().expect("policy-guard finishes");
    Output {
        code: out.status.code().expect("policy-guard exits with a code"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The rule ids of a JSON output's findings, in order.
pub fn rule_ids(output: &serde_json::Value) -> Vec<String> {
    output["findings"]
        .as_array()
        .expect("findings is an array")
        .iter()
        .map(|f| f["rule_id"].as_str().expect("rule_id").to_string())
        .collect()
}

pub const SEEDS: &str = "tests/fixtures/seeds";
pub const PLAN: &str = "tests/fixtures/terraform/plan.json";
pub const TRAIL: &str =
    "tests/fixtures/cloudtrail/111122223333_CloudTrail_us-east-1_20250304T1015Z_mixed.json.gz";
pub const MANAGED: &str = "tests/fixtures/managed-policies";
