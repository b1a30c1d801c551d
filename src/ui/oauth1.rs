//! The OAuth 1.0a signature workbench: inputs on the left, every step of
//! RFC 5849 §3.4 on the right, a paste box and a verifier below.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::http::Request;
use crate::oauth1::encode::percent_encode;
use crate::oauth1::parse::{parse_parameter_lines, parse_pasted};
use crate::oauth1::request::{
    authorization_header, curl_command, form_body_with_params, url_with_query_params,
};
use crate::oauth1::signature::prepare;
use crate::oauth1::verify::{Change, verify};
use crate::oauth1::{
    SignatureError, SignatureInput, SignatureMethod, SignatureSteps, nonce_from_bytes, sign,
    timestamp_problem,
};

use super::components::{CopyButton, FieldError, TextField, WireValue};
use super::state::kept;

/// The protocol parameters that have inputs of their own; any other
/// `oauth_*` parameter goes in the "other parameters" box.
const FIELD_PARAMETERS: [&str; 8] = [
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_callback",
    "oauth_verifier",
    "oauth_version",
];

/// Every input of the form, one signal each.
#[derive(Clone, Copy)]
struct Form {
    method: RwSignal<String>,
    url: RwSignal<String>,
    content_type: RwSignal<String>,
    body: RwSignal<String>,
    realm: RwSignal<String>,
    consumer_key: RwSignal<String>,
    consumer_secret: RwSignal<String>,
    token: RwSignal<String>,
    token_secret: RwSignal<String>,
    signature_method: RwSignal<String>,
    nonce: RwSignal<String>,
    timestamp: RwSignal<String>,
    version: RwSignal<bool>,
    callback: RwSignal<String>,
    verifier: RwSignal<String>,
    rsa_key: RwSignal<String>,
    body_hash: RwSignal<bool>,
    /// Further protocol parameters, one `name=value` a line.
    extra_oauth: RwSignal<String>,
    /// The base string the server says it built, for the verifier.
    received: RwSignal<String>,
}

impl Form {
    fn new() -> Form {
        let text = |value: &str| RwSignal::new(value.to_owned());
        Form {
            method: text("GET"),
            url: text("https://api.example.com/photos?size=original&file=vacation.jpg"),
            content_type: text(""),
            body: text(""),
            realm: text(""),
            consumer_key: text("dpf43f3p2l4k3l03"),
            consumer_secret: text("kd94hf93k423kf44"),
            token: text("nnch734d00sl2jdk"),
            token_secret: text("pfkkdhi9sl3r4s00"),
            signature_method: text("HMAC-SHA1"),
            nonce: text(&fresh_nonce()),
            timestamp: text(&now_timestamp()),
            version: RwSignal::new(true),
            callback: text(""),
            verifier: text(""),
            rsa_key: text(""),
            body_hash: RwSignal::new(false),
            extra_oauth: text(""),
            received: text(""),
        }
    }

    /// The core's input, read reactively; fails on a bad line of the
    /// further protocol parameters.
    fn input(&self) -> Result<SignatureInput, SignatureError> {
        let mut oauth = vec![("oauth_consumer_key".to_owned(), self.consumer_key.get())];
        let mut optional = |name: &str, value: String| {
            if !value.is_empty() {
                oauth.push((name.to_owned(), value));
            }
        };
        optional("oauth_token", self.token.get());
        optional("oauth_signature_method", self.signature_method.get());
        optional("oauth_timestamp", self.timestamp.get());
        optional("oauth_nonce", self.nonce.get());
        optional("oauth_callback", self.callback.get());
        optional("oauth_verifier", self.verifier.get());
        if self.version.get() {
            oauth.push(("oauth_version".to_owned(), "1.0".to_owned()));
        }
        let extra = parse_parameter_lines(
            &self.extra_oauth.get(),
            &FIELD_PARAMETERS,
            self.body_hash.get(),
        )
        .map_err(SignatureError::ProtocolParameter)?;
        oauth.extend(extra);

        let non_empty =
            |signal: RwSignal<String>| Some(signal.get()).filter(|v| !v.trim().is_empty());
        Ok(SignatureInput {
            method: self.method.get(),
            url: self.url.get(),
            content_type: non_empty(self.content_type),
            body: non_empty(self.body),
            realm: non_empty(self.realm),
            oauth,
            consumer_secret: self.consumer_secret.get(),
            token_secret: self.token_secret.get(),
            rsa_private_key_pem: non_empty(self.rsa_key),
            include_body_hash: self.body_hash.get(),
        })
    }
}

