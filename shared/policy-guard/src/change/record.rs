//! Reading the CloudTrail record: the envelope, the context, and each watched API call.

use super::{
    Change, ChangeEvent, EventContext, EventOutcome, Identity, IdentityKind, PermissionRequest,
    Service, CLOUDTRAIL_DETAIL_TYPE,
};
use crate::matching::{is_account_id, lambda_function_arn, parse_arn};
use serde_json::{json, Map, Value};

/// Why a watched event could not be read (the text is the `malformed-event` finding's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnreadableEvent {
    #[error("the event is not a JSON object")]
    NotAnObject,
    #[error("the event's detail is not a CloudTrail record (object)")]
    DetailNotARecord,
    #[error("neither an EventBridge event nor a CloudTrail record")]
    NotAnEvent,
    #[error("the CloudTrail record has no eventName")]
    NoEventName,
    #[error(transparent)]
    Field(#[from] FieldError),
}

/// Why a field of a watched call's `requestParameters` could not be read: the field's name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error("requestParameters is missing or null")]
    NoRequestParameters,
    #[error("requestParameters.{field} is missing")]
    Missing { field: &'static str },
    #[error("requestParameters.{field} is empty")]
    Empty { field: &'static str },
    #[error("requestParameters.{field} is not a string")]
    NotAString { field: &'static str },
    #[error("requestParameters.{field} is neither a JSON string nor an object")]
    NotADocument { field: &'static str },
}

/// Reads an EventBridge event or a bare CloudTrail record. Never fails: what it cannot
/// understand is [`EventOutcome::Malformed`] or [`EventOutcome::Ignored`].
pub fn parse_event(event: &Value) -> EventOutcome {
    let Some(object) = event.as_object() else {
        return malformed(EventContext::default(), UnreadableEvent::NotAnObject);
    };
    // EventBridge envelope: {"detail-type", "source", "account", "region", "id", "detail"}.
    if object.contains_key("detail") || object.contains_key("detail-type") {
        let envelope = object;
        let mut context = EventContext {
            event_id: text(envelope.get("id")),
            account: text(envelope.get("account")),
            region: text(envelope.get("region")),
            event_time: text(envelope.get("time")),
            ..EventContext::default()
        };
        let detail_type = envelope.get("detail-type").and_then(Value::as_str);
        if detail_type != Some(CLOUDTRAIL_DETAIL_TYPE) {
            let reason = match detail_type {
                Some(other) => format!("detail-type is {other:?}, not {CLOUDTRAIL_DETAIL_TYPE:?}"),
                None => "the event has no detail-type".to_string(),
            };
            return EventOutcome::Ignored { context, reason };
        }
        let source = text(envelope.get("source"));
        let Some(record) = envelope.get("detail").and_then(Value::as_object) else {
            return malformed(context, UnreadableEvent::DetailNotARecord);
        };
        read_context(record, &mut context);
        return parse_record(record, context, source.as_deref());
    }
    if object.contains_key("eventName") {
        let mut context = EventContext::default();
        read_context(object, &mut context);
        return parse_record(object, context, None);
    }
    malformed(EventContext::default(), UnreadableEvent::NotAnEvent)
}

fn malformed(context: EventContext, error: UnreadableEvent) -> EventOutcome {
    EventOutcome::Malformed { context, error }
}

/// A string field, or `None` for anything else (absent, null, number...).
fn text(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_string)
}

fn read_context(record: &Map<String, Value>, context: &mut EventContext) {
    let set = |slot: &mut Option<String>, value: Option<String>| {
        if value.is_some() {
            *slot = value;
        }
    };
    set(&mut context.event_id, text(record.get("eventID")));
    set(&mut context.event_time, text(record.get("eventTime")));
    set(&mut context.region, text(record.get("awsRegion")));
    context.event_name = text(record.get("eventName"));
    context.event_source = text(record.get("eventSource"));
    context.source_ip = text(record.get("sourceIPAddress"));
    context.user_agent = text(record.get("userAgent"));
    let identity = record.get("userIdentity");
    let field = |name: &str| text(identity.and_then(|i| i.get(name)));
    context.actor_arn = field("arn");
    context.actor_type = field("type");
    context.invoked_by = field("invokedBy");
    context.actor_issuer_arn = text(
        identity
            .and_then(|i| i.get("sessionContext"))
            .and_then(|s| s.get("sessionIssuer"))
            .and_then(|s| s.get("arn")),
    );
    let account = text(record.get("recipientAccountId")).or_else(|| field("accountId"));
    set(&mut context.account, account);
}

fn parse_record(
    record: &Map<String, Value>,
    context: EventContext,
    envelope_source: Option<&str>,
) -> EventOutcome {
    let service = match context.event_source.as_deref() {
        Some(source) => Service::from_event_source(source),
        None => envelope_source.and_then(Service::from_event_bridge_source),
    };
    let Some(service) = service else {
        let source = context
            .event_source
            .clone()
            .or(envelope_source.map(str::to_string));
        let reason = format!(
            "event source {:?} is not watched",
            source.unwrap_or_default()
        );
        return EventOutcome::Ignored { context, reason };
    };
    let Some(name) = context.event_name.clone() else {
        return malformed(context, UnreadableEvent::NoEventName);
    };
    let Some(call) = service.events().call(&name) else {
        let reason = format!("{name} does not change permissions the guard watches");
        return EventOutcome::Ignored { context, reason };
    };
    if let Some(code) = record.get("errorCode").filter(|c| !c.is_null()) {
        let error_code = code
            .as_str()
            .map_or_else(|| code.to_string(), str::to_string);
        let error_message = text(record.get("errorMessage"));
        return EventOutcome::Failed {
            context,
            error_code,
            error_message,
        };
    }
    let fields = Fields {
        request: record.get("requestParameters").and_then(Value::as_object),
        response: record.get("responseElements").and_then(Value::as_object),
        unnamed: std::cell::RefCell::new(Vec::new()),
    };
    match call.read(&fields, &context) {
        Ok(change) => EventOutcome::Change(ChangeEvent {
            context,
            service,
            change,
            unnamed: fields.unnamed.into_inner(),
        }),
        Err(error) => malformed(context, error.into()),
    }
}

/// The API calls the guard judges: each is the extractor of one or more events of the service
/// table (`services.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Call {
    CreatePolicy,
    CreatePolicyVersion,
    SetDefaultPolicyVersion,
    Attach(IdentityKind),
    Put(IdentityKind),
    CreateRole,
    UpdateAssumeRolePolicy,
    AddPermission,
    FunctionUrl { created: bool },
}

impl Call {
    fn read(self, fields: &Fields<'_>, context: &EventContext) -> Result<Change, FieldError> {
        match self {
            Call::CreatePolicy => Ok(Change::CreatePolicy {
                policy_name: fields.name("policyName")?,
                policy_arn: fields.response_path(&["policy", "arn"]),
                document: fields.document("policyDocument")?,
            }),
            Call::CreatePolicyVersion => Ok(Change::CreatePolicyVersion {
                policy_arn: fields.required("policyArn")?,
                version_id: fields.response_path(&["policyVersion", "versionId"]),
                set_as_default: fields.flag("setAsDefault"),
                document: fields.document("policyDocument")?,
            }),
            Call::SetDefaultPolicyVersion => Ok(Change::SetDefaultPolicyVersion {
                policy_arn: fields.required("policyArn")?,
                version_id: fields.required("versionId")?,
            }),
            Call::Attach(kind) => Ok(Change::AttachPolicy {
                identity: fields.identity(kind)?,
                policy_arn: fields.required("policyArn")?,
            }),
            Call::Put(kind) => Ok(Change::PutInlinePolicy {
                identity: fields.identity(kind)?,
                policy_name: fields.name("policyName")?,
                document: fields.document("policyDocument")?,
            }),
            Call::CreateRole => Ok(Change::CreateRole {
                role_name: fields.name("roleName")?,
                role_arn: fields.response_path(&["role", "arn"]),
                trust_document: fields.document("assumeRolePolicyDocument")?,
                permissions_boundary: fields.optional("permissionsBoundary"),
            }),
            Call::UpdateAssumeRolePolicy => Ok(Change::UpdateAssumeRolePolicy {
                role_name: fields.name("roleName")?,
                trust_document: fields.document("policyDocument")?,
            }),
            Call::AddPermission => add_permission(fields, context),
            Call::FunctionUrl { created } => function_url(fields, context, created),
        }
    }
}

/// `name` is `base` or `base` followed by an API date (`20150331`) and an optional `v<n>`.
pub(super) fn versioned(name: &str, base: &str) -> bool {
    let Some(suffix) = name.strip_prefix(base) else {
        return false;
    };
    if suffix.is_empty() {
        return true;
    }
    // `split_at_checked`: the suffix is attacker-controlled text, and byte 8 may fall inside a
    // multi-byte character (then it is no API date anyway).
    let Some((date, revision)) = suffix.split_at_checked(8) else {
        return false;
    };
    let date_ok = date.bytes().all(|b| b.is_ascii_digit());
    let revision_ok = revision.is_empty()
        || revision
            .strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    date_ok && revision_ok
}

struct Fields<'a> {
    request: Option<&'a Map<String, Value>>,
    response: Option<&'a Map<String, Value>>,
    /// Name fields that were missing, empty or not text, read as [`UNNAMED`].
    unnamed: std::cell::RefCell<Vec<&'static str>>,
}

