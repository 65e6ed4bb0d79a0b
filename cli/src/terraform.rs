//! Terraform plans (`terraform show -json plan.out`): the IAM and Lambda documents a plan
//! would put in force, judged before they reach AWS.
//!
//! Read from `planned_values` (every module): `aws_iam_policy.policy` (an identity policy, or a
//! permissions boundary when an `aws_iam_role`'s `permissions_boundary` refers to it in the
//! configuration), `aws_iam_role.assume_role_policy` (trust), its `inline_policy` blocks and
//! `managed_policy_arns`, `aws_iam_{role,user,group}_policy.policy`, `aws_lambda_permission`
//! (the statement Lambda would add), `aws_lambda_function_url` (its auth type and CORS),
//! `*_policy_attachment` of policies not in the plan (resolved with `--policies`), and
//! `data.aws_iam_policy_document` that no checked resource already uses. A value Terraform
//! knows only after apply is a note, never a silent pass.

use crate::check::{Checker, Document};
use crate::locate::line_of_address;
use crate::model::{FileResult, Origin};
use policy_guard::change::PermissionRequest;
use policy_guard::matching::{is_account_id, parse_arn};
use policy_guard::text::quoted;
use policy_guard::DocumentKind;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};

/// A resource of the plan with its module-qualified address.
struct Resource<'a> {
    address: String,
    mode: String,
    kind: String,
    values: &'a Value,
}

/// What the configuration says about references between resources.
#[derive(Default)]
struct Configuration {
    /// Addresses of resources an `aws_iam_role`'s `permissions_boundary` refers to.
    boundaries: BTreeSet<String>,
    /// `data.aws_iam_policy_document` addresses a checked resource uses.
    consumed: BTreeSet<String>,
    /// Per resource address: the addresses its `policy_arn` / `policy_arns` /
    /// `managed_policy_arns` / `permissions_boundary` refer to.
    arn_refs: HashMap<String, BTreeSet<String>>,
}

/// Resource types whose documents are checked.
const CHECKED: &[&str] = &[
    "aws_iam_policy",
    "aws_iam_role",
    "aws_iam_role_policy",
    "aws_iam_user_policy",
    "aws_iam_group_policy",
    "aws_lambda_permission",
    "aws_lambda_function_url",
];

pub fn check(checker: &mut Checker, plan: &Value, text: &str, result: &mut FileResult) {
    let mut resources = Vec::new();
    if let Some(root) = plan.pointer("/planned_values/root_module") {
        collect_module(root, &mut resources);
    }
    // Data sources read during the plan are in the prior state, not in planned_values.
    let mut seen: BTreeSet<String> = resources.iter().map(|r| r.address.clone()).collect();
    let mut prior = Vec::new();
    if let Some(root) = plan.pointer("/prior_state/values/root_module") {
        collect_module(root, &mut prior);
    }
    let mut account = checker.account.clone();
    for resource in prior {
        if account.is_none() && resource.kind == "aws_caller_identity" {
            account = resource
                .values
                .get("account_id")
                .and_then(Value::as_str)
                .filter(|a| is_account_id(a))
                .map(str::to_string);
        }
        if resource.mode == "data" && seen.insert(resource.address.clone()) {
            resources.push(resource);
        }
    }
    let unknown = after_unknown(plan);
    let mut config = Configuration::default();
    if let Some(root) = plan.pointer("/configuration/root_module") {
        read_configuration(root, "", &mut config);
    }
    // ARNs of policies in the plan, so an attachment naming one by literal ARN is not
    // resolved twice.
    let plan_policy_arns: BTreeSet<String> = resources
        .iter()
        .filter(|r| r.kind == "aws_iam_policy")
        .filter_map(|r| r.values.get("arn").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let mut plan = Plan {
        checker,
        text,
        account,
        unknown: &unknown,
        config: &config,
        plan_policy_arns: &plan_policy_arns,
    };
    for resource in &resources {
        plan.resource(resource, result);
    }
}

struct Plan<'a> {
    checker: &'a mut Checker,
    text: &'a str,
    account: Option<String>,
    unknown: &'a HashMap<String, Value>,
    config: &'a Configuration,
    plan_policy_arns: &'a BTreeSet<String>,
}

