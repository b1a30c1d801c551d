//! The OAuth 2.0 authorization code flow with PKCE against the in-page
//! servers, using the same client code as real mode. The flow pauses at the
//! consent screen until the resource owner decides.

use crate::http::Request;
use crate::mock::authorization_server::{AuthorizeOutcome, Decision, User};
use crate::mock::{AUTHORIZATION_SERVER, CLIENT_REDIRECT_URI, RESOURCE_SERVER, World};
use crate::oauth2::authorization::{
    AuthorizationSettings, Pkce, RandomOctets, authorization_request,
};
use crate::oauth2::bearer::{
    process_resource_response, process_userinfo_response, resource_request, userinfo_request,
};
use crate::oauth2::callback::validate_authorization_response;
use crate::oauth2::introspection::{introspection_request, process_introspection_response};
use crate::oauth2::metadata::{
    DiscoveryKind, ProviderMetadata, discovery_request, process_discovery_response,
};
use crate::oauth2::revocation::{TokenTypeHint, process_revocation_response, revocation_request};
use crate::oauth2::token::{
    ClientAuthentication, TokenResponse, authorization_code_grant_request, process_token_response,
    refresh_token_grant_request,
};
use crate::oauth2::{ClientSecret, error::Error};
use crate::trace::{Exchange, Message, Role, Trace};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OAuth2Fault {
    None,
    Csrf,
    PkceMismatch,
    CodeReplay,
    RedirectUriMismatch,
    ExpiredCode,
    ConsentDenied,
    ExpiredAccessToken,
    InsufficientScope,
    RefreshReuse,
    MixUp,
}

impl OAuth2Fault {
    pub const ALL: [OAuth2Fault; 11] = [
        OAuth2Fault::None,
        OAuth2Fault::Csrf,
        OAuth2Fault::PkceMismatch,
        OAuth2Fault::CodeReplay,
        OAuth2Fault::RedirectUriMismatch,
        OAuth2Fault::ExpiredCode,
        OAuth2Fault::ConsentDenied,
        OAuth2Fault::ExpiredAccessToken,
        OAuth2Fault::InsufficientScope,
        OAuth2Fault::RefreshReuse,
        OAuth2Fault::MixUp,
    ];

    pub fn label(self) -> &'static str {
        match self {
            OAuth2Fault::None => "No fault",
            OAuth2Fault::Csrf => "Wrong state (CSRF)",
            OAuth2Fault::PkceMismatch => "PKCE verifier mismatch",
            OAuth2Fault::CodeReplay => "Code intercepted and replayed",
            OAuth2Fault::RedirectUriMismatch => "redirect_uri mismatch",
            OAuth2Fault::ExpiredCode => "Expired code",
            OAuth2Fault::ConsentDenied => "Consent denied",
            OAuth2Fault::ExpiredAccessToken => "Expired access token",
            OAuth2Fault::InsufficientScope => "Insufficient scope",
            OAuth2Fault::RefreshReuse => "Refresh token reuse",
            OAuth2Fault::MixUp => "Mix-up (iss of another server)",
        }
    }

    /// What happens, and what the protection denies an attacker.
    pub fn lesson(self) -> &'static str {
        match self {
            OAuth2Fault::None => {
                "The whole flow: discovery, authorization with PKCE, consent, callback checks, token exchange, an API call, refresh and userinfo."
            }
            OAuth2Fault::Csrf => {
                "An attacker makes your browser deliver their own code to the client. Its state is not the one the client stored, so the client stops. Without the state check, you would be signed in to the attacker's account and might save your data into it (RFC 6749 §10.12)."
            }
            OAuth2Fault::PkceMismatch => {
                "The token request carries a verifier that does not hash to the challenge. The server refuses; this is exactly what stops someone who intercepted a code but never saw the verifier (RFC 7636 §1)."
            }
            OAuth2Fault::CodeReplay => {
                "An attacker who copied the code redeems it after the client. The server refuses a second use and revokes the tokens the code bought (RFC 6749 §4.1.2); without single use, a leaked code would be a leaked account."
            }
            OAuth2Fault::RedirectUriMismatch => {
                "The authorization request names a redirect URI that is not registered. The server shows an error instead of redirecting; otherwise an attacker could have codes sent to their own site (RFC 6749 §10.6)."
            }
            OAuth2Fault::ExpiredCode => {
                "The client waits longer than the code's lifetime before redeeming it. Short-lived codes limit how long a leaked code is worth anything."
            }
            OAuth2Fault::ConsentDenied => {
                "You refuse at the consent screen. The server redirects back with error=access_denied and the client gets nothing."
            }
            OAuth2Fault::ExpiredAccessToken => {
                "Time passes beyond the access token's lifetime. The API answers 401 invalid_token, and the client uses its refresh token to carry on. The server issues a refresh token only for offline_access, so keep it among the scopes."
            }
            OAuth2Fault::InsufficientScope => {
                "The client calls the photo API without having been granted the photos scope. The API answers 403 insufficient_scope and names the scope it needs (RFC 6750 §3.1)."
            }
            OAuth2Fault::RefreshReuse => {
                "A refresh token that was already rotated is presented again: two parties hold it, so one is an attacker. The server revokes the whole token family, cutting the attacker off. The server issues a refresh token only for offline_access, so keep it among the scopes."
            }
            OAuth2Fault::MixUp => {
                "The response carries the iss of another authorization server. The client, which knows whom it asked, stops (RFC 9207); otherwise it could send a code meant for one server to another."
            }
        }
    }

    /// Faults that cannot be shown without a refresh token.
    fn needs_refresh_token(self) -> bool {
        matches!(
            self,
            OAuth2Fault::ExpiredAccessToken | OAuth2Fault::RefreshReuse
        )
    }

    fn lanes_need_attacker(self) -> bool {
        matches!(
            self,
            OAuth2Fault::Csrf | OAuth2Fault::CodeReplay | OAuth2Fault::MixUp
        )
    }
}

