//! Base64url without padding, the only encoding JWS segments may use
//! (RFC 7515 §2 and Appendix C; the alphabet is RFC 4648 §5).
//!
//! Decoding is strict: the standard alphabet's `+` and `/`, padding `=`,
//! whitespace and non-canonical trailing bits are all rejected, each with
//! its own error, because lenient decoders are a classic source of "it
//! verifies here but not there".

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::fmt;

/// Encodes octets as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding (RFC 7515 §2).
///
/// # Errors
///
/// Names the first offending character and its position, or says why the
/// length or the last character cannot be right.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64UrlError> {
    if let Some(error) = first_bad_character(text) {
        return Err(error);
    }

    // Every character is now in the alphabet, so only the length and the
    // unused bits of the last character can still be wrong.
    URL_SAFE_NO_PAD.decode(text).map_err(|error| match error {
        base64::DecodeError::InvalidLastSymbol(..) => Base64UrlError::NonCanonical,
        _ => Base64UrlError::InvalidLength {
            length: text.chars().count(),
        },
    })
}

fn first_bad_character(text: &str) -> Option<Base64UrlError> {
    text.chars()
        .enumerate()
        .find(|(_, c)| !c.is_ascii_alphanumeric() && *c != '-' && *c != '_')
        .map(|(position, character)| match character {
            '+' | '/' => Base64UrlError::StandardAlphabet {
                character,
                position,
            },
            '=' => Base64UrlError::Padding { position },
            _ => Base64UrlError::InvalidCharacter {
                character,
                position,
            },
        })
}

/// Why a segment is not base64url. Positions count characters from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64UrlError {
    /// `+` or `/`: standard base64 (RFC 4648 §4), not base64url (§5).
    StandardAlphabet { character: char, position: usize },
    /// `=`: JWS drops the padding (RFC 7515 §2).
    Padding { position: usize },
    /// Anything else outside `A-Z a-z 0-9 - _`, whitespace included.
    InvalidCharacter { character: char, position: usize },
    /// 4n+1 characters: no octet string encodes to that length.
    InvalidLength { length: usize },
    /// The last character carries set bits that encode nothing, so the
    /// text is not the canonical encoding of any octets.
    NonCanonical,
}

impl fmt::Display for Base64UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Base64UrlError::StandardAlphabet {
                character,
                position,
            } => {
                let replacement = if *character == '+' { '-' } else { '_' };
                write!(
                    f,
                    "'{character}' at position {position} is standard base64, not base64url; \
                     the encoder should write '{replacement}' instead (RFC 7515 §2)"
                )
            }
            Base64UrlError::Padding { position } => write!(
                f,
                "padding '=' at position {position}; base64url in JWS has no padding, \
                 so the encoder should drop the trailing '=' (RFC 7515 §2)"
            ),
            Base64UrlError::InvalidCharacter {
                character,
                position,
            } => write!(
                f,
                "{} at position {position} is not base64url, which allows only \
                 A-Z a-z 0-9 - _; check the token was copied whole, without line breaks",
                describe_character(*character)
            ),
            Base64UrlError::InvalidLength { length } => write!(
                f,
                "{length} characters cannot be base64url (a length of 4n+1 never occurs); \
                 the segment was probably cut short when copied"
            ),
            Base64UrlError::NonCanonical => write!(
                f,
                "the last character has unused bits set, so this is not the base64url \
                 of any octets; the segment was probably edited by hand"
            ),
        }
    }
}

impl std::error::Error for Base64UrlError {}

fn describe_character(character: char) -> String {
    match character {
        ' ' => "a space".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        '\t' => "a tab".to_owned(),
        c if c.is_control() => format!("the control character U+{:04X}", u32::from(c)),
        c => format!("'{c}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_accepts_the_rfc_7515_appendix_c_example() {
        // RFC 7515 Appendix C: the octets 3, 236, 255, 224, 193.
        assert_eq!(decode("A-z_4ME").unwrap(), vec![3, 236, 255, 224, 193]);
        assert_eq!(encode(&[3, 236, 255, 224, 193]), "A-z_4ME");
    }

    #[test]
    fn decode_accepts_the_empty_string() {
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
    }

    #[test]
    fn decode_rejects_the_standard_alphabet() {
        assert_eq!(
            decode("A+z/4ME").unwrap_err(),
            Base64UrlError::StandardAlphabet {
                character: '+',
                position: 1
            }
        );
        assert_eq!(
            decode("Az/4ME").unwrap_err(),
            Base64UrlError::StandardAlphabet {
                character: '/',
                position: 2
            }
        );
    }

    #[test]
    fn decode_rejects_padding() {
        assert_eq!(
            decode("YQ==").unwrap_err(),
            Base64UrlError::Padding { position: 2 }
        );
    }

    #[test]
    fn decode_rejects_whitespace_and_other_characters() {
        assert_eq!(
            decode("YW Jj").unwrap_err(),
            Base64UrlError::InvalidCharacter {
                character: ' ',
                position: 2
            }
        );
        let message = decode("YW\nJj").unwrap_err().to_string();
        assert!(message.contains("a line break"), "{message}");
        assert!(decode("é").is_err());
    }

    #[test]
    fn decode_rejects_a_length_of_4n_plus_1() {
        assert_eq!(
            decode("YWJjZ").unwrap_err(),
            Base64UrlError::InvalidLength { length: 5 }
        );
    }

    #[test]
    fn decode_rejects_non_canonical_trailing_bits() {
        // "YQ" is "a"; "YR" differs only in bits that encode nothing.
        assert_eq!(decode("YQ").unwrap(), b"a");
        assert_eq!(decode("YR").unwrap_err(), Base64UrlError::NonCanonical);
    }

    #[test]
    fn errors_name_the_fix() {
        let message = decode("a+b").unwrap_err().to_string();
        assert!(message.contains("'-'"), "{message}");
    }
}
