//! Helpers shared by policy-guard's benchmark binaries (`make bench`, driven by `scripts/bench`):
//! where the corpus is, reading it, and order statistics over timings.
//!
//! Nothing here fails on timing: the binaries measure and print JSON; `scripts/bench` writes
//! `BENCHMARKS.md` from it.

use std::path::{Path, PathBuf};

pub type Error = Box<dyn std::error::Error + Send + Sync>;
pub type Result<T> = std::result::Result<T, Error>;

/// The workspace root (one level above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The AWS managed policy corpus: `$POLICY_GUARD_CORPUS`, else `../shared/corpus/...` beside
/// the work tree. Read at bench time, never copied.
pub fn corpus_dir() -> PathBuf {
    match std::env::var_os("POLICY_GUARD_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("../shared/corpus/aws-managed-policies"),
    }
}

/// Every `*.json` file of the corpus as (file name, text), sorted by name.
pub fn load_corpus(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        out.push((name, text));
    }
    if out.is_empty() {
        return Err(format!("no *.json policies in {}", dir.display()).into());
    }
    out.sort();
    Ok(out)
}

/// Order statistics of a sample (any unit; the caller names it).
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub count: usize,
    pub min: f64,
    pub p50: f64,
    pub p90: f64,
    pub p99: f64,
    pub max: f64,
    pub mean: f64,
}

impl Stats {
    /// `None` for an empty sample. Percentiles are nearest-rank.
    pub fn of(sample: &[f64]) -> Option<Stats> {
        let mut sorted: Vec<f64> = sample.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return None;
        }
        sorted.sort_by(f64::total_cmp);
        let count = sorted.len();
        let rank = |p: f64| -> f64 {
            // Nearest rank: the smallest value with at least p% of the sample at or below it.
            let r = (p / 100.0 * count as f64).ceil() as usize;
            let index = r.clamp(1, count) - 1;
            sorted.get(index).copied().unwrap_or(f64::NAN)
        };
        Some(Stats {
            count,
            min: sorted.first().copied().unwrap_or(f64::NAN),
            p50: rank(50.0),
            p90: rank(90.0),
            p99: rank(99.0),
            max: sorted.last().copied().unwrap_or(f64::NAN),
            mean: sorted.iter().sum::<f64>() / count as f64,
        })
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "count": self.count,
            "min": self.min,
            "p50": self.p50,
            "p90": self.p90,
            "p99": self.p99,
            "max": self.max,
            "mean": self.mean,
        })
    }
}

/// `Stats::of(..).to_json()`, or `null` for an empty sample.
pub fn stats_json(sample: &[f64]) -> serde_json::Value {
    Stats::of(sample).map_or(serde_json::Value::Null, |s| s.to_json())
}

/// Peak and current resident set size of a process, in KiB, from `/proc/<pid>/status`.
pub fn memory_kib(pid: u32) -> Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    match (field("VmHWM:"), field("VmRSS:")) {
        (Some(hwm), Some(rss)) => Ok((hwm, rss)),
        _ => Err(format!("no VmHWM/VmRSS in /proc/{pid}/status").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let sample: Vec<f64> = (1..=100).map(f64::from).collect();
        let stats = Stats::of(&sample).unwrap();
        assert_eq!(stats.count, 100);
        assert_eq!(stats.p50, 50.0);
        assert_eq!(stats.p90, 90.0);
        assert_eq!(stats.p99, 99.0);
        assert_eq!(stats.max, 100.0);
        assert_eq!(Stats::of(&[]), None);
        assert_eq!(Stats::of(&[7.0]).unwrap().p99, 7.0);
    }

    #[test]
    fn memory_of_this_process() {
        let (hwm, rss) = memory_kib(std::process::id()).unwrap();
        assert!(hwm >= rss && rss > 0);
    }
}
