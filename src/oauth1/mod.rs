//! OAuth 1.0a signatures as RFC 5849 defines them, computed step by step so
//! that every intermediate value can be shown.
//!
//! The vocabulary is the RFC's: *client credentials* (consumer key and
//! secret), *temporary credentials* and *token credentials* (token and
//! secret); *protocol parameters* are the `oauth_*` ones.

pub mod encode;
pub mod flow;
pub mod parse;
pub mod request;
pub mod signature;
pub mod verify;

pub use signature::{
    Parameter, ParameterSource, SignatureError, SignatureInput, SignatureMethod, SignatureSteps,
    sign,
};

/// A nonce from caller-supplied random bytes (RFC 5849 §3.3): hex, so it
/// needs no encoding anywhere it travels.
pub fn nonce_from_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
