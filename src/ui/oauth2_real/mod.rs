//! OAuth 2.0 against a real provider: discovery, the authorization request
//! by redirect or popup, the callback checks, and every token operation by
//! `fetch`, each shown raw. When the browser is blocked, the page says so,
//! hands out the curl command and takes the pasted response.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};

use crate::http::{Request, Response};
use crate::jose::{Token, decode};
use crate::oauth2::authorization::{
    AuthorizationSettings, Pkce, RandomOctets, authorization_request,
};
use crate::oauth2::bearer::{
    check_userinfo_subject, process_resource_response, process_userinfo_response, resource_request,
    userinfo_request,
};
use crate::oauth2::callback::{
    AuthorizationResponseChecks, ResponseMode, ValidatedAuthorizationResponse,
    validate_authorization_response,
};
use crate::oauth2::device::{
    DeviceAuthorization, DevicePolling, PollAction, StopReason, device_authorization_request,
    process_device_authorization_response,
};
use crate::oauth2::error::Error;
use crate::oauth2::introspection::{introspection_request, process_introspection_response};
use crate::oauth2::metadata::{
    ClientSecretRequirement, DiscoveryKind, PRESETS, Preset, ProviderMetadata, TokenEndpointCors,
    discovery_request, preset, process_discovery_response,
};
use crate::oauth2::pkce::CodeVerifier;
use crate::oauth2::revocation::{TokenTypeHint, process_revocation_response, revocation_request};
use crate::oauth2::token::{
    ClientAuthentication, TokenResponse, authorization_code_grant_request,
    device_code_grant_request, process_token_response, refresh_token_grant_request,
};
use crate::oauth2::{ClientSecret, SettingsError};

use crate::ui::components::{CopyButton, FieldError};
use crate::ui::route::Route;
use crate::ui::state::{FlowTokens, SharedTokens, kept};
use crate::ui::transport::send;

mod device;
mod exchange_view;
mod front_channel;
mod settings;
mod token_operations;

use device::DevicePanel;
use exchange_view::{ExchangeView, describe, exchange, judged_paste, unbuilt};
use front_channel::{
    AuthorizationPanel, CallbackPanel, forget_awaiting, handle_callback, resume_awaiting,
};
use settings::{ClientForm, ProviderForm, client_authentication};
use token_operations::{TokenPanel, publish};

const PENDING_PREFIX: &str = "oauth-playground.pending.";
const USED_PREFIX: &str = "oauth-playground.used.";
const AWAITING_KEY: &str = "oauth-playground.awaiting-exchange";
const CONFIG_KEY: &str = "oauth-playground.real-config";

/// Everything the user configures. Kept in sessionStorage across the
/// redirect, so it lives only as long as the tab.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Config {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub userinfo_endpoint: String,
    pub revocation_endpoint: String,
    pub introspection_endpoint: String,
    pub device_authorization_endpoint: String,
    pub jwks_uri: String,
    pub iss_supported: bool,
    pub client_id: String,
    #[serde(default)]
    pub client_secret: String,
    pub client_auth: String,
    pub redirect_uri: String,
    pub scope: String,
    pub pkce: String,
    pub wrong_verifier: bool,
    #[serde(default)]
    pub response_mode: String,
    #[serde(default)]
    pub prompt: String,
    #[serde(default)]
    pub login_hint: String,
    /// Further authorization parameters, one `name=value` per line.
    #[serde(default)]
    pub extra: String,
}

// The client secret must not reach a log through `{:?}`.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("client_auth", &self.client_auth)
            .finish_non_exhaustive()
    }
}

/// A flow waiting for its callback, saved under its `state`.
#[derive(Clone, Serialize, Deserialize)]
struct Pending {
    config: Config,
    state: Option<String>,
    code_verifier: Option<String>,
    nonce: Option<String>,
    redirect_uri: Option<String>,
    requested_scope: Option<String>,
    response_mode: String,
}

fn session() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn default_redirect_uri() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

fn random(octets: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; octets];
    // A failure leaves zeros, which the core refuses as too weak to use.
    let _ = getrandom::fill(&mut bytes);
    bytes
}

fn now() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// One exchange as shown: the request, then its response or why none came.
#[derive(Clone, PartialEq)]
pub struct Shown {
    request: Request,
    outcome: Result<Response, String>,
    /// When the browser was blocked: the response the user ran and pasted.
    pasted: Option<Response>,
    verdict: Option<String>,
}

/// The callback URL, when this page load is the redirect back from the
/// authorization server: `state` with `code` or `error`, in the query or
/// the fragment.
pub fn callback_url() -> Option<String> {
    let location = window().location();
    let href = location.href().ok()?;
    let query = location.search().unwrap_or_default();
    let fragment = location.hash().unwrap_or_default();
    let looks_like =
        |part: &str| part.contains("state=") && (part.contains("code=") || part.contains("error="));
    (looks_like(&query) || looks_like(&fragment)).then_some(href)
}

/// A popup hands the callback to the page that opened it, then closes.
pub fn forward_from_popup(url: &str) -> bool {
    let Ok(opener) = window().opener() else {
        return false;
    };
    if opener.is_null() || opener.is_undefined() {
        return false;
    }
    let origin = window().location().origin().unwrap_or_default();
    // The opener's window comes from another page's globals, so an
    // `instanceof Window` check would fail; it is a window all the same.
    let opener: web_sys::Window = wasm_bindgen::JsCast::unchecked_into(opener);
    if opener.post_message(&url.into(), &origin).is_err() {
        return false;
    }
    let _ = window().close();
    true
}

