//! Target `event_parser`: `change::parse_event` on arbitrary events, then `change::judge` (with
//! an empty `Resolved`, and with attacker-chosen resolved documents) and `render::*`.
//!
//! Input: bytes that parse as JSON are used as the event itself (the seed corpus is real
//! EventBridge events); any other bytes drive a generator that builds an EventBridge event for
//! one of the watched API calls, with hostile field values (control characters, terminal
//! escapes, bidi overrides, long strings, wrong JSON types) and arbitrary policy documents.
//!
//! Properties:
//! 1. No panic anywhere: parsing, judging, `Verdict::malformed`, `render::sns_message` (which
//!    writes `render::email_text` and `render::machine_json`), under the default configuration
//!    or one that reports everything.
//! 2. The SNS subject is printable ASCII (no control characters) and under 100 characters.
//! 3. Message attribute values have no control characters and are bounded.
//! 4. The message body is valid JSON whose `email` text has no raw ESC, no bidi override and no
//!    line that an event field could have forged (no raw control character but '\n').

use arbitrary::{Result, Unstructured};
use policy_guard::change::{
    judge, parse_event, EventOutcome, Resolution, Resolved, ResolvedPolicy, Verdict,
};
use policy_guard::render::{email_text, sns_message, AttributeValue};
use policy_guard::{Config, Severity};
use serde_json::{json, Map, Value};

const NAMES: &[&str] = &[
    "CreatePolicy",
    "CreatePolicyVersion",
    "SetDefaultPolicyVersion",
    "AttachRolePolicy",
    "AttachUserPolicy",
    "AttachGroupPolicy",
    "PutRolePolicy",
    "PutUserPolicy",
    "PutGroupPolicy",
    "CreateRole",
    "UpdateAssumeRolePolicy",
    "AddPermission20150331v2",
    "AddPermission20150331",
    "CreateFunctionUrlConfig20211031",
    "UpdateFunctionUrlConfig20211031",
    "CreateUser",
    "UpdateFunctionCode20150331v2",
];

const FIELDS: &[&str] = &[
    "policyName",
    "policyArn",
    "policyDocument",
    "roleName",
    "userName",
    "groupName",
    "versionId",
    "setAsDefault",
    "assumeRolePolicyDocument",
    "permissionsBoundary",
    "functionName",
    "qualifier",
    "statementId",
    "action",
    "principal",
    "sourceArn",
    "sourceAccount",
    "principalOrgID",
    "functionUrlAuthType",
    "eventSourceToken",
    "authType",
    "cors",
];

