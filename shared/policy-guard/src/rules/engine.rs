//! The engine's entry point: parse a document, analyse it once, and run every rule that judges
//! its kind and may report under the configuration.

use super::MalformedPolicy;
use super::{FunctionUrlConfig, RuleContext, Subject, RULES};
use crate::analysis::analyze;
use crate::policy::{parse_policy, Location, Policy};
use crate::{Config, DocumentKind, Finding};

/// How a document is checked: the account it lives in and the configuration.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    pub account: Option<&'a str>,
    pub config: &'a Config,
}

/// Judges a document given as text (JSON, JSON string or URL-encoded). Never fails: a document
/// that does not parse is a `malformed-policy` finding with its location.
pub fn check_document(text: &str, kind: DocumentKind, options: &CheckOptions<'_>) -> Vec<Finding> {
    if kind == DocumentKind::FunctionUrlConfig {
        return match FunctionUrlConfig::parse(text) {
            Ok(config) => run(kind, Subject::FunctionUrl(&config), options),
            Err(error) => vec![MalformedPolicy::report(
                &error.to_string(),
                Location::default(),
            )],
        };
    }
    match parse_policy(text) {
        Ok(policy) => check_policy(&policy, kind, options),
        Err(error) => vec![MalformedPolicy::report(
            &error.to_string(),
            error.location(),
        )],
    }
}

/// Judges a parsed policy.
pub fn check_policy(
    policy: &Policy,
    kind: DocumentKind,
    options: &CheckOptions<'_>,
) -> Vec<Finding> {
    let analysis = analyze(policy);
    run(
        kind,
        Subject::Policy {
            policy,
            analysis: &analysis,
        },
        options,
    )
}

fn run(kind: DocumentKind, subject: Subject<'_>, options: &CheckOptions<'_>) -> Vec<Finding> {
    let cx = RuleContext {
        kind,
        subject,
        account: options.account,
        config: options.config,
    };
    let mut out = Vec::new();
    for rule in RULES {
        let meta = rule.meta();
        if meta.kinds.contains(&kind) && options.config.may_report(meta.id, meta.severity) {
            rule.check(&cx, &mut out);
        }
    }
    out
}
