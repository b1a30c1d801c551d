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

use super::components::{CopyButton, FieldError};
use super::route::Route;
use super::state::{FlowTokens, SharedTokens, kept};
use super::transport::send;

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
            <ClientForm real=real />
            {flow}
        </section>
    }
}

/// A text input bound to one field of the config.
#[component]
fn ConfigField(
    real: Real,
    label: &'static str,
    id: &'static str,
    get: fn(&Config) -> &String,
    set: fn(&mut Config, String),
    /// Masked on screen, so that a screenshot or a shared screen keeps it.
    #[prop(optional)]
    secret: bool,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input id=id type=if secret { "password" } else { "text" } spellcheck="false" autocomplete="off"
                prop:value=move || real.config.with(|c| get(c).clone())
                on:input=move |ev| real.config.update(|c| set(c, event_target_value(&ev))) />
        </div>
    }
}

/// Copies the endpoints of discovered or preset metadata into the settings.
fn apply_metadata(real: Real, metadata: &ProviderMetadata) {
    real.config.update(|c| {
        let take = |v: &Option<String>| v.clone().unwrap_or_default();
        c.authorization_endpoint = take(&metadata.authorization_endpoint);
        c.token_endpoint = take(&metadata.token_endpoint);
        c.userinfo_endpoint = take(&metadata.userinfo_endpoint);
        c.revocation_endpoint = take(&metadata.revocation_endpoint);
        c.introspection_endpoint = take(&metadata.introspection_endpoint);
        c.device_authorization_endpoint = take(&metadata.device_authorization_endpoint);
        c.jwks_uri = take(&metadata.jwks_uri);
        c.iss_supported = metadata.authorization_response_iss_parameter_supported;
    });
}

/// Judges a metadata response and, when it is good, takes its endpoints.
fn accept_metadata(real: Real, response: &Response, issuer: &str) -> Option<String> {
    match process_discovery_response(response, issuer) {
        Ok(metadata) => {
            apply_metadata(real, &metadata);
            real.discovery_error.set(None);
            None
        }
        Err(error) => {
            let message = describe(&error);
            real.discovery_error.set(Some(message.clone()));
            Some(message)
        }
    }
}

/// OpenID Connect discovery first; a 404 there tries the RFC 8414
/// location, which plain OAuth servers use.
async fn run_discovery(real: Real, issuer: String) {
    let mut shown = None;
    for kind in [
        DiscoveryKind::OpenIdConfiguration,
        DiscoveryKind::OAuthAuthorizationServer,
    ] {
        let request = match discovery_request(&issuer, kind) {
            Ok(request) => request,
            Err(error) => return real.discovery_error.set(Some(error.to_string())),
        };
        let outcome = send(&request).await.map_err(|blocked| blocked.reason);
        let not_found = matches!(&outcome, Ok(response) if response.status == 404);
        shown = Some((request, outcome));
        if !not_found {
            break;
        }
    }
    let Some((request, outcome)) = shown else {
        return;
    };

    let verdict = match &outcome {
        Ok(response) => accept_metadata(real, response, &issuer),
        Err(reason) => {
            real.discovery_error.set(Some(format!(
                "The browser could not reach {} ({reason}): nothing answered there, or the provider does not let this page's origin read its metadata (CORS). Check the issuer; run the curl command below and paste its output; or type the endpoints by hand.",
                request.url
            )));
            None
        }
    };
    real.slots.discovery.set(Some(Shown {
        request,
        outcome,
        pasted: None,
        verdict,
    }));
}

#[component]
fn ProviderForm(real: Real) -> impl IntoView {
    let discover = move |_| {
        let issuer = real.config.with_untracked(|c| c.issuer.trim().to_owned());
        spawn_local(run_discovery(real, issuer));
    };
    let on_pasted = judged_paste(real.slots.discovery, move |response| {
        let issuer = real.config.with_untracked(|c| c.issuer.trim().to_owned());
        accept_metadata(real, response, &issuer)
    });

    view! {
        <fieldset>
            <legend>"Provider"</legend>
            <Presets real=real />
            <div class="row with-button">
                <ConfigField real=real label="Issuer" id="rp-issuer" get=|c| &c.issuer set=|c, v| c.issuer = v />
                <button type="button" on:click=discover>"Discover"</button>
            </div>
            <FieldError message=real.discovery_error id="rp-issuer-error" />
            <details class="paste">
                <summary>"Discovery messages"</summary>
                <ExchangeView shown=real.slots.discovery title="Discovery" name="discovery" on_pasted=on_pasted />
            </details>
            <div class="row">
                <ConfigField real=real label="Authorization endpoint" id="rp-authz" get=|c| &c.authorization_endpoint set=|c, v| c.authorization_endpoint = v />
                <ConfigField real=real label="Token endpoint" id="rp-token" get=|c| &c.token_endpoint set=|c, v| c.token_endpoint = v />
            </div>
            <details>
                <summary>"More endpoints"</summary>
                <div class="row">
                    <ConfigField real=real label="Userinfo endpoint" id="rp-userinfo" get=|c| &c.userinfo_endpoint set=|c, v| c.userinfo_endpoint = v />
                    <ConfigField real=real label="Revocation endpoint" id="rp-revocation" get=|c| &c.revocation_endpoint set=|c, v| c.revocation_endpoint = v />
                </div>
                <div class="row">
                    <ConfigField real=real label="Introspection endpoint" id="rp-introspection" get=|c| &c.introspection_endpoint set=|c, v| c.introspection_endpoint = v />
                    <ConfigField real=real label="Device authorization endpoint" id="rp-device" get=|c| &c.device_authorization_endpoint set=|c, v| c.device_authorization_endpoint = v />
                </div>
                <ConfigField real=real label="JWKS URI" id="rp-jwks" get=|c| &c.jwks_uri set=|c, v| c.jwks_uri = v />
            </details>
        </fieldset>
    }
}

