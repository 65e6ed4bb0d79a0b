//! The encodings a policy document arrives in.
//!
//! CloudTrail puts documents into `requestParameters` as JSON strings; IAM's Get* APIs return
//! them URL-encoded (RFC 3986). Both layers can stack (a URL-encoded document inside a JSON
//! string), so decoding peels layers until the text is a JSON object, a bounded number of times.

use std::borrow::Cow;

/// At most this many encoding layers are peeled: enough for every real source, and a bound
/// against a document that decodes into itself forever.
const MAX_LAYERS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("document is a JSON string that is not valid JSON text: {0}")]
    JsonString(String),
    #[error("URL-encoded document does not decode to UTF-8 text")]
    UrlEncodingNotUtf8,
    #[error("document is encoded more than {MAX_LAYERS} times")]
    TooManyLayers,
}

/// Returns the document as JSON object text, peeling JSON-string and URL-encoding layers.
/// Text that is neither is returned unchanged for the JSON parser to judge.
pub fn decode_document(text: &str) -> Result<Cow<'_, str>, DecodeError> {
    let mut current: Cow<'_, str> = Cow::Borrowed(text.trim());
    for _ in 0..=MAX_LAYERS {
        let trimmed = current.trim_start();
        let next = if trimmed.starts_with('"') {
            let inner: String = serde_json::from_str(current.trim())
                .map_err(|e| DecodeError::JsonString(e.to_string()))?;
            inner
        } else if looks_url_encoded(trimmed) {
            percent_encoding::percent_decode_str(&current.replace('+', " "))
                .decode_utf8()
                .map_err(|_| DecodeError::UrlEncodingNotUtf8)?
                .into_owned()
        } else {
            return Ok(current);
        };
        current = Cow::Owned(next.trim().to_string());
    }
    Err(DecodeError::TooManyLayers)
}

/// `%7B` (`{`) or `%22` (`"`) at the start: no JSON document starts with `%`.
fn looks_url_encoded(text: &str) -> bool {
    text.starts_with('%')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_is_unchanged() {
        assert_eq!(decode_document(" {\"a\":1} ").unwrap(), "{\"a\":1}");
    }

    #[test]
    fn peels_json_string_and_url_encoding_layers() {
        assert_eq!(decode_document(r#""{\"a\":1}""#).unwrap(), r#"{"a":1}"#);
        assert_eq!(decode_document("%7B%22a%22%3A1%7D").unwrap(), r#"{"a":1}"#);
        assert_eq!(
            decode_document("%257B%2522a%2522%253A1%257D").unwrap(),
            r#"{"a":1}"#
        );
        assert_eq!(
            decode_document(r#""%7B%22a%22%3A1%7D""#).unwrap(),
            r#"{"a":1}"#
        );
    }

    #[test]
    fn bounded_layers_and_bad_utf8_are_errors() {
        let mut text = "{}".to_string();
        for _ in 0..6 {
            text = serde_json::to_string(&text).unwrap();
        }
        assert_eq!(decode_document(&text), Err(DecodeError::TooManyLayers));
        assert_eq!(
            decode_document("%FF%FE"),
            Err(DecodeError::UrlEncodingNotUtf8)
        );
    }
}
