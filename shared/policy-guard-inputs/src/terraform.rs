//! Terraform plans (`terraform show -json plan.out`): the IAM and Lambda documents a plan
//! would put in force, and what each belongs to. Reading only: the caller judges them.
//!
//! Read from `planned_values` (every module): `aws_iam_policy.policy` (an identity policy, or a
//! permissions boundary when an `aws_iam_role`'s `permissions_boundary` refers to it in the
//! configuration), `aws_iam_role.assume_role_policy` (trust), its `inline_policy` blocks and
//! `managed_policy_arns`, `aws_iam_{role,user,group}_policy.policy`, `aws_lambda_permission`
//! (the statement Lambda would add), `aws_lambda_function_url` (its auth type and CORS),
//! `*_policy_attachment` of policies not in the plan (references for the caller to resolve),
//! and `data.aws_iam_policy_document` that no checked resource already uses. A value Terraform
//! knows only after apply is a [`PlanNote`], never a silent pass.

use crate::detect::policy_kind;
use crate::policy_document::{is_unknown, rebuild, Placeholders};
pub use crate::policy_document::{Treatment, UnknownValue};
use policy_guard::change::PermissionRequest;
use policy_guard::matching::{is_account_id, lambda_function_arn, parse_arn};
use policy_guard::DocumentKind;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// What a plan holds for policy-guard, in the order of its resources.
#[derive(Debug)]
pub struct PlanReading<'a> {
    pub items: Vec<PlanItem<'a>>,
    /// The account the documents were judged in, and where it came from.
    pub account: Option<PlanAccount>,
}

/// The account a plan's documents live in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAccount {
    pub id: String,
    pub source: AccountSource,
}

/// Where a plan's account came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountSource {
    /// The caller (`--account`).
    Given,
    /// The `account_id` of a `data.aws_caller_identity`.
    CallerIdentity { address: String },
    /// The one account every account-qualified ARN among the resources' attributes names:
    /// the first such attribute.
    Arn { address: String, attribute: String },
}

#[derive(Debug)]
pub enum PlanItem<'a> {
    /// A document to judge.
    Document(PlanDocument<'a>),
    /// A managed policy named by ARN and not in the plan: its document must be resolved.
    Attached(AttachedPolicy),
    /// Something the plan does not say yet.
    Note(PlanNote),
}

/// A document of the plan.
#[derive(Debug)]
pub struct PlanDocument<'a> {
    /// The resource's module-qualified address.
    pub address: String,
    pub source: DocumentSource,
    pub text: Cow<'a, str>,
    pub kind: DocumentKind,
    /// The account the document lives in, when known.
    pub account: Option<String>,
    /// ARNs suppressions may name.
    pub arns: Vec<String>,
}

/// Which part of a resource a document is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentSource {
    /// A document-valued attribute (`policy`, `assume_role_policy`, `json`).
    Attribute(&'static str),
    /// An `aws_iam_role` `inline_policy` block, by its name.
    InlinePolicy(String),
    /// The statement `AddPermission` adds for an `aws_lambda_permission`.
    AddedStatement,
    /// The configuration of an `aws_lambda_function_url`.
    FunctionUrl,
}

/// A managed policy a resource attaches (or uses as a permissions boundary) by ARN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedPolicy {
    pub address: String,
    pub arn: String,
    /// [`DocumentKind::PermissionsBoundary`] for a boundary, else [`DocumentKind::Identity`].
    pub kind: DocumentKind,
    pub account: Option<String>,
}

/// A value Terraform knows only after apply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanNote {
    /// A document-valued attribute (or a field a document is built from): not checked.
    /// `references` are what the configuration builds it from (`aws_sqs_queue.q.arn`), when
    /// the plan says.
    Attribute {
        address: String,
        attribute: &'static str,
        references: Vec<String>,
    },
    /// A document built by an `aws_iam_policy_document` data source read during apply
    /// (`data_source`), judged from its `statement` blocks: these values are unknown, each
    /// judged as its [`Treatment`] says. `judged` is `false` when they left nothing to judge
    /// (every statement left out, unknown source documents).
    Unknown {
        address: String,
        attribute: &'static str,
        data_source: String,
        values: Vec<UnknownValue>,
        judged: bool,
    },
    /// The `policy` of an `inline_policy` block: not checked.
    InlinePolicy { address: String, name: String },
    /// An attachment's policy ARN that does not refer to a policy of the plan: not checked.
    Attachment { address: String },
    /// A condition of an `aws_lambda_permission`: checked as present.
    Condition {
        address: String,
        field: &'static str,
    },
}

