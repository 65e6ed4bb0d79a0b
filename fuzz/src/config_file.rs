//! Target `config_file`: `Config::parse` on arbitrary text (the functions read it from
//! `POLICY_GUARD_CONFIG`, the CLI from `--config`), then the configuration at work.
//!
//! Input: the bytes as text (invalid UTF-8 through `String::from_utf8_lossy`); the seeds are the
//! configurations of the README and the tests, in JSON and TOML.
//!
//! Properties:
//! 1. No panic: parsing, validation, and a configuration that parsed asked about suppressions,
//!    trust and every rule, and used to judge a document.
//! 2. An error renders as one line of printable text: a configuration error ends up in the
//!    function's log and on the CLI's stderr, and must not carry the file's raw control
//!    characters there.
//! 3. A configuration that parsed survives its JSON form: serialise, parse again, equal.
use policy_guard::rules::{check_document, CheckOptions, RULES};
use policy_guard::{Config, DocumentKind};

const DOCUMENT: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#;

const ARNS: &[&str] = &[
    "arn:aws:iam::111122223333:role/break-glass",
    "arn:aws:iam::111122223333:root",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "",
    "*",
];

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/config_file.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let config = match Config::parse(&text) {
        Ok(config) => config,
        Err(error) => {
            let message = error.to_string();
            assert!(
                !message.chars().any(char::is_control),
                "configuration error carries a raw control character: {message:?}"
            );
            return;
        }
    };
    for rule in RULES {
        let meta = rule.meta();
        let _ = config.may_report(meta.id, meta.severity);
        for arn in ARNS {
            let _ = config.suppression_for(meta.id, &[arn]);
        }
    }
    for account in ["111122223333", "", "444455556666"] {
        let _ = config.is_trusted_account(account);
    }
    let options = CheckOptions {
        account: Some("111122223333"),
        config: &config,
    };
    let _ = check_document(DOCUMENT, DocumentKind::Identity, &options);

    let json = serde_json::to_string(&config).expect("a parsed configuration serialises");
    let again = Config::parse(&json)
        .unwrap_or_else(|e| panic!("the JSON form of a parsed configuration fails: {e}\n{json}"));
    assert_eq!(
        config, again,
        "the JSON round trip changed the configuration"
    );
}
