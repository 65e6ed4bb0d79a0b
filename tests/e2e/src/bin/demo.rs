//! `make demo`: the guard end to end on emulated AWS (moto + cargo-lambda's runtime emulator),
//! printing what a person subscribed to the findings topic would read. Stops every process it
//! started when it ends.

use policy_guard_e2e::scenarios::{Expect, SCENARIOS};
use policy_guard_e2e::Stack;
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("demo failed: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> policy_guard_e2e::Result<()> {
    println!(
        "Starting moto, the findings topic and queue, and both guards under cargo lambda watch..."
    );
    let stack = Stack::start("demo", None).await?;
    println!("Ready (logs in {}).\n", stack.dir.display());
    let rule = "=".repeat(78);
    let mut published_before = 0;
    for (index, scenario) in SCENARIOS.iter().enumerate() {
        let kind = match scenario.expect {
            Expect::Nothing => "good",
            Expect::Findings { .. } => "bad",
        };
        println!(
            "{rule}\n{:>2}. [{kind}] {} ({}, {})",
            index + 1,
            scenario.title,
            scenario.function.package(),
            scenario.fixture
        );
        let response = stack.invoke(scenario.function, &scenario.event()?)?;
        let published = stack.published()?;
        match published.get(published_before..).unwrap_or_default() {
            [] => {
                let why = response
                    .get("reason")
                    .and_then(serde_json::Value::as_str)
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default();
                println!(
                    "    -> nothing published ({} / {}{why})\n",
                    response
                        .get("outcome")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("?"),
                    response
                        .get("verdict")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or("?")
                );
            }
            new => {
                for message in new {
                    println!("    -> published to SNS. Subject: {}\n", message.subject);
                    for line in message.email.lines() {
                        println!("    | {line}");
                    }
                    println!();
                }
            }
        }
        published_before = published.len();
    }
    let arrived = stack.receive(std::time::Duration::from_secs(2)).await?;
    println!(
        "{rule}\n{} messages published; {} arrived on the SQS queue subscribed to the topic.",
        published_before,
        arrived.len()
    );
    println!("Stopping moto, the emulators and the functions.");
    Ok(())
}
