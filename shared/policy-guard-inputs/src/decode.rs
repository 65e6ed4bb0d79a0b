//! Input bytes to text: gzip undone by its magic bytes (CloudTrail delivers `.json.gz` log
//! files), a size cap, UTF-8, and the byte-order mark some editors write dropped.

use flate2::read::MultiGzDecoder;
use std::io::Read;

/// Refuse inputs larger than this once decompressed (a CloudTrail log file is a few MB).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Why input bytes are not text policy-guard reads.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not a valid gzip file: {0}")]
    Gzip(#[source] std::io::Error),
    #[error("larger than {} MiB: refusing to read it", MAX_INPUT_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("not UTF-8 text")]
    NotUtf8,
}

/// The text `buffer` holds, decompressing it in place first when it is gzip. `buffer` may hold
/// up to [`MAX_INPUT_BYTES`] + 1 bytes: one more than the cap says it was cut.
pub fn decode(buffer: &mut Vec<u8>) -> Result<&str, DecodeError> {
    if buffer.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        MultiGzDecoder::new(buffer.as_slice())
            .take(MAX_INPUT_BYTES + 1)
            .read_to_end(&mut out)
            .map_err(DecodeError::Gzip)?;
        *buffer = out;
    }
    if buffer.len() as u64 > MAX_INPUT_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let text = std::str::from_utf8(buffer).map_err(|_| DecodeError::NotUtf8)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn gzip_plain_and_broken_inputs() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all("\u{feff}{\"Records\": []}".as_bytes())
            .unwrap();
        let mut buffer = gz.finish().unwrap();
        assert_eq!(decode(&mut buffer).unwrap(), "{\"Records\": []}");
        let mut plain = b"{}".to_vec();
        assert_eq!(decode(&mut plain).unwrap(), "{}");
        let mut broken = vec![0x1f, 0x8b, 0, 1, 2];
        assert!(decode(&mut broken)
            .unwrap_err()
            .to_string()
            .starts_with("not a valid gzip file: "));
        let mut binary = vec![0xff, 0xfe, 0];
        assert_eq!(
            decode(&mut binary).unwrap_err().to_string(),
            "not UTF-8 text"
        );
    }
}
