//! `policy-guard simulate`: decide scenario files (one request and every policy that applies)
//! with the rule crate's `authorize`, and print each verdict.
//!
//! Exit codes: 0 every scenario was decided, 2 one could not be read or decided (its error,
//! with the JSON path of the problem, on standard error; the others are still decided).

use policy_guard::authorize::scenario::{parse_scenario, Scenario};
use policy_guard::authorize::{authorize, Authorization, DecidingStatement, PolicyKind};
use policy_guard::policy::Effect;
use policy_guard::text::{quoted, sanitize};
use serde_json::{json, Value};

/// One file's outcome: its verdict, or why there is none.
pub struct Outcome {
    pub file: String,
    pub result: Result<Authorization, String>,
}

/// Reads and decides every file, in order.
pub fn run(paths: &[String]) -> Vec<Outcome> {
    paths
        .iter()
        .map(|path| Outcome {
            file: path.clone(),
            result: decide_file(path),
        })
        .collect()
}

fn decide_file(path: &str) -> Result<Authorization, String> {
    let text = if path == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin().lock(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read the file: {}", e.kind()))?
    };
    let scenario: Scenario = parse_scenario(&text).map_err(|e| e.to_string())?;
    authorize(&scenario.request(), &scenario.policies()).map_err(|e| e.to_string())
}

/// 2 when any scenario failed, else 0.
pub fn exit_code(outcomes: &[Outcome]) -> u8 {
    if outcomes.iter().any(|o| o.result.is_err()) {
        2
    } else {
        0
    }
}

fn kinds(list: &[PolicyKind]) -> Vec<&'static str> {
    list.iter().map(|k| k.as_str()).collect()
}

fn effect(effect: Effect) -> &'static str {
    match effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    }
}

fn statement_json(s: &DecidingStatement) -> Value {
    let mut v = json!({
        "kind": s.kind.as_str(),
        "policy": s.policy,
        "statement": s.statement,
        "sid": s.sid.as_deref().map(|sid| sanitize(sid, 200)),
        "effect": effect(s.effect),
    });
    if let (Some(level), Some(object)) = (s.level, v.as_object_mut()) {
        object.insert("level".into(), json!(level));
    }
    v
}

/// `{"version": "1", "results": [...]}`; a failed file carries `error` instead of a verdict.
pub fn render_json(outcomes: &[Outcome]) -> String {
    let results: Vec<Value> = outcomes
        .iter()
        .map(|o| match &o.result {
            Ok(a) => json!({
                "file": sanitize(&o.file, 500),
                "decision": a.decision.as_str(),
                "allowed_by": kinds(&a.allowed_by),
                "blocked_by": kinds(&a.blocked_by),
                "deciding": a.deciding.iter().map(statement_json).collect::<Vec<_>>(),
                "missing_context_keys": a.missing_context_keys.iter().map(|k| sanitize(k, 200)).collect::<Vec<_>>(),
            }),
            Err(error) => json!({
                "file": sanitize(&o.file, 500),
                "error": sanitize(error, 2000),
            }),
        })
        .collect();
    let doc = json!({"version": "1", "results": results});
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn statement_text(s: &DecidingStatement) -> String {
    let mut out = format!("{} {}", effect(s.effect), s.kind.as_str());
    if let Some(level) = s.level {
        out.push_str(&format!(" level {level}"));
    }
    out.push_str(&format!(" policy {} statement {}", s.policy, s.statement));
    if let Some(sid) = &s.sid {
        out.push_str(&format!(" (Sid {})", quoted(sid)));
    }
    out
}

/// One verdict per file, the deciding statements under it.
pub fn render_text(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let file = sanitize(&o.file, 500);
        match &o.result {
            Err(error) => {
                out.push_str(&format!("{file}: error: {}\n", sanitize(error, 2000)));
            }
            Ok(a) => {
                out.push_str(&format!("{file}: {}", a.decision.as_str()));
                if !a.allowed_by.is_empty() {
                    out.push_str(&format!(
                        " (allowed by {})",
                        kinds(&a.allowed_by).join(", ")
                    ));
                }
                if !a.blocked_by.is_empty() {
                    out.push_str(&format!(
                        " (blocked by {})",
                        kinds(&a.blocked_by).join(", ")
                    ));
                }
                out.push('\n');
                for s in &a.deciding {
                    out.push_str(&format!("  {}\n", statement_text(s)));
                }
                if !a.missing_context_keys.is_empty() {
                    let keys: Vec<String> =
                        a.missing_context_keys.iter().map(|k| quoted(k)).collect();
                    out.push_str(&format!(
                        "  inconclusive: the request does not give {}; this is the least permissive outcome\n",
                        keys.join(", ")
                    ));
                }
            }
        }
    }
    out
}
