//! The OAuth 2.0 authorization code flow with every role in the page.

use leptos::prelude::*;

use crate::flows::oauth2::{OAuth2Fault, OAuth2Options, ServerSettings, lanes, run};
use crate::mock::authorization_server::Decision;
use crate::mock::{CLIENT_REDIRECT_URI, World};
use crate::oauth2::authorization::Pkce;

use super::components::FieldError;
use super::flow::{Cursor, ExchangeDetail, FlowControls, SequenceDiagram};
use super::state::{FlowTokens, SharedTokens, kept};

/// Fixed seed and clock: the same flow shows the same values every time.
const SEED: &[u8] = b"oauth2-playground";
const START: u64 = 1_767_225_600;
const SCOPES: [&str; 5] = ["openid", "profile", "email", "photos", "offline_access"];

/// The user's choices and progress, kept while they visit other pages.
#[derive(Clone, Copy)]
struct Choices {
    client_id: RwSignal<String>,
    scopes: RwSignal<Vec<&'static str>>,
    pkce: RwSignal<Pkce>,
    fault: RwSignal<OAuth2Fault>,
    decision: RwSignal<Option<Decision>>,
    pkce_required: RwSignal<Option<bool>>,
    lifetime: RwSignal<String>,
    refresh_lifetime: RwSignal<String>,
    /// The client's registered redirect URIs, one per line.
    redirect_uris: RwSignal<String>,
    /// The scopes the client may ask for, separated by spaces.
    allowed_scopes: RwSignal<String>,
    cursor: Cursor,
}

impl Choices {
    fn new() -> Choices {
        Choices {
            client_id: RwSignal::new("playground-spa".to_owned()),
            scopes: RwSignal::new(vec!["openid", "profile", "email", "offline_access"]),
            pkce: RwSignal::new(Pkce::S256),
            fault: RwSignal::new(OAuth2Fault::None),
            decision: RwSignal::new(None),
            pkce_required: RwSignal::new(None),
            lifetime: RwSignal::new("300".to_owned()),
            refresh_lifetime: RwSignal::new("86400".to_owned()),
            redirect_uris: RwSignal::new(CLIENT_REDIRECT_URI.to_owned()),
            allowed_scopes: RwSignal::new(SCOPES.join(" ")),
            cursor: Cursor::new(),
        }
    }
}