/// What the user chose before running.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OAuth2Options {
    pub client_id: String,
    pub scope: String,
    pub pkce: Pkce,
    pub fault: OAuth2Fault,
    pub server: ServerSettings,
}

/// The user's edits to the mock server's registration of the client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerSettings {
    /// `None` keeps the registration's own rule (public clients must).
    pub pkce_required: Option<bool>,
    pub access_token_lifetime: u64,
    pub refresh_token_lifetime: u64,
    /// `None` keeps the registered redirect URIs.
    pub redirect_uris: Option<Vec<String>>,
    /// `None` keeps the registered scopes.
    pub allowed_scopes: Option<Vec<String>>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            pkce_required: None,
            access_token_lifetime: 300,
            refresh_token_lifetime: 86_400,
            redirect_uris: None,
            allowed_scopes: None,
        }
    }
}

impl Default for OAuth2Options {
    fn default() -> Self {
        OAuth2Options {
            client_id: "playground-spa".to_owned(),
            scope: "openid profile email offline_access".to_owned(),
            pkce: Pkce::S256,
            fault: OAuth2Fault::None,
            server: ServerSettings::default(),
        }
    }
}

/// The consent screen the authorization server shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentScreen {
    pub client_id: String,
    pub requested_scopes: Vec<String>,
    pub users: Vec<User>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Run {
    pub trace: Trace,
    /// Set when the flow waits for the resource owner.
    pub consent: Option<ConsentScreen>,
    pub tokens: Option<TokenResponse>,
    pub jwks: Option<serde_json::Value>,
    pub nonce: Option<String>,
    /// The world's clock when the flow stopped, to judge its tokens by.
    pub now: u64,
}

pub fn lanes(fault: OAuth2Fault) -> Vec<Role> {
    let mut lanes = vec![
        Role::ResourceOwner,
        Role::Client,
        Role::AuthorizationServer,
        Role::ResourceServer,
    ];
    if fault.lanes_need_attacker() {
        lanes.insert(0, Role::Attacker);
    }
    lanes
}

/// The confidential client's secret, as registered in the mock server.
pub const CONFIDENTIAL_CLIENT_SECRET: &str = "printer-secret-7Qx";

/// Runs the flow from the start; `decision` answers the consent screen.
pub fn run(world: &mut World, options: &OAuth2Options, decision: Option<Decision>) -> Run {
    let mut run = Run {
        trace: Trace::default(),
        consent: None,
        tokens: None,
        jwks: None,
        nonce: None,
        now: world.now,
    };
    apply_server_settings(world, options);
    // A failed step ends the flow; the trace shows where and why.
    let _ = steps(world, options, decision, &mut run);
    run.now = world.now;
    run
}

