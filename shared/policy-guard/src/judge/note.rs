//! What a verdict wants a reader to know besides its findings, typed: the English text is
//! written only at the edge ([`Note`]'s `Display`).

use crate::change::{Reference, UnreadableEvent};
use std::fmt;

/// One note of a verdict (never a finding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// A reference the guard was asked to resolve but that was not (the CLI without
    /// `--policies`): `The default version of ARN was not resolved.`
    UnresolvedReference { reference: Reference },
    /// A referenced document that is permanently unavailable: `Could not read the DOCUMENT:
    /// REASON.` (`document` is the reference, described).
    MissingDocument {
        document: String,
        reason: String,
        /// What was asked for: a document in force, or only the previous version.
        reference: Reference,
    },
    /// A new policy version that is not made the default: it grants nothing yet.
    NotDefaultVersion { version: String },
    /// The new default version grants nothing the previous one did not.
    NoNewAccess { compared_with: String },
    /// The previous or the new version does not parse, so what access is new is unknown.
    NewAccessUnknown { previous_version: String },
    /// The event could not be read: why.
    UnreadableRecord { error: UnreadableEvent },
    /// The record lacks the fields that name what it changes (`roleName`): the document was
    /// judged without them.
    UnnamedTarget { fields: Vec<&'static str> },
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Note::UnresolvedReference { reference } => {
                write!(f, "The {} was not resolved.", reference.describe())
            }
            Note::MissingDocument {
                document, reason, ..
            } => {
                write!(f, "Could not read the {document}: {reason}.")
            }
            Note::NotDefaultVersion { version } => write!(
                f,
                "{version} is not the default version: it grants nothing until it is made the default."
            ),
            Note::NoNewAccess { compared_with } => {
                write!(f, "It grants no access that {compared_with} did not.")
            }
            Note::NewAccessUnknown { previous_version } => write!(
                f,
                "What access is new is unknown: {previous_version} or the new version does not parse."
            ),
            Note::UnreadableRecord { error } => write!(f, "Parse error: {error}"),
            Note::UnnamedTarget { fields } => {
                let fields: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
                write!(
                    f,
                    "The event does not name what it changes ({} missing); the change was judged without the name.",
                    fields.join(", ")
                )
            }
        }
    }
}