/// Well-known providers: endpoints filled from a template, and what each
/// requires before a browser flow can work.
#[component]
fn Presets(real: Real) -> impl IntoView {
    let chosen = RwSignal::new(None::<&'static Preset>);
    let values = RwSignal::new(Vec::<(&'static str, String)>::new());
    let error = RwSignal::new(None::<String>);

    let choose = move |ev| {
        let preset = preset(&event_target_value(&ev));
        values.set(
            preset
                .map(|p| {
                    p.placeholders
                        .iter()
                        .map(|ph| (ph.name, String::new()))
                        .collect()
                })
                .unwrap_or_default(),
        );
        chosen.set(preset);
        error.set(None);
    };
    let apply = move |_| {
        let Some(preset) = chosen.get_untracked() else {
            return;
        };
        let filled = values.get_untracked();
        let pairs: Vec<(&str, &str)> = filled.iter().map(|(n, v)| (*n, v.as_str())).collect();
        match preset.metadata(&pairs) {
            Err(e) => error.set(Some(e.to_string())),
            Ok(metadata) => {
                error.set(None);
                apply_metadata(real, &metadata);
                real.config.update(|c| {
                    c.issuer = metadata.issuer.clone().unwrap_or_default();
                    c.scope = preset.default_scope.to_owned();
                });
            }
        }
    };

    view! {
        <div class="row with-button">
            <div class="field">
                <label for="rp-preset">"Preset"</label>
                <select id="rp-preset" on:change=choose>
                    <option value="">"Custom (type the issuer)"</option>
                    {PRESETS.iter().map(|p| view! { <option value=p.id>{p.name}</option> }).collect_view()}
                </select>
            </div>
            {move || values.get().into_iter().enumerate().map(|(index, (name, value))| {
                let label = chosen.get().and_then(|p| p.placeholders.iter().find(|ph| ph.name == name)).map(|ph| (ph.label, ph.example)).unwrap_or((name, ""));
                view! {
                    <div class="field">
                        <label for=format!("rp-ph-{name}")>{label.0}</label>
                        <input id=format!("rp-ph-{name}") type="text" placeholder=label.1 prop:value=value
                            on:input=move |ev| values.update(|list| if let Some(slot) = list.get_mut(index) { slot.1 = event_target_value(&ev); }) />
                    </div>
                }
            }).collect_view()}
            <Show when=move || chosen.get().is_some()>
                <button type="button" class="secondary" on:click=apply>"Use this preset"</button>
            </Show>
        </div>
        <FieldError message=error id="rp-preset-error" />
        {move || chosen.get().map(|p| {
            let cors = match p.requirements.token_endpoint_cors {
                TokenEndpointCors::Allowed => "Its token endpoint answers browsers.",
                TokenEndpointCors::RegisteredOrigins => "Its token endpoint answers browsers from registered origins only: register this page's origin.",
                TokenEndpointCors::Blocked => "Its token endpoint refuses browsers (no CORS): the playground will give you a curl command for the token request.",
            };
            let secret = match p.requirements.client_secret {
                ClientSecretRequirement::Required => "It requires a client secret even with PKCE.",
                ClientSecretRequirement::ConfidentialClientsOnly => "Single-page apps use PKCE without a secret.",
            };
            view! { <p class="notice">{format!("{} {} {} Register the redirect URI below exactly.", p.requirements.note, cors, secret)}</p> }
        })}
    }
}

#[component]
fn ClientForm(real: Real) -> impl IntoView {
    let select = move |id: &'static str,
                       label: &'static str,
                       options: &'static [&'static str],
                       get: fn(&Config) -> &String,
                       set: fn(&mut Config, String)| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id prop:value=move || real.config.with(|c| get(c).clone())
                    on:change=move |ev| real.config.update(|c| set(c, event_target_value(&ev)))>
                    {options.iter().map(|o| view! { <option value=*o>{if o.is_empty() { "(server's default)" } else { *o }}</option> }).collect_view()}
                </select>
            </div>
        }
    };
    view! {
        <fieldset>
            <legend>"Client"</legend>
            <div class="row">
                <ConfigField real=real label="Client ID" id="rp-client-id" get=|c| &c.client_id set=|c, v| c.client_id = v />
                <ConfigField real=real label="Client secret (optional)" id="rp-client-secret" get=|c| &c.client_secret set=|c, v| c.client_secret = v secret=true />
                {select("rp-client-auth", "Client authentication", &["none", "client_secret_post", "client_secret_basic"], |c| &c.client_auth, |c, v| c.client_auth = v)}
            </div>
            <div class="row">
                <ConfigField real=real label="Redirect URI" id="rp-redirect" get=|c| &c.redirect_uri set=|c, v| c.redirect_uri = v />
                <ConfigField real=real label="Scope" id="rp-scope" get=|c| &c.scope set=|c, v| c.scope = v />
                {select("rp-pkce", "PKCE", &["S256", "plain", "none"], |c| &c.pkce, |c, v| c.pkce = v)}
            </div>
            <details>
                <summary>"More parameters"</summary>
                <div class="row">
                    {select("rp-response-mode", "Response mode", &["", "query", "fragment"], |c| &c.response_mode, |c, v| c.response_mode = v)}
                    <ConfigField real=real label="Prompt" id="rp-prompt" get=|c| &c.prompt set=|c, v| c.prompt = v />
                    <ConfigField real=real label="Login hint" id="rp-login-hint" get=|c| &c.login_hint set=|c, v| c.login_hint = v />
                </div>
                <div class="field">
                    <label for="rp-extra">"Extra parameters (name=value, one per line)"</label>
                    <textarea id="rp-extra" rows="2" spellcheck="false"
                        prop:value=move || real.config.with(|c| c.extra.clone())
                        on:input=move |ev| real.config.update(|c| c.extra = event_target_value(&ev))></textarea>
                </div>
            </details>
            <p class="muted">"Register the redirect URI above with your provider, exactly as shown."</p>
            <label class="check">
                <input type="checkbox" prop:checked=move || real.config.with(|c| c.wrong_verifier)
                    on:change=move |ev| real.config.update(|c| c.wrong_verifier = event_target_checked(&ev)) />
                "Send a wrong code_verifier (to test the server)"
            </label>
        </fieldset>
    }
}

