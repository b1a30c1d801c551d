//! Decoding the JWS Compact Serialization (RFC 7515 §7.1) and the JWT
//! Claims Set it usually carries (RFC 7519 §7.2), without verifying
//! anything.
//!
//! Decoding keeps the raw segments (the UI colours them), the JOSE Header
//! and the claims as JSON values, and the payload as text. A string with
//! no dot, or one that does not look like JOSE at all, is an opaque token
//! rather than an error: many access tokens are deliberately opaque.
//!
//! Limitations:
//! - JWE (RFC 7516) is recognised by its five segments and header, but
//!   not decrypted.
//! - A nested JWT (`cty` "JWT") shows the inner token as payload text; it
//!   is not decoded in turn.
//! - Payloads that are not UTF-8 are rejected, although RFC 7515 allows
//!   any octets: every JWT is UTF-8 (RFC 7519 §7.2 step 10).

use serde_json::Value;
use std::fmt;

use super::algorithm::{Algorithm, NONE};
use super::base64url::{self, Base64UrlError};

/// The three parts of a compact JWS, exactly as they appear in the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Segments {
    pub header: String,
    pub payload: String,
    pub signature: String,
}

impl Segments {
    /// The JWS Signing Input: header and payload joined by a dot
    /// (RFC 7515 §5.1 step 6).
    pub fn signing_input(&self) -> String {
        format!("{}.{}", self.header, self.payload)
    }
}

impl fmt::Debug for Segments {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // With the signature the segments are a working bearer token.
        f.debug_struct("Segments")
            .field("header", &self.header)
            .field("payload", &self.payload)
            .field("signature", &"[redacted]")
            .finish()
    }
}

/// A decoded, not yet verified, compact JWS.
#[derive(Clone, PartialEq)]
pub struct Jws {
    pub segments: Segments,
    /// The JOSE Header; always a JSON object.
    pub header: Value,
    /// The JWT Claims Set, when the payload is a JSON object. `None` for a
    /// JWS whose payload is plain text (RFC 7520 §4 signs a quotation).
    pub claims: Option<Value>,
    /// The payload as UTF-8 text, whatever it holds.
    pub payload_text: String,
    /// The decoded JWS Signature; empty for an Unsecured JWS.
    pub signature: Vec<u8>,
}

impl fmt::Debug for Jws {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jws")
            .field("header", &self.header)
            .field("claims", &self.claims)
            .field("signature_len", &self.signature.len())
            .finish_non_exhaustive()
    }
}

impl Jws {
    /// The `alg` Header Parameter, when it is a string (RFC 7515 §4.1.1).
    pub fn alg(&self) -> Option<&str> {
        self.header.get("alg").and_then(Value::as_str)
    }

    /// The algorithm, when `alg` names one this playground verifies.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg().and_then(Algorithm::from_name)
    }

    /// True for `alg` "none": an Unsecured JWS (RFC 7518 §3.6), which
    /// must never be accepted as valid.
    pub fn is_unsecured(&self) -> bool {
        self.alg() == Some(NONE)
    }

    /// The `kid` Header Parameter (RFC 7515 §4.1.4).
    pub fn kid(&self) -> Option<&str> {
        self.header.get("kid").and_then(Value::as_str)
    }

    /// One claim, if the payload is a claims set that has it.
    pub fn claim(&self, name: &str) -> Option<&Value> {
        self.claims.as_ref().and_then(|claims| claims.get(name))
    }
}

/// A JWE in compact form (RFC 7516 §7.1): recognised, not decrypted.
// Limitation: JWE decryption is not implemented.
#[derive(Debug, Clone, PartialEq)]
pub struct Jwe {
    /// The JOSE Header, the only part readable without the key.
    pub header: Value,
    /// The five segments as they appear in the token.
    pub segments: Vec<String>,
}

/// What a pasted token turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A signed (or unsecured) JWS, usually a JWT.
    Jws(Jws),
    /// An encrypted JWT.
    Jwe(Jwe),
    /// Not JOSE: only the issuer can tell what it means (RFC 6749 §1.4
    /// leaves access tokens opaque; RFC 7662 introspection asks it).
    Opaque,
}

