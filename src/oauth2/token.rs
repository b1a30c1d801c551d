//! The token endpoint (RFC 6749 §3.2): client authentication (§2.3),
//! the authorization code (§4.1.3), refresh token (§6), client
//! credentials (§4.4) and device code (RFC 8628 §3.4) grants, and the
//! token response (§5.1) or error (§5.2).
//!
//! Responses are read strictly, but where providers are known to bend the
//! rules in harmless ways the response is accepted with a warning:
//! `expires_in` as a string, GitHub's form-encoded bodies, JSON under
//! another media type. An error body is an error whatever the status,
//! since GitHub answers errors with 200.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Map, Value};
use url::form_urlencoded;

use super::callback::ValidatedAuthorizationResponse;
use super::device::DeviceCode;
use super::error::{Endpoint, Error, RejectReason, Rejection, SettingsError};
use super::pkce::CodeVerifier;
use super::wire::{self, BodyFormat};
use super::{AccessToken, ClientSecret, IdToken, RefreshToken};
use crate::http::{Request, Response};

/// How the client proves its identity at the token endpoint, named after
/// the registered `token_endpoint_auth_method` values (RFC 7591 §2).
// Limitation: private_key_jwt, client_secret_jwt and tls_client_auth are not offered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// A public client: only `client_id` in the body (RFC 6749 §3.2.1).
    None { client_id: String },
    /// `client_id` and `client_secret` in the body (RFC 6749 §2.3.1).
    ClientSecretPost {
        client_id: String,
        client_secret: ClientSecret,
    },
    /// HTTP Basic with the form-encoded id and secret (RFC 6749 §2.3.1).
    ClientSecretBasic {
        client_id: String,
        client_secret: ClientSecret,
    },
}

impl ClientAuthentication {
    /// The registered method name.
    pub fn method_name(&self) -> &'static str {
        match self {
            ClientAuthentication::None { .. } => "none",
            ClientAuthentication::ClientSecretPost { .. } => "client_secret_post",
            ClientAuthentication::ClientSecretBasic { .. } => "client_secret_basic",
        }
    }

    /// The client identifier (RFC 6749 §2.2), whatever the method.
    pub fn client_id(&self) -> &str {
        match self {
            ClientAuthentication::None { client_id }
            | ClientAuthentication::ClientSecretPost { client_id, .. }
            | ClientAuthentication::ClientSecretBasic { client_id, .. } => client_id,
        }
    }

    /// Adds the credentials to a request's body parameters or headers.
    pub(crate) fn apply(
        &self,
        parameters: &mut Vec<(String, String)>,
        headers: &mut Vec<(String, String)>,
    ) -> Result<(), SettingsError> {
        wire::required_setting(
            "client_id",
            self.client_id(),
            "copy the client ID from the client's registration at the provider",
        )?;
        let client_id = self.client_id().trim().to_owned();
        match self {
            ClientAuthentication::None { .. } => {
                parameters.push(("client_id".to_owned(), client_id));
            }
            ClientAuthentication::ClientSecretPost { client_secret, .. } => {
                check_secret(client_secret)?;
                parameters.push(("client_id".to_owned(), client_id));
                parameters.push((
                    "client_secret".to_owned(),
                    client_secret.secret().to_owned(),
                ));
            }
            ClientAuthentication::ClientSecretBasic { client_secret, .. } => {
                check_secret(client_secret)?;
                headers.push((
                    "Authorization".to_owned(),
                    basic_authorization(&client_id, client_secret.secret()),
                ));
            }
        }
        Ok(())
    }
}

fn check_secret(secret: &ClientSecret) -> Result<(), SettingsError> {
    wire::required_setting(
        "client_secret",
        secret.secret(),
        "copy the secret from the client's registration, or choose the method none for a public client",
    )
}

/// `Basic` credentials as RFC 6749 §2.3.1 defines them: the client id and
/// secret are each form-urlencoded (Appendix B) before being joined with
/// `:` and base64-encoded. Plain HTTP Basic skips that encoding, which
/// breaks secrets holding `:`, `+`, `%` or non-ASCII characters.
pub fn basic_authorization(client_id: &str, client_secret: &str) -> String {
    let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    let credentials = format!("{}:{}", encode(client_id), encode(client_secret));
    format!("Basic {}", BASE64.encode(credentials))
}