struct Stop;

fn apply_server_settings(world: &mut World, options: &OAuth2Options) {
    let clients = &mut world.authorization_server.clients;
    if let Some(client) = clients
        .iter_mut()
        .find(|c| c.client_id == options.client_id)
    {
        if let Some(required) = options.server.pkce_required {
            client.pkce_required = required;
        }
        client.access_token_lifetime = options.server.access_token_lifetime;
        client.refresh_token_lifetime = options.server.refresh_token_lifetime;
        if let Some(uris) = &options.server.redirect_uris {
            client.redirect_uris = uris.clone();
        }
        if let Some(scopes) = &options.server.allowed_scopes {
            client.allowed_scopes = scopes.clone();
        }
    }
}

fn steps(
    world: &mut World,
    options: &OAuth2Options,
    decision: Option<Decision>,
    run: &mut Run,
) -> Result<(), Stop> {
    let fault = options.fault;
    let metadata = discover(world, run)?;
    let token_endpoint = metadata.token_endpoint.clone().unwrap_or_default();
    let client = client_authentication(&options.client_id);

    // Authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3).
    let mut settings = AuthorizationSettings::for_provider(&metadata, &options.client_id);
    settings.redirect_uri = Some(if fault == OAuth2Fault::RedirectUriMismatch {
        "https://attacker.example/steal".to_owned()
    } else {
        CLIENT_REDIRECT_URI.to_owned()
    });
    settings.scope = Some(options.scope.clone());
    settings.pkce = options.pkce;
    settings.send_nonce = options.scope.split(' ').any(|s| s == "openid");
    let (state, nonce, verifier) = (
        world.client_random(16),
        world.client_random(16),
        world.client_random(32),
    );
    let expect = authorization_request(
        &settings,
        RandomOctets {
            state: &state,
            nonce: &nonce,
            code_verifier: &verifier,
        },
    )
    .map_err(|error| {
        stop_check(
            run,
            Role::Client,
            "Build the authorization request",
            error.to_string(),
        )
    })?;
    run.nonce = expect.nonce.clone();
    run.trace.push(Exchange::navigation(Role::Client, Role::ResourceOwner, "Redirect to the authorization endpoint", &expect.url).explained("The client sends the browser to the authorization server with its client_id, redirect_uri, scope, state, nonce and the PKCE code_challenge. It keeps the state, nonce and code_verifier.", "RFC 6749 §4.1.1, RFC 7636 §4.3"));
    run.trace.push(Exchange::navigation(Role::ResourceOwner, Role::AuthorizationServer, "GET /authorize", &expect.url).explained("The browser follows the redirect. The authorization server checks the client and the redirect URI before anything else.", "RFC 6749 §3.1"));

    // The front channel: consent, then the redirect back.
    let redirect = match world.authorize(&expect.url) {
        AuthorizeOutcome::ErrorPage(message) => {
            run.trace.push(
                Exchange::navigation(
                    Role::AuthorizationServer,
                    Role::ResourceOwner,
                    "Error page, no redirect",
                    "",
                )
                .explained(&message, "RFC 6749 §4.1.2.1")
                .failed(Some(message.clone())),
            );
            return Err(Stop);
        }
        AuthorizeOutcome::Redirect(url) => url,
        AuthorizeOutcome::Consent(pending) => {
            run.trace.push(
                Exchange::navigation(
                    Role::AuthorizationServer,
                    Role::ResourceOwner,
                    "Consent screen",
                    "",
                )
                .explained(
                    &format!(
                        "The server asks you, the resource owner, to let {} access: {}.",
                        pending.client_id,
                        pending.requested_scopes.join(", ")
                    ),
                    "RFC 6749 §4.1.1",
                ),
            );
            let decision = match (fault, decision) {
                (OAuth2Fault::ConsentDenied, _) => Decision::Deny,
                (_, Some(decision)) => decision,
                (_, None) => {
                    run.consent = Some(ConsentScreen {
                        client_id: pending.client_id.clone(),
                        requested_scopes: pending.requested_scopes.clone(),
                        users: world.authorization_server.users.clone(),
                    });
                    return Err(Stop);
                }
            };
            world.decide(&pending.id, decision).ok_or(Stop)?
        }
    };

    // Faults that tamper with the response on its way back.
    let delivered = match fault {
        OAuth2Fault::Csrf => replace_param(&redirect, "state", "attackers-own-state"),
        OAuth2Fault::MixUp => replace_param(&redirect, "iss", "https://as.attacker.example"),
        _ => redirect.clone(),
    };
    let (from, title) = match fault {
        OAuth2Fault::Csrf => (
            Role::Attacker,
            "Attacker's callback link, opened in your browser",
        ),
        OAuth2Fault::MixUp => (Role::Attacker, "Response claiming another issuer"),
        _ => (Role::AuthorizationServer, "Redirect back to the client"),
    };
    run.trace.push(
        Exchange::navigation(from, Role::Client, title, &delivered).explained(
            "The browser brings the code, the state and iss back to the redirect URI.",
            "RFC 6749 §4.1.2, RFC 9207",
        ),
    );

    // The client checks the response before using the code.
    let validated = validate_authorization_response(&delivered, &expect.checks);
    check(
        run,
        "Check state, iss and the code",
        validated.as_ref().err(),
        "The client compares state with the one it stored, iss with the issuer it asked, and refuses duplicated parameters.",
        "RFC 6749 §10.12, RFC 9207 §2.4",
    );
    let validated = validated.map_err(|_| Stop)?;

    // Token request (RFC 6749 §4.1.3, RFC 7636 §4.5).
    if fault == OAuth2Fault::ExpiredCode {
        world.advance(crate::mock::authorization_server::CODE_LIFETIME + 5);
    }
    let wrong_verifier =
        crate::oauth2::pkce::CodeVerifier::from_random_octets(&world.client_random(32)).ok();
    let verifier = match fault {
        OAuth2Fault::PkceMismatch => wrong_verifier.as_ref(),
        _ => expect.code_verifier.as_ref(),
    };
    let request = authorization_code_grant_request(
        &token_endpoint,
        &client,
        &validated,
        expect.redirect_uri.as_deref(),
        verifier,
    )
    .map_err(|e| stop_check(run, Role::Client, "Build the token request", e.to_string()))?;
    let response = world.handle(&request);
    let tokens = process_token_response(&response, expect.requested_scope.as_deref());
    let (title, note) = if verifier.is_some() {
        (
            "Token request (code + code_verifier)",
            "The client redeems the code at the token endpoint, proving with the code_verifier that it started this flow.",
        )
    } else {
        (
            "Token request (code, no PKCE)",
            "The client redeems the code at the token endpoint. Without PKCE nothing proves it started this flow: whoever holds the code can redeem it.",
        )
    };
    run.trace.push(
        Exchange::http(
            Role::Client,
            Role::AuthorizationServer,
            title,
            &request,
            &response,
        )
        .explained(note, "RFC 6749 §4.1.3, RFC 7636 §4.6")
        .failed(tokens.as_ref().err().map(ToString::to_string)),
    );
    let tokens = tokens.map_err(|_| Stop)?;
    run.tokens = Some(tokens.clone());

    if fault == OAuth2Fault::CodeReplay {
        let response = world.handle(&request);
        let replay = process_token_response(&response, None);
        run.trace.push(Exchange::http(Role::Attacker, Role::AuthorizationServer, "Replay of the same code", &request, &response).explained("The attacker sends the intercepted code again. The server sees a second use, refuses it and revokes the tokens already issued with it.", "RFC 6749 §4.1.2").failed(replay.err().map(|e| e.to_string())));
    }

    // The ID token's keys, for the tokens view and the checks there.
    if tokens.id_token.is_some()
        && let Some(jwks_uri) = metadata.jwks_uri.clone()
    {
        let request = get(&jwks_uri);
        let response = world.handle(&request);
        run.jwks = serde_json::from_str(&response.body).ok();
        run.trace.push(
            Exchange::http(
                Role::Client,
                Role::AuthorizationServer,
                "Fetch the JWKS",
                &request,
                &response,
            )
            .explained(
                "The client fetches the server's public keys to verify the ID token's signature.",
                "OpenID Connect Core §3.1.3.7, RFC 7517",
            ),
        );
    }

    let tokens = call_api(world, run, options, &token_endpoint, &client, tokens)?;
    refresh(world, run, options, &token_endpoint, &client, &tokens)?;

    if let (Some(endpoint), true) = (
        metadata.userinfo_endpoint.clone(),
        options.scope.split(' ').any(|s| s == "openid"),
    ) {
        let token = run
            .tokens
            .as_ref()
            .map(|t| t.access_token.clone())
            .unwrap_or(tokens.access_token);
        let request = userinfo_request(&endpoint, &token).map_err(|_| Stop)?;
        let response = world.handle(&request);
        let info = process_userinfo_response(&response);
        run.trace.push(
            Exchange::http(
                Role::Client,
                Role::AuthorizationServer,
                "GET /userinfo",
                &request,
                &response,
            )
            .explained(
                "The client asks who signed in, with the access token.",
                "OpenID Connect Core §5.3",
            )
            .failed(info.err().map(|e| e.to_string())),
        );
    }
    sign_out(world, run, options, &metadata, &client);
    Ok(())
}

