//! What a run found, independent of the output format.

use policy_guard::policy::Location;
use policy_guard::report::SuppressedFinding;
use policy_guard::{Category, DocumentKind, Finding, Severity};

/// The id of the result a reference the run could not resolve becomes under
/// `--on-unresolved fail`: not a rule of the engine, a verdict of the CLI about its own run.
pub const UNRESOLVED_REFERENCE: &str = "unresolved-reference";

/// The severity of an `unresolved-reference` result: high, an error in SARIF and text.
pub const UNRESOLVED_SEVERITY: Severity = Severity::High;

/// What `unresolved-reference` says, for `explain`, the SARIF rule entry and the README.
pub const UNRESOLVED_SUMMARY: &str =
    "a referenced policy or document could not be resolved, so it was not judged";

/// What was not resolved: decides the fix an `unresolved-reference` result suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unresolved {
    /// A managed policy named by ARN and not found (`--policies`).
    Policy,
    /// A Terraform policy document known only after apply as a whole.
    KnownAfterApply,
    /// Another Terraform value a document is built from (an attachment's ARN, a Lambda
    /// permission's principal, a function URL's auth type) known only after apply.
    ValueAfterApply,
}

impl Unresolved {
    fn fix(self) -> &'static str {
        match self {
            Unresolved::Policy => {
                "Pass --policies DIR with the referenced policies (<DIR>/<PolicyName>.json); \
                 --on-unresolved note reports this as a note instead."
            }
            Unresolved::KnownAfterApply => {
                "Build the policy with an aws_iam_policy_document data source (its known \
                 statements are then judged), or check the account after apply; \
                 --on-unresolved note reports this as a note instead."
            }
            Unresolved::ValueAfterApply => {
                "Make the value known at plan time (a literal, or a resource that already \
                 exists), or check the account after apply; --on-unresolved note reports this \
                 as a note instead."
            }
        }
    }
}

/// The documentation of `unresolved-reference` (SARIF help, `explain`), as Markdown.
pub const UNRESOLVED_DOCS: &str =
    "### What it does\nReports a reference the run could not resolve: a managed \
                policy attached by ARN that is not in `--policies`, or a document Terraform \
                knows only after apply as a whole. Not a rule of the engine: the CLI's verdict \
                on its own run under `--on-unresolved fail` (the default of `check`).\n\n\
                ### Why is this bad\nWhat the reference puts in force was not judged, so the \
                run cannot say it is clean: a gate that passed it would pass an attached \
                `AdministratorAccess` equivalent unseen.\n\n\
                ### Use instead\nPass `--policies DIR` with the referenced policies, build \
                Terraform policies with an `aws_iam_policy_document` data source, or check \
                after apply; `--on-unresolved note` reports this as a note instead.\n";

/// The `unresolved-reference` result for `message` (what was not judged and why).
pub fn unresolved_finding(what: Unresolved, message: String) -> Finding {
    Finding {
        rule_id: UNRESOLVED_REFERENCE.to_string(),
        // The engine has no category for the CLI's own verdicts; outputs name this one
        // `unresolved-reference` (see [`category_name`]).
        category: Category::Malformed,
        severity: UNRESOLVED_SEVERITY,
        title: "a reference was not resolved: not judged".to_string(),
        message,
        fix: what.fix().to_string(),
        location: Location::default(),
        actions: Vec::new(),
        resources: Vec::new(),
        constrained_by: Vec::new(),
    }
}

/// The category outputs name for `finding`: the engine's, or `unresolved-reference`.
pub fn category_name(finding: &Finding) -> &'static str {
    if finding.rule_id == UNRESOLVED_REFERENCE {
        UNRESOLVED_REFERENCE
    } else {
        finding.category.as_str()
    }
}

pub use policy_guard_inputs::InputKind;

/// Where a finding or note sits beyond the file: the document inside it and the event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Origin {
    /// The document inside the file (`aws_iam_policy.admin (policy)`, `policy
    /// AdministratorAccess (default version v1)`); `None` for a file that is one document.
    pub document: Option<String>,
    pub document_kind: Option<DocumentKind>,
    pub event_id: Option<String>,
    pub event_name: Option<String>,
    /// 1-based line in the file (1 when unknown).
    pub line: usize,
}

/// One finding with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub finding: Finding,
    pub origin: Origin,
}

/// Something a reader should know that is not a finding (a value known only after apply and
/// checked as present, an unresolved reference under `--on-unresolved note`). Notes never
/// change the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub message: String,
    pub origin: Origin,
}

/// How the events of a CloudTrail input fared.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventCounts {
    /// Permission changes judged (including malformed ones, judged as `malformed-event`).
    pub judged: usize,
    /// Calls that failed (`errorCode`): nothing changed.
    pub failed: usize,
    /// Events the guard does not watch.
    pub ignored: usize,
}

impl EventCounts {
    pub fn total(&self) -> usize {
        self.judged + self.failed + self.ignored
    }

    pub fn add(&mut self, other: EventCounts) {
        self.judged += other.judged;
        self.failed += other.failed;
        self.ignored += other.ignored;
    }
}

