//! Provider configuration: authorization server metadata (RFC 8414) and
//! OpenID Connect Discovery 1.0, with the issuer check of RFC 8414 §3.3,
//! and presets for well-known providers.
//!
//! A preset states what a provider is known to publish and require; where
//! the provider has a discovery document, fetching it is the authority.

use serde_json::{Map, Value};
use url::Url;

use super::error::{Endpoint, Error, RejectReason, Rejection, SettingsError};
use super::wire;
use crate::http::{Request, Response};

/// Where a provider publishes its metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscoveryKind {
    /// `/.well-known/openid-configuration`, appended to the issuer
    /// (OpenID Connect Discovery 1.0 §4).
    OpenIdConfiguration,
    /// `/.well-known/oauth-authorization-server`, inserted between the
    /// host and the path of the issuer (RFC 8414 §3.1).
    OAuthAuthorizationServer,
}

impl DiscoveryKind {
    /// The name registered under `/.well-known/`.
    pub fn well_known_suffix(self) -> &'static str {
        match self {
            DiscoveryKind::OpenIdConfiguration => "openid-configuration",
            DiscoveryKind::OAuthAuthorizationServer => "oauth-authorization-server",
        }
    }
}

/// What the client needs to know about an authorization server. Fields
/// are the RFC 8414 §2 and OpenID Connect Discovery §3 names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProviderMetadata {
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub registration_endpoint: Option<String>,
    pub end_session_endpoint: Option<String>,
    pub scopes_supported: Vec<String>,
    pub response_types_supported: Vec<String>,
    pub response_modes_supported: Vec<String>,
    pub grant_types_supported: Vec<String>,
    pub token_endpoint_auth_methods_supported: Vec<String>,
    pub code_challenge_methods_supported: Vec<String>,
    /// RFC 9207 §3: when true, every authorization response carries `iss`.
    pub authorization_response_iss_parameter_supported: bool,
    /// Members this client does not interpret, kept for display.
    pub extra: Map<String, Value>,
}

const STRING_FIELDS: [&str; 10] = [
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "userinfo_endpoint",
    "revocation_endpoint",
    "introspection_endpoint",
    "device_authorization_endpoint",
    "jwks_uri",
    "registration_endpoint",
    "end_session_endpoint",
];

const LIST_FIELDS: [&str; 6] = [
    "scopes_supported",
    "response_types_supported",
    "response_modes_supported",
    "grant_types_supported",
    "token_endpoint_auth_methods_supported",
    "code_challenge_methods_supported",
];

impl ProviderMetadata {
    /// Reads a metadata document, checking the type of each known member.
    ///
    /// # Errors
    ///
    /// A [`Rejection`] naming the first member of the wrong type.
    pub fn from_json(map: &Map<String, Value>) -> Result<Self, Rejection> {
        let mut metadata = ProviderMetadata {
            issuer: wire::string_field(map, "issuer")?,
            authorization_endpoint: wire::string_field(map, "authorization_endpoint")?,
            token_endpoint: wire::string_field(map, "token_endpoint")?,
            userinfo_endpoint: wire::string_field(map, "userinfo_endpoint")?,
            revocation_endpoint: wire::string_field(map, "revocation_endpoint")?,
            introspection_endpoint: wire::string_field(map, "introspection_endpoint")?,
            device_authorization_endpoint: wire::string_field(
                map,
                "device_authorization_endpoint",
            )?,
            jwks_uri: wire::string_field(map, "jwks_uri")?,
            registration_endpoint: wire::string_field(map, "registration_endpoint")?,
            end_session_endpoint: wire::string_field(map, "end_session_endpoint")?,
            scopes_supported: string_list(map, "scopes_supported")?,
            response_types_supported: string_list(map, "response_types_supported")?,
            response_modes_supported: string_list(map, "response_modes_supported")?,
            grant_types_supported: string_list(map, "grant_types_supported")?,
            token_endpoint_auth_methods_supported: string_list(
                map,
                "token_endpoint_auth_methods_supported",
            )?,
            code_challenge_methods_supported: string_list(map, "code_challenge_methods_supported")?,
            authorization_response_iss_parameter_supported: false,
            extra: Map::new(),
        };

        // RFC 9207 §3: omitted means false.
        metadata.authorization_response_iss_parameter_supported =
            match map.get("authorization_response_iss_parameter_supported") {
                None | Some(Value::Null) => false,
                Some(Value::Bool(flag)) => *flag,
                Some(other) => {
                    return Err(wire::wrong_type(
                        "authorization_response_iss_parameter_supported",
                        "a boolean",
                        other,
                    ));
                }
            };

        metadata.extra = map
            .iter()
            .filter(|(name, _)| {
                !STRING_FIELDS.contains(&name.as_str())
                    && !LIST_FIELDS.contains(&name.as_str())
                    && *name != "authorization_response_iss_parameter_supported"
            })
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        Ok(metadata)
    }

