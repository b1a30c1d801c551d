//! JOSE for the tokens view: decoding compact JWS and JWT (RFC 7515 §7.1,
//! RFC 7519 §7.2), verifying signatures (RFC 7518 §3, RFC 8037 §3.1) with
//! keys from a JWK or JWK Set (RFC 7517), and the ID Token checklist of
//! OpenID Connect Core 1.0 §3.1.3.7.
//!
//! Everything here is pure: the current time is a parameter, and nothing
//! is fetched. A typical use decodes and validates in one call:
//!
//! ```
//! use oauth_playground::jose::{Algorithm, KeySet, Outcome, Validation, inspect};
//!
//! // RFC 7515 Appendix A.1, with its key.
//! let token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9\
//!     .eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ\
//!     .dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
//! let key = KeySet::parse(r#"{"kty":"oct",
//!     "k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#)?;
//! let validation = Validation {
//!     keys: Some(Ok(key)),
//!     algorithms: vec![Algorithm::Hs256],
//!     now: Some(1_300_819_379),
//!     leeway: 0,
//! };
//! assert_eq!(inspect(token, &validation).verdict.outcome, Outcome::Valid);
//! # Ok::<(), oauth_playground::jose::KeyError>(())
//! ```
//!
//! The order in which failures are reported is documented in
//! [`validation`]: malformed, unsecured, algorithm not allowed, no
//! matching key, invalid signature, then (only with a `now`) expired and
//! not yet valid.
//!
//! Limitations:
//! - JWE is recognised but not decrypted; JWS JSON Serialization
//!   (RFC 7515 §7.2) is not read.
//! - ES512, ES256K and Ed448 are not verified.

// Limitation: the JWS JSON Serialization (RFC 7515 §7.2) is not read.
pub mod algorithm;
pub mod base64url;
pub mod compact;
pub mod dates;
pub mod id_token;
pub mod jwk;
pub mod signature;
pub mod validation;

#[cfg(test)]
mod test_support;

pub use algorithm::Algorithm;
pub use compact::{DecodeError, Jwe, Jws, SegmentName, Segments, Token, decode};
pub use dates::{TimeClaim, format_utc, time_claims, time_left};
pub use id_token::{CheckLine, CheckStatus, IdTokenExpectations, id_token_checks, left_half_hash};
pub use jwk::{Jwk, KeyError, KeySet, NoMatchingKey};
pub use signature::{SignatureError, Verified, VerifyError, verify_signature};
pub use validation::{Inspection, Outcome, Validation, Verdict, inspect, validate_jws};
