//! The authorization response, as the browser brings it back to the
//! redirect URI (RFC 6749 §4.1.2 and §4.1.2.1), with the issuer check of
//! RFC 9207. Checks run in the order oauth4webapi runs them: parameters
//! read once, then `iss`, `state`, `error`, and finally the code.

use std::fmt;

use url::Url;
use url::form_urlencoded;

use super::AuthorizationCode;
use super::error::{Endpoint, Error, ErrorResponse, RejectReason, Rejection, SettingsError};
use super::wire;

/// Where the authorization server puts the response parameters (OAuth 2.0
/// Multiple Response Type Encoding Practices §2.1; Form Post Response Mode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    /// The default for `response_type=code`.
    Query,
    /// In the fragment, which never reaches the server.
    Fragment,
    /// Posted to the redirect URI as a form, which a page cannot read.
    FormPost,
}

impl ResponseMode {
    /// The value of `response_mode`.
    pub fn name(self) -> &'static str {
        match self {
            ResponseMode::Query => "query",
            ResponseMode::Fragment => "fragment",
            ResponseMode::FormPost => "form_post",
        }
    }

    /// The mode named by a `response_mode` value.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "query" => Some(ResponseMode::Query),
            "fragment" => Some(ResponseMode::Fragment),
            "form_post" => Some(ResponseMode::FormPost),
            _ => None,
        }
    }
}

/// What the response must satisfy, fixed when the request was built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationResponseChecks {
    /// The state sent, or `None` when none was sent (then none may return).
    pub expected_state: Option<String>,
    pub response_mode: ResponseMode,
    /// The issuer the request went to. Without it a received `iss` cannot
    /// be checked and is only shown.
    pub expected_issuer: Option<String>,
    /// RFC 9207 §3: the server promises `iss` in every response.
    pub iss_parameter_supported: bool,
}

/// An authorization response that passed every check; only this type
/// carries a code to the token request.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidatedAuthorizationResponse {
    pub code: AuthorizationCode,
    pub state: Option<String>,
    pub iss: Option<String>,
    /// Every parameter received, decoded, in order; includes the code.
    pub parameters: Vec<(String, String)>,
}

impl fmt::Debug for ValidatedAuthorizationResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.parameters.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("ValidatedAuthorizationResponse")
            .field("code", &self.code)
            .field("state", &self.state)
            .field("iss", &self.iss)
            .field("parameter_names", &names)
            .finish()
    }
}

impl ValidatedAuthorizationResponse {
    /// A received parameter by name.
    pub fn parameter(&self, name: &str) -> Option<&str> {
        find(&self.parameters, name)
    }
}

fn find<'a>(parameters: &'a [(String, String)], name: &str) -> Option<&'a str> {
    parameters
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The response parameters of `redirect_url`, read from the component the
/// response mode names and form-decoded once.
///
/// # Errors
///
/// `invalid_redirect_url`, `response_mode_mismatch` (the parameters are
/// in the other component) or `duplicate_parameter` (RFC 6749 §3.1); a
/// settings error for `form_post`, which cannot be read from a URL.
pub fn authorization_response_parameters(
    redirect_url: &str,
    response_mode: ResponseMode,
) -> Result<Vec<(String, String)>, Error> {
    let url = Url::parse(redirect_url.trim()).map_err(|error| {
        Rejection::new(
            RejectReason::InvalidRedirectUrl,
            "an absolute URL",
            Some(format!("\"{}\" ({error})", redirect_url.trim())),
        )
    })?;

    let query = url.query().unwrap_or("");
    let fragment = url.fragment().unwrap_or("");
    let (chosen, other, other_name) = match response_mode {
        ResponseMode::Query => (query, fragment, "the fragment"),
        ResponseMode::Fragment => (fragment, query, "the query"),
        ResponseMode::FormPost => {
            // Limitation: form_post responses are not parsed; a page never sees the POST body.
            return Err(SettingsError::new(
                "response_mode",
                "form_post responses arrive as a POST body, which a page cannot read",
                "choose query or fragment",
            )
            .into());
        }
    };

    let parameters = decode_once(chosen)?;
    if parameters.is_empty() && !decode_once(other).unwrap_or_default().is_empty() {
        return Err(Rejection::new(
            RejectReason::ResponseModeMismatch,
            format!("parameters in the {}", response_mode.name()),
            Some(format!("parameters in {other_name}")),
        )
        .into());
    }
    Ok(parameters)
}

