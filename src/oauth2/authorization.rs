//! The authorization request (RFC 6749 §4.1.1) with PKCE (RFC 7636 §4.3)
//! and the OpenID Connect parameters a playground user meets most
//! (OpenID Connect Core §3.1.2.1): the full URL, and a table saying what
//! each parameter is for.

use url::Url;

use super::callback::{AuthorizationResponseChecks, ResponseMode};
use super::error::SettingsError;
use super::metadata::ProviderMetadata;
use super::pkce::{CodeChallengeMethod, CodeVerifier};
use super::{base64url, wire};

/// The fewest random octets accepted for `state` and `nonce`: 128 bits
/// keeps guessing below 2^-128 (RFC 6749 §10.10).
pub const MIN_RANDOM_OCTETS: usize = 16;

/// Whether and how the request carries a PKCE challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pkce {
    /// The default, and what RFC 7636 §4.2 asks of any client that can hash.
    S256,
    /// The challenge is the verifier itself.
    ///
    /// # Security
    ///
    /// Anyone who sees the authorization request learns the verifier;
    /// only for servers that cannot do S256.
    Plain,
    /// No challenge at all.
    ///
    /// # Security
    ///
    /// An intercepted code can be redeemed by anyone (RFC 7636 §1); the
    /// OAuth 2.0 Security BCP asks every client to use PKCE.
    Disabled,
}

/// What the user set for the authorization request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationSettings {
    pub authorization_endpoint: String,
    pub client_id: String,
    /// Optional when exactly one is registered (RFC 6749 §3.1.2.3).
    pub redirect_uri: Option<String>,
    /// Space-delimited (RFC 6749 §3.3); `None` leaves the server's default.
    pub scope: Option<String>,
    pub pkce: Pkce,
    /// Send `state` (RFC 6749 §4.1.1). With PKCE the Security BCP allows
    /// leaving it out; without PKCE it is the only CSRF protection.
    pub send_state: bool,
    /// Send an OpenID Connect `nonce`, to be found again in the ID token.
    pub send_nonce: bool,
    /// `None` sends no `response_mode`, which means `query` for a code.
    pub response_mode: Option<ResponseMode>,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    /// Parameters the user added; each name may appear once.
    pub extra_parameters: Vec<(String, String)>,
    /// The issuer, for the RFC 9207 check of the response.
    pub issuer: Option<String>,
    /// From the metadata: the server always sends `iss` (RFC 9207 §3).
    pub authorization_response_iss_parameter_supported: bool,
}

impl AuthorizationSettings {
    /// Settings for a client id and endpoint, with the defaults: S256
    /// PKCE, `state` and no `nonce`.
    pub fn new(authorization_endpoint: &str, client_id: &str) -> Self {
        AuthorizationSettings {
            authorization_endpoint: authorization_endpoint.to_owned(),
            client_id: client_id.to_owned(),
            redirect_uri: None,
            scope: None,
            pkce: Pkce::S256,
            send_state: true,
            send_nonce: false,
            response_mode: None,
            prompt: None,
            login_hint: None,
            extra_parameters: Vec::new(),
            issuer: None,
            authorization_response_iss_parameter_supported: false,
        }
    }

    /// Settings for `client_id` at the server `metadata` describes: its
    /// authorization endpoint, issuer and RFC 9207 promise.
    pub fn for_provider(metadata: &ProviderMetadata, client_id: &str) -> Self {
        let endpoint = metadata.authorization_endpoint.as_deref().unwrap_or("");
        let mut settings = AuthorizationSettings::new(endpoint, client_id);
        settings.issuer = metadata.issuer.clone();
        settings.authorization_response_iss_parameter_supported =
            metadata.authorization_response_iss_parameter_supported;
        settings
    }
}

/// Random octets from the caller for each value that needs them. Only the
/// ones the settings use are read.
#[derive(Clone, Copy)]
pub struct RandomOctets<'a> {
    pub state: &'a [u8],
    pub nonce: &'a [u8],
    /// 32 octets make the recommended 43-character verifier.
    pub code_verifier: &'a [u8],
}

/// One row of the parameter table shown beside the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainedParameter {
    pub name: String,
    pub value: String,
    pub explanation: &'static str,
    pub section: &'static str,
}