    /// Whether the server says it accepts S256 PKCE. `None` when it does
    /// not say: RFC 8414 §2 lets it omit the list even when it supports PKCE.
    pub fn supports_s256(&self) -> Option<bool> {
        if self.code_challenge_methods_supported.is_empty() {
            None
        } else {
            Some(
                self.code_challenge_methods_supported
                    .iter()
                    .any(|method| method == "S256"),
            )
        }
    }
}

fn string_list(map: &Map<String, Value>, name: &str) -> Result<Vec<String>, Rejection> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => Ok(text.clone()),
                other => Err(wire::wrong_type(name, "an array of strings", other)),
            })
            .collect(),
        Some(other) => Err(wire::wrong_type(name, "an array of strings", other)),
    }
}

/// Checks an issuer identifier typed in the settings (RFC 8414 §2): an
/// HTTPS URL without query or fragment.
pub fn issuer_url(issuer: &str) -> Result<Url, SettingsError> {
    let url = wire::endpoint_url("issuer", issuer)?;
    if url.query().is_some() {
        return Err(SettingsError::new(
            "issuer",
            format!("\"{}\" has a query", issuer.trim()),
            "remove the part from ? on (RFC 8414 §2: the issuer has no query or fragment)",
        ));
    }
    Ok(url)
}

/// The URL of the metadata document for `issuer`.
///
/// # Errors
///
/// A [`SettingsError`] when the issuer is not an HTTPS URL without query
/// or fragment.
pub fn discovery_url(issuer: &str, kind: DiscoveryKind) -> Result<String, SettingsError> {
    let url = issuer_url(issuer)?;

    // Both specifications drop a terminating "/" of the issuer's path.
    let path = url.path().trim_end_matches('/');
    let suffix = kind.well_known_suffix();
    let mut document = url.clone();
    match kind {
        DiscoveryKind::OpenIdConfiguration => {
            document.set_path(&format!("{path}/.well-known/{suffix}"));
        }
        DiscoveryKind::OAuthAuthorizationServer => {
            document.set_path(&format!("/.well-known/{suffix}{path}"));
        }
    }
    Ok(document.to_string())
}

/// A GET of the metadata document (RFC 8414 §3.1; Discovery §4.1).
///
/// # Errors
///
/// As [`discovery_url`].
pub fn discovery_request(issuer: &str, kind: DiscoveryKind) -> Result<Request, SettingsError> {
    Ok(Request {
        method: "GET".to_owned(),
        url: discovery_url(issuer, kind)?,
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: None,
    })
}

/// Validates a metadata response (RFC 8414 §3.2 and §3.3): status 200, a
/// JSON object, and an `issuer` identical to the one it was fetched for.
///
/// # Errors
///
/// [`Error::Rejected`] with `issuer_mismatch`, `field_missing` (no
/// issuer), a status or body reason; [`Error::Server`] for an OAuth error
/// body.
pub fn process_discovery_response(
    response: &Response,
    expected_issuer: &str,
) -> Result<ProviderMetadata, Error> {
    let map = wire::json_success(response, Endpoint::Discovery)?;
    // Limitation: signed_metadata (RFC 8414 §2.1) is kept in `extra`, not verified.
    let metadata = ProviderMetadata::from_json(&map)?;

    // RFC 8414 §3.3: identical, compared as strings, not as URLs.
    let expected = expected_issuer.trim();
    match metadata.issuer.as_deref() {
        None => Err(wire::missing("issuer").into()),
        Some(issuer) if issuer != expected => {
            // The commonest cause by far: a slash typed after the issuer.
            let hint = if issuer.trim_end_matches('/') == expected.trim_end_matches('/') {
                format!(" (only a trailing slash differs: type the issuer as \"{issuer}\")")
            } else {
                String::new()
            };
            Err(Rejection::new(
                RejectReason::IssuerMismatch,
                format!("\"{expected}\"{hint}"),
                Some(format!("\"{issuer}\"")),
            )
            .into())
        }
        Some(_) => Ok(metadata),
    }
}

