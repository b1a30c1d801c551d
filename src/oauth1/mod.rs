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

/// Why a typed `oauth_timestamp` is not the positive integer of seconds
/// RFC 5849 §3.3 asks for, or `None`. An empty one is left out of the
/// request, so it is fine here.
pub fn timestamp_problem(timestamp: &str) -> Option<&'static str> {
    let positive_integer =
        timestamp.bytes().all(|b| b.is_ascii_digit()) && timestamp.bytes().any(|b| b != b'0');
    (!timestamp.is_empty() && !positive_integer).then_some(
        "RFC 5849 §3.3 wants a positive integer of seconds since 1970-01-01 UTC, such as \
         137131201; this value is still signed as typed, but a server would refuse it",
    )
}

#[cfg(test)]
mod tests {
    use super::timestamp_problem;

    #[test]
    fn a_timestamp_is_a_positive_integer_of_seconds() {
        for fine in ["", "137131201", "1", "0042"] {
            assert_eq!(timestamp_problem(fine), None, "{fine:?}");
        }
        for bad in ["abc", "-1", "0", "000", "1.5", " 1", "1e9", "+5"] {
            assert!(timestamp_problem(bad).is_some(), "{bad:?}");
        }
    }
}