#[component]
pub fn MockCodeFlow() -> impl IntoView {
    let Choices {
        client_id,
        scopes,
        pkce,
        fault,
        decision,
        pkce_required,
        lifetime,
        refresh_lifetime,
        redirect_uris,
        allowed_scopes,
        cursor,
    } = kept(Choices::new);

    let options = Memo::new(move |_| OAuth2Options {
        client_id: client_id.get(),
        scope: scopes.get().join(" "),
        pkce: pkce.get(),
        fault: fault.get(),
        server: ServerSettings {
            pkce_required: pkce_required.get(),
            access_token_lifetime: valid_lifetime(&lifetime.get()).unwrap_or(300),
            refresh_token_lifetime: valid_lifetime(&refresh_lifetime.get()).unwrap_or(86_400),
            redirect_uris: Some(redirect_uris.with(|text| {
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            })),
            allowed_scopes: Some(
                allowed_scopes.with(|text| text.split_whitespace().map(str::to_owned).collect()),
            ),
        },
    });
    let lifetime_error = lifetime_problem(lifetime, 300);
    let refresh_lifetime_error = lifetime_problem(refresh_lifetime, 86_400);
    // A comma makes "openid,profile" one scope the client never asks for.
    let scopes_error = Signal::derive(move || {
        allowed_scopes.with(|text| text.contains(',')).then(|| {
            "Scopes are separated by spaces, not commas (RFC 6749 §3.3): \"openid,profile\" is one scope.".to_owned()
        })
    });
    let result =
        Memo::new(move |_| run(&mut World::new(SEED, START), &options.get(), decision.get()));
    let trace = Signal::derive(move || result.with(|r| r.trace.clone()));
    let total = Signal::derive(move || result.with(|r| r.trace.exchanges.len()));

    let restart = Callback::new(move |_| {
        decision.set(None);
        cursor.shown.set(0);
        cursor.selected.set(None);
    });
    share_tokens(result, options);

    view! {
        <section class="panel">
            <h1>"Authorization code flow with PKCE"</h1>
            <p class="lead">
                "Mock mode: the client, the authorization server and the API all run in this page; \
                 you are the resource owner. Nothing goes over the network."
            </p>
            <div class="flow-options">
                <div class="field">
                    <label for="o2-client">"Client"</label>
                    <select id="o2-client" on:change=move |ev| { client_id.set(event_target_value(&ev)); restart.run(()); }>
                        <option value="playground-spa" selected=move || client_id.get() == "playground-spa">"playground-spa (public, PKCE required)"</option>
                        <option value="photo-printer" selected=move || client_id.get() == "photo-printer">"photo-printer (confidential, client_secret_basic)"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="o2-pkce">"PKCE"</label>
                    <select id="o2-pkce" on:change=move |ev| {
                        pkce.set(match event_target_value(&ev).as_str() {
                            "plain" => Pkce::Plain,
                            "none" => Pkce::Disabled,
                            _ => Pkce::S256,
                        });
                        restart.run(());
                    }>
                        <option value="S256" selected=move || pkce.get() == Pkce::S256>"S256"</option>
                        <option value="plain" selected=move || pkce.get() == Pkce::Plain>"plain"</option>
                        <option value="none" selected=move || pkce.get() == Pkce::Disabled>"none"</option>
                    </select>
                </div>
                <fieldset class="faults">
                    <legend>"Scopes requested"</legend>
                    {SCOPES.map(|scope| view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || scopes.get().contains(&scope) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                scopes.update(|list| {
                                    list.retain(|s| *s != scope);
                                    if on { list.push(scope); }
                                    list.sort_by_key(|s| SCOPES.iter().position(|x| x == s));
                                });
                                restart.run(());
                            } />
                            <span class="mono">{scope}</span>
                        </label>
                    })}
                </fieldset>
            </div>
            <details class="paste">
                <summary>"Mock server settings"</summary>
                <div class="row">
                    <div class="field">
                        <label for="o2-server-pkce">"PKCE at the server"</label>
                        <select id="o2-server-pkce" on:change=move |ev| {
                            pkce_required.set(match event_target_value(&ev).as_str() {
                                "required" => Some(true),
                                "optional" => Some(false),
                                _ => None,
                            });
                            restart.run(());
                        }>
                            <option value="registered" selected=move || pkce_required.get().is_none()>"As registered (public clients must)"</option>
                            <option value="required" selected=move || pkce_required.get() == Some(true)>"Required for this client"</option>
                            <option value="optional" selected=move || pkce_required.get() == Some(false)>"Optional for this client"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="o2-lifetime">"Access token lifetime (s)"</label>
                        <input id="o2-lifetime" type="text" inputmode="numeric" prop:value=move || lifetime.get()
                            aria-describedby="o2-lifetime-error" aria-invalid=move || lifetime_error.get().map(|_| "true")
                            on:input=move |ev| { lifetime.set(event_target_value(&ev)); restart.run(()); } />
                        <FieldError message=lifetime_error id="o2-lifetime-error" />
                    </div>
                    <div class="field">
                        <label for="o2-refresh-lifetime">"Refresh token lifetime (s)"</label>
                        <input id="o2-refresh-lifetime" type="text" inputmode="numeric" prop:value=move || refresh_lifetime.get()
                            aria-describedby="o2-refresh-lifetime-error" aria-invalid=move || refresh_lifetime_error.get().map(|_| "true")
                            on:input=move |ev| { refresh_lifetime.set(event_target_value(&ev)); restart.run(()); } />
                        <FieldError message=refresh_lifetime_error id="o2-refresh-lifetime-error" />
                    </div>
                </div>
                <div class="row">
                    <div class="field">
                        <label for="o2-redirect-uris">"Registered redirect URIs (one per line)"</label>
                        <textarea id="o2-redirect-uris" rows="2" spellcheck="false" prop:value=move || redirect_uris.get()
                            on:input=move |ev| { redirect_uris.set(event_target_value(&ev)); restart.run(()); }></textarea>
                    </div>
                    <div class="field">
                        <label for="o2-allowed-scopes">"Scopes the client may request"</label>
                        <input id="o2-allowed-scopes" type="text" spellcheck="false" autocomplete="off" prop:value=move || allowed_scopes.get()
                            aria-describedby="o2-allowed-scopes-error" aria-invalid=move || scopes_error.get().map(|_| "true")
                            on:input=move |ev| { allowed_scopes.set(event_target_value(&ev)); restart.run(()); } />
                        <FieldError message=scopes_error id="o2-allowed-scopes-error" />
                    </div>
                </div>
                <p class="muted">
                    "The client always sends " <code>{CLIENT_REDIRECT_URI}</code>
                    "; the server compares it with the registered ones character for character (RFC 6749 §3.1.2.3)."
                </p>
            </details>
            <fieldset class="faults">
                <legend>"Fault to switch on"</legend>
                {OAuth2Fault::ALL.map(|f| view! {
                    <label class="check">
                        <input type="radio" name="o2-fault" prop:checked=move || fault.get() == f
                            on:change=move |_| { fault.set(f); restart.run(()); } />
                        {f.label()}
                    </label>
                })}
            </fieldset>
            <p class="lesson">{move || fault.get().lesson()}</p>
            <FlowControls total=total cursor=cursor on_restart=restart waiting=Signal::derive(move || result.with(|r| r.consent.is_some())) />
            <div class="flow">
                <div>
                    {move || view! { <SequenceDiagram trace=trace lanes=lanes(fault.get()) cursor=cursor /> }}
                    <ConsentPanel result=result cursor=cursor decision=decision />
                </div>
                <ExchangeDetail trace=trace cursor=cursor />
            </div>
        </section>
    }
}

