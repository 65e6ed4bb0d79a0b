//! `policy-guard check`: every input through the same engine the guard runs. Which kind an
//! input is and what it holds come from `policy_guard_inputs`; this module sends each kind
//! to its judge.

use crate::input::{read_with, Source};
use crate::judge::{Checker, Document};
use crate::locate::{line_of, Step};
use crate::model::{FileResult, InputKind, Origin};
use policy_guard::rules::{check_policy, CheckOptions};
use policy_guard::DocumentKind;
use policy_guard_inputs::lambda::{get_policy_document, resource_account};
use policy_guard_inputs::{detect, named_as_boundary, parsed_policy_kind, policy_kind, PolicyKind};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

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
        let mut result = match read_with(source, &mut buffer) {
            Ok(text) => self.check_text(&path, text, source.walked()),
            Err(error) => FileResult::failed(&path, error),
        };
        // Only a name that is not UTF-8 needs its bytes kept (SARIF URIs name it exactly).
        if let Source::File { path, .. } = source {
            if path.to_str().is_none() {
                result.os_path = Some(path.clone());
            }
        }
        self.read_buffer = buffer;
        result
    }

    pub fn check_text(&mut self, path: &str, text: &str, walked: bool) -> FileResult {
        let mut result = FileResult::new(path);
        // An identity policy in a file named as a boundary is judged as one.
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let boundary = self.kind.is_none() && named_as_boundary(file_name);
        if self.kind.is_none() && self.check_plain_policy(text, boundary, &mut result) {
            return result;
        }
        let value: Option<Value> = serde_json::from_str(text).ok();
        let kind = match (self.kind, &value) {
            (Some(kind), _) => kind,
            (None, Some(value)) => match detect(value) {
                Some(InputKind::Identity) if boundary => InputKind::Boundary,
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
                let kind: InputKind = match detected.map_or(InputKind::Identity, Into::into) {
                    InputKind::Identity if boundary => InputKind::Boundary,
                    kind => kind,
                };
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
    fn check_plain_policy(&mut self, text: &str, boundary: bool, result: &mut FileResult) -> bool {
        if !may_be_policy_text(text) {
            return false;
        }
        let Ok(policy) = policy_guard::policy::parse_policy(text) else {
            return false;
        };
        let kind = parsed_policy_kind(&policy);
        if kind == PolicyKind::Resource {
            return false;
        }
        let kind: InputKind = match kind.into() {
            InputKind::Identity if boundary => InputKind::Boundary,
            kind => kind,
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
        if let (None, Some(id)) = (&self.account, &derived) {
            account_note(result, id);
        }
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
        let Some(policy) = value.and_then(get_policy_document) else {
            self.check_whole(InputKind::LambdaPolicy, value, text, result);
            return;
        };
        let inner: Option<Value> = serde_json::from_str(policy).ok();
        let derived = inner.as_ref().and_then(resource_account);
        if let (None, Some(id)) = (&self.account, &derived) {
            account_note(result, id);
        }
        let account = self.account.clone().or(derived);
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
}

/// Says which account a resource policy was judged in when `--account` did not set it.
fn account_note(result: &mut FileResult, account: &str) {
    Checker::note(
        result,
        format!(
            "The policy was judged as living in account {}, the account its Resource ARNs name; \
             pass --account to set it.",
            policy_guard::text::quoted(account)
        ),
        Origin {
            line: 1,
            ..Origin::default()
        },
    );
}

fn json_error(text: &str) -> String {
    match serde_json::from_str::<Value>(text) {
        Err(e) => format!("not valid JSON: {e}"),
        Ok(_) => "not valid JSON".to_string(),
    }
}

/// Whether `text` may be a policy document: an object whose first key is one of the policy
/// grammar's (`Version`, `Id`, `Statement`). A hint that costs a few bytes of scanning: the
/// engine's strict parse decides, and a document it accepts has no other top-level key, so
/// [`detect`] takes it for a policy too.
fn may_be_policy_text(text: &str) -> bool {
    crate::locate::first_key(text)
        .is_some_and(|key| matches!(key.as_str(), "Version" | "Id" | "Statement"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path (the first key, then the engine's parse) and the general one (a
    /// `serde_json::Value`) detect the same kind for every policy they both read.
    #[test]
    fn both_paths_detect_the_same_policy_kind() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts: Vec<String> = [
            r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":["sts:AssumeRole","sts:TagSession"]}]}"#,
            r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"lambda:InvokeFunction","Resource":"*"}}"#,
            r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"NotAction":"s3:*","Resource":"*"}]}"#,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#,
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for dir in [
            "../../shared/corpus/aws-managed-policies",
            "tests/fixtures/seeds",
        ] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                texts.push(std::fs::read_to_string(entry.unwrap().path()).unwrap());
            }
        }
        let mut compared = 0;
        for text in &texts {
            let value: Value = serde_json::from_str(text).unwrap();
            let general = detect(&value);
            if !may_be_policy_text(text) {
                continue;
            }
            if let Ok(policy) = policy_guard::policy::parse_policy(text) {
                assert_eq!(Some(parsed_policy_kind(&policy).into()), general, "{text}");
                compared += 1;
            }
        }
        // Not policies, though their first key is a policy's.
        for text in [
            r#"{"Version":"0","detail-type":"AWS API Call via CloudTrail","detail":{}}"#,
            r#"{"Statement":[],"Records":[]}"#,
            r#"{"Id":"x","Policy":"{}"}"#,
        ] {
            assert!(may_be_policy_text(text));
            assert!(policy_guard::policy::parse_policy(text).is_err(), "{text}");
        }
        assert!(!may_be_policy_text(
            r#"{"version":"0","id":"x","detail-type":"d"}"#
        ));
        assert!(!may_be_policy_text(r#"[{"Statement":[]}]"#));
        assert!(compared > 1_300, "{compared}");
    }
}