/// A POST to the token endpoint with `grant_type` and the grant's
/// parameters.
pub(crate) fn token_endpoint_request(
    token_endpoint: &str,
    client: &ClientAuthentication,
    mut parameters: Vec<(String, String)>,
) -> Result<Request, SettingsError> {
    let url = wire::endpoint_url("token_endpoint", token_endpoint)?;
    let mut headers = Vec::new();
    client.apply(&mut parameters, &mut headers)?;
    Ok(wire::form_post(&url, headers, &parameters))
}

fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

/// The access token request of the authorization code grant (RFC 6749
/// §4.1.3), with the PKCE verifier (RFC 7636 §4.5). `redirect_uri` must
/// be the one sent in the authorization request, if one was.
///
/// # Errors
///
/// A [`SettingsError`] on the endpoint, client id or secret.
pub fn authorization_code_grant_request(
    token_endpoint: &str,
    client: &ClientAuthentication,
    response: &ValidatedAuthorizationResponse,
    redirect_uri: Option<&str>,
    code_verifier: Option<&CodeVerifier>,
) -> Result<Request, SettingsError> {
    let mut parameters = vec![
        pair("grant_type", "authorization_code"),
        pair("code", response.code.secret()),
    ];
    if let Some(uri) = redirect_uri {
        parameters.push(pair("redirect_uri", uri));
    }
    if let Some(verifier) = code_verifier {
        parameters.push(pair("code_verifier", verifier.secret()));
    }
    token_endpoint_request(token_endpoint, client, parameters)
}

/// Refreshing an access token (RFC 6749 §6). A `scope` may only narrow
/// the original grant.
///
/// # Errors
///
/// A [`SettingsError`] on the endpoint, client id or secret.
pub fn refresh_token_grant_request(
    token_endpoint: &str,
    client: &ClientAuthentication,
    refresh_token: &RefreshToken,
    scope: Option<&str>,
) -> Result<Request, SettingsError> {
    let mut parameters = vec![
        pair("grant_type", "refresh_token"),
        pair("refresh_token", refresh_token.secret()),
    ];
    if let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) {
        parameters.push(pair("scope", scope));
    }
    token_endpoint_request(token_endpoint, client, parameters)
}

/// The client credentials grant (RFC 6749 §4.4), for confidential clients
/// acting on their own behalf.
///
/// # Errors
///
/// A [`SettingsError`] on the endpoint, client id or secret.
pub fn client_credentials_grant_request(
    token_endpoint: &str,
    client: &ClientAuthentication,
    scope: Option<&str>,
) -> Result<Request, SettingsError> {
    let mut parameters = vec![pair("grant_type", "client_credentials")];
    if let Some(scope) = scope.map(str::trim).filter(|s| !s.is_empty()) {
        parameters.push(pair("scope", scope));
    }
    token_endpoint_request(token_endpoint, client, parameters)
}

/// One poll of the device access token request (RFC 8628 §3.4).
///
/// # Errors
///
/// A [`SettingsError`] on the endpoint, client id or secret.
pub fn device_code_grant_request(
    token_endpoint: &str,
    client: &ClientAuthentication,
    device_code: &DeviceCode,
) -> Result<Request, SettingsError> {
    let parameters = vec![
        pair("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        pair("device_code", device_code.secret()),
    ];
    token_endpoint_request(token_endpoint, client, parameters)
}

/// Something tolerated in a token response, for the user to hear about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenWarning {
    /// `expires_in` was a JSON string; RFC 6749 §5.1 makes it a number.
    ExpiresInWasString,
    /// The body was form-encoded, as GitHub answers without `Accept:
    /// application/json`; RFC 6749 §5.1 asks for JSON.
    FormEncodedBody,
    /// JSON arrived under another media type, or none.
    JsonUnderOtherMediaType(String),
    /// No `scope`: the granted scope is taken to be the requested one
    /// (RFC 6749 §5.1).
    ScopeOmitted,
}

impl TokenWarning {
    /// One sentence for the user, naming the rule that was bent.
    pub fn message(&self) -> String {
        match self {
            TokenWarning::ExpiresInWasString => {
                "expires_in was sent as a string; RFC 6749 §5.1 makes it a number of seconds".to_owned()
            }
            TokenWarning::FormEncodedBody => {
                "the body was application/x-www-form-urlencoded; RFC 6749 §5.1 asks for application/json (GitHub sends JSON when the request says Accept: application/json)".to_owned()
            }
            TokenWarning::JsonUnderOtherMediaType(media_type) => format!(
                "the body is JSON but was labelled {media_type}; RFC 6749 §5.1 asks for application/json"
            ),
            TokenWarning::ScopeOmitted => {
                "no scope in the response, which RFC 6749 §5.1 allows only when it is the scope requested".to_owned()
            }
        }
    }
}

