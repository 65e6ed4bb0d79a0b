//! ARN parsing and comparing IAM resource patterns with catalog ARN formats
//! (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).

use super::{split_at_byte, wildcard_match};

/// The six fields of an ARN. `resource` is everything after the fifth `:` (it may contain `:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    pub partition: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub account: &'a str,
    pub resource: &'a str,
}

/// Splits `arn:partition:service:region:account:resource`. Anything that does not start with
/// `arn:` or has fewer than six `:`-separated fields is `None`.
pub fn parse_arn(text: &str) -> Option<Arn<'_>> {
    let rest = text.strip_prefix("arn:")?;
    let (partition, rest) = split_at_byte(rest, b':')?;
    let (service, rest) = split_at_byte(rest, b':')?;
    let (region, rest) = split_at_byte(rest, b':')?;
    let (account, resource) = split_at_byte(rest, b':')?;
    Some(Arn {
        partition,
        service,
        region,
        account,
        resource,
    })
}

/// `arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]`: how AddPermission's
/// target is named, from a CloudTrail event or a Terraform plan (`*` for what is not known).
pub fn lambda_function_arn(
    region: &str,
    account: &str,
    function: &str,
    qualifier: Option<&str>,
) -> String {
    match qualifier {
        Some(q) => format!("arn:aws:lambda:{region}:{account}:function:{function}:{q}"),
        None => format!("arn:aws:lambda:{region}:{account}:function:{function}"),
    }
}

/// Twelve ASCII digits.
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// What one position of a pattern or format can consume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Lit(char),
    Any,
    NoColon,
    NoSlash,
}

impl Class {
    /// Is there a character both classes accept?
    fn meets(self, other: Class) -> bool {
        match (self, other) {
            (Class::Any, _) | (_, Class::Any) => true,
            (Class::Lit(a), Class::Lit(b)) => a == b,
            (Class::Lit(c), Class::NoColon) | (Class::NoColon, Class::Lit(c)) => c != ':',
            (Class::Lit(c), Class::NoSlash) | (Class::NoSlash, Class::Lit(c)) => c != '/',
            // Some other character (say 'a') is in both.
            (Class::NoColon | Class::NoSlash, Class::NoColon | Class::NoSlash) => true,
        }
    }
}

/// One element of a compiled pattern: exactly one character of a class, or any run of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    One(Class),
    Many(Class),
}

fn pattern_tokens(pattern: &str) -> Vec<Tok> {
    pattern
        .chars()
        .map(|c| match c {
            '*' => Tok::Many(Class::Any),
            '?' => Tok::One(Class::Any),
            c => Tok::One(Class::Lit(c)),
        })
        .collect()
}

/// A catalog ARN format as tokens. `${Var}` is one or more characters: no ':' within the first
/// five fields, no '/' for `${BucketName}`, anything otherwise. A literal `*` (a few formats
/// end in `/*`) is any run.
fn format_tokens(format: &str) -> Vec<Tok> {
    let mut out = Vec::with_capacity(format.len());
    let mut colons = 0usize;
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                let name = after.get(..end).unwrap_or("");
                let class = if colons < 5 {
                    Class::NoColon
                } else if name == "BucketName" {
                    Class::NoSlash
                } else {
                    Class::Any
                };
                out.push(Tok::One(class));
                out.push(Tok::Many(class));
                rest = after.get(end + 1..).unwrap_or("");
                continue;
            }
        }
        match c {
            ':' => {
                colons += 1;
                out.push(Tok::One(Class::Lit(':')));
            }
            '*' => out.push(Tok::Many(Class::Any)),
            c => out.push(Tok::One(Class::Lit(c))),
        }
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    out
}

/// Could some string match both? `pattern` is an IAM resource pattern (with `*` and `?`),
/// `arn_format` a catalog ARN format with `${Variables}`.
///
/// Variables match one or more characters; `${Partition}`, `${Region}`, `${Account}` (and any
/// variable before the 6th ARN field) never contain ':'; `${BucketName}` never contains '/';
/// other variables match anything. So `arn:aws:s3:::bucket` (no `/`) cannot name an object and
/// `arn:aws:s3:::bucket/*` cannot name a bucket.
pub fn pattern_overlaps_format(pattern: &str, arn_format: &str) -> bool {
    let f = format_tokens(arn_format);
    overlaps_bit_parallel(pattern, &f).unwrap_or_else(|| overlaps_table(pattern, &f))
}