/// Seconds from 1 to a day; anything else is refused, not wrapped.
/// The message beside a lifetime field that holds no usable number.
fn lifetime_problem(text: RwSignal<String>, fallback: u64) -> Signal<Option<String>> {
    Signal::derive(move || {
        let ok = valid_lifetime(&text.get()).is_some();
        (!ok).then(|| {
            format!(
                "A lifetime is a number of seconds from 1 to 86400; {fallback} is used meanwhile."
            )
        })
    })
}

fn valid_lifetime(text: &str) -> Option<u64> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|s| (1..=86_400).contains(s))
}

/// The authorization server's consent screen, shown once the user has
/// stepped up to it.
#[component]
fn ConsentPanel(
    result: Memo<crate::flows::oauth2::Run>,
    cursor: Cursor,
    decision: RwSignal<Option<Decision>>,
) -> impl IntoView {
    let screen = move || {
        let at_end = cursor.shown.get() >= result.with(|r| r.trace.exchanges.len());
        result.with(|r| r.consent.clone()).filter(|_| at_end)
    };
    let user = RwSignal::new(0usize);
    let granted = RwSignal::new(Vec::<String>::new());

    let decide = move |approve: bool| {
        let choice = if approve {
            Decision::Approve {
                user: user.get_untracked(),
                scopes: granted.get_untracked(),
            }
        } else {
            Decision::Deny
        };
        decision.set(Some(choice));
        cursor.shown.update(|n| *n += 1);
        cursor.selected.set(Some(cursor.shown.get_untracked() - 1));
        // The consent screen is gone; keyboard users continue from the
        // exchange that their decision produced.
        request_animation_frame(focus_exchange);
    };

    move || {
        screen().map(|screen| {
            granted.set(screen.requested_scopes.clone());
            let users = screen.users.iter().enumerate().map(|(index, u)| {
                let label = format!("{} <{}>", u.name, u.email);
                view! {
                    <label class="check">
                        <input type="radio" name="consent-user" prop:checked=move || user.get() == index on:change=move |_| user.set(index) />
                        {label}
                    </label>
                }
            }).collect_view();
            let scopes = screen.requested_scopes.into_iter().map(|scope| {
                let name = scope.clone();
                view! {
                    <label class="check">
                        <input type="checkbox" prop:checked=move || granted.get().contains(&name) on:change={
                            let scope = scope.clone();
                            move |ev| {
                                let on = event_target_checked(&ev);
                                granted.update(|list| {
                                    list.retain(|s| *s != scope);
                                    if on { list.push(scope.clone()); }
                                });
                            }
                        } />
                        <span class="mono">{scope.clone()}</span>
                    </label>
                }
            }).collect_view();
            view! {
                <div class="consent" role="dialog" aria-labelledby="consent-title" data-testid="consent">
                    <p class="muted">"as.mock.example — the authorization server's page, not the client's"</p>
                    <h2 id="consent-title">{format!("{} wants to access your account", screen.client_id)}</h2>
                    <fieldset><legend>"Sign in as"</legend>{users}</fieldset>
                    <fieldset><legend>"Allow (untick to narrow)"</legend>{scopes}</fieldset>
                    <div class="flow-controls">
                        <button type="button" on:click=move |_| decide(true)>"Approve"</button>
                        <button type="button" class="secondary" on:click=move |_| decide(false)>"Deny"</button>
                    </div>
                </div>
            }
        })
    }
}

fn focus_exchange() {
    let exchange = document()
        .query_selector("[data-testid=exchange]")
        .ok()
        .flatten()
        .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok());
    if let Some(exchange) = exchange {
        let _ = exchange.focus();
    }
}

/// Hands the flow's tokens to the tokens view.
fn share_tokens(result: Memo<crate::flows::oauth2::Run>, options: Memo<OAuth2Options>) {
    let Some(shared) = use_context::<SharedTokens>() else {
        return;
    };
    Effect::new(move |_| {
        let flow = result.with(|r| {
            r.tokens.as_ref().map(|tokens| FlowTokens {
                access_token: tokens.access_token.secret().to_owned(),
                refresh_token: tokens.refresh_token.as_ref().map(|t| t.secret().to_owned()),
                id_token: tokens.id_token.as_ref().map(|t| t.secret().to_owned()),
                jwks: r.jwks.clone(),
                issuer: crate::mock::AUTHORIZATION_SERVER.to_owned(),
                client_id: options.with(|o| o.client_id.clone()),
                nonce: r.nonce.clone(),
                world_clock: Some(r.now as i64),
            })
        });
        shared.set(flow);
    });
}
