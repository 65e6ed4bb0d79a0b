//! Line numbers for findings: where in a file's JSON text a path such as
//! `Statement[2].Action[0]` or `Records[5]` begins.
//!
//! A small position-tracking scanner, not a parser: it walks only as deep as the path asks and
//! skips everything else iteratively, so hostile nesting cannot overflow the stack. When a step
//! of the path is not there (a document given as a JSON string, a key with a dot in it) the
//! line of the deepest step found is the answer; line 1 when nothing matched.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// `Statement[2].Action[0]` → `Statement`, `2`, `Action`, `0`. `Statement` alone (a single
/// statement object) is one key. The empty pointer is the whole document.
pub fn parse_pointer(pointer: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in pointer.split('.').filter(|p| !p.is_empty()) {
        let mut rest = part;
        if let Some(open) = rest.find('[') {
            let key = rest.get(..open).unwrap_or_default();
            if !key.is_empty() {
                steps.push(Step::Key(key.to_string()));
            }
            rest = rest.get(open..).unwrap_or_default();
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else { break };
                match inner.get(..close).and_then(|n| n.parse::<usize>().ok()) {
                    Some(index) => steps.push(Step::Index(index)),
                    None => return steps,
                }
                rest = inner.get(close + 1..).unwrap_or_default();
            }
        } else {
            steps.push(Step::Key(rest.to_string()));
        }
    }
    steps
}

/// The 1-based line where the value at `path` starts (for a key: the line of the key).
pub fn line_of(text: &str, path: &[Step]) -> usize {
    line_at(text, offset_of(text, path))
}

/// The 1-based line of a byte offset.
pub fn line_at(text: &str, offset: usize) -> usize {
    newlines_between(text, 0, offset) + 1
}

/// How many line breaks `text` holds from byte `from` up to `to` (0 outside the text).
fn newlines_between(text: &str, from: usize, to: usize) -> usize {
    let to = to.min(text.len());
    text.as_bytes().get(from..to).map_or(0, count_newlines)
}

/// The line breaks in `bytes`, eight bytes at a time: every finding's line is counted through
/// here, and a byte-by-byte count was a twentieth of a whole `check --min-severity info`.
fn count_newlines(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    for word in &mut words {
        let zeroed = word.try_into().map_or(0, u64::from_le_bytes) ^ (ONES * u64::from(b'\n'));
        // Each byte's high bit, set unless the byte is zero (was a newline): adding 0x7f to its
        // low seven bits never carries into the next byte, so every byte is judged exactly.
        let nonzero = (((zeroed & LOW_BITS) + LOW_BITS) | zeroed) & !LOW_BITS;
        count += 8 - nonzero.count_ones() as usize;
    }
    count + words.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The line of the Terraform plan object whose `"address"` is `address` (its first
/// occurrence: `planned_values` comes before `resource_changes`).
pub fn line_of_address(text: &str, address: &str) -> usize {
    let Ok(quoted) = serde_json::to_string(address) else {
        return 1;
    };
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|t| t.find(&quoted)) {
        let at = from + found;
        let before = text.get(..at).unwrap_or_default().trim_end();
        if let Some(before_colon) = before.strip_suffix(':') {
            if before_colon.trim_end().ends_with("\"address\"") {
                return line_at(text, at);
            }
        }
        from = at + quoted.len();
    }
    1
}

/// The 1-based line of every element of the array at `path` (`[Records]` of a CloudTrail log
/// file), in one pass: a log file of many thousands of records stays linear.
pub fn element_lines(text: &str, path: &[Step]) -> Vec<usize> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    for step in path {
        let hit = match step {
            Step::Key(key) => scanner.enter_key(key),
            Step::Index(index) => scanner.enter_index(*index),
        };
        if hit.is_none() {
            return Vec::new();
        }
    }
    let mut offsets = Vec::new();
    if scanner.eat(b'[').is_some() {
        loop {
            scanner.whitespace();
            if matches!(scanner.peek(), None | Some(b']')) {
                break;
            }
            offsets.push(scanner.pos);
            if scanner.skip_value().is_none() || scanner.eat(b',').is_none() {
                break;
            }
        }
    }
    // Offsets increase: count newlines once.
    let mut lines = Vec::with_capacity(offsets.len());
    let (mut line, mut at) = (1usize, 0usize);
    for offset in offsets {
        line += newlines_between(text, at, offset);
        at = offset;
        lines.push(line);
    }
    lines
}

