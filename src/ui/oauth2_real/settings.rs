//! The provider and client settings: presets, discovery (OpenID Connect
//! first, then RFC 8414), endpoints typed by hand, and how the client
//! authenticates.

use super::*;

/// A text input bound to one field of the config.
#[component]
pub(super) fn ConfigField(
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
pub(super) fn apply_metadata(real: Real, metadata: &ProviderMetadata) {
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
pub(super) fn accept_metadata(real: Real, response: &Response, issuer: &str) -> Option<String> {
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
pub(super) async fn run_discovery(real: Real, issuer: String) {
    let mut shown = None;
    for kind in [
        DiscoveryKind::OpenIdConfiguration,
        DiscoveryKind::OAuthAuthorizationServer,
    ] {
        let request = match discovery_request(&issuer, kind) {
            Ok(request) => request,
            Err(error) => {
                real.slots.discovery.set(None);
                return real.discovery_error.set(Some(error.to_string()));
            }
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
pub(super) fn ProviderForm(real: Real) -> impl IntoView {
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
            // Opened when the browser was blocked: the curl command is inside.
            <details class="paste" prop:open=move || real.slots.discovery.with(|shown| shown.as_ref().is_some_and(|s| s.outcome.is_err()))>
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
pub(super) fn Presets(real: Real) -> impl IntoView {
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
pub(super) fn ClientForm(real: Real, device: bool) -> impl IntoView {
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
            // The device grant sends no code_verifier.
            <Show when=move || !device>
                <label class="check">
                    <input type="checkbox" prop:checked=move || real.config.with(|c| c.wrong_verifier)
                        on:change=move |ev| real.config.update(|c| c.wrong_verifier = event_target_checked(&ev)) />
                    "Send a wrong code_verifier (to test the server)"
                </label>
            </Show>
        </fieldset>
    }
}

pub(super) fn client_authentication(config: &Config) -> ClientAuthentication {
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
