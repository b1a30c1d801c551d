//! The mock servers' rules, one test per MUST, driven with hand-built HTTP
//! requests so that they do not lean on the client code they serve.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use serde_json::Value;

use oauth_playground::http::{Request, Response};
use oauth_playground::mock::authorization_server::{AuthorizeOutcome, CODE_LIFETIME, Decision};
use oauth_playground::mock::{AUTHORIZATION_SERVER, CLIENT_REDIRECT_URI, RESOURCE_SERVER, World};

/// RFC 7636 Appendix B.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const NOW: u64 = 1_700_000_000;

fn world() -> World {
    World::new(b"tests", NOW)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut serializer = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in pairs {
        serializer.append_pair(name, value);
    }
    serializer.finish()
}

fn post(path: &str, pairs: &[(&str, &str)]) -> Request {
    Request {
        method: "POST".into(),
        url: format!("{AUTHORIZATION_SERVER}{path}"),
        headers: vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )],
        body: Some(form(pairs)),
    }
}

fn json(response: &Response) -> Value {
    serde_json::from_str(&response.body).unwrap_or(Value::Null)
}

fn error_of(response: &Response) -> String {
    json(response)["error"].as_str().unwrap_or("").to_owned()
}

fn redirect_params(url: &str) -> Vec<(String, String)> {
    let query = url.split_once(['?', '#']).map(|(_, q)| q).unwrap_or("");
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

fn param(params: &[(String, String)], name: &str) -> Option<String> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

fn authorization_url(client: &str, extra: &[(&str, &str)]) -> String {
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", client),
        ("redirect_uri", CLIENT_REDIRECT_URI),
        ("scope", "openid profile email offline_access"),
        ("state", "xyz-state"),
        ("nonce", "n-0S6_WzA2Mj"),
    ];
    pairs.extend_from_slice(extra);
    format!("{AUTHORIZATION_SERVER}/authorize?{}", form(&pairs))
}

/// The PKCE authorization request of `playground-spa`, with the RFC 7636
/// challenge.
fn spa_authorization_url() -> String {
    authorization_url(
        "playground-spa",
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
}

/// Sends the browser to `url`, answers the consent screen with `decision`
/// and returns where the server redirects.
fn decide_at_consent(
    world: &mut World,
    url: &str,
    decision: impl FnOnce(&[String]) -> Decision,
) -> String {
    let AuthorizeOutcome::Consent(pending) = world.authorize(url) else {
        panic!("expected the consent screen");
    };
    let decision = decision(&pending.requested_scopes);
    world.decide(&pending.id, decision).unwrap()
}

fn approve(user: usize, scopes: &[&str]) -> impl FnOnce(&[String]) -> Decision {
    let scopes = scopes.iter().map(|s| s.to_string()).collect();
    move |_| Decision::Approve { user, scopes }
}

/// Authorizes `playground-spa` with the RFC 7636 challenge and approves as
/// the first user; returns the code.
fn code_for(world: &mut World, method: &str, challenge: &str) -> String {
    let url = authorization_url(
        "playground-spa",
        &[
            ("code_challenge", challenge),
            ("code_challenge_method", method),
        ],
    );
    let redirect = decide_at_consent(world, &url, |requested| Decision::Approve {
        user: 0,
        scopes: requested.to_vec(),
    });
    param(&redirect_params(&redirect), "code").unwrap()
}

fn redeem(world: &mut World, code: &str, verifier: &str) -> Response {
    world.handle(&post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", CLIENT_REDIRECT_URI),
            ("client_id", "playground-spa"),
            ("code_verifier", verifier),
        ],
    ))
}

#[test]
fn discovery_names_the_issuer_and_iss_support() {
    let mut world = world();
    let response = world.handle(&Request {
        method: "GET".into(),
        url: format!("{AUTHORIZATION_SERVER}/.well-known/openid-configuration"),
        headers: vec![],
        body: None,
    });
    let doc = json(&response);
    assert_eq!(doc["issuer"], AUTHORIZATION_SERVER);
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    assert_eq!(doc["jwks_uri"], format!("{AUTHORIZATION_SERVER}/jwks"));
}

#[test]
fn an_unknown_client_or_redirect_uri_is_never_redirected_to() {
    let mut world = world();
    assert!(matches!(
        world.authorize(&authorization_url("nobody", &[])),
        AuthorizeOutcome::ErrorPage(_)
    ));

    let url = authorization_url("playground-spa", &[("code_challenge", CHALLENGE)])
        .replace("client.mock.example", "evil.example");
    assert!(matches!(
        world.authorize(&url),
        AuthorizeOutcome::ErrorPage(_)
    ));
}

#[test]
fn a_public_client_must_send_a_code_challenge() {
    let mut world = world();
    let AuthorizeOutcome::Redirect(url) =
        world.authorize(&authorization_url("playground-spa", &[]))
    else {
        panic!("expected an error redirect");
    };
    let params = redirect_params(&url);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_request"));
    assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
    assert_eq!(param(&params, "iss").as_deref(), Some(AUTHORIZATION_SERVER));
}

#[test]
fn approval_redirects_with_code_state_and_iss() {
    let mut world = world();
    let redirect = decide_at_consent(
        &mut world,
        &spa_authorization_url(),
        approve(0, &["openid"]),
    );

    assert!(redirect.starts_with(CLIENT_REDIRECT_URI));
    let params = redirect_params(&redirect);
    assert!(param(&params, "code").is_some());
    assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
    assert_eq!(param(&params, "iss").as_deref(), Some(AUTHORIZATION_SERVER));
}

#[test]
fn denial_redirects_with_access_denied() {
    let mut world = world();
    let redirect = decide_at_consent(&mut world, &spa_authorization_url(), |_| Decision::Deny);
    assert_eq!(
        param(&redirect_params(&redirect), "error").as_deref(),
        Some("access_denied")
    );
}

