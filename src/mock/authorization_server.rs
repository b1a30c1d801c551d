//! An OAuth 2.0 authorization server (RFC 6749) with PKCE (RFC 7636),
//! refresh token rotation, revocation (RFC 7009), introspection (RFC 7662),
//! the device grant (RFC 8628), OpenID Connect ID tokens and discovery,
//! and `iss` in authorization responses (RFC 9207).
//!
//! A refresh token is issued only when `offline_access` was granted
//! (OpenID Connect Core §11), and every grant carries at least one scope:
//! a request without one is `invalid_scope` (RFC 6749 §3.3), a consent that
//! grants none is `access_denied` (§4.1.2.1).
//!
//! It is strict where the RFCs say MUST, so that each fault a user switches
//! on meets the check that would stop it on a real server.

use std::collections::{HashMap, HashSet};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::keys::SigningKeyPair;
use super::rng::SeededRandom;
use super::{
    AUTHORIZATION_SERVER, CLIENT_REDIRECT_URI, RESOURCE_SERVER, form_pairs, form_value,
    json_response,
};
use crate::http::{Request, Response};

/// How long a code lives; RFC 6749 §4.1.2 recommends at most 10 minutes.
pub const CODE_LIFETIME: u64 = 60;
pub const DEVICE_CODE_LIFETIME: u64 = 600;
pub const DEVICE_INTERVAL: u64 = 5;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredClient {
    pub client_id: String,
    /// `None` for a public client, which cannot keep a secret.
    pub client_secret: Option<String>,
    pub redirect_uris: Vec<String>,
    pub allowed_scopes: Vec<String>,
    pub pkce_required: bool,
    pub access_token_lifetime: u64,
    pub refresh_token_lifetime: u64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub sub: String,
    pub name: String,
    pub email: String,
}

/// An authorization request waiting for the resource owner's decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingAuthorization {
    pub id: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub requested_scopes: Vec<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<(String, String)>,
    response_mode: ResponseMode,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResponseMode {
    Query,
    Fragment,
}

/// What the authorization endpoint does with a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorizeOutcome {
    /// Show the consent screen.
    Consent(PendingAuthorization),
    /// Send the browser back to the client with an error (RFC 6749 §4.1.2.1).
    Redirect(String),
    /// The client or redirect URI is not trusted, so the server must not
    /// redirect (RFC 6749 §4.1.2.1, first paragraph); it tells the user.
    ErrorPage(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decision {
    Approve { user: usize, scopes: Vec<String> },
    Deny,
}

struct CodeGrant {
    client_id: String,
    redirect_uri: String,
    scope: Vec<String>,
    sub: String,
    nonce: Option<String>,
    code_challenge: Option<(String, String)>,
    issued_at: u64,
    redeemed: bool,
    /// Token families issued for this code, revoked if it is replayed.
    families: Vec<String>,
    access_jtis: Vec<String>,
}

/// Who and what a set of tokens is issued for.
struct Grant<'a> {
    sub: &'a str,
    /// The access token's scope, narrower than `granted` after a refresh
    /// that asked for less.
    scope: &'a [String],
    /// Everything the resource owner granted; a refresh token, issued only
    /// for `offline_access`, keeps all of it (RFC 6749 §6).
    granted: &'a [String],
    nonce: Option<&'a str>,
    code: Option<&'a str>,
    family: &'a str,
}

struct RefreshGrant {
    family: String,
    /// OpenID Connect Core §12.2: a refreshed ID token repeats the nonce
    /// of the original authentication.
    nonce: Option<String>,
    client_id: String,
    sub: String,
    scope: Vec<String>,
    expires_at: u64,
    rotated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved(String),
    Denied,
}

struct DeviceGrant {
    user_code: String,
    client_id: String,
    scope: Vec<String>,
    status: DeviceStatus,
    expires_at: u64,
    interval: u64,
    last_poll: Option<u64>,
}

pub struct AuthorizationServer {
    pub clients: Vec<RegisteredClient>,
    pub users: Vec<User>,
    pub key: SigningKeyPair,
    pending: HashMap<String, PendingAuthorization>,
    codes: HashMap<String, CodeGrant>,
    refresh_tokens: HashMap<String, RefreshGrant>,
    revoked_families: HashSet<String>,
    revoked_access: HashSet<String>,
    devices: HashMap<String, DeviceGrant>,
}

