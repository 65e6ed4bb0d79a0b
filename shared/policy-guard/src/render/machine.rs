//! The machine-readable `default` body: stable, versioned JSON.
//!
//! Version "1" fields: `version`, `source`, `summary`, `highest_severity`, `rule_ids`,
//! `event {id, name, source, time, account, region}`,
//! `actor {arn, type, issuer_arn, invoked_by, source_ip, user_agent}`, `arns`,
//! `findings [{rule_id, category, severity, title, message, fix, document,
//! location {statement_index, sid, pointer}, actions, resources, constrained_by}]`,
//! `findings_total`, `findings_omitted {count, by_severity}`,
//! `new_access {compared_with, lines}` (or null), `notes`, `suppressed [{rule_id, reason}]`.
//! Absent context fields are `null`. Fields may be added within a version, never removed or
//! renamed.

use super::severity_counts;
use crate::change::{JudgedFinding, Verdict};
use crate::text::sanitize;
use serde_json::{json, Map, Value};

pub const MACHINE_FORMAT_VERSION: &str = "1";

const FIELD_MAX: usize = 2048;
const LIST_MAX: usize = 100;

fn bounded(value: Option<&String>) -> Value {
    match value {
        Some(v) => Value::String(sanitize(v, FIELD_MAX)),
        None => Value::Null,
    }
}

fn list<T: std::fmt::Display>(items: &[T]) -> Value {
    Value::Array(
        items
            .iter()
            .take(LIST_MAX)
            .map(|s| Value::String(sanitize(&s.to_string(), FIELD_MAX)))
            .collect(),
    )
}

/// The `default` body with the first `keep` findings in full and a count of the rest.
pub fn machine_json(verdict: &Verdict, keep: usize) -> Value {
    let context = &verdict.context;
    let findings: Vec<Value> = verdict
        .findings
        .iter()
        .take(keep)
        .map(finding_json)
        .collect();
    let omitted = verdict.findings.get(keep..).unwrap_or_default();
    let mut by_severity = Map::new();
    for (severity, count) in severity_counts(omitted.iter().map(|f| &f.finding.severity)) {
        by_severity.insert(severity.as_str().to_string(), json!(count));
    }
    let new_access = if verdict.new_access.is_empty() {
        Value::Null
    } else {
        json!({
            "compared_with": bounded(verdict.compared_with.as_ref()),
            "lines": list(&verdict.new_access),
        })
    };
    let suppressed: Vec<Value> = verdict
        .suppressed
        .iter()
        .take(LIST_MAX)
        .map(|s| json!({"rule_id": sanitize(&s.rule_id, 80), "reason": sanitize(&s.reason, FIELD_MAX)}))
        .collect();
    json!({
        "version": MACHINE_FORMAT_VERSION,
        "source": "policy-guard",
        "summary": sanitize(&verdict.summary, FIELD_MAX),
        "highest_severity": verdict.highest_severity().map(|s| s.as_str()),
        "rule_ids": verdict.rule_ids(),
        "event": {
            "id": bounded(context.event_id.as_ref()),
            "name": bounded(context.event_name.as_ref()),
            "source": bounded(context.event_source.as_ref()),
            "time": bounded(context.event_time.as_ref()),
            "account": bounded(context.account.as_ref()),
            "region": bounded(context.region.as_ref()),
        },
        "actor": {
            "arn": bounded(context.actor_arn.as_ref()),
            "type": bounded(context.actor_type.as_ref()),
            "issuer_arn": bounded(context.actor_issuer_arn.as_ref()),
            "invoked_by": bounded(context.invoked_by.as_ref()),
            "source_ip": bounded(context.source_ip.as_ref()),
            "user_agent": bounded(context.user_agent.as_ref()),
        },
        "arns": list(&verdict.arns),
        "findings": findings,
        "findings_total": verdict.findings.len(),
        "findings_omitted": {"count": omitted.len(), "by_severity": by_severity},
        "new_access": new_access,
        "notes": list(&verdict.notes),
        "suppressed": suppressed,
    })
}

fn finding_json(judged: &JudgedFinding) -> Value {
    let f = &judged.finding;
    json!({
        "rule_id": sanitize(&f.rule_id, 80),
        "category": f.category.as_str(),
        "severity": f.severity.as_str(),
        "title": sanitize(&f.title, FIELD_MAX),
        "message": sanitize(&f.message, FIELD_MAX * 2),
        "fix": sanitize(&f.fix, FIELD_MAX * 2),
        "document": sanitize(&judged.document, FIELD_MAX),
        "location": {
            "statement_index": f.location.statement_index,
            "sid": f.location.sid.as_ref().map(|s| sanitize(s, 200)),
            "pointer": sanitize(&f.location.pointer, 200),
        },
        "actions": list(&f.actions),
        "resources": list(&f.resources),
        "constrained_by": list(&f.constrained_by),
    })
}