#[test]
fn the_rfc_7636_verifier_redeems_its_s256_challenge() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let response = redeem(&mut world, &code, VERIFIER);

    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert_eq!(body["token_type"], "Bearer");
    assert!(body["access_token"].is_string() && body["refresh_token"].is_string());
    assert!(body["id_token"].is_string(), "openid was granted");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[test]
fn a_wrong_or_missing_verifier_is_invalid_grant() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let wrong = "wrong-verifier-wrong-verifier-wrong-verifier-0";
    let response = redeem(&mut world, &code, wrong);
    assert_eq!(
        (response.status, error_of(&response).as_str()),
        (400, "invalid_grant")
    );

    let code = code_for(&mut world, "S256", CHALLENGE);
    let missing = world.handle(&post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CLIENT_REDIRECT_URI),
            ("client_id", "playground-spa"),
        ],
    ));
    assert_eq!(error_of(&missing), "invalid_grant");
}

#[test]
fn the_plain_method_compares_verifier_and_challenge() {
    let mut world = world();
    let code = code_for(&mut world, "plain", VERIFIER);
    assert_eq!(redeem(&mut world, &code, VERIFIER).status, 200);
}

#[test]
fn a_replayed_code_fails_and_revokes_what_it_issued() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let first = json(&redeem(&mut world, &code, VERIFIER));
    let access_token = first["access_token"].as_str().unwrap().to_owned();

    let replay = redeem(&mut world, &code, VERIFIER);
    assert_eq!(error_of(&replay), "invalid_grant");

    let introspection = world.handle(&post(
        "/introspect",
        &[("token", &access_token), ("client_id", "playground-spa")],
    ));
    assert_eq!(json(&introspection)["active"], false);
    let refresh = first["refresh_token"].as_str().unwrap();
    let refreshed = world.handle(&post(
        "/token",
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh),
            ("client_id", "playground-spa"),
        ],
    ));
    assert_eq!(error_of(&refreshed), "invalid_grant");
}

#[test]
fn an_expired_code_is_invalid_grant() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    world.advance(CODE_LIFETIME + 1);
    assert_eq!(
        error_of(&redeem(&mut world, &code, VERIFIER)),
        "invalid_grant"
    );
}

#[test]
fn the_token_request_must_repeat_the_exact_redirect_uri() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let response = world.handle(&post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://client.mock.example/callback/"),
            ("client_id", "playground-spa"),
            ("code_verifier", VERIFIER),
        ],
    ));
    assert_eq!(error_of(&response), "invalid_grant");
}

#[test]
fn confidential_clients_authenticate_by_basic_or_post() {
    let mut world = world();
    let url = authorization_url("photo-printer", &[]);
    let redirect = decide_at_consent(&mut world, &url, approve(1, &["profile"]));
    let code = param(&redirect_params(&redirect), "code").unwrap();

    let mut wrong = post(
        "/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CLIENT_REDIRECT_URI),
        ],
    );
    wrong.headers.push((
        "Authorization".into(),
        format!("Basic {}", B64.encode("photo-printer:nope")),
    ));
    let response = world.handle(&wrong);
    assert_eq!(
        (response.status, error_of(&response).as_str()),
        (401, "invalid_client")
    );
    assert!(response.header("www-authenticate").is_some());

    let mut right = wrong.clone();
    right.headers.pop();
    right.headers.push((
        "Authorization".into(),
        format!("Basic {}", B64.encode("photo-printer:printer-secret-7Qx")),
    ));
    assert_eq!(world.handle(&right).status, 200);
}

#[test]
fn refresh_rotates_and_reuse_revokes_the_family() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let first = json(&redeem(&mut world, &code, VERIFIER));
    let refresh = |world: &mut World, token: &str| {
        world.handle(&post(
            "/token",
            &[
                ("grant_type", "refresh_token"),
                ("refresh_token", token),
                ("client_id", "playground-spa"),
            ],
        ))
    };

    let original = first["refresh_token"].as_str().unwrap().to_owned();
    let second = json(&refresh(&mut world, &original));
    let rotated = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(original, rotated);

    assert_eq!(
        error_of(&refresh(&mut world, &original)),
        "invalid_grant",
        "reuse is refused"
    );
    assert_eq!(
        error_of(&refresh(&mut world, &rotated)),
        "invalid_grant",
        "and the family is revoked"
    );
}

fn bearer(path: &str, token: Option<&str>) -> Request {
    Request {
        method: "GET".into(),
        url: format!("{RESOURCE_SERVER}{path}"),
        headers: token
            .map(|t| vec![("Authorization".to_owned(), format!("Bearer {t}"))])
            .unwrap_or_default(),
        body: None,
    }
}

#[test]
fn the_resource_server_answers_401_and_403_with_bearer_challenges() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let tokens = json(&redeem(&mut world, &code, VERIFIER));
    let access = tokens["access_token"].as_str().unwrap().to_owned();

    let anonymous = world.handle(&bearer("/profile", None));
    assert_eq!(anonymous.status, 401);
    assert_eq!(
        anonymous.header("www-authenticate"),
        Some("Bearer realm=\"mock\"")
    );

    assert_eq!(world.handle(&bearer("/profile", Some(&access))).status, 200);

    let photos = world.handle(&bearer("/photos", Some(&access)));
    assert_eq!(photos.status, 403);
    assert!(
        photos
            .header("www-authenticate")
            .unwrap()
            .contains("error=\"insufficient_scope\"")
    );

    world.advance(301);
    let expired = world.handle(&bearer("/profile", Some(&access)));
    assert_eq!(expired.status, 401);
    assert!(
        expired
            .header("www-authenticate")
            .unwrap()
            .contains("error=\"invalid_token\"")
    );
}

