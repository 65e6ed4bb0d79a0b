//! Criterion benches of the engine, in process: parse + `check_document` over the whole AWS
//! managed policy corpus (single-threaded), a few notable policies on their own, and catalog
//! expansion once warm. Run by `make bench` (scripts/bench) as `cargo bench -p
//! policy-guard-bench --bench engine`; per-policy p50/p99 and catalog *first* access come from
//! the `corpus-timings` binary (criterion reports means of warm iterations).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use policy_guard::catalog::catalog;
use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind, Severity};
use policy_guard_bench::{corpus_dir, load_corpus};
use std::hint::black_box;
use std::time::Duration;

fn engine(c: &mut Criterion) {
    let corpus = match load_corpus(&corpus_dir()) {
        Ok(corpus) => corpus,
        Err(error) => {
            eprintln!("engine bench skipped: {error}");
            return;
        }
    };
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

    let mut group = c.benchmark_group("corpus");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8))
        .throughput(Throughput::Elements(corpus.len() as u64));
    group.bench_function("parse+check all policies", |b| {
        b.iter(|| {
            for (_, text) in &corpus {
                black_box(check_document(
                    black_box(text),
                    DocumentKind::Identity,
                    &options,
                ));
            }
        })
    });
    group.finish();

    let mut group = c.benchmark_group("policy");
    let largest = corpus.iter().max_by_key(|(_, text)| text.len());
    let picks = [
        corpus
            .iter()
            .find(|(name, _)| name == "AdministratorAccess.json"),
        corpus
            .iter()
            .find(|(name, _)| name == "ReadOnlyAccess.json"),
        largest,
    ];
    for (name, text) in picks.into_iter().flatten() {
        group.bench_function(name.trim_end_matches(".json"), |b| {
            b.iter(|| check_document(black_box(text), DocumentKind::Identity, &options))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("catalog");
    for pattern in ["s3:Get*", "iam:*Policy*", "*:Get*", "*"] {
        group.bench_function(format!("expand {pattern}"), |b| {
            b.iter(|| catalog().expand(black_box(pattern)))
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