impl PlanNote {
    /// Whether what the note is about was judged all the same (a condition checked as
    /// present); `false` when a document was not judged at all.
    pub fn judged(&self) -> bool {
        match self {
            PlanNote::Condition { .. } => true,
            PlanNote::Unknown { judged, .. } => *judged,
            _ => false,
        }
    }

    /// The resource the note is about.
    pub fn address(&self) -> &str {
        match self {
            PlanNote::Attribute { address, .. }
            | PlanNote::Unknown { address, .. }
            | PlanNote::InlinePolicy { address, .. }
            | PlanNote::Attachment { address }
            | PlanNote::Condition { address, .. } => address,
        }
    }
}

/// The value a condition Terraform knows only after apply is checked with.
pub const KNOWN_AFTER_APPLY: &str = "(known after apply)";

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
    /// Per checked resource address and document-valued attribute: what it refers to.
    attribute_refs: HashMap<(String, &'static str), Vec<String>>,
    /// The expressions of each `data.aws_iam_policy_document` (its `statement` blocks'
    /// references), by address.
    document_expressions: HashMap<String, Value>,
    /// The AWS provider's `region`, when the configuration sets it as a constant.
    region: Option<String>,
    /// Per `aws_iam_role` address and `inline_policy` block index: what its `policy` refers to.
    inline_refs: HashMap<(String, usize), Vec<String>>,
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

/// Reads `plan`. `account` is the account its documents live in when the caller knows it;
/// else the plan's `data.aws_caller_identity`, if it has one.
pub fn read_plan<'a>(plan: &'a Value, account: Option<&str>) -> PlanReading<'a> {
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
    let mut account = account.map(|id| PlanAccount {
        id: id.to_string(),
        source: AccountSource::Given,
    });
    for resource in prior {
        if account.is_none() && resource.kind == "aws_caller_identity" {
            account = resource
                .values
                .get("account_id")
                .and_then(Value::as_str)
                .filter(|a| is_account_id(a))
                .map(|id| PlanAccount {
                    id: id.to_string(),
                    source: AccountSource::CallerIdentity {
                        address: resource.address.clone(),
                    },
                });
        }
        if resource.mode == "data" && seen.insert(resource.address.clone()) {
            resources.push(resource);
        }
    }
    if account.is_none() {
        account = account_of_arns(&resources);
    }
    let unknown = after_unknown(plan);
    let mut config = Configuration::default();
    if let Some(root) = plan.pointer("/configuration/root_module") {
        read_configuration(root, "", &mut config);
    }
    config.region = plan
        .pointer("/configuration/provider_config/aws/expressions/region/constant_value")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut values: HashMap<String, &Value> = resources
        .iter()
        .map(|r| (r.address.clone(), r.values))
        .collect();
    // A data source read during apply may be only in `resource_changes` (action `read`), with
    // what is known of it in `after`.
    if let Some(Value::Array(changes)) = plan.get("resource_changes") {
        for change in changes {
            let field = |name: &str| change.get(name).and_then(Value::as_str);
            if let (Some(address), Some("data"), Some(after)) = (
                field("address"),
                field("mode"),
                change.pointer("/change/after"),
            ) {
                values.entry(address.to_string()).or_insert(after);
            }
        }
    }
    // ARNs of policies in the plan, so an attachment naming one by literal ARN is not
    // resolved twice.
    let plan_policy_arns: BTreeSet<String> = resources
        .iter()
        .filter(|r| r.kind == "aws_iam_policy")
        .filter_map(|r| r.values.get("arn").and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    let mut reader = Reader {
        account: account.as_ref().map(|a| a.id.clone()),
        unknown: &unknown,
        config: &config,
        plan_policy_arns: &plan_policy_arns,
        values: &values,
        items: Vec::new(),
    };
    for resource in &resources {
        reader.resource(resource);
    }
    PlanReading {
        items: reader.items,
        account,
    }
}