fn client_authentication(config: &Config) -> ClientAuthentication {
    let client_id = config.client_id.trim().to_owned();
    let client_secret = ClientSecret::new(config.client_secret.clone());
    match config.client_auth.as_str() {
        "client_secret_post" => ClientAuthentication::ClientSecretPost {
            client_id,
            client_secret,
        },
        "client_secret_basic" => ClientAuthentication::ClientSecretBasic {
            client_id,
            client_secret,
        },
        _ => ClientAuthentication::None { client_id },
    }
}

/// Builds the request and saves the pending flow under its state.
fn build_authorization(real: Real) -> Result<BuiltRequest, SettingsError> {
    let config = real.config.get_untracked();
    let mut settings = AuthorizationSettings::new(
        config.authorization_endpoint.trim(),
        config.client_id.trim(),
    );
    settings.redirect_uri = Some(config.redirect_uri.clone());
    settings.scope = Some(config.scope.clone());
    settings.pkce = match config.pkce.as_str() {
        "plain" => Pkce::Plain,
        "none" => Pkce::Disabled,
        _ => Pkce::S256,
    };
    settings.send_nonce = config.scope.split(' ').any(|s| s == "openid");
    settings.issuer = Some(config.issuer.trim().to_owned()).filter(|i| !i.is_empty());
    settings.authorization_response_iss_parameter_supported = config.iss_supported;
    settings.response_mode = ResponseMode::from_name(config.response_mode.trim());
    let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    settings.prompt = optional(&config.prompt);
    settings.login_hint = optional(&config.login_hint);
    settings.extra_parameters = extra_parameters(&config.extra)?;

    let (state, nonce, verifier) = (random(16), random(16), random(32));
    let expect = authorization_request(
        &settings,
        RandomOctets {
            state: &state,
            nonce: &nonce,
            code_verifier: &verifier,
        },
    )?;
    let pending = Pending {
        config,
        state: expect.checks.expected_state.clone(),
        code_verifier: expect.code_verifier.as_ref().map(|v| v.secret().to_owned()),
        nonce: expect.nonce.clone(),
        redirect_uri: expect.redirect_uri.clone(),
        requested_scope: expect.requested_scope.clone(),
        response_mode: expect.checks.response_mode.name().to_owned(),
    };
    save_pending(&pending);
    forget_awaiting();
    let table = expect
        .parameters
        .iter()
        .map(|p| {
            (
                p.name.clone(),
                p.value.clone(),
                format!("{} ({})", p.explanation, p.section),
            )
        })
        .collect();
    Ok((expect.url, table))
}

/// `name=value` lines; blank lines are skipped.
fn extra_parameters(text: &str) -> Result<Vec<(String, String)>, SettingsError> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| match line.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_owned(), value.trim().to_owned()))
            }
            _ => Err(SettingsError::new(
                "extra parameters",
                format!("\"{line}\" is not name=value"),
                "write one parameter per line, such as audience=https://api.example.com",
            )),
        })
        .collect()
}

#[component]
fn AuthorizationPanel(real: Real) -> impl IntoView {
    let build = move |_| {
        // A new flow: what the last one returned no longer applies.
        real.callback.set(None);
        real.slots.token.set(None);
        real.authorization_url
            .set(Some(build_authorization(real).map_err(|e| e.to_string())))
    };
    let url = move || {
        real.authorization_url.with(|u| {
            u.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|(url, _)| url.clone())
        })
    };
    let open_here = move |_| {
        if let Some(url) = url() {
            let _ = window().location().assign(&url);
        }
    };
    let open_popup = move |_| {
        if let Some(url) = url() {
            let _ = window().open_with_url_and_target_and_features(
                &url,
                "oauth-playground",
                "width=520,height=680",
            );
        }
    };
    let error = Signal::derive(move || {
        real.authorization_url
            .with(|u| u.as_ref().and_then(|r| r.as_ref().err().cloned()))
    });

    view! {
        <div class="step">
            <button type="button" on:click=build>"Build authorization request"</button>
            <FieldError message=error id="rp-authorization-error" />
            {move || url().map(|u| {
                let copy = Signal::stored(u.clone());
                let rows = real.authorization_url.with(|r| r.as_ref().and_then(|r| r.as_ref().ok()).map(|(_, t)| t.clone()).unwrap_or_default());
                view! {
                    <div class="step-head"><h3>"Authorization request"</h3><CopyButton text=copy label="authorization URL" /></div>
                    <pre class="wire" data-testid="authorization-url">{u}</pre>
                    <div class="table-scroll">
                        <table class="params kv">
                            <tbody>
                                {rows.into_iter().map(|(name, value, why)| view! {
                                    <tr><td class="mono">{name}</td><td class="mono">{value}</td><td>{why}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="flow-controls">
                        <button type="button" on:click=open_here>"Open here"</button>
                        <button type="button" class="secondary" on:click=open_popup>"Open in a popup"</button>
                    </div>
                }
            })}
        </div>
    }
}

/// Validates a returned callback against the pending flow of its state.
fn handle_callback(real: Real, url: &str) {
    let state = url::Url::parse(url).ok().and_then(|u| {
        let from_query = u
            .query_pairs()
            .find(|(n, _)| n == "state")
            .map(|(_, v)| v.into_owned());
        from_query.or_else(|| {
            let fragment = u.fragment().unwrap_or("");
            url::form_urlencoded::parse(fragment.as_bytes())
                .find(|(n, _)| n == "state")
                .map(|(_, v)| v.into_owned())
        })
    });
    let lookup = state.as_deref().map(take_pending);
    // Remove the code from the address bar, keeping the section.
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{}#/oauth2", default_redirect_uri())),
        );
    }

    let pending = match lookup {
        Some(Lookup::Found(pending)) => *pending,
        None => return real.callback.set(Some(Err(
            "state_missing: this URL carries no state parameter. Paste the whole URL the provider redirected to, query or fragment included.".to_owned(),
        ))),
        Some(Lookup::Used) => return real.callback.set(Some(Err(
            "state_reused: this callback was already checked in this tab, and a state is good for one response. A second use is what a replayed or stolen redirect looks like; build a new authorization request.".to_owned(),
        ))),
        Some(Lookup::Unknown) => return real.callback.set(Some(Err(
            "state_mismatch: no flow started in this tab has this state. Either the response was forged (CSRF) or it belongs to another tab; start again.".to_owned(),
        ))),
    };
    real.config.set(pending.config.clone());
    let result = match validate_against(url, &pending) {
        Ok(validated) => {
            save_awaiting(url, &pending);
            Ok((validated, pending))
        }
        Err(error) => {
            // Our own checks refused this URL; the genuine response may
            // still come, so its state stays good for it.
            if matches!(error, Error::Rejected(_)) {
                save_pending(&pending);
            }
            Err(describe(&error))
        }
    };
    real.callback.set(Some(result));
}

