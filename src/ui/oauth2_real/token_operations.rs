//! What the tokens are for: the code exchange, refresh, userinfo,
//! introspection, revocation and a call to any API, each judged by the core.

use super::*;

#[component]
pub(super) fn TokenPanel(real: Real) -> impl IntoView {
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
pub(super) fn ResourceCall(real: Real) -> impl IntoView {
    // Kept apart, so that each message stands beside its own field.
    let method_error = RwSignal::new(None::<String>);
    let url_error = RwSignal::new(None::<String>);
    let call = move |_| {
        let Some(tokens) = real.tokens.get_untracked() else {
            return;
        };
        let method = real.resource_method.get_untracked();
        let url = real.resource_url.get_untracked();
        method_error.set(None);
        url_error.set(None);

        match resource_request(&method, url.trim(), &tokens.access_token) {
            Ok(request) => exchange(real.slots.resource, request, resource_verdict),
            Err(settings) => {
                // The last call's answer would read as this one's.
                real.slots.resource.set(None);
                let slot = if settings.field == "method" {
                    method_error
                } else {
                    url_error
                };
                slot.set(Some(settings.to_string()));
            }
        }
    };

    view! {
        <div class="row with-button">
            <div class="field narrow">
                <label for="rp-resource-method">"Method"</label>
                <input id="rp-resource-method" type="text" spellcheck="false" autocomplete="off"
                    aria-describedby="rp-resource-method-error"
                    aria-invalid=move || method_error.get().is_some().then_some("true")
                    prop:value=move || real.resource_method.get()
                    on:input=move |ev| real.resource_method.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label for="rp-resource-url">"API URL (sent the access token as Bearer)"</label>
                <input id="rp-resource-url" type="text" spellcheck="false" autocomplete="off"
                    placeholder="https://api.example.com/me"
                    aria-describedby="rp-resource-error"
                    aria-invalid=move || url_error.get().is_some().then_some("true")
                    prop:value=move || real.resource_url.get()
                    on:input=move |ev| real.resource_url.set(event_target_value(&ev)) />
            </div>
            <button type="button" class="secondary" on:click=call>"Call the API"</button>
        </div>
        <FieldError message=method_error id="rp-resource-method-error" />
        <FieldError message=url_error id="rp-resource-error" />
    }
}

pub(super) fn resource_verdict(response: &Response) -> Option<String> {
    process_resource_response(response)
        .err()
        .map(|e| describe(&e))
}

pub(super) fn userinfo_of(
    config: &Config,
    tokens: &TokenResponse,
) -> Result<Request, SettingsError> {
    userinfo_request(config.userinfo_endpoint.trim(), &tokens.access_token)
}

pub(super) fn introspection_of(
    config: &Config,
    tokens: &TokenResponse,
) -> Result<Request, SettingsError> {
    let client = client_authentication(config);
    introspection_request(
        config.introspection_endpoint.trim(),
        &client,
        tokens.access_token.secret(),
        Some(TokenTypeHint::AccessToken),
    )
}

pub(super) fn revoke_access_of(
    config: &Config,
    tokens: &TokenResponse,
) -> Result<Request, SettingsError> {
    let client = client_authentication(config);
    revocation_request(
        config.revocation_endpoint.trim(),
        &client,
        tokens.access_token.secret(),
        Some(TokenTypeHint::AccessToken),
    )
}

pub(super) fn revoke_refresh_of(
    config: &Config,
    tokens: &TokenResponse,
) -> Result<Request, SettingsError> {
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
pub(super) fn operation(
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

pub(super) fn userinfo_verdict(response: &Response, id_token_sub: Option<&str>) -> Option<String> {
    let userinfo = match process_userinfo_response(response) {
        Ok(userinfo) => userinfo,
        Err(error) => return Some(describe(&error)),
    };
    check_userinfo_subject(&userinfo, id_token_sub?)
        .err()
        .map(|rejection| describe(&Error::Rejected(rejection)))
}

/// The `sub` of the ID token that came with these tokens, if any.
pub(super) fn id_token_subject(tokens: &TokenResponse) -> Option<String> {
    let Ok(Token::Jws(jws)) = decode(tokens.id_token.as_ref()?.secret()) else {
        return None;
    };
    let sub = jws.claims?.get("sub")?.as_str()?.to_owned();
    Some(sub)
}

pub(super) fn introspection_verdict(response: &Response) -> Option<String> {
    match process_introspection_response(response) {
        Ok(found) if found.active => None,
        Ok(_) => Some("active: false — the server no longer accepts this token".to_owned()),
        Err(error) => Some(describe(&error)),
    }
}

pub(super) fn revocation_verdict(response: &Response) -> Option<String> {
    process_revocation_response(response)
        .err()
        .map(|e| describe(&e))
}

pub(super) fn token_summary(tokens: &TokenResponse) -> String {
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
pub(super) fn publish(real: Real, shared: Option<SharedTokens>, tokens: &TokenResponse) {
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
