//! Making attacker-controlled text safe to show.
//!
//! Policy text, names and event fields come from whoever changed IAM. Before any of it reaches a
//! terminal, an email, a log line or an SNS attribute it goes through [`sanitize`]: control
//! characters (terminal escapes, newlines that would forge log lines) become visible escapes and
//! the length is bounded.

/// Escapes control and bidi-override characters and cuts the text to `max_chars` characters
/// (marking the cut with `…`).
pub fn sanitize(text: &str, max_chars: usize) -> String {
    // Most text is short printable ASCII, which holds nothing to escape or cut.
    if text.len() <= max_chars && text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len().min(max_chars.saturating_mul(2)));
    for (count, ch) in text.chars().enumerate() {
        if count >= max_chars {
            out.push('…');
            return out;
        }
        if ch.is_control() || is_bidi_control(ch) {
            out.extend(ch.escape_unicode());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The usual bound for a value quoted inside a message.
pub const QUOTE_MAX: usize = 120;

/// Sanitized text wrapped in backticks, for error and finding messages.
pub fn quoted(text: &str) -> String {
    format!("`{}`", sanitize(text, QUOTE_MAX))
}

/// A list of values as `` `a`, `b`, `c` `` with at most `max_items` shown and a count of the rest.
pub fn quoted_list<S: AsRef<str>>(items: &[S], max_items: usize) -> String {
    let shown: Vec<String> = items
        .iter()
        .take(max_items)
        .map(|s| quoted(s.as_ref()))
        .collect();
    let mut out = shown.join(", ");
    if items.len() > max_items {
        out.push_str(&format!(" and {} more", items.len() - max_items));
    }
    out
}

/// Bidi overrides reorder what a reader sees; U+2028 / U+2029 start a new line in many mail
/// readers although they are not control characters.
fn is_bidi_control(ch: char) -> bool {
    matches!(
        ch,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{2028}' | '\u{2029}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_sequences_and_newlines() {
        let text = "role\u{1b}[31mred\nforged log line";
        let clean = sanitize(text, 100);
        assert!(!clean.contains('\u{1b}') && !clean.contains('\n'));
        assert!(clean.contains("\\u{1b}"));
        // Tab and DEL are ASCII but not printable.
        assert_eq!(sanitize("a\tb\u{7f}", 100), "a\\u{9}b\\u{7f}");
        assert_eq!(
            sanitize("arn:aws:iam::*:role/x", 100),
            "arn:aws:iam::*:role/x"
        );
    }

    #[test]
    fn bounds_length() {
        assert_eq!(sanitize("abcdef", 3), "abc…");
        assert_eq!(quoted_list(&["a", "b", "c"], 2), "`a`, `b` and 1 more");
    }
}
