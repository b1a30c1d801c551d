//! The page: a thin Leptos layer over the protocol core.

mod about;
mod components;
mod device_mock;
mod flow;
mod oauth1;
mod oauth1_flow;
mod oauth2_mock;
mod oauth2_real;
mod route;
mod state;
mod tokens;
pub mod transport;

use leptos::prelude::*;

pub use oauth1::fresh_nonce;
use route::{Route, use_route};

/// Installs the panic hook and mounts the app.
pub fn start() {
    std::panic::set_hook(Box::new(report_panic));
    leptos::mount::mount_to_body(App);
}

/// A panic in WebAssembly stops the app, so say so on the page as well as
/// in the console; the banner lives outside the app's own DOM.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    console_error_panic_hook::hook(info);
    show_panic_banner(&info.to_string());
}

/// Shows the banner that says the app stopped; it works with plain DOM
/// calls because the reactive system may be gone.
pub fn show_panic_banner(message: &str) {
    let Some(banner) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("panic-banner"))
    else {
        return;
    };
    banner.set_text_content(Some(&format!(
        "The playground stopped because of an internal error and needs a reload. \
         Please report it with this message: {message}"
    )));
    let _ = banner.remove_attribute("hidden");
}

/// Where the flows run: in the page (mock) or against a real provider.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    Mock,
    Real,
}

#[component]
fn App() -> impl IntoView {
    state::provide_keeper();
    let (route, unknown_page) = use_route();
    // The redirect back from a real provider lands here; a popup passes
    // it to the page that opened it instead.
    let returned = oauth2_real::callback_url();
    if returned
        .as_deref()
        .is_some_and(oauth2_real::forward_from_popup)
    {
        return ().into_any();
    }
    let mode = RwSignal::new(if returned.is_some() || saved_mode() == Some(Mode::Real) {
        Mode::Real
    } else {
        Mode::Mock
    });
    Effect::new(move |_| save_mode(mode.get()));
    provide_context(mode);
    let tokens: state::SharedTokens = RwSignal::new(None);
    provide_context(tokens);

    view! {
        <header class="top">
            <div class="brand">
                <svg class="logo" aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
                    <circle cx="8" cy="15" r="4" />
                    <path d="M11 12l8-8M16 7l3 3M14 9l2 2" />
                </svg>
                <span class="name">"OAuth Playground"</span>
            </div>
            <ModeSwitch mode=mode />
        </header>
        <nav class="tabs" aria-label="Sections">
            {Route::SECTIONS
                .into_iter()
                .map(|section| {
                    let current = move || route.get().section() == section;
                    view! {
                        <a
                            href=section.href()
                            class:current=current
                            aria-current=move || current().then_some("page")
                        >
                            {section.title()}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
        <SubNav route=route />
        <main id="main">
            {move || unknown_page.get().map(|path| view! {
                <p class="notice" role="status" data-testid="unknown-page">
                    "There is no page at " <code>{format!("#{path}")}</code>
                    "; showing OAuth 2.0. The pages are listed in the tabs above."
                </p>
            })}
            {move || match route.get() {
                Route::OAuth2 => match mode.get() {
                    Mode::Mock => view! { <oauth2_mock::MockCodeFlow /> }.into_any(),
                    Mode::Real => view! { <oauth2_real::RealProvider returned=returned.clone() /> }.into_any(),
                },
                Route::OAuth2Device => match mode.get() {
                    Mode::Mock => view! { <device_mock::MockDeviceFlow /> }.into_any(),
                    Mode::Real => view! { <oauth2_real::RealProvider returned=None device=true /> }.into_any(),
                },
                Route::OAuth1 => view! { <oauth1::Workbench /> }.into_any(),
                Route::OAuth1Flow => view! { <oauth1_flow::ThreeLeggedFlow /> }.into_any(),
                Route::Tokens => view! { <tokens::TokensView /> }.into_any(),
                Route::About => view! { <about::Roles /> }.into_any(),
            }}
        </main>
    }
    .into_any()
}

/// The pages of the current section, when it has several.
#[component]
fn SubNav(route: ReadSignal<Route>) -> impl IntoView {
    move || {
        let pages = route.get().pages();
        (!pages.is_empty()).then(|| {
            let links = pages
                .iter()
                .map(|(page, label)| {
                    let current = move || route.get() == *page;
                    view! {
                        <a href=page.href() class:current=current aria-current=move || current().then_some("page")>
                            {*label}
                        </a>
                    }
                })
                .collect_view();
            view! { <nav class="subnav" aria-label="Pages">{links}</nav> }
        })
    }
}

const MODE_KEY: &str = "oauth-playground.mode";

/// The mode chosen earlier in this tab, so a reload keeps it.
fn saved_mode() -> Option<Mode> {
    let storage = window().session_storage().ok().flatten()?;
    match storage.get_item(MODE_KEY).ok().flatten()?.as_str() {
        "real" => Some(Mode::Real),
        _ => Some(Mode::Mock),
    }
}

fn save_mode(mode: Mode) {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(MODE_KEY, if mode == Mode::Real { "real" } else { "mock" });
    }
}

#[component]
fn ModeSwitch(mode: RwSignal<Mode>) -> impl IntoView {
    let option = move |value: Mode, label: &'static str, hint: &'static str| {
        view! {
            <label class="mode-option" title=hint>
                <input
                    type="radio"
                    name="mode"
                    prop:checked=move || mode.get() == value
                    on:change=move |_| mode.set(value)
                />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <fieldset class="mode-switch">
            <legend class="visually-hidden">"Mode"</legend>
            {option(Mode::Mock, "Mock", "Every role runs inside this page; no network")}
            {option(Mode::Real, "Real provider", "Talk to your own authorization server")}
        </fieldset>
    }
}
