//! Form fields: labelled, required ones marked, checked in the browser with the server's
//! rules and messages before sending, the server's field errors shown beside the field,
//! errors linked with `aria-describedby`/`aria-invalid`, and focus moved to the first error.

use leptos::prelude::*;
use madoguchi_types::validation::Invalid;

use crate::api::ApiError;
use crate::i18n::{Text, catalogue::kit, use_i18n};

/// What is wrong with a form: the browser's own checks and the server's answer.
#[derive(Clone, Copy)]
pub struct FieldErrors {
    client: RwSignal<Vec<(&'static str, Invalid)>>,
    server: RwSignal<Option<ApiError>>,
}

impl Default for FieldErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl FieldErrors {
    pub fn new() -> Self {
        Self {
            client: RwSignal::new(Vec::new()),
            server: RwSignal::new(None),
        }
    }

    pub fn clear(&self) {
        self.client.set(Vec::new());
        self.server.set(None);
    }

    /// Records `result` for `field`; returns whether it passed.
    pub fn check(&self, field: &'static str, result: Result<(), Invalid>) -> bool {
        match result {
            Ok(()) => true,
            Err(reason) => {
                self.client.update(|client| client.push((field, reason)));
                false
            }
        }
    }

    /// Replaces the browser's finding for `field` (a check as the user types).
    pub fn recheck(&self, field: &'static str, result: Result<(), Invalid>) {
        self.client.update(|client| {
            client.retain(|(name, _)| *name != field);
            if let Err(reason) = result {
                client.push((field, reason));
            }
        });
    }

    /// Whether the browser found something (then: do not send; focus the first error).
    pub fn blocked(&self) -> bool {
        let blocked = self.client.with_untracked(|client| !client.is_empty());
        if blocked {
            focus_first_error();
        }
        blocked
    }

    pub fn server_said(&self, error: ApiError) {
        let has_fields = !error.fields().is_empty();
        self.server.set(Some(error));
        if has_fields {
            focus_first_error();
        }
    }

    pub fn server(&self) -> RwSignal<Option<ApiError>> {
        self.server
    }

    /// The server's (field, message) pairs for the entries of a list field (`name[3].model`
    /// and the list itself), tracked.
    pub fn in_list(&self, name: &str) -> Vec<(String, String)> {
        let entry = format!("{name}[");
        self.server.with(|server| match server {
            Some(ApiError::Problem(problem)) => problem
                .errors
                .iter()
                .filter(|error| error.field == name || error.field.starts_with(&entry))
                .map(|error| (error.field.clone(), error.message.clone()))
                .collect(),
            _ => Vec::new(),
        })
    }

    /// The message for `field` (tracked), the browser's first.
    pub fn message(&self, field: &str) -> Option<String> {
        let lang = use_i18n().lang();
        let client = self.client.with(|client| {
            client
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, reason)| reason.message(lang))
        });
        client.or_else(|| {
            self.server
                .with(|server| server.as_ref().and_then(|error| error.field(field)))
        })
    }
}

/// After the next render: focus the element with this id (a form that just opened, a
/// confirmation that just appeared), so that keyboard users go on from there.
pub fn focus_by_id(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .get_element_by_id(id)
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// After the next render: focus the first field marked invalid.
pub fn focus_first_error() {
    request_animation_frame(|| {
        use wasm_bindgen::JsCast;
        if let Some(element) = document()
            .query_selector("[aria-invalid=\"true\"]")
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    });
}

/// `name`, or `scope-name`: the id part of a field's elements.
fn element_key(scope: Option<&'static str>, name: &str) -> String {
    match scope {
        Some(scope) => format!("{scope}-{name}"),
        None => name.to_owned(),
    }
}

/// A labelled input.
#[component]
pub fn Field(
    label: Text,
    /// The field's name in the API (matches `errors[].field`).
    name: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Text>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(optional)]
    list: Option<&'static str>,
    /// Keeps element ids unique when two forms of a page have a field of the same name.
    #[prop(optional)]
    scope: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = element_key(scope, name);
    let id = format!("field-{key}");
    let (hint_id, error_id) = (format!("hint-{key}"), format!("error-{key}"));
    let message = move || errors.message(name);
    let revealed = RwSignal::new(false);
    let input_type = move || {
        if kind == "password" && revealed.get() {
            "text"
        } else {
            kind
        }
    };
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>
                {move || i18n.t(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span><span class="sr-only">{move || i18n.t(kit::REQUIRED)}</span> })}
            </label>
            <div class="field-input">
                <input
                    id=id
                    type=input_type
                    name=name
                    data-testid=format!("field-{name}")
                    autocomplete=autocomplete.unwrap_or("off")
                    inputmode=inputmode
                    list=list
                    required=required
                    aria-required=required.then_some("true")
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:value=move || value.get()
                    on:input=move |event| value.set(event_target_value(&event))
                />
                {(kind == "password").then(|| view! {
                    <button type="button" class="reveal" aria-pressed=move || revealed.get().to_string()
                        on:click=move |_| revealed.update(|shown| *shown = !*shown) data-testid=format!("reveal-{name}")>
                        {move || if revealed.get() { i18n.t(kit::HIDE) } else { i18n.t(kit::SHOW) }}
                    </button>
                })}
            </div>
            {hint.map(|hint| view! { <span class="field-hint" id=hint_id>{move || i18n.t(hint)}</span> })}
            <span class="field-error" id=error_id data-testid=format!("error-{name}") aria-live="polite">{message}</span>
        </div>
    }
}