fn validate_against(url: &str, pending: &Pending) -> Result<ValidatedAuthorizationResponse, Error> {
    let checks = AuthorizationResponseChecks {
        expected_state: pending.state.clone(),
        response_mode: ResponseMode::from_name(&pending.response_mode)
            .unwrap_or(ResponseMode::Query),
        expected_issuer: Some(pending.config.issuer.trim().to_owned()).filter(|i| !i.is_empty()),
        iss_parameter_supported: pending.config.iss_supported,
    };
    validate_authorization_response(url, &checks)
}

/// A checked callback whose code is not yet exchanged, kept for the tab so
/// that a reload in between does not lose it.
#[derive(Serialize, Deserialize)]
struct Awaiting {
    url: String,
    pending: Pending,
}

fn save_awaiting(url: &str, pending: &Pending) {
    let awaiting = Awaiting {
        url: url.to_owned(),
        pending: pending.clone(),
    };
    if let (Some(storage), Ok(json)) = (session(), serde_json::to_string(&awaiting)) {
        let _ = storage.set_item(AWAITING_KEY, &json);
    }
}

fn forget_awaiting() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(AWAITING_KEY);
    }
}

/// After a reload: the callback checked before it, ready to exchange.
fn resume_awaiting(real: Real) {
    let Some(awaiting) = session()
        .and_then(|storage| storage.get_item(AWAITING_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str::<Awaiting>(&json).ok())
    else {
        return;
    };
    if let Ok(validated) = validate_against(&awaiting.url, &awaiting.pending) {
        real.config.set(awaiting.pending.config.clone());
        real.callback.set(Some(Ok((validated, awaiting.pending))));
    }
}

/// Saves a flow under its state, where its callback will look for it.
fn save_pending(pending: &Pending) {
    let (Some(storage), Some(state)) = (session(), &pending.state) else {
        return;
    };
    if let Ok(json) = serde_json::to_string(pending) {
        let _ = storage.set_item(&format!("{PENDING_PREFIX}{state}"), &json);
        let _ = storage.remove_item(&format!("{USED_PREFIX}{state}"));
    }
}

/// What the user pasted as the callback: a whole URL, or only its
/// parameters, which are then read as the redirect URI's query (or
/// fragment, after a `#`).
fn pasted_callback_url(text: &str) -> String {
    let text = text.trim();
    // Parameters such as iss=https://... hold "://" too: only a text that
    // parses as a web URL is one.
    if url::Url::parse(text).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
        return text.to_owned();
    }
    match text.strip_prefix('#') {
        Some(fragment) => format!("{}#{fragment}", default_redirect_uri()),
        None => format!(
            "{}?{}",
            default_redirect_uri(),
            text.trim_start_matches('?')
        ),
    }
}

/// What this tab knows of a returned `state`.
enum Lookup {
    Found(Box<Pending>),
    Used,
    Unknown,
}

/// The pending flow of `state`, taken out of storage: a state answers one
/// authorization response, so a second callback with it is refused.
fn take_pending(state: &str) -> Lookup {
    let Some(storage) = session() else {
        return Lookup::Unknown;
    };
    let key = format!("{PENDING_PREFIX}{state}");
    let used = format!("{USED_PREFIX}{state}");
    let pending = storage
        .get_item(&key)
        .ok()
        .flatten()
        .and_then(|json| serde_json::from_str::<Pending>(&json).ok());

    match pending {
        Some(pending) => {
            let _ = storage.remove_item(&key);
            let _ = storage.set_item(&used, "");
            Lookup::Found(Box::new(pending))
        }
        None if storage.get_item(&used).ok().flatten().is_some() => Lookup::Used,
        None => Lookup::Unknown,
    }
}

/// The error with its reason code first, so it can be looked up.
fn describe(error: &Error) -> String {
    match error {
        Error::Server(response) => {
            let explanation = response
                .explanation()
                .map(|e| format!(" {}", e.text))
                .unwrap_or_default();
            let more = response
                .error_uri
                .as_ref()
                .map(|uri| format!(" The server's page on it: {uri}"))
                .unwrap_or_default();
            format!(
                "{}: {}{}{}",
                response.error,
                response.error_description.clone().unwrap_or_default(),
                explanation,
                more
            )
        }
        // The rejection's own text starts with its reason code.
        Error::Rejected(rejection) => {
            format!("{rejection}. {}", rejection.reason.explanation())
        }
        Error::Settings(settings) => settings.to_string(),
    }
}

#[component]
fn CallbackPanel(real: Real) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    view! {
        <details class="paste">
            <summary>"The provider cannot redirect here? Paste the callback URL"</summary>
            <div class="field">
                <label for="rp-callback-paste">"Callback URL (with code and state)"</label>
                <input id="rp-callback-paste" type="text" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev)) />
                <button type="button" on:click=move |_| handle_callback(real, &pasted_callback_url(&pasted.get_untracked()))>"Check this callback"</button>
            </div>
        </details>
        <CallbackResult real=real />
    }
}

#[component]
fn CallbackResult(real: Real) -> impl IntoView {
    move || {
        real.callback.get().map(|result| {
            let (class, text) = match &result {
Ok((validated, _)) => ("ok", format!(
                    "Authorization code received. Checked: state {}, iss {}.",
                    if validated.state.is_some() { "matches the one sent" } else { "not used" },
                    if validated.iss.is_some() { "is the expected issuer" } else { "not sent by the server" }
                )),
                Err(message) => ("bad", message.clone()),
            };
            view! { <p class=format!("verdict-line {class}") data-testid="callback-result">{text}</p> }
        })
    }
}