/// Revokes the refresh token (RFC 7009), then asks the server about it
/// (RFC 7662): revocation is only visible to whoever asks the server.
fn sign_out(
    world: &mut World,
    run: &mut Run,
    options: &OAuth2Options,
    metadata: &ProviderMetadata,
    client: &ClientAuthentication,
) {
    let Some(tokens) = run.tokens.clone() else {
        return;
    };
    let Some(refresh_token) = tokens.refresh_token.clone() else {
        let note = format!(
            "{} There is nothing to revoke or introspect: the access token is left to expire.",
            no_refresh_token_reason(&options.scope, &tokens)
        );
        without_refresh_token(run, "Sign out without a refresh token", &note, None);
        return;
    };
    let (Some(revocation), Some(introspection)) = (
        metadata.revocation_endpoint.clone(),
        metadata.introspection_endpoint.clone(),
    ) else {
        return;
    };

    let hint = Some(TokenTypeHint::RefreshToken);
    if let Ok(request) = revocation_request(&revocation, client, refresh_token.secret(), hint) {
        let response = world.handle(&request);
        let result = process_revocation_response(&response);
        run.trace.push(
            Exchange::http(Role::Client, Role::AuthorizationServer, "Revoke the refresh token", &request, &response)
                .explained(
                    "Signing out: the client tells the server it no longer needs the refresh token. The server answers 200 even for tokens it does not know, so the answer leaks nothing.",
                    "RFC 7009 §2",
                )
                .failed(result.err().map(|e| e.to_string())),
        );
    }
    if let Ok(request) = introspection_request(&introspection, client, refresh_token.secret(), hint)
    {
        let response = world.handle(&request);
        let result = process_introspection_response(&response);
        let failure = match &result {
            Ok(found) if found.active => Some("the revoked token is still active".to_owned()),
            Ok(_) => None,
            Err(error) => Some(error.to_string()),
        };
        run.trace.push(
            Exchange::http(Role::Client, Role::AuthorizationServer, "Introspect the revoked token", &request, &response)
                .explained(
                    "Introspection asks the server about a token; after revocation it answers active: false.",
                    "RFC 7662 §2",
                )
                .failed(failure),
        );
    }
}

