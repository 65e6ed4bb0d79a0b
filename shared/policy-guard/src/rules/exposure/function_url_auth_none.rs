use crate::rules::{kinds, Rule, RuleContext, Subject};
use crate::policy::Location;
use crate::{Category, Finding};
use crate::text::quoted;
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a Lambda function URL configuration with `AuthType` `NONE`, and says so when its
    /// CORS configuration also allows every origin (`*`).
    ///
    /// ### Why is this bad
    /// Anyone who finds the URL can call the function, with no signature, no throttling per
    /// caller and no record of who called. With CORS `*`, any web page can also call it from
    /// its visitors' browsers.
    ///
    /// ### Example
    /// ```json
    /// {"functionName": "CreateArticle", "authType": "NONE", "cors": {"allowOrigins": ["*"]}}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"functionName": "CreateArticle", "authType": "AWS_IAM", "cors": {"allowOrigins": ["https://www.example.com"]}}
    /// ```
    pub struct FunctionUrlAuthNone {
        id: "function-url-auth-none",
        category: Category::PublicAccess,
        severity: Severity::High,
        kinds: kinds::FUNCTION_URL,
        summary: "a Lambda function URL takes unauthenticated requests",
    }
}

impl Rule for FunctionUrlAuthNone {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, cx: &RuleContext<'_>, out: &mut Vec<Finding>) {
        let Subject::FunctionUrl(config) = cx.subject else {
            return;
        };
        if !config.is_public() {
            return;
        }
        let name = config.function_name.as_deref().map(quoted);
        let any_origin = config
            .cors
            .as_ref()
            .is_some_and(|c| c.allow_origins.iter().any(|o| o.trim() == "*"));
        let credentials = config
            .cors
            .as_ref()
            .and_then(|c| c.allow_credentials)
            .unwrap_or(false);
        let mut message = format!(
            "The function URL{} has `AuthType` `NONE`: anyone on the internet can invoke the function without signing the request.",
            name.as_deref().map(|n| format!(" of {n}")).unwrap_or_default()
        );
        if any_origin {
            message.push_str(&format!(
                " Its CORS configuration allows every origin (`*`){}, so any web page can call it from its visitors' browsers.",
                if credentials { " with credentials" } else { "" }
            ));
        }
        let mut finding = Self::META.finding(
            Location {
                statement_index: None,
                sid: None,
                pointer: "authType".to_string(),
            },
            format!(
                "Function URL{} is open to anyone",
                name.as_deref().map(|n| format!(" of {n}")).unwrap_or_default()
            ),
            message,
            format!(
                "Set `AuthType` to `AWS_IAM` and grant `lambda:InvokeFunctionUrl` to the callers' roles{}.",
                if any_origin {
                    "; list the allowed origins in `Cors.AllowOrigins` instead of `*`"
                } else {
                    ""
                }
            ),
        );
        if let Some(function) = &config.function_name {
            finding.resources = vec![function.clone()];
        }
        finding.actions = vec!["lambda:InvokeFunctionUrl".to_string()];
        out.push(finding);
    }
}