/// Sends a request and shows it; `process` judges the response.
fn exchange(
    slot: RwSignal<Option<Shown>>,
    request: Request,
    process: impl Fn(&Response) -> Option<String> + 'static,
) {
    spawn_local(async move {
        let outcome = send(&request).await.map_err(|blocked| blocked.reason);
        let verdict = outcome.as_ref().ok().and_then(&process);
        slot.set(Some(Shown {
            pasted: None,
            request,
            outcome,
            verdict,
        }));
    });
}

/// What the user pasted: `curl -i` output, or only the body (taken as a
/// 200 JSON response); the processing that follows judges it like any other.
fn pasted_response(pasted: RwSignal<String>) -> Response {
    Response::from_pasted(&pasted.get_untracked())
}

/// A pasted response goes through the same judgement a fetched one would,
/// and is shown beside the request it answers.
fn judged_paste(
    slot: RwSignal<Option<Shown>>,
    process: impl Fn(&Response) -> Option<String> + Send + Sync + 'static,
) -> Callback<Response> {
    Callback::new(move |response: Response| {
        let verdict = process(&response);
        slot.update(|slot| {
            if let Some(shown) = slot {
                shown.pasted = Some(response);
                shown.verdict = verdict;
            }
        });
    })
}

/// A request that could not even be built: its settings error, shown in
/// the exchange's place.
fn unbuilt(slot: RwSignal<Option<Shown>>, error: &SettingsError) {
    slot.set(Some(Shown {
        pasted: None,
        request: Request {
            method: String::new(),
            url: String::new(),
            headers: vec![],
            body: None,
        },
        outcome: Err(error.to_string()),
        verdict: None,
    }));
}

#[component]
fn ExchangeView(
    shown: RwSignal<Option<Shown>>,
    title: &'static str,
    name: &'static str,
    on_pasted: Callback<Response>,
) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    view! {
        {move || shown.get().map(|shown| {
            if shown.request.url.is_empty() {
                let reason = shown.outcome.err().unwrap_or_default();
                return view! {
                    <div class="exchange-box" data-testid=format!("exchange-{name}")>
                        <h3 class="exchange-title">{title}</h3>
                        <p class="field-error" role="alert">{format!("Not sent: {reason}")}</p>
                    </div>
                }.into_any();
            }
            let request_text = shown.request.raw();
            let curl = shown.request.curl();
            let response = match shown.outcome {
                Ok(response) => view! { <pre class="wire" data-testid="raw-response">{response.raw()}</pre> }.into_any(),
                Err(reason) => {
                    let copy = Signal::stored(curl.clone());
                    view! {
                        <div class="blocked" data-testid="blocked">
                            {format!("The browser could not reach {} ({reason}). Browsers hide whether the provider refused this page's origin (CORS) or the network failed. Run the request yourself and paste what it prints below (the body alone, or all of curl -i's output).", shown.request.url)}
                        </div>
                        <div class="step-head"><h3>"Equivalent curl"</h3><CopyButton text=copy label="curl command" /></div>
                        <pre class="wire" data-testid="curl">{curl}</pre>
                        <div class="field">
                            <label for=format!("{name}-paste")>"Paste the response body"</label>
                            <textarea id=format!("{name}-paste") rows="4" spellcheck="false"
                                prop:value=move || pasted.get()
                                on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                            <button type="button" on:click=move |_| on_pasted.run(pasted_response(pasted))>"Use this response"</button>
                        </div>
                        {shown.pasted.map(|response| view! {
                            <h3>"Pasted response"</h3>
                            <pre class="wire" data-testid="raw-response">{response.raw()}</pre>
                        })}
                    }.into_any()
                }
            };
            let verdict = shown.verdict.map(|v| view! { <p class="field-error">{v}</p> });
            view! {
                <div class="exchange-box" data-testid=format!("exchange-{name}")>
                    <h3 class="exchange-title">{title}</h3>
                    <h3>"Request"</h3>
                    <pre class="wire" data-testid="raw-request">{request_text}</pre>
                    <h3>"Response"</h3>
                    {response}
                    {verdict}
                </div>
            }.into_any()
        })}
    }
}

