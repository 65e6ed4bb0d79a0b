//! The guard's handling of one event, generic over its ports.

use crate::ports::{Notifier, NotifyError, PolicySource, SourceError};
use policy_guard::change::{parse_event, EventContext, EventOutcome, OutcomeKind, Service};
use policy_guard::judge::{judge_outcome, Judgement, Resolved, Verdict, VerdictKind};
use policy_guard::render::sns_message;
use policy_guard::text::sanitize;
use policy_guard::{Config, Severity};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Event ids already published by this sandbox: a redelivered event is not published twice.
const RECENT_MAX: usize = 1024;
/// Bound for attacker-controlled values in log fields.
const LOG_MAX: usize = 200;

/// The guard for one service's events.
pub struct Guard<P, N> {
    service: Service,
    config: Config,
    source: P,
    notifier: N,
    recent: Mutex<VecDeque<String>>,
}

/// Why an invocation failed: Lambda retries it, then sends it to the DLQ.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Notify(#[from] NotifyError),
}

/// What became of one event: the invocation's response and the fields of its log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub event_id: Option<String>,
    pub event_name: Option<String>,
    /// `change`, `failed`, `ignored`, `malformed`.
    pub outcome: OutcomeKind,
    /// `findings`, `notes`, `clean`, or `none` when nothing was judged.
    pub verdict: VerdictKind,
    pub findings: usize,
    pub highest_severity: Option<Severity>,
    pub rule_ids: Vec<String>,
    /// The SNS message id when a message was published.
    pub message_id: Option<String>,
    /// Already published by this sandbox (a redelivery): not published again.
    pub duplicate: bool,
    /// Why nothing was judged (ignored, failed call) or what was malformed; sanitized.
    pub reason: Option<String>,
}

impl Outcome {
    fn unjudged(context: &EventContext, outcome: OutcomeKind, reason: String) -> Outcome {
        Outcome {
            event_id: context.event_id.clone(),
            event_name: context.event_name.clone(),
            outcome,
            verdict: VerdictKind::None,
            findings: 0,
            highest_severity: None,
            rule_ids: Vec::new(),
            message_id: None,
            duplicate: false,
            reason: Some(sanitize(&reason, LOG_MAX)),
        }
    }

    /// The invocation's JSON response (sanitized, bounded).
    pub fn to_json(&self) -> Value {
        let text = |v: &Option<String>| v.as_deref().map(|s| sanitize(s, LOG_MAX));
        json!({
            "event_id": text(&self.event_id),
            "event_name": text(&self.event_name),
            "outcome": self.outcome.as_str(),
            "verdict": self.verdict.as_str(),
            "findings": self.findings,
            "highest_severity": self.highest_severity.map(|s| s.as_str()),
            "rule_ids": self.rule_ids,
            "message_id": self.message_id,
            "duplicate": self.duplicate,
            "reason": self.reason,
        })
    }
}

impl<P: PolicySource, N: Notifier> Guard<P, N> {
    pub fn new(service: Service, config: Config, source: P, notifier: N) -> Guard<P, N> {
        Guard {
            service,
            config,
            source,
            notifier,
            recent: Mutex::new(VecDeque::new()),
        }
    }

    pub fn service(&self) -> Service {
        self.service
    }

    pub fn notifier(&self) -> &N {
        &self.notifier
    }

    pub fn source(&self) -> &P {
        &self.source
    }