fn decode_once(component: &str) -> Result<Vec<(String, String)>, Rejection> {
    let mut parameters: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(component.as_bytes()) {
        if parameters.iter().any(|(seen, _)| *seen == name) {
            return Err(wire::duplicate(&name));
        }
        parameters.push((name.into_owned(), value.into_owned()));
    }
    Ok(parameters)
}

/// Validates the authorization response at `redirect_url` (RFC 6749
/// §4.1.2, RFC 9207 §2.4).
///
/// # Errors
///
/// [`Error::Server`] for an error response (§4.1.2.1) that passed the
/// `iss` and `state` checks; [`Error::Rejected`] naming the failed check.
pub fn validate_authorization_response(
    redirect_url: &str,
    checks: &AuthorizationResponseChecks,
) -> Result<ValidatedAuthorizationResponse, Error> {
    let parameters = authorization_response_parameters(redirect_url, checks.response_mode)?;
    let get = |name| find(&parameters, name);

    // RFC 9207 §2.4: iss first, since it applies to error responses too.
    // A matching iss from a server that does not advertise it (Google)
    // is accepted: §2.4 leaves that case to local policy.
    let iss = get("iss");
    match (iss, checks.expected_issuer.as_deref()) {
        (Some(iss), Some(expected)) if iss != expected => {
            return Err(mismatch(RejectReason::IssMismatch, expected, iss));
        }
        (None, expected) if checks.iss_parameter_supported => {
            let expected = expected.map_or("an \"iss\" parameter".to_owned(), quoted);
            return Err(Rejection::new(RejectReason::IssMissing, expected, None).into());
        }
        _ => {}
    }

    // RFC 6749 §4.1.2 and §4.1.2.1: state comes back, in errors too, so a
    // forged error cannot be planted either.
    match (get("state"), checks.expected_state.as_deref()) {
        (None, Some(expected)) => {
            return Err(Rejection::new(RejectReason::StateMissing, quoted(expected), None).into());
        }
        (Some(state), Some(expected)) if state != expected => {
            return Err(mismatch(RejectReason::StateMismatch, expected, state));
        }
        (Some(state), None) => {
            return Err(Rejection::new(
                RejectReason::StateUnexpected,
                "no \"state\", since none was sent",
                Some(quoted(state)),
            )
            .into());
        }
        _ => {}
    }

    if let Some(error) = get("error") {
        return Err(ErrorResponse {
            endpoint: Endpoint::Authorization,
            error: error.to_owned(),
            error_description: get("error_description").map(str::to_owned),
            error_uri: get("error_uri").map(str::to_owned),
            status: None,
        }
        .into());
    }

    // Tokens in the front channel mean an implicit or hybrid response.
    // Limitation: hybrid flows (code id_token) are refused, not validated.
    if let Some(name) = ["access_token", "id_token"]
        .into_iter()
        .find(|n| get(n).is_some())
    {
        return Err(Rejection::new(
            RejectReason::ImplicitResponse,
            "a code and no tokens (response_type=code)",
            Some(format!("\"{name}\" in the response")),
        )
        .into());
    }

    let code = match get("code") {
        Some(code) if !code.is_empty() => AuthorizationCode::new(code),
        found => {
            return Err(Rejection::new(
                RejectReason::CodeMissing,
                "a non-empty \"code\"",
                found.map(quoted),
            )
            .into());
        }
    };
    let state = get("state").map(str::to_owned);
    let iss = iss.map(str::to_owned);
    Ok(ValidatedAuthorizationResponse {
        code,
        state,
        iss,
        parameters,
    })
}

fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