#[component]
fn TokenPanel(real: Real) -> impl IntoView {
    let shared = use_context::<SharedTokens>();
    let slots = real.slots;

    // Tokens from the token endpoint, however the response arrived.
    let accept_tokens = move |response: &Response, requested: Option<String>| -> Option<String> {
        match process_token_response(response, requested.as_deref()) {
            Ok(tokens) => {
                // The code is spent; a reload has nothing left to resume.
                forget_awaiting();
                publish(real, shared, &tokens);
                real.tokens.set(Some(tokens));
                None
            }
            Err(error) => Some(describe(&error)),
        }
    };
    let requested_scope = move || {
        real.callback
            .get_untracked()
            .and_then(|c| c.ok())
            .and_then(|(_, p)| p.requested_scope)
    };
    // A refresh that omits `scope` keeps the scope granted before (§6).
    let granted_scope = move || {
        real.tokens
            .with_untracked(|t| t.as_ref().and_then(|t| t.granted_scope.clone()))
    };

    let exchange_code = move |_| {
        let Some(Ok((validated, pending))) = real.callback.get_untracked() else {
            return;
        };
        let config = pending.config.clone();
        let verifier = if config.wrong_verifier {
            CodeVerifier::from_random_octets(&random(32)).ok()
        } else {
            pending
                .code_verifier
                .clone()
                .and_then(|v| CodeVerifier::new(v).ok())
        };
        let request = authorization_code_grant_request(
            config.token_endpoint.trim(),
            &client_authentication(&config),
            &validated,
            pending.redirect_uri.as_deref(),
            verifier.as_ref(),
        );
        match request {
            Ok(request) => exchange(slots.token, request, move |response| {
                accept_tokens(response, requested_scope())
            }),
            Err(error) => real.callback.set(Some(Err(error.to_string()))),
        }
    };
    let refresh = move |_| {
        let (config, Some(tokens)) = (real.config.get_untracked(), real.tokens.get_untracked())
        else {
            return;
        };
        let Some(refresh_token) = tokens.refresh_token.clone() else {
            return;
        };
        match refresh_token_grant_request(
            config.token_endpoint.trim(),
            &client_authentication(&config),
            &refresh_token,
            None,
        ) {
            Ok(request) => {
                let granted = tokens.granted_scope.clone();
                exchange(slots.refresh, request, move |response| {
                    accept_tokens(response, granted.clone())
                });
            }
            Err(error) => unbuilt(slots.refresh, &error),
        }
    };

    // The userinfo must be about the ID token's user (OIDC Core §5.3.2).
    let userinfo_verdict = move |response: &Response| {
        let id_token_sub = real
            .tokens
            .with_untracked(|t| t.as_ref().and_then(id_token_subject));
        userinfo_verdict(response, id_token_sub.as_deref())
    };
    let userinfo = operation(real, slots.userinfo, userinfo_of, userinfo_verdict);
    let introspect = operation(
        real,
        slots.introspect,
        introspection_of,
        introspection_verdict,
    );
    let revoke_access = operation(real, slots.revoke, revoke_access_of, revocation_verdict);
    let revoke_refresh = operation(real, slots.revoke, revoke_refresh_of, revocation_verdict);

    let pasted_token = judged_paste(slots.token, move |response| {
        accept_tokens(response, requested_scope())
    });
    let pasted_refresh = judged_paste(slots.refresh, move |response| {
        accept_tokens(response, granted_scope())
    });

    view! {
        {move || real.callback.get().and_then(|c| c.ok()).map(|_| view! {
            <div class="flow-controls"><button type="button" on:click=exchange_code>"Exchange the code"</button></div>
        })}
        <ExchangeView shown=slots.token title="Token request (authorization code)" name="token" on_pasted=pasted_token />
        {move || real.tokens.get().map(|tokens| {
            let summary = token_summary(&tokens);
            let has_refresh = tokens.refresh_token.is_some();
            view! {
                <div class="step">
                    <h3>"Tokens"</h3>
                    <pre class="wire" data-testid="tokens">{summary}</pre>
                    <p class="muted">"Open the Tokens tab to decode and check them."</p>
                </div>
                <div class="flow-controls">
                    <button type="button" on:click=refresh disabled=move || { !has_refresh }>"Refresh"</button>
                    <button type="button" class="secondary" on:click=userinfo>"Userinfo"</button>
                    <button type="button" class="secondary" on:click=introspect>"Introspect"</button>
                    <button type="button" class="secondary" on:click=revoke_access>"Revoke access token"</button>
                    <button type="button" class="secondary" disabled=move || { !has_refresh } on:click=revoke_refresh>"Revoke refresh token"</button>
                </div>
                <ResourceCall real=real />
            }
        })}
        <ExchangeView shown=slots.refresh title="Refresh" name="refresh" on_pasted=pasted_refresh />
        <ExchangeView shown=slots.userinfo title="Userinfo" name="userinfo" on_pasted=judged_paste(slots.userinfo, userinfo_verdict) />
        <ExchangeView shown=slots.introspect title="Introspection" name="introspect" on_pasted=judged_paste(slots.introspect, introspection_verdict) />
        <ExchangeView shown=slots.revoke title="Revocation" name="revoke" on_pasted=judged_paste(slots.revoke, revocation_verdict) />
        <ExchangeView shown=slots.resource title="API call" name="resource" on_pasted=judged_paste(slots.resource, resource_verdict) />
    }
}

/// A call to any protected resource with the access token (RFC 6750 §2.1).
#[component]
fn ResourceCall(real: Real) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let call = move |_| {
        let Some(tokens) = real.tokens.get_untracked() else {
            return;
        };
        let method = real.resource_method.get_untracked();
        let url = real.resource_url.get_untracked();
        match resource_request(&method, url.trim(), &tokens.access_token) {
            Ok(request) => {
                error.set(None);
                exchange(real.slots.resource, request, resource_verdict);
            }
            Err(settings) => error.set(Some(settings.to_string())),
        }
    };

    view! {
        <div class="row with-button">
            <div class="field narrow">
                <label for="rp-resource-method">"Method"</label>
                <input id="rp-resource-method" type="text" spellcheck="false" autocomplete="off"
                    prop:value=move || real.resource_method.get()
                    on:input=move |ev| real.resource_method.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="rp-resource-url">"API URL (sent the access token as Bearer)"</label>
                <input id="rp-resource-url" type="text" spellcheck="false" autocomplete="off"
                    placeholder="https://api.example.com/me"
                    aria-describedby="rp-resource-error"
                    aria-invalid=move || error.get().is_some().then_some("true")
                    prop:value=move || real.resource_url.get()
                    on:input=move |ev| real.resource_url.set(event_target_value(&ev)) />
            </div>
            <button type="button" class="secondary" on:click=call>"Call the API"</button>
        </div>
        <FieldError message=error id="rp-resource-error" />
    }
}

fn resource_verdict(response: &Response) -> Option<String> {
    process_resource_response(response)
        .err()
        .map(|e| describe(&e))
}

fn userinfo_of(config: &Config, tokens: &TokenResponse) -> Result<Request, SettingsError> {
    userinfo_request(config.userinfo_endpoint.trim(), &tokens.access_token)
}

fn introspection_of(config: &Config, tokens: &TokenResponse) -> Result<Request, SettingsError> {
    let client = client_authentication(config);
    introspection_request(
        config.introspection_endpoint.trim(),
        &client,
        tokens.access_token.secret(),
        Some(TokenTypeHint::AccessToken),
    )
}

fn revoke_access_of(config: &Config, tokens: &TokenResponse) -> Result<Request, SettingsError> {
    let client = client_authentication(config);
    revocation_request(
        config.revocation_endpoint.trim(),
        &client,
        tokens.access_token.secret(),
        Some(TokenTypeHint::AccessToken),
    )
}

