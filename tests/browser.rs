//! Browser-only behaviour, run in headless Chromium by wasm-bindgen-test:
//! randomness from `crypto.getRandomValues`, the app mounted in a real DOM,
//! and `fetch` through the transport.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn nonces_come_from_the_browser_csprng() {
    let first = oauth_playground::ui::fresh_nonce();
    let second = oauth_playground::ui::fresh_nonce();

    assert_eq!(first.len(), 32, "16 random bytes, hex-encoded");
    assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(first, second);
}

#[wasm_bindgen_test]
async fn the_app_mounts_with_the_header_and_sections() {
    oauth_playground::ui::start();
    leptos::task::tick().await;

    let document = web_sys::window().unwrap().document().unwrap();
    let text = document.body().unwrap().text_content().unwrap_or_default();
    assert!(text.contains("OAuth Playground"));
    for section in ["OAuth 2.0", "OAuth 1.0a", "Tokens", "About the roles"] {
        assert!(text.contains(section), "missing section link {section}");
    }
    let mock = document
        .query_selector("input[name=mode]")
        .unwrap()
        .unwrap();
    let mock: web_sys::HtmlInputElement = wasm_bindgen::JsCast::dyn_into(mock).unwrap();
    assert!(mock.checked(), "mock mode is the default");
}

#[wasm_bindgen_test]
fn a_panic_is_reported_in_a_visible_banner() {
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = document.create_element("div").unwrap();
    banner.set_id("panic-banner");
    banner.set_attribute("hidden", "").unwrap();
    document.body().unwrap().append_child(&banner).unwrap();

    oauth_playground::ui::show_panic_banner("index out of bounds at src/ui/flow.rs:1:1");

    assert!(!banner.has_attribute("hidden"));
    let text = banner.text_content().unwrap_or_default();
    assert!(
        text.contains("needs a reload") && text.contains("index out of bounds"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn fetch_carries_a_request_and_returns_status_headers_and_body() {
    let request = oauth_playground::http::Request {
        method: "GET".to_owned(),
        url: "data:application/json,%7B%22issuer%22%3A%22https%3A%2F%2Fas.example%22%7D".to_owned(),
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: None,
    };

    let response = oauth_playground::ui::transport::send(&request)
        .await
        .expect("a data: URL always answers");

    assert_eq!(response.status, 200);
    assert_eq!(response.body, r#"{"issuer":"https://as.example"}"#);
    assert!(
        response
            .headers
            .iter()
            .any(|(name, value)| name.eq_ignore_ascii_case("content-type")
                && value == "application/json"),
        "{:?}",
        response.headers
    );
}

#[wasm_bindgen_test]
async fn a_request_nothing_answers_is_reported_as_blocked() {
    // Port 9 (discard) has no listener here; the browser reports the
    // failure the way it reports a CORS refusal.
    let request = oauth_playground::http::Request {
        method: "POST".to_owned(),
        url: "http://127.0.0.1:9/token".to_owned(),
        headers: vec![(
            "Content-Type".to_owned(),
            "application/x-www-form-urlencoded".to_owned(),
        )],
        body: Some("grant_type=authorization_code".to_owned()),
    };

    let blocked = oauth_playground::ui::transport::send(&request)
        .await
        .expect_err("nothing listens on port 9");

    assert!(!blocked.reason.is_empty());
}
