//! Browser-only behaviour, run in headless Chromium by wasm-bindgen-test:
//! randomness from `crypto.getRandomValues`, and the app mounted in a real DOM.
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