/// Which segment of the token an error is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentName {
    Header,
    Payload,
    Signature,
}

impl SegmentName {
    pub fn label(self) -> &'static str {
        match self {
            SegmentName::Header => "header",
            SegmentName::Payload => "payload",
            SegmentName::Signature => "signature",
        }
    }
}

/// Why a token that looks like a JWS could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Empty,
    /// Not three dot-separated segments (RFC 7515 §7.1).
    SegmentCount {
        found: usize,
    },
    Base64Url {
        segment: SegmentName,
        error: Base64UrlError,
    },
    HeaderNotUtf8,
    /// The header is not JSON; carries serde_json's reason.
    HeaderNotJson(String),
    /// The header is JSON but not an object (RFC 7515 §4).
    HeaderNotObject {
        found: &'static str,
    },
    /// The payload is not UTF-8 (RFC 7519 §7.2 step 10).
    PayloadNotUtf8 {
        valid_up_to: usize,
    },
    ClaimsNotJson(String),
    /// The claims are JSON but not an object (RFC 7519 §7.2 step 10).
    ClaimsNotObject {
        found: &'static str,
    },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Empty => write!(f, "the token is empty; paste a JWT or another token"),
            DecodeError::SegmentCount { found } => {
                write!(
                    f,
                    "a JWS in compact serialization has 3 segments separated by dots \
                     (RFC 7515 §7.1), found {found}"
                )?;
                match found {
                    2 => write!(
                        f,
                        "; the signature segment is missing (even an unsecured JWS ends with a dot)"
                    ),
                    5 => write!(
                        f,
                        "; five segments would be a JWE (RFC 7516), but the header has no \"enc\""
                    ),
                    _ => write!(f, "; check the token was copied whole and only once"),
                }
            }
            DecodeError::Base64Url { segment, error } => {
                write!(f, "the {} segment: {error}", segment.label())
            }
            DecodeError::HeaderNotUtf8 => write!(
                f,
                "the header decodes to octets that are not UTF-8; a JOSE Header is UTF-8 JSON \
                 (RFC 7515 §5.2 step 3)"
            ),
            DecodeError::HeaderNotJson(reason) => write!(
                f,
                "the header is not JSON ({reason}); a JOSE Header is a JSON object \
                 (RFC 7515 §5.2 step 4)"
            ),
            DecodeError::HeaderNotObject { found } => write!(
                f,
                "the header is a JSON {found}, expected a JSON object (RFC 7515 §4)"
            ),
            DecodeError::PayloadNotUtf8 { valid_up_to } => write!(
                f,
                "the payload is not UTF-8 (invalid octets after the first {valid_up_to}); \
                 a JWT Claims Set is UTF-8 JSON (RFC 7519 §7.2 step 10)"
            ),
            DecodeError::ClaimsNotJson(reason) => write!(
                f,
                "the claims are not JSON ({reason}); a JWT Claims Set is a JSON object \
                 (RFC 7519 §7.2 step 10)"
            ),
            DecodeError::ClaimsNotObject { found } => write!(
                f,
                "the claims are a JSON {found}, expected a JSON object (RFC 7519 §4)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}

impl DecodeError {
    /// The segment to highlight in the UI, when the error is in one.
    pub fn segment(&self) -> Option<SegmentName> {
        match self {
            DecodeError::Empty | DecodeError::SegmentCount { .. } => None,
            DecodeError::Base64Url { segment, .. } => Some(*segment),
            DecodeError::HeaderNotUtf8
            | DecodeError::HeaderNotJson(_)
            | DecodeError::HeaderNotObject { .. } => Some(SegmentName::Header),
            DecodeError::PayloadNotUtf8 { .. }
            | DecodeError::ClaimsNotJson(_)
            | DecodeError::ClaimsNotObject { .. } => Some(SegmentName::Payload),
        }
    }
}

/// Decodes a pasted token without verifying it.
///
/// Surrounding whitespace is ignored, since pasting often adds a line
/// break; whitespace inside the token is an error.
///
/// # Errors
///
/// A token that looks like JOSE but breaks RFC 7515 §7.1 or RFC 7519 §7.2:
/// wrong segment count, bad base64url, a header or claims set that is not a
/// JSON object, or a payload that is not UTF-8.
pub fn decode(token: &str) -> Result<Token, DecodeError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(DecodeError::Empty);
    }

    let parts: Vec<&str> = token.split('.').collect();
    if !looks_like_jose(&parts) {
        return Ok(Token::Opaque);
    }

    match parts.as_slice() {
        [header, payload, signature] => decode_jws(header, payload, signature).map(Token::Jws),
        [header, _, _, _, _] => match jwe_header(header) {
            Some(header) => Ok(Token::Jwe(Jwe {
                header,
                segments: parts.iter().map(|part| (*part).to_owned()).collect(),
            })),
            None => Err(DecodeError::SegmentCount { found: 5 }),
        },
        _ => Err(DecodeError::SegmentCount { found: parts.len() }),
    }
}