/// A nonce from the browser's CSPRNG.
pub fn fresh_nonce() -> String {
    let mut bytes = [0u8; 16];
    // Without randomness a nonce would repeat; an empty field says so visibly.
    match getrandom::fill(&mut bytes) {
        Ok(()) => nonce_from_bytes(&bytes),
        Err(_) => String::new(),
    }
}

fn now_timestamp() -> String {
    ((js_sys::Date::now() / 1000.0) as u64).to_string()
}

#[component]
pub fn Workbench() -> impl IntoView {
    let form = kept(Form::new);
    let result = Memo::new(move |_| form.input().and_then(|input| sign(&input)));
    let received = form.received;

    view! {
        <section class="panel">
            <h1>"OAuth 1.0a signature workbench"</h1>
            <p class="lead">
                "Type or paste a request; every step of RFC 5849 §3.4 is computed as you go. \
                 Nothing you type leaves this page."
            </p>
            <PastePanel form=form received=received />
            <div class="workbench">
                <Inputs form=form result=result />
                <Steps form=form result=result />
            </div>
            <VerifyPanel form=form received=received />
        </section>
    }
}

fn error_for(
    result: Memo<Result<SignatureSteps, SignatureError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .err()
                .filter(|e| e.field() == field)
                .map(|e| e.to_string())
        })
    })
}

