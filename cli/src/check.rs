//! `policy-guard check`: every input through the same engine the guard runs.

use crate::detect::{detect, policy_kind, PolicyKind};
use crate::input::{read_with, Source};
use crate::locate::{line_of, parse_pointer, Locator, Step};
use crate::model::{FileResult, InputKind, Item, Note, Origin};
use crate::resolve::PolicyDir;
use policy_guard::matching::parse_arn;
use policy_guard::report::{Finding, Report};
use policy_guard::rules::{check_document, check_policy, CheckOptions};
use policy_guard::{Config, DocumentKind};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// How inputs are checked.
#[derive(Clone)]
pub struct Checker {
    /// `--kind`: forces the kind of every input.
    pub kind: Option<InputKind>,
    /// `--account`: the account documents live in (else the event's own, the plan's, or the
    /// function's).
    pub account: Option<String>,
    /// The configuration, with `--min-severity` applied.
    pub config: Config,
    /// `--policies`: where referenced policy ARNs are resolved.
    pub policies: Option<PolicyDir>,
    /// The input being checked, reused from file to file (each thread has its own checker).
    pub read_buffer: Vec<u8>,
}

/// One document to judge inside a file.
pub struct Document<'a> {
    pub text: &'a str,
    pub kind: DocumentKind,
    pub account: Option<&'a str>,
    /// ARNs suppressions may name.
    pub arns: &'a [&'a str],
    /// Where findings point: the document inside the file, and its line when the document
    /// is not the file itself.
    pub origin: Origin,
    /// The file's text when the document *is* the file: findings get the line of their
    /// statement.
    pub file_text: Option<&'a str>,
}

