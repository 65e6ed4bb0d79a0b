//! Hostile input: whatever an attacker puts in a policy or an event, the engine answers with a
//! clear error or a finding, never a panic, a hang or a stack overflow, and nothing it renders
//! (finding titles and messages, the SNS subject, attributes and email) carries raw control
//! characters, terminal escapes or the whole policy text.
//!
//! Sizes are chosen so that super-linear behaviour fails loudly (the test would run for minutes)
//! while linear code finishes in milliseconds; the tests assert results, never timings.
//! Crashes found by the fuzz targets (`make fuzz`, see fuzz/) become regression tests here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed expectation is the test failing"
)]

use policy_guard::catalog::catalog;
use policy_guard::change::{
    judge, parse_event, EventOutcome, Resolution, Resolved, ResolvedPolicy, Verdict,
};
use policy_guard::matching::{
    pattern_covers_format, pattern_overlaps_format, wildcard_match, wildcard_match_ignore_case,
};
use policy_guard::policy::{decode_document, parse_policy, DecodeError, ParseError, Policy};
use policy_guard::render::{email_text, sns_message, AttributeValue, SnsMessage};
use policy_guard::rules::{check_document, check_policy, CheckOptions};
use policy_guard::{Config, DocumentKind, Finding, Severity};
use serde_json::{json, Value};

const ACCOUNT: &str = "111122223333";
const ADMIN: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;
const POLICY_KINDS: [DocumentKind; 4] = [
    DocumentKind::Identity,
    DocumentKind::Resource,
    DocumentKind::Trust,
    DocumentKind::PermissionsBoundary,
];

/// Control characters and escapes an attacker uses to forge lines or repaint a terminal.
const HOSTILE: &str = "\u{1b}[31mred\u{1b}[0m\r\nWhen:   forged line\u{202e}txt.exe\u{7}\u{0}";

fn check(text: &str, kind: DocumentKind) -> Vec<Finding> {
    let config = Config::default();
    let options = CheckOptions {
        account: Some(ACCOUNT),
        config: &config,
    };
    check_document(text, kind, &options)
}

fn rule_ids(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.rule_id.as_str()).collect()
}

fn parse_err(text: &str) -> ParseError {
    match parse_policy(text) {
        Ok(policy) => panic!("expected an error for {text:.200}, got {policy:?}"),
        Err(e) => e,
    }
}

/// Raw characters that must never reach a human-readable output.
fn raw_controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

/// A single-line field (title): no control character at all, '\n' included.
fn assert_one_clean_line(what: &str, text: &str) {
    assert!(
        !text.chars().any(|c| c.is_control()) && raw_controls(text).is_empty(),
        "{what} has raw control characters: {text:?}"
    );
}

fn assert_findings_clean(findings: &[Finding]) {
    for f in findings {
        assert_one_clean_line(&format!("{} title", f.rule_id), &f.title);
        assert_one_clean_line(&format!("{} message", f.rule_id), &f.message);
        assert_one_clean_line(&format!("{} fix", f.rule_id), &f.fix);
    }
}

fn ten_kb(seed: &str) -> String {
    let mut s = String::new();
    while s.len() < 10 * 1024 {
        s.push_str(seed);
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Size: 1 MB documents, 10,000 statements, 10,000-deep nesting.
// ---------------------------------------------------------------------------------------------

#[test]
fn one_megabyte_document_parses_and_is_judged() {
    let resources: Vec<String> = (0..10_000)
        .map(|i| format!("arn:aws:s3:::bucket-{i:05}-{}/*", "x".repeat(70)))
        .collect();
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Big", "Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": resources},
        {"Effect": "Allow", "Action": "iam:*", "Resource": "*"}
    ]})
    .to_string();
    assert!(doc.len() >= 1_000_000, "{}", doc.len());
    let policy = parse_policy(&doc).expect("a large valid document parses");
    assert_eq!(
        policy.statements[0]
            .resource
            .as_ref()
            .unwrap()
            .patterns
            .len(),
        10_000
    );
    let findings = check(&doc, DocumentKind::Identity);
    assert!(
        rule_ids(&findings).contains(&"permissions-management"),
        "{:?}",
        rule_ids(&findings)
    );
    assert!(!rule_ids(&findings).contains(&"malformed-policy"));
    // Findings quote values; they never carry the megabyte.
    for f in &findings {
        assert!(
            f.title.len() < 1_000 && f.message.len() < 20_000,
            "{}",
            f.rule_id
        );
    }
}

#[test]
fn one_megabyte_sid_and_resource_are_judged_without_echoing_them() {
    let sid = "S".repeat(1_000_000);
    let resource = format!("arn:aws:s3:::{}", "r".repeat(1_000_000));
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": sid, "Effect": "Allow", "Action": "s3:*", "Resource": resource},
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]})
    .to_string();
    let findings = check(&doc, DocumentKind::Identity);
    assert!(rule_ids(&findings).contains(&"admin-access"));
    for f in &findings {
        assert!(
            f.title.len() + f.message.len() + f.fix.len() < 20_000,
            "{} echoes the megabyte: {} bytes",
            f.rule_id,
            f.message.len()
        );
    }
}

#[test]
fn ten_thousand_statements_parse_and_are_judged() {
    let mut statements: Vec<Value> = (0..10_000)
        .map(|i| {
            json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": ["s3:GetObject", "dynamodb:GetItem"],
                   "Resource": [format!("arn:aws:s3:::bucket-{i}/*"), format!("arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/t{i}")]})
        })
        .collect();
    statements[9_999] = json!({"Sid": "Last", "Effect": "Allow", "Action": "*", "Resource": "*"});
    let doc = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    let policy = parse_policy(&doc).expect("10,000 statements parse");
    assert_eq!(policy.statements.len(), 10_000);
    let findings = check(&doc, DocumentKind::Identity);
    let admin = findings
        .iter()
        .find(|f| f.rule_id == "admin-access")
        .expect("the admin statement at the end is found");
    assert_eq!(admin.location.statement_index, Some(9_999));
    assert_eq!(admin.location.sid.as_deref(), Some("Last"));
    // Every kind judges it; a trust or resource policy without principals is still judged.
    for kind in POLICY_KINDS {
        let _ = check(&doc, kind);
    }
}