#[test]
fn revocation_answers_200_even_for_unknown_tokens() {
    let mut world = world();
    let response = world.handle(&post(
        "/revoke",
        &[("token", "never-issued"), ("client_id", "playground-spa")],
    ));
    assert_eq!(response.status, 200);
}

#[test]
fn userinfo_releases_claims_by_scope() {
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let tokens = json(&redeem(&mut world, &code, VERIFIER));
    let mut request = bearer("", tokens["access_token"].as_str());
    request.url = format!("{AUTHORIZATION_SERVER}/userinfo");
    let info = json(&world.handle(&request));
    assert_eq!(info["sub"], "alice");
    assert_eq!(info["email"], "alice@mock.example");
}

#[test]
fn the_id_token_is_an_es256_jws_with_nonce_and_at_hash() {
    use sha2::{Digest, Sha256};
    let mut world = world();
    let code = code_for(&mut world, "S256", CHALLENGE);
    let tokens = json(&redeem(&mut world, &code, VERIFIER));
    let id_token = tokens["id_token"].as_str().unwrap();
    let access = tokens["access_token"].as_str().unwrap();

    let segments: Vec<&str> = id_token.split('.').collect();
    let header: Value = serde_json::from_slice(&B64URL.decode(segments[0]).unwrap()).unwrap();
    let claims: Value = serde_json::from_slice(&B64URL.decode(segments[1]).unwrap()).unwrap();
    assert_eq!(header["alg"], "ES256");
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(claims["aud"], "playground-spa");
    let expected_at_hash = B64URL.encode(&Sha256::digest(access.as_bytes())[..16]);
    assert_eq!(claims["at_hash"], expected_at_hash.as_str());
    assert_eq!(
        B64URL.decode(segments[2]).unwrap().len(),
        64,
        "raw r||s, not DER"
    );
}

#[test]
fn the_device_grant_polls_through_pending_slow_down_and_approval() {
    let mut world = world();
    let start = json(&world.handle(&post(
        "/device_authorization",
        &[("client_id", "playground-spa"), ("scope", "profile")],
    )));
    let device_code = start["device_code"].as_str().unwrap().to_owned();
    let user_code = start["user_code"].as_str().unwrap().to_owned();
    let poll = |world: &mut World| {
        world.handle(&post(
            "/token",
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", &device_code),
                ("client_id", "playground-spa"),
            ],
        ))
    };

    assert_eq!(error_of(&poll(&mut world)), "authorization_pending");
    assert_eq!(
        error_of(&poll(&mut world)),
        "slow_down",
        "polled again at once"
    );
    world.advance(10);
    world
        .decide_device(
            &user_code.to_lowercase(),
            Decision::Approve {
                user: 0,
                scopes: vec![],
            },
        )
        .unwrap();
    let done = poll(&mut world);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(json(&done)["access_token"].is_string());
}

#[test]
fn a_denied_or_expired_device_code_ends_the_polling() {
    let mut world = world();
    let start = |world: &mut World| {
        json(&world.handle(&post(
            "/device_authorization",
            &[("client_id", "playground-spa"), ("scope", "profile")],
        )))
    };
    let poll = |world: &mut World, code: &str| {
        world.handle(&post(
            "/token",
            &[
                ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                ("device_code", code),
                ("client_id", "playground-spa"),
            ],
        ))
    };

    let denied = start(&mut world);
    world
        .decide_device(denied["user_code"].as_str().unwrap(), Decision::Deny)
        .unwrap();
    assert_eq!(
        error_of(&poll(&mut world, denied["device_code"].as_str().unwrap())),
        "access_denied"
    );

    let expired = start(&mut world);
    world.advance(601);
    assert_eq!(
        error_of(&poll(&mut world, expired["device_code"].as_str().unwrap())),
        "expired_token"
    );
}

/// Authorizes `playground-spa` for `scope`, approves `granted` as the first
/// user and redeems the code; returns the token response.
fn tokens_for(world: &mut World, scope: &str, granted: &[&str]) -> Response {
    let url = spa_authorization_url().replace(
        &form(&[("scope", "openid profile email offline_access")]),
        &form(&[("scope", scope)]),
    );
    let redirect = decide_at_consent(world, &url, approve(0, granted));
    let code = param(&redirect_params(&redirect), "code").unwrap();
    redeem(world, &code, VERIFIER)
}

fn refresh_with(world: &mut World, token: &str, scope: Option<&str>) -> Response {
    let mut pairs = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", "playground-spa"),
    ];
    pairs.extend(scope.map(|s| ("scope", s)));
    world.handle(&post("/token", &pairs))
}

#[test]
fn no_refresh_token_is_issued_without_offline_access() {
    let mut world = world();
    let response = tokens_for(&mut world, "openid profile", &["openid", "profile"]);

    assert_eq!(response.status, 200, "{}", response.body);
    let body = json(&response);
    assert!(body["access_token"].is_string());
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["scope"], "openid profile");
}

#[test]
fn offline_access_unticked_at_consent_means_no_refresh_token() {
    let mut world = world();
    let body = json(&tokens_for(
        &mut world,
        "openid profile offline_access",
        &["openid", "profile"],
    ));
    assert!(body.get("refresh_token").is_none(), "{body}");
    assert_eq!(body["scope"], "openid profile");
}