/// Whether a provider's token endpoint answers a page's cross-origin
/// `fetch` (CORS), which decides if the browser can redeem the code itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenEndpointCors {
    /// Any origin may call it.
    Allowed,
    /// Only origins registered with the client or tenant.
    RegisteredOrigins,
    /// Browsers are refused; a backend must redeem the code.
    Blocked,
}

/// Whether the provider requires a client secret at the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientSecretRequirement {
    /// Always, even with PKCE.
    Required,
    /// Only for confidential clients; single-page apps use PKCE alone.
    ConfidentialClientsOnly,
}

/// What a provider asks of a client before the flow can work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirements {
    pub client_secret: ClientSecretRequirement,
    pub token_endpoint_cors: TokenEndpointCors,
    /// The redirect URI must be registered exactly, as RFC 6749 §3.1.2.2
    /// asks for public clients; every preset requires it.
    pub registered_redirect_uri: bool,
    /// What to set up, in one or two sentences.
    pub note: &'static str,
}

/// A value the user fills in, such as a tenant or a domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placeholder {
    /// As written in the templates, without braces: `tenant`.
    pub name: &'static str,
    pub label: &'static str,
    pub example: &'static str,
}

/// A well-known provider's endpoints and requirements. Endpoint strings
/// may hold `{name}` placeholders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub placeholders: &'static [Placeholder],
    /// `None` for a provider that is not an OpenID provider (GitHub).
    pub issuer: Option<&'static str>,
    pub discovery: Option<DiscoveryKind>,
    pub authorization_endpoint: &'static str,
    pub token_endpoint: &'static str,
    pub userinfo_endpoint: Option<&'static str>,
    pub revocation_endpoint: Option<&'static str>,
    pub introspection_endpoint: Option<&'static str>,
    pub device_authorization_endpoint: Option<&'static str>,
    pub jwks_uri: Option<&'static str>,
    pub code_challenge_methods_supported: &'static [&'static str],
    pub authorization_response_iss_parameter_supported: bool,
    pub default_scope: &'static str,
    pub requirements: Requirements,
}

const DOMAIN: Placeholder = Placeholder {
    name: "domain",
    label: "Domain",
    example: "dev-123456.okta.com",
};

