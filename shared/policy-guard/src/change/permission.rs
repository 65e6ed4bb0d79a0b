//! The statement Lambda's `AddPermission` adds to a function's resource policy, built from the
//! call's flat parameters. One builder for every place that sees the parameters rather than
//! the statement: CloudTrail records without `responseElements.statement`, and the CLI's
//! Terraform `aws_lambda_permission` resources.

use crate::matching::is_account_id;
use serde_json::{json, Map, Value};

/// `AddPermission`'s parameters (CloudTrail `requestParameters`, Terraform attributes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionRequest {
    pub statement_id: Option<String>,
    /// `lambda:InvokeFunction`, `lambda:*`, ...
    pub action: String,
    /// `*`, an account id, an ARN or a service principal.
    pub principal: String,
    /// The function's ARN; `*` when it cannot be told.
    pub function_arn: String,
    pub source_arn: Option<String>,
    pub source_account: Option<String>,
    pub principal_org_id: Option<String>,
    pub function_url_auth_type: Option<String>,
    pub event_source_token: Option<String>,
}

impl PermissionRequest {
    /// The statement as Lambda writes it: an account id becomes its root ARN, a non-ARN
    /// principal is a service; each condition parameter becomes its condition key.
    pub fn statement(&self) -> Value {
        let principal = if self.principal == "*" {
            json!("*")
        } else if is_account_id(&self.principal) {
            json!({"AWS": format!("arn:aws:iam::{}:root", self.principal)})
        } else if self.principal.starts_with("arn:") {
            json!({"AWS": self.principal})
        } else {
            json!({"Service": self.principal})
        };
        let mut statement = Map::new();
        if let Some(sid) = &self.statement_id {
            statement.insert("Sid".into(), json!(sid));
        }
        statement.insert("Effect".into(), json!("Allow"));
        statement.insert("Principal".into(), principal);
        statement.insert("Action".into(), json!(self.action));
        statement.insert("Resource".into(), json!(self.function_arn));
        let mut condition: Map<String, Value> = Map::new();
        for (operator, key, value) in [
            ("ArnLike", "AWS:SourceArn", &self.source_arn),
            ("StringEquals", "AWS:SourceAccount", &self.source_account),
            ("StringEquals", "aws:PrincipalOrgID", &self.principal_org_id),
            (
                "StringEquals",
                "lambda:FunctionUrlAuthType",
                &self.function_url_auth_type,
            ),
            (
                "StringEquals",
                "lambda:EventSourceToken",
                &self.event_source_token,
            ),
        ] {
            let Some(value) = value else {
                continue;
            };
            let entry = condition
                .entry(operator.to_string())
                .or_insert_with(|| json!({}));
            if let Value::Object(keys) = entry {
                keys.insert(key.to_string(), json!(value));
            }
        }
        if !condition.is_empty() {
            statement.insert("Condition".into(), Value::Object(condition));
        }
        Value::Object(statement)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn principals_and_conditions_as_lambda_writes_them() {
        let request = PermissionRequest {
            statement_id: Some("s3".into()),
            action: "lambda:InvokeFunction".into(),
            principal: "s3.amazonaws.com".into(),
            function_arn: "arn:aws:lambda:us-east-1:111122223333:function:f".into(),
            source_arn: Some("arn:aws:s3:::bucket".into()),
            source_account: Some("111122223333".into()),
            ..PermissionRequest::default()
        };
        assert_eq!(
            request.statement(),
            json!({
                "Sid": "s3",
                "Effect": "Allow",
                "Principal": {"Service": "s3.amazonaws.com"},
                "Action": "lambda:InvokeFunction",
                "Resource": "arn:aws:lambda:us-east-1:111122223333:function:f",
                "Condition": {
                    "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::bucket"},
                    "StringEquals": {"AWS:SourceAccount": "111122223333"}
                }
            })
        );
        let account = PermissionRequest {
            principal: "444455556666".into(),
            ..request.clone()
        };
        assert_eq!(
            account.statement()["Principal"],
            json!({"AWS": "arn:aws:iam::444455556666:root"})
        );
        let public = PermissionRequest {
            principal: "*".into(),
            source_arn: None,
            source_account: None,
            ..request
        };
        assert_eq!(public.statement()["Principal"], json!("*"));
        assert!(public.statement().get("Condition").is_none());
    }
}
