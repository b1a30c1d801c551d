//! The user's edits to the mock client registration, and the resource
//! server's checks of the bearer token, driven with hand-made tokens and
//! requests rather than through the client code.

use serde_json::{Value, json};

use oauth_playground::flows::oauth2::{OAuth2Fault, OAuth2Options, Run, ServerSettings, run};
use oauth_playground::http::{Request, Response};
use oauth_playground::mock::authorization_server::Decision;
use oauth_playground::mock::{AUTHORIZATION_SERVER, CLIENT_REDIRECT_URI, RESOURCE_SERVER, World};

const NOW: u64 = 1_700_000_000;

fn world() -> World {
    World::new(b"settings", NOW)
}

fn approve(scopes: &[&str]) -> Option<Decision> {
    Some(Decision::Approve {
        user: 0,
        scopes: scopes.iter().map(|s| s.to_string()).collect(),
    })
}

fn failures(run: &Run) -> Vec<(String, String)> {
    run.trace
        .exchanges
        .iter()
        .filter_map(|e| e.failure.clone().map(|f| (e.title.clone(), f)))
        .collect()
}

fn with_server(server: ServerSettings) -> OAuth2Options {
    OAuth2Options {
        server,
        ..OAuth2Options::default()
    }
}

#[test]
fn the_default_settings_let_the_flow_complete() {
    let options = with_server(ServerSettings {
        redirect_uris: Some(vec![CLIENT_REDIRECT_URI.to_owned()]),
        ..ServerSettings::default()
    });
    let run = run(&mut world(), &options, approve(&["openid", "profile"]));
    assert_eq!(failures(&run), vec![]);
}

#[test]
fn an_unregistered_redirect_uri_stops_at_the_authorization_server() {
    // RFC 6749 §3.1.2.3: compared as strings, so a trailing slash differs.
    let options = with_server(ServerSettings {
        redirect_uris: Some(vec![format!("{CLIENT_REDIRECT_URI}/")]),
        ..ServerSettings::default()
    });
    let run = run(&mut world(), &options, approve(&["openid"]));

    let found = failures(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("not registered"), "{found:?}");
    assert!(run.tokens.is_none());
}

#[test]
fn with_no_redirect_uri_registered_the_error_page_says_none() {
    let options = with_server(ServerSettings {
        redirect_uris: Some(vec![]),
        ..ServerSettings::default()
    });
    let run = run(&mut world(), &options, approve(&["openid"]));

    let found = failures(&run);
    assert!(
        found
            .iter()
            .any(|(_, why)| why.contains("registered: none.")),
        "{found:?}"
    );
}

#[test]
fn a_scope_outside_the_allowed_ones_is_invalid_scope() {
    let options = with_server(ServerSettings {
        allowed_scopes: Some(vec!["openid".to_owned(), "profile".to_owned()]),
        ..ServerSettings::default()
    });
    let run = run(&mut world(), &options, approve(&["openid"]));

    let found = failures(&run);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("invalid_scope"), "{found:?}");
}

#[test]
fn a_refresh_token_that_expires_first_cannot_renew_the_access_token() {
    let options = OAuth2Options {
        fault: OAuth2Fault::ExpiredAccessToken,
        server: ServerSettings {
            access_token_lifetime: 300,
            refresh_token_lifetime: 60,
            ..ServerSettings::default()
        },
        ..OAuth2Options::default()
    };
    let run = run(
        &mut world(),
        &options,
        approve(&["openid", "profile", "offline_access"]),
    );

    let found = failures(&run);
    assert!(
        found
            .iter()
            .any(|(step, why)| step.contains("Refresh") && why.contains("invalid_grant")),
        "{found:?}"
    );
}

// The resource server, asked directly.

fn get(world: &mut World, path: &str, token: Option<&str>) -> Response {
    let headers = token
        .map(|t| vec![("Authorization".to_owned(), format!("Bearer {t}"))])
        .unwrap_or_default();
    world.handle(&Request {
        method: "GET".to_owned(),
        url: format!("{RESOURCE_SERVER}{path}"),
        headers,
        body: None,
    })
}

fn www_authenticate(response: &Response) -> String {
    response
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

fn access_claims(aud: &str, exp: u64, scope: &str) -> Value {
    json!({
        "iss": AUTHORIZATION_SERVER, "aud": aud, "sub": "alice",
        "exp": exp, "iat": NOW, "scope": scope,
    })
}

#[test]
fn a_token_for_this_api_with_the_scope_is_served() {
    let mut world = world();
    let token = world.authorization_server.key.sign_jwt(
        "at+jwt",
        &access_claims(RESOURCE_SERVER, NOW + 60, "openid profile"),
    );

    let response = get(&mut world, "/profile", Some(&token));

    assert_eq!(response.status, 200, "{}", response.body);
    let body: Value = serde_json::from_str(&response.body).unwrap();
    assert_eq!(body["sub"], "alice");
}

#[test]
fn a_token_for_another_audience_is_invalid_token() {
    let mut world = world();
    let token = world.authorization_server.key.sign_jwt(
        "at+jwt",
        &access_claims("https://other-api.example", NOW + 60, "profile"),
    );

    let response = get(&mut world, "/profile", Some(&token));

    assert_eq!(response.status, 401);
    let challenge = www_authenticate(&response);
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("audience"), "{challenge}");
}

#[test]
fn a_token_signed_by_another_key_is_invalid_token() {
    let mut world = world();
    let stranger = World::new(b"someone else", NOW);
    let token = stranger.authorization_server.key.sign_jwt(
        "at+jwt",
        &access_claims(RESOURCE_SERVER, NOW + 60, "profile"),
    );

    let response = get(&mut world, "/profile", Some(&token));

    assert_eq!(response.status, 401);
    assert!(www_authenticate(&response).contains("error=\"invalid_token\""));
}

#[test]
fn an_expired_token_is_invalid_token() {
    let mut world = world();
    let token = world
        .authorization_server
        .key
        .sign_jwt("at+jwt", &access_claims(RESOURCE_SERVER, NOW, "profile"));

    let response = get(&mut world, "/profile", Some(&token));

    assert_eq!(response.status, 401);
    assert!(www_authenticate(&response).contains("expired"));
}

#[test]
fn a_request_without_a_token_gets_a_challenge_without_an_error_code() {
    // RFC 6750 §3.1: no error code when the request had no credentials.
    let response = get(&mut world(), "/photos", None);

    assert_eq!(response.status, 401);
    let challenge = www_authenticate(&response);
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert!(!challenge.contains("error="), "{challenge}");
}

#[test]
fn the_jwks_endpoint_publishes_the_signing_key_as_a_public_ec_jwk() {
    let mut world = world();
    let response = world.handle(&Request {
        method: "GET".to_owned(),
        url: format!("{AUTHORIZATION_SERVER}/jwks"),
        headers: vec![],
        body: None,
    });

    assert_eq!(response.status, 200);
    let jwks: Value = serde_json::from_str(&response.body).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "EC");
    assert_eq!(key["crv"], "P-256");
    assert_eq!(key["alg"], "ES256");
    // RFC 7518 §6.2.2.1: a public key has no "d".
    assert!(key.get("d").is_none(), "{key}");
    // P-256 coordinates are 32 octets: 43 base64url characters.
    assert_eq!(key["x"].as_str().map(str::len), Some(43));
    assert_eq!(key["y"].as_str().map(str::len), Some(43));
}