/// The product reachability of [`overlaps_table`] one pattern position at a time, with the
/// format positions as the bits of a `u128`: O(len(pattern)) word operations. `None` when the
/// format has more than 126 tokens (then the table decides).
fn overlaps_bit_parallel(pattern: &str, f: &[Tok]) -> Option<bool> {
    const MAX_TOKENS: usize = 126;
    if f.len() > MAX_TOKENS {
        return None;
    }
    let end = 1u128 << f.len();
    let positions = end - 1; // bits 0..len-1: a format token to consume or skip
    let (mut many, mut any, mut no_colon, mut no_slash) = (0u128, 0u128, 0u128, 0u128);
    let mut ascii_literals = [0u128; 128];
    for (j, token) in f.iter().enumerate() {
        let bit = 1u128 << j;
        let class = match *token {
            Tok::One(class) => class,
            Tok::Many(class) => {
                many |= bit;
                class
            }
        };
        match class {
            Class::Any => any |= bit,
            Class::NoColon => no_colon |= bit,
            Class::NoSlash => no_slash |= bit,
            Class::Lit(c) => match ascii_literals.get_mut(c as usize) {
                Some(mask) => *mask |= bit,
                None => return None,
            },
        }
    }
    let one = positions & !many;
    // The format positions whose token accepts `c`.
    let accepting = |c: char| -> u128 {
        let literal = ascii_literals.get(c as usize).copied().unwrap_or(0);
        let mut mask = any | literal;
        if c != ':' {
            mask |= no_colon;
        }
        if c != '/' {
            mask |= no_slash;
        }
        mask
    };
    // Every position reachable from `row` by steps j -> j+1 allowed at `steps`: adding
    // `steps` carries each reached run of allowed positions through to the position after it.
    let close = |row: u128, steps: u128| row | ((row & steps).wrapping_add(steps) ^ steps);
    let mut row = 1u128;
    for c in pattern.chars() {
        row = match c {
            // The pattern's `*` consumes any format character or stops: it stays on this
            // row through every later position.
            '*' => close(row, positions),
            _ => {
                let row = close(row, many);
                let accepts = if c == '?' { positions } else { accepting(c) };
                ((row & accepts & one) << 1) | (row & accepts & many)
            }
        };
        if row == 0 {
            return Some(false);
        }
    }
    Some(close(row, many) & end != 0)
}

/// O(len(pattern) * len(format)) dynamic programming over the product of the two, no
/// recursion: the definition [`overlaps_bit_parallel`] computes faster.
fn overlaps_table(pattern: &str, f: &[Tok]) -> bool {
    let p = pattern_tokens(pattern);
    let width = f.len() + 1;
    // reach[i * width + j]: some string takes the pattern to i and the format to j.
    let mut reach = vec![false; (p.len() + 1) * width];
    if let Some(start) = reach.first_mut() {
        *start = true;
    }
    // Every move goes to a later cell in row-major order, so one pass suffices.
    for i in 0..=p.len() {
        for j in 0..=f.len() {
            if !reach.get(i * width + j).copied().unwrap_or(false) {
                continue;
            }
            let pt = p.get(i).copied();
            let ft = f.get(j).copied();
            let mut mark = |ni: usize, nj: usize| {
                if let Some(cell) = reach.get_mut(ni * width + nj) {
                    *cell = true;
                }
            };
            // Skip an empty run.
            if let Some(Tok::Many(_)) = pt {
                mark(i + 1, j);
            }
            if let Some(Tok::Many(_)) = ft {
                mark(i, j + 1);
            }
            // Consume one character that both sides accept.
            if let (Some(pt), Some(ft)) = (pt, ft) {
                let (pc, p_next) = match pt {
                    Tok::One(c) => (c, i + 1),
                    Tok::Many(c) => (c, i),
                };
                let (fc, f_next) = match ft {
                    Tok::One(c) => (c, j + 1),
                    Tok::Many(c) => (c, j),
                };
                if pc.meets(fc) && (p_next, f_next) != (i, j) {
                    mark(p_next, f_next);
                }
            }
        }
    }
    reach.last().copied().unwrap_or(false)
}

