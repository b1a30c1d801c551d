//! One back-channel exchange as the page shows it: the raw request, the
//! response or why none came, the curl command and the pasted answer.

use super::*;

/// The error with its reason code first, so it can be looked up.
pub(super) fn describe(error: &Error) -> String {
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

/// Sends a request and shows it; `process` judges the response.
pub(super) fn exchange(
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
pub(super) fn pasted_response(pasted: RwSignal<String>) -> Response {
    Response::from_pasted(&pasted.get_untracked())
}

/// A pasted response goes through the same judgement a fetched one would,
/// and is shown beside the request it answers.
pub(super) fn judged_paste(
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
pub(super) fn unbuilt(slot: RwSignal<Option<Shown>>, error: &SettingsError) {
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
pub(super) fn ExchangeView(
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
                            <p class="muted">"A body pasted alone is read as a 200 response with Content-Type: application/json; paste all of curl -i's output to keep the real status and headers."</p>
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
