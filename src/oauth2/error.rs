//! The kinds of failure a client meets, kept apart (RFC 6749 §4.1.2.1,
//! §5.2; RFC 6750 §3.1; RFC 8628 §3.5; RFC 7009 §2.2.1):
//!
//! 1. [`ErrorResponse`]: the server answered with an OAuth error.
//! 2. [`Rejection`]: we rejected what the server sent, naming the check,
//!    what it expected and what it found.
//! 3. [`SettingsError`]: the client's settings are wrong, naming the field
//!    and how to fix it.
//!
//! Transport failures (network, CORS) belong to the transport, which never
//! hands this module a response.

use std::fmt;

/// Any failure of an exchange that the core can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The server answered with an OAuth error.
    Server(ErrorResponse),
    /// We rejected what the server sent.
    Rejected(Rejection),
    /// The settings are wrong, so no request could be built.
    Settings(SettingsError),
}

impl Error {
    /// The server's OAuth error, when that is what this is.
    pub fn server(&self) -> Option<&ErrorResponse> {
        match self {
            Error::Server(response) => Some(response),
            _ => None,
        }
    }

    /// The failed check, when we rejected the response.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Error::Rejected(rejection) => Some(rejection),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Server(response) => response.fmt(f),
            Error::Rejected(rejection) => rejection.fmt(f),
            Error::Settings(settings) => settings.fmt(f),
        }
    }
}

impl std::error::Error for Error {}

impl From<Rejection> for Error {
    fn from(rejection: Rejection) -> Self {
        Error::Rejected(rejection)
    }
}

impl From<SettingsError> for Error {
    fn from(settings: SettingsError) -> Self {
        Error::Settings(settings)
    }
}

impl From<ErrorResponse> for Error {
    fn from(response: ErrorResponse) -> Self {
        Error::Server(response)
    }
}

/// Which endpoint answered, since a registered error code means something
/// different at each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// The redirect back from the authorization endpoint (RFC 6749 §4.1.2.1).
    Authorization,
    /// RFC 6749 §5.2, and the device grant's polling errors (RFC 8628 §3.5).
    Token,
    /// RFC 8628 §3.2.
    DeviceAuthorization,
    /// RFC 7009 §2.2.1.
    Revocation,
    /// RFC 7662 §2.3.
    Introspection,
    /// A protected resource or userinfo (RFC 6750 §3.1).
    Resource,
    /// The discovery document (RFC 8414 §3.2).
    Discovery,
}

/// An OAuth error the server sent: in the redirect, in a response body, or
/// in a `WWW-Authenticate` challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorResponse {
    pub endpoint: Endpoint,
    /// The registered or extension error code, as sent.
    pub error: String,
    pub error_description: Option<String>,
    pub error_uri: Option<String>,
    /// The HTTP status; `None` for an error carried by a redirect.
    pub status: Option<u16>,
}

impl ErrorResponse {
    /// A plain explanation of a registered code, with its section.
    pub fn explanation(&self) -> Option<Explanation> {
        explain(&self.error, self.endpoint)
    }
}

impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered with error \"{}\"", self.error)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        if let Some(uri) = &self.error_uri {
            write!(f, " (see {uri})")?;
        }
        Ok(())
    }
}

/// What a registered error code means, and where it is defined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Explanation {
    pub text: &'static str,
    pub section: &'static str,
}