#[component]
fn Inputs(form: Form, result: Memo<Result<SignatureSteps, SignatureError>>) -> impl IntoView {
    let rsa = move || {
        SignatureMethod::from_name(&form.signature_method.get()).is_some_and(|m| m.is_rsa())
    };
    let upload = move |ev: leptos::ev::Event| read_key_file(ev, form.rsa_key);
    // A warning only: the steps are still computed, to experiment with.
    let timestamp_error = Signal::derive(move || {
        form.timestamp
            .with(|t| timestamp_problem(t).map(str::to_owned))
    });
    let regenerate = move |_| {
        form.nonce.set(fresh_nonce());
        form.timestamp.set(now_timestamp());
    };

    view! {
        <form class="inputs" on:submit=|ev| ev.prevent_default() aria-label="Request to sign">
            <datalist id="http-methods">
                {["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
                    .map(|m| view! { <option value=m></option> })}
            </datalist>
            <datalist id="content-types">
                <option value="application/x-www-form-urlencoded"></option>
                <option value="application/json"></option>
                <option value="text/plain"></option>
            </datalist>

            <fieldset>
                <legend>"Request"</legend>
                <div class="row">
                    <TextField label="Method" id="o1-method" value=form.method list="http-methods" error=error_for(result, "method") />
                    <TextField label="URL" id="o1-url" value=form.url error=error_for(result, "url") />
                </div>
                <TextField label="Content type" id="o1-content-type" value=form.content_type list="content-types" />
                <div class="field">
                    <label for="o1-body">"Body"</label>
                    <textarea
                        id="o1-body"
                        aria-invalid=move || error_for(result, "body").get().map(|_| "true")
                        rows="2"
                        spellcheck="false"
                        prop:value=move || form.body.get()
                        on:input=move |ev| form.body.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError message=error_for(result, "body") id="o1-body-error" />
                    <label class="check">
                        <input type="checkbox" prop:checked=move || form.body_hash.get()
                            on:change=move |ev| form.body_hash.set(event_target_checked(&ev)) />
                        "Add oauth_body_hash (for bodies that are not form-encoded)"
                    </label>
                </div>
                <TextField label="Realm (not signed)" id="o1-realm" value=form.realm />
            </fieldset>

            <fieldset>
                <legend>"Credentials"</legend>
                <div class="field">
                    <label for="o1-signature-method">"Signature method"</label>
                    <select
                        id="o1-signature-method"
                        aria-invalid=move || error_for(result, "signature_method").get().map(|_| "true")
                        prop:value=move || form.signature_method.get()
                        on:change=move |ev| form.signature_method.set(event_target_value(&ev))
                    >
                        {SignatureMethod::ALL
                            .map(|m| view! { <option value=m.name()>{m.name()}</option> })}
                    </select>
                    <FieldError message=error_for(result, "signature_method") id="o1-signature-method-error" />
                </div>
                <div class="row">
                    <TextField label="Consumer key" id="o1-consumer-key" value=form.consumer_key />
                    <TextField label="Consumer secret" id="o1-consumer-secret" value=form.consumer_secret />
                </div>
                <div class="row">
                    <TextField label="Token" id="o1-token" value=form.token />
                    <TextField label="Token secret" id="o1-token-secret" value=form.token_secret />
                </div>
                <Show when=rsa>
                    <div class="field">
                        <label for="o1-rsa-key">"RSA private key (PEM, PKCS#1 or PKCS#8)"</label>
                        <textarea
                            id="o1-rsa-key"
                            aria-invalid=move || error_for(result, "rsa_key").get().map(|_| "true")
                            rows="4"
                            spellcheck="false"
                            placeholder="-----BEGIN PRIVATE KEY-----"
                            prop:value=move || form.rsa_key.get()
                            on:input=move |ev| form.rsa_key.set(event_target_value(&ev))
                        ></textarea>
                        <input type="file" accept=".pem,.key,.txt" aria-label="Upload a PEM key file" on:change=upload />
                        <FieldError message=error_for(result, "rsa_key") id="o1-rsa-key-error" />
                    </div>
                </Show>
            </fieldset>

            <fieldset>
                <legend>"Protocol parameters"</legend>
                <div class="row">
                    <TextField label="Nonce" id="o1-nonce" value=form.nonce />
                    <TextField label="Timestamp" id="o1-timestamp" value=form.timestamp error=timestamp_error />
                </div>
                <button type="button" class="secondary" on:click=regenerate>
                    "Fresh nonce and timestamp"
                </button>
                <div class="row">
                    <TextField label="Callback" id="o1-callback" value=form.callback />
                    <TextField label="Verifier" id="o1-verifier" value=form.verifier />
                </div>
                <label class="check">
                    <input type="checkbox" prop:checked=move || form.version.get()
                        on:change=move |ev| form.version.set(event_target_checked(&ev)) />
                    "Send oauth_version=\"1.0\" (optional)"
                </label>
                <div class="field">
                    <label for="o1-extra-oauth">"Other oauth_* parameters (one name=value per line)"</label>
                    <textarea
                        id="o1-extra-oauth"
                        aria-invalid=move || error_for(result, "oauth_extra").get().map(|_| "true")
                        aria-describedby="o1-extra-oauth-error"
                        rows="2"
                        spellcheck="false"
                        placeholder="oauth_session_handle=…"
                        prop:value=move || form.extra_oauth.get()
                        on:input=move |ev| form.extra_oauth.set(event_target_value(&ev))
                    ></textarea>
                    <FieldError message=error_for(result, "oauth_extra") id="o1-extra-oauth-error" />
                </div>
            </fieldset>
        </form>
    }
}

fn read_key_file(ev: leptos::ev::Event, target: RwSignal<String>) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return;
    };
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    spawn_local(async move {
        if let Ok(text) = JsFuture::from(file.text()).await {
            target.set(text.as_string().unwrap_or_default());
        }
    });
}