/// The account of the plan's ARNs: the account-qualified ARNs among the resources' top-level
/// attributes (a string or a list of strings; documents are not read: a principal names
/// other accounts) when they all name one account.
fn account_of_arns(resources: &[Resource<'_>]) -> Option<PlanAccount> {
    let mut found: Option<PlanAccount> = None;
    for resource in resources {
        let Value::Object(values) = resource.values else {
            continue;
        };
        for (attribute, value) in values {
            let texts: Vec<&str> = match value {
                Value::String(text) => vec![text.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            for text in texts {
                let Some(arn) = parse_arn(text) else {
                    continue;
                };
                if !is_account_id(arn.account) {
                    continue;
                }
                match &found {
                    Some(account) if account.id != arn.account => return None,
                    Some(_) => {}
                    None => {
                        found = Some(PlanAccount {
                            id: arn.account.to_string(),
                            source: AccountSource::Arn {
                                address: resource.address.clone(),
                                attribute: attribute.clone(),
                            },
                        });
                    }
                }
            }
        }
    }
    found
}

struct Reader<'a, 'p> {
    account: Option<String>,
    unknown: &'a HashMap<String, Value>,
    config: &'a Configuration,
    plan_policy_arns: &'a BTreeSet<String>,
    /// Every resource's planned values, by address.
    values: &'a HashMap<String, &'p Value>,
    items: Vec<PlanItem<'p>>,
}

impl<'p> Reader<'_, 'p> {
    fn resource(&mut self, r: &Resource<'p>) {
        let address = r.address.as_str();
        let v = r.values;
        if r.mode == "data" {
            if r.kind == "aws_iam_policy_document" && !self.config.consumed.contains(address) {
                match v.get("json").and_then(Value::as_str) {
                    Some(doc) => {
                        let kind = serde_json::from_str::<Value>(doc)
                            .map_or(DocumentKind::Identity, |value| {
                                policy_kind(&value).document_kind()
                            });
                        self.document(r, DocumentSource::Attribute("json"), doc, kind, Vec::new());
                    }
                    None => {
                        if !self.judge_blocks(
                            r,
                            DocumentSource::Attribute("json"),
                            "json",
                            address,
                            None,
                            Vec::new(),
                        ) {
                            self.unknown_note(r, "json");
                        }
                    }
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
                self.attribute(r, "policy", kind, arn.into_iter().collect());
            }
            "aws_iam_role" => {
                let arn = v
                    .get("arn")
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .or_else(|| self.synthetic_arn("role", v));
                let arns: Vec<String> = arn.into_iter().collect();
                self.attribute(r, "assume_role_policy", DocumentKind::Trust, arns.clone());
                if let Some(Value::Array(blocks)) = v.get("inline_policy") {
                    for (i, block) in blocks.iter().enumerate() {
                        let name = block.get("name").and_then(Value::as_str).unwrap_or("");
                        match block.get("policy").and_then(Value::as_str) {
                            Some(doc) if !doc.is_empty() => self.document(
                                r,
                                DocumentSource::InlinePolicy(name.to_string()),
                                doc,
                                DocumentKind::Identity,
                                arns.clone(),
                            ),
                            _ => {
                                let block_unknown = self
                                    .unknown
                                    .get(address)
                                    .and_then(|u| u.get("inline_policy"));
                                let is_unknown = is_unknown(
                                    block_unknown
                                        .and_then(|u| u.get(i))
                                        .and_then(|u| u.get("policy")),
                                ) || is_unknown(block_unknown);
                                let data_source = self
                                    .config
                                    .inline_refs
                                    .get(&(r.address.clone(), i))
                                    .and_then(|refs| data_source_of(refs));
                                let judged = is_unknown
                                    && data_source.is_some_and(|data| {
                                        self.judge_blocks(
                                            r,
                                            DocumentSource::InlinePolicy(name.to_string()),
                                            "inline_policy",
                                            &data,
                                            Some(DocumentKind::Identity),
                                            arns.clone(),
                                        )
                                    });
                                if is_unknown && !judged {
                                    self.items.push(PlanItem::Note(PlanNote::InlinePolicy {
                                        address: r.address.clone(),
                                        name: name.to_string(),
                                    }));
                                }
                            }
                        }
                    }
                }
                for arn in strings(v.get("managed_policy_arns")) {
                    self.attached(r, &arn, DocumentKind::Identity);
                }
                match v.get("permissions_boundary").and_then(Value::as_str) {
                    Some(arn) if !arn.is_empty() => {
                        self.attached(r, arn, DocumentKind::PermissionsBoundary);
                    }
                    _ => {}
                }
            }
            "aws_iam_role_policy" | "aws_iam_user_policy" | "aws_iam_group_policy" => {
                let owner = match r.kind.as_str() {
                    "aws_iam_role_policy" => "role",
                    "aws_iam_user_policy" => "user",
                    _ => "group",
                };
                let arn = v
                    .get(owner)
                    .and_then(Value::as_str)
                    .map(|name| self.identity_arn(owner, name));
                self.attribute(
                    r,
                    "policy",
                    DocumentKind::Identity,
                    arn.into_iter().collect(),
                );
            }
            "aws_lambda_permission" => self.lambda_permission(r),
            "aws_lambda_function_url" => self.function_url(r),
            kind if kind.ends_with("_policy_attachment")
                || kind.ends_with("_policy_attachments_exclusive") =>
            {
                let mut arns = strings(v.get("policy_arn"));
                arns.extend(strings(v.get("policy_arns")));
                let known = !arns.is_empty();
                for arn in arns {
                    self.attached(r, &arn, DocumentKind::Identity);
                }
                if !known && !self.refers_to_plan_policy(address) {
                    self.items.push(PlanItem::Note(PlanNote::Attachment {
                        address: r.address.clone(),
                    }));
                }
            }
            _ => {}
        }
    }

    /// A document-valued attribute, or a note that it is known only after apply.
    fn attribute(
        &mut self,
        r: &Resource<'p>,
        name: &'static str,
        kind: DocumentKind,
        arns: Vec<String>,
    ) {
        match r.values.get(name).and_then(Value::as_str) {
            Some(doc) if !doc.is_empty() => {
                self.document(r, DocumentSource::Attribute(name), doc, kind, arns);
            }
            _ => {
                if self.is_unknown(&r.address, name) {
                    // Built by a data source read during apply: judged from its blocks.
                    let data_source = self
                        .config
                        .attribute_refs
                        .get(&(r.address.clone(), name))
                        .and_then(|refs| data_source_of(refs));
                    let judged = data_source.is_some_and(|data| {
                        self.judge_blocks(
                            r,
                            DocumentSource::Attribute(name),
                            name,
                            &data,
                            Some(kind),
                            arns.clone(),
                        )
                    });
                    if !judged {
                        self.unknown_note(r, name);
                    }
                }
            }
        }
    }

    /// The document of `data_source` (an `aws_iam_policy_document` whose `json` is known only
    /// after apply) rebuilt from its `statement` blocks, as `r`'s `attribute`, with a note
    /// listing the unknown values. `false` when the blocks cannot rebuild it.
    fn judge_blocks(
        &mut self,
        r: &Resource<'p>,
        source: DocumentSource,
        attribute: &'static str,
        data_source: &str,
        kind: Option<DocumentKind>,
        arns: Vec<String>,
    ) -> bool {
        let Some(values) = self.values.get(data_source) else {
            return false;
        };
        let placeholders = PlanPlaceholders {
            values: self.values,
            account: self.account.as_deref(),
            region: self.config.region.as_deref(),
        };
        let (document, unknowns) = rebuild(
            values,
            self.unknown.get(data_source),
            self.config.document_expressions.get(data_source),
            &placeholders,
        );
        let Some(text) = document else {
            if unknowns.is_empty() {
                return false;
            }
            // Nothing left to judge: say which unknown values left it out.
            self.items.push(PlanItem::Note(PlanNote::Unknown {
                address: r.address.clone(),
                attribute,
                data_source: data_source.to_string(),
                values: unknowns,
                judged: false,
            }));
            return true;
        };
        let kind = kind.unwrap_or_else(|| {
            serde_json::from_str::<Value>(&text).map_or(DocumentKind::Identity, |value| {
                policy_kind(&value).document_kind()
            })
        });
        self.items.push(PlanItem::Document(PlanDocument {
            address: r.address.clone(),
            source,
            text: Cow::Owned(text),
            kind,
            account: self.account.clone(),
            arns,
        }));
        self.items.push(PlanItem::Note(PlanNote::Unknown {
            address: r.address.clone(),
            attribute,
            data_source: data_source.to_string(),
            values: unknowns,
            judged: true,
        }));
        true
    }

    fn document(
        &mut self,
        r: &Resource<'p>,
        source: DocumentSource,
        text: &'p str,
        kind: DocumentKind,
        arns: Vec<String>,
    ) {
        self.items.push(PlanItem::Document(PlanDocument {
            address: r.address.clone(),
            source,
            text: Cow::Borrowed(text),
            kind,
            account: self.account.clone(),
            arns,
        }));
    }

    /// A managed policy attached (or used as a boundary) by ARN, unless it is in the plan.
    fn attached(&mut self, r: &Resource<'p>, arn: &str, kind: DocumentKind) {
        if self.plan_policy_arns.contains(arn) {
            return;
        }
        self.items.push(PlanItem::Attached(AttachedPolicy {
            address: r.address.clone(),
            arn: arn.to_string(),
            kind,
            account: self.account.clone(),
        }));
    }

    /// The statement `AddPermission` would add, built as the guard builds it from a
    /// CloudTrail `AddPermission` request.
    fn lambda_permission(&mut self, r: &Resource<'p>) {
        let v = r.values;
        let text = |name: &str| {
            v.get(name)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let Some(principal_text) = text("principal") else {
            if self.is_unknown(&r.address, "principal") {
                self.unknown_note(r, "principal");
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
            lambda_function_arn("*", "*", name, qualifier.as_deref())
        };
        // Conditions Terraform knows only after apply are checked as present.
        let mut condition = |field: &'static str| match text(field) {
            Some(value) => Some(value),
            None if self.is_unknown(&r.address, field) => {
                self.items.push(PlanItem::Note(PlanNote::Condition {
                    address: r.address.clone(),
                    field,
                }));
                Some(KNOWN_AFTER_APPLY.to_string())
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
        self.items.push(PlanItem::Document(PlanDocument {
            address: r.address.clone(),
            source: DocumentSource::AddedStatement,
            text: Cow::Owned(document.to_string()),
            kind: DocumentKind::Resource,
            account,
            arns: vec![function_arn],
        }));
    }

    /// `{"functionName", "authType", "cors"}` as `CreateFunctionUrlConfig` takes it.
    fn function_url(&mut self, r: &Resource<'p>) {
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
                    self.unknown_note(r, "authorization_type");
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
        let arn = if function.starts_with("arn:") {
            function
        } else {
            lambda_function_arn("*", "*", &function, None)
        };
        self.items.push(PlanItem::Document(PlanDocument {
            address: r.address.clone(),
            source: DocumentSource::FunctionUrl,
            text: Cow::Owned(Value::Object(document).to_string()),
            kind: DocumentKind::FunctionUrlConfig,
            account: self.account.clone(),
            arns: vec![arn],
        }));
    }

    fn is_unknown(&self, address: &str, attribute: &str) -> bool {
        is_unknown(self.unknown.get(address).and_then(|u| u.get(attribute)))
    }

    fn unknown_note(&mut self, r: &Resource<'p>, attribute: &'static str) {
        let references = self
            .config
            .attribute_refs
            .get(&(r.address.clone(), attribute))
            .map(|refs| {
                refs.iter()
                    .filter(|r| !refs.iter().any(|o| o.starts_with(&format!("{r}."))))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        self.items.push(PlanItem::Note(PlanNote::Attribute {
            address: r.address.clone(),
            attribute,
            references,
        }));
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

    fn identity_arn(&self, what: &str, name: &str) -> String {
        if name.starts_with("arn:") {
            return name.to_string();
        }
        let name = name.rsplit(':').next().unwrap_or(name);
        let account = self.account.as_deref().unwrap_or("*");
        format!("arn:aws:iam::{account}:{what}/{name}")
    }
}

/// The `aws_iam_policy_document` data source among an expression's references.
fn data_source_of(references: &[String]) -> Option<String> {
    references
        .iter()
        .find(|r| r.contains("data.aws_iam_policy_document."))
        .map(|r| trim_attribute(r))
}

/// Placeholder ARNs from the plan: the referenced resource's type and planned name, the
/// account (else `*`) and the provider's region (else `*`).
struct PlanPlaceholders<'a, 'p> {
    values: &'a HashMap<String, &'p Value>,
    account: Option<&'a str>,
    region: Option<&'a str>,
}

impl Placeholders for PlanPlaceholders<'_, '_> {
    fn arn_for(&self, reference: &str) -> Option<String> {
        let address = reference.strip_suffix(".arn")?;
        let mut parts = address.rsplit('.');
        let name = parts.next()?;
        let kind = parts.next()?;
        let values = self.values.get(address);
        let field = |key: &str| {
            values
                .and_then(|v| v.get(key))
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let named = |key: &str| field(key).unwrap_or_else(|| name.to_string());
        let account = self.account.unwrap_or("*");
        let region = self.region.unwrap_or("*");
        let arn = match kind {
            "aws_sqs_queue" => format!("arn:aws:sqs:{region}:{account}:{}", named("name")),
            "aws_sns_topic" => format!("arn:aws:sns:{region}:{account}:{}", named("name")),
            "aws_s3_bucket" => format!("arn:aws:s3:::{}", named("bucket")),
            "aws_dynamodb_table" => {
                format!(
                    "arn:aws:dynamodb:{region}:{account}:table/{}",
                    named("name")
                )
            }
            "aws_lambda_function" => format!(
                "arn:aws:lambda:{region}:{account}:function:{}",
                named("function_name")
            ),
            "aws_iam_role" => format!("arn:aws:iam::{account}:role/{}", named("name")),
            "aws_iam_user" => format!("arn:aws:iam::{account}:user/{}", named("name")),
            "aws_iam_policy" => format!("arn:aws:iam::{account}:policy/{}", named("name")),
            "aws_kms_key" => format!("arn:aws:kms:{region}:{account}:key/{name}"),
            "aws_cloudwatch_log_group" => {
                format!(
                    "arn:aws:logs:{region}:{account}:log-group:{}",
                    named("name")
                )
            }
            "aws_secretsmanager_secret" => format!(
                "arn:aws:secretsmanager:{region}:{account}:secret:{}",
                named("name")
            ),
            "aws_kinesis_stream" => {
                format!(
                    "arn:aws:kinesis:{region}:{account}:stream/{}",
                    named("name")
                )
            }
            _ => return None,
        };
        Some(arn)
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
            // Every finding names its resource: a resource whose `address` is missing (a
            // hand-edited or truncated plan) is named by its type and name instead.
            let address = match field("address") {
                address if !address.is_empty() => address,
                _ => match (field("type"), field("name")) {
                    (kind, name) if !kind.is_empty() && !name.is_empty() => {
                        format!("{kind}.{name}")
                    }
                    _ => "(resource without an address)".to_string(),
                },
            };
            out.push(Resource {
                address,
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
                if let Some(Value::Array(blocks)) = expressions.and_then(|e| e.get("inline_policy"))
                {
                    for (i, block) in blocks.iter().enumerate() {
                        let mut found = Vec::new();
                        if let Some(policy) = block.get("policy") {
                            references(policy, &mut found);
                        }
                        let found: Vec<String> =
                            found.into_iter().map(|r| format!("{prefix}{r}")).collect();
                        if !found.is_empty() {
                            out.inline_refs.insert((address.clone(), i), found);
                        }
                    }
                }
            }
            if CHECKED.contains(&kind) {
                for name in ["policy", "assume_role_policy", "inline_policy"] {
                    let found = refs(name);
                    for reference in &found {
                        if reference.contains("data.aws_iam_policy_document.") {
                            out.consumed.insert(trim_attribute(reference));
                        }
                    }
                    if !found.is_empty() {
                        out.attribute_refs.insert((address.clone(), name), found);
                    }
                }
            }
            if kind == "aws_iam_policy_document" {
                if let Some(expressions) = expressions {
                    out.document_expressions
                        .insert(address.clone(), prefixed(expressions, prefix));
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

/// `expressions` with every reference inside a module prefixed by the module's address.
fn prefixed(expressions: &Value, prefix: &str) -> Value {
    match expressions {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), value) {
                        ("references", Value::Array(items)) => Value::Array(
                            items
                                .iter()
                                .map(|r| match r.as_str() {
                                    Some(r) => Value::String(format!("{prefix}{r}")),
                                    None => r.clone(),
                                })
                                .collect(),
                        ),
                        _ => prefixed(value, prefix),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| prefixed(i, prefix)).collect()),
        other => other.clone(),
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

    /// The CLI's plan fixture, read without judging: every kind of item, in resource order.
    #[test]
    fn the_fixture_plan_reads_documents_references_and_notes() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../cli/tests/fixtures/terraform/plan.json"
        );
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let reading = read_plan(&plan, None);
        let documents = reading
            .items
            .iter()
            .filter(|i| matches!(i, PlanItem::Document(_)))
            .count();
        assert!(documents > 3, "{:?}", reading.items);
        assert!(reading.items.iter().any(|i| matches!(
            i,
            PlanItem::Document(PlanDocument {
                source: DocumentSource::AddedStatement,
                kind: DocumentKind::Resource,
                ..
            })
        )));
        assert!(reading
            .items
            .iter()
            .any(|i| matches!(i, PlanItem::Attached(_))));
    }

    /// The unknowns fixture (real Terraform): a policy built by a data source read during
    /// apply is rebuilt with a placeholder queue ARN; a jsonencode policy is a note naming
    /// what it is built from; no account is known.
    #[test]
    fn the_unknowns_fixture_judges_what_is_known() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../cli/tests/fixtures/terraform/plan-unknowns.json"
        );
        let plan: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let reading = read_plan(&plan, None);
        assert_eq!(reading.account, None);
        let document = reading
            .items
            .iter()
            .find_map(|i| match i {
                PlanItem::Document(d) if d.address == "aws_iam_policy.from_document" => Some(d),
                _ => None,
            })
            .unwrap();
        let value: Value = serde_json::from_str(&document.text).unwrap();
        assert_eq!(
            value["Statement"][0]["Resource"],
            json!(["arn:aws:sqs:us-east-1:*:orders"])
        );
        assert_eq!(value["Statement"][1]["Action"], json!(["*"]));
        let notes: Vec<&PlanNote> = reading
            .items
            .iter()
            .filter_map(|i| match i {
                PlanItem::Note(n) => Some(n),
                _ => None,
            })
            .collect();
        assert!(notes.iter().any(|n| matches!(n,
            PlanNote::Unknown { address, data_source, values, .. }
                if address == "aws_iam_policy.from_document"
                    && data_source == "data.aws_iam_policy_document.from_queue"
                    && values.len() == 1
                    && values[0].reference.as_deref() == Some("aws_sqs_queue.q.arn"))));
        assert!(notes.iter().any(|n| matches!(n,
            PlanNote::Attribute { address, references, .. }
                if address == "aws_iam_policy.admin_and_queue"
                    && references == &vec!["aws_sqs_queue.q.arn".to_string()])));
        // The consumed data source is judged once, as the resource's document.
        assert!(!reading.items.iter().any(|i| matches!(i,
            PlanItem::Document(d) if d.address.starts_with("data."))));
    }

    /// The account: given, else the caller identity, else the one account of the ARNs.
    #[test]
    fn the_account_comes_from_the_arns_when_they_agree() {
        let plan = |arns: &[&str]| {
            json!({
                "format_version": "1.2",
                "planned_values": {"root_module": {"resources": arns.iter().enumerate().map(|(i, arn)| json!({
                    "address": format!("aws_lambda_permission.p{i}"), "mode": "managed",
                    "type": "aws_lambda_permission",
                    "values": {"principal": "s3.amazonaws.com", "function_name": "f", "source_arn": arn}
                })).collect::<Vec<_>>()}}
            })
        };
        let one = plan(&["arn:aws:sqs:us-east-1:111122223333:q", "arn:aws:s3:::b"]);
        assert_eq!(
            read_plan(&one, None).account,
            Some(PlanAccount {
                id: "111122223333".into(),
                source: AccountSource::Arn {
                    address: "aws_lambda_permission.p0".into(),
                    attribute: "source_arn".into()
                }
            })
        );
        assert_eq!(
            read_plan(&one, Some("444455556666"))
                .account
                .map(|a| a.source),
            Some(AccountSource::Given)
        );
        let two = plan(&[
            "arn:aws:sqs:us-east-1:111122223333:q",
            "arn:aws:sqs:us-east-1:444455556666:q",
        ]);
        assert_eq!(read_plan(&two, None).account, None);
    }

    /// A data source read during apply that only `resource_changes` holds, its unknowns deep
    /// in `after_unknown` (an action and a condition value): the statement with the unknown
    /// action is left out, the condition checked as present, the rest judged.
    #[test]
    fn a_data_source_only_in_resource_changes_is_rebuilt() {
        let plan = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "module.m.aws_iam_role_policy.p", "mode": "managed",
                 "type": "aws_iam_role_policy", "values": {"role": "app"}}
            ]}},
            "resource_changes": [
                {"address": "module.m.aws_iam_role_policy.p", "mode": "managed",
                 "change": {"actions": ["create"], "after_unknown": {"policy": true}}},
                {"address": "module.m.data.aws_iam_policy_document.d", "mode": "data",
                 "change": {"actions": ["read"],
                  "after": {"statement": [
                      {"actions": [null], "resources": ["*"]},
                      {"actions": ["s3:GetObject"], "resources": ["*"],
                       "condition": [{"test": "StringEquals", "variable": "aws:SourceVpce", "values": [null]}]}
                  ]},
                  "after_unknown": {"json": true, "statement": [
                      {"actions": [true]},
                      {"condition": [{"values": [true]}]}
                  ]}}}
            ],
            "configuration": {"root_module": {"module_calls": {"m": {"module": {"resources": [
                {"address": "aws_iam_role_policy.p", "type": "aws_iam_role_policy",
                 "expressions": {"policy": {"references": [
                     "data.aws_iam_policy_document.d.json", "data.aws_iam_policy_document.d"]}}}
            ]}}}}}
        });
        let reading = read_plan(&plan, Some("111122223333"));
        let PlanItem::Document(document) = &reading.items[0] else {
            panic!("{:?}", reading.items);
        };
        assert_eq!(document.address, "module.m.aws_iam_role_policy.p");
        let value: Value = serde_json::from_str(&document.text).unwrap();
        assert_eq!(
            value["Statement"],
            json!([{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"],
                    "Condition": {"StringEquals": {"aws:SourceVpce": ["(known after apply)"]}}}])
        );
        let PlanItem::Note(PlanNote::Unknown { values, .. }) = &reading.items[1] else {
            panic!("{:?}", reading.items);
        };
        assert_eq!(values.len(), 2);
        assert_eq!(values[0].treatment, Treatment::StatementLeftOut);
        assert_eq!(values[1].treatment, Treatment::ConditionPresent);
    }

    /// An `inline_policy` block built by a data source read during apply is rebuilt too; a
    /// trust policy whose every statement names an unknown principal is not judged (a note,
    /// never an empty document).
    #[test]
    fn inline_policies_and_unknown_principals() {
        let data = |statement: Value, unknown: Value| {
            json!({"address": "", "mode": "data", "change": {"actions": ["read"],
                "after": {"statement": [statement]},
                "after_unknown": {"json": true, "statement": [unknown]}}})
        };
        let mut inline = data(
            json!({"actions": ["*"], "resources": [null]}),
            json!({"resources": [true]}),
        );
        inline["address"] = json!("data.aws_iam_policy_document.inline");
        let mut trust = data(
            json!({"actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "identifiers": [null]}]}),
            json!({"principals": [{"identifiers": [true]}]}),
        );
        trust["address"] = json!("data.aws_iam_policy_document.trust");
        let plan = json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role",
                 "values": {"name": "r", "inline_policy": [{"name": "i"}]}}
            ]}},
            "resource_changes": [
                {"address": "aws_iam_role.r", "mode": "managed", "change": {"actions": ["create"],
                 "after_unknown": {"assume_role_policy": true, "inline_policy": [{"policy": true}]}}},
                inline, trust
            ],
            "configuration": {"root_module": {"resources": [
                {"address": "aws_iam_role.r", "type": "aws_iam_role", "expressions": {
                    "assume_role_policy": {"references": ["data.aws_iam_policy_document.trust.json"]},
                    "inline_policy": [{"policy": {"references": ["data.aws_iam_policy_document.inline.json"]}}]
                }}
            ]}}
        });
        let reading = read_plan(&plan, Some("111122223333"));
        assert!(
            matches!(&reading.items[0], PlanItem::Note(note @ PlanNote::Unknown { attribute, values, .. })
                if *attribute == "assume_role_policy" && !note.judged()
                    && values[0].treatment == Treatment::StatementLeftOut),
            "{:?}",
            reading.items
        );
        let PlanItem::Document(document) = &reading.items[1] else {
            panic!("{:?}", reading.items);
        };
        assert_eq!(document.source, DocumentSource::InlinePolicy("i".into()));
        assert!(document
            .text
            .contains("arn:aws:unknown:::known-after-apply"));
        assert!(
            matches!(&reading.items[2], PlanItem::Note(PlanNote::Unknown { attribute, .. })
            if *attribute == "inline_policy")
        );
    }

    #[test]
    fn values_known_after_apply_are_notes() {
        let plan = serde_json::json!({
            "format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy",
                 "values": {"name": "p"}},
                {"address": "aws_iam_role_policy_attachment.a", "mode": "managed",
                 "type": "aws_iam_role_policy_attachment", "values": {"role": "r"}}
            ]}},
            "resource_changes": [
                {"address": "aws_iam_policy.p", "change": {"after_unknown": {"policy": true}}}
            ]
        });
        let reading = read_plan(&plan, Some("111122223333"));
        assert_eq!(
            reading
                .items
                .iter()
                .filter_map(|i| match i {
                    PlanItem::Note(note) => Some(note.clone()),
                    _ => None,
                })
                .collect::<Vec<_>>(),
            vec![
                PlanNote::Attribute {
                    address: "aws_iam_policy.p".into(),
                    attribute: "policy",
                    references: Vec::new(),
                },
                PlanNote::Attachment {
                    address: "aws_iam_role_policy_attachment.a".into()
                },
            ]
        );
    }
}
