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
    /// The clock the tokens were issued by: the mock world's, which a
    /// fixed start time keeps reproducible.
    pub now: i64,
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