fn revoke_refresh_of(config: &Config, tokens: &TokenResponse) -> Result<Request, SettingsError> {
    let client = client_authentication(config);
    let token = tokens
        .refresh_token
        .as_ref()
        .map(|r| r.secret())
        .unwrap_or("");
    revocation_request(
        config.revocation_endpoint.trim(),
        &client,
        token,
        Some(TokenTypeHint::RefreshToken),
    )
}

/// A token operation's button: the request built from the current tokens,
/// sent, and judged by `process`.
fn operation(
    real: Real,
    slot: RwSignal<Option<Shown>>,
    build: fn(&Config, &TokenResponse) -> Result<Request, SettingsError>,
    process: impl Fn(&Response) -> Option<String> + Copy + 'static,
) -> impl Fn(leptos::ev::MouseEvent) + Copy + 'static {
    move |_| {
        let (config, Some(tokens)) = (real.config.get_untracked(), real.tokens.get_untracked())
        else {
            return;
        };
        match build(&config, &tokens) {
            Ok(request) => exchange(slot, request, process),
            Err(error) => unbuilt(slot, &error),
        }
    }
}

fn userinfo_verdict(response: &Response, id_token_sub: Option<&str>) -> Option<String> {
    let userinfo = match process_userinfo_response(response) {
        Ok(userinfo) => userinfo,
        Err(error) => return Some(describe(&error)),
    };
    check_userinfo_subject(&userinfo, id_token_sub?)
        .err()
        .map(|rejection| describe(&Error::Rejected(rejection)))
}

/// The `sub` of the ID token that came with these tokens, if any.
fn id_token_subject(tokens: &TokenResponse) -> Option<String> {
    let Ok(Token::Jws(jws)) = decode(tokens.id_token.as_ref()?.secret()) else {
        return None;
    };
    let sub = jws.claims?.get("sub")?.as_str()?.to_owned();
    Some(sub)
}

fn introspection_verdict(response: &Response) -> Option<String> {
    match process_introspection_response(response) {
        Ok(found) if found.active => None,
        Ok(_) => Some("active: false — the server no longer accepts this token".to_owned()),
        Err(error) => Some(describe(&error)),
    }
}

fn revocation_verdict(response: &Response) -> Option<String> {
    process_revocation_response(response)
        .err()
        .map(|e| describe(&e))
}

fn token_summary(tokens: &TokenResponse) -> String {
    let shorten = |s: &str| {
        if s.len() > 24 {
            format!(
                "{}…",
                &s[..s.char_indices().nth(24).map(|(i, _)| i).unwrap_or(s.len())]
            )
        } else {
            s.to_owned()
        }
    };
    let mut lines = vec![
        format!(
            "token_type     {}{}",
            tokens.token_type,
            if tokens.is_bearer() {
                ""
            } else {
                " (not Bearer)"
            }
        ),
        format!("access_token   {}", shorten(tokens.access_token.secret())),
    ];
    if let Some(expires_in) = tokens.expires_in {
        lines.push(format!("expires_in     {expires_in}"));
    }
    if let Some(refresh) = &tokens.refresh_token {
        lines.push(format!("refresh_token  {}", shorten(refresh.secret())));
    }
    if let Some(id) = &tokens.id_token {
        lines.push(format!("id_token       {}", shorten(id.secret())));
    }
    if let Some(scope) = &tokens.granted_scope {
        lines.push(format!("scope          {scope}"));
    }
    // Members this client does not interpret are shown, not dropped.
    lines.extend(tokens.extra.iter().map(|(name, value)| {
        let value = match value {
            serde_json::Value::String(text) => shorten(text),
            other => shorten(&other.to_string()),
        };
        format!("{name:<14} {value} (not interpreted)")
    }));
    lines.extend(
        tokens
            .warnings
            .iter()
            .map(|w| format!("warning: {}", w.message())),
    );
    lines.join("\n")
}

/// Hands tokens to the tokens view, with the provider's JWKS when it can
/// be fetched.
fn publish(real: Real, shared: Option<SharedTokens>, tokens: &TokenResponse) {
    let Some(shared) = shared else { return };
    let config = real.config.get_untracked();
    let nonce = real
        .callback
        .get_untracked()
        .and_then(|c| c.ok())
        .and_then(|(_, p)| p.nonce);
    let flow = FlowTokens {
        access_token: tokens.access_token.secret().to_owned(),
        refresh_token: tokens.refresh_token.as_ref().map(|t| t.secret().to_owned()),
        id_token: tokens.id_token.as_ref().map(|t| t.secret().to_owned()),
        jwks: None,
        issuer: config.issuer.trim().to_owned(),
        client_id: config.client_id.trim().to_owned(),
        nonce,
        world_clock: None,
    };
    shared.set(Some(flow));

    let jwks_uri = config.jwks_uri.trim().to_owned();
    if jwks_uri.is_empty() {
        return;
    }
    let request = Request {
        method: "GET".to_owned(),
        url: jwks_uri,
        headers: Vec::new(),
        body: None,
    };
    spawn_local(async move {
        if let Ok(response) = send(&request).await
            && let Ok(jwks) = serde_json::from_str::<serde_json::Value>(&response.body)
        {
            shared.update(|flow| {
                if let Some(flow) = flow {
                    flow.jwks = Some(jwks);
                }
            });
        }
    });
}

/// Starts polling for the tokens of a device authorization just obtained.
fn begin_polling(
    real: Real,
    shared: Option<SharedTokens>,
    authorization: DeviceAuthorization,
    generation: u32,
) {
    let progress = real.device;
    progress.user_code.set(Some((
        authorization.user_code.clone(),
        authorization
            .verification_uri_complete
            .clone()
            .unwrap_or(authorization.verification_uri.clone()),
    )));
    progress.status.set(Some(format!(
        "Waiting for you to approve; polling every {} s.",
        authorization.interval
    )));
    spawn_local(poll(real, shared, authorization, generation));
}