#[component]
fn Steps(form: Form, result: Memo<Result<SignatureSteps, SignatureError>>) -> impl IntoView {
    let hovered = RwSignal::new(None::<usize>);
    let ok = move || result.with(|r| r.is_ok());
    let value = move |pick: fn(&SignatureSteps) -> String| {
        Signal::derive(move || result.with(|r| r.as_ref().map(pick).unwrap_or_default()))
    };
    let with_input = move |pick: fn(&SignatureInput, &SignatureSteps) -> String| {
        Signal::derive(move || {
            let Ok(input) = form.input() else {
                return String::new();
            };
            result.with(|r| {
                r.as_ref()
                    .map(|steps| pick(&input, steps))
                    .unwrap_or_default()
            })
        })
    };

    view! {
        <div class="steps" aria-live="polite">
            <Show
                when=ok
                fallback=|| view! { <p class="notice">"Fix the field marked in red to see the steps."</p> }
            >
                <ParameterTable result=result hovered=hovered />
                <WireValue title="Normalized parameters" rfc_section="3.4.1.3.2" value=value(|s| s.normalized_params.clone()) testid="normalized-params" />
                <WireValue title="Base string URI" rfc_section="3.4.1.2" value=value(|s| s.base_uri.clone()) testid="base-uri" />
                <BaseString result=result hovered=hovered />
                <Show when=move || result.with(|r| r.as_ref().is_ok_and(|s| s.signing_key.is_some()))>
                    <WireValue title="Signing key" rfc_section="3.4.2" value=value(|s| s.signing_key.clone().unwrap_or_default()) testid="signing-key" />
                </Show>
                <WireValue title="Signature" rfc_section="3.4" value=value(|s| s.signature.clone()) testid="signature" />
                <WireValue title="Signature, percent-encoded" rfc_section="3.6" value=value(|s| percent_encode(&s.signature)) testid="signature-encoded" />
                <WireValue title="Authorization header" rfc_section="3.5.1" value=value(authorization_header) testid="authorization-header" />
                <WireValue title="As a query string" rfc_section="3.5.3" value=with_input(url_with_query_params) testid="query-form" />
                <WireValue title="As a form body" rfc_section="3.5.2" value=with_input(form_body_with_params) testid="form-body" />
                <WireValue title="HTTP request" rfc_section="3.5.1" value=with_input(raw_request) testid="raw-request" />
                <WireValue title="curl" rfc_section="3.5.1" value=with_input(curl_command) testid="curl" />
            </Show>
        </div>
    }
}

fn raw_request(input: &SignatureInput, steps: &SignatureSteps) -> String {
    let mut headers = vec![("Authorization".to_owned(), authorization_header(steps))];
    if let Some(content_type) = &input.content_type {
        headers.push(("Content-Type".to_owned(), content_type.clone()));
    }
    Request {
        method: steps.http_method.clone(),
        url: input.url.trim().to_owned(),
        headers,
        body: input.body.clone(),
    }
    .raw()
}

#[component]
fn ParameterTable(
    result: Memo<Result<SignatureSteps, SignatureError>>,
    hovered: RwSignal<Option<usize>>,
) -> impl IntoView {
    let rows = move || {
        result.with(|r| {
            let Ok(steps) = r else { return Vec::new() };
            steps
                .encoded_sorted
                .iter()
                .enumerate()
                .map(|(index, (name, value))| {
                    let source = steps
                        .parameters
                        .iter()
                        .find(|p| {
                            percent_encode(&p.name) == *name && percent_encode(&p.value) == *value
                        })
                        .map(|p| p.source.label())
                        .unwrap_or("");
                    (index, name.clone(), value.clone(), source)
                })
                .collect::<Vec<_>>()
        })
    };

    view! {
        <div class="step">
            <div class="step-head">
                <h3>"Collected parameters, encoded and sorted"</h3>
                <a class="rfc" href="https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.3" target="_blank" rel="noopener">
                    "RFC 5849 §3.4.1.3"
                </a>
            </div>
            <div class="table-scroll">
                <table class="params sources" data-testid="params-table">
                    <thead>
                        <tr><th>"#"</th><th>"Name"</th><th>"Value"</th><th>"From"</th></tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|(index, name, value, source)| view! {
                            <tr
                                tabindex="0"
                                class:active=move || hovered.get() == Some(index)
                                on:mouseenter=move |_| hovered.set(Some(index))
                                on:mouseleave=move |_| hovered.set(None)
                                on:focus=move |_| hovered.set(Some(index))
                                on:blur=move |_| hovered.set(None)
                            >
                                <td>{index + 1}</td>
                                <td class="mono">{name}</td>
                                <td class="mono">{value}</td>
                                <td>{source}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// The base string with each parameter's part addressable, so hovering a
/// row of the table lights up its bytes here and the other way round.
#[component]
fn BaseString(
    result: Memo<Result<SignatureSteps, SignatureError>>,
    hovered: RwSignal<Option<usize>>,
) -> impl IntoView {
    let text = Signal::derive(move || {
        result.with(|r| {
            r.as_ref()
                .map(|s| s.base_string.clone())
                .unwrap_or_default()
        })
    });
    let parts = move || {
        result.with(|r| {
            let Ok(steps) = r else {
                return (String::new(), Vec::new());
            };
            let head = format!(
                "{}&{}&",
                percent_encode(&steps.http_method),
                percent_encode(&steps.base_uri)
            );
            let pairs = steps
                .encoded_sorted
                .iter()
                .map(|(name, value)| percent_encode(&format!("{name}={value}")))
                .collect();
            (head, pairs)
        })
    };

    view! {
        <div class="step">
            <div class="step-head">
                <h3>"Signature base string"</h3>
                <a class="rfc" href="https://www.rfc-editor.org/rfc/rfc5849#section-3.4.1.1" target="_blank" rel="noopener">
                    "RFC 5849 §3.4.1.1"
                </a>
                <CopyButton text=text label="Signature base string" />
            </div>
            <pre class="wire base-string" data-testid="base-string">
                {move || {
                    let (head, pairs) = parts();
                    let spans = pairs.into_iter().enumerate().map(|(index, pair)| {
                        let separator = (index > 0).then_some("%26");
                        view! {
                            {separator}
                            <span
                                class="part"
                                class:active=move || hovered.get() == Some(index)
                                on:mouseenter=move |_| hovered.set(Some(index))
                                on:mouseleave=move |_| hovered.set(None)
                            >
                                {pair}
                            </span>
                        }
                    }).collect_view();
                    view! { {head}{spans} }
                }}
            </pre>
        </div>
    }
}

#[component]
fn PastePanel(form: Form, received: RwSignal<String>) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let notes = RwSignal::new(Vec::<String>::new());

    let read = move |_| match parse_pasted(&pasted.get_untracked()) {
        Err(error) => {
            message.set(Some(error.to_string()));
            notes.set(Vec::new());
        }
        Ok(request) => {
            message.set(None);
            notes.set(request.notes.clone());
            fill_form(form, received, request);
        }
    };

    view! {
        <details class="paste">
            <summary>"Paste a request, URL or Authorization header"</summary>
            <div class="field">
                <label for="o1-paste">"Raw HTTP request, URL, or Authorization: OAuth … header"</label>
                <textarea
                    id="o1-paste"
                    rows="5"
                    spellcheck="false"
                    placeholder="POST /request?b5=%3D%253D&a3=a HTTP/1.1\nHost: example.com\nAuthorization: OAuth realm=\"Example\", oauth_consumer_key=\"…\""
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))
                ></textarea>
                <FieldError message=message id="o1-paste-error" />
                <button type="button" on:click=read>"Fill the form"</button>
                <ul class="notes">
                    {move || notes.get().into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}
                </ul>
            </div>
        </details>
    }
}

