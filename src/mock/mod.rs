//! The other roles, run inside the page: an OAuth 2.0 authorization server
//! and resource server, and an OAuth 1.0a server. They speak only through
//! `http::Request` and `http::Response`, so the client code that talks to
//! them is the very code that talks to real providers.

pub mod authorization_server;
pub mod keys;
pub mod oauth1_server;
pub mod resource_server;
pub mod rng;
pub mod world;

pub use world::World;

/// Where each mock role lives. Only the world routes these; nothing is
/// ever sent to these hosts.
pub const AUTHORIZATION_SERVER: &str = "https://as.mock.example";
pub const RESOURCE_SERVER: &str = "https://api.mock.example";
pub const OAUTH1_SERVER: &str = "https://photos.mock.example";
pub const CLIENT_REDIRECT_URI: &str = "https://client.mock.example/callback";

/// A form-encoded request body (or query) as decoded pairs.
pub(crate) fn form_pairs(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect()
}

pub(crate) fn form_value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

pub(crate) fn json_response(status: u16, body: &serde_json::Value) -> crate::http::Response {
    crate::http::Response {
        status,
        headers: vec![
            ("Content-Type".to_owned(), "application/json".to_owned()),
            ("Cache-Control".to_owned(), "no-store".to_owned()),
        ],
        body: body.to_string(),
    }
}