impl Plan<'_> {
    fn resource(&mut self, r: &Resource<'_>, result: &mut FileResult) {
        let address = r.address.as_str();
        let v = r.values;
        if r.mode == "data" {
            if r.kind == "aws_iam_policy_document" && !self.config.consumed.contains(address) {
                match v.get("json").and_then(Value::as_str) {
                    Some(doc) => {
                        let kind = match serde_json::from_str::<Value>(doc) {
                            Ok(value) => match crate::detect::policy_kind(&value) {
                                crate::detect::PolicyKind::Identity => DocumentKind::Identity,
                                crate::detect::PolicyKind::Trust => DocumentKind::Trust,
                                crate::detect::PolicyKind::Resource => DocumentKind::Resource,
                            },
                            Err(_) => DocumentKind::Identity,
                        };
                        self.document(r, "json", doc, kind, &[], result);
                    }
                    None => self.unknown_note(r, "json", result),
                }
            }
            return;
        }
        match r.kind.as_str() {
            "aws_iam_policy" => {
                let kind = if self.config.boundaries.contains(address) {
                    DocumentKind::PermissionsBoundary
                } else {
                    DocumentKind::Identity
                };
                let arn = v
                    .get("arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| self.synthetic_arn("policy", v));
                let arns: Vec<&str> = arn.iter().map(String::as_str).collect();
                self.attribute(r, "policy", kind, &arns, result);
            }
            "aws_iam_role" => {
                let arn = v
                    .get("arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| self.synthetic_arn("role", v));
                let arns: Vec<&str> = arn.iter().map(String::as_str).collect();
                self.attribute(r, "assume_role_policy", DocumentKind::Trust, &arns, result);
                if let Some(Value::Array(blocks)) = v.get("inline_policy") {
                    for (i, block) in blocks.iter().enumerate() {
                        let name = block.get("name").and_then(Value::as_str).unwrap_or("");
                        let label = format!("inline_policy {}", quoted(name));
                        match block.get("policy").and_then(Value::as_str) {
                            Some(doc) if !doc.is_empty() => {
                                self.document(r, &label, doc, DocumentKind::Identity, &arns, result)
                            }
                            _ => {
                                let is_unknown = self
                                    .unknown
                                    .get(address)
                                    .and_then(|u| u.get("inline_policy"))
                                    .and_then(|u| u.get(i))
                                    .and_then(|u| u.get("policy"))
                                    .is_some_and(|u| u == &Value::Bool(true));
                                if is_unknown {
                                    self.note(
                                        r,
                                        format!(
                                            "The policy of {label} of {address} is known only \
                                             after apply: not checked."
                                        ),
                                        result,
                                    );
                                }
                            }
                        }
                    }
                }
                for arn in strings(v.get("managed_policy_arns")) {
                    self.attached(r, &arn, DocumentKind::Identity, result);
                }
                match v.get("permissions_boundary").and_then(Value::as_str) {
                    Some(arn) if !arn.is_empty() => {
                        self.attached(r, arn, DocumentKind::PermissionsBoundary, result);
                    }
                    _ => {}
                }
            }
            "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
                let owner = match r.kind.as_str() {
                    "aws_iam_role_policy" => ("role", "role"),
                    "aws_iam_user_policy" => ("user", "user"),
                    _ => ("group", "group"),
                };
                let arn = v
                    .get(owner.0)
                    .and_then(Value::as_str)
                    .and_then(|name| self.identity_arn(owner.1, name));
                let arns: Vec<&str> = arn.iter().map(String::as_str).collect();
                self.attribute(r, "policy", DocumentKind::Identity, &arns, result);
            }
            "aws_lambda_permission" => self.lambda_permission(r, result),
            "aws_lambda_function_url" => self.function_url(r, result),
            kind if kind.ends_with("_policy_attachment")
                || kind.ends_with("_policy_attachments_exclusive") =>
            {
                let mut arns = strings(v.get("policy_arn"));
                arns.extend(strings(v.get("policy_arns")));
                let known = !arns.is_empty();
                for arn in arns {
                    self.attached(r, &arn, DocumentKind::Identity, result);
                }
                if !known && !self.refers_to_plan_policy(address) {
                    self.note(
                        r,
                        format!(
                            "The policy ARN attached by {address} is known only after apply and \
                             is not a policy of this plan: not checked."
                        ),
                        result,
                    );
                }
            }
            _ => {}
        }
    }

    /// Checks a document-valued attribute, or notes that it is known only after apply.
    fn attribute(
        &mut self,
        r: &Resource<'_>,
        name: &str,
        kind: DocumentKind,
        arns: &[&str],
        result: &mut FileResult,
    ) {
        match r.values.get(name).and_then(Value::as_str) {
            Some(doc) if !doc.is_empty() => self.document(r, name, doc, kind, arns, result),
            _ => {
                if self.is_unknown(&r.address, name) {
                    self.unknown_note(r, name, result);
                }
            }
        }
    }

    fn document(
        &mut self,
        r: &Resource<'_>,
        attribute: &str,
        text: &str,
        kind: DocumentKind,
        arns: &[&str],
        result: &mut FileResult,
    ) {
        let account = self.account.clone();
        let origin = Origin {
            document: Some(format!("{} ({attribute})", r.address)),
            document_kind: Some(kind),
            line: line_of_address(self.text, &r.address),
            ..Origin::default()
        };
        self.checker.judge(
            Document {
                text,
                kind,
                account: account.as_deref(),
                arns,
                origin,
                file_text: None,
            },
            result,
        );
    }

    /// A managed policy attached (or used as a boundary) by ARN: resolved through
    /// `--policies`; unresolved, a note.
    fn attached(
        &mut self,
        r: &Resource<'_>,
        arn: &str,
        kind: DocumentKind,
        result: &mut FileResult,
    ) {
        if self.plan_policy_arns.contains(arn) {
            return;
        }
        let role = if kind == DocumentKind::PermissionsBoundary {
            "used as permissions boundary"
        } else {
            "attached"
        };
        let Some(dir) = self.checker.policies.as_mut() else {
            self.note(
                r,
                format!(
                    "{} {role} by {} was not checked: pass --policies DIR to resolve policy ARNs.",
                    quoted(arn),
                    r.address
                ),
                result,
            );
            return;
        };
        match dir.default_document(arn) {
            Ok((document, _)) => {
                let account = self.account.clone();
                let origin = Origin {
                    document: Some(format!("{arn} ({role} by {})", r.address)),
                    document_kind: Some(kind),
                    line: line_of_address(self.text, &r.address),
                    ..Origin::default()
                };
                let arns = [arn];
                self.checker.judge(
                    Document {
                        text: &document,
                        kind,
                        account: account.as_deref(),
                        arns: &arns,
                        origin,
                        file_text: None,
                    },
                    result,
                );
            }
            Err(why) => self.note(
                r,
                format!(
                    "{} {role} by {} could not be resolved: {why}.",
                    quoted(arn),
                    r.address
                ),
                result,
            ),
        }
    }

    /// The statement `AddPermission` would add, built as the guard builds it from a
    /// CloudTrail `AddPermission` request.
    fn lambda_permission(&mut self, r: &Resource<'_>, result: &mut FileResult) {
        let v = r.values;
        let text = |name: &str| {
            v.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(principal_text) = text("principal") else {
            if self.is_unknown(&r.address, "principal") {
                self.unknown_note(r, "principal", result);
            }
            return;
        };
        let function = text("function_name").unwrap_or_default();
        let qualifier = text("qualifier");
        let function_arn = if function.starts_with("arn:") {
            function.clone()
        } else {
            let name = if function.is_empty() {
                "*"
            } else {
                function.as_str()
            };
            match &qualifier {
                Some(q) => format!("arn:aws:lambda:*:*:function:{name}:{q}"),
                None => format!("arn:aws:lambda:*:*:function:{name}"),
            }
        };
        // Conditions Terraform knows only after apply are checked as present.
        let mut condition = |field: &str| match text(field) {
            Some(value) => Some(value),
            None if self.is_unknown(&r.address, field) => {
                self.note(
                    r,
                    format!(
                        "{field} of {} is known only after apply: checked as present.",
                        r.address
                    ),
                    result,
                );
                Some("(known after apply)".to_string())
            }
            None => None,
        };
        let request = PermissionRequest {
            statement_id: text("statement_id"),
            action: text("action").unwrap_or_else(|| "lambda:InvokeFunction".to_string()),
            principal: principal_text,
            function_arn: function_arn.clone(),
            source_arn: condition("source_arn"),
            source_account: condition("source_account"),
            principal_org_id: condition("principal_org_id"),
            function_url_auth_type: condition("function_url_auth_type"),
            event_source_token: condition("event_source_token"),
        };
        let document = json!({"Version": "2012-10-17", "Statement": [request.statement()]});
        let account = parse_arn(&function_arn)
            .map(|a| a.account.to_string())
            .filter(|a| is_account_id(a))
            .or_else(|| self.account.clone());
        let arns = [function_arn.as_str()];
        let origin = Origin {
            document: Some(format!("{} (statement Lambda adds)", r.address)),
            document_kind: Some(DocumentKind::Resource),
            line: line_of_address(self.text, &r.address),
            ..Origin::default()
        };
        self.checker.judge(
            Document {
                text: &document.to_string(),
                kind: DocumentKind::Resource,
                account: account.as_deref(),
                arns: &arns,
                origin,
                file_text: None,
            },
            result,
        );
    }

    /// `{"functionName", "authType", "cors"}` as `CreateFunctionUrlConfig` takes it.
    fn function_url(&mut self, r: &Resource<'_>, result: &mut FileResult) {
        let v = r.values;
        let mut document = Map::new();
        let function = v
            .get("function_name")
            .and_then(Value::as_str)
            .unwrap_or("*")
            .to_string();
        document.insert("functionName".into(), json!(function));
        match v.get("authorization_type").and_then(Value::as_str) {
            Some(auth) => {
                document.insert("authType".into(), json!(auth));
            }
            None => {
                if self.is_unknown(&r.address, "authorization_type") {
                    self.unknown_note(r, "authorization_type", result);
                }
                return;
            }
        }
        if let Some(Value::Array(blocks)) = v.get("cors") {
            if let Some(cors) = blocks.first() {
                let mut out = Map::new();
                out.insert(
                    "allowOrigins".into(),
                    json!(strings(cors.get("allow_origins"))),
                );
                if let Some(credentials) = cors.get("allow_credentials").and_then(Value::as_bool) {
                    out.insert("allowCredentials".into(), json!(credentials));
                }
                document.insert("cors".into(), Value::Object(out));
            }
        }
        let text = Value::Object(document).to_string();
        let arn = if function.starts_with("arn:") {
            function.clone()
        } else {
            format!("arn:aws:lambda:*:*:function:{function}")
        };
        let arns = [arn.as_str()];
        let account = self.account.clone();
        let origin = Origin {
            document: Some(format!("{} (function URL)", r.address)),
            document_kind: Some(DocumentKind::FunctionUrlConfig),
            line: line_of_address(self.text, &r.address),
            ..Origin::default()
        };
        self.checker.judge(
            Document {
                text: &text,
                kind: DocumentKind::FunctionUrlConfig,
                account: account.as_deref(),
                arns: &arns,
                origin,
                file_text: None,
            },
            result,
        );
    }

    fn is_unknown(&self, address: &str, attribute: &str) -> bool {
        self.unknown
            .get(address)
            .and_then(|u| u.get(attribute))
            .is_some_and(|u| u == &Value::Bool(true))
    }

    fn unknown_note(&mut self, r: &Resource<'_>, attribute: &str, result: &mut FileResult) {
        self.note(
            r,
            format!(
                "{attribute} of {} is known only after apply: not checked.",
                r.address
            ),
            result,
        );
    }

    fn note(&mut self, r: &Resource<'_>, message: String, result: &mut FileResult) {
        Checker::note(
            result,
            message,
            Origin {
                document: Some(r.address.clone()),
                line: line_of_address(self.text, &r.address),
                ..Origin::default()
            },
        );
    }

    /// Whether the configuration's `policy_arn` of `address` refers to a policy in the plan.
    fn refers_to_plan_policy(&self, address: &str) -> bool {
        self.config
            .arn_refs
            .get(address)
            .is_some_and(|refs| refs.iter().any(|r| r.contains("aws_iam_policy.")))
    }

    /// `arn:aws:iam::<account or *>:policy/<path><name>` for suppressions, before apply.
    fn synthetic_arn(&self, what: &str, values: &Value) -> Option<String> {
        let name = values.get("name").and_then(Value::as_str)?;
        let path = values.get("path").and_then(Value::as_str).unwrap_or("/");
        let account = self.account.as_deref().unwrap_or("*");
        Some(format!("arn:aws:iam::{account}:{what}{path}{name}"))
    }

    fn identity_arn(&self, what: &str, name: &str) -> Option<String> {
        if name.starts_with("arn:") {
            return Some(name.to_string());
        }
        let name = name.rsplit(':').next().unwrap_or(name);
        let account = self.account.as_deref().unwrap_or("*");
        Some(format!("arn:aws:iam::{account}:{what}/{name}"))
    }
}

fn collect_module<'a>(module: &'a Value, out: &mut Vec<Resource<'a>>) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for r in resources {
            let field = |name: &str| {
                r.get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            let Some(values) = r.get("values") else {
                continue;
            };
            out.push(Resource {
                address: field("address"),
                mode: field("mode"),
                kind: field("type"),
                values,
            });
        }
    }
    if let Some(Value::Array(children)) = module.get("child_modules") {
        for child in children {
            collect_module(child, out);
        }
    }
}

