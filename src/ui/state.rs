//! State shared between sections: the tokens the last flow obtained, so the
//! tokens view can explain them, and the state each page keeps while the
//! user visits others. Kept in memory only, never stored.

use leptos::prelude::*;

#[derive(Clone, PartialEq)]
pub struct FlowTokens {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub id_token: Option<String>,
    pub jwks: Option<serde_json::Value>,
    pub issuer: String,
    pub client_id: String,
    pub nonce: Option<String>,
    /// For mock tokens, the mock world's clock when they were issued (a
    /// fixed start keeps runs reproducible); `None` for real tokens, which
    /// are judged by this browser's clock.
    pub world_clock: Option<i64>,
}

// Tokens are secrets: `Debug` names what is there, not the values.
impl std::fmt::Debug for FlowTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "FlowTokens(issuer {}, client {})",
            self.issuer, self.client_id
        )
    }
}

pub type SharedTokens = RwSignal<Option<FlowTokens>>;

/// The app's own owner, under which page state is created so that it
/// outlives the page: leaving a page and coming back finds it as it was.
#[derive(Clone)]
struct Keeper(Owner);

/// Called once by the app, with its owner current.
pub fn provide_keeper() {
    if let Some(owner) = Owner::current() {
        provide_context(Keeper(owner));
    }
}

/// The page state of type `T`, made by `make` on the first visit and the
/// same on every later one. Each page keeps its own type, since state is
/// found by type.
pub fn kept<T: Clone + Send + Sync + 'static>(make: impl FnOnce() -> T) -> T {
    if let Some(existing) = use_context::<T>() {
        return existing;
    }
    match use_context::<Keeper>() {
        Some(Keeper(owner)) => owner.with(|| {
            let value = make();
            provide_context(value.clone());
            value
        }),
        None => make(),
    }
}