impl Checker {
    /// Checks every source on `jobs` threads; results come back in the order of `sources`,
    /// each passed through `finish` on the thread that checked it (the text output renders
    /// there). `done` is told each finished source, in completion order (the progress bar).
    pub fn check_sources<T: Send>(
        &self,
        sources: &[Source],
        jobs: usize,
        finish: impl Fn(FileResult) -> T + Sync,
        mut done: impl FnMut(&Source),
    ) -> Vec<T> {
        let jobs = jobs.clamp(1, sources.len().max(1));
        if jobs == 1 {
            let mut checker = self.clone();
            return sources
                .iter()
                .map(|source| {
                    let result = finish(checker.check_source(source));
                    done(source);
                    result
                })
                .collect();
        }
        let next = AtomicUsize::new(0);
        let (sender, receiver) = mpsc::channel::<(usize, T)>();
        let mut slots: Vec<Option<T>> = sources.iter().map(|_| None).collect();
        let mut place = |index: usize, result: T| {
            if let (Some(slot), Some(source)) = (slots.get_mut(index), sources.get(index)) {
                done(source);
                *slot = Some(result);
            }
        };
        let finish = &finish;
        std::thread::scope(|scope| {
            for _ in 1..jobs {
                let sender = sender.clone();
                let mut checker = self.clone();
                let next = &next;
                scope.spawn(move || loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(source) = sources.get(index) else {
                        break;
                    };
                    if sender
                        .send((index, finish(checker.check_source(source))))
                        .is_err()
                    {
                        break;
                    }
                });
            }
            drop(sender);
            // This thread is a worker too, and collects the others' results between its own
            // files without waiting: a blocking receive woke it (a futex call) once per file.
            let mut checker = self.clone();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(source) = sources.get(index) else {
                    break;
                };
                place(index, finish(checker.check_source(source)));
                while let Ok((index, result)) = receiver.try_recv() {
                    place(index, result);
                }
            }
            for (index, result) in receiver {
                place(index, result);
            }
        });
        slots.into_iter().flatten().collect()
    }

    pub fn check_source(&mut self, source: &Source) -> FileResult {
        let path = source.display();
        let mut buffer = std::mem::take(&mut self.read_buffer);
        let result = match read_with(source, &mut buffer) {
            Ok(text) => self.check_text(&path, text, source.walked()),
            Err(error) => FileResult::failed(&path, error),
        };
        self.read_buffer = buffer;
        result
    }

    pub fn check_text(&mut self, path: &str, text: &str, walked: bool) -> FileResult {
        let mut result = FileResult::new(path);
        if self.kind.is_none() && self.check_plain_policy(text, &mut result) {
            return result;
        }
        let value: Option<Value> = serde_json::from_str(text).ok();
        let kind = match (self.kind, &value) {
            (Some(kind), _) => kind,
            (None, Some(value)) => match detect(value) {
                Some(kind) => kind,
                None if walked => {
                    result.skipped = Some(
                        "not an IAM policy, Lambda policy, CloudTrail, Terraform plan or \
                         function URL document"
                            .to_string(),
                    );
                    return result;
                }
                None => {
                    result.error = Some(
                        "cannot tell what this is: not an IAM policy document, Lambda GetPolicy \
                         output, CloudTrail record, event or log file, Terraform plan or function \
                         URL configuration (use --kind to force one)"
                            .to_string(),
                    );
                    return result;
                }
            },
            // Not JSON: judged as a policy, so the engine reports where it breaks.
            (None, None) => InputKind::Policy,
        };
        result.kind = Some(kind);
        match kind {
            InputKind::Cloudtrail => match &value {
                Some(value) => crate::cloudtrail::check(self, value, text, &mut result),
                None => result.error = Some(json_error(text)),
            },
            InputKind::TerraformPlan => match &value {
                Some(value) => crate::terraform::check(self, value, text, &mut result),
                None => result.error = Some(json_error(text)),
            },
            InputKind::LambdaPolicy => self.check_lambda_policy(value.as_ref(), text, &mut result),
            InputKind::Policy => {
                let detected = match &value {
                    Some(Value::String(inner)) => policy_guard::policy::decode_document(inner)
                        .ok()
                        .and_then(|d| serde_json::from_str::<Value>(&d).ok())
                        .map(|v| policy_kind(&v)),
                    Some(v) => Some(policy_kind(v)),
                    None => None,
                };
                let kind: InputKind = detected.map_or(InputKind::Identity, Into::into);
                result.kind = Some(kind);
                self.check_whole(kind, value.as_ref(), text, &mut result);
            }
            other => self.check_whole(other, value.as_ref(), text, &mut result),
        }
        result
    }

    /// The common case, a file holding one identity or trust policy: recognised by the
    /// engine's strict parse and judged on it alone (not parsed a second time into a
    /// `serde_json::Value`). `false`, with `result` untouched, for everything else: resource
    /// policies (their account comes from the document), a policy the engine cannot parse,
    /// and other inputs take the general path.
    fn check_plain_policy(&mut self, text: &str, result: &mut FileResult) -> bool {
        if !crate::detect::may_be_policy_text(text) {
            return false;
        }
        let Ok(policy) = policy_guard::policy::parse_policy(text) else {
            return false;
        };
        let kind: InputKind = match crate::detect::parsed_policy_kind(&policy) {
            PolicyKind::Resource => return false,
            other => other.into(),
        };
        let Some(document_kind) = kind.document_kind() else {
            return false;
        };
        result.kind = Some(kind);
        let document = Document {
            text,
            kind: document_kind,
            account: self.account.as_deref(),
            arns: &[],
            origin: Origin {
                line: 1,
                ..Origin::default()
            },
            file_text: Some(text),
        };
        let options = CheckOptions {
            account: document.account,
            config: &self.config,
        };
        let raw = check_policy(&policy, document.kind, &options);
        self.record(document, raw, result);
        true
    }

    /// A file that is one document of a known kind.
    fn check_whole(
        &mut self,
        kind: InputKind,
        value: Option<&Value>,
        text: &str,
        result: &mut FileResult,
    ) {
        let Some(document_kind) = kind.document_kind() else {
            return;
        };
        let derived = match document_kind {
            DocumentKind::Resource => value.and_then(resource_account),
            _ => None,
        };
        let account = self.account.clone().or(derived);
        self.judge(
            Document {
                text,
                kind: document_kind,
                account: account.as_deref(),
                arns: &[],
                origin: Origin {
                    line: 1,
                    ..Origin::default()
                },
                file_text: Some(text),
            },
            result,
        );
    }

    /// `aws lambda get-policy` output (`Policy` is the document as a JSON string), or a plain
    /// resource policy.
    fn check_lambda_policy(&mut self, value: Option<&Value>, text: &str, result: &mut FileResult) {
        let Some(Value::String(policy)) = value.and_then(|v| v.get("Policy")) else {
            self.check_whole(InputKind::LambdaPolicy, value, text, result);
            return;
        };
        let inner: Option<Value> = serde_json::from_str(policy).ok();
        let account = self
            .account
            .clone()
            .or_else(|| inner.as_ref().and_then(resource_account));
        let line = line_of(text, &[Step::Key("Policy".into())]);
        self.judge(
            Document {
                text: policy,
                kind: DocumentKind::Resource,
                account: account.as_deref(),
                arns: &[],
                origin: Origin {
                    document: Some("Policy (the function's resource policy)".to_string()),
                    document_kind: Some(DocumentKind::Resource),
                    line,
                    ..Origin::default()
                },
                file_text: None,
            },
            result,
        );
    }

    /// Judges one document: the engine's rules, then the configuration (overrides,
    /// suppressions, minimum severity).
    pub fn judge(&mut self, document: Document<'_>, result: &mut FileResult) {
        let options = CheckOptions {
            account: document.account,
            config: &self.config,
        };
        let raw = check_document(document.text, document.kind, &options);
        self.record(document, raw, result);
    }

    /// The engine's findings for `document` after the configuration (overrides, suppressions,
    /// minimum severity), each with the line it points at.
    fn record(&self, document: Document<'_>, raw: Vec<Finding>, result: &mut FileResult) {
        let report = Report::new(raw).apply_config(&self.config, document.arns);
        result.suppressed.extend(report.suppressed);
        let mut locator = document.file_text.map(Locator::new);
        for finding in report.findings {
            let mut origin = document.origin.clone();
            if origin.document_kind.is_none() && origin.document.is_some() {
                origin.document_kind = Some(document.kind);
            }
            if let Some(locator) = locator.as_mut() {
                origin.line = locator.line_of(&parse_pointer(&finding.location.pointer));
            }
            result.items.push(Item { finding, origin });
        }
    }

    pub fn note(result: &mut FileResult, message: String, origin: Origin) {
        result.notes.push(Note { message, origin });
    }
}

/// The account a resource policy lives in, when every `Resource` ARN names the same one.
fn resource_account(document: &Value) -> Option<String> {
    let statements: Vec<&Value> = match document.get("Statement")? {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    let mut accounts: Vec<String> = Vec::new();
    for statement in statements {
        let resources: Vec<&str> = match statement.get("Resource") {
            Some(Value::String(r)) => vec![r.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for resource in resources {
            if let Some(arn) = parse_arn(resource) {
                if policy_guard::matching::is_account_id(arn.account)
                    && !accounts.iter().any(|a| a == arn.account)
                {
                    accounts.push(arn.account.to_string());
                }
            }
        }
    }
    match accounts.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

fn json_error(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Err(e) => format!("not valid JSON: {e}"),
        Ok(_) => "not valid JSON".to_string(),
    }
}
