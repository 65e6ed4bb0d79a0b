//! From an event's outcome to what the guard and the CLI report: one function, so both say the
//! same about every event.

use super::{judge, Note, Resolved, Verdict};
use crate::change::{EventContext, EventOutcome, OutcomeKind};
use crate::Config;
use std::fmt;

/// What a judged event's verdict amounts to: `findings`, `notes`, `clean`, or `none` when
/// nothing was judged (the guard's `verdict` log field and response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerdictKind {
    Findings,
    Notes,
    Clean,
    None,
}

impl VerdictKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VerdictKind::Findings => "findings",
            VerdictKind::Notes => "notes",
            VerdictKind::Clean => "clean",
            VerdictKind::None => "none",
        }
    }
}

impl fmt::Display for VerdictKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What became of one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// A change (judged with its resolved references) or a malformed event (one
    /// `malformed-event` finding and the parse error as a note).
    Judged {
        outcome: OutcomeKind,
        verdict: Verdict,
    },
    /// Nothing to judge: a failed call or an event the guard does not watch, and why.
    Unjudged {
        outcome: OutcomeKind,
        context: EventContext,
        reason: String,
    },
}

/// Judges an event's outcome: a change with `resolved` (its references, resolved by the
/// caller), a malformed event into its `malformed-event` verdict; a failed call or an ignored
/// event is not judged and says why.
pub fn judge_outcome(outcome: EventOutcome, resolved: &Resolved, config: &Config) -> Judgement {
    let kind = outcome.label();
    match outcome {
        EventOutcome::Change(change) => Judgement::Judged {
            outcome: kind,
            verdict: judge(&change, resolved, config),
        },
        EventOutcome::Malformed { context, error } => {
            let mut verdict = Verdict::malformed(context, &error, config);
            verdict.notes.push(Note::UnreadableRecord { error });
            Judgement::Judged {
                outcome: kind,
                verdict,
            }
        }
        EventOutcome::Failed {
            context,
            error_code,
            error_message,
        } => {
            let reason = match error_message {
                Some(message) => {
                    format!("the call failed ({error_code}: {message}): nothing changed")
                }
                None => format!("the call failed ({error_code}): nothing changed"),
            };
            Judgement::Unjudged {
                outcome: kind,
                context,
                reason,
            }
        }
        EventOutcome::Ignored { context, reason } => Judgement::Unjudged {
            outcome: kind,
            context,
            reason,
        },
    }
}