/// The first key of the object `text` holds; `None` when `text` does not start with one.
pub fn first_key(text: &str) -> Option<String> {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.eat(b'{')?;
    scanner.whitespace();
    scanner.string()
}

fn offset_of(text: &str, path: &[Step]) -> usize {
    let mut scanner = Scanner {
        bytes: text.as_bytes(),
        pos: 0,
    };
    scanner.whitespace();
    let mut found = scanner.pos;
    for step in path {
        let hit = match step {
            Step::Key(key) => scanner.enter_key(key),
            Step::Index(index) => scanner.enter_index(*index),
        };
        match hit {
            Some(at) => found = at,
            None => break,
        }
    }
    found
}

/// The lines of many paths in one document. Each lookup resumes from what earlier ones reached
/// on their way (the same prefix; the start of every array element passed, so an element before
/// the furthest one is found at once) and counts lines from the nearest offset already counted:
/// a document with a finding in each of its statements is scanned about once, not once per
/// finding, in whatever order the findings come. Answers equal [`line_of`]'s.
pub struct Locator<'a> {
    text: &'a str,
    /// Every path entered so far: the scanner position at its value, and the offset reported.
    entered: HashMap<Vec<Step>, (usize, usize), PathHasher>,
    /// For each array entered: where each element reached so far starts, in order.
    elements: HashMap<Vec<Step>, Vec<usize>, PathHasher>,
    /// (offset, line) pairs counted so far, sorted by offset.
    counted: Vec<(usize, usize)>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            entered: HashMap::default(),
            elements: HashMap::default(),
            counted: vec![(0, 1)],
        }
    }

    /// The 1-based line where the value at `path` starts, as [`line_of`].
    pub fn line_of(&mut self, path: &[Step]) -> usize {
        let offset = self.offset_of(path);
        self.line_at(offset)
    }

    fn offset_of(&mut self, path: &[Step]) -> usize {
        let mut scanner = Scanner {
            bytes: self.text.as_bytes(),
            pos: 0,
        };
        scanner.whitespace();
        let mut found = scanner.pos;
        let mut depth = 0;
        for known in (1..=path.len()).rev() {
            if let Some(&(pos, offset)) = path.get(..known).and_then(|p| self.entered.get(p)) {
                (scanner.pos, found, depth) = (pos, offset, known);
                break;
            }
        }
        for (at, step) in path.iter().enumerate().skip(depth) {
            let parent = path.get(..at).unwrap_or_default();
            let hit = match step {
                Step::Key(key) => scanner.enter_key(key),
                Step::Index(index) => {
                    if !self.elements.contains_key(parent) {
                        self.elements.insert(parent.to_vec(), Vec::new());
                    }
                    let starts = self.elements.get_mut(parent);
                    starts.and_then(|starts| scanner.element_start(starts, *index))
                }
            };
            let Some(offset) = hit else { break };
            found = offset;
            if let Some(prefix) = path.get(..=at) {
                self.entered.insert(prefix.to_vec(), (scanner.pos, offset));
            }
        }
        found
    }

    fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        let nearest = self.counted.partition_point(|&(known, _)| known <= offset);
        let (from, line) = nearest
            .checked_sub(1)
            .and_then(|i| self.counted.get(i))
            .copied()
            .unwrap_or((0, 1));
        let line = line + newlines_between(self.text, from, offset);
        if from != offset {
            self.counted.insert(nearest, (offset, line));
        }
        line
    }
}

