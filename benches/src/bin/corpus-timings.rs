//! The engine over the AWS managed policy corpus, in process, single-threaded: parse +
//! `check_document` of every policy. Prints one JSON object:
//!
//! - `catalog_init_us`: `catalog()` first access + a first `expand("s3:Get*")`, each sample
//!   taken in a fresh process (this binary re-executes itself with `--catalog-once`);
//! - `corpus_ms`: wall time of whole-corpus passes (no per-policy instrumentation);
//! - `per_policy_us`: each policy's median over the instrumented passes, then p50/p99 over the
//!   policies; `slowest`: the five slowest policies.
//!
//! Usage: corpus-timings [--passes N] [--catalog-runs N] [--corpus DIR]

use policy_guard::catalog::catalog;
use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind, Severity};
use policy_guard_bench::{corpus_dir, load_corpus, stats_json, Result};
use serde_json::json;
use std::hint::black_box;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("corpus-timings: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The first touch of the catalog in this process, in microseconds.
fn catalog_first_access_us() -> f64 {
    let started = Instant::now();
    let expansion = black_box(catalog()).expand(black_box("s3:Get*"));
    let elapsed = started.elapsed();
    black_box(expansion);
    elapsed.as_secs_f64() * 1e6
}

fn run() -> Result<()> {
    // Before anything else touches the catalog.
    let first_catalog_us = catalog_first_access_us();
    let mut args = std::env::args().skip(1);
    let mut passes: usize = 15;
    let mut catalog_runs: usize = 30;
    let mut dir: PathBuf = corpus_dir();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--catalog-once" => {
                println!("{first_catalog_us}");
                return Ok(());
            }
            "--passes" => passes = args.next().ok_or("--passes N")?.parse()?,
            "--catalog-runs" => catalog_runs = args.next().ok_or("--catalog-runs N")?.parse()?,
            "--corpus" => dir = PathBuf::from(args.next().ok_or("--corpus DIR")?),
            other => return Err(format!("unknown argument {other}").into()),
        }
    }

    let mut catalog_us = vec![first_catalog_us];
    let exe = std::env::current_exe()?;
    for _ in 1..catalog_runs {
        let output = Command::new(&exe).arg("--catalog-once").output()?;
        if !output.status.success() {
            return Err("corpus-timings --catalog-once failed".into());
        }
        catalog_us.push(String::from_utf8(output.stdout)?.trim().parse()?);
    }

    let corpus = load_corpus(&dir)?;
    // Every rule runs: with the default minimum (medium) the engine skips the rules whose
    // findings it would drop, and this measures the whole engine.
    let config = Config {
        min_severity: Severity::Info,
        ..Config::default()
    };
    let options = CheckOptions {
        account: None,
        config: &config,
    };
    let check = |text: &str| check_document(black_box(text), DocumentKind::Identity, &options);

    // Warm-up pass; also counts the findings once.
    let findings: usize = corpus.iter().map(|(_, text)| check(text).len()).sum();

    let mut corpus_ms = Vec::with_capacity(passes);
    for _ in 0..passes {
        let started = Instant::now();
        for (_, text) in &corpus {
            black_box(check(text));
        }
        corpus_ms.push(started.elapsed().as_secs_f64() * 1e3);
    }

    let mut per_policy: Vec<Vec<f64>> = vec![Vec::with_capacity(passes); corpus.len()];
    for _ in 0..passes {
        for ((_, text), times) in corpus.iter().zip(per_policy.iter_mut()) {
            let started = Instant::now();
            black_box(check(text));
            times.push(started.elapsed().as_secs_f64() * 1e6);
        }
    }
    let medians: Vec<f64> = per_policy
        .iter()
        .map(|times| policy_guard_bench::Stats::of(times).map_or(f64::NAN, |s| s.p50))
        .collect();
    let mut ranked: Vec<(f64, &str)> = medians
        .iter()
        .zip(corpus.iter())
        .map(|(us, (name, _))| (*us, name.as_str()))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let slowest: Vec<_> = ranked
        .iter()
        .take(5)
        .map(|(us, name)| json!({"policy": name, "us": us}))
        .collect();
    let bytes: usize = corpus.iter().map(|(_, text)| text.len()).sum();

    let report = json!({
        "corpus_dir": dir.display().to_string(),
        "policies": corpus.len(),
        "bytes": bytes,
        "findings": findings,
        "passes": passes,
        "corpus_ms": stats_json(&corpus_ms),
        "per_policy_us": stats_json(&medians),
        "slowest": slowest,
        "catalog_init_us": stats_json(&catalog_us),
    });
    println!("{report}");
    Ok(())
}
