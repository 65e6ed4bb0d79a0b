//! Action and ARN wildcard matching.
//!
//! IAM wildcards: `*` matches any run of characters (including none, and including `:` and
//! `/`), `?` matches exactly one character. Action names compare ASCII case-insensitively,
//! ARNs case-sensitively. Everything here runs without recursion and in time bounded by the
//! product of the input lengths at worst (linear for ordinary patterns).

mod arn;
pub mod variables;

pub use arn::{
    is_account_id, lambda_function_arn, parse_arn, pattern_covers_format,
    pattern_covers_format_anywhere, pattern_is_universal, pattern_overlaps_format, Arn,
};

/// IAM wildcard match: `*` any run (including empty, including ':' and '/'), `?` exactly one char.
///
/// Linear in practice: the pattern is split at `*` into segments; the first and last are
/// anchored, the middle ones are matched greedily at their leftmost occurrence, which is exact
/// for `*`-separated segments and never backtracks. Case-sensitive (ARNs).
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        segments_match(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
            a == b
        })
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        segments_match(&p, &t, '*', '?', |a, b| a == b)
    }
}

/// [`wildcard_match`] comparing ASCII letters case-insensitively (action names).
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    if pattern.is_ascii() && text.is_ascii() {
        segments_match(pattern.as_bytes(), text.as_bytes(), b'*', b'?', |a, b| {
            a.eq_ignore_ascii_case(&b)
        })
    } else {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        segments_match(&p, &t, '*', '?', |a, b| a.eq_ignore_ascii_case(&b))
    }
}

/// Whether `text` contains an IAM wildcard character.
pub fn has_wildcard(text: &str) -> bool {
    text.bytes().any(|b| b == b'*' || b == b'?')
}

/// `text` split at the first `byte`, as `str::split_once` with that character. `byte` is ASCII,
/// so both sides are whole characters. A plain byte scan: the char searcher's set-up cost more
/// than the search on the short action names and ARNs this splits.
pub fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// Does `segment` (no `*` in it; `?` matches one element) match `text` exactly (same length)?
fn segment_at<T: Copy + PartialEq>(
    segment: &[T],
    text: &[T],
    question: T,
    eq: &impl Fn(T, T) -> bool,
) -> bool {
    segment.len() == text.len()
        && segment
            .iter()
            .zip(text)
            .all(|(&p, &t)| p == question || eq(p, t))
}

fn segments_match<T: Copy + PartialEq>(
    pattern: &[T],
    text: &[T],
    star: T,
    question: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let mut segments = pattern.split(|&c| c == star);
    let Some(first) = segments.next() else {
        return text.is_empty();
    };
    // No star at all: a plain fixed-length comparison.
    let Some(last) = segments.next_back() else {
        return segment_at(first, text, question, &eq);
    };
    // Anchored first and last segments must fit without overlapping.
    if first.len() + last.len() > text.len() {
        return false;
    }
    let (head, rest) = text.split_at(first.len());
    if !segment_at(first, head, question, &eq) {
        return false;
    }
    let (mut middle, tail) = rest.split_at(rest.len() - last.len());
    if !segment_at(last, tail, question, &eq) {
        return false;
    }
    // Middle segments: leftmost occurrence, in order.
    for segment in segments {
        if segment.is_empty() {
            continue;
        }
        if segment.len() > middle.len() {
            return false;
        }
        let found = if segment.contains(&question) {
            // `?` breaks the prefix function; these segments are bounded by the pattern length.
            (0..=middle.len() - segment.len()).find(|&start| {
                middle
                    .get(start..start + segment.len())
                    .is_some_and(|window| segment_at(segment, window, question, &eq))
            })
        } else {
            find_literal(segment, middle, &eq)
        };
        match found {
            Some(start) => {
                middle = middle.get(start + segment.len()..).unwrap_or(&[]);
            }
            None => return false,
        }
    }
    true
}