/// A plain explanation of a registered error code as `endpoint` uses it,
/// or `None` for an extension code.
pub fn explain(code: &str, endpoint: Endpoint) -> Option<Explanation> {
    let (text, section) = match (endpoint, code) {
        (Endpoint::Authorization, "invalid_request") => (
            "The request is missing a required parameter, has an invalid value or repeats a parameter. Check client_id, redirect_uri and response_type.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "unauthorized_client") => (
            "This client may not use the authorization code grant. Enable it in the client's registration.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "access_denied") => (
            "The resource owner or the server refused the request, for example by pressing Cancel on the consent screen.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "unsupported_response_type") => (
            "The server does not issue authorization codes with this response_type.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "invalid_scope") => (
            "A requested scope is unknown, malformed or not allowed for this client.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "server_error") => (
            "The server failed unexpectedly; it sends this in a redirect because it cannot send a 500 there.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "temporarily_unavailable") => (
            "The server is overloaded or in maintenance; try again later.",
            "RFC 6749 §4.1.2.1",
        ),
        (Endpoint::Authorization, "interaction_required") => (
            "prompt=none was sent but the user must interact with the server.",
            "OpenID Connect Core §3.1.2.6",
        ),
        (Endpoint::Authorization, "login_required") => (
            "prompt=none was sent but the user is not signed in.",
            "OpenID Connect Core §3.1.2.6",
        ),
        (Endpoint::Authorization, "consent_required") => (
            "prompt=none was sent but the user has not consented yet.",
            "OpenID Connect Core §3.1.2.6",
        ),
        (Endpoint::Authorization, "account_selection_required") => (
            "prompt=none was sent but the user must choose an account.",
            "OpenID Connect Core §3.1.2.6",
        ),
        (Endpoint::Token, "invalid_request") => (
            "The token request is missing a parameter, repeats one or is malformed, for example a missing code_verifier.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Token, "invalid_client") => (
            "Client authentication failed: unknown client, wrong secret, or the wrong authentication method.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Token, "invalid_grant") => (
            "The code or refresh token is invalid, expired, already used, or was issued for another redirect_uri or client; with PKCE, the code_verifier does not match.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Token, "unauthorized_client") => {
            ("This client may not use this grant type.", "RFC 6749 §5.2")
        }
        (Endpoint::Token, "unsupported_grant_type") => (
            "The server does not support this grant_type.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Token, "invalid_scope") => (
            "The requested scope is invalid, unknown, or exceeds what the resource owner granted.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Token, "authorization_pending") => (
            "The user has not finished at the verification URI yet; keep polling at the same interval.",
            "RFC 8628 §3.5",
        ),
        (Endpoint::Token, "slow_down") => (
            "Polling too fast; add 5 seconds to the interval for this and every later request.",
            "RFC 8628 §3.5",
        ),
        (Endpoint::Token, "access_denied") => (
            "The user declined the device authorization request; stop polling.",
            "RFC 8628 §3.5",
        ),
        (Endpoint::Token, "expired_token") => (
            "The device_code expired; stop polling and start a new device authorization request.",
            "RFC 8628 §3.5",
        ),
        (Endpoint::DeviceAuthorization, "invalid_request" | "invalid_client") => (
            "The device authorization request or the client authentication was rejected.",
            "RFC 8628 §3.2",
        ),
        (Endpoint::DeviceAuthorization, "invalid_scope") => (
            "A requested scope is unknown or not allowed for this client.",
            "RFC 8628 §3.2",
        ),
        (Endpoint::Revocation, "unsupported_token_type") => (
            "The server cannot revoke this type of token.",
            "RFC 7009 §2.2.1",
        ),
        (Endpoint::Revocation | Endpoint::Introspection, "invalid_client") => (
            "Client authentication failed at this endpoint.",
            "RFC 6749 §5.2",
        ),
        (Endpoint::Resource, "invalid_request") => (
            "The resource request is malformed or carries the token more than once.",
            "RFC 6750 §3.1",
        ),
        (Endpoint::Resource, "invalid_token") => (
            "The access token is expired, revoked, malformed or invalid; refresh it or authorize again.",
            "RFC 6750 §3.1",
        ),
        (Endpoint::Resource, "insufficient_scope") => (
            "The token is valid but lacks the scope this resource needs; authorize again asking for it.",
            "RFC 6750 §3.1",
        ),
        _ => return None,
    };
    Some(Explanation { text, section })
}