/// Google, Microsoft Entra ID, GitHub, GitLab, Okta, Auth0 and Keycloak.
pub const PRESETS: [Preset; 7] = [
    Preset {
        id: "google",
        name: "Google",
        placeholders: &[],
        issuer: Some("https://accounts.google.com"),
        discovery: Some(DiscoveryKind::OpenIdConfiguration),
        authorization_endpoint: "https://accounts.google.com/o/oauth2/v2/auth",
        token_endpoint: "https://oauth2.googleapis.com/token",
        userinfo_endpoint: Some("https://openidconnect.googleapis.com/v1/userinfo"),
        revocation_endpoint: Some("https://oauth2.googleapis.com/revoke"),
        introspection_endpoint: None,
        device_authorization_endpoint: Some("https://oauth2.googleapis.com/device/code"),
        jwks_uri: Some("https://www.googleapis.com/oauth2/v3/certs"),
        code_challenge_methods_supported: &["plain", "S256"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "openid email profile",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::Required,
            token_endpoint_cors: TokenEndpointCors::Allowed,
            registered_redirect_uri: true,
            note: "Create a \"Web application\" OAuth client and register the redirect URI; Google asks for its client secret at the token endpoint even with PKCE. The device flow needs a \"TVs and Limited Input devices\" client.",
        },
    },
    Preset {
        id: "entra",
        name: "Microsoft Entra ID",
        placeholders: &[Placeholder {
            name: "tenant",
            label: "Tenant (ID, domain, or common / organizations / consumers)",
            example: "contoso.onmicrosoft.com",
        }],
        issuer: Some("https://login.microsoftonline.com/{tenant}/v2.0"),
        discovery: Some(DiscoveryKind::OpenIdConfiguration),
        authorization_endpoint: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize",
        token_endpoint: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
        userinfo_endpoint: Some("https://graph.microsoft.com/oidc/userinfo"),
        revocation_endpoint: None,
        introspection_endpoint: None,
        device_authorization_endpoint: Some(
            "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/devicecode",
        ),
        jwks_uri: Some("https://login.microsoftonline.com/{tenant}/discovery/v2.0/keys"),
        code_challenge_methods_supported: &["plain", "S256"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "openid profile email offline_access",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::ConfidentialClientsOnly,
            token_endpoint_cors: TokenEndpointCors::RegisteredOrigins,
            registered_redirect_uri: true,
            note: "Register the redirect URI under the \"Single-page application\" platform: only that platform may redeem codes from a browser (CORS), without a secret. For the tenants common, organizations and consumers the published issuer holds a {tenantid} template, so the RFC 8414 issuer check fails; use a tenant ID to check it.",
        },
    },
    Preset {
        id: "github",
        name: "GitHub",
        placeholders: &[],
        issuer: None,
        discovery: None,
        authorization_endpoint: "https://github.com/login/oauth/authorize",
        token_endpoint: "https://github.com/login/oauth/access_token",
        userinfo_endpoint: Some("https://api.github.com/user"),
        revocation_endpoint: None,
        introspection_endpoint: None,
        device_authorization_endpoint: Some("https://github.com/login/device/code"),
        jwks_uri: None,
        code_challenge_methods_supported: &["S256"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "read:user",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::Required,
            token_endpoint_cors: TokenEndpointCors::Blocked,
            registered_redirect_uri: true,
            note: "GitHub is OAuth 2.0 without OpenID Connect: no discovery, no ID token. Its token endpoint sends no CORS headers, so a page cannot redeem the code: use the mock server or paste the token response. It answers form-encoded unless asked for JSON, and requires the client secret.",
        },
    },
    Preset {
        id: "gitlab",
        name: "GitLab",
        placeholders: &[Placeholder {
            name: "domain",
            label: "Domain (gitlab.com or your instance)",
            example: "gitlab.com",
        }],
        issuer: Some("https://{domain}"),
        discovery: Some(DiscoveryKind::OpenIdConfiguration),
        authorization_endpoint: "https://{domain}/oauth/authorize",
        token_endpoint: "https://{domain}/oauth/token",
        userinfo_endpoint: Some("https://{domain}/oauth/userinfo"),
        revocation_endpoint: Some("https://{domain}/oauth/revoke"),
        introspection_endpoint: Some("https://{domain}/oauth/introspect"),
        device_authorization_endpoint: Some("https://{domain}/oauth/authorize_device"),
        jwks_uri: Some("https://{domain}/oauth/discovery/keys"),
        code_challenge_methods_supported: &["plain", "S256"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "openid profile email",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::ConfidentialClientsOnly,
            token_endpoint_cors: TokenEndpointCors::Allowed,
            registered_redirect_uri: true,
            note: "Create an application with \"Confidential\" unticked to use PKCE without a secret, and register the redirect URI exactly.",
        },
    },
    Preset {
        id: "okta",
        name: "Okta",
        placeholders: &[DOMAIN],
        issuer: Some("https://{domain}/oauth2/default"),
        discovery: Some(DiscoveryKind::OAuthAuthorizationServer),
        authorization_endpoint: "https://{domain}/oauth2/default/v1/authorize",
        token_endpoint: "https://{domain}/oauth2/default/v1/token",
        userinfo_endpoint: Some("https://{domain}/oauth2/default/v1/userinfo"),
        revocation_endpoint: Some("https://{domain}/oauth2/default/v1/revoke"),
        introspection_endpoint: Some("https://{domain}/oauth2/default/v1/introspect"),
        device_authorization_endpoint: Some("https://{domain}/oauth2/default/v1/device/authorize"),
        jwks_uri: Some("https://{domain}/oauth2/default/v1/keys"),
        code_challenge_methods_supported: &["S256"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "openid profile email",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::ConfidentialClientsOnly,
            token_endpoint_cors: TokenEndpointCors::RegisteredOrigins,
            registered_redirect_uri: true,
            note: "Create a \"Single-Page Application\" app integration (no secret, PKCE required), register the sign-in redirect URI, and add the playground's origin as a Trusted Origin for CORS.",
        },
    },
    Preset {
        id: "auth0",
        name: "Auth0",
        placeholders: &[Placeholder {
            name: "domain",
            label: "Domain",
            example: "dev-abc123.us.auth0.com",
        }],
        issuer: Some("https://{domain}/"),
        discovery: Some(DiscoveryKind::OpenIdConfiguration),
        authorization_endpoint: "https://{domain}/authorize",
        token_endpoint: "https://{domain}/oauth/token",
        userinfo_endpoint: Some("https://{domain}/userinfo"),
        revocation_endpoint: Some("https://{domain}/oauth/revoke"),
        introspection_endpoint: None,
        device_authorization_endpoint: Some("https://{domain}/oauth/device/code"),
        jwks_uri: Some("https://{domain}/.well-known/jwks.json"),
        code_challenge_methods_supported: &["S256", "plain"],
        authorization_response_iss_parameter_supported: false,
        default_scope: "openid profile email",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::ConfidentialClientsOnly,
            token_endpoint_cors: TokenEndpointCors::RegisteredOrigins,
            registered_redirect_uri: true,
            note: "Create a \"Single Page Application\", list the redirect URI under Allowed Callback URLs and the playground's origin under Allowed Web Origins. The issuer ends with a slash.",
        },
    },
    Preset {
        id: "keycloak",
        name: "Keycloak",
        placeholders: &[
            Placeholder {
                name: "domain",
                label: "Domain (host and port)",
                example: "keycloak.example.com",
            },
            Placeholder {
                name: "realm",
                label: "Realm",
                example: "master",
            },
        ],
        issuer: Some("https://{domain}/realms/{realm}"),
        discovery: Some(DiscoveryKind::OpenIdConfiguration),
        authorization_endpoint: "https://{domain}/realms/{realm}/protocol/openid-connect/auth",
        token_endpoint: "https://{domain}/realms/{realm}/protocol/openid-connect/token",
        userinfo_endpoint: Some("https://{domain}/realms/{realm}/protocol/openid-connect/userinfo"),
        revocation_endpoint: Some("https://{domain}/realms/{realm}/protocol/openid-connect/revoke"),
        introspection_endpoint: Some(
            "https://{domain}/realms/{realm}/protocol/openid-connect/token/introspect",
        ),
        device_authorization_endpoint: Some(
            "https://{domain}/realms/{realm}/protocol/openid-connect/auth/device",
        ),
        jwks_uri: Some("https://{domain}/realms/{realm}/protocol/openid-connect/certs"),
        code_challenge_methods_supported: &["plain", "S256"],
        authorization_response_iss_parameter_supported: true,
        default_scope: "openid profile email",
        requirements: Requirements {
            client_secret: ClientSecretRequirement::ConfidentialClientsOnly,
            token_endpoint_cors: TokenEndpointCors::RegisteredOrigins,
            registered_redirect_uri: true,
            note: "Create a client with \"Client authentication\" off, list the redirect URI under Valid redirect URIs and the playground's origin under Web origins (CORS).",
        },
    },
];

