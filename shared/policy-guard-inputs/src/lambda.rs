//! Lambda inputs: the resource policy inside `aws lambda get-policy` output, the account a
//! resource policy lives in, and function ARNs.

use policy_guard::matching::{is_account_id, parse_arn};
use serde_json::Value;

/// The document of `aws lambda get-policy` output (`{"Policy": "<json>", "RevisionId": ...}`):
/// `None` when `value` has no string `Policy`.
pub fn get_policy_document(value: &Value) -> Option<&str> {
    value.get("Policy").and_then(Value::as_str)
}

/// The account a resource policy lives in, when every `Resource` ARN names the same one.
pub fn resource_account(document: &Value) -> Option<String> {
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
                if is_account_id(arn.account) && !accounts.iter().any(|a| a == arn.account) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn get_policy_output_and_resource_account() {
        let output = json!({"Policy": "{\"Statement\":[]}", "RevisionId": "r"});
        assert_eq!(get_policy_document(&output), Some("{\"Statement\":[]}"));
        assert_eq!(get_policy_document(&json!({"Statement": []})), None);
        let one = json!({"Statement": {"Resource": ["arn:aws:lambda:us-east-1:111122223333:function:f", "*"]}});
        assert_eq!(resource_account(&one).as_deref(), Some("111122223333"));
        let two = json!({"Statement": [
            {"Resource": "arn:aws:lambda:us-east-1:111122223333:function:f"},
            {"Resource": "arn:aws:lambda:us-east-1:444455556666:function:g"}
        ]});
        assert_eq!(resource_account(&two), None);
    }
}
