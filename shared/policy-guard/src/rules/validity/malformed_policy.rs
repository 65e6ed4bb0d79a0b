use crate::rules::{kinds, Rule, RuleContext};
use crate::policy::Location;
use crate::{Category, Finding};
use crate::Severity;

declare_rule! {
    /// ### What it does
    /// Reports a document that is not a valid IAM policy: invalid JSON, an unknown key, a value
    /// of the wrong type, `Action` together with `NotAction`, an unknown condition operator.
    ///
    /// ### Why is this bad
    /// IAM rejects such a document, so the deployment that carries it fails; a checker that
    /// skipped it would report a policy it never read as clean. High, so that a CI gate stops
    /// it: it will not deploy, or (where a service stores it unchecked) it is not what the
    /// author meant.
    ///
    /// ### Example
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Principle": "*"}]}
    /// ```
    ///
    /// ### Use instead
    /// ```json
    /// {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
    /// ```
    pub struct MalformedPolicy {
        id: "malformed-policy",
        category: Category::Malformed,
        severity: Severity::High,
        kinds: kinds::POLICIES,
        summary: "document is not a valid IAM policy",
    }
}

impl MalformedPolicy {
    /// The finding for a parse error (the parser runs before any rule).
    pub fn report(error: &str, location: Location) -> Finding {
        Self::META.finding(
            location,
            "policy document is malformed".to_string(),
            format!(
                "The document cannot be parsed as an IAM policy: {error}. IAM rejects it, so it will not deploy; nothing in it was judged."
            ),
            "Fix the document so that it follows the IAM policy grammar.".to_string(),
        )
    }
}

impl Rule for MalformedPolicy {
    fn meta(&self) -> &'static crate::rules::RuleMeta {
        &Self::META
    }

    fn check(&self, _cx: &RuleContext<'_>, _out: &mut Vec<Finding>) {
        // Parse errors are reported by `check_document` before any rule runs.
    }
}
