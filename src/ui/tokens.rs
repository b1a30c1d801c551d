//! The tokens view: any token, from the last flow or pasted, decoded,
//! validated and, for ID tokens, checked line by line.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;

use crate::http::{Request, Response};
use crate::jose::{
    Algorithm, CheckStatus, IdTokenExpectations, Jws, KeySet, Token, Validation, id_token_checks,
    inspect, time_claims,
};

use super::components::{CopyButton, FieldError, TextField};
use super::state::{SharedTokens, kept};
use super::transport::send;

fn browser_now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// What the user typed or picked, one signal each.
#[derive(Clone, Copy)]
struct Inputs {
    token: RwSignal<String>,
    keys: RwSignal<String>,
    algorithms: RwSignal<Vec<Algorithm>>,
    issuer: RwSignal<String>,
    client_id: RwSignal<String>,
    nonce: RwSignal<String>,
    skew: RwSignal<String>,
    access_token: RwSignal<String>,
    /// The authorization code, for `c_hash`.
    code: RwSignal<String>,
    /// Where to fetch the key box's JWKS from.
    jwks_url: RwSignal<String>,
    jwks_fetch: RwSignal<JwksFetch>,
    /// "Check as an ID token" as the user set it; `None` follows the
    /// claims (`looks_like_id_token`).
    as_id_token: RwSignal<Option<bool>>,
    /// The mock world's clock when its tokens are loaded; the browser's
    /// otherwise.
    world_clock: RwSignal<Option<i64>>,
}

impl Inputs {
    fn new() -> Inputs {
        let text = || RwSignal::new(String::new());
        Inputs {
            token: text(),
            keys: text(),
            algorithms: RwSignal::new(Algorithm::ALL.to_vec()),
            issuer: text(),
            client_id: text(),
            nonce: text(),
            skew: RwSignal::new("60".to_owned()),
            access_token: text(),
            code: text(),
            jwks_url: text(),
            jwks_fetch: RwSignal::new(JwksFetch::Idle),
            as_id_token: RwSignal::new(None),
            world_clock: RwSignal::new(None),
        }
    }

    fn now(&self) -> i64 {
        self.world_clock.get().unwrap_or_else(browser_now)
    }

    fn key_set(&self) -> Option<Result<KeySet, crate::jose::KeyError>> {
        let text = self.keys.get();
        (!text.trim().is_empty()).then(|| KeySet::parse(&text))
    }

    fn skew_seconds(&self) -> Result<i64, String> {
        self.skew
            .get()
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (0..=3600).contains(s))
            .ok_or_else(|| "Clock skew is a number of seconds from 0 to 3600.".to_owned())
    }
}

/// Where fetching the JWKS URL stands.
#[derive(Clone, Debug, PartialEq)]
enum JwksFetch {
    Idle,
    Fetching,
    Fetched(String),
    Failed(String),
}

/// The fetched body as the key box's text, or what went wrong and what to
/// do instead.
fn jwks_from_response(url: &str, response: &Response) -> Result<(String, String), String> {
    if response.status != 200 {
        return Err(format!(
            "{url} answered HTTP {}, not 200 with a JWKS. Check the URL (the provider's \
             discovery document gives it as jwks_uri), or paste the JWKS into the key box.",
            response.status
        ));
    }
    let value: Value = serde_json::from_str(response.body.trim()).map_err(|error| {
        format!(
            "{url} answered 200, but not with JSON ({error}); it may be an HTML page. \
             Check the URL, or paste the JWKS into the key box."
        )
    })?;
    // Something else (a discovery document, say) must not replace keys
    // the user already has in the box.
    let set = KeySet::from_value(&value).map_err(|error| {
        format!(
            "{url} answered JSON, but not a key set ({error}); the key box is left as it was. \
             Use the jwks_uri from the provider's discovery document."
        )
    })?;
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    let count = set.keys.len();
    let note = format!(
        "Fetched {count} key{} from {url} into the key box.",
        if count == 1 { "" } else { "s" }
    );
    Ok((text, note))
}