/// The authorization URL and its parameters: name, value, explanation.
type BuiltRequest = (String, Vec<(String, String, String)>);

/// The page's state, kept for the tab's visit so that leaving the page and
/// coming back finds the flow where it was.
#[derive(Clone, Copy)]
struct Real {
    config: RwSignal<Config>,
    authorization_url: RwSignal<Option<Result<BuiltRequest, String>>>,
    callback: RwSignal<Option<Result<(ValidatedAuthorizationResponse, Pending), String>>>,
    tokens: RwSignal<Option<TokenResponse>>,
    discovery_error: RwSignal<Option<String>>,
    slots: Slots,
    device: DeviceProgress,
    resource_method: RwSignal<String>,
    resource_url: RwSignal<String>,
}

/// The last exchange of each kind, as shown.
#[derive(Clone, Copy)]
struct Slots {
    discovery: RwSignal<Option<Shown>>,
    token: RwSignal<Option<Shown>>,
    refresh: RwSignal<Option<Shown>>,
    userinfo: RwSignal<Option<Shown>>,
    introspect: RwSignal<Option<Shown>>,
    revoke: RwSignal<Option<Shown>>,
    resource: RwSignal<Option<Shown>>,
    device: RwSignal<Option<Shown>>,
    poll: RwSignal<Option<Shown>>,
}

/// Where the device flow stands.
#[derive(Clone, Copy)]
struct DeviceProgress {
    status: RwSignal<Option<String>>,
    user_code: RwSignal<Option<(String, String)>>,
    /// Bumped by every start, so that an older polling loop stops.
    generation: RwSignal<u32>,
}

impl Real {
    fn new() -> Real {
        let slot = || RwSignal::new(None);
        Real {
            config: RwSignal::new(Config {
                redirect_uri: default_redirect_uri(),
                scope: "openid profile offline_access".to_owned(),
                pkce: "S256".to_owned(),
                client_auth: "none".to_owned(),
                ..Config::default()
            }),
            authorization_url: RwSignal::new(None),
            callback: RwSignal::new(None),
            tokens: RwSignal::new(None),
            discovery_error: RwSignal::new(None),
            slots: Slots {
                discovery: slot(),
                token: slot(),
                refresh: slot(),
                userinfo: slot(),
                introspect: slot(),
                revoke: slot(),
                resource: slot(),
                device: slot(),
                poll: slot(),
            },
            device: DeviceProgress {
                status: RwSignal::new(None),
                user_code: RwSignal::new(None),
                generation: RwSignal::new(0),
            },
            resource_method: RwSignal::new("GET".to_owned()),
            resource_url: RwSignal::new(String::new()),
        }
    }
}

fn saved_config() -> Option<Config> {
    let json = session()?.get_item(CONFIG_KEY).ok().flatten()?;
    serde_json::from_str(&json).ok()
}

/// The provider settings and, below them, either the authorization code
/// flow or (with `device`) the device authorization grant; both pages share
/// the settings kept for the tab.
#[component]
pub fn RealProvider(returned: Option<String>, #[prop(optional)] device: bool) -> impl IntoView {
    // Made on the first visit only: the callback in the page's address is
    // checked once, however often the user comes back to this page.
    let real = kept(move || {
        let real = Real::new();
        // The settings survive a reload of this tab, and only this tab.
        if let Some(saved) = saved_config() {
            real.config.set(saved);
        }
        match returned {
            Some(url) => handle_callback(real, &url),
            None => resume_awaiting(real),
        }
        real
    });
    Effect::new(move |_| {
        if let (Some(storage), Ok(json)) = (session(), serde_json::to_string(&real.config.get())) {
            let _ = storage.set_item(CONFIG_KEY, &json);
        }
    });
    let listener =
        window_event_listener(leptos::ev::message, move |event: web_sys::MessageEvent| {
            let same_origin = event.origin() == window().location().origin().unwrap_or_default();
            if let (true, Some(url)) = (same_origin, event.data().as_string()) {
                handle_callback(real, &url);
            }
        });
    on_cleanup(move || listener.remove());

    let flow = if device {
        view! {
            <DevicePanel real=real />
            <TokenPanel real=real />
        }
        .into_any()
    } else {
        view! {
            <AuthorizationPanel real=real />
            <CallbackPanel real=real />
            <TokenPanel real=real />
            <p class="muted">
                "For a device without a browser, the "
                <a href=Route::OAuth2Device.href()>"device flow page"</a>
                " runs the device authorization grant with these settings."
            </p>
        }
        .into_any()
    };

    view! {
        <section class="panel">
            <h1>{if device { "Device flow with your provider" } else { "OAuth 2.0 with your provider" }}</h1>
            <p class="lead">
                "A public client run from this page. Requests go from your browser straight \
                 to the provider; secrets stay in this tab's session storage and leave only to the \
                 provider they belong to."
            </p>
            <ProviderForm real=real />
            <ClientForm real=real device=device />
            {flow}
        </section>
    }
}
