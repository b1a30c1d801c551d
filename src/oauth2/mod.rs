//! An OAuth 2.0 client as RFC 6749 and its companions define it: every
//! exchange is a pair of a `…_request` function that builds an
//! [`http::Request`](crate::http::Request) and a `process_…_response`
//! function that validates an [`http::Response`](crate::http::Response)
//! into a new, validated value or a typed [`Error`].
//!
//! | module | specification |
//! | --- | --- |
//! | [`pkce`] | RFC 7636, Proof Key for Code Exchange |
//! | [`metadata`] | RFC 8414 and OpenID Connect Discovery 1.0; provider presets |
//! | [`authorization`] | RFC 6749 §4.1.1, the authorization request |
//! | [`callback`] | RFC 6749 §4.1.2 and RFC 9207, the authorization response |
//! | [`token`] | RFC 6749 §2.3, §4.1.3, §5 and §6, the token endpoint |
//! | [`device`] | RFC 8628, the device authorization grant |
//! | [`revocation`] | RFC 7009, token revocation |
//! | [`introspection`] | RFC 7662, token introspection |
//! | [`bearer`] | RFC 6750, bearer tokens at a resource server; OpenID Connect userinfo |
//! | [`error`] | the kinds of failure, kept apart |
//!
//! The core never reads the clock or a random source: callers pass the
//! current time in seconds and random octets.
//!
//! # Limitations
//!
//! - The implicit and hybrid flows are not supported: a front-channel
//!   response carrying tokens is rejected.
//! - `response_mode=form_post` responses arrive as a POST body, which a
//!   browser page cannot read; only `query` and `fragment` are parsed.
//! - Client authentication is limited to `none`, `client_secret_post` and
//!   `client_secret_basic`; JWT-based and mutual-TLS methods are not built.
//! - Signed metadata (RFC 8414 §2.1) and signed userinfo responses are not
//!   verified, and a member repeated inside a JSON body goes unnoticed.

pub mod authorization;
pub mod bearer;
pub mod callback;
pub mod device;
pub mod error;
pub mod introspection;
pub mod metadata;
pub mod pkce;
pub mod revocation;
pub mod token;

mod wire;

pub use error::{Error, ErrorResponse, RejectReason, Rejection, SettingsError};

/// Declares a newtype around a secret string whose `Debug` is redacted.
/// The value is reached only through `secret()`, so that showing it on
/// screen is a visible choice.
macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value received from, or typed for, the server.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself.
            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

pub(crate) use secret_string;

secret_string!(
    /// The client's password at the token endpoint (RFC 6749 §2.3.1).
    ClientSecret
);

secret_string!(
    /// A credential for protected resources (RFC 6749 §1.4).
    AccessToken
);

secret_string!(
    /// A credential for new access tokens (RFC 6749 §1.5).
    RefreshToken
);

secret_string!(
    /// The one-time grant returned to the redirect URI (RFC 6749 §1.3.1).
    AuthorizationCode
);

secret_string!(
    /// An OpenID Connect ID token, still encoded (OpenID Connect Core §2).
    IdToken
);

/// A random value as it travels in a URL: base64url without padding, so
/// it needs no escaping anywhere (RFC 7636 Appendix A's encoding).
pub fn base64url(octets: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug() {
        let token = AccessToken::new("2YotnFZFEjr1zCsicMWpAA");
        assert_eq!(format!("{token:?}"), "AccessToken([redacted])");
        assert_eq!(token.secret(), "2YotnFZFEjr1zCsicMWpAA");
    }
}
