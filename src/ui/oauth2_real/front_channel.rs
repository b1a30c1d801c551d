//! The front channel: the authorization request, the pending flow kept
//! under its `state`, and the checks of the callback that comes back.

use super::*;

/// Builds the request and saves the pending flow under its state.
pub(super) fn build_authorization(real: Real) -> Result<BuiltRequest, SettingsError> {
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
pub(super) fn extra_parameters(text: &str) -> Result<Vec<(String, String)>, SettingsError> {
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
pub(super) fn AuthorizationPanel(real: Real) -> impl IntoView {
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
pub(super) fn handle_callback(real: Real, url: &str) {
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

pub(super) fn validate_against(
    url: &str,
    pending: &Pending,
) -> Result<ValidatedAuthorizationResponse, Error> {
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
pub(super) struct Awaiting {
    url: String,
    pending: Pending,
}

pub(super) fn save_awaiting(url: &str, pending: &Pending) {
    let awaiting = Awaiting {
        url: url.to_owned(),
        pending: pending.clone(),
    };
    if let (Some(storage), Ok(json)) = (session(), serde_json::to_string(&awaiting)) {
        let _ = storage.set_item(AWAITING_KEY, &json);
    }
}

pub(super) fn forget_awaiting() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(AWAITING_KEY);
    }
}

/// After a reload: the callback checked before it, ready to exchange.
pub(super) fn resume_awaiting(real: Real) {
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
pub(super) fn save_pending(pending: &Pending) {
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
pub(super) fn check_pasted(real: Real, text: &str) {
    if text.trim().is_empty() {
        return real.callback.set(Some(Err(
            "Nothing pasted: paste the address the provider redirected to, or its parameters (code=...&state=...)."
                .to_owned(),
        )));
    }
    handle_callback(real, &pasted_callback_url(text));
}

pub(super) fn pasted_callback_url(text: &str) -> String {
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
pub(super) enum Lookup {
    Found(Box<Pending>),
    Used,
    Unknown,
}

/// The pending flow of `state`, taken out of storage: a state answers one
/// authorization response, so a second callback with it is refused.
pub(super) fn take_pending(state: &str) -> Lookup {
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

#[component]
pub(super) fn CallbackPanel(real: Real) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    view! {
        <details class="paste">
            <summary>"The provider cannot redirect here? Paste the callback URL"</summary>
            <div class="field">
                <label for="rp-callback-paste">"Callback URL (with code and state)"</label>
                <input id="rp-callback-paste" type="text" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev)) />
                <button type="button" on:click=move |_| check_pasted(real, &pasted.get_untracked())>"Check this callback"</button>
            </div>
        </details>
        <CallbackResult real=real />
    }
}

#[component]
pub(super) fn CallbackResult(real: Real) -> impl IntoView {
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