/// Why we refused what the server sent. The names are stable, snake_case
/// and shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RejectReason {
    /// The callback URL could not be parsed.
    InvalidRedirectUrl,
    /// The parameters arrived in the other URL component than the
    /// response mode says.
    ResponseModeMismatch,
    /// A parameter appeared more than once (RFC 6749 §3.1).
    DuplicateParameter,
    /// RFC 9207 §2.4: the server advertises `iss` but sent none.
    IssMissing,
    /// RFC 9207 §2.4: `iss` is not the expected issuer.
    IssMismatch,
    /// RFC 6749 §4.1.2: a state was sent but none came back.
    StateMissing,
    /// RFC 6749 §4.1.2: the state that came back is not the one sent.
    StateMismatch,
    /// A state came back although none was sent.
    StateUnexpected,
    /// A successful authorization response without `code`.
    CodeMissing,
    /// Tokens in the front channel: an implicit or hybrid response.
    ImplicitResponse,
    /// The HTTP status is not the one the specification names.
    UnexpectedStatus,
    /// The body is neither JSON nor, where tolerated, form-encoded.
    UnexpectedContentType,
    /// The body claims to be JSON but does not parse.
    InvalidJson,
    /// The JSON body is not an object.
    BodyNotObject,
    /// A field has the wrong JSON type.
    WrongFieldType,
    /// A required field is absent.
    FieldMissing,
    /// RFC 6749 §5.1: no `access_token`.
    AccessTokenMissing,
    /// RFC 6749 §5.1: no `token_type`.
    TokenTypeMissing,
    /// `expires_in` is not a non-negative whole number of seconds.
    InvalidExpiresIn,
    /// RFC 8414 §3.3: the metadata's issuer is not the one asked for.
    IssuerMismatch,
    /// A `WWW-Authenticate` header that does not follow RFC 9110 §11.6.1.
    MalformedChallenge,
    /// OpenID Connect Core §5.3.2: the userinfo `sub` is not the ID token's.
    SubMismatch,
}

impl RejectReason {
    /// The stable snake_case name.
    pub fn code(self) -> &'static str {
        match self {
            RejectReason::InvalidRedirectUrl => "invalid_redirect_url",
            RejectReason::ResponseModeMismatch => "response_mode_mismatch",
            RejectReason::DuplicateParameter => "duplicate_parameter",
            RejectReason::IssMissing => "iss_missing",
            RejectReason::IssMismatch => "iss_mismatch",
            RejectReason::StateMissing => "state_missing",
            RejectReason::StateMismatch => "state_mismatch",
            RejectReason::StateUnexpected => "state_unexpected",
            RejectReason::CodeMissing => "code_missing",
            RejectReason::ImplicitResponse => "implicit_response",
            RejectReason::UnexpectedStatus => "unexpected_status",
            RejectReason::UnexpectedContentType => "unexpected_content_type",
            RejectReason::InvalidJson => "invalid_json",
            RejectReason::BodyNotObject => "body_not_object",
            RejectReason::WrongFieldType => "wrong_field_type",
            RejectReason::FieldMissing => "field_missing",
            RejectReason::AccessTokenMissing => "access_token_missing",
            RejectReason::TokenTypeMissing => "token_type_missing",
            RejectReason::InvalidExpiresIn => "invalid_expires_in",
            RejectReason::IssuerMismatch => "issuer_mismatch",
            RejectReason::MalformedChallenge => "malformed_challenge",
            RejectReason::SubMismatch => "sub_mismatch",
        }
    }

    /// What the check protects, with the section that asks for it.
    pub fn explanation(self) -> &'static str {
        match self {
            RejectReason::InvalidRedirectUrl => {
                "The address the browser returned to is not an absolute URL, so no parameters can be read from it."
            }
            RejectReason::ResponseModeMismatch => {
                "The response mode decides where the parameters travel: the query for response_mode=query, the fragment for response_mode=fragment (OAuth 2.0 Multiple Response Type Encoding Practices §2.1)."
            }
            RejectReason::DuplicateParameter => {
                "Request and response parameters must not be included more than once (RFC 6749 §3.1); a repeated one may be an injection."
            }
            RejectReason::IssMissing => {
                "The server advertises authorization_response_iss_parameter_supported, so every response must carry iss (RFC 9207 §2.4); without it a mix-up attack cannot be ruled out."
            }
            RejectReason::IssMismatch => {
                "iss names the server that issued the response; a different one means the response came from another server than the request went to (RFC 9207 §2.4, mix-up attack)."
            }
            RejectReason::StateMissing => {
                "The client sent state, so the response must return it (RFC 6749 §4.1.2); without it the response cannot be tied to the request (CSRF, §10.12)."
            }
            RejectReason::StateMismatch => {
                "The state must be the exact value the client sent (RFC 6749 §4.1.2); another value means the response belongs to another request, or was forged (CSRF, §10.12)."
            }
            RejectReason::StateUnexpected => {
                "The client sent no state, yet one came back; the response does not belong to this request."
            }
            RejectReason::CodeMissing => {
                "A successful authorization response carries the code (RFC 6749 §4.1.2)."
            }
            RejectReason::ImplicitResponse => {
                "Tokens arrived in the redirect, as in the implicit or hybrid flow; this client asked for a code (response_type=code) and does not accept tokens in the front channel (OAuth 2.0 Security BCP §2.1.2)."
            }
            RejectReason::UnexpectedStatus => {
                "The HTTP status is not the one the specification names for this response."
            }
            RejectReason::UnexpectedContentType => {
                "The body must be application/json (RFC 6749 §5.1); it is not, and does not parse as JSON either."
            }
            RejectReason::InvalidJson => "The body is not valid JSON.",
            RejectReason::BodyNotObject => {
                "The parameters are members of a top-level JSON object (RFC 6749 §5.1)."
            }
            RejectReason::WrongFieldType => {
                "A field has a JSON type the specification does not allow."
            }
            RejectReason::FieldMissing => "A field the specification requires is absent.",
            RejectReason::AccessTokenMissing => {
                "A successful token response carries access_token (RFC 6749 §5.1)."
            }
            RejectReason::TokenTypeMissing => {
                "A successful token response carries token_type (RFC 6749 §5.1), so that the client knows how to use the token."
            }
            RejectReason::InvalidExpiresIn => {
                "expires_in is the lifetime in seconds (RFC 6749 §5.1): a non-negative whole number."
            }
            RejectReason::IssuerMismatch => {
                "The metadata's issuer must be identical to the issuer the document was fetched for (RFC 8414 §3.3); otherwise another server could impersonate this one."
            }
            RejectReason::MalformedChallenge => {
                "The WWW-Authenticate header does not follow the challenge syntax of RFC 9110 §11.6.1."
            }
            RejectReason::SubMismatch => {
                "The userinfo response must be about the user the ID token names: its sub must equal the ID token's (OpenID Connect Core §5.3.2). Otherwise it may describe someone else (a substituted token) and must not be used."
            }
        }
    }
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A check that what the server sent did not pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub reason: RejectReason,
    /// What the check wanted, in words or as a value.
    pub expected: String,
    /// What arrived; `None` when nothing did.
    pub found: Option<String>,
}

