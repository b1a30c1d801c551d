//! State shared between sections: the tokens the last flow obtained, so the
//! tokens view can explain them. Kept in memory only, never stored.

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
