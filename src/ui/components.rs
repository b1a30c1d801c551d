//! Small pieces shared by the sections.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

/// Copies `text()` to the clipboard and says so for a moment.
#[component]
pub fn CopyButton(#[prop(into)] text: Signal<String>, label: &'static str) -> impl IntoView {
    let (copied, set_copied) = signal(false);
    let copy = move |_| {
        let value = text.get_untracked();
        spawn_local(async move {
            let clipboard = window().navigator().clipboard();
            let done = JsFuture::from(clipboard.write_text(&value)).await.is_ok();
            set_copied.set(done);
            set_timeout(
                move || set_copied.set(false),
                std::time::Duration::from_millis(1500),
            );
        });
    };
    view! {
        <button type="button" class="copy" on:click=copy aria-label=format!("Copy {label}")>
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}

/// The message shown under a field whose value cannot be used.
#[component]
pub fn FieldError(
    #[prop(into)] message: Signal<Option<String>>,
    #[prop(into)] id: String,
) -> impl IntoView {
    view! {
        <p class="field-error" id=id role="alert" hidden=move || message.get().is_none()>
            {move || message.get().unwrap_or_default()}
        </p>
    }
}

/// A labelled, copyable wire value with a link to the section defining it.
#[component]
pub fn WireValue(
    title: &'static str,
    rfc_section: &'static str,
    #[prop(into)] value: Signal<String>,
    testid: &'static str,
) -> impl IntoView {
    let href = format!("https://www.rfc-editor.org/rfc/rfc5849#section-{rfc_section}");
    view! {
        <div class="step">
            <div class="step-head">
                <h3>{title}</h3>
                <a class="rfc" href=href target="_blank" rel="noopener">
                    {format!("RFC 5849 §{rfc_section}")}
                </a>
                <CopyButton text=value label=title />
            </div>
            <pre class="wire" data-testid=testid>{move || value.get()}</pre>
        </div>
    }
}

/// A labelled text input bound to a signal.
#[component]
pub fn TextField(
    label: &'static str,
    id: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] list: Option<&'static str>,
    #[prop(optional)] error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let invalid = move || error.is_some_and(|e| e.get().is_some());
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input
                id=id
                type="text"
                spellcheck="false"
                autocomplete="off"
                list=list
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=error_id.clone()
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {error.map(|message| view! { <FieldError message=message id=error_id.clone() /> })}
        </div>
    }
}
