//! Percent-encoding as RFC 5849 §3.6 defines it, and form decoding of the
//! query and `application/x-www-form-urlencoded` bodies (§3.4.1.3.1).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use std::fmt;

/// Everything but the unreserved characters `ALPHA / DIGIT / "-" / "." /
/// "_" / "~"` is encoded (RFC 5849 §3.6). This is stricter than
/// `encodeURIComponent`, which leaves `!*'()` alone.
const RFC5849_RESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes UTF-8 text with uppercase hex digits (RFC 5849 §3.6).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, RFC5849_RESERVED).to_string()
}

/// Why a query string or form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// A `%` not followed by two hex digits.
    MalformedEscape { fragment: String },
    /// The escapes decode to bytes that are not UTF-8.
    NotUtf8 { fragment: String },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::MalformedEscape { fragment } => write!(
                f,
                "\"{fragment}\" has a % that is not followed by two hex digits; \
                 write a literal % as %25"
            ),
            DecodeError::NotUtf8 { fragment } => write!(
                f,
                "\"{fragment}\" decodes to bytes that are not UTF-8; \
                 RFC 5849 §3.6 encodes text as UTF-8 (é is %C3%A9, not %E9)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes one `name` or `value` of a form-encoded string: `+` is a space,
/// and escapes must be well formed and decode to UTF-8.
pub fn form_decode_component(text: &str) -> Result<String, DecodeError> {
    check_escapes(text)?;

    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| DecodeError::NotUtf8 {
            fragment: text.to_owned(),
        })
}

/// Decodes a percent-encoded value where `+` is literal, as in the
/// `Authorization` header (RFC 5849 §3.5.1).
pub fn percent_decode(text: &str) -> Result<String, DecodeError> {
    check_escapes(text)?;

    percent_decode_str(text)
        .decode_utf8()
        .map(|decoded| decoded.into_owned())
        .map_err(|_| DecodeError::NotUtf8 {
            fragment: text.to_owned(),
        })
}

/// Splits `a=1&b=2&c` into decoded pairs. A name without `=` has an empty
/// value; empty segments (`a=1&&b=2`) are skipped.
pub fn form_decode(text: &str) -> Result<Vec<(String, String)>, DecodeError> {
    text.split('&')
        .filter(|segment| !segment.is_empty())
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            Ok((form_decode_component(name)?, form_decode_component(value)?))
        })
        .collect()
}

fn check_escapes(text: &str) -> Result<(), DecodeError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let well_formed = bytes.len() > i + 2
                && bytes[i + 1].is_ascii_hexdigit()
                && bytes[i + 2].is_ascii_hexdigit();
            if !well_formed {
                return Err(DecodeError::MalformedEscape {
                    fragment: text.to_owned(),
                });
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc3986_reserved_and_keeps_unreserved() {
        // RFC 5849 §3.6: only ALPHA, DIGIT, "-", ".", "_", "~" stay literal.
        assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            percent_encode("!*'() +/=&%"),
            "%21%2A%27%28%29%20%2B%2F%3D%26%25"
        );
        assert_eq!(percent_encode("é☃"), "%C3%A9%E2%98%83");
    }

    #[test]
    fn decodes_plus_as_space_and_keeps_encoded_plus() {
        let pairs = form_decode("a2=r%20b&c2&a3=2+q&p=%2B").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a2".into(), "r b".into()),
                ("c2".into(), "".into()),
                ("a3".into(), "2 q".into()),
                ("p".into(), "+".into()),
            ]
        );
    }

    #[test]
    fn rejects_malformed_and_non_utf8_escapes() {
        assert!(matches!(
            form_decode("a=%zz"),
            Err(DecodeError::MalformedEscape { .. })
        ));
        assert!(matches!(
            form_decode("a=%4"),
            Err(DecodeError::MalformedEscape { .. })
        ));
        assert!(matches!(
            form_decode("a=%E9"),
            Err(DecodeError::NotUtf8 { .. })
        ));
    }
}