#[test]
fn offline_access_brings_a_refresh_token_that_keeps_rotating() {
    let mut world = world();
    let body = json(&tokens_for(
        &mut world,
        "openid offline_access",
        &["openid", "offline_access"],
    ));
    assert_eq!(body["scope"], "openid offline_access");
    let first = body["refresh_token"].as_str().unwrap().to_owned();

    let second = json(&refresh_with(&mut world, &first, None));
    let rotated = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(first, rotated);
    assert_eq!(second["scope"], "openid offline_access");

    let third = json(&refresh_with(&mut world, &rotated, None));
    assert!(third["refresh_token"].is_string(), "{third}");
}

#[test]
fn a_narrowed_refresh_keeps_the_refresh_tokens_scope() {
    // RFC 6749 §6: the new refresh token has the scope of the old one.
    let mut world = world();
    let body = json(&tokens_for(
        &mut world,
        "openid profile offline_access",
        &["openid", "profile", "offline_access"],
    ));
    let refresh = body["refresh_token"].as_str().unwrap();

    let narrowed = json(&refresh_with(&mut world, refresh, Some("profile")));
    assert_eq!(narrowed["scope"], "profile");
    let rotated = narrowed["refresh_token"].as_str().unwrap();

    let full = json(&refresh_with(&mut world, rotated, None));
    assert_eq!(full["scope"], "openid profile offline_access");
    assert!(full["refresh_token"].is_string(), "{full}");
}

#[test]
fn an_empty_scope_on_refresh_is_invalid_scope_and_spends_nothing() {
    let mut world = world();
    let body = json(&tokens_for(
        &mut world,
        "openid offline_access",
        &["openid", "offline_access"],
    ));
    let refresh = body["refresh_token"].as_str().unwrap();

    let empty = refresh_with(&mut world, refresh, Some(""));
    assert_eq!(error_of(&empty), "invalid_scope");
    assert_eq!(refresh_with(&mut world, refresh, None).status, 200);
}

#[test]
fn approving_with_no_scope_is_access_denied() {
    let mut world = world();
    let redirect = decide_at_consent(&mut world, &spa_authorization_url(), approve(0, &[]));

    let params = redirect_params(&redirect);
    assert_eq!(param(&params, "error").as_deref(), Some("access_denied"));
    let description = param(&params, "error_description").unwrap();
    assert!(description.contains("no scope"), "{description}");
    assert_eq!(param(&params, "code"), None);
    assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
    assert_eq!(param(&params, "iss").as_deref(), Some(AUTHORIZATION_SERVER));
}

