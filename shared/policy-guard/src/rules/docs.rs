//! The rule reference, `docs/rules.md`, generated from the rule list.

use super::RULES;

/// The rule reference (`docs/rules.md`), generated from [`RULES`] so it is never written twice.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# Rules\n\nGenerated from the rule list (`policy-guard rules`, `policy-guard explain RULE`); do not edit.\n\n| id | category | default severity | judges | summary |\n| --- | --- | --- | --- | --- |\n",
    );
    for rule in RULES {
        let m = rule.meta();
        let kinds: Vec<&str> = m.kinds.iter().map(|k| k.as_str()).collect();
        let judges = if kinds.is_empty() {
            "events".to_string()
        } else {
            kinds.join(", ")
        };
        out.push_str(&format!(
            "| [`{id}`](#{id}) | {} | {} | {judges} | {} |\n",
            m.category,
            m.severity,
            m.summary.replace('|', "\\|"),
            id = m.id
        ));
    }
    for rule in RULES {
        let m = rule.meta();
        out.push_str(&format!(
            "\n## {}\n\nCategory `{}`, default severity `{}`.\n\n{}",
            m.id,
            m.category,
            m.severity,
            m.docs
                .lines()
                .map(str::trim_start)
                .collect::<Vec<_>>()
                .join("\n")
                .replace("### ", "#### ")
        ));
    }
    out
}