/// Leftmost start of `segment` (no `?`) in `text`: Knuth-Morris-Pratt, linear in both lengths
/// (`eq` is an equivalence: exact or ASCII case-insensitive).
fn find_literal<T: Copy>(segment: &[T], text: &[T], eq: &impl Fn(T, T) -> bool) -> Option<usize> {
    let at = |i: usize| segment.get(i).copied();
    let same = |a: Option<T>, b: Option<T>| matches!((a, b), (Some(a), Some(b)) if eq(a, b));
    // fail[i]: length of the longest proper border of segment[..=i].
    let mut fail = vec![0usize; segment.len()];
    let mut k = 0;
    for i in 1..segment.len() {
        while k > 0 && !same(at(i), at(k)) {
            k = fail.get(k - 1).copied().unwrap_or(0);
        }
        if same(at(i), at(k)) {
            k += 1;
        }
        if let Some(slot) = fail.get_mut(i) {
            *slot = k;
        }
    }
    if segment.is_empty() {
        return Some(0);
    }
    let mut k = 0;
    for (i, &c) in text.iter().enumerate() {
        while k > 0 && !same(Some(c), at(k)) {
            k = fail.get(k - 1).copied().unwrap_or(0);
        }
        if same(Some(c), at(k)) {
            k += 1;
        }
        if k == segment.len() {
            return Some(i + 1 - k);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Exponential reference matcher; fine on small inputs.
    fn reference(p: &[char], t: &[char], ci: bool) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some(('*', rest)) => (0..=t.len()).any(|i| reference(rest, &t[i..], ci)),
            Some((&c, rest)) => match t.split_first() {
                Some((&d, trest)) => {
                    (c == '?' || c == d || (ci && c.eq_ignore_ascii_case(&d)))
                        && reference(rest, trest, ci)
                }
                None => false,
            },
        }
    }

    fn reference_str(p: &str, t: &str, ci: bool) -> bool {
        let p: Vec<char> = p.chars().collect();
        let t: Vec<char> = t.chars().collect();
        reference(&p, &t, ci)
    }

    #[test]
    fn basics() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("", ""));
        assert!(!wildcard_match("", "a"));
        assert!(!wildcard_match("?", ""));
        assert!(wildcard_match("?", "é"));
        assert!(wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket/a/b"
        ));
        assert!(!wildcard_match(
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::bucket"
        ));
        assert!(wildcard_match("a*b*c", "abc"));
        assert!(wildcard_match("a*b*c", "aXbYbZc"));
        assert!(!wildcard_match("a*b*c", "aXbYcZ"));
        assert!(wildcard_match("*ab", "aab"));
        assert!(!wildcard_match("ab*ba", "aba"));
        assert!(!wildcard_match("S3:GetObject", "s3:GetObject"));
        assert!(wildcard_match_ignore_case("S3:get*", "s3:GetObject"));
        assert!(wildcard_match_ignore_case(
            "iam:*Policy*",
            "iam:CreatePolicyVersion"
        ));
        assert!(!wildcard_match_ignore_case("iam:*Policy*", "iam:PassRole"));
        assert!(wildcard_match("ü*", "über"));
        assert!(has_wildcard("a?") && has_wildcard("*") && !has_wildcard("abc"));
    }

    #[test]
    fn long_adversarial_pattern_finishes() {
        let mut pattern = String::new();
        while pattern.len() < 4_998 {
            pattern.push_str("*a");
        }
        pattern.push_str("*b");
        let text = "a".repeat(2_000);
        assert!(!wildcard_match(&pattern, &text));
        assert!(!wildcard_match_ignore_case(&pattern, &text));
        let text2 = format!("{}b", "a".repeat(3_000));
        assert!(wildcard_match(&pattern, &text2));
        let stars = "*".repeat(5_000) + "b";
        assert!(!wildcard_match(&stars, &"a".repeat(2_000)));
        assert!(!wildcard_match(
            &format!("{}*b", "?".repeat(1000)),
            &"a".repeat(2_000)
        ));
    }

    proptest! {
        #[test]
        fn agrees_with_reference(p in "[ab*?:]{0,8}", t in "[ab:]{0,10}") {
            prop_assert_eq!(wildcard_match(&p, &t), reference_str(&p, &t, false));
        }

        #[test]
        fn ignore_case_agrees_with_reference(p in "[aAbB*?:]{0,8}", t in "[aAbB:]{0,10}") {
            prop_assert_eq!(wildcard_match_ignore_case(&p, &t), reference_str(&p, &t, true));
            prop_assert_eq!(
                wildcard_match_ignore_case(&p, &t),
                wildcard_match(&p.to_ascii_lowercase(), &t.to_ascii_lowercase())
            );
        }

        #[test]
        fn unicode_agrees_with_reference(p in "[aé*?]{0,6}", t in "[aé]{0,8}") {
            prop_assert_eq!(wildcard_match(&p, &t), reference_str(&p, &t, false));
        }
    }
}