#[test]
fn an_authorization_request_without_scope_is_invalid_scope() {
    // RFC 6749 §3.3: with no default scope, the request fails.
    let mut world = world();
    let url = authorization_url(
        "playground-spa",
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .replace(
        &format!(
            "&{}",
            form(&[("scope", "openid profile email offline_access")])
        ),
        "",
    );
    assert!(!url.contains("scope="), "{url}");
    let AuthorizeOutcome::Redirect(redirect) = world.authorize(&url) else {
        panic!("expected an error redirect");
    };
    let params = redirect_params(&redirect);
    assert_eq!(param(&params, "error").as_deref(), Some("invalid_scope"));
    assert_eq!(param(&params, "state").as_deref(), Some("xyz-state"));
}

/// Runs the device grant for `scope` to its token response.
fn device_tokens(world: &mut World, scope: &str) -> Response {
    let start = json(&world.handle(&post(
        "/device_authorization",
        &[("client_id", "playground-spa"), ("scope", scope)],
    )));
    let approve = Decision::Approve {
        user: 0,
        scopes: vec![],
    };
    world
        .decide_device(start["user_code"].as_str().unwrap(), approve)
        .unwrap();
    world.handle(&post(
        "/token",
        &[
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", start["device_code"].as_str().unwrap()),
            ("client_id", "playground-spa"),
        ],
    ))
}

#[test]
fn the_device_grant_issues_a_refresh_token_only_for_offline_access() {
    let mut world = world();
    let without = device_tokens(&mut world, "openid profile");
    assert_eq!(without.status, 200, "{}", without.body);
    assert!(
        json(&without).get("refresh_token").is_none(),
        "{}",
        without.body
    );
    assert_eq!(json(&without)["scope"], "openid profile");

    let with = json(&device_tokens(&mut world, "openid offline_access"));
    let refresh = with["refresh_token"].as_str().unwrap();
    let refreshed = json(&refresh_with(&mut world, refresh, None));
    assert!(refreshed["refresh_token"].is_string(), "{refreshed}");
}

#[test]
fn a_device_authorization_without_an_allowed_scope_is_invalid_scope() {
    let mut world = world();
    for pairs in [
        vec![("client_id", "playground-spa")],
        vec![("client_id", "playground-spa"), ("scope", "")],
        vec![("client_id", "playground-spa"), ("scope", "admin")],
    ] {
        let response = world.handle(&post("/device_authorization", &pairs));
        assert_eq!(
            (response.status, error_of(&response).as_str()),
            (400, "invalid_scope"),
            "{pairs:?}"
        );
    }
}

mod oauth1 {
    use oauth_playground::flows::oauth1::{OAuth1Fault, run};
    use oauth_playground::mock::OAUTH1_SERVER;
    use oauth_playground::mock::oauth1_server::{CONSUMER_KEY, CONSUMER_SECRET, TIMESTAMP_WINDOW};
    use oauth_playground::oauth1::SignatureMethod;
    use oauth_playground::oauth1::flow::{Credentials, Signer, temporary_credentials_request};
    use oauth_playground::trace::Message;

    use super::{NOW, world};

    fn last_status(trace: &oauth_playground::trace::Trace) -> u16 {
        match &trace.exchanges.last().unwrap().message {
            Message::Http {
                response: Some(response),
                ..
            } => response.status,
            _ => 0,
        }
    }

    #[test]
    fn the_three_legged_flow_reaches_the_resource_with_every_method() {
        for method in [
            SignatureMethod::HmacSha1,
            SignatureMethod::HmacSha256,
            SignatureMethod::HmacSha512,
            SignatureMethod::Plaintext,
        ] {
            let trace = run(&mut world(), method, OAuth1Fault::None);
            assert_eq!(trace.exchanges.len(), 5, "{method:?}");
            assert!(
                trace.exchanges.iter().all(|e| e.failure.is_none()),
                "{method:?}: {:?}",
                trace.exchanges
            );
            assert_eq!(last_status(&trace), 200);
        }
    }

    #[test]
    fn a_replay_under_plaintext_goes_through_and_the_lesson_says_why() {
        let trace = run(
            &mut world(),
            SignatureMethod::Plaintext,
            OAuth1Fault::ReplayedNonce,
        );
        assert_eq!(last_status(&trace), 200);

        let lesson = OAuth1Fault::ReplayedNonce.lesson(SignatureMethod::Plaintext);
        assert!(
            lesson.contains("200 OK") && lesson.contains("TLS"),
            "{lesson}"
        );
        let lesson = OAuth1Fault::ReplayedNonce.lesson(SignatureMethod::HmacSha1);
        assert!(lesson.contains("nonce check"), "{lesson}");
    }

    #[test]
    fn a_replayed_nonce_is_refused() {
        let trace = run(
            &mut world(),
            SignatureMethod::HmacSha1,
            OAuth1Fault::ReplayedNonce,
        );
        let last = trace.exchanges.last().unwrap();
        assert!(
            last.failure.as_deref().unwrap().contains("nonce_used"),
            "{:?}",
            last.failure
        );
    }

    #[test]
    fn a_tampered_request_fails_its_signature_check() {
        let trace = run(
            &mut world(),
            SignatureMethod::HmacSha1,
            OAuth1Fault::TamperedSignature,
        );
        let last = trace.exchanges.last().unwrap();
        assert!(
            last.failure
                .as_deref()
                .unwrap()
                .contains("signature_invalid")
        );
        let Message::Http {
            response: Some(response),
            ..
        } = &last.message
        else {
            panic!()
        };
        assert!(
            response.body.contains("oauth_signature_base_string="),
            "the server shows its base string"
        );
    }

    #[test]
    fn a_tampered_plaintext_request_goes_unnoticed_and_the_lesson_says_so() {
        let trace = run(
            &mut world(),
            SignatureMethod::Plaintext,
            OAuth1Fault::TamperedSignature,
        );
        assert_eq!(last_status(&trace), 200, "PLAINTEXT signs no parameter");
        let note = &trace.exchanges.last().unwrap().note;
        assert!(note.contains("size=thumbnail"), "{note}");
        assert!(
            note.contains("PLAINTEXT signs no part of the request"),
            "{note}"
        );
        assert!(!note.contains("signature_invalid"), "{note}");

        let lesson = OAuth1Fault::TamperedSignature.lesson(SignatureMethod::Plaintext);
        assert!(
            lesson.contains("200 OK") && lesson.contains("TLS"),
            "{lesson}"
        );
        assert!(!lesson.contains("signature_invalid"), "{lesson}");
        let lesson = OAuth1Fault::TamperedSignature.lesson(SignatureMethod::HmacSha1);
        assert!(lesson.contains("signature_invalid"), "{lesson}");
    }

    #[test]
    fn plaintext_steps_show_the_signing_key_instead_of_a_base_string() {
        let http_notes = |method| {
            let trace = run(&mut world(), method, OAuth1Fault::None);
            trace
                .exchanges
                .into_iter()
                .filter(|e| matches!(e.message, Message::Http { .. }))
                .map(|e| e.note)
                .collect::<Vec<String>>()
        };

        let notes = http_notes(SignatureMethod::Plaintext);
        assert_eq!(notes.len(), 3);
        for note in &notes {
            assert!(!note.contains("Base string"), "{note}");
            assert!(!note.contains("GET&") && !note.contains("POST&"), "{note}");
            assert!(note.contains("the signing key itself"), "{note}");
        }
        assert!(
            notes[0].contains(&format!("\"{CONSUMER_SECRET}&\"")),
            "{}",
            notes[0]
        );

        let notes = http_notes(SignatureMethod::HmacSha1);
        assert!(
            notes[2].contains("Base string signed: GET&"),
            "{}",
            notes[2]
        );
    }

    #[test]
    fn a_denial_ends_the_flow_without_a_verifier() {
        let trace = run(&mut world(), SignatureMethod::HmacSha1, OAuth1Fault::Denied);
        assert_eq!(trace.exchanges.len(), 3);
        assert!(
            trace.exchanges[2]
                .failure
                .as_deref()
                .unwrap()
                .contains("permission_denied")
        );
    }

    #[test]
    fn a_stale_timestamp_is_refused_with_the_acceptable_window() {
        let mut world = world();
        let client = Credentials {
            identifier: CONSUMER_KEY.into(),
            secret: CONSUMER_SECRET.into(),
        };
        let signer = Signer {
            client: &client,
            token: None,
            method: SignatureMethod::HmacSha1,
            nonce: "n1".into(),
            timestamp: (NOW - TIMESTAMP_WINDOW - 1).to_string(),
        };
        let endpoints = oauth_playground::flows::oauth1::endpoints();
        let (request, _) = temporary_credentials_request(&endpoints, &signer, "oob").unwrap();
        let response = world.handle(&request);
        assert_eq!(response.status, 401);
        assert!(
            response
                .body
                .starts_with("oauth_problem=timestamp_refused&oauth_acceptable_timestamps=")
        );
        assert!(request.url.starts_with(OAUTH1_SERVER));
    }
}

mod oauth2_flow {
    use oauth_playground::flows::oauth2::{OAuth2Fault, OAuth2Options, Run, run};
    use oauth_playground::mock::authorization_server::Decision;

    use super::world;

    fn approve() -> Option<Decision> {
        Some(Decision::Approve {
            user: 0,
            scopes: vec![
                "openid".into(),
                "profile".into(),
                "email".into(),
                "offline_access".into(),
            ],
        })
    }

    fn run_with(fault: OAuth2Fault) -> Run {
        let options = OAuth2Options {
            fault,
            ..OAuth2Options::default()
        };
        run(&mut world(), &options, approve())
    }

    fn failures(run: &Run) -> Vec<(String, String)> {
        run.trace
            .exchanges
            .iter()
            .filter_map(|e| e.failure.clone().map(|f| (e.title.clone(), f)))
            .collect()
    }

    #[test]
    fn the_flow_waits_at_the_consent_screen() {
        let run = run(&mut world(), &OAuth2Options::default(), None);
        let consent = run.consent.expect("paused for consent");
        assert_eq!(consent.client_id, "playground-spa");
        assert_eq!(run.trace.exchanges.last().unwrap().title, "Consent screen");
    }

    #[test]
    fn without_faults_every_step_succeeds() {
        let run = run_with(OAuth2Fault::None);
        assert_eq!(failures(&run), vec![]);
        let titles: Vec<&str> = run
            .trace
            .exchanges
            .iter()
            .map(|e| e.title.as_str())
            .collect();
        assert!(
            titles.contains(&"Token request (code + code_verifier)"),
            "{titles:?}"
        );
        assert!(titles.contains(&"GET /userinfo"), "{titles:?}");
        assert_eq!(titles.last(), Some(&"Introspect the revoked token"));
        assert!(run.tokens.unwrap().id_token.is_some());
    }

    fn only_failure(run: &Run) -> (String, String) {
        let failures = failures(run);
        assert_eq!(failures.len(), 1, "{failures:?}");
        failures[0].clone()
    }

    #[test]
    fn a_foreign_state_is_refused_by_the_client() {
        let (step, why) = only_failure(&run_with(OAuth2Fault::Csrf));
        assert_eq!(step, "Check state, iss and the code");
        assert!(why.contains("state"), "{why}");
    }

    #[test]
    fn a_foreign_iss_is_refused_by_the_client() {
        let (step, why) = only_failure(&run_with(OAuth2Fault::MixUp));
        assert_eq!(step, "Check state, iss and the code");
        assert!(why.contains("iss"), "{why}");
    }

    #[test]
    fn a_wrong_verifier_or_an_expired_code_is_refused_by_the_server() {
        for fault in [OAuth2Fault::PkceMismatch, OAuth2Fault::ExpiredCode] {
            let (step, why) = only_failure(&run_with(fault));
            assert_eq!(step, "Token request (code + code_verifier)");
            assert!(why.contains("invalid_grant"), "{fault:?}: {why}");
        }
    }

    #[test]
    fn a_replayed_code_is_refused_and_revokes_the_tokens() {
        let failures = failures(&run_with(OAuth2Fault::CodeReplay));
        assert_eq!(failures[0].0, "Replay of the same code");
        assert!(failures[0].1.contains("invalid_grant"));
        assert!(
            failures
                .iter()
                .any(|(step, _)| step == "Refresh the access token"),
            "the revoked refresh token no longer works: {failures:?}"
        );
    }

    #[test]
    fn an_unregistered_redirect_uri_gets_an_error_page() {
        let (step, _) = only_failure(&run_with(OAuth2Fault::RedirectUriMismatch));
        assert_eq!(step, "Error page, no redirect");
    }

    #[test]
    fn a_denial_comes_back_as_access_denied() {
        let (_, why) = only_failure(&run_with(OAuth2Fault::ConsentDenied));
        assert!(why.contains("access_denied"), "{why}");
    }

    #[test]
    fn an_expired_access_token_is_refreshed_and_the_call_retried() {
        let run = run_with(OAuth2Fault::ExpiredAccessToken);
        let (step, why) = only_failure(&run);
        assert_eq!(step, "GET /profile with the access token");
        assert!(why.contains("invalid_token"), "{why}");
        assert!(
            run.trace
                .exchanges
                .iter()
                .any(|e| e.title == "Retry with the new access token" && e.failure.is_none())
        );
    }

    #[test]
    fn a_missing_scope_is_a_403() {
        let (step, why) = only_failure(&run_with(OAuth2Fault::InsufficientScope));
        assert_eq!(step, "GET /photos with the access token");
        assert!(why.contains("insufficient_scope"), "{why}");
    }

    #[test]
    fn refresh_token_reuse_revokes_the_family() {
        let failures = failures(&run_with(OAuth2Fault::RefreshReuse));
        let steps: Vec<&str> = failures.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            steps,
            vec![
                "Reuse of the old refresh token (attacker)",
                "The client's own rotated token, now revoked"
            ]
        );
    }

    #[test]
    fn the_server_settings_decide_whether_pkce_is_required() {
        use oauth_playground::flows::oauth2::ServerSettings;
        use oauth_playground::oauth2::authorization::Pkce;

        let without_pkce = |pkce_required| OAuth2Options {
            pkce: Pkce::Disabled,
            server: ServerSettings {
                pkce_required,
                ..ServerSettings::default()
            },
            ..OAuth2Options::default()
        };
        let refused = run(&mut world(), &without_pkce(None), approve());
        assert!(
            failures(&refused)[0].1.contains("code_challenge"),
            "{:?}",
            failures(&refused)
        );

        let allowed = run(&mut world(), &without_pkce(Some(false)), approve());
        assert_eq!(failures(&allowed), vec![]);
    }

    fn run_scoped(fault: OAuth2Fault, scope: &str, granted: &[&str]) -> Run {
        let options = OAuth2Options {
            fault,
            scope: scope.to_owned(),
            ..OAuth2Options::default()
        };
        let decision = Decision::Approve {
            user: 0,
            scopes: granted.iter().map(|s| s.to_string()).collect(),
        };
        run(&mut world(), &options, Some(decision))
    }

    fn step<'a>(run: &'a Run, title: &str) -> &'a oauth_playground::trace::Exchange {
        run.trace
            .exchanges
            .iter()
            .find(|e| e.title == title)
            .unwrap_or_else(|| panic!("no step {title:?}"))
    }

    #[test]
    fn the_default_flow_refreshes_revokes_and_introspects() {
        let run = run_with(OAuth2Fault::None);
        assert_eq!(failures(&run), vec![]);
        let token_step = step(&run, "Token request (code + code_verifier)");
        let oauth_playground::trace::Message::Http {
            response: Some(response),
            ..
        } = &token_step.message
        else {
            panic!()
        };
        assert!(
            response.body.contains("\"refresh_token\""),
            "{}",
            response.body
        );
        step(&run, "Refresh the access token");
        step(&run, "Revoke the refresh token");
        assert!(run.tokens.unwrap().refresh_token.is_some());
    }

    #[test]
    fn without_offline_access_the_missing_refresh_token_is_explained() {
        let run = run_scoped(
            OAuth2Fault::None,
            "openid profile email",
            &["openid", "profile", "email"],
        );
        assert_eq!(failures(&run), vec![]);
        assert!(run.tokens.as_ref().unwrap().refresh_token.is_none());
        for title in [
            "No refresh token to refresh with",
            "Sign out without a refresh token",
        ] {
            let explained = step(&run, title);
            assert!(
                explained.note.contains("did not request offline_access"),
                "{}",
                explained.note
            );
            assert!(explained.reference.contains("OpenID Connect Core §11"));
        }
        let titles: Vec<&str> = run
            .trace
            .exchanges
            .iter()
            .map(|e| e.title.as_str())
            .collect();
        assert!(titles.contains(&"GET /userinfo"), "{titles:?}");
        assert!(!titles.contains(&"Refresh the access token"), "{titles:?}");
    }

    #[test]
    fn offline_access_unticked_at_consent_is_explained_as_not_granted() {
        let run = run_scoped(
            OAuth2Fault::None,
            "openid profile email offline_access",
            &["openid", "profile", "email"],
        );
        assert_eq!(failures(&run), vec![]);
        let explained = step(&run, "No refresh token to refresh with");
        assert!(explained.note.contains("not granted"), "{}", explained.note);
    }

    #[test]
    fn refresh_reuse_without_offline_access_asks_for_it() {
        let run = run_scoped(
            OAuth2Fault::RefreshReuse,
            "openid profile",
            &["openid", "profile"],
        );
        let (title, why) = only_failure(&run);
        assert_eq!(title, "No refresh token to reuse");
        assert!(why.contains("request offline_access"), "{why}");
        let note = &step(&run, &title).note;
        assert!(
            note.contains("tick offline_access in the requested scopes"),
            "{note}"
        );
    }

    #[test]
    fn an_expired_access_token_without_offline_access_asks_for_it() {
        let run = run_scoped(
            OAuth2Fault::ExpiredAccessToken,
            "openid profile offline_access",
            &["openid", "profile"],
        );
        let found = failures(&run);
        let titles: Vec<&str> = found.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "GET /profile with the access token",
                "No refresh token to recover with"
            ]
        );
        assert!(found[0].1.contains("invalid_token"), "{found:?}");
        assert!(found[1].1.contains("request offline_access"), "{found:?}");
        let note = &step(&run, "No refresh token to recover with").note;
        assert!(note.contains("keep offline_access ticked"), "{note}");
    }

    #[test]
    fn a_consent_granting_no_scope_comes_back_as_access_denied() {
        let run = run_scoped(OAuth2Fault::None, "openid profile offline_access", &[]);
        let (step, why) = only_failure(&run);
        assert_eq!(step, "Check state, iss and the code");
        assert!(why.contains("access_denied"), "{why}");
        assert!(why.contains("no scope"), "{why}");
        assert!(run.tokens.is_none());
    }

    #[test]
    fn the_same_seed_reproduces_every_message() {
        assert_eq!(
            run_with(OAuth2Fault::None).trace,
            run_with(OAuth2Fault::None).trace
        );
    }
}