/// A JWS has two dots and a JWE four; any other token counts as JOSE only
/// if its first segment starts as a JSON object does (`{"` encodes to
/// `eyJ`). So `ya29.a0Af…`, a dotted opaque token, stays opaque.
fn looks_like_jose(parts: &[&str]) -> bool {
    match parts {
        [_] => false,
        [_, _, _] | [_, _, _, _, _] => true,
        [first, ..] => first.starts_with("eyJ"),
        [] => false,
    }
}

fn jwe_header(segment: &str) -> Option<Value> {
    let header = decode_header(segment).ok()?;
    header.get("enc").is_some().then_some(header)
}

fn decode_jws(header: &str, payload: &str, signature: &str) -> Result<Jws, DecodeError> {
    let segments = Segments {
        header: header.to_owned(),
        payload: payload.to_owned(),
        signature: signature.to_owned(),
    };
    let header_value = decode_header(header)?;

    // Limitation: binary (non-UTF-8) JWS payloads are rejected, and a
    // nested JWT in the payload is shown as text, not decoded in turn.
    let payload_bytes = decode_segment(SegmentName::Payload, payload)?;
    let payload_text =
        String::from_utf8(payload_bytes).map_err(|error| DecodeError::PayloadNotUtf8 {
            valid_up_to: error.utf8_error().valid_up_to(),
        })?;
    let claims = decode_claims(&header_value, &payload_text)?;

    let signature = decode_segment(SegmentName::Signature, signature)?;
    Ok(Jws {
        segments,
        header: header_value,
        claims,
        payload_text,
        signature,
    })
}

fn decode_segment(segment: SegmentName, text: &str) -> Result<Vec<u8>, DecodeError> {
    base64url::decode(text).map_err(|error| DecodeError::Base64Url { segment, error })
}

/// RFC 7515 §5.2 steps 2 to 4. serde_json keeps the last of duplicate
/// member names, which RFC 7515 §5.2 step 4 allows.
fn decode_header(segment: &str) -> Result<Value, DecodeError> {
    let bytes = decode_segment(SegmentName::Header, segment)?;
    let text = std::str::from_utf8(&bytes).map_err(|_| DecodeError::HeaderNotUtf8)?;
    let header: Value =
        serde_json::from_str(text).map_err(|e| DecodeError::HeaderNotJson(e.to_string()))?;
    match header {
        Value::Object(_) => Ok(header),
        other => Err(DecodeError::HeaderNotObject {
            found: json_type(&other),
        }),
    }
}

/// The payload is a claims set when it looks like JSON or the header's
/// `typ` says JWT; otherwise it is a plain JWS payload, kept as text.
fn decode_claims(header: &Value, payload: &str) -> Result<Option<Value>, DecodeError> {
    let looks_like_json = payload.trim_start().starts_with(['{', '[']);
    if !looks_like_json && !typ_is_jwt(header) {
        return Ok(None);
    }

    let claims: Value =
        serde_json::from_str(payload).map_err(|e| DecodeError::ClaimsNotJson(e.to_string()))?;
    match claims {
        Value::Object(_) => Ok(Some(claims)),
        other => Err(DecodeError::ClaimsNotObject {
            found: json_type(&other),
        }),
    }
}