/// The name given to a role, user, group or policy whose name the event does not carry. The
/// change is judged all the same: a trust policy that trusts everyone must never go unjudged
/// because `roleName` is missing.
pub const UNNAMED: &str = "(name not in the event)";

impl Fields<'_> {
    fn request(&self) -> Result<&Map<String, Value>, FieldError> {
        self.request.ok_or(FieldError::NoRequestParameters)
    }

    fn optional(&self, name: &str) -> Option<String> {
        text(self.request.and_then(|r| r.get(name))).filter(|s| !s.is_empty())
    }

    fn required(&self, field: &'static str) -> Result<String, FieldError> {
        match self.request()?.get(field) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(FieldError::Empty { field }),
            Some(other) if !other.is_null() => Err(FieldError::NotAString { field }),
            _ => Err(FieldError::Missing { field }),
        }
    }

    /// The name of the changed role, user, group or policy: [`UNNAMED`] when the event does
    /// not carry it (the request must still be there: without it there is nothing to judge).
    fn name(&self, field: &'static str) -> Result<String, FieldError> {
        self.request()?;
        match self.required(field) {
            Ok(name) => Ok(name),
            Err(_) => {
                self.unnamed.borrow_mut().push(field);
                Ok(UNNAMED.to_string())
            }
        }
    }

    /// A document: a JSON string (CloudTrail's form), or an object from a tool that decoded it.
    fn document(&self, field: &'static str) -> Result<String, FieldError> {
        match self.request()?.get(field) {
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(value @ Value::Object(_)) => Ok(value.to_string()),
            Some(Value::String(_)) => Err(FieldError::Empty { field }),
            Some(other) if !other.is_null() => Err(FieldError::NotADocument { field }),
            _ => Err(FieldError::Missing { field }),
        }
    }

    fn flag(&self, name: &str) -> bool {
        match self.request.and_then(|r| r.get(name)) {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        }
    }

    fn response_path(&self, path: &[&str]) -> Option<String> {
        let mut value = self.response?.get(*path.first()?)?;
        for key in path.get(1..).unwrap_or_default() {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_string)
    }

    fn identity(&self, kind: IdentityKind) -> Result<Identity, FieldError> {
        let field = match kind {
            IdentityKind::Role => "roleName",
            IdentityKind::User => "userName",
            IdentityKind::Group => "groupName",
        };
        Ok(Identity {
            kind,
            name: self.name(field)?,
        })
    }
}

