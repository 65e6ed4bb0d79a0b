//! Line numbers for findings: where in a file's JSON text a path such as
//! `Statement[2].Action[0]` or `Records[5]` begins.
//!
//! A small position-tracking scanner, not a parser: it walks only as deep as the path asks and
//! skips everything else iteratively, so hostile nesting cannot overflow the stack. When a step
//! of the path is not there (a document given as a JSON string, a key with a dot in it) the
//! line of the deepest step found is the answer; line 1 when nothing matched.

/// One step of a path.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    let bytes = text.as_bytes();
    let end = offset.min(bytes.len());
    bytes
        .get(..end)
        .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count())
        + 1
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
        line += text
            .as_bytes()
            .get(at..offset)
            .map_or(0, |b| b.iter().filter(|c| **c == b'\n').count());
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
            let name = self.string()?;
            self.eat(b':')?;
            self.whitespace();
            if name == key {
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

    /// A string at the cursor, decoded (keys with escapes compare by their value).
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        let raw = std::str::from_utf8(self.bytes.get(start..self.pos)?).ok()?;
        serde_json::from_str(raw).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let mut pos = self.pos + 1;
        loop {
            let rest = self.bytes.get(pos..)?;
            let at = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
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
        while let Some(&byte) = self.bytes.get(self.pos) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