/// The preset with this `id`.
pub fn preset(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|preset| preset.id == id)
}

impl Preset {
    /// The preset's endpoints with every placeholder filled from `values`
    /// (name, value).
    ///
    /// # Errors
    ///
    /// A [`SettingsError`] on the placeholder that is missing or holds a
    /// character that would change the URL's structure.
    pub fn metadata(&self, values: &[(&str, &str)]) -> Result<ProviderMetadata, SettingsError> {
        let filled = |template: &str| fill(template, self.placeholders, values);
        let optional = |template: Option<&str>| template.map(filled).transpose();

        Ok(ProviderMetadata {
            issuer: optional(self.issuer)?,
            authorization_endpoint: Some(filled(self.authorization_endpoint)?),
            token_endpoint: Some(filled(self.token_endpoint)?),
            userinfo_endpoint: optional(self.userinfo_endpoint)?,
            revocation_endpoint: optional(self.revocation_endpoint)?,
            introspection_endpoint: optional(self.introspection_endpoint)?,
            device_authorization_endpoint: optional(self.device_authorization_endpoint)?,
            jwks_uri: optional(self.jwks_uri)?,
            code_challenge_methods_supported: self
                .code_challenge_methods_supported
                .iter()
                .map(|method| (*method).to_owned())
                .collect(),
            authorization_response_iss_parameter_supported: self
                .authorization_response_iss_parameter_supported,
            response_types_supported: vec!["code".to_owned()],
            ..ProviderMetadata::default()
        })
    }
}

fn fill(
    template: &str,
    placeholders: &[Placeholder],
    values: &[(&str, &str)],
) -> Result<String, SettingsError> {
    let mut text = template.to_owned();
    for placeholder in placeholders {
        let marker = format!("{{{}}}", placeholder.name);
        if !text.contains(&marker) {
            continue;
        }
        let value = values
            .iter()
            .find(|(name, _)| *name == placeholder.name)
            .map(|(_, value)| value.trim())
            .unwrap_or("");
        check_placeholder(placeholder, value)?;
        text = text.replace(&marker, value);
    }
    Ok(text)
}