fn discover(world: &mut World, run: &mut Run) -> Result<ProviderMetadata, Stop> {
    let request = discovery_request(AUTHORIZATION_SERVER, DiscoveryKind::OpenIdConfiguration)
        .map_err(|_| Stop)?;
    let response = world.handle(&request);
    let metadata = process_discovery_response(&response, AUTHORIZATION_SERVER);
    run.trace.push(Exchange::http(Role::Client, Role::AuthorizationServer, "Discovery", &request, &response).explained("The client reads the server's endpoints and capabilities from its metadata, and checks that the issuer is the one it asked for.", "OpenID Connect Discovery §4, RFC 8414 §3").failed(metadata.as_ref().err().map(ToString::to_string)));
    metadata.map_err(|_| Stop)
}

fn client_authentication(client_id: &str) -> ClientAuthentication {
    if client_id == "photo-printer" {
        ClientAuthentication::ClientSecretBasic {
            client_id: client_id.to_owned(),
            client_secret: ClientSecret::new(CONFIDENTIAL_CLIENT_SECRET),
        }
    } else {
        ClientAuthentication::None {
            client_id: client_id.to_owned(),
        }
    }
}

/// The API call, and for an expired token, the refresh that recovers.
fn call_api(
    world: &mut World,
    run: &mut Run,
    options: &OAuth2Options,
    token_endpoint: &str,
    client: &ClientAuthentication,
    tokens: TokenResponse,
) -> Result<TokenResponse, Stop> {
    let fault = options.fault;
    if fault == OAuth2Fault::ExpiredAccessToken {
        world.advance(tokens.expires_in.unwrap_or(300) + 1);
    }
    let path = if fault == OAuth2Fault::InsufficientScope {
        "/photos"
    } else {
        "/profile"
    };
    let url = format!("{RESOURCE_SERVER}{path}");
    let request = resource_request("GET", &url, &tokens.access_token).map_err(|_| Stop)?;
    let response = world.handle(&request);
    let result = process_resource_response(&response);
    let note = if fault == OAuth2Fault::CodeReplay && tokens.refresh_token.is_none() {
        "The API still accepts the access token although the server revoked it: the API checks the JWT locally (signature, expiry, audience, scope) and never asks the server. Short access token lifetimes bound this window."
    } else if fault == OAuth2Fault::CodeReplay {
        "The API still accepts the access token although the server revoked it: the API checks the JWT locally (signature, expiry, audience, scope) and never asks the server. Short access token lifetimes bound this window; the refresh below is refused."
    } else {
        "The client calls the API with the bearer token; the API checks its signature, expiry, audience and scope."
    };
    run.trace.push(
        Exchange::http(
            Role::Client,
            Role::ResourceServer,
            &format!("GET {path} with the access token"),
            &request,
            &response,
        )
        .explained(note, "RFC 6750 §2.1, §3")
        .failed(result.as_ref().err().map(ToString::to_string)),
    );
    if fault != OAuth2Fault::ExpiredAccessToken {
        return Ok(tokens);
    }
    if tokens.refresh_token.is_none() {
        let note = format!(
            "{} So the expired access token cannot be renewed: the client must send you through authorization again. To see the refresh that recovers, {}.",
            no_refresh_token_reason(&options.scope, &tokens),
            offline_access_advice(&options.scope)
        );
        let failure = "no refresh token was issued, so the expired access token cannot be renewed: request offline_access (OpenID Connect Core §11)";
        without_refresh_token(
            run,
            "No refresh token to recover with",
            &note,
            Some(failure),
        );
        return Err(Stop);
    }

    let refreshed = refresh_once(
        world,
        run,
        token_endpoint,
        client,
        &tokens,
        "Refresh after the 401",
    )?;
    let request = resource_request("GET", &url, &refreshed.access_token).map_err(|_| Stop)?;
    let response = world.handle(&request);
    let result = process_resource_response(&response);
    run.trace.push(
        Exchange::http(
            Role::Client,
            Role::ResourceServer,
            "Retry with the new access token",
            &request,
            &response,
        )
        .explained(
            "With a fresh access token the call succeeds.",
            "RFC 6750 §2.1",
        )
        .failed(result.err().map(|e| e.to_string())),
    );
    Ok(refreshed)
}

