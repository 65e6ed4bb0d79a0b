//! Inputs that are not policy documents.

use serde::Deserialize;

/// A Lambda function URL configuration, as `CreateFunctionUrlConfig` /
/// `UpdateFunctionUrlConfig` take it (CloudTrail's camelCase or the API's PascalCase).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct FunctionUrlConfig {
    #[serde(default, alias = "FunctionName")]
    #[serde(rename = "functionName")]
    pub function_name: Option<String>,
    #[serde(default, alias = "AuthType")]
    #[serde(rename = "authType")]
    pub auth_type: Option<String>,
    #[serde(default, alias = "Cors")]
    pub cors: Option<Cors>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Cors {
    #[serde(default, alias = "AllowOrigins")]
    #[serde(rename = "allowOrigins")]
    pub allow_origins: Vec<String>,
    #[serde(default, alias = "AllowCredentials")]
    #[serde(rename = "allowCredentials")]
    pub allow_credentials: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FunctionUrlConfigError {
    #[error("function URL configuration is not valid: {0}")]
    Invalid(String),
}

impl FunctionUrlConfig {
    pub fn parse(text: &str) -> Result<FunctionUrlConfig, FunctionUrlConfigError> {
        let decoded = crate::policy::decode_document(text)
            .map_err(|e| FunctionUrlConfigError::Invalid(e.to_string()))?;
        let value: serde_json::Value = serde_json::from_str(&decoded)
            .map_err(|e| FunctionUrlConfigError::Invalid(e.to_string()))?;
        if !value.is_object() {
            return Err(FunctionUrlConfigError::Invalid(
                "expected a JSON object".to_string(),
            ));
        }
        serde_json::from_value(value).map_err(|e| FunctionUrlConfigError::Invalid(e.to_string()))
    }

    /// `NONE`: anyone on the internet can call the URL; `AWS_IAM`: signed requests only.
    pub fn is_public(&self) -> bool {
        self.auth_type
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("NONE"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_casings() {
        let a = FunctionUrlConfig::parse(r#"{"functionName":"f","authType":"NONE"}"#).unwrap();
        let b = FunctionUrlConfig::parse(r#"{"FunctionName":"f","AuthType":"NONE"}"#).unwrap();
        assert_eq!(a, b);
        assert!(a.is_public());
        assert!(FunctionUrlConfig::parse("[]").is_err());
    }
}
