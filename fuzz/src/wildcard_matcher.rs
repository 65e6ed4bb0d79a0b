//! Target `wildcard_matcher`: the IAM wildcard and ARN matchers in `policy_guard::matching`.
//!
//! Properties:
//! 1. `wildcard_match` and `wildcard_match_ignore_case` agree with a simple reference matcher
//!    (textbook recursion over the pattern, memoised) on small inputs over an alphabet of
//!    letters, `*`, `?`, `:`, `/` and a non-ASCII letter.
//! 2. `pattern_overlaps_format` and `pattern_covers_format` never panic, on arbitrary text and
//!    on every ARN format of the catalog.
//! 3. `pattern_overlaps_format` has no false negative: when the pattern matches a concrete ARN
//!    built from the format (each `${Variable}` replaced by text it may hold), they overlap.
//! 4. Everything finishes: libFuzzer's timeout catches super-linear blow-ups.

use arbitrary::{Result, Unstructured};
use policy_guard::catalog::catalog;
use policy_guard::matching::{
    parse_arn, pattern_covers_format, pattern_overlaps_format, wildcard_match,
    wildcard_match_ignore_case,
};
use std::sync::OnceLock;

const PATTERN_CHARS: &[char] = &['a', 'b', 'A', 'B', '*', '?', ':', '/', 'é', '-'];
const TEXT_CHARS: &[char] = &['a', 'b', 'A', 'B', ':', '/', 'é', '-', '*', '?'];

/// Reference: `*` any run, `?` one char, literals equal (ASCII case folded when `ci`).
fn reference(p: &[char], t: &[char], ci: bool) -> bool {
    // memo[i][j]: does p[i..] match t[j..]?
    let mut memo = vec![vec![None::<bool>; t.len() + 1]; p.len() + 1];
    fn go(
        p: &[char],
        t: &[char],
        i: usize,
        j: usize,
        ci: bool,
        memo: &mut Vec<Vec<Option<bool>>>,
    ) -> bool {
        if let Some(v) = memo[i][j] {
            return v;
        }
        let v = if i == p.len() {
            j == t.len()
        } else if p[i] == '*' {
            go(p, t, i + 1, j, ci, memo) || (j < t.len() && go(p, t, i, j + 1, ci, memo))
        } else if j < t.len()
            && (p[i] == '?' || p[i] == t[j] || (ci && p[i].eq_ignore_ascii_case(&t[j])))
        {
            go(p, t, i + 1, j + 1, ci, memo)
        } else {
            false
        };
        memo[i][j] = Some(v);
        v
    }
    go(p, t, 0, 0, ci, &mut memo)
}

fn word(u: &mut Unstructured<'_>, alphabet: &[char], max: usize) -> Result<Vec<char>> {
    let len = u.int_in_range(0..=max)?;
    (0..len).map(|_| u.choose(alphabet).copied()).collect()
}

/// A concrete ARN that the format describes, with variables filled from `u`.
fn instantiate(format: &str, u: &mut Unstructured<'_>) -> Result<String> {
    let mut out = String::new();
    let mut colons = 0usize;
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                let name = &after[..end];
                let allowed: Vec<char> = TEXT_CHARS
                    .iter()
                    .copied()
                    .filter(|&c| {
                        if colons < 5 {
                            c != ':'
                        } else if name == "BucketName" {
                            c != '/'
                        } else {
                            true
                        }
                    })
                    .collect();
                let len = u.int_in_range(1..=4)?;
                for _ in 0..len {
                    out.push(*u.choose(&allowed)?);
                }
                rest = &after[end + 1..];
                continue;
            }
        }
        match c {
            ':' => {
                colons += 1;
                out.push(':');
            }
            '*' => out.extend(word(u, TEXT_CHARS, 3)?),
            c => out.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    Ok(out)
}

fn run(u: &mut Unstructured<'_>) -> Result<()> {
    // 1. Agreement with the reference on small inputs.
    let p = word(u, PATTERN_CHARS, 10)?;
    let t = word(u, TEXT_CHARS, 12)?;
    let (ps, ts): (String, String) = (p.iter().collect(), t.iter().collect());
    assert_eq!(
        wildcard_match(&ps, &ts),
        reference(&p, &t, false),
        "wildcard_match({ps:?}, {ts:?})"
    );
    assert_eq!(
        wildcard_match_ignore_case(&ps, &ts),
        reference(&p, &t, true),
        "wildcard_match_ignore_case({ps:?}, {ts:?})"
    );

    // 2. ARN helpers on arbitrary text never panic.
    let any_pattern: String = u.arbitrary()?;
    let any_format: String = u.arbitrary()?;
    let _ = pattern_overlaps_format(&any_pattern, &any_format);
    let _ = pattern_covers_format(&any_pattern, &any_format);
    let _ = parse_arn(&any_pattern);
    let _ = wildcard_match(&any_pattern, &any_format);
    let _ = wildcard_match_ignore_case(&any_pattern, &any_format);

    // 3. Against a real catalog format: no false negative.
    static FORMATS: OnceLock<Vec<&'static str>> = OnceLock::new();
    let formats = FORMATS.get_or_init(|| {
        catalog()
            .services()
            .flat_map(|s| s.resource_types().map(|r| r.arn_format()))
            .collect()
    });
    let format = *u.choose(formats)?;
    let instance = instantiate(format, u)?;
    // Patterns near the instance: the instance with some characters turned into wildcards.
    let mut pattern: String = String::new();
    for c in instance.chars() {
        match u.int_in_range(0..=9)? {
            0 => pattern.push('*'),
            1 => pattern.push('?'),
            2 => {}
            3 => pattern.push_str(&any_pattern.chars().take(2).collect::<String>()),
            _ => pattern.push(c),
        }
    }
    let _ = pattern_covers_format(&pattern, format);
    if wildcard_match(&pattern, &instance) {
        assert!(
            pattern_overlaps_format(&pattern, format),
            "{pattern:?} matches {instance:?}, an ARN of format {format:?}, but does not overlap it"
        );
    }
    if pattern_covers_format(&pattern, format) {
        let _ = pattern_overlaps_format(&pattern, format);
    }
    Ok(())
}

/// One fuzz input: the whole property check of this target (libFuzzer calls it through
/// `fuzz_targets/wildcard_matcher.rs`; `tests/regressions.rs` replays saved crashes through it).
pub fn fuzz_one(data: &[u8]) {
    let _ = run(&mut Unstructured::new(data));
}