fn refresh(
    world: &mut World,
    run: &mut Run,
    options: &OAuth2Options,
    token_endpoint: &str,
    client: &ClientAuthentication,
    tokens: &TokenResponse,
) -> Result<(), Stop> {
    let fault = options.fault;
    if fault == OAuth2Fault::ExpiredAccessToken {
        return Ok(());
    }
    if tokens.refresh_token.is_none() {
        let reason = no_refresh_token_reason(&options.scope, tokens);
        if !fault.needs_refresh_token() {
            let note = format!(
                "{reason} The client uses the access token until it expires; after that only a new authorization request gets another."
            );
            without_refresh_token(run, "No refresh token to refresh with", &note, None);
            return Ok(());
        }
        let note = format!(
            "{reason} Without one there is nothing to rotate, so reuse cannot be shown. To see it, {}.",
            offline_access_advice(&options.scope)
        );
        let failure = "no refresh token was issued, so there is none to rotate or reuse: request offline_access (OpenID Connect Core §11)";
        without_refresh_token(run, "No refresh token to reuse", &note, Some(failure));
        return Err(Stop);
    }
    let rotated = refresh_once(
        world,
        run,
        token_endpoint,
        client,
        tokens,
        "Refresh the access token",
    )?;
    if fault != OAuth2Fault::RefreshReuse {
        return Ok(());
    }

    let stale = refresh_once(
        world,
        run,
        token_endpoint,
        client,
        tokens,
        "Reuse of the old refresh token (attacker)",
    );
    if stale.is_ok() {
        return Ok(());
    }
    let _ = refresh_once(
        world,
        run,
        token_endpoint,
        client,
        &rotated,
        "The client's own rotated token, now revoked",
    );
    Err(Stop)
}