/// An error response body (RFC 6749 §5.2).
fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    json_response(
        status,
        &json!({ "error": error, "error_description": description }),
    )
}

/// OpenID Connect Core §11: the scope that asks for a refresh token.
const OFFLINE_ACCESS: &str = "offline_access";

fn scopes(text: &str) -> Vec<String> {
    text.split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// RFC 7636 §4.6: the challenge recomputed from the verifier.
fn pkce_matches(method: &str, challenge: &str, verifier: &str) -> bool {
    match method {
        "S256" => B64URL.encode(Sha256::digest(verifier.as_bytes())) == challenge,
        "plain" => verifier == challenge,
        _ => false,
    }
}

/// RFC 7636 §4.1: 43 to 128 characters from the unreserved set.
fn verifier_well_formed(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

impl AuthorizationServer {
    pub fn new(random: &mut SeededRandom) -> AuthorizationServer {
        let all_scopes = ["openid", "profile", "email", "photos", "offline_access"];
        let scope_list = all_scopes.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        AuthorizationServer {
            clients: vec![
                RegisteredClient {
                    client_id: "playground-spa".to_owned(),
                    client_secret: None,
                    redirect_uris: vec![CLIENT_REDIRECT_URI.to_owned()],
                    allowed_scopes: scope_list.clone(),
                    pkce_required: true,
                    access_token_lifetime: 300,
                    refresh_token_lifetime: 86_400,
                },
                RegisteredClient {
                    client_id: "photo-printer".to_owned(),
                    client_secret: Some("printer-secret-7Qx".to_owned()),
                    redirect_uris: vec![CLIENT_REDIRECT_URI.to_owned()],
                    allowed_scopes: scope_list,
                    pkce_required: false,
                    access_token_lifetime: 300,
                    refresh_token_lifetime: 86_400,
                },
            ],
            users: vec![
                User {
                    sub: "alice".into(),
                    name: "Alice Liddell".into(),
                    email: "alice@mock.example".into(),
                },
                User {
                    sub: "bob".into(),
                    name: "Bob Marley".into(),
                    email: "bob@mock.example".into(),
                },
            ],
            key: SigningKeyPair::generate(random),
            pending: HashMap::new(),
            codes: HashMap::new(),
            refresh_tokens: HashMap::new(),
            revoked_families: HashSet::new(),
            revoked_access: HashSet::new(),
            devices: HashMap::new(),
        }
    }

    pub fn client(&self, client_id: &str) -> Option<&RegisteredClient> {
        self.clients.iter().find(|c| c.client_id == client_id)
    }

    /// The authorization endpoint (RFC 6749 §4.1.1), reached by navigation.
    pub fn authorize(&mut self, url: &str, random: &mut SeededRandom) -> AuthorizeOutcome {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
        let query = query.split('#').next().unwrap_or("");
        let params = form_pairs(query);
        let get = |name| form_value(&params, name);

        // Without a trusted client and redirect URI there is nowhere safe to
        // send an error, so it is shown here instead.
        let Some(client) = get("client_id").and_then(|id| self.client(id)).cloned() else {
            return AuthorizeOutcome::ErrorPage(format!(
                "Unknown client_id \"{}\". The server will not redirect to an unverified client.",
                get("client_id").unwrap_or("")
            ));
        };
        let redirect_uri = match get("redirect_uri") {
            Some(uri) if client.redirect_uris.iter().any(|r| r == uri) => uri.to_owned(),
            Some(uri) => {
                let registered = if client.redirect_uris.is_empty() {
                    "none".to_owned()
                } else {
                    client.redirect_uris.join(", ")
                };
                return AuthorizeOutcome::ErrorPage(format!(
                    "redirect_uri \"{uri}\" is not registered for {}; registered: {registered}. Redirect URIs must match exactly (RFC 6749 §3.1.2.3).",
                    client.client_id,
                ));
            }
            None if client.redirect_uris.len() == 1 => client.redirect_uris[0].clone(),
            None => return AuthorizeOutcome::ErrorPage("redirect_uri is required".to_owned()),
        };

        let duplicated = params
            .iter()
            .enumerate()
            .any(|(i, (n, _))| params[..i].iter().any(|(m, _)| m == n));
        let state = get("state").map(str::to_owned);
        let response_mode = match get("response_mode") {
            Some("fragment") => ResponseMode::Fragment,
            _ => ResponseMode::Query,
        };
        let fail = |error: &str, description: &str| {
            AuthorizeOutcome::Redirect(redirect_with(
                &redirect_uri,
                response_mode,
                &[
                    ("error", error),
                    ("error_description", description),
                    ("iss", AUTHORIZATION_SERVER),
                ],
                state.as_deref(),
            ))
        };

        if duplicated {
            return fail(
                "invalid_request",
                "a parameter was sent more than once (RFC 6749 §3.1)",
            );
        }
        if get("response_type") != Some("code") {
            return fail(
                "unsupported_response_type",
                "this server issues codes only: use response_type=code",
            );
        }
        let requested = scopes(get("scope").unwrap_or(""));
        if requested.is_empty() {
            return fail(
                "invalid_scope",
                "no scope was requested; this server has no default scope (RFC 6749 §3.3)",
            );
        }
        if let Some(bad) = requested
            .iter()
            .find(|s| !client.allowed_scopes.contains(s))
        {
            return fail(
                "invalid_scope",
                &format!("scope \"{bad}\" is not allowed for this client"),
            );
        }
        let code_challenge = match (get("code_challenge"), get("code_challenge_method")) {
            (Some(challenge), method) => {
                let method = method.unwrap_or("plain");
                if method != "S256" && method != "plain" {
                    return fail(
                        "invalid_request",
                        "code_challenge_method must be S256 or plain",
                    );
                }
                Some((challenge.to_owned(), method.to_owned()))
            }
            (None, _) if client.pkce_required => {
                return fail(
                    "invalid_request",
                    "this client must use PKCE: send code_challenge (RFC 7636 §4.4.1)",
                );
            }
            (None, _) => None,
        };

        let pending = PendingAuthorization {
            id: random.token(12),
            client_id: client.client_id.clone(),
            redirect_uri,
            requested_scopes: requested,
            state,
            nonce: get("nonce").map(str::to_owned),
            code_challenge,
            response_mode,
        };
        self.pending.insert(pending.id.clone(), pending.clone());
        AuthorizeOutcome::Consent(pending)
    }

    /// The resource owner's answer on the consent screen; returns where the
    /// browser goes next.
    pub fn decide(
        &mut self,
        pending_id: &str,
        decision: Decision,
        random: &mut SeededRandom,
        now: u64,
    ) -> Option<String> {
        let pending = self.pending.remove(pending_id)?;
        let respond = |params: &[(&str, &str)]| {
            let mut params = params.to_vec();
            params.push(("iss", AUTHORIZATION_SERVER));
            redirect_with(
                &pending.redirect_uri,
                pending.response_mode,
                &params,
                pending.state.as_deref(),
            )
        };

        let (user, granted) = match decision {
            Decision::Deny => {
                return Some(respond(&[
                    ("error", "access_denied"),
                    ("error_description", "The resource owner denied the request"),
                ]));
            }
            Decision::Approve { user, scopes } => (user, scopes),
        };
        let sub = self.users.get(user)?.sub.clone();
        let granted: Vec<String> = granted
            .into_iter()
            .filter(|s| pending.requested_scopes.contains(s))
            .collect();
        // Approving with every scope unticked grants nothing, which is a
        // refusal; a token for no scope at all would be meaningless.
        if granted.is_empty() {
            return Some(respond(&[
                ("error", "access_denied"),
                (
                    "error_description",
                    "The resource owner granted no scope, which denies the request",
                ),
            ]));
        }

        let code = random.token(24);
        self.codes.insert(
            code.clone(),
            CodeGrant {
                client_id: pending.client_id.clone(),
                redirect_uri: pending.redirect_uri.clone(),
                scope: granted,
                sub,
                nonce: pending.nonce.clone(),
                code_challenge: pending.code_challenge.clone(),
                issued_at: now,
                redeemed: false,
                families: Vec::new(),
                access_jtis: Vec::new(),
            },
        );
        Some(respond(&[("code", &code)]))
    }

    /// The back-channel endpoints, by path.
    pub fn handle(&mut self, request: &Request, random: &mut SeededRandom, now: u64) -> Response {
        let path = request.url.strip_prefix(AUTHORIZATION_SERVER).unwrap_or("");
        let path = path.split('?').next().unwrap_or("");
        match (request.method.as_str(), path) {
            ("GET", "/.well-known/openid-configuration") => json_response(200, &self.discovery()),
            ("GET", "/jwks") => json_response(200, &json!({ "keys": [self.key.public_jwk()] })),
            ("POST", "/token") => self.token(request, random, now),
            ("POST", "/revoke") => self.revoke(request),
            ("POST", "/introspect") => self.introspect(request, now),
            ("GET" | "POST", "/userinfo") => self.userinfo(request, now),
            ("POST", "/device_authorization") => self.device_authorization(request, random, now),
            (_, "/token" | "/revoke" | "/introspect" | "/device_authorization") => {
                oauth_error(405, "invalid_request", "use POST (RFC 6749 §3.2)")
            }
            _ => json_response(404, &json!({ "error": "not_found" })),
        }
    }

    fn discovery(&self) -> Value {
        let at = |path: &str| format!("{AUTHORIZATION_SERVER}{path}");
        json!({
            "issuer": AUTHORIZATION_SERVER,
            "authorization_endpoint": at("/authorize"),
            "token_endpoint": at("/token"),
            "userinfo_endpoint": at("/userinfo"),
            "revocation_endpoint": at("/revoke"),
            "introspection_endpoint": at("/introspect"),
            "device_authorization_endpoint": at("/device_authorization"),
            "jwks_uri": at("/jwks"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment"],
            "grant_types_supported": ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
            "code_challenge_methods_supported": ["S256", "plain"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "email", "photos", "offline_access"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["ES256"],
            "authorization_response_iss_parameter_supported": true,
        })
    }

    /// RFC 6749 §2.3: Basic (id and secret form-encoded first, §2.3.1) or
    /// the body; a public client sends only its `client_id`.
    fn authenticate_client(
        &self,
        request: &Request,
        form: &[(String, String)],
    ) -> Result<RegisteredClient, Response> {
        let basic = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.strip_prefix("Basic "));
        let (client_id, secret) = match basic {
            Some(encoded) => {
                let decoded = B64
                    .decode(encoded.trim())
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok());
                let Some((id, secret)) = decoded.as_deref().and_then(|d| d.split_once(':')) else {
                    return Err(invalid_client(
                        "the Basic credentials are not base64 of id:secret",
                    ));
                };
                let id = form_pairs(&format!("x={id}"))
                    .pop()
                    .map(|(_, v)| v)
                    .unwrap_or_default();
                let secret = form_pairs(&format!("x={secret}"))
                    .pop()
                    .map(|(_, v)| v)
                    .unwrap_or_default();
                (id, Some(secret))
            }
            None => (
                form_value(form, "client_id").unwrap_or("").to_owned(),
                form_value(form, "client_secret").map(str::to_owned),
            ),
        };

        let Some(client) = self.client(&client_id).cloned() else {
            return Err(invalid_client(&format!(
                "unknown client_id \"{client_id}\""
            )));
        };
        match (&client.client_secret, secret) {
            (None, None) => Ok(client),
            (None, Some(_)) => Err(invalid_client(
                "this public client has no secret; send client_id only",
            )),
            (Some(_), None) => Err(invalid_client(
                "this confidential client must authenticate with its secret",
            )),
            (Some(expected), Some(given)) if *expected == given => Ok(client),
            (Some(_), Some(_)) => Err(invalid_client("wrong client secret")),
        }
    }

    fn token(&mut self, request: &Request, random: &mut SeededRandom, now: u64) -> Response {
        let form = form_pairs(request.body.as_deref().unwrap_or(""));
        let client = match self.authenticate_client(request, &form) {
            Ok(client) => client,
            Err(response) => return response,
        };
        match form_value(&form, "grant_type") {
            Some("authorization_code") => self.redeem_code(&client, &form, random, now),
            Some("refresh_token") => self.refresh(&client, &form, random, now),
            Some("urn:ietf:params:oauth:grant-type:device_code") => {
                self.poll_device(&client, &form, random, now)
            }
            Some(other) => oauth_error(
                400,
                "unsupported_grant_type",
                &format!("grant_type \"{other}\" is not supported"),
            ),
            None => oauth_error(400, "invalid_request", "grant_type is missing"),
        }
    }

    /// RFC 6749 §4.1.3 with RFC 7636 §4.6.
    fn redeem_code(
        &mut self,
        client: &RegisteredClient,
        form: &[(String, String)],
        random: &mut SeededRandom,
        now: u64,
    ) -> Response {
        let Some(code) = form_value(form, "code") else {
            return oauth_error(400, "invalid_request", "code is missing");
        };
        let Some(grant) = self.codes.get_mut(code) else {
            return oauth_error(400, "invalid_grant", "unknown authorization code");
        };

        // A code used twice may have been stolen: refuse it and revoke what
        // it already bought (RFC 6749 §4.1.2).
        if grant.redeemed {
            let families = std::mem::take(&mut grant.families);
            let jtis = std::mem::take(&mut grant.access_jtis);
            self.revoked_families.extend(families);
            self.revoked_access.extend(jtis);
            return oauth_error(
                400,
                "invalid_grant",
                "the authorization code was already used; tokens issued with it are now revoked",
            );
        }
        if grant.client_id != client.client_id {
            return oauth_error(
                400,
                "invalid_grant",
                "the code was issued to another client",
            );
        }
        if now > grant.issued_at + CODE_LIFETIME {
            return oauth_error(
                400,
                "invalid_grant",
                &format!("the authorization code expired ({CODE_LIFETIME} s lifetime)"),
            );
        }
        if form_value(form, "redirect_uri") != Some(grant.redirect_uri.as_str()) {
            return oauth_error(
                400,
                "invalid_grant",
                "redirect_uri differs from the one in the authorization request (RFC 6749 §4.1.3)",
            );
        }
        match (&grant.code_challenge, form_value(form, "code_verifier")) {
            (Some(_), None) => {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "code_verifier is missing (RFC 7636 §4.5)",
                );
            }
            (Some((challenge, method)), Some(verifier)) => {
                if !verifier_well_formed(verifier) {
                    return oauth_error(
                        400,
                        "invalid_grant",
                        "code_verifier must be 43-128 unreserved characters (RFC 7636 §4.1)",
                    );
                }
                if !pkce_matches(method, challenge, verifier) {
                    return oauth_error(
                        400,
                        "invalid_grant",
                        "code_verifier does not match the code_challenge (RFC 7636 §4.6)",
                    );
                }
            }
            (None, Some(_)) => {
                return oauth_error(
                    400,
                    "invalid_grant",
                    "code_verifier sent but no code_challenge was",
                );
            }
            (None, None) => {}
        }

        grant.redeemed = true;
        let (sub, scope, nonce) = (grant.sub.clone(), grant.scope.clone(), grant.nonce.clone());
        let family = random.token(9);
        let grant = Grant {
            sub: &sub,
            scope: &scope,
            granted: &scope,
            nonce: nonce.as_deref(),
            code: Some(code),
            family: &family,
        };
        let tokens = self.issue_tokens(client, grant, random, now);
        if let Some(grant) = self.codes.get_mut(code) {
            grant.families.push(family);
            grant.access_jtis.push(tokens.1);
        }
        json_response(200, &tokens.0)
    }

    /// RFC 6749 §6 with rotation; a rotated token presented again means two
    /// parties hold it, so the whole family is revoked (OAuth 2.0 Security
    /// BCP §4.14).
    fn refresh(
        &mut self,
        client: &RegisteredClient,
        form: &[(String, String)],
        random: &mut SeededRandom,
        now: u64,
    ) -> Response {
        let Some(token) = form_value(form, "refresh_token") else {
            return oauth_error(400, "invalid_request", "refresh_token is missing");
        };
        let Some(grant) = self.refresh_tokens.get_mut(token) else {
            return oauth_error(400, "invalid_grant", "unknown refresh token");
        };
        if self.revoked_families.contains(&grant.family) {
            return oauth_error(400, "invalid_grant", "this refresh token was revoked");
        }
        if grant.rotated {
            let family = grant.family.clone();
            self.revoked_families.insert(family);
            return oauth_error(
                400,
                "invalid_grant",
                "refresh token reuse detected: it was already rotated, so every token of its family is revoked",
            );
        }
        if grant.client_id != client.client_id {
            return oauth_error(
                400,
                "invalid_grant",
                "the refresh token was issued to another client",
            );
        }
        if now >= grant.expires_at {
            return oauth_error(400, "invalid_grant", "the refresh token expired");
        }

        // §6: a narrower scope is for the new access token only; the new
        // refresh token keeps the original grant's.
        let granted = grant.scope.clone();
        let mut scope = granted.clone();
        if let Some(narrower) = form_value(form, "scope") {
            let asked = scopes(narrower);
            if asked.is_empty() {
                return oauth_error(
                    400,
                    "invalid_scope",
                    "scope is empty; omit it to keep the original grant (RFC 6749 §6)",
                );
            }
            if let Some(extra) = asked.iter().find(|s| !scope.contains(s)) {
                return oauth_error(
                    400,
                    "invalid_scope",
                    &format!("scope \"{extra}\" exceeds the original grant"),
                );
            }
            scope = asked;
        }
        grant.rotated = true;
        let (family, sub, nonce) = (grant.family.clone(), grant.sub.clone(), grant.nonce.clone());
        let grant = Grant {
            sub: &sub,
            scope: &scope,
            granted: &granted,
            nonce: nonce.as_deref(),
            code: None,
            family: &family,
        };
        let (body, _) = self.issue_tokens(client, grant, random, now);
        json_response(200, &body)
    }

    /// Mints an access token (a JWT, RFC 9068), for `offline_access` a
    /// refresh token (OpenID Connect Core §11) and, for `openid`, an ID
    /// token; returns the response body and the access token's `jti`.
    fn issue_tokens(
        &mut self,
        client: &RegisteredClient,
        grant: Grant<'_>,
        random: &mut SeededRandom,
        now: u64,
    ) -> (Value, String) {
        let Grant {
            sub,
            scope,
            granted,
            nonce,
            code,
            family,
        } = grant;
        let jti = random.token(9);
        let access_token = self.key.sign_jwt(
            "at+jwt",
            &json!({
                "iss": AUTHORIZATION_SERVER,
                "sub": sub,
                "aud": RESOURCE_SERVER,
                "client_id": client.client_id,
                "scope": scope.join(" "),
                "iat": now,
                "exp": now.saturating_add(client.access_token_lifetime),
                "jti": jti,
            }),
        );
        let mut body = json!({
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": client.access_token_lifetime,
            "scope": scope.join(" "),
        });
        if granted.iter().any(|s| s == OFFLINE_ACCESS) {
            let refresh_token = random.token(32);
            self.refresh_tokens.insert(
                refresh_token.clone(),
                RefreshGrant {
                    family: family.to_owned(),
                    nonce: nonce.map(str::to_owned),
                    client_id: client.client_id.clone(),
                    sub: sub.to_owned(),
                    scope: granted.to_vec(),
                    expires_at: now + client.refresh_token_lifetime,
                    rotated: false,
                },
            );
            body["refresh_token"] = Value::String(refresh_token);
        }
        if scope.iter().any(|s| s == "openid") {
            body["id_token"] =
                Value::String(self.id_token(client, sub, nonce, &access_token, code, now));
        }
        (body, jti)
    }

    fn id_token(
        &self,
        client: &RegisteredClient,
        sub: &str,
        nonce: Option<&str>,
        access_token: &str,
        code: Option<&str>,
        now: u64,
    ) -> String {
        // OpenID Connect Core §3.1.3.6: the left half of SHA-256, base64url.
        let half_hash = |value: &str| B64URL.encode(&Sha256::digest(value.as_bytes())[..16]);
        let mut claims = json!({
            "iss": AUTHORIZATION_SERVER,
            "sub": sub,
            "aud": client.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "at_hash": half_hash(access_token),
        });
        if let Some(nonce) = nonce {
            claims["nonce"] = Value::String(nonce.to_owned());
        }
        if let Some(code) = code {
            claims["c_hash"] = Value::String(half_hash(code));
        }
        if let Some(user) = self.users.iter().find(|u| u.sub == sub) {
            claims["name"] = Value::String(user.name.clone());
        }
        self.key.sign_jwt("JWT", &claims)
    }

    /// RFC 7009: answers 200 whether or not the token was known (§2.2).
    fn revoke(&mut self, request: &Request) -> Response {
        let form = form_pairs(request.body.as_deref().unwrap_or(""));
        let client = match self.authenticate_client(request, &form) {
            Ok(client) => client,
            Err(response) => return response,
        };
        let Some(token) = form_value(&form, "token") else {
            return oauth_error(400, "invalid_request", "token is missing");
        };

        if let Some(grant) = self
            .refresh_tokens
            .get(token)
            .filter(|g| g.client_id == client.client_id)
        {
            self.revoked_families.insert(grant.family.clone());
        } else if let Some(jti) = super::keys::verify_jwt(&self.key.verifying_key(), token)
            .and_then(|claims| claims.get("jti").and_then(Value::as_str).map(str::to_owned))
        {
            self.revoked_access.insert(jti);
        }
        Response {
            status: 200,
            headers: Vec::new(),
            body: String::new(),
        }
    }

    /// RFC 7662 §2.2: `active` and, when active, the token's claims.
    fn introspect(&mut self, request: &Request, now: u64) -> Response {
        let form = form_pairs(request.body.as_deref().unwrap_or(""));
        if let Err(response) = self.authenticate_client(request, &form) {
            return response;
        }
        let token = form_value(&form, "token").unwrap_or("");

        if let Some(grant) = self.refresh_tokens.get(token) {
            let active = !grant.rotated
                && !self.revoked_families.contains(&grant.family)
                && now < grant.expires_at;
            if !active {
                return json_response(200, &json!({ "active": false }));
            }
            return json_response(
                200,
                &json!({
                    "active": true, "token_type": "refresh_token", "client_id": grant.client_id,
                    "sub": grant.sub, "scope": grant.scope.join(" "), "exp": grant.expires_at,
                }),
            );
        }
        match self.active_access_claims(token, now) {
            Some(mut claims) => {
                claims["active"] = Value::Bool(true);
                claims["token_type"] = Value::String("Bearer".to_owned());
                json_response(200, &claims)
            }
            None => json_response(200, &json!({ "active": false })),
        }
    }

    /// The claims of an access token that is validly signed, unexpired and
    /// not revoked.
    pub fn active_access_claims(&self, token: &str, now: u64) -> Option<Value> {
        let claims = super::keys::verify_jwt(&self.key.verifying_key(), token)?;
        let exp = claims.get("exp").and_then(Value::as_u64)?;
        let jti = claims.get("jti").and_then(Value::as_str)?;
        (now < exp && !self.revoked_access.contains(jti)).then_some(claims)
    }

    fn userinfo(&self, request: &Request, now: u64) -> Response {
        let token = request
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
            .and_then(|(_, v)| v.strip_prefix("Bearer "));
        let Some(claims) = token.and_then(|t| self.active_access_claims(t.trim(), now)) else {
            return super::resource_server::challenge(
                401,
                "invalid_token",
                "the access token is missing, expired, revoked or not ours",
                None,
            );
        };
        let sub = claims.get("sub").and_then(Value::as_str).unwrap_or("");
        let scope = claims.get("scope").and_then(Value::as_str).unwrap_or("");
        if !scope.split(' ').any(|s| s == "openid") {
            return super::resource_server::challenge(
                403,
                "insufficient_scope",
                "userinfo needs the openid scope",
                Some("openid"),
            );
        }

        let mut body = json!({ "sub": sub });
        if let Some(user) = self.users.iter().find(|u| u.sub == sub) {
            if scope.split(' ').any(|s| s == "profile") {
                body["name"] = Value::String(user.name.clone());
            }
            if scope.split(' ').any(|s| s == "email") {
                body["email"] = Value::String(user.email.clone());
                body["email_verified"] = Value::Bool(true);
            }
        }
        json_response(200, &body)
    }

    /// RFC 8628 §3.1 and §3.2.
    fn device_authorization(
        &mut self,
        request: &Request,
        random: &mut SeededRandom,
        now: u64,
    ) -> Response {
        let form = form_pairs(request.body.as_deref().unwrap_or(""));
        let client = match self.authenticate_client(request, &form) {
            Ok(client) => client,
            Err(response) => return response,
        };
        // RFC 8628 §3.1 takes the scope of RFC 6749 §3.3, with its rules.
        let scope = scopes(form_value(&form, "scope").unwrap_or(""));
        if scope.is_empty() {
            return oauth_error(
                400,
                "invalid_scope",
                "no scope was requested; this server has no default scope (RFC 6749 §3.3)",
            );
        }
        if let Some(bad) = scope.iter().find(|s| !client.allowed_scopes.contains(s)) {
            return oauth_error(
                400,
                "invalid_scope",
                &format!("scope \"{bad}\" is not allowed for this client"),
            );
        }

        let device_code = random.token(24);
        // §6.1: a short code from an alphabet without look-alikes.
        let alphabet = b"BCDFGHJKLMNPQRSTVWXZ";
        let letters: Vec<char> = random
            .bytes::<8>()
            .iter()
            .map(|b| alphabet[*b as usize % alphabet.len()] as char)
            .collect();
        let user_code = format!(
            "{}-{}",
            letters[..4].iter().collect::<String>(),
            letters[4..].iter().collect::<String>()
        );
        self.devices.insert(
            device_code.clone(),
            DeviceGrant {
                user_code: user_code.clone(),
                client_id: client.client_id,
                scope,
                status: DeviceStatus::Pending,
                expires_at: now + DEVICE_CODE_LIFETIME,
                interval: DEVICE_INTERVAL,
                last_poll: None,
            },
        );
        let verification_uri = format!("{AUTHORIZATION_SERVER}/device");
        json_response(
            200,
            &json!({
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": verification_uri,
                "verification_uri_complete": format!("{verification_uri}?user_code={user_code}"),
                "expires_in": DEVICE_CODE_LIFETIME,
                "interval": DEVICE_INTERVAL,
            }),
        )
    }

    /// The user-code page: the resource owner approves or denies a device.
    pub fn decide_device(&mut self, user_code: &str, decision: Decision) -> Result<(), String> {
        // §6.1: people type codes loosely; compare the letters only.
        let letters = |code: &str| -> String {
            code.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_uppercase())
                .collect()
        };
        let wanted = letters(user_code);
        let Some(grant) = self
            .devices
            .values_mut()
            .find(|g| !wanted.is_empty() && letters(&g.user_code) == wanted)
        else {
            return Err(format!(
                "No pending device has the code \"{user_code}\". Check the code on the device's screen."
            ));
        };
        grant.status = match decision {
            Decision::Approve { user, .. } => DeviceStatus::Approved(
                self.users
                    .get(user)
                    .map(|u| u.sub.clone())
                    .unwrap_or_default(),
            ),
            Decision::Deny => DeviceStatus::Denied,
        };
        Ok(())
    }

    /// RFC 8628 §3.4 and §3.5.
    fn poll_device(
        &mut self,
        client: &RegisteredClient,
        form: &[(String, String)],
        random: &mut SeededRandom,
        now: u64,
    ) -> Response {
        let code = form_value(form, "device_code").unwrap_or("");
        let Some(grant) = self.devices.get_mut(code) else {
            return oauth_error(400, "invalid_grant", "unknown device_code");
        };
        if grant.client_id != client.client_id {
            return oauth_error(
                400,
                "invalid_grant",
                "the device code was issued to another client",
            );
        }
        if now >= grant.expires_at {
            return oauth_error(400, "expired_token", "the device code expired; start again");
        }
        let too_fast = grant
            .last_poll
            .is_some_and(|last| now < last + grant.interval);
        grant.last_poll = Some(now);
        if too_fast {
            grant.interval += 5;
            return oauth_error(
                400,
                "slow_down",
                &format!(
                    "polling too fast; wait {} s between requests",
                    grant.interval
                ),
            );
        }

        match grant.status.clone() {
            DeviceStatus::Pending => oauth_error(
                400,
                "authorization_pending",
                "the user has not finished yet",
            ),
            DeviceStatus::Denied => {
                oauth_error(400, "access_denied", "the user denied the request")
            }
            DeviceStatus::Approved(sub) => {
                let scope = grant.scope.clone();
                self.devices.remove(code);
                let family = random.token(9);
                let (body, _) = self.issue_tokens(
                    client,
                    Grant {
                        sub: &sub,
                        scope: &scope,
                        granted: &scope,
                        nonce: None,
                        code: None,
                        family: &family,
                    },
                    random,
                    now,
                );
                json_response(200, &body)
            }
        }
    }
}

fn invalid_client(description: &str) -> Response {
    let mut response = oauth_error(401, "invalid_client", description);
    response.headers.push((
        "WWW-Authenticate".to_owned(),
        "Basic realm=\"mock\"".to_owned(),
    ));
    response
}

/// The redirect back to the client, with parameters in the query or the
/// fragment, `state` echoed exactly as received.
fn redirect_with(
    redirect_uri: &str,
    mode: ResponseMode,
    params: &[(&str, &str)],
    state: Option<&str>,
) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in params {
        serializer.append_pair(name, value);
    }
    if let Some(state) = state {
        serializer.append_pair("state", state);
    }
    let encoded = serializer.finish();
    match mode {
        ResponseMode::Fragment => format!("{redirect_uri}#{encoded}"),
        ResponseMode::Query if redirect_uri.contains('?') => format!("{redirect_uri}&{encoded}"),
        ResponseMode::Query => format!("{redirect_uri}?{encoded}"),
    }
}