/// `typ` "JWT" (RFC 7519 §5.1), or a media type ending in `jwt` such as
/// "at+jwt" (RFC 9068 §2.1) or "application/jwt".
fn typ_is_jwt(header: &Value) -> bool {
    header
        .get("typ")
        .and_then(Value::as_str)
        .is_some_and(|typ| typ.to_ascii_lowercase().ends_with("jwt"))
}

/// The JSON type's name, for messages.
pub fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 7515 Appendix A.1.
    const A1: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

    fn jws(token: &str) -> Jws {
        match decode(token) {
            Ok(Token::Jws(jws)) => jws,
            other => panic!("expected a JWS, got {other:?}"),
        }
    }

    #[test]
    fn decode_keeps_segments_header_claims_and_payload_text() {
        let jws = jws(A1);
        assert_eq!(
            jws.segments.header,
            "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        );
        assert_eq!(jws.alg(), Some("HS256"));
        assert_eq!(jws.header["typ"], "JWT");
        assert_eq!(jws.claim("iss"), Some(&Value::from("joe")));
        assert_eq!(
            jws.payload_text,
            "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"
        );
        assert_eq!(jws.signature.len(), 32);
    }

    #[test]
    fn decode_counts_segments() {
        let two = A1.rsplit_once('.').unwrap().0;
        assert_eq!(
            decode(two).unwrap_err(),
            DecodeError::SegmentCount { found: 2 }
        );
        let four = format!("{A1}.x");
        assert_eq!(
            decode(&four).unwrap_err(),
            DecodeError::SegmentCount { found: 4 }
        );
    }

    #[test]
    fn decode_treats_dotless_and_dotted_opaque_tokens_as_opaque() {
        assert_eq!(decode("SlAV32hkKG").unwrap(), Token::Opaque);
        assert_eq!(decode("ya29.a0AfH6SMB").unwrap(), Token::Opaque);
        assert_eq!(
            decode("gho_16C7e42F292c6912E7710c838347Ae178B4a").unwrap(),
            Token::Opaque
        );
    }

    #[test]
    fn decode_trims_surrounding_whitespace_only() {
        assert!(matches!(decode(&format!("  {A1}\n")), Ok(Token::Jws(_))));
        let inner = A1.replacen('.', ". ", 1);
        assert!(matches!(
            decode(&inner),
            Err(DecodeError::Base64Url {
                segment: SegmentName::Payload,
                ..
            })
        ));
    }

    #[test]
    fn decode_rejects_a_header_that_is_not_an_object() {
        let header = base64url::encode(b"[\"alg\",\"HS256\"]");
        let token = format!("{header}.e30.");
        assert_eq!(
            decode(&token).unwrap_err(),
            DecodeError::HeaderNotObject { found: "array" }
        );
    }

    #[test]
    fn decode_rejects_claims_that_are_not_utf8() {
        let header = base64url::encode(b"{\"alg\":\"HS256\"}");
        let payload = base64url::encode(b"{\"sub\":\"\xff\"}");
        let token = format!("{header}.{payload}.");
        assert_eq!(
            decode(&token).unwrap_err(),
            DecodeError::PayloadNotUtf8 { valid_up_to: 8 }
        );
    }

    #[test]
    fn decode_keeps_a_text_payload_without_claims() {
        let header = base64url::encode(b"{\"alg\":\"HS256\"}");
        let payload = base64url::encode("It’s a dangerous business".as_bytes());
        let jws = jws(&format!("{header}.{payload}."));
        assert_eq!(jws.claims, None);
        assert_eq!(jws.payload_text, "It’s a dangerous business");
    }

    #[test]
    fn decode_requires_claims_when_typ_says_jwt() {
        let header = base64url::encode(b"{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        let payload = base64url::encode(b"hello");
        assert!(matches!(
            decode(&format!("{header}.{payload}.")),
            Err(DecodeError::ClaimsNotJson(_))
        ));
    }

    #[test]
    fn decode_recognises_a_jwe() {
        let header = base64url::encode(b"{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}");
        let token = format!("{header}.a.b.c.d");
        assert!(matches!(decode(&token), Ok(Token::Jwe(_))));
    }

    #[test]
    fn debug_output_leaves_out_the_signature() {
        let text = format!("{:?}", jws(A1));
        assert!(!text.contains("dBjftJeZ4CVP"), "{text}");
    }
}