/// Checks the typed JWKS URL before anything is sent.
fn jwks_request(url: &str) -> Result<Request, String> {
    if url.is_empty() {
        return Err("Type the JWKS URL first: discovery gives it as jwks_uri.".to_owned());
    }
    let parsed = url::Url::parse(url).map_err(|error| {
        format!(
            "{url} is not a URL ({error}); a JWKS URL looks like \
             https://provider.example/.well-known/jwks.json."
        )
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(format!(
            "Only https:// and http:// URLs can be fetched, not {}:.",
            parsed.scheme()
        ));
    }
    Ok(Request {
        method: "GET".to_owned(),
        url: parsed.to_string(),
        headers: vec![("Accept".to_owned(), "application/json".to_owned())],
        body: None,
    })
}

/// The "JWKS URL" field and its Fetch button, which fill the key box.
#[component]
fn JwksUrl(inputs: Inputs) -> impl IntoView {
    let fetch = move |_| {
        let url = inputs.jwks_url.get_untracked().trim().to_owned();
        let request = match jwks_request(&url) {
            Ok(request) => request,
            Err(message) => return inputs.jwks_fetch.set(JwksFetch::Failed(message)),
        };
        inputs.jwks_fetch.set(JwksFetch::Fetching);
        spawn_local(async move {
            let outcome = match send(&request).await {
                Err(blocked) => Err(format!(
                    "The browser could not fetch {} ({}): nothing answered there, or the \
                     server does not let this page's origin read it (CORS); browsers do not \
                     say which. Open the URL in a new tab and paste the JWKS into the key box \
                     instead.",
                    request.url, blocked.reason
                )),
                Ok(response) => jwks_from_response(&request.url, &response),
            };
            match outcome {
                Ok((text, note)) => {
                    inputs.keys.set(text);
                    inputs.jwks_fetch.set(JwksFetch::Fetched(note));
                }
                Err(message) => inputs.jwks_fetch.set(JwksFetch::Failed(message)),
            }
        });
    };
    let error = Signal::derive(move || match inputs.jwks_fetch.get() {
        JwksFetch::Failed(message) => Some(message),
        _ => None,
    });
    let note = move || match inputs.jwks_fetch.get() {
        JwksFetch::Fetching => Some("Fetching…".to_owned()),
        JwksFetch::Fetched(note) => Some(note),
        JwksFetch::Idle | JwksFetch::Failed(_) => None,
    };
    view! {
        <div class="row with-button">
            <TextField label="JWKS URL" id="tk-jwks-url" value=inputs.jwks_url />
            <button type="button" class="secondary" on:click=fetch
                disabled=move || inputs.jwks_fetch.get() == JwksFetch::Fetching>"Fetch"</button>
        </div>
        <FieldError message=error id="tk-jwks-url-error" />
        {move || note().map(|note| view! { <p class="muted jwks-note" data-testid="jwks-note">{note}</p> })}
    }
}

#[component]
pub fn TokensView() -> impl IntoView {
    let inputs = kept(Inputs::new);
    let shared = use_context::<SharedTokens>();
    let skew_error = Signal::derive(move || inputs.skew_seconds().err());

    let inspection = Memo::new(move |_| {
        let token = inputs.token.get();
        if token.trim().is_empty() {
            return None;
        }
        let validation = Validation {
            keys: inputs.key_set(),
            algorithms: inputs.algorithms.get(),
            now: Some(inputs.now()),
            leeway: inputs.skew_seconds().unwrap_or(60),
        };
        Some(inspect(&token, &validation))
    });
    // "Check as an ID token" starts from what the claims suggest.
    let looks_like = Memo::new(move |_| {
        inspection.with(|found| match found.as_ref().map(|found| &found.token) {
            Some(Ok(Token::Jws(jws))) => looks_like_id_token(jws),
            _ => false,
        })
    });
    let as_id_token = Signal::derive(move || inputs.as_id_token.get().unwrap_or(looks_like.get()));

    view! {
        <section class="panel">
            <h1>"Tokens"</h1>
            <p class="lead">
                "Paste any token, or take one from the last flow. JWTs are decoded and checked here; \
                 nothing is sent anywhere."
            </p>
            <FromFlow shared=shared inputs=inputs />
            <div class="workbench">
                <form class="inputs" on:submit=|ev| ev.prevent_default() aria-label="Token to inspect">
                    <div class="field">
                        <label for="tk-token">"Token"</label>
                        <textarea id="tk-token" rows="6" spellcheck="false" placeholder="eyJhbGciOi…"
                            prop:value=move || inputs.token.get()
                            on:input=move |ev| {
                                inputs.token.set(event_target_value(&ev));
                                inputs.world_clock.set(None);
                            }></textarea>
                    </div>
                    {move || inputs.world_clock.get().map(|t| view! {
                        <p class="muted">{format!(
                            "Times are judged by the mock world's clock ({}), which starts at a fixed time so runs are reproducible. Edit the token to use this browser's clock.",
                            crate::jose::format_utc(t).unwrap_or_default()
                        )}</p>
                    })}
                    <div class="field">
                        <label for="tk-keys">"Key: a JWKS, a JWK, or {\"secret\": \"…\"} for HS256/384/512"</label>
                        <textarea id="tk-keys" rows="4" spellcheck="false"
                            prop:value=move || inputs.keys.get()
                            on:input=move |ev| inputs.keys.set(event_target_value(&ev))></textarea>
                    </div>
                    <JwksUrl inputs=inputs />
                    <AlgorithmChoice algorithms=inputs.algorithms />
                    <fieldset>
                        <legend>"ID token expectations"</legend>
                        <label class="check">
                            <input type="checkbox" id="tk-as-id-token" prop:checked=move || as_id_token.get()
                                on:change=move |ev| inputs.as_id_token.set(Some(event_target_checked(&ev))) />
                            "Check as an ID token"
                        </label>
                        <div class="row">
                            <TextField label="Issuer" id="tk-issuer" value=inputs.issuer />
                            <TextField label="Client ID" id="tk-client" value=inputs.client_id />
                        </div>
                        <div class="row">
                            <TextField label="Nonce sent" id="tk-nonce" value=inputs.nonce />
                            <TextField label="Clock skew (s)" id="tk-skew" value=inputs.skew />
                        </div>
                        <FieldError message=skew_error id="tk-skew-error" />
                        <TextField label="Access token (for at_hash)" id="tk-access" value=inputs.access_token />
                        <TextField label="Authorization code (for c_hash)" id="tk-code" value=inputs.code />
                    </fieldset>
                </form>
                <div class="steps" aria-live="polite">
                    {move || match inspection.get() {
                        None => view! { <p class="notice">"Paste a token to see it explained."</p> }.into_any(),
                        Some(found) => view! { <Explained found=found inputs=inputs as_id_token=as_id_token /> }.into_any(),
                    }}
                </div>
            </div>
        </section>
    }
}

#[component]
fn AlgorithmChoice(algorithms: RwSignal<Vec<Algorithm>>) -> impl IntoView {
    view! {
        <fieldset class="algorithms">
            <legend>"Algorithms accepted"</legend>
            {Algorithm::ALL.map(|alg| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=move || algorithms.get().contains(&alg)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            algorithms.update(|list| {
                                list.retain(|a| *a != alg);
                                if on { list.push(alg); }
                            });
                        } />
                    <span class="mono">{alg.name()}</span>
                </label>
            })}
        </fieldset>
    }
}

