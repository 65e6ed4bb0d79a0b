//! Finding and reading inputs: files, directories (recursive), standard input; gzip by magic.

use flate2::read::MultiGzDecoder;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Refuse inputs larger than this once decompressed (a CloudTrail log file is a few MB).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

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
    let raw = match source {
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::stdin()
                .lock()
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| format!("cannot read standard input: {}", io_message(&e)))?;
            bytes
        }
        Source::File { path, .. } => {
            let file = std::fs::File::open(path).map_err(|e| io_message(&e))?;
            // Sized up front: one read instead of a doubling buffer.
            let size = file
                .metadata()
                .map_or(0, |m| m.len().min(MAX_INPUT_BYTES) + 1);
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            file.take(MAX_INPUT_BYTES + 1)
                .read_to_end(&mut bytes)
                .map_err(|e| io_message(&e))?;
            bytes
        }
    };
    let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(raw.as_slice())
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("not a valid gzip file: {e}"))?;
        out
    } else {
        raw
    };
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "larger than {} MiB: refusing to read it",
            MAX_INPUT_BYTES / 1024 / 1024
        ));
    }
    let mut text = String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())?;
    if text.starts_with('\u{feff}') {
        text.remove(0);
    }
    Ok(text)
}

/// `No such file or directory`, without Rust's `(os error 2)` suffix.
pub fn io_message(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(cut) => text.get(..cut).unwrap_or(&text).to_string(),
        None => text,
    }
}
