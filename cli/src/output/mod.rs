//! Output formats: `text` for people, `json` (stable, versioned; see `cli/SCHEMA.md`) and
//! `sarif` (SARIF 2.1.0 for GitHub code scanning) for machines.

pub mod json;
pub mod sarif;
pub mod text;

/// ANSI colours, or none (not a terminal, `NO_COLOR`, `--color never`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub const ERROR: &'static str = "1;31";
    pub const WARNING: &'static str = "1;33";
    pub const NOTE: &'static str = "1;36";
    pub const ARROW: &'static str = "1;34";
    pub const BOLD: &'static str = "1";

    pub fn paint(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\u{1b}[{code}m{text}\u{1b}[0m")
        } else {
            text.to_string()
        }
    }
}

/// The tool's version, for JSON and SARIF.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the rules are documented: the workspace's `repository`.
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// A rule's documentation as Markdown: the doc comments' leading space removed from each line.
pub fn rule_docs(meta: &policy_guard::rules::RuleMeta) -> String {
    let mut out = String::with_capacity(meta.docs.len());
    for line in meta.docs.lines() {
        out.push_str(line.strip_prefix(' ').unwrap_or(line));
        out.push('\n');
    }
    out
}