/// Does `pattern` cover every resource of that format (within one account and region)?
///
/// True for broad wildcards like `*`, `arn:aws:iam::*:role/*`,
/// `arn:aws:iam::123456789012:role/*`, `arn:aws:s3:::*`, `arn:aws:logs:*:*:*`. Rule: each ARN
/// field before the resource is `*`-only (a `*`-only last field covers the rest of the ARN),
/// empty where the format's is empty, any non-empty value where the format has a variable (a
/// concrete account or region still covers, since a policy lives in one account), or matches
/// the format's literal; and the resource part is `*` alone, or the format's fixed literal
/// resource prefix (e.g. `role/`) followed by `*`. `arn:aws:iam::123:role/app-*` and
/// `arn:aws:s3:::bucket/*` do not cover all.
pub fn pattern_covers_format(pattern: &str, arn_format: &str) -> bool {
    let all_stars = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'*');
    if all_stars(pattern) {
        return true;
    }
    if arn_format.bytes().filter(|&b| b == b':').count() < 5 {
        return false;
    }
    let mut pat = pattern.splitn(6, ':').peekable();
    let mut fmt = arn_format.splitn(6, ':');
    let mut index = 0usize;
    while let (Some(pf), Some(ff)) = (pat.next(), fmt.next()) {
        let last_of_pattern = pat.peek().is_none();
        if index == 5 {
            return resource_covered(pf, ff);
        }
        index += 1;
        if all_stars(pf) {
            if last_of_pattern {
                return true;
            }
            continue;
        }
        let ok = if ff.is_empty() {
            pf.is_empty()
        } else if ff.contains("${") {
            !pf.is_empty()
        } else {
            wildcard_match(pf, ff)
        };
        if !ok {
            return false;
        }
    }
    // The pattern ended before the resource field without a covering `*`.
    false
}

/// Does `pattern` match every ARN of the account's partition: `*`, `arn:*`, `arn:aws:*`,
/// `arn:aws:*:*:*:*`? A trailing `*` field takes the rest of the ARN, `:` included.
pub fn pattern_is_universal(pattern: &str) -> bool {
    let all_stars = |s: &str| !s.is_empty() && s.bytes().all(|b| b == b'*');
    if all_stars(pattern) {
        return true;
    }
    let fields: Vec<&str> = pattern.splitn(6, ':').collect();
    if fields.first() != Some(&"arn") {
        return false;
    }
    for (index, field) in fields.iter().enumerate().skip(1) {
        if all_stars(field) {
            if index + 1 == fields.len() {
                return true;
            }
            continue;
        }
        // One named partition (`aws`) is every ARN an account in it can have.
        if index == 1 && !field.is_empty() && !field.contains(['*', '?']) {
            continue;
        }
        return false;
    }
    false
}

/// [`pattern_covers_format`], and not pinned to one region or account: `arn:aws:logs:*:*:*`
/// reaches every log group of every account it is used in, `arn:aws:logs:us-east-1:*:*` only
/// those of one region.
pub fn pattern_covers_format_anywhere(pattern: &str, arn_format: &str) -> bool {
    if !pattern_covers_format(pattern, arn_format) {
        return false;
    }
    let pat: Vec<&str> = pattern.splitn(6, ':').collect();
    let fmt: Vec<&str> = arn_format.splitn(6, ':').collect();
    [3usize, 4].iter().all(|&index| {
        let pinned_in_format = fmt.get(index).is_some_and(|f| !f.is_empty());
        match pat.get(index) {
            // The pattern ended earlier, in a `*` that takes the rest.
            None => true,
            Some(field) => !pinned_in_format || field.bytes().all(|b| b == b'*'),
        }
    })
}