/// Copies what was pasted into the form; secrets are left as they were,
/// since a request never carries them.
fn fill_form(form: Form, received: RwSignal<String>, request: crate::oauth1::parse::PastedRequest) {
    let set_some = |signal: RwSignal<String>, value: Option<String>| {
        if let Some(value) = value {
            signal.set(value);
        }
    };
    set_some(form.method, request.method);
    set_some(form.url, request.url);
    form.content_type
        .set(request.content_type.unwrap_or_default());
    form.body.set(request.body.unwrap_or_default());
    form.realm.set(request.realm.unwrap_or_default());

    let param = |name: &str| {
        request
            .oauth
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    form.consumer_key
        .set(param("oauth_consumer_key").unwrap_or_default());
    form.token.set(param("oauth_token").unwrap_or_default());
    set_some(form.signature_method, param("oauth_signature_method"));
    form.nonce.set(param("oauth_nonce").unwrap_or_default());
    form.timestamp
        .set(param("oauth_timestamp").unwrap_or_default());
    form.callback
        .set(param("oauth_callback").unwrap_or_default());
    form.verifier
        .set(param("oauth_verifier").unwrap_or_default());
    form.version.set(param("oauth_version").is_some());
    received.set(param("oauth_signature").unwrap_or_default());

    // Every other protocol parameter is signed as it came.
    let mut extra: Vec<String> = request
        .oauth
        .iter()
        .filter(|(name, _)| {
            !FIELD_PARAMETERS.contains(&name.as_str())
                && name != "oauth_signature"
                && name != "oauth_body_hash"
        })
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    // A body hash that matches the body is ticked, so it stays computed;
    // any other is kept as given, which is what the client signed.
    form.extra_oauth.set(extra.join("\n"));
    form.body_hash.set(false);
    if let Some(given) = param("oauth_body_hash") {
        form.body_hash.set(true);
        let computed = untrack(|| form.input().and_then(|input| prepare(&input)))
            .ok()
            .and_then(|steps| steps.body_hash);
        if computed.as_deref() != Some(given.as_str()) {
            form.body_hash.set(false);
            extra.push(format!("oauth_body_hash={given}"));
            form.extra_oauth.set(extra.join("\n"));
        }
    }
}

#[component]
fn VerifyPanel(form: Form, received: RwSignal<String>) -> impl IntoView {
    let server_base = RwSignal::new(String::new());
    let public_key = RwSignal::new(String::new());
    let outcome = Memo::new(move |_| {
        let signature = received.get();
        if signature.trim().is_empty() {
            return None;
        }
        let mut input = match form.input() {
            Ok(input) => input,
            Err(error) => return Some(Err(error.to_string())),
        };
        input
            .oauth
            .push(("oauth_signature".to_owned(), signature.trim().to_owned()));
        let key = public_key.get();
        let base = server_base.get();
        Some(verify(&input, Some(&key), Some(&base)).map_err(|e| e.to_string()))
    });

    view! {
        <section class="verify" aria-labelledby="verify-title">
            <h2 id="verify-title">"Check a received signature"</h2>
            <p class="lead">
                "Got \"invalid signature\"? Give the signature that was sent and, if the server \
                 logs it, the base string it built. The workbench recomputes, diffs, and tries the \
                 usual mistakes to name the cause."
            </p>
            <div class="row">
                <div class="field">
                    <label for="o1-received">"oauth_signature received (decoded)"</label>
                    <input id="o1-received" type="text" spellcheck="false"
                        prop:value=move || received.get()
                        on:input=move |ev| received.set(event_target_value(&ev)) />
                </div>
            </div>
            <div class="field">
                <label for="o1-server-base">"Base string the server built (optional)"</label>
                <textarea id="o1-server-base" rows="3" spellcheck="false"
                    prop:value=move || server_base.get()
                    on:input=move |ev| server_base.set(event_target_value(&ev))></textarea>
            </div>
            <Show when=move || SignatureMethod::from_name(&form.signature_method.get()).is_some_and(|m| m.is_rsa())>
                <div class="field">
                    <label for="o1-public-key">"RSA public key (PEM; optional when the private key is given)"</label>
                    <textarea id="o1-public-key" rows="3" spellcheck="false"
                        prop:value=move || public_key.get()
                        on:input=move |ev| public_key.set(event_target_value(&ev))></textarea>
                </div>
            </Show>
            <div class="verdict" data-testid="verdict" aria-live="polite">
                {move || outcome.get().map(|result| match result {
                    Err(message) => view! { <p class="field-error">{message}</p> }.into_any(),
                    Ok(found) => view! { <VerdictView found=found /> }.into_any(),
                })}
            </div>
        </section>
    }
}

#[component]
fn VerdictView(found: crate::oauth1::verify::Verification) -> impl IntoView {
    let (class, text) = if found.valid {
        (
            "ok",
            "Valid: the received signature matches the one computed here.",
        )
    } else {
        ("bad", "Invalid: the received signature does not match.")
    };
    let diff = found.diff.map(|spans| {
        view! {
            <h3>"Base string: computed here vs the server's"</h3>
            <p class="legend"><del>"only here"</del>" "<ins>"only on the server"</ins></p>
            <pre class="wire diff" data-testid="diff">
                {spans.into_iter().map(|span| match span.change {
                    Change::Same => view! { <span>{span.text}</span> }.into_any(),
                    Change::Ours => view! { <del>{span.text}</del> }.into_any(),
                    Change::Theirs => view! { <ins>{span.text}</ins> }.into_any(),
                }).collect_view()}
            </pre>
        }
    });
    let causes = (!found.valid).then(|| {
        let none = found.likely_causes.is_empty();
        view! {
            <h3>"Likely cause"</h3>
            <Show when=move || none>
                <p>"No single known mistake reproduces it. Check both secrets and that both sides sign the same URL and parameters."</p>
            </Show>
            <ul class="causes" data-testid="causes">
                {found.likely_causes.into_iter().map(|cause| view! {
                    <li>
                        <strong>{cause.mistake.title()}</strong>
                        <span class="reproduces">{format!(" (reproduces {})", cause.reproduces)}</span>
                        <p>{cause.mistake.explanation()}</p>
                    </li>
                }).collect_view()}
            </ul>
        }
    });
    view! {
        <p class=format!("verdict-line {class}")>{text}</p>
        {diff}
        {causes}
    }
}
