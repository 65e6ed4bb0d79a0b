//! Input bytes to text: gzip undone by its magic bytes (CloudTrail delivers `.json.gz` log
//! files), a size cap, UTF-8, and the byte-order mark some editors write dropped.

use flate2::read::MultiGzDecoder;
use std::io::Read;

/// Refuse inputs larger than this as read (a CloudTrail log file is a few MB).
pub const MAX_INPUT_BYTES: u64 = 512 * 1024 * 1024;

/// Refuse gzip inputs that decompress to more than this. Decompression is a stream, counted
/// before anything is kept: a 2 GiB gzip bomb is refused with a clear error having allocated
/// a 64 KiB buffer, and an accepted input costs its decompressed size once.
pub const MAX_DECOMPRESSED_BYTES: u64 = 256 * 1024 * 1024;

/// Why input bytes are not text policy-guard reads.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("not a valid gzip file: {0}")]
    Gzip(#[source] std::io::Error),
    #[error("larger than {} MiB: refusing to read it", MAX_INPUT_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("gzip input decompresses to more than {} MiB: refusing to read it", .0 / 1024 / 1024)]
    DecompressedTooLarge(u64),
    #[error("not enough memory to decompress the gzip input")]
    OutOfMemory,
    #[error("not UTF-8 text")]
    NotUtf8,
}

/// The text `buffer` holds, decompressing it first when it is gzip. `buffer` may hold up to
/// [`MAX_INPUT_BYTES`] + 1 bytes: one more than the cap says it was cut.
pub fn decode(buffer: &mut Vec<u8>) -> Result<&str, DecodeError> {
    decode_within(buffer, MAX_DECOMPRESSED_BYTES)
}

fn decode_within(buffer: &mut Vec<u8>, limit: u64) -> Result<&str, DecodeError> {
    if buffer.starts_with(&[0x1f, 0x8b]) {
        *buffer = gunzip(buffer, limit)?;
    }
    if buffer.len() as u64 > MAX_INPUT_BYTES {
        return Err(DecodeError::TooLarge);
    }
    let text = std::str::from_utf8(buffer).map_err(|_| DecodeError::NotUtf8)?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// `compressed` decompressed, refused as soon as it passes `limit` bytes. Two passes: the
/// first streams through a fixed 64 KiB buffer only to count the bytes (a bomb is refused
/// there, having allocated nothing more), the second fills a buffer of exactly that size, so
/// memory never exceeds the decompressed text (no doubling, no copy on growth).
fn gunzip(compressed: &[u8], limit: u64) -> Result<Vec<u8>, DecodeError> {
    let size = decompressed_size(compressed, limit)?;
    let mut out: Vec<u8> = Vec::new();
    out.try_reserve_exact(usize::try_from(size).map_err(|_| DecodeError::OutOfMemory)?)
        .map_err(|_| DecodeError::OutOfMemory)?;
    MultiGzDecoder::new(compressed)
        .take(size)
        .read_to_end(&mut out)
        .map_err(DecodeError::Gzip)?;
    Ok(out)
}

/// The decompressed size of `compressed`, read as a stream; an error past `limit`.
fn decompressed_size(compressed: &[u8], limit: u64) -> Result<u64, DecodeError> {
    let mut decoder = MultiGzDecoder::new(compressed);
    let mut chunk = vec![0u8; 64 * 1024];
    let mut size: u64 = 0;
    loop {
        match decoder.read(&mut chunk) {
            Ok(0) => return Ok(size),
            Ok(read) => {
                size = size.saturating_add(read as u64);
                if size > limit {
                    return Err(DecodeError::DecompressedTooLarge(limit));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(DecodeError::Gzip(e)),
        }
    }
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
        // A gzip bomb is refused once past the limit, with the buffer never beyond it.
        let mut bomb = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        bomb.write_all(&vec![b' '; 3 * 1024 * 1024]).unwrap();
        let mut bomb = bomb.finish().unwrap();
        assert!(bomb.len() < 64 * 1024);
        assert_eq!(
            decode_within(&mut bomb.clone(), 1024 * 1024)
                .unwrap_err()
                .to_string(),
            "gzip input decompresses to more than 1 MiB: refusing to read it"
        );
        let out = gunzip(&bomb, 4 * 1024 * 1024).unwrap();
        assert_eq!(out.capacity(), 3 * 1024 * 1024);
        assert_eq!(
            decode_within(&mut bomb, 4 * 1024 * 1024).unwrap().len(),
            3 * 1024 * 1024
        );
        let mut binary = vec![0xff, 0xfe, 0];
        assert_eq!(
            decode(&mut binary).unwrap_err().to_string(),
            "not UTF-8 text"
        );
    }
}