fn mismatch(reason: RejectReason, expected: &str, found: &str) -> Error {
    Rejection::new(reason, quoted(expected), Some(quoted(found))).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checks(state: Option<&str>) -> AuthorizationResponseChecks {
        AuthorizationResponseChecks {
            expected_state: state.map(str::to_owned),
            response_mode: ResponseMode::Query,
            expected_issuer: Some("https://server.example.com".to_owned()),
            iss_parameter_supported: false,
        }
    }

    fn reason(result: Result<ValidatedAuthorizationResponse, Error>) -> RejectReason {
        result.unwrap_err().rejection().unwrap().reason
    }

    #[test]
    fn rfc6749_4_1_2_example_is_accepted() {
        let url = "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz";
        let response = validate_authorization_response(url, &checks(Some("xyz"))).unwrap();
        assert_eq!(response.code.secret(), "SplxlOBeZQQYbYS6WxSbIA");
        assert!(!format!("{response:?}").contains("SplxlOBeZQQYbYS6WxSbIA"));
    }

    #[test]
    fn rfc6749_4_1_2_1_error_is_the_servers() {
        let url = "https://client.example.com/cb?error=access_denied&state=xyz";
        let error = validate_authorization_response(url, &checks(Some("xyz"))).unwrap_err();
        let response = error.server().unwrap();
        assert_eq!(response.error, "access_denied");
        assert!(response.explanation().is_some());
    }

    #[test]
    fn state_must_come_back_unchanged() {
        let url = "https://client.example.com/cb?code=a&state=xyz";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("abc")))),
            RejectReason::StateMismatch
        );
        let url = "https://client.example.com/cb?code=a";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("abc")))),
            RejectReason::StateMissing
        );
        let url = "https://client.example.com/cb?code=a&state=xyz";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(None))),
            RejectReason::StateUnexpected
        );
    }

    #[test]
    fn an_error_without_its_state_is_rejected() {
        let url = "https://client.example.com/cb?error=access_denied";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("xyz")))),
            RejectReason::StateMissing
        );
    }

    #[test]
    fn a_repeated_parameter_is_rejected() {
        let url = "https://client.example.com/cb?code=a&state=xyz&code=b";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("xyz")))),
            RejectReason::DuplicateParameter
        );
    }

    #[test]
    fn iss_is_checked_and_required_when_advertised() {
        // RFC 9207 §2 example.
        let url = "https://client.example/cb?code=x1848ZT64p4IirMPT0R-X3141MFPTuBX-VFL_cvaplMH58&state=ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI&iss=https%3A%2F%2Fhonest.as.example";
        let mut checks = checks(Some("ZWVlNDBlYzA1NjdkMDNhYjg3ZjUxZjAyNGQzMTM2NzI"));
        checks.expected_issuer = Some("https://honest.as.example".to_owned());
        assert!(validate_authorization_response(url, &checks).is_ok());

        checks.expected_issuer = Some("https://attacker.example".to_owned());
        assert_eq!(
            reason(validate_authorization_response(url, &checks)),
            RejectReason::IssMismatch
        );

        checks.iss_parameter_supported = true;
        let without_iss = url.split("&iss=").next().unwrap();
        assert_eq!(
            reason(validate_authorization_response(without_iss, &checks)),
            RejectReason::IssMissing
        );
    }

    #[test]
    fn parameters_in_the_wrong_component_are_named() {
        let url = "https://client.example.com/cb#code=a&state=xyz";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("xyz")))),
            RejectReason::ResponseModeMismatch
        );
        let mut fragment = checks(Some("xyz"));
        fragment.response_mode = ResponseMode::Fragment;
        assert!(validate_authorization_response(url, &fragment).is_ok());
    }

    #[test]
    fn values_are_decoded_once() {
        let url = "https://client.example.com/cb?code=a%252Bb+c&state=xyz";
        let response = validate_authorization_response(url, &checks(Some("xyz"))).unwrap();
        assert_eq!(response.code.secret(), "a%2Bb c");
    }

    #[test]
    fn tokens_in_the_front_channel_are_rejected() {
        let url = "https://client.example.com/cb?code=a&state=xyz&access_token=t";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("xyz")))),
            RejectReason::ImplicitResponse
        );
    }

    #[test]
    fn an_empty_code_is_missing() {
        let url = "https://client.example.com/cb?code=&state=xyz";
        assert_eq!(
            reason(validate_authorization_response(url, &checks(Some("xyz")))),
            RejectReason::CodeMissing
        );
    }
}