/// The authorization request as sent, and what the client must keep
/// until the response comes back (for instance in sessionStorage, under
/// the state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectAuthorizationResponse {
    /// The URL to send the browser to.
    pub url: String,
    /// Every parameter the client added, in the order sent.
    pub parameters: Vec<ExplainedParameter>,
    /// The checks the response must pass.
    pub checks: AuthorizationResponseChecks,
    pub nonce: Option<String>,
    pub code_verifier: Option<CodeVerifier>,
    /// Sent again in the token request (RFC 6749 §4.1.3).
    pub redirect_uri: Option<String>,
    /// The granted scope when the token response omits it (RFC 6749 §5.1).
    pub requested_scope: Option<String>,
}

/// Builds the authorization request (RFC 6749 §4.1.1).
///
/// # Errors
///
/// A [`SettingsError`] naming the field: the endpoint is not an HTTPS URL
/// without fragment, the client id is empty, the redirect URI is not
/// absolute or has a fragment (§3.1.2), a parameter would be sent twice
/// (§3.1), or too few random octets were supplied.
pub fn authorization_request(
    settings: &AuthorizationSettings,
    random: RandomOctets<'_>,
) -> Result<ExpectAuthorizationResponse, SettingsError> {
    let mut url = wire::endpoint_url("authorization_endpoint", &settings.authorization_endpoint)?;
    wire::required_setting(
        "client_id",
        &settings.client_id,
        "copy the client ID from the client's registration at the provider",
    )?;
    let redirect_uri = settings
        .redirect_uri
        .as_deref()
        .map(str::trim)
        .filter(|uri| !uri.is_empty())
        .map(checked_redirect_uri)
        .transpose()?;

    let mut table = Vec::new();
    let mut add = |name: &str, value: &str, explanation, section| {
        table.push(ExplainedParameter {
            name: name.to_owned(),
            value: value.to_owned(),
            explanation,
            section,
        });
    };

    add(
        "response_type",
        "code",
        "Asks for an authorization code, to be exchanged at the token endpoint.",
        "RFC 6749 §4.1.1",
    );
    add(
        "client_id",
        settings.client_id.trim(),
        "Names the client as registered with the provider.",
        "RFC 6749 §2.2",
    );
    if let Some(uri) = &redirect_uri {
        add(
            "redirect_uri",
            uri,
            "Where the browser returns with the response; must match a registered URI exactly.",
            "RFC 6749 §3.1.2",
        );
    }

    let scope = settings
        .scope
        .as_deref()
        .map(str::trim)
        .filter(|scope| !scope.is_empty());
    if let Some(scope) = scope {
        add(
            "scope",
            scope,
            "The access requested, as space-delimited scope values.",
            "RFC 6749 §3.3",
        );
    }

    let state = if settings.send_state {
        let state = random_value("state", random.state)?;
        add(
            "state",
            &state,
            "An unguessable value the response must return unchanged, tying it to this browser (CSRF protection).",
            "RFC 6749 §4.1.1, §10.12",
        );
        Some(state)
    } else {
        None
    };

    let code_verifier = match settings.pkce {
        Pkce::Disabled => None,
        Pkce::S256 | Pkce::Plain => {
            let method = if settings.pkce == Pkce::S256 {
                CodeChallengeMethod::S256
            } else {
                CodeChallengeMethod::Plain
            };
            let verifier = CodeVerifier::from_random_octets(random.code_verifier)?;
            let challenge = verifier.challenge(method);
            add(
                "code_challenge",
                &challenge.value,
                "Derived from a secret code_verifier kept by the client and sent only to the token endpoint, so a stolen code is useless.",
                "RFC 7636 §4.2, §4.3",
            );
            add(
                "code_challenge_method",
                method.name(),
                if method == CodeChallengeMethod::S256 {
                    "The challenge is the SHA-256 hash of the verifier, base64url-encoded."
                } else {
                    "The challenge is the verifier itself: weaker, for servers that cannot do S256."
                },
                "RFC 7636 §4.3",
            );
            Some(verifier)
        }
    };

    let nonce = if settings.send_nonce {
        let nonce = random_value("nonce", random.nonce)?;
        add(
            "nonce",
            &nonce,
            "Copied by the server into the ID token, so that a replayed ID token is detected.",
            "OpenID Connect Core §3.1.2.1",
        );
        Some(nonce)
    } else {
        None
    };

    if let Some(mode) = settings.response_mode {
        add(
            "response_mode",
            mode.name(),
            "How the server returns the response: in the query, the fragment, or a form POST.",
            "OAuth 2.0 Multiple Response Type Encoding Practices §2.1",
        );
    }
    if let Some(prompt) = non_empty(settings.prompt.as_deref()) {
        add(
            "prompt",
            prompt,
            "Whether the server shows its login or consent pages: none, login, consent or select_account.",
            "OpenID Connect Core §3.1.2.1",
        );
    }
    if let Some(hint) = non_empty(settings.login_hint.as_deref()) {
        add(
            "login_hint",
            hint,
            "Prefills the account the user signs in with.",
            "OpenID Connect Core §3.1.2.1",
        );
    }
    for (name, value) in &settings.extra_parameters {
        add(
            name.trim(),
            value,
            "Added by you; not defined by the core specifications.",
            "RFC 6749 §3.1",
        );
    }

    check_each_name_once(&url, &table)?;
    {
        // RFC 6749 §3.1: a query already in the endpoint URL is kept.
        let mut query = url.query_pairs_mut();
        for parameter in &table {
            query.append_pair(&parameter.name, &parameter.value);
        }
    }

    Ok(ExpectAuthorizationResponse {
        url: url.to_string(),
        parameters: table,
        checks: AuthorizationResponseChecks {
            expected_state: state,
            response_mode: settings.response_mode.unwrap_or(ResponseMode::Query),
            expected_issuer: settings.issuer.clone(),
            iss_parameter_supported: settings.authorization_response_iss_parameter_supported,
        },
        nonce,
        code_verifier,
        redirect_uri,
        requested_scope: scope.map(str::to_owned),
    })
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// RFC 6749 §3.1.2: absolute, and without a fragment.
fn checked_redirect_uri(uri: &str) -> Result<String, SettingsError> {
    let parsed = Url::parse(uri).map_err(|error| {
        SettingsError::new(
            "redirect_uri",
            format!("\"{uri}\" is not an absolute URI ({error})"),
            "type it in full, as registered, such as https://app.example.com/callback",
        )
    })?;
    if parsed.fragment().is_some() {
        return Err(SettingsError::new(
            "redirect_uri",
            format!("\"{uri}\" has a fragment"),
            "remove the part from # on (RFC 6749 §3.1.2: the redirect URI must not include a fragment)",
        ));
    }
    Ok(uri.to_owned())
}

fn random_value(name: &'static str, octets: &[u8]) -> Result<String, SettingsError> {
    if octets.len() < MIN_RANDOM_OCTETS {
        return Err(SettingsError::new(
            "random_octets",
            format!("only {} random octets were given for {name}", octets.len()),
            "supply at least 16 octets from a cryptographic random source (RFC 6749 §10.10)",
        ));
    }
    Ok(base64url(octets))
}

/// RFC 6749 §3.1: parameters must not be included more than once.
fn check_each_name_once(url: &Url, table: &[ExplainedParameter]) -> Result<(), SettingsError> {
    let mut seen: Vec<String> = url
        .query_pairs()
        .map(|(name, _)| name.into_owned())
        .collect();
    for parameter in table {
        if parameter.name.is_empty() {
            return Err(SettingsError::new(
                "extra_parameters",
                "a parameter has no name",
                "give every added parameter a name, or remove it",
            ));
        }
        if seen.contains(&parameter.name) {
            return Err(SettingsError::new(
                "extra_parameters",
                format!("\"{}\" would be sent twice", parameter.name),
                "remove the added parameter or the one in the endpoint URL (RFC 6749 §3.1: parameters must not be included more than once)",
            ));
        }
        seen.push(parameter.name.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const OCTETS: RandomOctets<'static> = RandomOctets {
        state: &[1; 16],
        nonce: &[2; 16],
        code_verifier: &[3; 32],
    };

    fn settings() -> AuthorizationSettings {
        let mut settings =
            AuthorizationSettings::new("https://server.example.com/authorize", "s6BhdRkqt3");
        settings.redirect_uri = Some("https://client.example.com/cb".to_owned());
        settings.scope = Some("openid profile".to_owned());
        settings
    }

    #[test]
    fn request_has_code_state_and_s256_by_default() {
        let expect = authorization_request(&settings(), OCTETS).unwrap();
        let url = Url::parse(&expect.url).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        let names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "response_type",
                "client_id",
                "redirect_uri",
                "scope",
                "state",
                "code_challenge",
                "code_challenge_method"
            ]
        );
        assert!(expect.url.contains("scope=openid+profile"));
        assert!(
            expect
                .url
                .contains("redirect_uri=https%3A%2F%2Fclient.example.com%2Fcb")
        );
        assert!(expect.url.contains("code_challenge_method=S256"));
        let verifier = expect.code_verifier.unwrap();
        assert_eq!(verifier.secret().len(), 43);
        assert_eq!(
            expect.checks.expected_state.as_deref(),
            Some(base64url(&[1; 16]).as_str())
        );
    }

    #[test]
    fn endpoint_query_is_kept() {
        let mut settings = settings();
        settings.authorization_endpoint = "https://server.example.com/authorize?p=b2c_1".to_owned();
        let expect = authorization_request(&settings, OCTETS).unwrap();
        assert!(
            expect
                .url
                .starts_with("https://server.example.com/authorize?p=b2c_1&response_type=code")
        );
    }

    #[test]
    fn a_parameter_sent_twice_is_a_settings_error() {
        let mut settings = settings();
        settings.extra_parameters = vec![("state".to_owned(), "x".to_owned())];
        let error = authorization_request(&settings, OCTETS).unwrap_err();
        assert_eq!(error.field, "extra_parameters");
    }

    #[test]
    fn redirect_uri_with_fragment_is_a_settings_error() {
        let mut settings = settings();
        settings.redirect_uri = Some("https://client.example.com/cb#x".to_owned());
        let error = authorization_request(&settings, OCTETS).unwrap_err();
        assert_eq!(error.field, "redirect_uri");
    }

    #[test]
    fn short_random_octets_are_refused() {
        let short = RandomOctets {
            state: &[1; 8],
            ..OCTETS
        };
        let error = authorization_request(&settings(), short).unwrap_err();
        assert_eq!(error.field, "random_octets");
    }

    #[test]
    fn plain_pkce_and_nonce_and_oidc_parameters() {
        let mut settings = settings();
        settings.pkce = Pkce::Plain;
        settings.send_nonce = true;
        settings.prompt = Some("consent".to_owned());
        settings.login_hint = Some("janedoe@example.com".to_owned());
        settings.response_mode = Some(ResponseMode::Fragment);
        let expect = authorization_request(&settings, OCTETS).unwrap();
        let verifier = expect.code_verifier.unwrap();
        let challenge = expect
            .parameters
            .iter()
            .find(|p| p.name == "code_challenge")
            .unwrap();
        assert_eq!(challenge.value, verifier.secret());
        assert!(expect.url.contains("login_hint=janedoe%40example.com"));
        assert!(expect.url.contains("response_mode=fragment"));
        assert!(expect.nonce.is_some());
        assert_eq!(expect.checks.response_mode, ResponseMode::Fragment);
    }

    #[test]
    fn provider_settings_carry_the_issuer_checks() {
        let keycloak = crate::oauth2::metadata::preset("keycloak").unwrap();
        let metadata = keycloak
            .metadata(&[("domain", "kc.example"), ("realm", "demo")])
            .unwrap();
        let settings = AuthorizationSettings::for_provider(&metadata, "playground");
        let expect = authorization_request(&settings, OCTETS).unwrap();
        assert!(expect.url.starts_with(
            "https://kc.example/realms/demo/protocol/openid-connect/auth?response_type=code"
        ));
        assert_eq!(
            expect.checks.expected_issuer.as_deref(),
            Some("https://kc.example/realms/demo")
        );
        assert!(expect.checks.iss_parameter_supported);
    }

    #[test]
    fn pkce_can_be_switched_off_visibly() {
        let mut settings = settings();
        settings.pkce = Pkce::Disabled;
        let expect = authorization_request(&settings, OCTETS).unwrap();
        assert!(expect.code_verifier.is_none());
        assert!(!expect.url.contains("code_challenge"));
    }
}
