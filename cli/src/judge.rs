//! Judging one document: the engine's rules, then the configuration. Every reader's
//! documents (a policy file, a plan's, a resolved policy's) end here.

use crate::locate::{parse_pointer, Locator};
use crate::model::{unresolved_finding, FileResult, InputKind, Item, Note, Origin, Unresolved};
use crate::resolve::PolicyDir;
use policy_guard::report::{Finding, Report};
use policy_guard::rules::{check_document, CheckOptions};
use policy_guard::{Config, DocumentKind};

/// `--on-unresolved`: what a reference the run could not resolve (a policy attached by ARN
/// without `--policies`, a document Terraform knows only after apply) does to the outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OnUnresolved {
    /// A note: the run stays clean if nothing else is found.
    Note,
    /// An `unresolved-reference` result (high): the run fails (exit 1). The default of
    /// `check`: a gate never says clean about what it did not judge.
    #[default]
    Fail,
}

/// How inputs are checked.
#[derive(Clone)]
pub struct Checker {
    /// `--kind`: forces the kind of every input.
    pub kind: Option<InputKind>,
    /// `--account`: the account documents live in (else the event's own, the plan's, or the
    /// function's).
    pub account: Option<String>,
    /// The configuration, with `--min-severity` applied.
    pub config: Config,
    /// `--policies`: where referenced policy ARNs are resolved.
    pub policies: Option<PolicyDir>,
    /// `--on-unresolved`: whether an unresolved reference fails the run.
    pub on_unresolved: OnUnresolved,
    /// The input being checked, reused from file to file (each thread has its own checker).
    pub read_buffer: Vec<u8>,
}

/// One document to judge inside a file.
pub struct Document<'a> {
    pub text: &'a str,
    pub kind: DocumentKind,
    pub account: Option<&'a str>,
    /// ARNs suppressions may name.
    pub arns: &'a [&'a str],
    /// Where findings point: the document inside the file, and its line when the document
    /// is not the file itself.
    pub origin: Origin,
    /// The file's text when the document *is* the file: findings get the line of their
    /// statement.
    pub file_text: Option<&'a str>,
}

impl Checker {
    /// Judges one document: the engine's rules, then the configuration (overrides,
    /// suppressions, minimum severity).
    pub fn judge(&mut self, document: Document<'_>, result: &mut FileResult) {
        let options = CheckOptions {
            account: document.account,
            config: &self.config,
        };
        let raw = check_document(document.text, document.kind, &options);
        self.record(document, raw, result);
    }

    /// The engine's findings for `document` after the configuration (overrides, suppressions,
    /// minimum severity), each with the line it points at.
    pub fn record(&self, document: Document<'_>, raw: Vec<Finding>, result: &mut FileResult) {
        let report = Report::new(raw).apply_config(&self.config, document.arns);
        result.suppressed.extend(report.suppressed);
        let mut locator = document.file_text.map(Locator::new);
        for finding in report.findings {
            let mut origin = document.origin.clone();
            if origin.document_kind.is_none() && origin.document.is_some() {
                origin.document_kind = Some(document.kind);
            }
            if let Some(locator) = locator.as_mut() {
                origin.line = locator.line_of(&parse_pointer(&finding.location.pointer));
            }
            result.items.push(Item { finding, origin });
        }
    }

    pub fn note(result: &mut FileResult, message: String, origin: Origin) {
        result.notes.push(Note { message, origin });
    }

    /// Something the run could not judge because a reference was not resolved: an
    /// `unresolved-reference` result under `--on-unresolved fail` (outside the configuration:
    /// neither a suppression nor `--min-severity` hides it), else a note. `message` says what
    /// was not judged and why, as one sentence.
    pub fn unresolved(
        &self,
        result: &mut FileResult,
        what: Unresolved,
        message: String,
        origin: Origin,
    ) {
        match self.on_unresolved {
            OnUnresolved::Note => Self::note(result, message, origin),
            OnUnresolved::Fail => result.items.push(Item {
                finding: unresolved_finding(what, message),
                origin,
            }),
        }
    }
}
