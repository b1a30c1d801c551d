//! Pages addressed by the URL fragment (`#/oauth1/flow`), so the built page
//! works from any static host and sub-path without rewrite rules.

use leptos::prelude::*;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Route {
    OAuth2,
    OAuth2Device,
    OAuth1,
    OAuth1Flow,
    Tokens,
    About,
}

impl Route {
    /// The top-level tabs, each opening its first page.
    pub const SECTIONS: [Route; 4] = [Route::OAuth2, Route::OAuth1, Route::Tokens, Route::About];
    const ALL: [Route; 6] = [
        Route::OAuth2,
        Route::OAuth2Device,
        Route::OAuth1,
        Route::OAuth1Flow,
        Route::Tokens,
        Route::About,
    ];

    pub fn href(self) -> &'static str {
        match self {
            Route::OAuth2 => "#/oauth2",
            Route::OAuth2Device => "#/oauth2/device",
            Route::OAuth1 => "#/oauth1",
            Route::OAuth1Flow => "#/oauth1/flow",
            Route::Tokens => "#/tokens",
            Route::About => "#/about",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Route::OAuth2 => "OAuth 2.0",
            Route::OAuth2Device => "Device flow",
            Route::OAuth1 => "OAuth 1.0a",
            Route::OAuth1Flow => "Three-legged flow",
            Route::Tokens => "Tokens",
            Route::About => "About the roles",
        }
    }

    /// The tab a page belongs to.
    pub fn section(self) -> Route {
        match self {
            Route::OAuth1Flow => Route::OAuth1,
            Route::OAuth2Device => Route::OAuth2,
            other => other,
        }
    }

    /// The pages of a section, for its sub-navigation, with their labels.
    pub fn pages(self) -> &'static [(Route, &'static str)] {
        match self {
            Route::OAuth2 | Route::OAuth2Device => &[
                (Route::OAuth2, "Authorization code flow"),
                (Route::OAuth2Device, "Device flow"),
            ],
            Route::OAuth1 | Route::OAuth1Flow => &[
                (Route::OAuth1, "Signature workbench"),
                (Route::OAuth1Flow, "Three-legged flow (mock)"),
            ],
            _ => &[],
        }
    }

    /// An unknown or empty fragment opens the OAuth 2.0 section; so does a
    /// fragment-mode authorization response (`#code=...`).
    fn from_hash(hash: &str) -> Route {
        Route::find(hash).unwrap_or(Route::OAuth2)
    }

    fn find(hash: &str) -> Option<Route> {
        let path = page_path(hash);
        Route::ALL
            .into_iter()
            .find(|route| route.href().trim_start_matches('#') == path)
    }
}

/// `#/oauth1/flow?x` and `#/oauth1/flow/` both name `/oauth1/flow`.
fn page_path(hash: &str) -> &str {
    let path = hash.trim_start_matches('#');
    path.split('?').next().unwrap_or("").trim_end_matches('/')
}

/// A fragment that looks like a page address (`#/...`) but names no page,
/// such as a mistyped or outdated link; `None` for every other fragment.
fn unknown_page(hash: &str) -> Option<String> {
    let path = page_path(hash);
    (path.starts_with('/') && Route::find(hash).is_none()).then(|| path.to_owned())
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current page, following `hashchange`, and the address typed when it
/// names no page (so the page can say so instead of silently showing
/// another one).
pub fn use_route() -> (ReadSignal<Route>, ReadSignal<Option<String>>) {
    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    let (unknown, set_unknown) = signal(unknown_page(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = current_hash();
        set_route.set(Route::from_hash(&hash));
        set_unknown.set(unknown_page(&hash));
    });
    on_cleanup(move || handle.remove());
    (route, unknown)
}