/// `resource_changes[].change.after_unknown` by address.
fn after_unknown(plan: &Value) -> HashMap<String, Value> {
    let mut map = HashMap::new();
    if let Some(Value::Array(changes)) = plan.get("resource_changes") {
        for change in changes {
            let address = change.get("address").and_then(Value::as_str);
            let unknown = change.pointer("/change/after_unknown");
            if let (Some(address), Some(unknown)) = (address, unknown) {
                map.insert(address.to_string(), unknown.clone());
            }
        }
    }
    map
}

fn read_configuration(module: &Value, prefix: &str, out: &mut Configuration) {
    if let Some(Value::Array(resources)) = module.get("resources") {
        for r in resources {
            let Some(address) = r.get("address").and_then(Value::as_str) else {
                continue;
            };
            let address = format!("{prefix}{address}");
            let kind = r.get("type").and_then(Value::as_str).unwrap_or_default();
            let expressions = r.get("expressions");
            let refs = |name: &str| -> Vec<String> {
                let mut found = Vec::new();
                if let Some(expression) = expressions.and_then(|e| e.get(name)) {
                    references(expression, &mut found);
                }
                found.into_iter().map(|r| format!("{prefix}{r}")).collect()
            };
            if kind == "aws_iam_role" {
                for reference in refs("permissions_boundary") {
                    out.boundaries.insert(trim_attribute(&reference));
                }
            }
            if CHECKED.contains(&kind) {
                for name in ["policy", "assume_role_policy", "inline_policy"] {
                    for reference in refs(name) {
                        if reference.contains("data.aws_iam_policy_document.") {
                            out.consumed.insert(trim_attribute(&reference));
                        }
                    }
                }
            }
            let mut arn_refs = BTreeSet::new();
            for name in [
                "policy_arn",
                "policy_arns",
                "managed_policy_arns",
                "permissions_boundary",
            ] {
                arn_refs.extend(refs(name));
            }
            if !arn_refs.is_empty() {
                out.arn_refs.insert(address, arn_refs);
            }
        }
    }
    if let Some(Value::Object(calls)) = module.get("module_calls") {
        for (name, call) in calls {
            if let Some(child) = call.get("module") {
                read_configuration(child, &format!("{prefix}module.{name}."), out);
            }
        }
    }
}

