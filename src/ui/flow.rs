//! A recorded flow, drawn: the sequence diagram (SVG, one lane per role),
//! the step controls, and the selected exchange shown raw.

use leptos::prelude::*;

use crate::trace::{Exchange, Message, Role, Trace};

use super::components::CopyButton;

const LANE_WIDTH: f64 = 150.0;
const ROW_HEIGHT: f64 = 44.0;
const TOP: f64 = 46.0;

fn short_label(role: Role) -> &'static str {
    match role {
        Role::ResourceOwner => "Browser",
        Role::Client => "Client",
        Role::AuthorizationServer => "Auth server",
        Role::ResourceServer => "API",
        Role::Server => "Server",
        Role::Attacker => "Attacker",
    }
}

/// How far the user has stepped through the trace, and what is selected.
#[derive(Clone, Copy)]
pub struct Cursor {
    /// The number of exchanges shown.
    pub shown: RwSignal<usize>,
    pub selected: RwSignal<Option<usize>>,
}

impl Cursor {
    pub fn new() -> Cursor {
        Cursor {
            shown: RwSignal::new(0),
            selected: RwSignal::new(None),
        }
    }
}

#[component]
pub fn FlowControls(
    #[prop(into)] total: Signal<usize>,
    cursor: Cursor,
    on_restart: Callback<()>,
    /// Set while the flow waits for the user (consent, a user code): the
    /// steps after it exist only once they answer.
    #[prop(optional, into)]
    waiting: Option<Signal<bool>>,
) -> impl IntoView {
    let step = move |delta: isize| {
        let next = (cursor.shown.get() as isize + delta).clamp(0, total.get() as isize) as usize;
        cursor.shown.set(next);
        cursor.selected.set(next.checked_sub(1));
    };
    view! {
        <div class="flow-controls" role="group" aria-label="Step through the flow">
            <button type="button" class="secondary" on:click=move |_| step(-1) disabled=move || { cursor.shown.get() == 0 }>
                "◀ Step back"
            </button>
            <button type="button" on:click=move |_| step(1) disabled=move || { cursor.shown.get() >= total.get() }>
                "Step forward ▶"
            </button>
            <button type="button" class="secondary" on:click=move |_| step(total.get() as isize) disabled=move || { cursor.shown.get() >= total.get() }>
                "Run all"
            </button>
            <button type="button" class="secondary" on:click=move |_| on_restart.run(())>"Restart"</button>
            <span class="step-count" aria-live="polite">
                {move || {
                    let (shown, total) = (cursor.shown.get(), total.get());
                    let paused = shown == total && waiting.is_some_and(|w| w.get());
                    let more = if paused { ", waiting for you" } else { "" };
                    format!("Step {shown} of {total}{more}")
                }}
            </span>
        </div>
    }
}

#[component]
pub fn SequenceDiagram(
    #[prop(into)] trace: Signal<Trace>,
    lanes: Vec<Role>,
    cursor: Cursor,
) -> impl IntoView {
    let width = LANE_WIDTH * lanes.len() as f64;
    // Below this the labels get too small to read; the box scrolls instead.
    let lanes_count = lanes.len();
    let lane_x = {
        let lanes = lanes.clone();
        move |role: Role| {
            lanes
                .iter()
                .position(|r| *r == role)
                .map(|i| LANE_WIDTH * (i as f64 + 0.5))
                .unwrap_or(0.0)
        }
    };
    let rows = move || trace.with(|t| t.exchanges.len()).max(1);
    let height = move || TOP + ROW_HEIGHT * rows() as f64 + 16.0;

    let heads = lanes
        .iter()
        .map(|role| {
            let x = lane_x(*role);
            view! {
                <g class="lane">
                    <rect x=x - 54.0 y="6" width="108" height="26" rx="6" />
                    <text x=x y="23" text-anchor="middle">{short_label(*role)}</text>
                    <line x1=x y1="32" x2=x y2=move || height() - 4.0 />
                </g>
            }
        })
        .collect_view();

    let arrows = move || {
        let shown = cursor.shown.get();
        let exchanges: Vec<Exchange> =
            trace.with(|t| t.exchanges.iter().take(shown).cloned().collect());
        exchanges
            .into_iter()
            .enumerate()
            .map(|(index, exchange)| {
                let (from, to) = (lane_x(exchange.from), lane_x(exchange.to));
                arrow(index, &exchange, from, to, cursor)
            })
            .collect_view()
    };

    view! {
        <div class="diagram-scroll">
            <svg
                class="sequence"
                viewBox=move || format!("0 0 {width} {}", height())
                width=width
                style:max-width="100%"
                style:min-width=format!("{}px", lanes_count * 100)
                role="img"
                aria-label="Sequence diagram of the flow"
            >
                <defs>
                    <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                </defs>
                {heads}
                {arrows}
            </svg>
        </div>
    }
}

