//! Finding and reading inputs: files, directories (recursive), standard input. The bytes
//! become text (gzip undone by magic) in `policy_guard_inputs::decode`.

use policy_guard_inputs::decode::{decode, MAX_INPUT_BYTES};
use std::io::Read;
use std::path::{Path, PathBuf};

/// One input to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Stdin,
    File {
        path: PathBuf,
        /// Found by walking a directory (not named on the command line): an unrecognised
        /// document is skipped rather than an error.
        walked: bool,
    },
}

impl Source {
    /// The path as shown in output: as given, `/` separators, no leading `./`.
    pub fn display(&self) -> String {
        match self {
            Source::Stdin => "-".to_string(),
            Source::File { path, .. } => display_path(path),
        }
    }

    pub fn walked(&self) -> bool {
        matches!(self, Source::File { walked: true, .. })
    }
}

pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_string()
}

/// Expands the command line's paths. Errors (a path that does not exist, an unreadable
/// directory) come back with the path they concern; the other inputs are still returned.
pub fn collect(paths: &[String]) -> (Vec<Source>, Vec<(String, String)>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for arg in paths {
        if arg == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        let path = PathBuf::from(arg);
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, &mut sources, &mut errors),
            Ok(_) => sources.push(Source::File {
                path,
                walked: false,
            }),
            Err(error) => errors.push((display_path(&path), io_message(&error))),
        }
    }
    (sources, errors)
}

/// `*.json` and `*.json.gz` under `dir`, sorted, skipping hidden directories (`.git`,
/// `.terraform`) and not following symbolic links to directories.
fn walk(dir: &Path, sources: &mut Vec<Source>, errors: &mut Vec<(String, String)>) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries = match std::fs::read_dir(&current) {
            Ok(entries) => entries,
            Err(error) => {
                errors.push((display_path(&current), io_message(&error)));
                continue;
            }
        };
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    errors.push((display_path(&current), io_message(&error)));
                    continue;
                }
            };
            let path = entry.path();
            let file_name = entry.file_name();
            let name = file_name.to_string_lossy().to_string();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                if !name.starts_with('.') {
                    dirs.push(path);
                }
            } else if name.ends_with(".json") || name.ends_with(".json.gz") {
                // A symbolic link to a file is followed when read.
                files.push((file_name, path));
            }
        }
        // One directory's files differ only in their names: sorting by name is the order of
        // their paths, without comparing path components.
        files.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
        dirs.sort();
        sources.extend(
            files
                .into_iter()
                .map(|(_, path)| Source::File { path, walked: true }),
        );
        // Depth-first in name order: push in reverse so the first directory is next.
        stack.extend(dirs.into_iter().rev());
    }
}

/// Reads an input as text, decompressing gzip (by its magic bytes, whatever the name).
pub fn read(source: &Source) -> Result<String, String> {
    read_with(source, &mut Vec::new()).map(str::to_owned)
}

/// [`read`] into `buffer`, which a checking thread reuses from file to file: no allocation and
/// no size query (`statx`) per file once the buffer has grown to the inputs' size.
pub fn read_with<'b>(source: &Source, buffer: &'b mut Vec<u8>) -> Result<&'b str, String> {
    buffer.clear();
    match source {
        Source::Stdin => {
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(buffer)
                .map_err(|e| format!("cannot read standard input: {}", io_message(&e)))?;
        }
        Source::File { path, .. } => {
            std::fs::File::open(path)
                .and_then(|file| file.take(MAX_INPUT_BYTES + 1).read_to_end(buffer))
                .map_err(|e| io_message(&e))?;
        }
    }
    decode(buffer).map_err(|e| e.to_string())
}

/// `No such file or directory`, without Rust's `(os error 2)` suffix.
pub fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_string(),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(dir: &Path, name: &str, bytes: &[u8]) -> Source {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        Source::File {
            path,
            walked: false,
        }
    }

    /// One buffer through a large file, a gzip file, a BOM-prefixed one and a small one: each
    /// read gives exactly that file's text, nothing left from the one before.
    #[test]
    fn a_reused_buffer_holds_only_the_current_input() {
        let dir = std::env::temp_dir().join(format!("policy-guard-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let large = "x".repeat(100_000);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"zipped\": true}").unwrap();
        let sources = [
            (file(&dir, "large.json", large.as_bytes()), large.as_str()),
            (
                file(&dir, "log.json.gz", &gz.finish().unwrap()),
                "{\"zipped\": true}",
            ),
            (file(&dir, "bom.json", "\u{feff}{}".as_bytes()), "{}"),
            (file(&dir, "small.json", b"[]"), "[]"),
        ];
        let mut buffer = Vec::new();
        for (source, expected) in &sources {
            assert_eq!(read_with(source, &mut buffer).unwrap(), *expected);
            assert_eq!(read(source).unwrap(), *expected);
        }
        let bad = file(&dir, "latin1.json", b"\xe9t\xe9");
        assert_eq!(
            read_with(&bad, &mut buffer),
            Err("not UTF-8 text".to_string())
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