const DOCUMENTS: &[&str] = &[
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
    r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x"}}}]}"#,
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:PassRole"],"Resource":"arn:aws:s3:::b/*"}]}"#,
    r#"%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22iam%3A*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"#,
    r#"{"functionName":"f","authType":"NONE","cors":{"allowOrigins":["*"]}}"#,
];

/// Text an attacker would pick: pieces of escapes, separators and long runs.
fn hostile_text(u: &mut Unstructured<'_>) -> Result<String> {
    const PIECES: &[&str] = &[
        "\u{1b}[31m",
        "\r",
        "\n",
        "\u{202e}",
        "\u{2066}",
        "\u{0}",
        "\t",
        "\u{7f}",
        "\u{85}",
        "role",
        "arn:aws:iam::111122223333:role/",
        "*",
        "/",
        ":",
        "é",
        "\u{feff}",
        "%0A",
        "\\n",
        "<script>",
        "\"",
        "`",
    ];
    let mut out = String::new();
    let pieces = u.int_in_range(0..=8)?;
    for _ in 0..pieces {
        match u.int_in_range(0..=3)? {
            0 => out.push_str(u.choose(PIECES)?),
            1 => out.push_str(&small_string(u)?),
            2 => {
                // Past every bound the renderers apply (256 to 2048 characters) once repeated.
                let n = u.int_in_range(1..=700usize)?;
                out.push_str(&u.choose(&["x", "\n", "\u{1b}[2J", "é"])?.repeat(n));
            }
            _ => out.push(u.arbitrary::<char>()?),
        }
    }
    Ok(out)
}

/// A short arbitrary string (any Unicode scalar values).
fn small_string(u: &mut Unstructured<'_>) -> Result<String> {
    let len = u.int_in_range(0..=24usize)?;
    let mut s = String::new();
    for _ in 0..len {
        s.push(u.arbitrary::<char>()?);
    }
    Ok(s)
}

/// A value for an event field: usually a string, sometimes a wrong JSON type.
fn field_value(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=9)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!([hostile_text(u)?]),
        4 => json!({"k": hostile_text(u)?}),
        5 => json!(""),
        _ => Value::String(hostile_text(u)?),
    })
}

fn document(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=5)? {
        0 => Value::String(hostile_text(u)?),
        1 => serde_json::from_str(u.choose(DOCUMENTS)?).unwrap_or(Value::Null),
        2 => field_value(u)?,
        _ => {
            let doc = u.choose(DOCUMENTS)?;
            // A document with an attacker-chosen Sid / resource / principal spliced in.
            let hostile = serde_json::to_string(&hostile_text(u)?).unwrap_or_default();
            let spliced = doc.replacen("\"Effect\"", &format!("\"Sid\":{hostile},\"Effect\""), 1);
            Value::String(spliced.replace("\"*\"", &hostile))
        }
    })
}

fn generated_event(u: &mut Unstructured<'_>) -> Result<Value> {
    let name = u.choose(NAMES)?;
    let lambda = name.starts_with("Add")
        || name.contains("FunctionUrl")
        || name.starts_with("UpdateFunctionCode");
    let mut request = Map::new();
    for field in FIELDS {
        if u.ratio(2, 3)? {
            let value = if field.ends_with("Document") {
                document(u)?
            } else {
                field_value(u)?
            };
            request.insert((*field).to_string(), value);
        }
    }
    let response = match u.int_in_range(0..=3)? {
        0 => Value::Null,
        1 => {
            json!({"statement": document(u)?, "authType": field_value(u)?, "functionArn": field_value(u)?})
        }
        2 => {
            json!({"policyVersion": {"versionId": field_value(u)?}, "policy": {"arn": field_value(u)?}, "role": {"arn": field_value(u)?}})
        }
        _ => field_value(u)?,
    };
    let mut detail = json!({
        "eventVersion": "1.09",
        "userIdentity": {
            "type": field_value(u)?,
            "arn": field_value(u)?,
            "accountId": field_value(u)?,
            "invokedBy": field_value(u)?,
            "sessionContext": {"sessionIssuer": {"arn": field_value(u)?}}
        },
        "eventTime": field_value(u)?,
        "eventSource": if lambda { "lambda.amazonaws.com" } else { "iam.amazonaws.com" },
        "eventName": name,
        "awsRegion": field_value(u)?,
        "sourceIPAddress": field_value(u)?,
        "userAgent": field_value(u)?,
        "requestParameters": if u.ratio(1, 10)? { field_value(u)? } else { Value::Object(request) },
        "responseElements": response,
        "eventID": field_value(u)?,
        "recipientAccountId": if u.ratio(1, 2)? { json!("111122223333") } else { field_value(u)? },
    });
    if u.ratio(1, 8)? {
        detail["errorCode"] = field_value(u)?;
        detail["errorMessage"] = field_value(u)?;
    }
    if u.ratio(1, 4)? {
        // A bare CloudTrail record.
        return Ok(detail);
    }
    Ok(json!({
        "version": "0",
        "id": field_value(u)?,
        "detail-type": if u.ratio(9, 10)? { json!("AWS API Call via CloudTrail") } else { field_value(u)? },
        "source": if lambda { "aws.lambda" } else { "aws.iam" },
        "account": field_value(u)?,
        "time": field_value(u)?,
        "region": field_value(u)?,
        "resources": [],
        "detail": detail,
    }))
}

fn check_rendering(verdict: &Verdict) {
    let Some(message) = sns_message(verdict) else {
        assert!(!verdict.notify, "a verdict to notify about has no message");
        return;
    };
    let subject = &message.subject;
    assert!(
        subject.chars().count() < 100,
        "subject too long: {subject:?}"
    );
    assert!(
        subject.chars().all(|c| c.is_ascii_graphic() || c == ' '),
        "subject has a control or non-ASCII character: {subject:?}"
    );
    for (name, value) in &message.attributes {
        let values = match value {
            AttributeValue::String(s) => vec![s.clone()],
            AttributeValue::StringArray(items) => items.clone(),
        };
        for v in values {
            assert!(
                !v.chars().any(char::is_control),
                "attribute {name} has a control char: {v:?}"
            );
            assert!(
                !v.contains('\u{202e}'),
                "attribute {name} has a bidi override: {v:?}"
            );
            // 256 characters, each escaped to at most `\u{10ffff}` (10), and the cut mark.
            assert!(
                v.chars().count() <= 256 * 10 + 1,
                "attribute {name} is unbounded: {} chars",
                v.len()
            );
        }
        let _ = value.string_value();
    }
    let body: Value = serde_json::from_str(&message.message).expect("message body is JSON");
    let email = body["email"].as_str().expect("email body is a string");
    assert!(!email.contains('\u{1b}'), "raw ESC in the email");
    assert!(
        !email.contains('\u{202e}'),
        "raw bidi override in the email"
    );
    assert!(!email.contains('\r'), "raw CR in the email");
    assert!(
        !email.chars().any(|c| c.is_control() && c != '\n'),
        "raw control character in the email"
    );
    let default = body["default"].as_str().expect("default body is a string");
    let _: Value = serde_json::from_str(default).expect("default body is JSON");
    let _ = email_text(verdict, 0);
}

fn run(event: &Value, u: &mut Unstructured<'_>) {
    // The default configuration, or one that reports everything (notes too).
    let config = if u.ratio(1, 2).unwrap_or(false) {
        Config::default()
    } else {
        Config {
            min_severity: Severity::Info,
            ..Config::default()
        }
    };
    match parse_event(event) {
        EventOutcome::Change(change) => {
            let _ = change.summary();
            let _ = change.arns();
            let references = change.references();
            if references.is_empty() || u.ratio(1, 3).unwrap_or(true) {
                check_rendering(&judge(&change, &Resolved::new(), &config));
                return;
            }
            // The references resolved to attacker-chosen documents.
            let mut resolved = Resolved::new();
            for reference in references {
                let resolution = match u.int_in_range(0..=2u8).unwrap_or(0) {
                    0 => Resolution::Missing(hostile_text(u).unwrap_or_default()),
                    _ => Resolution::Found(ResolvedPolicy {
                        policy_arn: reference.policy_arn().to_string(),
                        version_id: hostile_text(u).unwrap_or_default(),
                        document: match document(u).unwrap_or(Value::Null) {
                            Value::String(s) => s,
                            other => other.to_string(),
                        },
                    }),
                };
                resolved.insert(reference, resolution);
            }
            check_rendering(&judge(&change, &resolved, &config));
        }
        EventOutcome::Malformed { context, error } => {
            check_rendering(&Verdict::malformed(context, &error, &config));
        }
        other => {
            let _ = other.label();
            let _ = other.context();
        }
    }
}

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/event_parser.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    if let Ok(event) = serde_json::from_slice::<Value>(data) {
        run(&event, &mut Unstructured::new(data));
        return;
    }
    let mut u = Unstructured::new(data);
    if let Ok(event) = generated_event(&mut u) {
        run(&event, &mut u);
    }
}