impl Rejection {
    /// A rejection for `reason`, saying what was expected and what came.
    pub fn new(reason: RejectReason, expected: impl Into<String>, found: Option<String>) -> Self {
        Rejection {
            reason,
            expected: expected.into(),
            found,
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let found = self.found.as_deref().unwrap_or("nothing");
        write!(
            f,
            "{}: expected {}, found {found}",
            self.reason.code(),
            self.expected
        )
    }
}

impl std::error::Error for Rejection {}

/// A setting that keeps a request from being built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError {
    /// The settings field at fault, so the UI can show the error there.
    pub field: &'static str,
    pub cause: String,
    pub fix: String,
}

impl SettingsError {
    /// An error on `field`: what is wrong with it, and how to fix it.
    pub fn new(field: &'static str, cause: impl Into<String>, fix: impl Into<String>) -> Self {
        SettingsError {
            field,
            cause: cause.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}; {}", self.field, self.cause, self.fix)
    }
}

impl std::error::Error for SettingsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_names_check_expected_and_found() {
        let rejection = Rejection::new(
            RejectReason::StateMismatch,
            "\"af0ifjsldkj\"",
            Some("\"other\"".to_owned()),
        );
        assert_eq!(
            rejection.to_string(),
            "state_mismatch: expected \"af0ifjsldkj\", found \"other\""
        );
    }

    #[test]
    fn error_response_shows_code_status_and_description() {
        let response = ErrorResponse {
            endpoint: Endpoint::Token,
            error: "invalid_grant".to_owned(),
            error_description: Some("code expired".to_owned()),
            error_uri: None,
            status: Some(400),
        };
        assert_eq!(
            response.to_string(),
            "the server answered with error \"invalid_grant\" (HTTP 400): code expired"
        );
        assert_eq!(
            response.explanation().map(|e| e.section),
            Some("RFC 6749 §5.2")
        );
    }

    #[test]
    fn every_registered_authorization_code_is_explained() {
        let codes = [
            "invalid_request",
            "unauthorized_client",
            "access_denied",
            "unsupported_response_type",
            "invalid_scope",
            "server_error",
            "temporarily_unavailable",
        ];
        for code in codes {
            assert!(explain(code, Endpoint::Authorization).is_some(), "{code}");
        }
        assert!(explain("made_up", Endpoint::Authorization).is_none());
    }
}