fn check_placeholder(placeholder: &Placeholder, value: &str) -> Result<(), SettingsError> {
    if value.is_empty() {
        return Err(SettingsError::new(
            placeholder.name,
            "it is empty",
            format!(
                "fill in the {}, such as {}",
                placeholder.label, placeholder.example
            ),
        ));
    }

    // A host may carry a port; no value may add a path, query or userinfo.
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | ':');
    if let Some(bad) = value.chars().find(|c| !allowed(*c)) {
        return Err(SettingsError::new(
            placeholder.name,
            format!("it contains {bad:?}"),
            format!(
                "type only the {} itself, such as {}, without https:// or a path",
                placeholder.label, placeholder.example
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_response(status: u16, body: &str) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
            body: body.to_owned(),
        }
    }

    #[test]
    fn openid_configuration_is_appended_to_the_issuer_path() {
        let url = discovery_url(
            "https://server.example.com/tenant/",
            DiscoveryKind::OpenIdConfiguration,
        );
        assert_eq!(
            url.unwrap(),
            "https://server.example.com/tenant/.well-known/openid-configuration"
        );
    }

    #[test]
    fn rfc8414_well_known_goes_between_host_and_path() {
        // RFC 8414 §3.1 example.
        let url = discovery_url(
            "https://example.com/issuer1",
            DiscoveryKind::OAuthAuthorizationServer,
        );
        assert_eq!(
            url.unwrap(),
            "https://example.com/.well-known/oauth-authorization-server/issuer1"
        );
        let bare = discovery_url(
            "https://example.com",
            DiscoveryKind::OAuthAuthorizationServer,
        );
        assert_eq!(
            bare.unwrap(),
            "https://example.com/.well-known/oauth-authorization-server"
        );
    }

    #[test]
    fn issuer_with_query_is_a_settings_error() {
        let error = discovery_request(
            "https://example.com/?tenant=a",
            DiscoveryKind::OpenIdConfiguration,
        )
        .unwrap_err();
        assert_eq!(error.field, "issuer");
    }

    #[test]
    fn metadata_issuer_must_be_identical() {
        let body = r#"{"issuer":"https://example.com/","token_endpoint":"https://example.com/t"}"#;
        let error = process_discovery_response(&json_response(200, body), "https://example.com")
            .unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::IssuerMismatch)
        );
        assert!(
            error.to_string().contains("only a trailing slash differs"),
            "{error}"
        );

        let metadata =
            process_discovery_response(&json_response(200, body), "https://example.com/").unwrap();
        assert_eq!(
            metadata.token_endpoint.as_deref(),
            Some("https://example.com/t")
        );
        assert!(!metadata.authorization_response_iss_parameter_supported);
    }

    #[test]
    fn metadata_without_issuer_is_rejected() {
        let error = process_discovery_response(&json_response(200, "{}"), "https://example.com")
            .unwrap_err();
        assert_eq!(
            error.rejection().map(|r| r.reason),
            Some(RejectReason::FieldMissing)
        );
    }

    #[test]
    fn metadata_member_of_wrong_type_is_named() {
        let body = r#"{"issuer":"https://a.example","code_challenge_methods_supported":"S256"}"#;
        let error =
            process_discovery_response(&json_response(200, body), "https://a.example").unwrap_err();
        let rejection = error.rejection().unwrap();
        assert_eq!(rejection.reason, RejectReason::WrongFieldType);
        assert!(
            rejection
                .expected
                .contains("code_challenge_methods_supported")
        );
    }

    #[test]
    fn every_preset_fills_with_example_values() {
        for preset in &PRESETS {
            let values: Vec<(&str, &str)> = preset
                .placeholders
                .iter()
                .map(|p| (p.name, p.example))
                .collect();
            let metadata = preset.metadata(&values).unwrap();
            let token_endpoint = metadata.token_endpoint.unwrap();
            assert!(!token_endpoint.contains('{'), "{token_endpoint}");
            assert!(wire::endpoint_url("token_endpoint", &token_endpoint).is_ok());
        }
    }

    #[test]
    fn preset_placeholder_may_not_add_a_path() {
        let keycloak = preset("keycloak").unwrap();
        let error = keycloak
            .metadata(&[("domain", "evil.example/x"), ("realm", "master")])
            .unwrap_err();
        assert_eq!(error.field, "domain");
        let missing = keycloak.metadata(&[("domain", "kc.example")]).unwrap_err();
        assert_eq!(missing.field, "realm");
    }

    #[test]
    fn github_token_endpoint_blocks_browsers() {
        let github = preset("github").unwrap();
        assert_eq!(
            github.requirements.token_endpoint_cors,
            TokenEndpointCors::Blocked
        );
    }
}