mod device_flow {
    use oauth_playground::flows::device::{UserCodeEntry, run};
    use oauth_playground::mock::authorization_server::Decision;
    use oauth_playground::trace::Message;

    use super::world;

    fn statuses(run: &oauth_playground::flows::device::DeviceRun) -> Vec<u16> {
        run.trace
            .exchanges
            .iter()
            .filter_map(|e| match &e.message {
                Message::Http {
                    response: Some(r), ..
                } => Some(r.status),
                _ => None,
            })
            .collect()
    }

    fn bodies(run: &oauth_playground::flows::device::DeviceRun) -> Vec<String> {
        run.trace
            .exchanges
            .iter()
            .filter_map(|e| match &e.message {
                Message::Http {
                    response: Some(r), ..
                } => Some(r.body.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn polling_waits_then_slows_down_until_the_code_is_entered() {
        let run = run(&mut world(), &[], false);
        assert_eq!(run.waiting, Some(None));
        let bodies = bodies(&run);
        assert!(bodies[1].contains("authorization_pending"), "{}", bodies[1]);
        assert!(bodies[2].contains("slow_down"), "{}", bodies[2]);
    }

    #[test]
    fn the_right_code_approved_yields_tokens() {
        let code = run(&mut world(), &[], false).user_code.unwrap();
        let entries = [
            UserCodeEntry {
                typed: "WRONG-CODE".into(),
                decision: Decision::Approve {
                    user: 0,
                    scopes: vec![],
                },
            },
            UserCodeEntry {
                typed: code.to_lowercase(),
                decision: Decision::Approve {
                    user: 0,
                    scopes: vec![],
                },
            },
        ];
        let run = run(&mut world(), &entries, false);
        assert_eq!(run.waiting, None);
        assert_eq!(statuses(&run).last(), Some(&200));
        assert!(run.trace.exchanges.iter().any(|e| {
            e.failure
                .as_deref()
                .is_some_and(|f| f.contains("WRONG-CODE"))
        }));
    }

    #[test]
    fn the_device_gets_no_refresh_token_without_offline_access() {
        let code = run(&mut world(), &[], false).user_code.unwrap();
        let entries = [UserCodeEntry {
            typed: code,
            decision: Decision::Approve {
                user: 0,
                scopes: vec![],
            },
        }];
        let run = run(&mut world(), &entries, false);
        let last = run.trace.exchanges.last().unwrap();
        assert_eq!(last.failure, None);
        assert!(!bodies(&run).last().unwrap().contains("refresh_token"));
        assert!(last.note.contains("offline_access"), "{}", last.note);
    }

    #[test]
    fn denial_and_expiry_stop_the_polling() {
        let code = run(&mut world(), &[], false).user_code.unwrap();
        let denied = run(
            &mut world(),
            &[UserCodeEntry {
                typed: code,
                decision: Decision::Deny,
            }],
            false,
        );
        assert!(
            denied
                .trace
                .exchanges
                .last()
                .unwrap()
                .failure
                .as_deref()
                .unwrap()
                .contains("access_denied")
        );

        let expired = run(&mut world(), &[], true);
        assert!(
            expired
                .trace
                .exchanges
                .last()
                .unwrap()
                .failure
                .as_deref()
                .unwrap()
                .contains("expired_token")
        );
    }
}

mod oauth1_rsa {
    use oauth_playground::flows::oauth1::{OAuth1Fault, endpoints, run};
    use oauth_playground::mock::oauth1_server::{
        CLIENT_RSA_PRIVATE_KEY, CONSUMER_KEY, CONSUMER_SECRET,
    };
    use oauth_playground::oauth1::SignatureMethod;
    use oauth_playground::oauth1::encode::percent_encode;
    use oauth_playground::oauth1::flow::{
        Credentials, KeyedSigner, Signer, temporary_credentials_request,
    };
    use oauth_playground::trace::Message;

    use super::{NOW, world};

    #[test]
    fn an_rsa_sha256_three_legged_flow_reaches_the_resource() {
        let trace = run(&mut world(), SignatureMethod::RsaSha256, OAuth1Fault::None);
        assert_eq!(trace.exchanges.len(), 5);
        assert!(
            trace.exchanges.iter().all(|e| e.failure.is_none()),
            "{:?}",
            trace.exchanges
        );
        let Some(Message::Http {
            request,
            response: Some(response),
        }) = trace.exchanges.last().map(|e| &e.message)
        else {
            panic!("the flow ends with an HTTP exchange")
        };
        assert_eq!(response.status, 200);
        let authorization = &request.headers[0].1;
        assert!(
            authorization.contains("oauth_signature_method=\"RSA-SHA256\""),
            "{authorization}"
        );
    }

    #[test]
    fn rsa_sha1_and_rsa_sha512_flows_complete_too() {
        for method in [SignatureMethod::RsaSha1, SignatureMethod::RsaSha512] {
            let trace = run(&mut world(), method, OAuth1Fault::None);
            assert!(
                trace.exchanges.iter().all(|e| e.failure.is_none()),
                "{method:?}: {:?}",
                trace.exchanges
            );
        }
    }

    #[test]
    fn a_tampered_rsa_signature_is_refused_with_an_oauth_problem() {
        let mut world = world();
        let client = Credentials {
            identifier: CONSUMER_KEY.into(),
            secret: CONSUMER_SECRET.into(),
        };
        let signer = KeyedSigner {
            signer: Signer {
                client: &client,
                token: None,
                method: SignatureMethod::RsaSha256,
                nonce: "rsa-n1".into(),
                timestamp: NOW.to_string(),
            },
            rsa_private_key_pem: Some(CLIENT_RSA_PRIVATE_KEY),
        };
        let (mut request, steps) =
            temporary_credentials_request(&endpoints(), &signer, "oob").unwrap();

        // Change the first base64 character of the signature, which always
        // carries signature bits; the result is still well-formed base64.
        let first = if steps.signature.starts_with('A') {
            "B"
        } else {
            "A"
        };
        let tampered = format!("{first}{}", &steps.signature[1..]);
        let header = &mut request.headers[0].1;
        let signed = format!("oauth_signature=\"{}\"", percent_encode(&steps.signature));
        assert!(header.contains(&signed), "{header}");
        *header = header.replace(
            &signed,
            &format!("oauth_signature=\"{}\"", percent_encode(&tampered)),
        );

        let response = world.handle(&request);
        assert_eq!(response.status, 401, "{}", response.body);
        assert!(
            response.body.starts_with("oauth_problem=signature_invalid"),
            "{}",
            response.body
        );
    }

    #[test]
    fn a_tampered_rsa_request_fails_in_the_flow() {
        let trace = run(
            &mut world(),
            SignatureMethod::RsaSha256,
            OAuth1Fault::TamperedSignature,
        );
        let failure = trace.exchanges.last().and_then(|e| e.failure.clone());
        assert!(
            failure
                .as_deref()
                .is_some_and(|f| f.contains("signature_invalid")),
            "{failure:?}"
        );
    }
}