/// The account of a function given as an ARN (`arn:aws:lambda:<region>:<account>:function:f`).
fn arn_account(arn: &str) -> Option<String> {
    parse_arn(arn)
        .map(|a| a.account.to_string())
        .filter(|a| is_account_id(a))
}

/// The function's ARN: as given, else built from the event's region and account.
fn function_arn(function: &str, qualifier: Option<&str>, context: &EventContext) -> Option<String> {
    if function.starts_with("arn:") {
        return Some(function.to_string());
    }
    // A partial ARN `123456789012:function:f` or a plain name.
    if function.contains(":function:") {
        let region = context.region.as_deref()?;
        return Some(format!("arn:aws:lambda:{region}:{function}"));
    }
    let (region, account) = (context.region.as_deref()?, context.account.as_deref()?);
    Some(lambda_function_arn(region, account, function, qualifier))
}

fn add_permission(fields: &Fields<'_>, context: &EventContext) -> Result<Change, FieldError> {
    let function = fields.required("functionName")?;
    let qualifier = fields.optional("qualifier");
    let statement_id = fields.optional("statementId");
    let response_statement =
        fields
            .response
            .and_then(|r| r.get("statement"))
            .and_then(|s| match s {
                Value::String(text) => serde_json::from_str::<Value>(text)
                    .ok()
                    .filter(Value::is_object),
                Value::Object(_) => Some(s.clone()),
                _ => None,
            });
    let arn = function_arn(&function, qualifier.as_deref(), context);
    let statement = match response_statement {
        Some(statement) => statement,
        None => statement_from_request(fields, arn.as_deref(), statement_id.as_deref())?,
    };
    let statement_resource = statement
        .get("Resource")
        .and_then(Value::as_str)
        .map(str::to_string);
    let function_account = arn_account(&function)
        .or_else(|| statement_resource.as_deref().and_then(arn_account))
        .or_else(|| context.account.clone());
    let document = json!({"Version": "2012-10-17", "Statement": [statement]}).to_string();
    Ok(Change::AddPermission {
        function_arn: arn.or(statement_resource),
        function,
        statement_id,
        function_account,
        document,
    })
}

