//! Every input a fuzz target ever crashed on, replayed through the same `fuzz_one` function libFuzzer
//! calls: `regressions/<target>/<file>`, one input per file. `scripts/fuzz` copies each new
//! crash there, so a crash stays a failing test until it is fixed, and a fixed one never
//! returns. `make test` runs this on the stable toolchain (`--no-default-features`).
use std::fs;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("regressions")
}

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

#[test]
fn every_saved_crash_passes_its_target() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, run) in policy_guard_fuzz::TARGETS {
        for file in inputs(&regressions().join(target)) {
            let data = fs::read(&file).unwrap();
            replayed += 1;
            if let Err(panic) = catch_unwind(AssertUnwindSafe(|| run(&data))) {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                failures.push(format!("{target}: {}: {message}", file.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {replayed} saved crashes fail again (reproduce one with \
         `cargo +nightly fuzz run <target> <file>` in fuzz/):\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The event_parser crash this folder started with is always there to replay.
    assert!(replayed >= 1, "no saved crash was replayed");
}

#[test]
fn every_regression_folder_names_a_target() {
    let known: Vec<&str> = policy_guard_fuzz::TARGETS.iter().map(|(n, _)| *n).collect();
    for entry in fs::read_dir(regressions()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                known.contains(&name.as_str()),
                "regressions/{name} is not a fuzz target (known: {known:?}): its inputs would never run"
            );
        }
    }
}

#[test]
fn every_target_has_a_binary() {
    let manifest =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    for (target, _) in policy_guard_fuzz::TARGETS {
        assert!(
            manifest.contains(&format!(
                "name = \"{target}\"\npath = \"fuzz_targets/{target}.rs\""
            )),
            "{target} has no [[bin]] in fuzz/Cargo.toml, so libFuzzer never runs it"
        );
    }
}
