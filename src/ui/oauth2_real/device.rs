//! The device authorization grant (RFC 8628): the user code, then polling
//! that honours the interval, slow_down and the other answers.

use super::*;

/// Starts polling for the tokens of a device authorization just obtained.
pub(super) fn begin_polling(
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
pub(super) fn DevicePanel(real: Real) -> impl IntoView {
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

pub(super) async fn poll(
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
                let wait = polling.next_poll_at().saturating_sub(now());
                progress.status.set(Some(format!(
                    "A poll could not reach the token endpoint; trying again in {wait} s (RFC 8628 §3.5)."
                )));
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
pub(super) async fn gloo_timers_sleep(seconds: u64) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            i32::try_from(seconds.saturating_mul(1000)).unwrap_or(i32::MAX),
        );
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
