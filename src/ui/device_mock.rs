//! The device authorization grant with every role in the page: the device
//! shows a code, you enter it on the server's user-code page.

use leptos::prelude::*;

use crate::flows::device::{UserCodeEntry, run};
use crate::mock::World;
use crate::mock::authorization_server::Decision;
use crate::trace::Role;

use super::flow::{Cursor, ExchangeDetail, FlowControls, SequenceDiagram};
use super::state::kept;

const SEED: &[u8] = b"device-playground";
const START: u64 = 1_767_225_600;

/// The codes typed so far, the fault and the step reached, kept across visits.
#[derive(Clone, Copy)]
struct DeviceState {
    entries: RwSignal<Vec<UserCodeEntry>>,
    expire: RwSignal<bool>,
    cursor: Cursor,
}

#[component]
pub fn MockDeviceFlow() -> impl IntoView {
    let DeviceState {
        entries,
        expire,
        cursor,
    } = kept(|| DeviceState {
        entries: RwSignal::new(Vec::new()),
        expire: RwSignal::new(false),
        cursor: Cursor::new(),
    });
    let result =
        Memo::new(move |_| run(&mut World::new(SEED, START), &entries.get(), expire.get()));
    let trace = Signal::derive(move || result.with(|r| r.trace.clone()));
    let total = Signal::derive(move || result.with(|r| r.trace.exchanges.len()));
    let restart = Callback::new(move |_| {
        entries.set(Vec::new());
        cursor.shown.set(0);
        cursor.selected.set(None);
    });

    view! {
        <section class="panel">
            <h1>"Device authorization grant"</h1>
            <p class="lead">
                "For devices without a browser: the device shows a short code, you approve on another \
                 screen, and the device polls until the tokens come (RFC 8628). Runs in this page."
            </p>
            <label class="check">
                <input type="checkbox" prop:checked=move || expire.get()
                    on:change=move |ev| { expire.set(event_target_checked(&ev)); restart.run(()); } />
                "Fault: let the code expire before anyone enters it"
            </label>
            <FlowControls total=total cursor=cursor on_restart=restart waiting=Signal::derive(move || result.with(|r| r.waiting.is_some())) />
            <div class="flow">
                <div>
                    <SequenceDiagram trace=trace lanes=vec![Role::ResourceOwner, Role::Client, Role::AuthorizationServer] cursor=cursor />
                    <UserCodePage result=result cursor=cursor entries=entries />
                </div>
                <ExchangeDetail trace=trace cursor=cursor />
            </div>
        </section>
    }
}

/// The authorization server's user-code page, once the device has shown
/// its code and the user has stepped up to it.
#[component]
fn UserCodePage(
    result: Memo<crate::flows::device::DeviceRun>,
    cursor: Cursor,
    entries: RwSignal<Vec<UserCodeEntry>>,
) -> impl IntoView {
    let typed = RwSignal::new(String::new());
    let submit = move |decision: Decision| {
        entries.update(|list| {
            list.push(UserCodeEntry {
                typed: typed.get_untracked(),
                decision,
            })
        });
        let total = result.with_untracked(|r| r.trace.exchanges.len());
        cursor.shown.set(total);
        cursor.selected.set(total.checked_sub(1));
    };
    move || {
        let at_end = cursor.shown.get() >= result.with(|r| r.trace.exchanges.len());
        let waiting = result.with(|r| r.waiting.clone()).filter(|_| at_end)?;
        let (code, uri) = result.with(|r| {
            (
                r.user_code.clone().unwrap_or_default(),
                r.verification_uri.clone().unwrap_or_default(),
            )
        });
        Some(view! {
            <div class="consent" data-testid="user-code-page">
                <p class="muted">{uri}" — the authorization server's page"</p>
                <h2>"Connect a device"</h2>
                <p>"The device shows the code " <strong class="mono" data-testid="mock-user-code">{code}</strong></p>
                <div class="field">
                    <label for="device-code-input">"Enter the code from your device"</label>
                    <input id="device-code-input" type="text" autocomplete="off" spellcheck="false"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev)) />
                    {waiting.map(|complaint| view! { <p class="field-error">{complaint}</p> })}
                </div>
                <div class="flow-controls">
                    <button type="button" on:click=move |_| submit(Decision::Approve { user: 0, scopes: Vec::new() })>"Approve"</button>
                    <button type="button" class="secondary" on:click=move |_| submit(Decision::Deny)>"Deny"</button>
                </div>
            </div>
        })
    }
}