/// A successful token response (RFC 6749 §5.1). Tokens are redacted in
/// `Debug`.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    /// As sent; compare it case-insensitively (§5.1, §7.1).
    pub token_type: String,
    pub expires_in: Option<u64>,
    pub refresh_token: Option<RefreshToken>,
    /// `scope` as sent, if it was.
    pub scope: Option<String>,
    /// `scope` if sent, otherwise the requested scope (§5.1).
    pub granted_scope: Option<String>,
    pub id_token: Option<IdToken>,
    /// Members this client does not interpret, as received.
    pub extra: Map<String, Value>,
    pub warnings: Vec<TokenWarning>,
}

impl TokenResponse {
    /// `token_type` is `Bearer` in any case (RFC 6750 §4 registers it;
    /// RFC 6749 §5.1 makes it case-insensitive).
    pub fn is_bearer(&self) -> bool {
        self.token_type.eq_ignore_ascii_case("bearer")
    }

    /// Whether `expires_in` came as a JSON string.
    pub fn expires_in_was_string(&self) -> bool {
        self.warnings.contains(&TokenWarning::ExpiresInWasString)
    }

    /// When the token expires, given when the response was received.
    pub fn expires_at(&self, received_at: u64) -> Option<u64> {
        self.expires_in
            .map(|seconds| received_at.saturating_add(seconds))
    }
}

const KNOWN_FIELDS: [&str; 6] = [
    "access_token",
    "token_type",
    "expires_in",
    "refresh_token",
    "scope",
    "id_token",
];

/// Validates a token endpoint response (RFC 6749 §5.1, §5.2).
/// `requested_scope` is the scope the client asked for, which the server
/// may leave out of its answer when it granted exactly that.
///
/// # Errors
///
/// [`Error::Server`] when the body holds `error`, whatever the status;
/// [`Error::Rejected`] naming the failed check otherwise.
pub fn process_token_response(
    response: &Response,
    requested_scope: Option<&str>,
) -> Result<TokenResponse, Error> {
    let parsed = wire::object_body(response, true);
    if let Ok((map, _)) = &parsed
        && let Some(error) = wire::oauth_error(map, Endpoint::Token, response.status)?
    {
        return Err(error.into());
    }

    // §5.1: success is 200; anything else without an error body is
    // something we cannot read.
    if response.status != 200 {
        return Err(wire::unexpected_status("HTTP 200", response).into());
    }
    let (map, format) = parsed?;
    let mut warnings = Vec::new();
    match format {
        BodyFormat::Json => {}
        BodyFormat::Form => warnings.push(TokenWarning::FormEncodedBody),
        BodyFormat::UnlabelledJson => warnings.push(TokenWarning::JsonUnderOtherMediaType(
            wire::media_type(response).unwrap_or_else(|| "no Content-Type".to_owned()),
        )),
    }

    let access_token =
        required_token_field(&map, "access_token", RejectReason::AccessTokenMissing)?;
    let token_type = required_token_field(&map, "token_type", RejectReason::TokenTypeMissing)?;

    // In a form body every value is text, so a string there is no fault.
    let expires_in = match wire::seconds_field(&map, "expires_in")? {
        Some((seconds, was_string)) => {
            if was_string && format != BodyFormat::Form {
                warnings.push(TokenWarning::ExpiresInWasString);
            }
            Some(seconds)
        }
        None => None,
    };

    let refresh_token = wire::string_field(&map, "refresh_token")?
        .filter(|token| !token.is_empty())
        .map(RefreshToken::new);
    let scope = wire::string_field(&map, "scope")?;
    let requested = requested_scope.map(str::trim).filter(|s| !s.is_empty());
    if scope.is_none() && requested.is_some() {
        warnings.push(TokenWarning::ScopeOmitted);
    }
    let granted_scope = scope.clone().or_else(|| requested.map(str::to_owned));
    let id_token = wire::string_field(&map, "id_token")?.map(IdToken::new);

    let extra = map
        .into_iter()
        .filter(|(name, _)| !KNOWN_FIELDS.contains(&name.as_str()))
        .collect();
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type,
        expires_in,
        refresh_token,
        scope,
        granted_scope,
        id_token,
        extra,
        warnings,
    })
}

