//! The OAuth 2.0 authorization code flow with every role in the page.

use leptos::prelude::*;

use crate::flows::oauth2::{OAuth2Fault, OAuth2Options, ServerSettings, lanes, run};
use crate::mock::World;
use crate::mock::authorization_server::Decision;
use crate::oauth2::authorization::Pkce;

use super::components::FieldError;
use super::flow::{Cursor, ExchangeDetail, FlowControls, SequenceDiagram};
use super::state::{FlowTokens, SharedTokens};

/// Fixed seed and clock: the same flow shows the same values every time.
const SEED: &[u8] = b"oauth2-playground";
const START: u64 = 1_767_225_600;
const SCOPES: [&str; 5] = ["openid", "profile", "email", "photos", "offline_access"];

#[component]
pub fn MockCodeFlow() -> impl IntoView {
    let client_id = RwSignal::new("playground-spa".to_owned());
    let scopes = RwSignal::new(vec!["openid", "profile", "email", "offline_access"]);
    let pkce = RwSignal::new(Pkce::S256);
    let fault = RwSignal::new(OAuth2Fault::None);
    let decision = RwSignal::new(None::<Decision>);
    let pkce_required = RwSignal::new(None::<bool>);
    let lifetime = RwSignal::new("300".to_owned());
    let cursor = Cursor::new();

    let options = Memo::new(move |_| OAuth2Options {
        client_id: client_id.get(),
        scope: scopes.get().join(" "),
        pkce: pkce.get(),
        fault: fault.get(),
        server: ServerSettings {
            pkce_required: pkce_required.get(),
            access_token_lifetime: valid_lifetime(&lifetime.get()).unwrap_or(300),
        },
    });
    let lifetime_error = Signal::derive(move || {
        let ok = valid_lifetime(&lifetime.get()).is_some();
        (!ok).then(|| {
            "A lifetime is a number of seconds from 1 to 86400; 300 is used meanwhile.".to_owned()
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
                        <option value="playground-spa">"playground-spa (public, PKCE required)"</option>
                        <option value="photo-printer">"photo-printer (confidential, client_secret_basic)"</option>
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
                        <option value="S256">"S256"</option>
                        <option value="plain">"plain"</option>
                        <option value="none">"none"</option>
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
                            <option value="registered">"As registered (public clients must)"</option>
                            <option value="required">"Required for this client"</option>
                            <option value="optional">"Optional for this client"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="o2-lifetime">"Access token lifetime (s)"</label>
                        <input id="o2-lifetime" type="text" inputmode="numeric" prop:value=move || lifetime.get()
                            on:input=move |ev| { lifetime.set(event_target_value(&ev)); restart.run(()); } />
                        <FieldError message=lifetime_error id="o2-lifetime-error" />
                    </div>
                </div>
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
            <FlowControls total=total cursor=cursor on_restart=restart />
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