/// Does `pattern` (an IAM resource field with `*` and `?`) match every resource field the
/// format's variables can produce? A variable is any non-empty text, so only a `*` may take
/// it: `*/*` covers `${BucketName}/${ObjectName}`, `table/*` covers `table/${TableName}`,
/// `table/TravelGuide-*` does not.
fn resource_covered(pattern: &str, format: &str) -> bool {
    // Only a `*` can take a variable, and a fixed format is one string to match.
    if !format.contains("${") && !format.contains('*') {
        return wildcard_match(pattern, format);
    }
    if !pattern.contains('*') {
        return false;
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Part {
        Char(char),
        Variable,
    }
    let mut parts = Vec::with_capacity(format.len());
    let mut rest = format;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("${") {
            if let Some(end) = after.find('}') {
                parts.push(Part::Variable);
                rest = after.get(end + 1..).unwrap_or("");
                continue;
            }
        }
        // A literal `*` in a format (`.../*`) is any text too.
        parts.push(if c == '*' {
            Part::Variable
        } else {
            Part::Char(c)
        });
        rest = rest.get(c.len_utf8()..).unwrap_or("");
    }
    // Bit j of `reachable`: the pattern read so far can consume exactly the first j parts.
    // Formats are short (a test holds every catalog format under the limit).
    if parts.len() >= 127 {
        return false;
    }
    let all = (1u128 << (parts.len() + 1)) - 1;
    let mut reachable = 1u128;
    for p in pattern.chars() {
        reachable = match p {
            // Every position at or after the first reachable one.
            '*' if reachable == 0 => 0,
            '*' => all & !((reachable & reachable.wrapping_neg()) - 1),
            c => {
                let mut fits = 0u128;
                for (j, part) in parts.iter().enumerate() {
                    if matches!(part, Part::Char(f) if c == '?' || c == *f) {
                        fits |= 1 << j;
                    }
                }
                ((reachable & fits) << 1) & all
            }
        };
        if reachable == 0 {
            return false;
        }
    }
    reachable & (1 << parts.len()) != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const OBJECT: &str = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const BUCKET: &str = "arn:${Partition}:s3:::${BucketName}";
    const LOG_GROUP: &str = "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}";
    const ROLE: &str = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}";

    #[test]
    fn parse() {
        assert_eq!(
            parse_arn("arn:aws:s3:::b/k"),
            Some(Arn {
                partition: "aws",
                service: "s3",
                region: "",
                account: "",
                resource: "b/k"
            })
        );
        let a = parse_arn("arn:aws:logs:us-east-1:123456789012:log-group:/x:*").unwrap();
        assert_eq!(a.resource, "log-group:/x:*");
        assert_eq!(a.account, "123456789012");
        assert_eq!(parse_arn("arn:aws:s3::"), None);
        assert_eq!(parse_arn("*"), None);
        assert_eq!(parse_arn("arm:aws:s3:::b"), None);
        assert!(is_account_id("123456789012"));
        assert!(!is_account_id("12345678901"));
        assert!(!is_account_id("12345678901a"));
        assert!(!is_account_id("１２３456789012"));
    }

    #[test]
    fn overlaps() {
        assert!(!pattern_overlaps_format("arn:aws:s3:::bucket", OBJECT));
        assert!(pattern_overlaps_format("arn:aws:s3:::bucket/*", OBJECT));
        assert!(pattern_overlaps_format("*", OBJECT));
        assert!(!pattern_overlaps_format("arn:aws:s3:::bucket/*", BUCKET));
        assert!(pattern_overlaps_format(
            "arn:aws:s3:::travel-guide-*",
            BUCKET
        ));
        assert!(pattern_overlaps_format("arn:aws:s3:::bucket", BUCKET));
        assert!(pattern_overlaps_format("arn:aws:logs:*:*:*", LOG_GROUP));
        assert!(pattern_overlaps_format("arn:aws:s3:::*", OBJECT));
        assert!(pattern_overlaps_format("arn:aws:s3:::*", BUCKET));
        assert!(pattern_overlaps_format("arn:aws:s3:::b?cket/k", OBJECT));
        assert!(!pattern_overlaps_format("arn:aws:s3:::bucket/", OBJECT));
        assert!(!pattern_overlaps_format(
            "arn:aws:ec2:*:*:instance/*",
            BUCKET
        ));
        assert!(!pattern_overlaps_format("arn:aws:iam::123:user/x", ROLE));
        assert!(pattern_overlaps_format("arn:aws:iam::123:role/a/b", ROLE));
        assert!(!pattern_overlaps_format("arn:aws:iam::1:2:role/a", ROLE));
        assert!(!pattern_overlaps_format("", BUCKET));
        assert!(pattern_overlaps_format("arn:*", ROLE));
        assert!(pattern_overlaps_format(
            "arn:aws:connect:us-east-1:1:phone-number/x/y",
            "arn:${Partition}:connect:${Region}:${Account}:phone-number/*"
        ));
        // A long pattern stays cheap.
        let long = format!("arn:aws:s3:::{}", "*a".repeat(2_000));
        assert!(pattern_overlaps_format(&long, OBJECT));
    }

    #[test]
    fn covers() {
        assert!(pattern_covers_format("*", OBJECT));
        assert!(pattern_covers_format("arn:aws:iam::*:role/*", ROLE));
        assert!(pattern_covers_format(
            "arn:aws:iam::123456789012:role/*",
            ROLE
        ));
        assert!(pattern_covers_format("arn:aws:s3:::*", BUCKET));
        assert!(pattern_covers_format("arn:aws:s3:::*", OBJECT));
        assert!(pattern_covers_format("arn:aws:logs:*:*:*", LOG_GROUP));
        assert!(pattern_covers_format(
            "arn:aws:logs:us-east-1:*:*",
            LOG_GROUP
        ));
        assert!(pattern_covers_format(
            "arn:aws:logs:*:*:log-group:*",
            LOG_GROUP
        ));
        assert!(pattern_covers_format("arn:*", LOG_GROUP));
        assert!(pattern_covers_format("arn:aws:iam::*", ROLE));
        assert!(pattern_covers_format("arn:aws:iam::123:role*", ROLE));
        assert!(!pattern_covers_format("arn:aws:iam::123:role/app-*", ROLE));
        assert!(!pattern_covers_format("arn:aws:s3:::bucket/*", OBJECT));
        assert!(!pattern_covers_format("arn:aws:s3:::bucket", BUCKET));
        assert!(!pattern_covers_format("arn:aws:ec2:*:*:*", BUCKET));
        assert!(!pattern_covers_format(
            "arn:aws:iam:us-east-1:*:role/*",
            ROLE
        ));
        assert!(!pattern_covers_format(
            "arn:aws:logs:*:*:log-stream:*",
            LOG_GROUP
        ));
        assert!(!pattern_covers_format("arn:aws:logs", LOG_GROUP));
        assert!(pattern_covers_format(
            "arn:aws:apigateway:*::/restapis",
            "arn:${Partition}:apigateway:${Region}::/restapis"
        ));
    }

    #[test]
    fn covers_every_name_not_a_prefix() {
        assert!(pattern_covers_format("arn:aws:s3:::*/*", OBJECT));
        assert!(!pattern_covers_format("arn:aws:s3:::*?/*", OBJECT));
        assert!(pattern_covers_format(
            "arn:aws:dynamodb:*:*:table/*",
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
        ));
        assert!(!pattern_covers_format(
            "arn:aws:dynamodb:*:*:table/TravelGuide-*",
            "arn:${Partition}:dynamodb:${Region}:${Account}:table/${TableName}"
        ));
        assert!(pattern_covers_format(
            "arn:*:cloudtrail:*:*:trail/*",
            "arn:${Partition}:cloudtrail:${Region}:${Account}:trail/${TrailName}"
        ));
        assert!(!pattern_covers_format("arn:aws:s3:::*/private/*", OBJECT));
    }

    /// `resource_covered` answers "no" for a resource field of 127 parts or more: no catalog
    /// format is that long, so it never answers wrongly for a real ARN format.
    #[test]
    fn every_catalog_format_fits_the_bitmask() {
        let catalog = crate::catalog::catalog();
        for index in 0..catalog.resource_type_count() {
            let t = catalog.resource_type_by_index(index).unwrap();
            let resource = t.arn_format().splitn(6, ':').nth(5).unwrap_or("");
            let mut parts = 0usize;
            let mut rest = resource;
            while let Some(c) = rest.chars().next() {
                if let Some(after) = rest.strip_prefix("${") {
                    if let Some(end) = after.find('}') {
                        parts += 1;
                        rest = after.get(end + 1..).unwrap();
                        continue;
                    }
                }
                parts += 1;
                rest = rest.get(c.len_utf8()..).unwrap();
            }
            assert!(parts < 127, "{} has {parts} parts", t.arn_format());
        }
    }

    #[test]
    fn universal_patterns() {
        for universal in [
            "*",
            "**",
            "arn:*",
            "arn:aws:*",
            "arn:*:*:*:*:*",
            "arn:aws:*:*:*:*",
            "arn:aws:*:*:*",
        ] {
            assert!(pattern_is_universal(universal), "{universal}");
        }
        for scoped in [
            "arn:aws:s3:::*",
            "arn:aws:*:*:*:table/*",
            "arn:aws:*:us-east-1:*:*",
            "arn:aws",
            "arn:a*s:s3:::*",
            "s3:*",
        ] {
            assert!(!pattern_is_universal(scoped), "{scoped}");
        }
    }

    #[test]
    fn anywhere_needs_wildcard_region_and_account() {
        assert!(pattern_covers_format_anywhere(
            "arn:aws:logs:*:*:*",
            LOG_GROUP
        ));
        assert!(pattern_covers_format_anywhere("arn:aws:s3:::*/*", OBJECT));
        assert!(pattern_covers_format_anywhere(
            "arn:aws:iam::*:role/*",
            ROLE
        ));
        assert!(pattern_covers_format_anywhere("arn:*", ROLE));
        assert!(!pattern_covers_format_anywhere(
            "arn:aws:logs:us-east-1:*:*",
            LOG_GROUP
        ));
        assert!(!pattern_covers_format_anywhere(
            "arn:aws:iam::123456789012:role/*",
            ROLE
        ));
    }

    /// Both ways of deciding agree, over every ARN format in the catalog and patterns built
    /// from the pieces ARNs are made of.
    #[test]
    fn bit_parallel_agrees_with_the_table_on_the_catalog_formats() {
        let formats: Vec<&str> = crate::catalog::catalog()
            .services()
            .flat_map(|s| s.resource_types().map(|t| t.arn_format()))
            .collect();
        let patterns = [
            "*",
            "arn:*",
            "arn:aws:s3:::b",
            "arn:aws:s3:::b/*",
            "arn:aws:s3:::*/k?y",
            "arn:aws:iam::*:role/*",
            "arn:aws:iam::1:role/a/b",
            "arn:aws:iam::1:user/*",
            "arn:aws:logs:*:*:log-group:*",
            "arn:aws:logs:us-east-1:1:log-group:/a:*",
            "arn:aws:ec2:*:*:instance/*",
            "arn:aws:ec2:??-*:1:vpc/*",
            "arn:aws:*:*:*:*",
            "arn:aws:lambda:*:1:function:f:*",
            "arn:aws:dynamodb:*:1:table/t/index/*",
            "",
            "arn:aws:sns:us-east-1:1:t",
            "arn:aws:kms:*:1:key/*",
            "arn:aws:s3:::b/é/*",
        ];
        let mut overlapping = 0;
        for format in &formats {
            let tokens = format_tokens(format);
            for pattern in patterns {
                let table = overlaps_table(pattern, &tokens);
                if let Some(fast) = overlaps_bit_parallel(pattern, &tokens) {
                    assert_eq!(fast, table, "{pattern} vs {format}");
                }
                overlapping += usize::from(table);
            }
        }
        assert!(
            formats.len() > 2_000 && overlapping > 2_000,
            "{overlapping}"
        );
    }

    /// The six fields as `splitn(6, ':')` gives them.
    fn parse_arn_by_splitn(text: &str) -> Option<Arn<'_>> {
        let mut fields = text.splitn(6, ':');
        if fields.next()? != "arn" {
            return None;
        }
        Some(Arn {
            partition: fields.next()?,
            service: fields.next()?,
            region: fields.next()?,
            account: fields.next()?,
            resource: fields.next()?,
        })
    }

    proptest::proptest! {
        #[test]
        fn parse_arn_agrees_with_splitn(text in "(arn)?[:a-z0-9é/*]{0,16}") {
            proptest::prop_assert_eq!(parse_arn(&text), parse_arn_by_splitn(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn bit_parallel_agrees_with_the_table(
            pattern in "[arn:*?/ab-]{0,24}",
            format in "(arn|:|/|\\*|a|b|-|\\$\\{BucketName\\}|\\$\\{Name\\}){0,14}",
        ) {
            let tokens = format_tokens(&format);
            let fast = overlaps_bit_parallel(&pattern, &tokens);
            proptest::prop_assert_eq!(fast, Some(overlaps_table(&pattern, &tokens)));
        }
    }
}
