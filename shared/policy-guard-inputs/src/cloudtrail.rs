//! The events of a CloudTrail input: a log file (`{"Records": [...]}`), `aws cloudtrail
//! lookup-events` output (`{"Events": [{"CloudTrailEvent": "<json>"}]}`), an array of records
//! or EventBridge events, or one of them. Reading only: `policy_guard::change::parse_event`
//! takes each event, EventBridge envelope or bare record alike.

use serde_json::Value;
use std::borrow::Cow;

/// Why an input holds no CloudTrail events.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EventsError {
    #[error("not a CloudTrail record, EventBridge event or CloudTrail log file (an object)")]
    NotEvents,
}

/// Where the events sit in the input, for pointing at each one's line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventArray {
    /// The elements of the top-level `Records` array (a log file).
    Records,
    /// The elements of the top-level `Events` array (`lookup-events`).
    Events,
    /// The elements of the top-level array.
    Root,
    /// The input is the one event.
    Whole,
}

impl EventArray {
    /// The top-level key of the array, if the events are in one under a key.
    pub fn key(self) -> Option<&'static str> {
        match self {
            EventArray::Records => Some("Records"),
            EventArray::Events => Some("Events"),
            EventArray::Root | EventArray::Whole => None,
        }
    }
}

/// The events of an input, in order.
#[derive(Debug)]
pub struct Events<'a> {
    pub array: EventArray,
    /// Borrowed from the input, except `lookup-events` records (parsed from their string);
    /// a record that is not JSON is `null`, which the engine reports as malformed.
    pub events: Vec<Cow<'a, Value>>,
}

/// The events `value` holds.
pub fn events(value: &Value) -> Result<Events<'_>, EventsError> {
    match value {
        Value::Object(object) => {
            if let Some(Value::Array(records)) = object.get("Records") {
                return Ok(Events {
                    array: EventArray::Records,
                    events: records.iter().map(Cow::Borrowed).collect(),
                });
            }
            if let Some(Value::Array(events)) = object.get("Events") {
                return Ok(Events {
                    array: EventArray::Events,
                    events: events.iter().map(lookup_event).collect(),
                });
            }
            Ok(Events {
                array: EventArray::Whole,
                events: vec![Cow::Borrowed(value)],
            })
        }
        Value::Array(items) => Ok(Events {
            array: EventArray::Root,
            events: items.iter().map(Cow::Borrowed).collect(),
        }),
        _ => Err(EventsError::NotEvents),
    }
}

/// A `lookup-events` entry: the record is the JSON string in `CloudTrailEvent`.
fn lookup_event(event: &Value) -> Cow<'_, Value> {
    match event.get("CloudTrailEvent") {
        Some(Value::String(text)) => Cow::Owned(serde_json::from_str(text).unwrap_or(Value::Null)),
        _ => Cow::Borrowed(event),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_shape_of_cloudtrail_input() {
        let record = json!({"eventName": "PutRolePolicy", "eventSource": "iam.amazonaws.com"});
        let log = json!({"Records": [record, record]});
        let read = events(&log).unwrap();
        assert_eq!((read.array, read.events.len()), (EventArray::Records, 2));

        let lookup =
            json!({"Events": [{"CloudTrailEvent": record.to_string()}, {"CloudTrailEvent": "{"}]});
        let read = events(&lookup).unwrap();
        assert_eq!(read.array, EventArray::Events);
        assert_eq!(read.events[0].as_ref(), &record);
        assert_eq!(read.events[1].as_ref(), &Value::Null);

        let list = json!([record]);
        assert_eq!(events(&list).unwrap().array, EventArray::Root);
        let envelope = json!({"detail-type": "AWS API Call via CloudTrail", "detail": record});
        let read = events(&envelope).unwrap();
        assert_eq!((read.array, read.events.len()), (EventArray::Whole, 1));
        assert_eq!(events(&json!("x")).unwrap_err(), EventsError::NotEvents);
        assert_eq!(EventArray::Records.key(), Some("Records"));
    }
}
