//! Making attacker-controlled text safe to show.
//!
//! Policy text, names and event fields come from whoever changed IAM. Before any of it reaches a
//! terminal, an email, a log line or an SNS attribute it goes through [`sanitize`]: control
//! characters (terminal escapes, newlines that would forge log lines) become visible escapes and
//! the length is bounded.

/// Escapes control and bidi-override characters and cuts the text to `max_chars` characters
/// (marking the cut with `…`).
pub fn sanitize(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    sanitize_into(&mut out, text, max_chars);
    out
}

/// [`sanitize`], appended to `out`: messages are built without a string per quoted value.
pub fn sanitize_into(out: &mut String, text: &str, max_chars: usize) {
    // No cut is needed when there are no more bytes than allowed characters; nothing needs an
    // escape without a byte that can start an escaped character (checked over all bytes with
    // no early exit, which compiles to a vector loop), or when the precise check says so.
    if text.len() <= max_chars {
        let maybe_escapable = text.bytes().fold(false, |seen, b| {
            seen | (b < b' ') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
        });
        if !maybe_escapable || !has_escapable(text) {
            out.push_str(text);
            return;
        }
    }
    out.reserve(text.len().min(max_chars.saturating_mul(2)));
    // Runs of characters that need no escape are copied as slices.
    let mut verbatim_from = 0;
    for (count, (index, ch)) in text.char_indices().enumerate() {
        if count >= max_chars {
            out.push_str(text.get(verbatim_from..index).unwrap_or_default());
            out.push('…');
            return;
        }
        if ch.is_control() || is_bidi_control(ch) {
            out.push_str(text.get(verbatim_from..index).unwrap_or_default());
            out.extend(ch.escape_unicode());
            verbatim_from = index + ch.len_utf8();
        }
    }
    out.push_str(text.get(verbatim_from..).unwrap_or_default());
}

/// Whether `text` holds a character [`sanitize`] escapes, judged on the UTF-8 bytes: an ASCII
/// control, a C1 control (0xC2 0x80..0x9F) or a bidi control or line separator (0xE2 0x80 or
/// 0x81 then the byte of U+200E, U+200F, U+2028..U+202E or U+2066..U+2069). Other text, `…`
/// and `—` included, is copied whole.
fn has_escapable(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        0x00..=0x1f | 0x7f => true,
        0xc2 => bytes
            .get(i + 1)
            .is_some_and(|next| (0x80..=0x9f).contains(next)),
        0xe2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0x8e | 0x8f | 0xa8..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    })
}

/// The usual bound for a value quoted inside a message.
pub const QUOTE_MAX: usize = 120;

/// Sanitized text wrapped in backticks, for error and finding messages.
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(QUOTE_MAX) + 2);
    quoted_into(&mut out, text);
    out
}

fn quoted_into(out: &mut String, text: &str) {
    out.push('`');
    sanitize_into(out, text, QUOTE_MAX);
    out.push('`');
}

/// A list of values as `` `a`, `b`, `c` `` with at most `max_items` shown and a count of the rest.
pub fn quoted_list<S: AsRef<str>>(items: &[S], max_items: usize) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().take(max_items).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        quoted_into(&mut out, item.as_ref());
    }
    if items.len() > max_items {
        out.push_str(" and ");
        out.push_str(&(items.len() - max_items).to_string());
        out.push_str(" more");
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

    /// The definition, a character at a time: the fast paths must agree with it.
    fn sanitize_by_chars(text: &str, max_chars: usize) -> String {
        let mut out = String::new();
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

    proptest::proptest! {
        #[test]
        fn sanitize_agrees_with_the_char_definition(
            text in "[a-z \u{1b}\n\t\u{7f}\u{85}\u{9f}\u{a0}é…—\u{2028}\u{202e}\u{2066}\u{2069}\u{200f}\u{2010}\u{2fff}]{0,24}",
            max_chars in 0usize..30,
        ) {
            proptest::prop_assert_eq!(sanitize(&text, max_chars), sanitize_by_chars(&text, max_chars));
        }
    }

    #[test]
    fn escapes_c1_controls_and_bidi_overrides_but_not_other_non_ascii() {
        assert_eq!(sanitize("a\u{85}b", 100), "a\\u{85}b");
        assert_eq!(sanitize("x\u{202e}y", 100), "x\\u{202e}y");
        assert_eq!(sanitize("Größe … — ok", 100), "Größe … — ok");
        assert_eq!(sanitize("éèê", 2), "éè…");
    }

    #[test]
    fn bounds_length() {
        assert_eq!(sanitize("abcdef", 3), "abc…");
        assert_eq!(quoted_list(&["a", "b", "c"], 2), "`a`, `b` and 1 more");
        assert_eq!(quoted_list(&["a\nb"], 2), "`a\\u{a}b`");
        assert_eq!(quoted_list::<&str>(&[], 2), "");
        assert_eq!(quoted_list(&["a"; 14], 0), " and 14 more");
        assert_eq!(
            quoted(&"x".repeat(200)),
            format!("`{}…`", "x".repeat(QUOTE_MAX))
        );
    }
}
