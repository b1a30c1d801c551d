//! The OAuth 1.0a three-legged flow, run against the in-page server.

use leptos::prelude::*;

use crate::flows::oauth1::{OAuth1Fault, run};
use crate::mock::World;
use crate::oauth1::SignatureMethod;
use crate::trace::Role;

use super::Mode;
use super::flow::{Cursor, ExchangeDetail, FlowControls, SequenceDiagram};
use super::state::kept;

/// The seed and clock of a run: fixed, so documentation shows the same
/// values every time.
const SEED: &[u8] = b"oauth1-playground";
const START: u64 = 1_767_225_600;

/// What the user chose and how far they stepped, kept across visits.
#[derive(Clone, Copy)]
struct ThreeLegged {
    fault: RwSignal<OAuth1Fault>,
    method: RwSignal<SignatureMethod>,
    cursor: Cursor,
}

#[component]
pub fn ThreeLeggedFlow() -> impl IntoView {
    let mode = use_context::<RwSignal<Mode>>();
    let ThreeLegged {
        fault,
        method,
        cursor,
    } = kept(|| ThreeLegged {
        fault: RwSignal::new(OAuth1Fault::None),
        method: RwSignal::new(SignatureMethod::HmacSha1),
        cursor: Cursor::new(),
    });
    let trace = Memo::new(move |_| run(&mut World::new(SEED, START), method.get(), fault.get()));
    let restart = Callback::new(move |_| {
        cursor.shown.set(0);
        cursor.selected.set(None);
    });
    let total = Signal::derive(move || trace.with(|t| t.exchanges.len()));

    view! {
        <section class="panel">
            <h1>"OAuth 1.0a three-legged flow"</h1>
            <p class="lead">
                "The client, the server and you (the resource owner) all run in this page. \
                 Every request below is signed by the same code as the workbench."
            </p>
            <Show when=move || mode.is_some_and(|m| m.get() == Mode::Real)>
                <p class="notice">
                    "OAuth 1.0a servers do not allow requests from browsers (no CORS), so the flow \
                     runs against the in-page server. Use the signature workbench to sign requests \
                     for a real server and send them with the curl command it gives."
                </p>
            </Show>
            <div class="flow-options">
                <div class="field">
                    <label for="o1f-method">"Signature method"</label>
                    <select id="o1f-method" on:change=move |ev| {
                        let name = event_target_value(&ev);
                        if let Some(m) = SignatureMethod::from_name(&name) {
                            method.set(m);
                            restart.run(());
                        }
                    }>
                        {SignatureMethod::ALL
                            .map(|m| view! { <option value=m.name() selected=move || method.get() == m>{m.name()}</option> })}
                    </select>
                </div>
                <fieldset class="faults">
                    <legend>"Fault"</legend>
                    {OAuth1Fault::ALL.map(|f| view! {
                        <label class="check">
                            <input type="radio" name="o1-fault" prop:checked=move || fault.get() == f
                                on:change=move |_| { fault.set(f); restart.run(()); } />
                            {f.label()}
                        </label>
                    })}
                </fieldset>
            </div>
            <p class="lesson">{move || fault.get().lesson(method.get())}</p>
            <FlowControls total=total cursor=cursor on_restart=restart />
            <div class="flow">
                {move || {
                    let mut lanes = vec![Role::ResourceOwner, Role::Client, Role::Server];
                    if fault.get() == OAuth1Fault::ReplayedNonce {
                        lanes.insert(0, Role::Attacker);
                    }
                    view! { <SequenceDiagram trace=trace lanes=lanes cursor=cursor /> }
                }}
                <ExchangeDetail trace=trace cursor=cursor />
            </div>
        </section>
    }
}
