use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_i18n;

/// A labelled input whose error, if the server refused this field, shows beneath it.
#[component]
pub fn Field(
    /// Japanese and English label.
    label: (&'static str, &'static str),
    /// The field's name in the API (matches `errors[].field`).
    name: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<(&'static str, &'static str)>,
    #[prop(optional)] autocomplete: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || error.with(|error| error.as_ref().and_then(|error| error.field(name)));
    view! {
        <label class="field">
            <span class="field-label">{move || i18n.pick(label.0, label.1)}</span>
            <input
                type=kind
                name=name
                data-testid=format!("field-{name}")
                autocomplete=autocomplete.unwrap_or("off")
                class:invalid=move || message().is_some()
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
            {hint.map(|hint| view! { <span class="field-hint">{move || i18n.pick(hint.0, hint.1)}</span> })}
            <span class="field-error" data-testid=format!("error-{name}")>{message}</span>
        </label>
    }
}

/// The problem's title (and detail) when the error is not about one field.
#[component]
pub fn FormError(error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error.get().map(|error| {
            view! { <crate::components::ErrorPanel error /> }
        })
    }
}