#[component]
fn DevicePanel(real: Real) -> impl IntoView {
    let shared = use_context::<SharedTokens>();
    let progress = real.device;
    let slots = real.slots;

    let start = move |_| {
        let config = real.config.get_untracked();
        let request = match device_authorization_request(
            config.device_authorization_endpoint.trim(),
            &client_authentication(&config),
            Some(&config.scope),
        ) {
            Ok(request) => request,
            Err(error) => return progress.status.set(Some(error.to_string())),
        };
        progress.generation.update(|g| *g += 1);
        let generation = progress.generation.get_untracked();
        progress.user_code.set(None);
        slots.poll.set(None);
        progress
            .status
            .set(Some("Asking for a user code…".to_owned()));

        spawn_local(async move {
            let outcome = send(&request).await.map_err(|blocked| blocked.reason);
            let authorization = outcome
                .as_ref()
                .ok()
                .map(process_device_authorization_response);
            let verdict = match &authorization {
                Some(Err(error)) => Some(describe(error)),
                _ => None,
            };
            if outcome.is_err() {
                progress.status.set(Some(
                    "The browser could not reach the device authorization endpoint; run the curl command below and paste its output.".to_owned(),
                ));
            }
            if let Some(Err(error)) = &authorization {
                progress.status.set(Some(describe(error)));
            }
            slots.device.set(Some(Shown {
                pasted: None,
                request,
                outcome,
                verdict,
            }));
            if let Some(Ok(authorization)) = authorization {
                begin_polling(real, shared, authorization, generation);
            }
        });
    };
    let pasted_authorization =
        judged_paste(
            slots.device,
            move |response| match process_device_authorization_response(response) {
                Ok(authorization) => {
                    let generation = progress.generation.get_untracked();
                    begin_polling(real, shared, authorization, generation);
                    None
                }
                Err(error) => Some(describe(&error)),
            },
        );
    // A poll the browser could not send: the user runs it and pastes the
    // answer, once they have approved.
    let pasted_poll = judged_paste(slots.poll, move |response| {
        match process_token_response(
            response,
            Some(&real.config.with_untracked(|c| c.scope.clone())),
        ) {
            Ok(tokens) => {
                publish(real, shared, &tokens);
                real.tokens.set(Some(tokens));
                progress.status.set(Some("Tokens received".to_owned()));
                None
            }
            Err(error) => Some(describe(&error)),
        }
    });

    view! {
        <div class="step device">
            <div class="step-head">
                <h3>"Device authorization grant"</h3>
                <a class="rfc" href="https://www.rfc-editor.org/rfc/rfc8628#section-3" target="_blank" rel="noopener">"RFC 8628 §3"</a>
            </div>
            <p class="muted">
                "The playground plays the device: it asks for a user code, you enter it at the \
                 provider's page (in another tab or on your phone), and the playground polls the \
                 token endpoint until you approve."
            </p>
            <div class="flow-controls"><button type="button" on:click=start>"Start device flow"</button></div>
            {move || progress.user_code.get().map(|(code, uri)| view! {
                <p>"Enter " <strong class="mono" data-testid="user-code">{code}</strong> " at "
                    <a href=uri.clone() target="_blank" rel="noopener" data-testid="verification-uri">{uri.clone()}</a></p>
            })}
            <p data-testid="device-status" aria-live="polite">{move || progress.status.get()}</p>
            <ExchangeView shown=slots.device title="Device authorization request" name="device" on_pasted=pasted_authorization />
            <ExchangeView shown=slots.poll title="Latest poll of the token endpoint" name="poll" on_pasted=pasted_poll />
        </div>
    }
}

async fn poll(
    real: Real,
    shared: Option<SharedTokens>,
    authorization: DeviceAuthorization,
    generation: u32,
) {
    let progress = real.device;
    let config = real.config.get_untracked();
    let client = client_authentication(&config);
    let mut polling = DevicePolling::new(&authorization, now());
    let mut blocked_in_a_row = 0;
    loop {
        let wait = polling.next_poll_at().saturating_sub(now()).max(1);
        gloo_timers_sleep(wait).await;
        // A newer start replaced this flow.
        if progress.generation.get_untracked() != generation {
            return;
        }
        let request = match device_code_grant_request(
            config.token_endpoint.trim(),
            &client,
            &authorization.device_code,
        ) {
            Ok(request) => request,
            Err(error) => return progress.status.set(Some(error.to_string())),
        };
        let outcome = send(&request).await.map_err(|blocked| blocked.reason);
        let result = outcome
            .as_ref()
            .ok()
            .map(|response| process_token_response(response, Some(&config.scope)));
        real.slots.poll.set(Some(Shown {
            pasted: None,
            request,
            outcome,
            verdict: None,
        }));
        let Some(result) = result else {
            // A network blip earns a slower retry (RFC 8628 §3.5); a
            // refusal (CORS) would repeat forever, so the user takes over.
            blocked_in_a_row += 1;
            if blocked_in_a_row < 3 {
                polling.on_connection_timeout(now());
                continue;
            }
            progress.status.set(Some(
                "Polling stopped: the browser could not reach the token endpoint three times in a row. Approve at the provider, then run the poll's curl command below and paste its output.".to_owned(),
            ));
            return;
        };
        blocked_in_a_row = 0;

        match polling.on_token_response(result, now()) {
            PollAction::PollAt { interval, .. } => progress.status.set(Some(format!(
                "Waiting for you to approve; polling every {interval} s."
            ))),
            PollAction::Granted(tokens) => {
                publish(real, shared, &tokens);
                real.tokens.set(Some(*tokens));
                progress.status.set(Some("Tokens received".to_owned()));
                return;
            }
            PollAction::Stop(reason) => {
                progress.status.set(Some(match reason {
                    StopReason::AccessDenied => "access_denied: the request was denied".to_owned(),
                    StopReason::Expired => {
                        "expired_token: the code expired; start again".to_owned()
                    }
                    StopReason::ServerError(e) => e.to_string(),
                    StopReason::Rejected(r) => r.to_string(),
                    StopReason::Settings(s) => s.to_string(),
                }));
                return;
            }
        }
    }
}

/// Waits `seconds` without blocking the page.
async fn gloo_timers_sleep(seconds: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(seconds.saturating_mul(1000)).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
