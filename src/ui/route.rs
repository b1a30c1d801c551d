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

    /// An unknown or empty fragment opens the OAuth 2.0 section.
    fn from_hash(hash: &str) -> Route {
        let path = hash.trim_start_matches('#');
        let path = path.split('?').next().unwrap_or("").trim_end_matches('/');
        Route::ALL
            .into_iter()
            .find(|route| route.href().trim_start_matches('#') == path)
            .unwrap_or(Route::OAuth2)
    }
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// The current page, following `hashchange`.
pub fn use_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(Route::from_hash(&current_hash()));
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        set_route.set(Route::from_hash(&current_hash()));
    });
    on_cleanup(move || handle.remove());
    route
}