/// Every `references` list anywhere under an expression (blocks nest them).
fn references(expression: &Value, out: &mut Vec<String>) {
    match expression {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "references" {
                    out.extend(strings(Some(value)));
                } else {
                    references(value, out);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                references(item, out);
            }
        }
        _ => {}
    }
}

/// `aws_iam_policy.boundary.arn` → `aws_iam_policy.boundary`;
/// `data.aws_iam_policy_document.x.json` → `data.aws_iam_policy_document.x`.
fn trim_attribute(reference: &str) -> String {
    let parts: Vec<&str> = reference.split('.').collect();
    let module_parts = parts
        .chunks(2)
        .take_while(|pair| pair.first() == Some(&"module"))
        .count()
        * 2;
    let rest = parts.get(module_parts..).unwrap_or_default();
    let keep = if rest.first() == Some(&"data") { 3 } else { 2 };
    let end = (module_parts + keep).min(parts.len());
    parts.get(..end).unwrap_or_default().join(".")
}

/// A string or a list of strings.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) if !s.is_empty() => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_trim_to_resource_addresses() {
        assert_eq!(
            trim_attribute("aws_iam_policy.boundary.arn"),
            "aws_iam_policy.boundary"
        );
        assert_eq!(
            trim_attribute("data.aws_iam_policy_document.x.json"),
            "data.aws_iam_policy_document.x"
        );
        assert_eq!(
            trim_attribute("module.iam.aws_iam_policy.b.arn"),
            "module.iam.aws_iam_policy.b"
        );
        assert_eq!(trim_attribute("aws_iam_policy.b"), "aws_iam_policy.b");
    }
}