/// Buttons that load the last flow's tokens, with its keys and expectations.
#[component]
fn FromFlow(shared: Option<SharedTokens>, inputs: Inputs) -> impl IntoView {
    let load = move |pick: fn(&super::state::FlowTokens) -> Option<String>| {
        let Some(flow) = shared.and_then(|s| s.get_untracked()) else {
            return;
        };
        inputs.token.set(pick(&flow).unwrap_or_default());
        inputs.keys.set(
            flow.jwks
                .as_ref()
                .map(|k| k.to_string())
                .unwrap_or_default(),
        );
        inputs.issuer.set(flow.issuer.clone());
        inputs.client_id.set(flow.client_id.clone());
        inputs.nonce.set(flow.nonce.clone().unwrap_or_default());
        inputs.access_token.set(flow.access_token.clone());
        inputs.code.set(String::new());
        inputs.as_id_token.set(None);
        inputs.jwks_fetch.set(JwksFetch::Idle);
        inputs.world_clock.set(flow.world_clock);
    };
    move || {
        shared.and_then(|s| s.get()).map(|flow| {
            let has_id = flow.id_token.is_some();
            let has_refresh = flow.refresh_token.is_some();
            view! {
                <div class="from-flow" role="group" aria-label="Tokens from the last flow">
                    <span class="muted">"From the last flow:"</span>
                    <Show when=move || has_id>
                        <button type="button" class="secondary" on:click=move |_| load(|f| f.id_token.clone())>"ID token"</button>
                    </Show>
                    <button type="button" class="secondary" on:click=move |_| load(|f| Some(f.access_token.clone()))>"Access token"</button>
                    <Show when=move || has_refresh>
                        <button type="button" class="secondary" on:click=move |_| load(|f| f.refresh_token.clone())>"Refresh token"</button>
                    </Show>
                </div>
            }
        })
    }
}