#[test]
fn ten_thousand_statements_under_deny_are_evaluated() {
    use policy_guard::authorize::{authorize, Decision, Policies, Request};
    let statements: Vec<Value> = (0..10_000)
        .map(|i| json!({"Effect": if i % 2 == 0 { "Allow" } else { "Deny" }, "Action": format!("s3:Get{i}*"), "Resource": "*"}))
        .collect();
    let policy = parse_policy(&json!({"Statement": statements}).to_string()).unwrap();
    let identity = [policy];
    let policies = Policies {
        identity: &identity,
        ..Policies::default()
    };
    let request = Request {
        principal: "arn:aws:iam::111122223333:user/alice",
        action: "s3:Get0bject",
        resource: "arn:aws:s3:::b/k",
        resource_account: Some("111122223333"),
        ..Request::default()
    };
    assert_eq!(
        authorize(&request, &policies).unwrap().decision,
        Decision::Allowed
    );
    let request = Request {
        action: "s3:Get1x",
        ..request
    };
    assert_eq!(
        authorize(&request, &policies).unwrap().decision,
        Decision::ExplicitlyDenied
    );
}

#[test]
fn nesting_ten_thousand_deep_is_an_error_not_a_stack_overflow() {
    let arrays = "[".repeat(10_000) + &"]".repeat(10_000);
    let objects = "{\"a\":".repeat(10_000) + "1" + &"}".repeat(10_000);
    let in_statement = format!(
        r#"{{"Statement":[{{"Effect":"Allow","Action":"*","Resource":"*","Condition":{}}}]}}"#,
        "{\"StringEquals\":".repeat(10_000) + "1" + &"}".repeat(10_000)
    );
    let in_value =
        format!(r#"{{"Statement":[{{"Effect":"Allow","Action":{arrays},"Resource":"*"}}]}}"#);
    for text in [&arrays, &objects, &in_statement, &in_value] {
        let error = parse_err(text);
        assert!(
            matches!(error, ParseError::Json { .. }),
            "nesting must be a JSON error: {error}"
        );
        assert!(error.to_string().contains("recursion limit"), "{error}");
        for kind in POLICY_KINDS {
            assert_eq!(rule_ids(&check(text, kind)), vec!["malformed-policy"]);
        }
        let findings = check(text, DocumentKind::FunctionUrlConfig);
        assert_eq!(rule_ids(&findings), vec!["malformed-policy"]);
    }
    // What the functions get: serde_json refuses the event before the guard sees it.
    let event = format!(r#"{{"detail":{arrays}}}"#);
    assert!(serde_json::from_str::<Value>(&event).is_err());
}

#[test]
fn deeply_nested_document_inside_an_event_is_a_malformed_policy_finding() {
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let event = iam_event(
        "PutRolePolicy",
        json!({"roleName": "r", "policyName": "p", "policyDocument": deep}),
    );
    let verdict = verdict_of(&event);
    assert_eq!(verdict.rule_ids(), vec!["malformed-policy"]);
    assert_rendering_safe(&verdict);
}

// ---------------------------------------------------------------------------------------------
// Encodings: invalid UTF-8, URL encoding layers, JSON strings.
// ---------------------------------------------------------------------------------------------

#[test]
fn invalid_utf8_is_replaced_or_refused_never_a_panic() {
    // The CLI and the functions read bytes; the API takes text: lossy conversion is what they do
    // for files, and serde_json refuses invalid UTF-8 inside an event outright.
    let mut bytes = br#"{"Version":"2012-10-17","Statement":[{"Sid":"A"#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]);
    bytes.extend_from_slice(br#"","Effect":"Allow","Action":"*","Resource":"*"}]}"#);
    assert!(std::str::from_utf8(&bytes).is_err());
    let text = String::from_utf8_lossy(&bytes);
    let policy = parse_policy(&text).expect("replacement characters are ordinary text");
    assert!(policy.statements[0]
        .sid
        .as_deref()
        .unwrap()
        .contains('\u{fffd}'));
    assert!(rule_ids(&check(&text, DocumentKind::Identity)).contains(&"admin-access"));

    // Invalid UTF-8 where JSON structure should be: a JSON error.
    let garbage = String::from_utf8_lossy(&[0x7b, 0xff, 0xfe, 0x7d]);
    assert!(matches!(parse_err(&garbage), ParseError::Json { .. }));
    assert_eq!(
        rule_ids(&check(&garbage, DocumentKind::Identity)),
        vec!["malformed-policy"]
    );

    // Percent-encoded invalid UTF-8: an explicit decoding error.
    assert_eq!(
        decode_document("%7B%FF%FE%7D"),
        Err(DecodeError::UrlEncodingNotUtf8)
    );
    let findings = check("%7B%22Sid%22%3A%22%FF%22%7D", DocumentKind::Identity);
    assert_eq!(rule_ids(&findings), vec!["malformed-policy"]);
    assert!(
        findings[0].message.contains("UTF-8"),
        "{}",
        findings[0].message
    );

    // Lone surrogates written as JSON escapes.
    for escape in [r"\ud800", r"\udc00", r"\ud800\u0041"] {
        let text = format!(
            r#"{{"Statement":[{{"Sid":"{escape}","Effect":"Allow","Action":"*","Resource":"*"}}]}}"#
        );
        assert!(
            matches!(parse_err(&text), ParseError::Json { .. }),
            "{escape}"
        );
    }

    // An event with invalid UTF-8 bytes inside a string is refused by serde_json.
    let mut event = br#"{"detail":{"eventName":"PutRolePolicy","userAgent":""#.to_vec();
    event.extend_from_slice(&[0xc0, 0xaf]);
    event.extend_from_slice(br#""}}"#);
    assert!(serde_json::from_slice::<Value>(&event).is_err());
}

#[test]
fn doubly_and_triply_url_encoded_documents_parse() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Sid":"With space+plus","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::a+b/c d%20e"}]}"#;
    let plain = parse_policy(text).unwrap();
    let encode = |s: &str| -> String {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let once = encode(text);
    let twice = encode(&once);
    let thrice = encode(&twice);
    assert_eq!(parse_policy(&once).unwrap(), plain);
    assert_eq!(parse_policy(&twice).unwrap(), plain);
    assert_eq!(parse_policy(&thrice).unwrap(), plain);
    // URL-encoded inside a JSON string inside URL encoding (CloudTrail of an IAM Get* result).
    let mixed = encode(&serde_json::to_string(&once).unwrap());
    assert_eq!(parse_policy(&mixed).unwrap(), plain);
    // Form encoding: '+' for spaces.
    let form = once.replace("%20", "+");
    assert_eq!(parse_policy(&form).unwrap(), plain);
    // And the judgement is the same.
    assert_eq!(
        check(&twice, DocumentKind::Identity),
        check(text, DocumentKind::Identity)
    );
}

#[test]
fn endless_encoding_layers_are_bounded() {
    let mut text = ADMIN.to_string();
    for _ in 0..50 {
        text = percent_encoding::utf8_percent_encode(&text, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
        if text.len() > 2_000_000 {
            break;
        }
    }
    assert!(matches!(
        parse_err(&text),
        ParseError::Decode(DecodeError::TooManyLayers)
    ));
    // Each JSON-string layer doubles the escapes: 12 layers are ~400 KB.
    let mut quoted = ADMIN.to_string();
    for _ in 0..12 {
        quoted = serde_json::to_string(&quoted).unwrap();
    }
    assert!(matches!(
        parse_err(&quoted),
        ParseError::Decode(DecodeError::TooManyLayers)
    ));
    assert_eq!(
        rule_ids(&check(&quoted, DocumentKind::Identity)),
        vec!["malformed-policy"]
    );
    // A string that decodes to itself (a JSON string of a bare '%') ends too.
    let _ = check("\"%\"", DocumentKind::Identity);
    let _ = check("%25", DocumentKind::Identity);
    let _ = check("%", DocumentKind::Identity);
    let _ = check("%%%%", DocumentKind::Identity);
    let _ = check("\"\\\"%25\\\"\"", DocumentKind::Identity);
}

// ---------------------------------------------------------------------------------------------
// Grammar: duplicate keys, wrong types, JSON that is not a policy.
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_keys_are_errors_naming_the_key() {
    let cases = [
        (
            r#"{"Statement":[],"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            "Statement",
        ),
        (
            r#"{"Version":"2012-10-17","Version":"2012-10-17","Statement":[]}"#,
            "Version",
        ),
        (
            r#"{"Statement":[{"Effect":"Deny","Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            "Effect",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Action":"*","Resource":"*"}]}"#,
            "Action",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::b","Resource":"*"}]}"#,
            "Resource",
        ),
        (
            r#"{"Statement":[{"Sid":"a","Sid":"b","Effect":"Allow","Action":"*","Resource":"*"}]}"#,
            "Sid",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root","AWS":"*"},"Action":"*"}]}"#,
            "AWS",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"},"Bool":{}}}]}"#,
            "Bool",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceAccount":"1","aws:SourceAccount":"2"}}}]}"#,
            "aws:SourceAccount",
        ),
    ];
    for (text, key) in cases {
        let error = parse_err(text);
        let message = error.to_string();
        assert!(
            message.contains(&format!("duplicate key `{key}`")),
            "{text}: {message}"
        );
        let findings = check(text, DocumentKind::Identity);
        assert_eq!(rule_ids(&findings), vec!["malformed-policy"], "{text}");
        assert!(findings[0].message.contains(key));
    }
    // A statement hiding a second Effect is never judged as its first.
    let hidden =
        r#"{"Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Effect":"Allow"}]}"#;
    assert_eq!(
        rule_ids(&check(hidden, DocumentKind::Identity)),
        vec!["malformed-policy"]
    );
}

/// Objects of more than 16 keys are checked for duplicates with a hash set: a duplicate among
/// many condition keys is still named, and a hostile object of 200,000 keys is linear work
/// (pairwise it was 2·10^10 comparisons).
#[test]
fn duplicate_keys_in_large_objects_are_found() {
    let condition = |keys: &[String]| {
        format!(
            r#"{{"Statement":[{{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{{"StringEquals":{{{}}}}}}}]}}"#,
            keys.join(",")
        )
    };
    let mut keys: Vec<String> = (0..40)
        .map(|i| format!(r#""aws:PrincipalTag/k{i}":"v""#))
        .collect();
    assert!(parse_policy(&condition(&keys)).is_ok());
    keys.push(r#""aws:PrincipalTag/k7":"w""#.to_string());
    let message = parse_err(&condition(&keys)).to_string();
    assert!(
        message.contains("duplicate key `aws:PrincipalTag/k7`"),
        "{message}"
    );
    // A statement of 200,000 distinct keys: every key is compared once, then the first
    // unknown one is the error.
    let many: Vec<String> = (0..200_000).map(|i| format!(r#""k{i}":"v""#)).collect();
    let statement = format!(r#"{{"Statement":[{{{}}}]}}"#, many.join(","));
    let message = parse_err(&statement).to_string();
    assert!(message.contains("unknown statement key `k0`"), "{message}");
}

#[test]
fn every_field_with_the_wrong_json_type_is_an_error_with_its_path() {
    let statement = |field: &str, value: &str| -> String {
        let mut base = serde_json::Map::new();
        base.insert("Effect".into(), json!("Allow"));
        base.insert("Action".into(), json!("s3:GetObject"));
        base.insert("Resource".into(), json!("*"));
        if field.starts_with("Not") {
            base.remove(field.trim_start_matches("Not"));
        }
        let value: Value = serde_json::from_str(value).unwrap();
        base.insert(field.to_string(), value);
        json!({"Version": "2012-10-17", "Statement": [base]}).to_string()
    };
    let mut cases: Vec<(String, &str)> = vec![
        (r#"{"Version":1,"Statement":[]}"#.into(), "Version"),
        (r#"{"Version":null,"Statement":[]}"#.into(), "Version"),
        (r#"{"Id":["x"],"Statement":[]}"#.into(), "Id"),
        (r#"{"Statement":5}"#.into(), "Statement"),
        (r#"{"Statement":"x"}"#.into(), "Statement"),
        (r#"{"Statement":null}"#.into(), "Statement"),
        (r#"{"Statement":[1]}"#.into(), "Statement[0]"),
        (
            r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},[]]}"#.into(),
            "Statement[1]",
        ),
    ];
    let statement_cases: &[(&str, &str, &str)] = &[
        ("Sid", "1", "Statement[0].Sid"),
        ("Sid", "null", "Statement[0].Sid"),
        ("Effect", "true", "Statement[0].Effect"),
        ("Effect", "[\"Allow\"]", "Statement[0].Effect"),
        ("Action", "{}", "Statement[0].Action"),
        ("Action", "1", "Statement[0].Action"),
        ("Action", "[\"s3:GetObject\",1]", "Statement[0].Action[1]"),
        ("Action", "[[\"*\"]]", "Statement[0].Action[0]"),
        ("Action", "null", "Statement[0].Action"),
        ("NotAction", "false", "Statement[0].NotAction"),
        ("Resource", "2", "Statement[0].Resource"),
        ("Resource", "[null]", "Statement[0].Resource[0]"),
        ("NotResource", "{\"a\":1}", "Statement[0].NotResource"),
        ("Principal", "1", "Statement[0].Principal"),
        ("Principal", "[\"*\"]", "Statement[0].Principal"),
        ("Principal", "{\"AWS\":1}", "Statement[0].Principal.AWS"),
        (
            "Principal",
            "{\"AWS\":[\"*\",{}]}",
            "Statement[0].Principal.AWS[1]",
        ),
        (
            "Principal",
            "{\"Service\":null}",
            "Statement[0].Principal.Service",
        ),
        ("NotPrincipal", "true", "Statement[0].NotPrincipal"),
        ("Condition", "\"x\"", "Statement[0].Condition"),
        ("Condition", "[]", "Statement[0].Condition"),
        (
            "Condition",
            "{\"StringEquals\":\"x\"}",
            "Statement[0].Condition.StringEquals",
        ),
        (
            "Condition",
            "{\"StringEquals\":[]}",
            "Statement[0].Condition.StringEquals",
        ),
        (
            "Condition",
            "{\"StringEquals\":{\"k\":{}}}",
            "Statement[0].Condition.StringEquals.k",
        ),
        (
            "Condition",
            "{\"StringEquals\":{\"k\":null}}",
            "Statement[0].Condition.StringEquals.k",
        ),
        (
            "Condition",
            "{\"StringEquals\":{\"k\":[\"a\",[]]}}",
            "Statement[0].Condition.StringEquals.k[1]",
        ),
        (
            "Condition",
            "{\"Bool\":{\"k\":[null]}}",
            "Statement[0].Condition.Bool.k[0]",
        ),
    ];
    for (field, value, _) in statement_cases {
        cases.push((statement(field, value), ""));
    }
    let paths = statement_cases.iter().map(|(_, _, path)| *path);
    let expected: Vec<&str> = cases.iter().take(8).map(|(_, p)| *p).chain(paths).collect();
    for ((text, _), path) in cases.iter().zip(expected) {
        let error = parse_err(text);
        let ParseError::Grammar { location, message } = &error else {
            panic!("{text}: expected a grammar error, got {error}");
        };
        assert_eq!(location.pointer, path, "{text}: {message}");
        assert!(
            message.contains("expected") || message.contains("empty"),
            "{text}: {message}"
        );
        if path.starts_with("Statement[") {
            assert!(location.statement_index.is_some(), "{text}");
        }
        let findings = check(text, DocumentKind::Identity);
        assert_eq!(rule_ids(&findings), vec!["malformed-policy"], "{text}");
        assert_eq!(findings[0].location.pointer, path);
    }
}

#[test]
fn valid_json_that_is_not_a_policy_is_a_malformed_policy_finding() {
    let not_policies = [
        "[]",
        "[1,2]",
        "[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]",
        "5",
        "-0.5e300",
        "true",
        "null",
        "\"just a string\"",
        "\"\"",
        "{}",
        "{\"foo\":1}",
        "{\"Statement\":{}}",
        "{\"Statement\":[{}]}",
        "{\"statement\":[]}",
        "",
        "   ",
        "\u{feff}{}",
    ];
    for text in not_policies {
        for kind in POLICY_KINDS {
            let findings = check(text, kind);
            assert_eq!(
                rule_ids(&findings),
                vec!["malformed-policy"],
                "{text:?} as {kind:?}"
            );
            assert_eq!(findings[0].severity, Severity::High);
            assert!(!findings[0].message.is_empty());
        }
        let url = check(text, DocumentKind::FunctionUrlConfig);
        if !text.trim().starts_with('{') || text.contains("feff") {
            assert_eq!(rule_ids(&url), vec!["malformed-policy"], "{text:?}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Matching stays linear: 5,000-character patterns against 50,000-character texts.
// ---------------------------------------------------------------------------------------------

/// `*a*a*a...*b`: the classic pattern that makes backtracking matchers exponential.
fn star_a_pattern(len: usize, last: &str) -> String {
    let mut pattern = String::with_capacity(len + 2);
    while pattern.len() < len {
        pattern.push_str("*a");
    }
    pattern.push('*');
    pattern.push_str(last);
    pattern
}

#[test]
fn star_a_patterns_match_long_texts_in_linear_time() {
    let pattern = star_a_pattern(5_000, "b");
    let no_b = "a".repeat(50_000);
    let with_b = format!("{no_b}b");
    // A backtracking matcher tries ~n^k splits here; the segment matcher makes one pass.
    for _ in 0..20 {
        assert!(!wildcard_match(&pattern, &no_b));
        assert!(!wildcard_match_ignore_case(&pattern, &no_b.to_uppercase()));
    }
    assert!(wildcard_match(&pattern, &with_b));
    assert!(wildcard_match_ignore_case(&pattern.to_uppercase(), &with_b));
    // Too few `a`s for the pattern's 2,500: fails fast.
    assert!(!wildcard_match(
        &pattern,
        &format!("{}b", "a".repeat(2_499))
    ));
    // `?` runs and star runs.
    let questions = format!("{}*b", "?".repeat(5_000));
    assert!(!wildcard_match(&questions, &no_b));
    assert!(wildcard_match(&questions, &with_b));
    let stars = format!("{}b", "*".repeat(5_000));
    assert!(!wildcard_match(&stars, &no_b));
    assert!(wildcard_match(&stars, &with_b));
    // Non-ASCII takes the char path.
    let wide = star_a_pattern(5_000, "é");
    assert!(!wildcard_match(&wide, &no_b));
    assert!(wildcard_match(&wide, &format!("{no_b}é")));
}

#[test]
fn long_middle_segments_against_long_texts_finish() {
    // One long middle segment that almost matches everywhere: a naive substring search is
    // O(text × segment), here 10^5 × 2·10^5 = 2·10^10 steps (minutes); the KMP search of
    // `?`-free segments is linear.
    let pattern = format!("*{}b*", "a".repeat(100_000));
    let text = "a".repeat(300_000);
    assert!(!wildcard_match(&pattern, &text));
    assert!(wildcard_match(&pattern, &format!("{text}bc")));
    assert!(!wildcard_match_ignore_case(&pattern, &text.to_uppercase()));
    assert!(wildcard_match_ignore_case(
        &pattern,
        &format!("{}Bc", text.to_uppercase())
    ));
}

#[test]
fn long_arn_patterns_against_catalog_formats_finish() {
    let formats: Vec<&str> = catalog()
        .services()
        .filter(|s| ["s3", "iam", "lambda", "dynamodb", "logs"].contains(&s.prefix()))
        .flat_map(|s| s.resource_types().map(|r| r.arn_format()))
        .collect();
    assert!(formats.len() > 10);
    let star_a = format!("arn:aws:s3:::{}", star_a_pattern(5_000, "b"));
    let colons = format!("arn:{}", "*:".repeat(2_500));
    let questions = format!("arn:aws:iam::{}:role/*", "?".repeat(5_000));
    let long_text = format!("arn:aws:s3:::{}", "a".repeat(50_000));
    for format in &formats {
        for pattern in [&star_a, &colons, &questions, &long_text] {
            let _ = pattern_overlaps_format(pattern, format);
            let _ = pattern_covers_format(pattern, format);
        }
    }
    let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    assert!(pattern_overlaps_format(&star_a, object));
    assert!(!pattern_covers_format(&star_a, object));
    assert!(!pattern_overlaps_format(&questions, object));
}

#[test]
fn long_action_patterns_expand_without_blowing_up() {
    let long_name = format!("s3:{}", star_a_pattern(5_000, "t"));
    let expansion = catalog().expand(&long_name);
    assert!(expansion.service_known);
    let long_service = format!("{}:Get*", star_a_pattern(5_000, "3"));
    let expansion = catalog().expand(&long_service);
    assert!(!expansion.malformed);
    // Every service, names of at least ten characters.
    let stars = format!(
        "{}:{}{}",
        "*".repeat(5_000),
        "*?".repeat(10),
        "*".repeat(4_980)
    );
    assert!(!catalog().expand(&stars).actions.is_empty());
    let too_long = format!("{}:{}", "*".repeat(5_000), "*?".repeat(2_500));
    assert!(catalog().expand(&too_long).actions.is_empty());
    let nothing = catalog().expand(&format!("s3:{}", "?".repeat(5_000)));
    assert!(nothing.actions.is_empty());
}

#[test]
fn documents_full_of_long_patterns_are_judged() {
    let action = format!("s3:{}", star_a_pattern(5_000, "t"));
    let resource = format!("arn:aws:s3:::{}", star_a_pattern(5_000, "b"));
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": [action, "s3:*", "iam:PassRole"], "Resource": [resource, "arn:aws:iam::*:role/*"]},
        {"Effect": "Allow", "Action": "lambda:*", "NotResource": resource},
        {"Effect": "Allow", "Principal": {"AWS": resource}, "Action": "sts:AssumeRole",
         "Condition": {"StringLike": {"aws:SourceArn": resource}, "ArnLike": {"aws:PrincipalArn": resource}}}
    ]})
    .to_string();
    let findings = check(&doc, DocumentKind::Identity);
    assert!(
        !rule_ids(&findings).contains(&"malformed-policy"),
        "{:?}",
        rule_ids(&findings)
    );
    assert!(
        rule_ids(&findings).contains(&"service-wildcard"),
        "{:?}",
        rule_ids(&findings)
    );
    for kind in POLICY_KINDS {
        assert_findings_clean(&check(&doc, kind));
    }
    // The evaluator matches the long patterns against long request values.
    use policy_guard::authorize::{authorize, context_map, Policies, Request};
    let policy = parse_policy(&doc).unwrap();
    let long_resource = format!("arn:aws:s3:::{}", "a".repeat(50_000));
    let request = Request {
        principal: "arn:aws:iam::111122223333:root",
        action: "s3:GetObject",
        resource: &long_resource,
        resource_account: Some("111122223333"),
        context: context_map([("aws:SourceArn", vec![long_resource.clone()])]),
        ..Request::default()
    };
    // The same document as identity policy and as resource policy.
    let identity = [policy.clone()];
    let _ = authorize(
        &request,
        &Policies {
            identity: &identity,
            ..Policies::default()
        },
    );
    let _ = authorize(
        &request,
        &Policies {
            resource: Some(&policy),
            ..Policies::default()
        },
    );
}

// ---------------------------------------------------------------------------------------------
// Control characters and escapes: never raw in findings, subjects, attributes or emails.
// ---------------------------------------------------------------------------------------------

#[test]
fn hostile_sids_resources_principals_and_keys_never_reach_finding_text_raw() {
    let doc = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": HOSTILE, "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": HOSTILE, "Effect": "Allow", "Action": ["s3:*", "iam:PassRole", "iam:CreatePolicyVersion"],
         "Resource": [format!("arn:aws:s3:::{HOSTILE}"), format!("arn:aws:iam::*:role/{HOSTILE}"), "*"]},
        {"Effect": "Allow", "NotAction": "s3:GetObject", "NotResource": format!("arn:aws:s3:::{HOSTILE}")},
        {"Effect": "Allow", "Principal": {"AWS": [format!("arn:aws:iam::444455556666:role/{HOSTILE}"), "*"],
                                          "Service": format!("{HOSTILE}.amazonaws.com"),
                                          "Federated": format!("arn:aws:iam::1:oidc-provider/{HOSTILE}")},
         "Action": ["sts:AssumeRole", "sts:AssumeRoleWithWebIdentity", "lambda:InvokeFunction", "s3:*"],
         "Resource": format!("arn:aws:lambda:us-east-1:1:function:{HOSTILE}"),
         "Condition": {"StringLike": {format!("{HOSTILE}:sub"): HOSTILE, "aws:SourceArn": HOSTILE},
                       "StringEquals": {"aws:SecureTransport": "true"},
                       "ForAllValues:StringEquals": {"aws:SourceAccount": HOSTILE}}},
        {"Effect": "Allow", "NotPrincipal": {"AWS": HOSTILE}, "Action": "s3:GetObject", "Resource": "*"}
    ]})
    .to_string();
    let mut total = 0;
    for kind in POLICY_KINDS {
        let findings = check(&doc, kind);
        total += findings.len();
        assert_findings_clean(&findings);
    }
    assert!(total > 5, "the hostile document should trip several rules");
}

#[test]
fn hostile_function_url_config_is_clean() {
    let doc = json!({"functionName": HOSTILE, "authType": "NONE", "cors": {"allowOrigins": [HOSTILE, "*"], "allowCredentials": true}}).to_string();
    let findings = check(&doc, DocumentKind::FunctionUrlConfig);
    assert!(!findings.is_empty());
    assert_findings_clean(&findings);
    let bad = json!({"functionName": HOSTILE, "authType": 5}).to_string();
    let findings = check(&bad, DocumentKind::FunctionUrlConfig);
    assert_eq!(rule_ids(&findings), vec!["malformed-policy"]);
    assert_findings_clean(&findings);
}

#[test]
fn hostile_values_in_parse_errors_are_quoted_escaped() {
    // Values the parser quotes in its errors: effect, action, principal, operator, version.
    let cases = [
        json!({"Version": HOSTILE, "Statement": []}),
        json!({"Statement": [{"Effect": HOSTILE, "Action": "*", "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Action": HOSTILE, "Resource": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": HOSTILE, "Action": "*"}]}),
        json!({"Statement": [{"Sid": HOSTILE, "Effect": "Allow", "Action": "*", "Resource": ""}]}),
    ];
    for doc in cases {
        let findings = check(&doc.to_string(), DocumentKind::Identity);
        assert_eq!(rule_ids(&findings), vec!["malformed-policy"], "{doc}");
        assert_findings_clean(&findings);
    }
}

/// Keys are attacker-chosen too, and the parser builds the error's JSON path from them.
#[test]
fn hostile_keys_in_parse_errors_are_escaped_in_the_finding_message() {
    let cases = [
        json!({HOSTILE: 1, "Statement": []}),
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", HOSTILE: 1}]}),
        json!({"Statement": [{"Effect": "Allow", "Principal": {HOSTILE: "x"}, "Action": "*"}]}),
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {"StringEquals": {HOSTILE: []}}}]}),
        // The operator is quoted, but the path the error names is built from it raw.
        json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": {HOSTILE: {"a": "b"}}}]}),
    ];
    for doc in cases {
        let findings = check(&doc.to_string(), DocumentKind::Identity);
        assert_eq!(rule_ids(&findings), vec!["malformed-policy"], "{doc}");
        assert_findings_clean(&findings);
    }
    // A megabyte key is a megabyte path: the message must quote a bounded part of it.
    let huge = json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", "K".repeat(1_000_000): 1}]});
    let findings = check(&huge.to_string(), DocumentKind::Identity);
    assert_eq!(rule_ids(&findings), vec!["malformed-policy"]);
    assert!(
        findings[0].message.len() < 10_000,
        "{} bytes",
        findings[0].message.len()
    );
}

// ---------------------------------------------------------------------------------------------
// Events: hostile names, agents and documents through judge and render (issue part 5).
// ---------------------------------------------------------------------------------------------

fn iam_event(name: &str, request: Value) -> Value {
    event_with(
        name,
        request,
        "aws-cli/2.17.0",
        "arn:aws:iam::111122223333:user/alice",
    )
}

fn event_with(name: &str, request: Value, user_agent: &str, actor: &str) -> Value {
    json!({
        "version": "0",
        "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.iam",
        "account": ACCOUNT,
        "time": "2024-08-01T13:37:41Z",
        "region": "us-east-1",
        "resources": [],
        "detail": {
            "eventVersion": "1.09",
            "userIdentity": {"type": "IAMUser", "arn": actor, "accountId": ACCOUNT,
                              "sessionContext": {"sessionIssuer": {"arn": actor}}},
            "eventTime": "2024-08-01T13:37:41Z",
            "eventSource": "iam.amazonaws.com",
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": "203.0.113.7",
            "userAgent": user_agent,
            "requestParameters": request,
            "responseElements": null,
            "eventID": "39480357-0a1d-4531-a3f2-71be4c041c25",
            "recipientAccountId": ACCOUNT
        }
    })
}

fn verdict_of(event: &Value) -> Verdict {
    let config = Config::default();
    match parse_event(event) {
        EventOutcome::Change(change) => {
            let mut resolved = Resolved::new();
            for reference in change.references() {
                resolved.insert(
                    reference.clone(),
                    Resolution::Found(ResolvedPolicy {
                        policy_arn: reference.policy_arn().to_string(),
                        version_id: "v1".into(),
                        document: ADMIN.into(),
                    }),
                );
            }
            judge(&change, &resolved, &config)
        }
        EventOutcome::Malformed { context, error } => Verdict::malformed(context, &error, &config),
        other => panic!("expected a change or a malformed event, got {other:?}"),
    }
}

fn message_of(verdict: &Verdict) -> SnsMessage {
    sns_message(verdict).expect("a verdict with findings is published")
}

/// The SNS message of a verdict is safe: the subject is short printable ASCII, attributes are
/// bounded and escaped, the email has no raw control character, bidi override or forged line.
fn assert_rendering_safe(verdict: &Verdict) -> SnsMessage {
    let message = message_of(verdict);
    let subject = &message.subject;
    assert!(subject.chars().count() < 100, "subject: {subject:?}");
    assert!(
        subject.chars().all(|c| c.is_ascii_graphic() || c == ' '),
        "subject: {subject:?}"
    );
    for (name, value) in &message.attributes {
        let values = match value {
            AttributeValue::String(s) => vec![s.clone()],
            AttributeValue::StringArray(items) => items.clone(),
        };
        for v in values {
            assert!(
                raw_controls(&v).is_empty() && !v.contains('\n'),
                "attribute {name}: {v:?}"
            );
            assert!(
                v.chars().count() <= 256 * 10 + 1,
                "attribute {name}: {} chars",
                v.len()
            );
        }
    }
    assert!(message.attributes.len() <= 10);
    let body: Value = serde_json::from_str(&message.message).expect("the body is JSON");
    let email = body["email"].as_str().expect("email text");
    assert!(
        raw_controls(email).is_empty(),
        "email: {:?}",
        raw_controls(email)
    );
    for line in email.lines() {
        assert!(
            !line.starts_with("When:   forged") && !line.trim_start().starts_with("When:   forged"),
            "forged email line: {line:?}"
        );
    }
    let default: Value =
        serde_json::from_str(body["default"].as_str().expect("default text")).expect("JSON");
    let default_text = default.to_string();
    assert!(!default_text.contains('\u{1b}') && !default_text.contains('\u{202e}'));
    assert!(message.message.len() <= policy_guard::render::MESSAGE_BUDGET_BYTES);
    // The full email with every finding is as clean as the published one.
    assert!(raw_controls(&email_text(verdict, usize::MAX)).is_empty());
    message
}

#[test]
fn hostile_role_policy_and_agent_names_are_sanitised_and_bounded() {
    let long_hostile = ten_kb(HOSTILE);
    let long_plain = ten_kb("x");
    for (name, agent) in [
        (HOSTILE.to_string(), HOSTILE.to_string()),
        (long_hostile.clone(), long_hostile.clone()),
        (long_plain.clone(), long_plain.clone()),
    ] {
        let events = [
            iam_event(
                "AttachRolePolicy",
                json!({"roleName": name, "policyArn": format!("arn:aws:iam::111122223333:policy/{name}")}),
            ),
            iam_event(
                "PutUserPolicy",
                json!({"userName": name, "policyName": name, "policyDocument": ADMIN}),
            ),
            iam_event(
                "CreatePolicy",
                json!({"policyName": name, "policyDocument": ADMIN}),
            ),
            iam_event(
                "CreateRole",
                json!({"roleName": name, "assumeRolePolicyDocument": r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#}),
            ),
            event_with(
                "PutRolePolicy",
                json!({"roleName": name, "policyName": name, "policyDocument": ADMIN}),
                &agent,
                &format!("arn:aws:iam::111122223333:user/{name}"),
            ),
            // Malformed: the guard cannot read it, and says so without echoing raw text.
            event_with("PutGroupPolicy", json!({"groupName": name}), &agent, &name),
        ];
        for event in events {
            let verdict = verdict_of(&event);
            assert!(verdict.notify, "{:?}", verdict.summary.get(..50));
            let message = assert_rendering_safe(&verdict);
            assert!(message.subject.starts_with('['), "{}", message.subject);
        }
    }
}

#[test]
fn hostile_event_name_account_and_ids_are_sanitised_in_attributes() {
    let long_hostile = ten_kb(HOSTILE);
    let mut event = iam_event("PutRolePolicy", json!({"roleName": "r", "policyName": "p"}));
    // Malformed (no document): every context field reaches the message.
    event["detail"]["eventID"] = json!(long_hostile);
    event["detail"]["recipientAccountId"] = json!(long_hostile);
    event["detail"]["awsRegion"] = json!(HOSTILE);
    event["detail"]["eventTime"] = json!(HOSTILE);
    event["detail"]["sourceIPAddress"] = json!(HOSTILE);
    event["detail"]["userIdentity"]["type"] = json!(long_hostile);
    event["detail"]["userIdentity"]["invokedBy"] = json!(long_hostile);
    let verdict = verdict_of(&event);
    assert_eq!(verdict.rule_ids(), vec!["malformed-event"]);
    let message = assert_rendering_safe(&verdict);
    let account = message
        .attributes
        .iter()
        .find(|(n, _)| n == "account")
        .map(|(_, v)| v.string_value())
        .unwrap();
    assert!(
        account.contains("\\u{1b}") && account.ends_with('…'),
        "{account:.80}"
    );

    // The event name itself (only watched names reach `Change`, but a malformed verdict keeps
    // whatever the record said) in a verdict built by hand.
    let mut hostile = verdict.clone();
    hostile.context.event_name = Some(long_hostile.clone());
    hostile.summary = long_hostile.clone();
    assert_rendering_safe(&hostile);
}

#[test]
fn notification_never_contains_the_policy_document() {
    let sid = "ThisSidMarksTheDocumentText";
    let document = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": sid, "Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Effect": "Allow", "Action": ["iam:PassRole", "s3:*"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}}
    ]})
    .to_string();
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(&document).unwrap()).unwrap();
    let encoded =
        percent_encoding::utf8_percent_encode(&document, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    let canonical = parse_policy(&document).unwrap().to_json().to_string();
    let events = [
        iam_event(
            "PutRolePolicy",
            json!({"roleName": "r", "policyName": "p", "policyDocument": document}),
        ),
        iam_event(
            "PutRolePolicy",
            json!({"roleName": "r", "policyName": "p", "policyDocument": pretty}),
        ),
        iam_event(
            "CreatePolicy",
            json!({"policyName": "p", "policyDocument": encoded}),
        ),
        iam_event(
            "CreatePolicyVersion",
            json!({"policyArn": "arn:aws:iam::111122223333:policy/p", "policyDocument": document, "setAsDefault": true}),
        ),
    ];
    for event in events {
        let verdict = verdict_of(&event);
        assert!(verdict.rule_ids().contains(&"admin-access"));
        let message = assert_rendering_safe(&verdict);
        let body: Value = serde_json::from_str(&message.message).unwrap();
        let email = body["email"].as_str().unwrap();
        let default = body["default"].as_str().unwrap();
        for whole in [&document, &pretty, &encoded, &canonical] {
            for rendered in [email, default, &message.subject, &message.message] {
                assert!(
                    !rendered.contains(whole.as_str()),
                    "the whole document is in the message"
                );
            }
        }
        // Nor any statement as JSON.
        for rendered in [email, default] {
            assert!(
                !rendered.contains(r#""Effect":"Allow""#),
                "statement JSON in the message"
            );
            assert!(
                !rendered.contains(r#"\"Effect\":\"Allow\""#),
                "statement JSON in the message"
            );
        }
    }
    // A document that does not parse: the finding says why, quoting at most short values.
    let broken = format!(
        "{{\"Statement\": [{}], \"Oops\": 1",
        "{\"Effect\":\"Allow\"},".repeat(500)
    );
    let verdict = verdict_of(&iam_event(
        "PutRolePolicy",
        json!({"roleName": "r", "policyName": "p", "policyDocument": broken}),
    ));
    assert_eq!(verdict.rule_ids(), vec!["malformed-policy"]);
    let message = assert_rendering_safe(&verdict);
    assert!(message.message.len() < 10_000, "{}", message.message.len());
}

#[test]
fn hostile_resolved_documents_and_notes_are_sanitised() {
    // What IAM returns for the attached policy is attacker-written too.
    let event = iam_event(
        "AttachRolePolicy",
        json!({"roleName": "r", "policyArn": "arn:aws:iam::111122223333:policy/p"}),
    );
    let EventOutcome::Change(change) = parse_event(&event) else {
        panic!("a change")
    };
    let reference = change.references().remove(0);
    let hostile_doc = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": HOSTILE, "Effect": "Allow", "Action": "*", "Resource": format!("arn:aws:s3:::{HOSTILE}")},
        {"Effect": "Allow", "Action": "*", "Resource": "*"}
    ]})
    .to_string();
    for document in [hostile_doc, format!("{{\"{HOSTILE}\": 1}}")] {
        let mut resolved = Resolved::new();
        resolved.insert(
            reference.clone(),
            Resolution::Found(ResolvedPolicy {
                policy_arn: reference.policy_arn().into(),
                version_id: HOSTILE.into(),
                document,
            }),
        );
        let verdict = judge(&change, &resolved, &Config::default());
        assert!(verdict.notify);
        assert_rendering_safe(&verdict);
    }
    let mut resolved = Resolved::new();
    resolved.insert(reference, Resolution::Missing(ten_kb(HOSTILE)));
    let chatty = Config {
        min_severity: Severity::Info,
        ..Config::default()
    };
    let verdict = judge(&change, &resolved, &chatty);
    assert!(verdict.notify && verdict.findings.is_empty());
    let message = message_of(&verdict);
    assert!(raw_controls(&message.message).is_empty());
    assert!(message.subject.starts_with("[NOTE]"), "{}", message.subject);
}

#[test]
fn many_hostile_findings_still_fit_one_sns_message() {
    let statements: Vec<Value> = (0..2_000)
        .map(|i| json!({"Sid": format!("{HOSTILE}{i}"), "Effect": "Allow", "Action": ["s3:*", "iam:PassRole", "iam:*"], "Resource": "*"}))
        .collect();
    let doc = json!({"Version": "2012-10-17", "Statement": statements}).to_string();
    let verdict = verdict_of(&iam_event(
        "PutRolePolicy",
        json!({"roleName": ten_kb(HOSTILE), "policyName": "p", "policyDocument": doc}),
    ));
    assert!(verdict.findings.len() > 100, "{}", verdict.findings.len());
    let message = assert_rendering_safe(&verdict);
    assert!(message.message.len() <= policy_guard::render::MESSAGE_BUDGET_BYTES);
}

/// Line and paragraph separators break lines in many mail readers and terminals just as '\n'.
#[test]
fn unicode_line_separators_are_escaped_too() {
    let name = "role\u{2028}When:   forged\u{2029}x";
    let verdict = verdict_of(&iam_event(
        "PutRolePolicy",
        json!({"roleName": name, "policyName": "p", "policyDocument": ADMIN}),
    ));
    let message = message_of(&verdict);
    assert!(!message.message.contains('\u{2028}') && !message.message.contains('\u{2029}'));
}

// ---------------------------------------------------------------------------------------------
// Canonical form: parse → to_json → parse (fuzz target policy_parser).
// ---------------------------------------------------------------------------------------------

#[test]
fn to_json_round_trip_keeps_principal_and_condition_order() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"lambda.amazonaws.com","AWS":"arn:aws:iam::111122223333:root"},
        "Action":"sts:AssumeRole",
        "Condition":{"StringEquals":{"sts:ExternalId":"x","aws:SourceAccount":"111122223333"},"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    let policy = parse_policy(text).unwrap();
    let again = parse_policy(&policy.to_json().to_string()).unwrap();
    assert_eq!(policy, again);
}

#[test]
fn to_json_round_trip_is_a_fixed_point_after_one_step() {
    let text = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow",
        "Principal":{"Service":"lambda.amazonaws.com","AWS":"arn:aws:iam::111122223333:root"},
        "Action":"sts:AssumeRole",
        "Condition":{"StringEquals":{"sts:ExternalId":"x","aws:SourceAccount":"111122223333"},"Bool":{"aws:SecureTransport":"true"}}}]}"#;
    let once: Policy = parse_policy(&parse_policy(text).unwrap().to_json().to_string()).unwrap();
    let twice = parse_policy(&once.to_json().to_string()).unwrap();
    assert_eq!(once, twice);
    let config = Config::default();
    let options = CheckOptions {
        account: Some(ACCOUNT),
        config: &config,
    };
    // Same judgement either way.
    let original = parse_policy(text).unwrap();
    for kind in POLICY_KINDS {
        assert_eq!(
            rule_ids(&check_policy(&original, kind, &options)),
            rule_ids(&check_policy(&once, kind, &options))
        );
    }
}
