//! `infra/event-patterns.json` is what `policy_guard::change::services` says the guard watches:
//! Terraform deploys the EventBridge rules from that file, so an event added to the service
//! table without regenerating it would never reach the guard. Regenerate with
//! `UPDATE_EVENT_PATTERNS=1 cargo test -p policy-guard --test event_patterns`.
use policy_guard::change::services::{event_patterns, EventName, SERVICES};
use policy_guard::change::{parse_event, EventOutcome};
use serde_json::{json, Value};
use std::path::Path;

fn committed_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../infra/event-patterns.json")
}

#[test]
fn committed_event_patterns_match_the_service_table() {
    let generated = serde_json::to_string_pretty(&event_patterns()).unwrap() + "\n";
    let path = committed_path();
    if std::env::var_os("UPDATE_EVENT_PATTERNS").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "infra/event-patterns.json is stale: regenerate it with \
         `UPDATE_EVENT_PATTERNS=1 cargo test -p policy-guard --test event_patterns`\n\
         generated:\n{generated}"
    );
}

/// Every event the patterns let through is one the parser reads as a change of its service
/// (or, without its fields, as malformed), never "not watched": the table is one fact.
#[test]
fn every_watched_event_is_parsed_as_watched() {
    for service in SERVICES {
        for event in service.events {
            let names = match event.name {
                EventName::Exact(name) => vec![name.to_string()],
                EventName::Versioned(base) => vec![
                    base.to_string(),
                    format!("{base}20150331"),
                    format!("{base}20150331v2"),
                ],
            };
            for name in names {
                let record = json!({
                    "eventSource": service.event_source,
                    "eventName": name,
                    "requestParameters": {},
                });
                let outcome = parse_event(&record);
                assert!(
                    !matches!(outcome, EventOutcome::Ignored { .. }),
                    "{name} from {} is in the table but ignored: {outcome:?}",
                    service.event_source
                );
                let envelope = json!({
                    "detail-type": "AWS API Call via CloudTrail",
                    "source": service.event_bridge_source,
                    "detail": record,
                });
                assert!(
                    !matches!(parse_event(&envelope), EventOutcome::Ignored { .. }),
                    "{name} in an EventBridge envelope is ignored"
                );
            }
        }
        // A name the service does not list is not watched, even one sharing a prefix.
        let other = json!({"eventSource": service.event_source, "eventName": "ListEverything"});
        assert!(matches!(parse_event(&other), EventOutcome::Ignored { .. }));
    }
}

#[test]
fn each_pattern_names_its_function_sources_and_events() {
    let patterns = event_patterns();
    for service in SERVICES {
        let pattern: &Value = &patterns[service.function];
        assert_eq!(pattern["source"], json!([service.event_bridge_source]));
        assert_eq!(
            pattern["detail"]["eventSource"],
            json!([service.event_source])
        );
        assert_eq!(
            pattern["detail"]["eventName"].as_array().unwrap().len(),
            service.events.len()
        );
    }
}