fn refresh_once(
    world: &mut World,
    run: &mut Run,
    token_endpoint: &str,
    client: &ClientAuthentication,
    tokens: &TokenResponse,
    title: &str,
) -> Result<TokenResponse, Stop> {
    let Some(refresh_token) = tokens.refresh_token.as_ref() else {
        return Err(Stop);
    };
    let request = refresh_token_grant_request(token_endpoint, client, refresh_token, None)
        .map_err(|_| Stop)?;
    let response = world.handle(&request);
    let result = process_token_response(&response, tokens.granted_scope.as_deref());
    run.trace.push(Exchange::http(Role::Client, Role::AuthorizationServer, title, &request, &response).explained("The refresh token buys a new access token; the server rotates the refresh token too, and the old one must never be used again.", "RFC 6749 §6, OAuth 2.0 Security BCP §4.14").failed(result.as_ref().err().map(ToString::to_string)));
    let fresh = result.map_err(|_| Stop)?;
    run.tokens = Some(fresh.clone());
    Ok(fresh)
}

fn requests_offline_access(scope: &str) -> bool {
    scope.split(' ').any(|s| s == "offline_access")
}

/// Why the token response carries no refresh token.
fn no_refresh_token_reason(requested: &str, tokens: &TokenResponse) -> &'static str {
    let granted = tokens.granted_scope.as_deref().unwrap_or("");
    if !requests_offline_access(requested) {
        "The token response has no refresh_token because the client did not request offline_access: this server issues a refresh token only when offline_access is granted."
    } else if !requests_offline_access(granted) {
        "The token response has no refresh_token because offline_access, though requested, was not granted at the consent screen: this server issues a refresh token only when offline_access is granted."
    } else {
        "The token response has no refresh_token, although offline_access was granted."
    }
}

fn offline_access_advice(requested: &str) -> &'static str {
    if requests_offline_access(requested) {
        "keep offline_access ticked at the consent screen"
    } else {
        "tick offline_access in the requested scopes"
    }
}

/// A step that needs a refresh token, when the token response had none;
/// `failure` is set when the chosen fault cannot be shown without one.
fn without_refresh_token(run: &mut Run, title: &str, note: &str, failure: Option<&str>) {
    run.trace.push(
        Exchange::navigation(Role::Client, Role::Client, title, "")
            .explained(note, "OpenID Connect Core §11, RFC 6749 §5.1")
            .failed(failure.map(str::to_owned)),
    );
}

fn get(url: &str) -> Request {
    Request {
        method: "GET".to_owned(),
        url: url.to_owned(),
        headers: Vec::new(),
        body: None,
    }
}

/// The redirect URL with one parameter's value replaced.
fn replace_param(url: &str, name: &str, value: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (n, v) in url::form_urlencoded::parse(query.as_bytes()) {
        serializer.append_pair(&n, if n == name { value } else { &v });
    }
    format!("{base}?{}", serializer.finish())
}

fn check(run: &mut Run, title: &str, error: Option<&Error>, note: &str, reference: &'static str) {
    run.trace.push(Exchange {
        from: Role::Client,
        to: Role::Client,
        title: title.to_owned(),
        message: Message::Check,
        note: note.to_owned(),
        reference,
        failure: error.map(ToString::to_string),
    });
}

fn stop_check(run: &mut Run, role: Role, title: &str, failure: String) -> Stop {
    run.trace.push(Exchange {
        from: role,
        to: role,
        title: title.to_owned(),
        message: Message::Check,
        note: String::new(),
        reference: "",
        failure: Some(failure),
    });
    Stop
}