/// The locator's maps: a multiply-rotate hash (as rustc's FxHash) instead of SipHash, which was
/// a sixth of the locator's time. Paths hold keys from the document, so the hash starts from a
/// per-process random seed: an input cannot be crafted to make its paths collide.
#[derive(Clone)]
struct PathHasher {
    seed: u64,
}

impl Default for PathHasher {
    fn default() -> Self {
        PathHasher {
            seed: std::collections::hash_map::RandomState::new().hash_one(0u8),
        }
    }
}

impl BuildHasher for PathHasher {
    type Hasher = FxHasher;

    fn build_hasher(&self) -> FxHasher {
        FxHasher { hash: self.seed }
    }
}

struct FxHasher {
    hash: u64,
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let word = chunk
                .iter()
                .rev()
                .fold(0u64, |word, &b| word << 8 | u64::from(b));
            self.write_u64(word);
        }
    }

    fn write_u64(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    /// In the object at the cursor, moves to the value of `key`; returns the key's offset.
    fn enter_key(&mut self, key: &str) -> Option<usize> {
        self.eat(b'{')?;
        loop {
            self.whitespace();
            if self.peek() == Some(b'}') {
                return None;
            }
            let key_start = self.pos;
            let is_key = self.string_is(key)?;
            self.eat(b':')?;
            self.whitespace();
            if is_key {
                return Some(key_start);
            }
            self.skip_value()?;
            self.whitespace();
            self.eat(b',')?;
        }
    }

    /// In the array at the cursor, moves to element `index`; returns its offset.
    fn enter_index(&mut self, index: usize) -> Option<usize> {
        self.eat(b'[')?;
        let mut n = 0usize;
        loop {
            self.whitespace();
            if self.peek() == Some(b']') {
                return None;
            }
            if n == index {
                return Some(self.pos);
            }
            self.skip_value()?;
            self.whitespace();
            self.eat(b',')?;
            n += 1;
        }
    }

    /// Moves to element `index` of the array at the cursor, as [`Scanner::enter_index`] does,
    /// given `starts`, the starts of the elements passed before (the cursor is at the array
    /// when there are none): an element already passed is not scanned for again, a later one
    /// is reached from the last known, and every element passed on the way is added.
    fn element_start(&mut self, starts: &mut Vec<usize>, index: usize) -> Option<usize> {
        if let Some(&start) = starts.get(index) {
            self.pos = start;
            return Some(start);
        }
        match starts.last() {
            Some(&last) => self.pos = last,
            None => {
                self.eat(b'[')?;
                self.whitespace();
                if self.peek() == Some(b']') {
                    return None;
                }
                starts.push(self.pos);
            }
        }
        while starts.len() <= index {
            self.skip_value()?;
            self.eat(b',')?;
            self.whitespace();
            if self.peek() == Some(b']') {
                return None;
            }
            starts.push(self.pos);
        }
        Some(self.pos)
    }

    /// A string at the cursor, decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    /// Skips the string at the cursor; is its value `expected`? Keys with escapes compare by
    /// their decoded value; the others, nearly all, by their bytes, without decoding.
    fn string_is(&mut self, expected: &str) -> Option<bool> {
        let start = self.pos;
        self.skip_string()?;
        let quoted = self.bytes.get(start..self.pos)?;
        let inner = quoted.get(1..quoted.len().saturating_sub(1))?;
        if !inner.contains(&b'\\') {
            return Some(inner == expected.as_bytes());
        }
        let raw = std::str::from_utf8(quoted).ok()?;
        serde_json::from_str::<String>(raw)
            .ok()
            .map(|name| name == expected)
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let mut pos = self.pos + 1;
        loop {
            let rest = self.bytes.get(pos..)?;
            let at = next_quote_or_backslash(rest)?;
            if rest.get(at) == Some(&b'"') {
                self.pos = pos + at + 1;
                return Some(());
            }
            // An escape: the next byte is never the closing quote.
            pos += at + 2;
        }
    }

    /// Skips one value of any depth without recursion: only strings and brackets matter
    /// inside a container.
    fn skip_value(&mut self) -> Option<()> {
        self.whitespace();
        match self.peek()? {
            b'"' => return self.skip_string(),
            b'{' | b'[' => {}
            b'}' | b']' => return None,
            _ => {
                // A number, true, false or null.
                while matches!(
                    self.peek(),
                    Some(c) if !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b':')
                ) {
                    self.pos += 1;
                }
                return Some(());
            }
        }
        let mut depth = 0usize;
        while let Some(at) = self.bytes.get(self.pos..).and_then(next_structural) {
            self.pos += at;
            let Some(&byte) = self.bytes.get(self.pos) else {
                break;
            };
            match byte {
                b'"' => {
                    self.skip_string()?;
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
        None
    }
}

/// The offset of the first `"`, `{`, `[`, `}` or `]` in `bytes`: the only bytes that matter
/// inside a container being skipped. Eight bytes at a time: a byte equal to the one sought is
/// a zero byte of `word ^ sought`, found with the carry trick, whose lowest flag is exact;
/// OR 0x20 makes `[` a `{` and `]` a `}` (and no other byte either).
fn next_structural(bytes: &[u8]) -> Option<usize> {
    first_flagged(
        bytes,
        |word| {
            let folded = word | 0x2020_2020_2020_2020;
            bytes_equal(word, b'"') | bytes_equal(folded, b'{') | bytes_equal(folded, b'}')
        },
        |b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'),
    )
}

/// The offset of the first `"` or `\` in `bytes`: where a string ends or an escape starts.
fn next_quote_or_backslash(bytes: &[u8]) -> Option<usize> {
    first_flagged(
        bytes,
        |word| bytes_equal(word, b'"') | bytes_equal(word, b'\\'),
        |b| b == b'"' || b == b'\\',
    )
}

/// The high bit of each byte of `word` equal to `byte`, exact up to the lowest one (a borrow
/// may flag bytes above it, never below).
fn bytes_equal(word: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zeroed = word ^ (ONES * u64::from(byte));
    zeroed.wrapping_sub(ONES) & !zeroed & HIGHS
}

/// The first byte `flags` marks, a little-endian word at a time; `is` decides the last few.
fn first_flagged(
    bytes: &[u8],
    flags: impl Fn(u64) -> u64,
    is: impl Fn(u8) -> bool,
) -> Option<usize> {
    let mut chunks = bytes.chunks_exact(8);
    let mut base = 0;
    for chunk in &mut chunks {
        let hits = flags(chunk.try_into().map_or(0, u64::from_le_bytes));
        if hits != 0 {
            return Some(base + (hits.trailing_zeros() / 8) as usize);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| is(b))
        .map(|at| base + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn count_newlines_counts_every_one(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let expected = bytes.iter().filter(|&&b| b == b'\n').count();
            proptest::prop_assert_eq!(count_newlines(&bytes), expected);
            let lines = vec![b'\n'; bytes.len()];
            proptest::prop_assert_eq!(count_newlines(&lines), bytes.len());
        }
    }

    proptest::proptest! {
        /// Every byte value, at every position of a word and past its end.
        #[test]
        fn next_structural_finds_the_first_structural_byte(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let expected = bytes.iter().position(|&b| matches!(b, b'"' | b'{' | b'[' | b'}' | b']'));
            proptest::prop_assert_eq!(next_structural(&bytes), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn next_quote_or_backslash_finds_the_first(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\');
            proptest::prop_assert_eq!(next_quote_or_backslash(&bytes), expected);
        }
    }

    #[test]
    fn next_structural_ignores_look_alikes() {
        // 0x5B/0x5D are `[`/`]`; 0x7B/0x7D are `{`/`}`; the others differ from them by a bit.
        assert_eq!(next_structural(b"abcdefgh;=\x7f\x3b["), Some(12));
        assert_eq!(
            next_structural(b"\x02\x01\x00\xff\xa2\xdb\xfb\x22"),
            Some(7)
        );
        assert_eq!(next_structural(b"no structure at all here"), None);
    }

    const DOC: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Sid\": \"A\",\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"*\"\n    },\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"iam:PassRole\", \"x:y\"],\n      \"Resource\": {\"nested\": [1, {\"a\": \"]}\"}]}\n    },\n    {\"Effect\": \"Deny\", \"Action\": \"*\", \"Resource\": \"*\"}\n  ]\n}\n";

    #[test]
    fn pointers_parse_into_steps() {
        assert_eq!(
            parse_pointer("Statement[2].Action[0]"),
            vec![
                Step::Key("Statement".into()),
                Step::Index(2),
                Step::Key("Action".into()),
                Step::Index(0)
            ]
        );
        assert_eq!(
            parse_pointer("Statement"),
            vec![Step::Key("Statement".into())]
        );
        assert!(parse_pointer("").is_empty());
    }

    #[test]
    fn finds_statements_and_elements() {
        assert_eq!(line_of(DOC, &parse_pointer("Statement[0]")), 4);
        assert_eq!(line_of(DOC, &parse_pointer("Statement[1]")), 10);
        assert_eq!(line_of(DOC, &parse_pointer("Statement[1].Action[1]")), 12);
        assert_eq!(line_of(DOC, &parse_pointer("Statement[2]")), 15);
        assert_eq!(line_of(DOC, &parse_pointer("Statement")), 3);
        assert_eq!(line_of(DOC, &parse_pointer("")), 1);
    }

    #[test]
    fn missing_steps_fall_back_to_the_deepest_found() {
        assert_eq!(line_of(DOC, &parse_pointer("Statement[7]")), 3);
        assert_eq!(line_of(DOC, &parse_pointer("Statement[0].Condition.X")), 4);
        assert_eq!(
            line_of("\"{\\\"Statement\\\":[]}\"", &parse_pointer("Statement[0]")),
            1
        );
        assert_eq!(line_of("{{{{", &parse_pointer("Statement[0]")), 1);
        let deep = "[".repeat(100_000);
        assert_eq!(line_of(&deep, &parse_pointer("Statement[0]")), 1);
    }

    /// Every pointer into DOC that exists, and some that do not.
    fn pointers() -> Vec<Vec<Step>> {
        let mut all = vec![
            parse_pointer(""),
            parse_pointer("Statement"),
            parse_pointer("Version"),
        ];
        for i in 0..4 {
            all.push(parse_pointer(&format!("Statement[{i}]")));
            for key in ["Action", "Resource", "Effect", "Sid", "Condition.X"] {
                all.push(parse_pointer(&format!("Statement[{i}].{key}")));
                for j in 0..3 {
                    all.push(parse_pointer(&format!("Statement[{i}].{key}[{j}]")));
                }
            }
            all.push(parse_pointer(&format!(
                "Statement[{i}].Resource.nested[1].a"
            )));
        }
        all
    }

    #[test]
    fn the_locator_answers_as_line_of_in_any_order() {
        let all = pointers();
        let expected: Vec<usize> = all.iter().map(|p| line_of(DOC, p)).collect();
        let forward: Vec<usize> = {
            let mut locator = Locator::new(DOC);
            all.iter().map(|p| locator.line_of(p)).collect()
        };
        assert_eq!(forward, expected);
        let mut locator = Locator::new(DOC);
        for (pointer, line) in all.iter().zip(&expected).rev() {
            assert_eq!(locator.line_of(pointer), *line, "{pointer:?}");
        }
        // And again, now that everything is remembered.
        for (pointer, line) in all.iter().zip(&expected) {
            assert_eq!(locator.line_of(pointer), *line, "{pointer:?}");
        }
        assert_eq!(locator.line_of(&parse_pointer("Statement[1].Resource")), 13);
    }

    proptest::proptest! {
        /// Statements of varying shape and spacing, looked up in a random order (repeats
        /// included): the locator resumes from what it has seen, line_of starts over.
        #[test]
        fn the_locator_agrees_with_line_of(
            shapes in proptest::collection::vec((0usize..4, 0usize..3, proptest::bool::ANY), 1..12),
            order in proptest::collection::vec((0usize..14, 0usize..4, 0usize..4), 1..40),
        ) {
            let statements: Vec<String> = shapes
                .iter()
                .map(|(actions, blank_lines, compact)| {
                    let list: Vec<String> = (0..*actions).map(|i| format!("\"s3:A{i}\"")).collect();
                    let gap = "\n".repeat(*blank_lines);
                    if *compact {
                        format!("{{\"Action\": [{}], \"Resource\": \"*\"}}", list.join(","))
                    } else {
                        format!("{{{gap}\n  \"Resource\": [\"a\",\n\"b\"],\n  \"Action\": [\n{}\n]{gap}}}", list.join(",\n"))
                    }
                })
                .collect();
            let doc = format!("{{\"Version\": \"2012-10-17\",\n\"Statement\": [\n{}\n]}}", statements.join(",\n"));
            let mut locator = Locator::new(&doc);
            for (statement, field, element) in order {
                let key = ["Action", "Resource", "Effect", ""][field];
                let text = match (key, element) {
                    ("", _) => format!("Statement[{statement}]"),
                    (_, 3) => format!("Statement[{statement}].{key}"),
                    _ => format!("Statement[{statement}].{key}[{element}]"),
                };
                let path = parse_pointer(&text);
                proptest::prop_assert_eq!(locator.line_of(&path), line_of(&doc, &path), "{}", text);
            }
        }
    }

    /// Keys are compared by value: an escaped spelling of the key is found, and a key that
    /// only starts like it, or holds an escaped quote, is not taken for it.
    #[test]
    fn escaped_keys_compare_by_their_value() {
        let doc = "{\"St\\u0061tement\": [\n{\"Effect\": \"Allow\",\n\"Act\\\"ion\": 1,\n\"Actions\": 2,\n\"\\u0041ction\": \"*\"}]}";
        let path = parse_pointer("Statement[0].Action");
        assert_eq!(line_of(doc, &path), 5);
        assert_eq!(Locator::new(doc).line_of(&path), 5);
        assert_eq!(
            Locator::new(doc).line_of(&parse_pointer("Statement[0].Effect")),
            2
        );
    }

    #[test]
    fn lines_of_array_elements_in_one_pass() {
        let log = "{\"Records\": [\n {\"a\": [1,\n 2]},\n {\"b\": \"]\"}, 3\n]}";
        assert_eq!(
            element_lines(log, &[Step::Key("Records".into())]),
            vec![2, 4, 4]
        );
        assert_eq!(element_lines("[]", &[]), Vec::<usize>::new());
        assert_eq!(
            element_lines("{}", &[Step::Key("Records".into())]),
            Vec::<usize>::new()
        );
    }

    #[test]
    fn first_keys() {
        assert_eq!(first_key(DOC).as_deref(), Some("Version"));
        assert_eq!(
            first_key(" {\n \"St\\u0061tement\": []}").as_deref(),
            Some("Statement")
        );
        for no_key in ["{}", "[{\"a\": 1}]", "\"{}\"", "", "{\"a"] {
            assert_eq!(first_key(no_key), None, "{no_key}");
        }
    }

    #[test]
    fn finds_plan_addresses() {
        let plan = "{\n \"planned_values\": {\n  \"resources\": [\n   {\n    \"address\": \"aws_iam_policy.a\",\n    \"name\": \"aws_iam_policy.b\"\n   },\n   {\"address\": \"aws_iam_policy.b\"}\n  ]\n }\n}";
        assert_eq!(line_of_address(plan, "aws_iam_policy.a"), 5);
        assert_eq!(line_of_address(plan, "aws_iam_policy.b"), 8);
        assert_eq!(line_of_address(plan, "aws_iam_policy.c"), 1);
    }
}