fn arrow(
    index: usize,
    exchange: &Exchange,
    from: f64,
    to: f64,
    cursor: Cursor,
) -> impl IntoView + use<> {
    let y = TOP + ROW_HEIGHT * index as f64 + 26.0;
    let dashed = matches!(exchange.message, Message::Navigation { .. });
    let failed = exchange.failure.is_some();
    let (x1, x2) = if (from - to).abs() < 1.0 {
        (from, from + 30.0)
    } else {
        (from, to)
    };
    let label_x = (x1 + x2) / 2.0;
    let max_chars = (((x2 - x1).abs() / 6.5) as usize).max(14);
    let mut title = format!("{}. {}", index + 1, exchange.title);
    if title.chars().count() > max_chars {
        title = title
            .chars()
            .take(max_chars.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    let full = format!("{}. {}", index + 1, exchange.title);

    view! {
        <g
            class="arrow"
            class:selected=move || cursor.selected.get() == Some(index)
            class:failed=failed
            class:dashed=dashed
            tabindex="0"
            role="button"
            aria-label=full.clone()
            on:click=move |_| cursor.selected.set(Some(index))
            on:keydown=move |ev| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    cursor.selected.set(Some(index));
                }
            }
        >
            <title>{full.clone()}</title>
            <rect class="hit" x=x1.min(x2) - 4.0 y=y - 22.0 width=(x2 - x1).abs() + 8.0 height="30" />
            <text x=label_x y=y - 7.0 text-anchor="middle">{title}</text>
            <line x1=x1 y1=y x2=x2 y2=y marker-end="url(#head)" />
        </g>
    }
}

/// The selected exchange: what happened, why, and the raw messages.
#[component]
pub fn ExchangeDetail(#[prop(into)] trace: Signal<Trace>, cursor: Cursor) -> impl IntoView {
    let exchange = move || {
        cursor
            .selected
            .get()
            .and_then(|i| trace.with(|t| t.exchanges.get(i).cloned()))
    };
    view! {
        <div class="exchange" aria-live="polite" tabindex="-1" data-testid="exchange">
            {move || match exchange() {
                None => view! { <p class="muted">"Step forward, or select an arrow, to see its messages."</p> }.into_any(),
                Some(exchange) => detail(exchange).into_any(),
            }}
        </div>
    }
}

fn detail(exchange: Exchange) -> impl IntoView {
    let heading = format!("{} → {}", exchange.from.label(), exchange.to.label());
    let failure = exchange
        .failure
        .clone()
        .map(|f| view! { <p class="verdict-line bad" data-testid="failure">{f}</p> });
    let body = match exchange.message {
        Message::Http { request, response } => {
            let request_text = request.raw();
            let response_text = response
                .map(|r| r.raw())
                .unwrap_or_else(|| "(no response)".to_owned());
            view! {
                <Raw title="Request" text=request_text testid="raw-request-message" />
                <Raw title="Response" text=response_text testid="raw-response-message" />
            }
            .into_any()
        }
        Message::Navigation { url } => {
            view! { <Raw title="Browser navigates to" text=url testid="navigation" /> }.into_any()
        }
        Message::Check => ().into_any(),
    };
    view! {
        <h3>{exchange.title}</h3>
        <p class="muted">{heading}" · "{exchange.reference}</p>
        <p>{exchange.note}</p>
        {failure}
        {body}
    }
}

#[component]
fn Raw(title: &'static str, text: String, testid: &'static str) -> impl IntoView {
    let copy = Signal::stored(text.clone());
    view! {
        <div class="step">
            <div class="step-head"><h3>{title}</h3><CopyButton text=copy label=title /></div>
            <pre class="wire" data-testid=testid>{text}</pre>
        </div>
    }
}