/// The statement Lambda builds from `AddPermission`'s flat parameters, for records whose
/// `responseElements.statement` is absent.
fn statement_from_request(
    fields: &Fields<'_>,
    function_arn: Option<&str>,
    statement_id: Option<&str>,
) -> Result<Value, FieldError> {
    let request = PermissionRequest {
        statement_id: statement_id.map(str::to_string),
        action: fields.required("action")?,
        principal: fields.required("principal")?,
        function_arn: function_arn.unwrap_or("*").to_string(),
        source_arn: fields.optional("sourceArn"),
        source_account: fields.optional("sourceAccount"),
        principal_org_id: fields.optional("principalOrgID"),
        function_url_auth_type: fields.optional("functionUrlAuthType"),
        event_source_token: fields.optional("eventSourceToken"),
    };
    Ok(request.statement())
}

fn function_url(
    fields: &Fields<'_>,
    context: &EventContext,
    created: bool,
) -> Result<Change, FieldError> {
    let function = fields.required("functionName")?;
    let qualifier = fields.optional("qualifier");
    // The request says what was asked; the response what is now in force (an update may name
    // only the CORS settings, the response still has the auth type).
    let pick = |name: &str| {
        let from_request = fields
            .request
            .and_then(|r| r.get(name))
            .filter(|v| !v.is_null());
        from_request.or_else(|| {
            fields
                .response
                .and_then(|r| r.get(name))
                .filter(|v| !v.is_null())
        })
    };
    let auth_type = pick("authType").and_then(Value::as_str).map(str::to_string);
    let mut document = Map::new();
    document.insert("functionName".into(), json!(function));
    if let Some(auth) = &auth_type {
        document.insert("authType".into(), json!(auth));
    }
    if let Some(cors) = pick("cors") {
        document.insert("cors".into(), cors.clone());
    }
    let arn = text(fields.response.and_then(|r| r.get("functionArn")))
        .or_else(|| function_arn(&function, qualifier.as_deref(), context));
    Ok(Change::FunctionUrlConfig {
        function,
        function_arn: arn,
        created,
        auth_type,
        document: Value::Object(document).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::change::Reference;

    fn envelope(source: &str, detail: Value) -> Value {
        json!({
            "version": "0",
            "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
            "detail-type": "AWS API Call via CloudTrail",
            "source": source,
            "account": "111122223333",
            "time": "2024-08-01T13:37:41Z",
            "region": "us-east-1",
            "resources": [],
            "detail": detail
        })
    }

    fn iam(name: &str, request: Value, response: Value) -> Value {
        envelope(
            "aws.iam",
            json!({
                "eventVersion": "1.09",
                "userIdentity": {
                    "type": "AssumedRole",
                    "principalId": "AROAEXAMPLE:alice",
                    "arn": "arn:aws:sts::111122223333:assumed-role/Admin/alice",
                    "accountId": "111122223333",
                    "sessionContext": {"sessionIssuer": {"type": "Role", "arn": "arn:aws:iam::111122223333:role/Admin"}}
                },
                "eventTime": "2024-08-01T13:37:41Z",
                "eventSource": "iam.amazonaws.com",
                "eventName": name,
                "awsRegion": "us-east-1",
                "sourceIPAddress": "203.0.113.7",
                "userAgent": "aws-cli/2.17.0",
                "requestParameters": request,
                "responseElements": response,
                "eventID": "39480357-0a1d-4531-a3f2-71be4c041c25",
                "recipientAccountId": "111122223333"
            }),
        )
    }

    fn change(event: &Value) -> ChangeEvent {
        match parse_event(event) {
            EventOutcome::Change(change) => change,
            other => panic!("expected a change, got {other:?}"),
        }
    }

    #[test]
    fn attach_role_policy_references_the_default_version() {
        let event = iam(
            "AttachRolePolicy",
            json!({"policyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "roleName": "new-role"}),
            Value::Null,
        );
        let parsed = change(&event);
        assert_eq!(
            parsed.summary(),
            "AdministratorAccess attached to role new-role"
        );
        assert_eq!(
            parsed.references(),
            vec![Reference::DefaultVersion {
                policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess".into()
            }]
        );
        let context = &parsed.context;
        assert_eq!(
            context.event_id.as_deref(),
            Some("39480357-0a1d-4531-a3f2-71be4c041c25")
        );
        assert_eq!(context.actor_type.as_deref(), Some("AssumedRole"));
        assert_eq!(
            context.actor_issuer_arn.as_deref(),
            Some("arn:aws:iam::111122223333:role/Admin")
        );
        let arns = parsed.arns();
        assert!(arns.contains(&"arn:aws:iam::111122223333:role/new-role".to_string()));
        assert!(arns.contains(&"arn:aws:iam::111122223333:root".to_string()));
        assert!(arns.contains(&"arn:aws:iam::111122223333:role/Admin".to_string()));
    }

    #[test]
    fn bare_records_are_accepted() {
        let event = iam(
            "PutUserPolicy",
            json!({"userName": "bob", "policyName": "p", "policyDocument": "{}"}),
            Value::Null,
        );
        let record = event["detail"].clone();
        let parsed = change(&record);
        assert!(matches!(parsed.change, Change::PutInlinePolicy { .. }));
        assert_eq!(parsed.context.region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn error_code_means_nothing_changed() {
        let mut event = iam("CreateRole", json!({"roleName": "r"}), Value::Null);
        event["detail"]["errorCode"] = json!("AccessDenied");
        event["detail"]["errorMessage"] = json!("User is not authorized");
        let outcome = parse_event(&event);
        assert!(
            matches!(&outcome, EventOutcome::Failed { error_code, .. } if error_code == "AccessDenied"),
            "{outcome:?}"
        );
    }

    #[test]
    fn unrelated_events_are_ignored() {
        let create_user = iam("CreateUser", json!({"userName": "u"}), Value::Null);
        assert!(matches!(
            parse_event(&create_user),
            EventOutcome::Ignored { .. }
        ));
        let mut other = envelope(
            "aws.s3",
            json!({"eventSource": "s3.amazonaws.com", "eventName": "PutBucketPolicy"}),
        );
        assert!(matches!(parse_event(&other), EventOutcome::Ignored { .. }));
        other["detail-type"] = json!("Scheduled Event");
        assert!(matches!(parse_event(&other), EventOutcome::Ignored { .. }));
    }

    #[test]
    fn missing_documents_and_null_parameters_are_malformed() {
        let null_params = iam("PutRolePolicy", Value::Null, Value::Null);
        let EventOutcome::Malformed { error, .. } = parse_event(&null_params) else {
            panic!()
        };
        assert_eq!(
            error,
            UnreadableEvent::Field(FieldError::NoRequestParameters)
        );
        assert_eq!(error.to_string(), "requestParameters is missing or null");
        let missing = iam(
            "PutRolePolicy",
            json!({"roleName": "r", "policyName": "p"}),
            Value::Null,
        );
        let EventOutcome::Malformed { error, .. } = parse_event(&missing) else {
            panic!()
        };
        assert_eq!(
            error,
            UnreadableEvent::Field(FieldError::Missing {
                field: "policyDocument"
            })
        );
        assert_eq!(
            error.to_string(),
            "requestParameters.policyDocument is missing"
        );
        assert!(matches!(
            parse_event(&json!([1])),
            EventOutcome::Malformed { .. }
        ));
        assert!(matches!(
            parse_event(&json!({"hello": 1})),
            EventOutcome::Malformed { .. }
        ));
        let no_detail = json!({"detail-type": "AWS API Call via CloudTrail", "source": "aws.iam", "detail": "x"});
        assert!(matches!(
            parse_event(&no_detail),
            EventOutcome::Malformed { .. }
        ));
    }

    #[test]
    fn create_policy_version_reads_the_response_and_needs_the_previous_version() {
        let event = iam(
            "CreatePolicyVersion",
            json!({"policyArn": "arn:aws:iam::111122223333:policy/App", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}", "setAsDefault": true}),
            json!({"policyVersion": {"versionId": "v2", "isDefaultVersion": true, "createDate": "Aug 1, 2024 1:37:41 PM"}}),
        );
        let parsed = change(&event);
        assert_eq!(parsed.summary(), "policy App: new v2 (default)");
        assert_eq!(
            parsed.references(),
            vec![Reference::PreviousVersion {
                policy_arn: "arn:aws:iam::111122223333:policy/App".into(),
                current_version_id: Some("v2".into())
            }]
        );
    }

    #[test]
    fn add_permission_uses_the_response_statement() {
        let event = envelope(
            "aws.lambda",
            json!({
                "eventSource": "lambda.amazonaws.com",
                "eventName": "AddPermission20150331v2",
                "awsRegion": "us-east-1",
                "recipientAccountId": "880896431042",
                "requestParameters": {"action": "lambda:InvokeFunction", "functionName": "fn", "principal": "*", "statementId": "backdoor"},
                "responseElements": {"statement": "{\"Sid\":\"backdoor\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"arn:aws:lambda:us-east-1:880896431042:function:fn\"}"}
            }),
        );
        let parsed = change(&event);
        let Change::AddPermission {
            document,
            function_account,
            function_arn,
            ..
        } = &parsed.change
        else {
            panic!()
        };
        assert_eq!(function_account.as_deref(), Some("880896431042"));
        assert_eq!(
            function_arn.as_deref(),
            Some("arn:aws:lambda:us-east-1:880896431042:function:fn")
        );
        let doc: Value = serde_json::from_str(document).unwrap();
        assert_eq!(doc["Statement"][0]["Principal"], json!("*"));
        assert_eq!(parsed.summary(), "permission backdoor added to function fn");
    }

    #[test]
    fn add_permission_without_response_builds_the_statement() {
        for name in [
            "AddPermission20150331",
            "AddPermission20150331v2",
            "AddPermission20300101v3",
        ] {
            let event = envelope(
                "aws.lambda",
                json!({
                    "eventSource": "lambda.amazonaws.com",
                    "eventName": name,
                    "awsRegion": "ap-southeast-1",
                    "recipientAccountId": "637423240666",
                    "requestParameters": {"functionName": "arn:aws:lambda:ap-southeast-1:637423240666:function:processor", "statementId": "s3", "action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com", "sourceArn": "arn:aws:s3:::bucket", "sourceAccount": "637423240666"},
                    "responseElements": null
                }),
            );
            let parsed = change(&event);
            let Change::AddPermission { document, .. } = &parsed.change else {
                panic!()
            };
            let doc: Value = serde_json::from_str(document).unwrap();
            let statement = &doc["Statement"][0];
            assert_eq!(
                statement["Principal"],
                json!({"Service": "s3.amazonaws.com"})
            );
            assert_eq!(
                statement["Condition"]["ArnLike"]["AWS:SourceArn"],
                json!("arn:aws:s3:::bucket")
            );
            assert_eq!(
                statement["Condition"]["StringEquals"]["AWS:SourceAccount"],
                json!("637423240666")
            );
            assert_eq!(
                statement["Resource"],
                json!("arn:aws:lambda:ap-southeast-1:637423240666:function:processor")
            );
        }
    }

    #[test]
    fn versioned_names() {
        assert!(versioned("AddPermission20150331v2", "AddPermission"));
        assert!(versioned(
            "CreateFunctionUrlConfig20211031",
            "CreateFunctionUrlConfig"
        ));
        assert!(versioned("AddPermission", "AddPermission"));
        assert!(!versioned("AddPermissionX", "AddPermission"));
        assert!(!versioned("AddPermission2015033", "AddPermission"));
        assert!(!versioned("AddPermission20150331v", "AddPermission"));
        assert!(!versioned(
            "AddLayerVersionPermission20181031",
            "AddPermission"
        ));
        // Byte 8 of the suffix inside a multi-byte character (the fuzzer's crash): not a date,
        // and no panic, wherever the character falls.
        for name in [
            "AddPermission2015033\u{609}1",
            "AddPermission\u{609}\u{609}\u{609}\u{609}",
            "AddPermission1234567\u{1F600}",
            "AddPermission20150331\u{609}",
        ] {
            assert!(!versioned(name, "AddPermission"), "{name}");
        }
    }

    #[test]
    fn function_url_update_takes_the_auth_type_from_the_response() {
        let event = envelope(
            "aws.lambda",
            json!({
                "eventSource": "lambda.amazonaws.com",
                "eventName": "UpdateFunctionUrlConfig20211031",
                "awsRegion": "us-east-1",
                "recipientAccountId": "111122223333",
                "requestParameters": {"functionName": "web", "cors": {"allowOrigins": ["*"]}},
                "responseElements": {"functionUrl": "https://abc.lambda-url.us-east-1.on.aws/", "functionArn": "arn:aws:lambda:us-east-1:111122223333:function:web", "authType": "NONE"}
            }),
        );
        let parsed = change(&event);
        let Change::FunctionUrlConfig {
            document,
            auth_type,
            created,
            ..
        } = &parsed.change
        else {
            panic!()
        };
        assert!(!created);
        assert_eq!(auth_type.as_deref(), Some("NONE"));
        let doc: Value = serde_json::from_str(document).unwrap();
        assert_eq!(
            doc,
            json!({"functionName": "web", "authType": "NONE", "cors": {"allowOrigins": ["*"]}})
        );
        assert_eq!(
            parsed.summary(),
            "function URL of web updated (AuthType NONE)"
        );
    }

    #[test]
    fn documents_given_as_objects_are_accepted() {
        let event = iam(
            "UpdateAssumeRolePolicy",
            json!({"roleName": "r", "policyDocument": {"Version": "2012-10-17", "Statement": []}}),
            Value::Null,
        );
        let Change::UpdateAssumeRolePolicy { trust_document, .. } = change(&event).change else {
            panic!()
        };
        assert!(trust_document.starts_with('{'));
    }
}