#[component]
fn Explained(
    found: crate::jose::Inspection,
    inputs: Inputs,
    as_id_token: Signal<bool>,
) -> impl IntoView {
    let verdict = found.verdict.clone();
    let class = if verdict.outcome == crate::jose::Outcome::Valid {
        "ok"
    } else {
        "bad"
    };
    let headline = format!("{}: {}", verdict.outcome.name(), verdict.reason);

    let body = match found.token {
        Err(error) => view! { <p class="field-error" data-testid="decode-error">{error.to_string()}</p> }.into_any(),
        Ok(Token::Opaque) => view! {
            <p class="notice">
                "This token is opaque: it is not a JWT, so only the server that issued it can read it. \
                 Ask that server with token introspection (RFC 7662)."
            </p>
        }.into_any(),
        Ok(Token::Jwe(_)) => view! {
            <p class="notice">"This is an encrypted JWT (JWE): only the holder of the decryption key can read it."</p>
        }.into_any(),
        Ok(Token::Jws(jws)) => {
            view! { <JwsView jws=jws inputs=inputs as_id_token=as_id_token /> }.into_any()
        }
    };
    view! {
        <p class=format!("verdict-line {class}") data-testid="token-verdict">{headline}</p>
        {body}
    }
}

#[component]
fn JwsView(jws: Jws, inputs: Inputs, as_id_token: Signal<bool>) -> impl IntoView {
    let segments = jws.segments.clone();
    let whole = Signal::stored(format!(
        "{}.{}.{}",
        segments.header, segments.payload, segments.signature
    ));
    let header = jws.header.clone();
    let claims = jws.claims.clone().unwrap_or(Value::Null);
    let times = time_claims(&claims, Some(inputs.now()));
    // The checklist follows the expectation fields and "Check as an ID
    // token" as they are edited.
    let checks = move || as_id_token.get().then(|| id_token_lines(&jws, inputs));

    view! {
        <div class="step">
            <div class="step-head"><h3>"Compact serialization"</h3><CopyButton text=whole label="token" /></div>
            <pre class="wire token" data-testid="token-segments">
                <span class="seg-header">{segments.header}</span>"."
                <span class="seg-payload">{segments.payload}</span>"."
                <span class="seg-signature">{segments.signature}</span>
            </pre>
            <p class="legend"><span class="seg-header">"header"</span>" . "<span class="seg-payload">"payload"</span>" . "<span class="seg-signature">"signature"</span></p>
        </div>
        <JsonTable title="Header" value=header testid="header-table" copy_label="header JSON" />
        <JsonTable title="Claims" value=claims testid="claims-table" copy_label="claims JSON" />
        {(!times.is_empty()).then(|| view! {
            <div class="step">
                <h3>"Times"</h3>
                <table class="params" data-testid="times-table">
                    <thead><tr><th>"Claim"</th><th>"UTC"</th><th>"Relative"</th></tr></thead>
                    <tbody>
                        {times.into_iter().map(|t| view! {
                            <tr>
                                <td class="mono">{t.name}</td>
                                <td>{t.utc.unwrap_or_default()}</td>
                                <td>{t.problem.or(t.relative).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {checks}
    }
}

fn looks_like_id_token(jws: &Jws) -> bool {
    ["iss", "sub", "aud", "exp", "iat"]
        .iter()
        .all(|claim| jws.claim(claim).is_some())
        && jws.claim("scope").is_none()
}

fn id_token_lines(jws: &Jws, inputs: Inputs) -> impl IntoView + use<> {
    let non_empty = |signal: RwSignal<String>| Some(signal.get()).filter(|v| !v.trim().is_empty());
    let expect = IdTokenExpectations {
        issuer: inputs.issuer.get(),
        client_id: inputs.client_id.get(),
        nonce: non_empty(inputs.nonce),
        algorithms: inputs.algorithms.get(),
        now: inputs.now(),
        clock_skew: inputs.skew_seconds().unwrap_or(60),
        access_token: non_empty(inputs.access_token),
        code: non_empty(inputs.code),
        keys: inputs.key_set(),
    };
    let missing = expect.issuer.trim().is_empty() || expect.client_id.trim().is_empty();
    let lines = id_token_checks(jws, &expect);
    view! {
        <div class="step">
            <div class="step-head">
                <h3>"ID token checklist"</h3>
                <a class="rfc" href="https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation" target="_blank" rel="noopener">
                    "OpenID Connect Core §3.1.3.7"
                </a>
            </div>
            {missing.then(|| view! {
                <p class="notice">"Type the issuer and client ID you expect, under ID token expectations, to check iss and aud; until then they cannot pass."</p>
            })}
            <table class="params checklist" data-testid="checklist">
                <thead><tr><th>"Check"</th><th>"Result"</th><th>"Expected"</th><th>"Found"</th></tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let class = match line.status {
                            CheckStatus::Passed => "passed",
                            CheckStatus::Failed => "failed",
                            CheckStatus::Skipped => "skipped",
                        };
                        view! {
                            <tr class=class data-check=line.name>
                                <td><a href=line.link target="_blank" rel="noopener">{line.name}</a><div class="muted">{line.note}</div></td>
                                <td class="status">{line.status.name()}</td>
                                <td class="mono">{line.expected}</td>
                                <td class="mono">{line.found}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// A JSON object as a two-column table; values are shown as JSON text,
/// so hostile content stays inert.
#[component]
fn JsonTable(
    title: &'static str,
    value: Value,
    testid: &'static str,
    copy_label: &'static str,
) -> impl IntoView {
    // Null stands for a payload that is not JSON: nothing to copy.
    let copy = (!value.is_null()).then(|| {
        let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
        view! { <CopyButton text=Signal::stored(text) label=copy_label /> }
    });
    let rows: Vec<(String, String)> = match &value {
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    shortened(
                        v.as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string()),
                    ),
                )
            })
            .collect(),
        Value::Null => Vec::new(),
        other => vec![("(not an object)".to_owned(), other.to_string())],
    };
    view! {
        <div class="step">
            <div class="step-head"><h3>{title}</h3>{copy}</div>
            <table class="params kv" data-testid=testid>
                <tbody>
                    {rows.into_iter().map(|(name, value)| view! {
                        <tr><td class="mono">{name}</td><td class="mono value">{value}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// Very long values are cut, so one claim cannot make the page endless;
/// the compact serialization above still holds every byte.
fn shortened(text: String) -> String {
    const LIMIT: usize = 2_000;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!(
            "{}… ({} more characters)",
            &text[..cut],
            text[cut..].chars().count()
        ),
        None => text,
    }
}