    /// Judges one event and publishes its findings. Logs one line per event.
    pub async fn handle(&self, event: &Value) -> Result<Outcome, GuardError> {
        let started = Instant::now();
        // Time spent waiting on IAM and SNS, apart from the engine's own work.
        let mut aws = Duration::ZERO;
        let result = self.run(event, &mut aws).await;
        let elapsed = started.elapsed();
        let duration_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        let duration_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let aws_call_us = u64::try_from(aws.as_micros()).unwrap_or(u64::MAX);
        let evaluation_us = duration_us.saturating_sub(aws_call_us);
        match &result {
            Ok(outcome) => {
                let clip = |v: &Option<String>| {
                    v.as_deref()
                        .map(|s| sanitize(s, LOG_MAX))
                        .unwrap_or_default()
                };
                tracing::info!(
                    event_id = %clip(&outcome.event_id),
                    event_name = %clip(&outcome.event_name),
                    outcome = outcome.outcome.as_str(),
                    verdict = outcome.verdict.as_str(),
                    findings = outcome.findings,
                    highest_severity = outcome.highest_severity.map_or("none", |s| s.as_str()),
                    rule_ids = %outcome.rule_ids.join(","),
                    message_id = %outcome.message_id.as_deref().unwrap_or(""),
                    duplicate = outcome.duplicate,
                    reason = %outcome.reason.as_deref().unwrap_or(""),
                    duration_ms,
                    duration_us,
                    aws_call_us,
                    evaluation_us,
                    "event handled"
                );
            }
            Err(error) => {
                let context = match parse_event(event) {
                    EventOutcome::Change(change) => change.context,
                    other => other.context().clone(),
                };
                let clip = |v: Option<String>| v.map(|s| sanitize(&s, LOG_MAX)).unwrap_or_default();
                tracing::error!(
                    event_id = %clip(context.event_id),
                    event_name = %clip(context.event_name),
                    error = %sanitize(&error.to_string(), 1000),
                    duration_ms,
                    duration_us,
                    aws_call_us,
                    evaluation_us,
                    "event failed: the invocation returns an error so Lambda retries it"
                );
            }
        }
        result
    }

    async fn run(&self, event: &Value, aws: &mut Duration) -> Result<Outcome, GuardError> {
        let outcome = parse_event(event);
        let mut resolved = Resolved::new();
        if let EventOutcome::Change(change) = &outcome {
            if change.service != self.service {
                let reason = format!(
                    "a {} event reached the {} guard (check the EventBridge rule)",
                    change.service.event_bridge_source(),
                    self.service.event_bridge_source()
                );
                return Ok(Outcome::unjudged(
                    &change.context,
                    OutcomeKind::Ignored,
                    reason,
                ));
            }
            for reference in change.references() {
                let call = Instant::now();
                let resolution = self.source.resolve(&reference).await;
                *aws += call.elapsed();
                let resolution = resolution?;
                resolved.insert(reference, resolution);
            }
        }
        match judge_outcome(outcome, &resolved, &self.config) {
            Judgement::Judged { outcome, verdict } => self.publish(outcome, verdict, aws).await,
            Judgement::Unjudged {
                outcome,
                context,
                reason,
            } => Ok(Outcome::unjudged(&context, outcome, reason)),
        }
    }

    async fn publish(
        &self,
        label: OutcomeKind,
        verdict: Verdict,
        aws: &mut Duration,
    ) -> Result<Outcome, GuardError> {
        let mut outcome = Outcome {
            event_id: verdict.context.event_id.clone(),
            event_name: verdict.context.event_name.clone(),
            outcome: label,
            verdict: verdict.label(),
            findings: verdict.findings.len(),
            highest_severity: verdict.highest_severity(),
            rule_ids: verdict.rule_ids().iter().map(|s| s.to_string()).collect(),
            message_id: None,
            duplicate: false,
            reason: verdict
                .notes
                .first()
                .map(|n| sanitize(&n.to_string(), LOG_MAX)),
        };
        let Some(message) = sns_message(&verdict) else {
            return Ok(outcome);
        };
        let key = verdict.context.event_id.clone();
        if let Some(id) = &key {
            if self.recent.lock().is_ok_and(|recent| recent.contains(id)) {
                outcome.duplicate = true;
                return Ok(outcome);
            }
        }
        let call = Instant::now();
        let published = self.notifier.publish(&message).await;
        *aws += call.elapsed();
        outcome.message_id = Some(published?);
        if let (Some(id), Ok(mut recent)) = (key, self.recent.lock()) {
            if recent.len() >= RECENT_MAX {
                recent.pop_front();
            }
            recent.push_back(id);
        }
        Ok(outcome)
    }
}