fn required_token_field(
    map: &Map<String, Value>,
    name: &str,
    reason: RejectReason,
) -> Result<String, Rejection> {
    match wire::string_field(map, name)? {
        Some(value) if !value.is_empty() => Ok(value),
        found => Err(Rejection::new(
            reason,
            format!("a non-empty \"{name}\""),
            found.map(|_| "an empty string".to_owned()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth2::callback::{
        AuthorizationResponseChecks, ResponseMode, validate_authorization_response,
    };

    fn response(status: u16, content_type: &str, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
        }
    }

    fn reason(result: Result<TokenResponse, Error>) -> RejectReason {
        result.unwrap_err().rejection().unwrap().reason
    }

    #[test]
    fn basic_credentials_match_rfc6749_2_3_1_example() {
        // RFC 6749 §4.1.3 shows these credentials for client s6BhdRkqt3.
        assert_eq!(
            basic_authorization("s6BhdRkqt3", "gX1fBat3bV"),
            "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW"
        );
    }

    #[test]
    fn basic_credentials_are_form_encoded_first() {
        // base64 of "client%3A1:p%40ss+w%2Frd%2B%26%25%C3%A9", computed
        // independently with Python's urllib.parse.quote_plus and base64.
        assert_eq!(
            basic_authorization("client:1", "p@ss w/rd+&%é"),
            "Basic Y2xpZW50JTNBMTpwJTQwc3MrdyUyRnJkJTJCJTI2JTI1JUMzJUE5"
        );
    }

    fn validated_code() -> ValidatedAuthorizationResponse {
        let checks = AuthorizationResponseChecks {
            expected_state: Some("xyz".to_owned()),
            response_mode: ResponseMode::Query,
            expected_issuer: None,
            iss_parameter_supported: false,
        };
        validate_authorization_response(
            "https://client.example.com/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz",
            &checks,
        )
        .unwrap()
    }

    #[test]
    fn code_grant_request_matches_rfc6749_4_1_3() {
        let client = ClientAuthentication::ClientSecretBasic {
            client_id: "s6BhdRkqt3".to_owned(),
            client_secret: ClientSecret::new("gX1fBat3bV"),
        };
        let request = authorization_code_grant_request(
            "https://server.example.com/token",
            &client,
            &validated_code(),
            Some("https://client.example.com/cb"),
            None,
        )
        .unwrap();
        assert_eq!(request.method, "POST");
        assert_eq!(
            request.body.as_deref(),
            Some(
                "grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb"
            )
        );
        assert!(request.headers.contains(&(
            "Authorization".to_owned(),
            "Basic czZCaGRSa3F0MzpnWDFmQmF0M2JW".to_owned()
        )));
    }

    #[test]
    fn public_client_sends_its_id_and_verifier_in_the_body() {
        let client = ClientAuthentication::None {
            client_id: "s6BhdRkqt3".to_owned(),
        };
        let verifier = CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        let request = authorization_code_grant_request(
            "https://server.example.com/token",
            &client,
            &validated_code(),
            None,
            Some(&verifier),
        )
        .unwrap();
        let body = request.body.unwrap();
        assert!(body.ends_with(
            "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&client_id=s6BhdRkqt3"
        ));
        assert!(!request.headers.iter().any(|(n, _)| n == "Authorization"));
    }

    #[test]
    fn client_secret_post_needs_a_secret() {
        let client = ClientAuthentication::ClientSecretPost {
            client_id: "s6BhdRkqt3".to_owned(),
            client_secret: ClientSecret::new(""),
        };
        let error = client_credentials_grant_request("https://as.example/token", &client, None)
            .unwrap_err();
        assert_eq!(error.field, "client_secret");
    }

    #[test]
    fn refresh_request_matches_rfc6749_6() {
        let client = ClientAuthentication::ClientSecretPost {
            client_id: "s6BhdRkqt3".to_owned(),
            client_secret: ClientSecret::new("7Fjfp0ZBr1KtDRbnfVdmIw"),
        };
        let request = refresh_token_grant_request(
            "https://server.example.com/token",
            &client,
            &RefreshToken::new("tGzv3JOkF0XG5Qx2TlKWIA"),
            None,
        )
        .unwrap();
        assert_eq!(
            request.body.as_deref(),
            Some(
                "grant_type=refresh_token&refresh_token=tGzv3JOkF0XG5Qx2TlKWIA&client_id=s6BhdRkqt3&client_secret=7Fjfp0ZBr1KtDRbnfVdmIw"
            )
        );
    }

    #[test]
    fn rfc6749_5_1_example_is_accepted() {
        let body = r#"{"access_token":"2YotnFZFEjr1zCsicMWpAA","token_type":"example","expires_in":3600,"refresh_token":"tGzv3JOkF0XG5Qx2TlKWIA","example_parameter":"example_value"}"#;
        let token =
            process_token_response(&response(200, "application/json;charset=UTF-8", body), None)
                .unwrap();
        assert_eq!(token.access_token.secret(), "2YotnFZFEjr1zCsicMWpAA");
        assert!(!token.is_bearer());
        assert_eq!(token.expires_in, Some(3600));
        assert_eq!(
            token.extra.get("example_parameter"),
            Some(&Value::from("example_value"))
        );
        assert!(!format!("{token:?}").contains("2YotnFZFEjr1zCsicMWpAA"));
    }

    #[test]
    fn rfc6749_5_2_example_is_the_servers_error() {
        let error = process_token_response(
            &response(400, "application/json", r#"{"error":"invalid_request"}"#),
            None,
        )
        .unwrap_err();
        let server = error.server().unwrap();
        assert_eq!(server.error, "invalid_request");
        assert_eq!(server.status, Some(400));
    }

    #[test]
    fn an_error_with_status_200_is_still_an_error() {
        let body = "error=bad_verification_code&error_description=The+code+passed+is+incorrect+or+expired.";
        let error = process_token_response(
            &response(
                200,
                "application/x-www-form-urlencoded; charset=utf-8",
                body,
            ),
            None,
        )
        .unwrap_err();
        assert_eq!(error.server().unwrap().error, "bad_verification_code");
    }

    #[test]
    fn token_type_is_compared_case_insensitively() {
        let body = r#"{"access_token":"a","token_type":"bearer"}"#;
        let token = process_token_response(&response(200, "application/json", body), None).unwrap();
        assert!(token.is_bearer());
        assert_eq!(token.token_type, "bearer");
    }

    #[test]
    fn missing_token_type_and_access_token_are_rejected() {
        let no_type = r#"{"access_token":"a"}"#;
        assert_eq!(
            reason(process_token_response(
                &response(200, "application/json", no_type),
                None
            )),
            RejectReason::TokenTypeMissing
        );
        let no_token = r#"{"token_type":"Bearer"}"#;
        assert_eq!(
            reason(process_token_response(
                &response(200, "application/json", no_token),
                None
            )),
            RejectReason::AccessTokenMissing
        );
    }

    #[test]
    fn expires_in_as_a_string_is_accepted_with_a_warning() {
        let body = r#"{"access_token":"a","token_type":"Bearer","expires_in":"3599"}"#;
        let token = process_token_response(&response(200, "application/json", body), None).unwrap();
        assert_eq!(token.expires_in, Some(3599));
        assert!(token.expires_in_was_string());
        assert_eq!(token.expires_at(1_000), Some(4_599));
    }

    #[test]
    fn omitted_scope_is_the_requested_scope() {
        let body = r#"{"access_token":"a","token_type":"Bearer"}"#;
        let token =
            process_token_response(&response(200, "application/json", body), Some("read write"))
                .unwrap();
        assert_eq!(token.granted_scope.as_deref(), Some("read write"));
        assert!(token.warnings.contains(&TokenWarning::ScopeOmitted));
    }

    #[test]
    fn github_form_encoded_response_is_read() {
        let body = "access_token=gho_16C7e42F292c6912E7710c838347Ae178B4a&scope=repo%2Cgist&token_type=bearer";
        let token = process_token_response(
            &response(
                200,
                "application/x-www-form-urlencoded; charset=utf-8",
                body,
            ),
            None,
        )
        .unwrap();
        assert_eq!(token.granted_scope.as_deref(), Some("repo,gist"));
        assert!(token.warnings.contains(&TokenWarning::FormEncodedBody));
    }

    #[test]
    fn an_html_page_is_not_a_token_response() {
        let result = process_token_response(&response(200, "text/html", "<html></html>"), None);
        assert_eq!(reason(result), RejectReason::UnexpectedContentType);
        let result = process_token_response(&response(502, "text/html", "<html></html>"), None);
        assert_eq!(reason(result), RejectReason::UnexpectedStatus);
    }
}