/// A labelled multi-line input; the server's errors for the list it holds (`name[i]…`) are
/// listed under it, each described by `entry` (say, "line 3: model").
#[component]
pub fn TextAreaField(
    label: Text,
    name: &'static str,
    value: RwSignal<String>,
    errors: FieldErrors,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Text>,
    #[prop(default = 4)] rows: u32,
    /// Describes a refused entry's field (`equipment[2].model`) for the reader.
    #[prop(optional)]
    entry: Option<fn(&str, crate::i18n::Lang) -> String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let (hint_id, error_id) = (format!("hint-{name}"), format!("error-{name}"));
    let messages = move || {
        let mut list: Vec<String> = errors.message(name).into_iter().collect();
        let lang = i18n.lang();
        for (field, message) in errors.in_list(name) {
            if field != name {
                let place = entry.map_or(field.clone(), |describe| describe(&field, lang));
                list.push(format!("{place}: {message}"));
            }
        }
        list
    };
    let invalid = move || (!messages().is_empty()).then_some("true");
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            ids.push(error_id.clone());
            ids.join(" ")
        }
    };
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>
                {move || i18n.t(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span><span class="sr-only">{move || i18n.t(kit::REQUIRED)}</span> })}
            </label>
            <textarea id=id name=name rows=rows data-testid=format!("field-{name}")
                required=required
                aria-invalid=invalid
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))></textarea>
            {hint.map(|hint| view! { <span class="field-hint" id=hint_id>{move || i18n.t(hint)}</span> })}
            <div class="field-error" id=error_id data-testid=format!("error-{name}") aria-live="polite">
                {move || messages().into_iter().map(|message| view! { <div>{message}</div> }).collect_view()}
            </div>
        </div>
    }
}

/// A labelled select of `options` (value, label).
#[component]
pub fn SelectField(
    label: Text,
    name: &'static str,
    value: RwSignal<String>,
    options: Signal<Vec<(String, String)>>,
    errors: FieldErrors,
    #[prop(optional)] required: bool,
    #[prop(optional)] scope: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let key = element_key(scope, name);
    let id = format!("field-{key}");
    let error_id = format!("error-{key}");
    let error_element_id = error_id.clone();
    let message = move || errors.message(name);
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>
                {move || i18n.t(label)}
                {required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}
            </label>
            <select id=id name=name data-testid=format!("field-{name}")
                aria-invalid=move || message().is_some().then_some("true")
                aria-describedby=move || message().is_some().then(|| error_id.clone())
                prop:value=move || value.get()
                on:change=move |event| value.set(event_target_value(&event))>
                {move || options.get().into_iter().map(|(option, text)| {
                    let selected = value.get_untracked() == option;
                    view! { <option value=option selected=selected>{text}</option> }
                }).collect_view()}
            </select>
            <span class="field-error" id=error_element_id data-testid=format!("error-{name}")>{message}</span>
        </div>
    }
}

/// A checkbox with its label.
#[component]
pub fn CheckField(
    label: Text,
    name: &'static str,
    checked: RwSignal<bool>,
    errors: FieldErrors,
    #[prop(optional)] required: bool,
    #[prop(optional)] scope: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || errors.message(name);
    let error_id = format!("error-{}", element_key(scope, name));
    let described_by = error_id.clone();
    view! {
        <div class="field">
            <label class="check">
                <input type="checkbox" name=name data-testid=format!("field-{name}")
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=described_by
                    prop:checked=move || checked.get()
                    on:change=move |event| checked.set(event_target_checked(&event)) />
                <span>{move || i18n.t(label)}{required.then(|| view! { <span class="required" aria-hidden="true">" *"</span> })}</span>
            </label>
            <span class="field-error" id=error_id data-testid=format!("error-{name}")>{message}</span>
        </div>
    }
}

/// The problem of a failed submit that is not about one field (shown above the button).
#[component]
pub fn FormError(errors: FieldErrors) -> impl IntoView {
    move || {
        errors
            .server()
            .get()
            .filter(|error| error.fields().is_empty())
            .map(|error| view! { <crate::components::ErrorPanel error /> })
    }
}

/// A submit button that is disabled, with a spinner, while its request runs.
#[component]
pub fn SubmitButton(label: Text, busy: Signal<bool>, #[prop(optional)] primary: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <button type="submit" class=if primary { "button button-primary" } else { "button" }
            disabled=move || busy.get() aria-busy=move || busy.get().to_string()>
            {move || busy.get().then(|| view! { <span class="spinner spinner-inline" aria-hidden="true"></span> })}
            {move || i18n.t(label)}
        </button>
    }
}

/// The options of a select from fixed (value, label) pairs, in the current language.
pub fn choices(list: &'static [(&'static str, Text)]) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        let lang = i18n.lang();
        list.iter()
            .map(|(value, label)| ((*value).to_owned(), label.get(lang).to_owned()))
            .collect()
    })
}
