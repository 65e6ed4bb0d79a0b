//! Target `cloudtrail_log`: a CloudTrail input file as the CLI reads it (gzip or not:
//! `policy_guard_inputs::decode`, then `cloudtrail::events`), each event through
//! `change::parse_event`, `change::judge` and the SNS rendering.
//!
//! Input: the first byte chooses the container: odd, the rest is gzip-compressed here first, so
//! that the fuzzer explores log contents behind the decompressor as well as raw gzip streams;
//! even, the rest is the file as it is (a raw `1f 8b` stream goes through the decompressor).
//! The seeds are the CLI's CloudTrail fixture log and the guard's event fixtures.
//!
//! Properties:
//! 1. No panic: decoding, listing the events, parsing, judging, rendering.
//! 2. Gzip is transparent: a file and its gzip-compressed form decode to the same text.
//! 3. A log file's `Records` array gives exactly one event per element, in order.
//! 4. Every SNS subject is printable ASCII under 100 characters.
use policy_guard::change::{judge, parse_event, EventOutcome, Resolved, Verdict};
use policy_guard::render::sns_message;
use policy_guard::{Config, Severity};
use policy_guard_inputs::cloudtrail::{events, EventArray};
use policy_guard_inputs::decode::decode;
use serde_json::Value;
use std::io::Write;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("gzip into memory");
    encoder.finish().expect("gzip into memory")
}

fn check_subject(verdict: &Verdict) {
    if let Some(message) = sns_message(verdict) {
        let subject = &message.subject;
        assert!(
            subject.chars().count() < 100,
            "subject too long: {subject:?}"
        );
        assert!(
            subject.chars().all(|c| c.is_ascii_graphic() || c == ' '),
            "subject has a control or non-ASCII character: {subject:?}"
        );
    }
}

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/cloudtrail_log.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut buffer = if mode % 2 == 1 {
        gzip(rest)
    } else {
        rest.to_vec()
    };
    let Ok(text) = decode(&mut buffer) else {
        return;
    };
    let text = text.to_string();
    if mode % 2 == 1 && !rest.starts_with(&[0x1f, 0x8b]) {
        let mut plain = rest.to_vec();
        let plain = decode(&mut plain).map(str::to_string);
        assert_eq!(
            plain.ok().as_deref(),
            Some(text.as_str()),
            "gzip is not transparent"
        );
    }
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return;
    };
    let Ok(found) = events(&value) else {
        return;
    };
    if found.array == EventArray::Records {
        let records = value["Records"].as_array().map_or(0, Vec::len);
        assert_eq!(found.events.len(), records, "one event per Records element");
    }
    let config = Config {
        min_severity: Severity::Info,
        ..Config::default()
    };
    for event in &found.events {
        match parse_event(event) {
            EventOutcome::Change(change) => {
                check_subject(&judge(&change, &Resolved::new(), &config));
            }
            EventOutcome::Malformed { context, error } => {
                check_subject(&Verdict::malformed(context, &error, &config));
            }
            _ => {}
        }
    }
}