/// Everything about one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileResult {
    /// As given or found (relative paths stay relative), `-` for standard input.
    pub path: String,
    /// The path itself, for a file: its exact bytes when they are not UTF-8 (`path` then has
    /// replacement characters).
    pub os_path: Option<std::path::PathBuf>,
    pub kind: Option<InputKind>,
    pub items: Vec<Item>,
    pub notes: Vec<Note>,
    pub suppressed: Vec<SuppressedFinding>,
    pub events: EventCounts,
    /// The file could not be read or understood: an input error (exit code 2).
    pub error: Option<String>,
    /// Found by walking a directory but not a document policy-guard reads.
    pub skipped: Option<String>,
    /// Policies this input uses as permissions boundaries by ARN: (policy name, what uses it),
    /// so a file of the run with that name is judged as a boundary.
    pub boundary_refs: Vec<(String, String)>,
}

impl FileResult {
    pub fn new(path: &str) -> FileResult {
        FileResult {
            path: path.to_string(),
            os_path: None,
            kind: None,
            items: Vec::new(),
            notes: Vec::new(),
            suppressed: Vec::new(),
            events: EventCounts::default(),
            error: None,
            skipped: None,
            boundary_refs: Vec::new(),
        }
    }

    pub fn failed(path: &str, error: String) -> FileResult {
        FileResult {
            error: Some(error),
            ..FileResult::new(path)
        }
    }

    pub fn is_clean(&self) -> bool {
        self.items.is_empty() && self.error.is_none() && self.skipped.is_none()
    }
}

/// The whole run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub files: Vec<FileResult>,
    pub min_severity: Severity,
}

impl Run {
    pub fn items(&self) -> impl Iterator<Item = (&FileResult, &Item)> {
        self.files
            .iter()
            .flat_map(|f| f.items.iter().map(move |i| (f, i)))
    }

    pub fn finding_count(&self) -> usize {
        self.files.iter().map(|f| f.items.len()).sum()
    }

    pub fn error_count(&self) -> usize {
        self.files.iter().filter(|f| f.error.is_some()).count()
    }

    /// Files read and judged (not failed, not skipped).
    pub fn checked_count(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.error.is_none() && f.skipped.is_none())
            .count()
    }

    pub fn clean_count(&self) -> usize {
        self.files.iter().filter(|f| f.is_clean()).count()
    }

    pub fn skipped_count(&self) -> usize {
        self.files.iter().filter(|f| f.skipped.is_some()).count()
    }

    /// Findings a suppression of the configuration hid.
    pub fn suppressed_count(&self) -> usize {
        self.files.iter().map(|f| f.suppressed.len()).sum()
    }

    pub fn note_count(&self) -> usize {
        self.files.iter().map(|f| f.notes.len()).sum()
    }

    pub fn events(&self) -> EventCounts {
        let mut total = EventCounts::default();
        for file in &self.files {
            total.add(file.events);
        }
        total
    }

    /// Findings per severity, most severe first, only severities present.
    pub fn by_severity(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .iter()
            .rev()
            .map(|s| {
                (
                    *s,
                    self.items()
                        .filter(|(_, i)| i.finding.severity == *s)
                        .count(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// 0: nothing at or above the threshold; 1: findings (an `unresolved-reference` result
    /// among them); 2: an input error (wins over 1).
    pub fn exit_code(&self) -> u8 {
        if self.error_count() > 0 {
            2
        } else if self.finding_count() > 0 {
            1
        } else {
            0
        }
    }

    /// `3 findings (1 critical, 2 high) in 4 files; 2 files clean`.
    pub fn summary_line(&self) -> String {
        let n = self.finding_count();
        let mut line = format!("{n} finding{}", plural(n));
        let parts: Vec<String> = self
            .by_severity()
            .iter()
            .map(|(s, c)| format!("{c} {s}"))
            .collect();
        if !parts.is_empty() {
            line.push_str(&format!(" ({})", parts.join(", ")));
        }
        let checked = self.checked_count();
        let clean = self.clean_count();
        line.push_str(&format!(
            " in {checked} file{}; {clean} file{} clean",
            plural(checked),
            plural(clean)
        ));
        let events = self.events();
        if events.total() > 0 {
            line.push_str(&format!(
                "; {} event{} judged, {} failed call{}, {} ignored",
                events.judged,
                plural(events.judged),
                events.failed,
                plural(events.failed),
                events.ignored
            ));
        }
        let suppressed = self.suppressed_count();
        if suppressed > 0 {
            line.push_str(&format!(
                "; {suppressed} finding{} suppressed",
                plural(suppressed)
            ));
        }
        let notes = self.note_count();
        if notes > 0 {
            line.push_str(&format!("; {notes} note{}", plural(notes)));
        }
        let skipped = self.skipped_count();
        if skipped > 0 {
            line.push_str(&format!("; {skipped} file{} skipped", plural(skipped)));
        }
        let errors = self.error_count();
        if errors > 0 {
            line.push_str(&format!("; {errors} input error{}", plural(errors)));
        }
        line
    }
}

pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
