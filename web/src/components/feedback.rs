//! Loading, empty and failed states.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{Text, catalogue::kit, use_i18n};

#[component]
pub fn Spinner() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="spinner" role="status" aria-label=move || i18n.t(kit::LOADING)></span> }
}

/// Placeholder rows while a list loads: the page keeps its height, nothing jumps.
#[component]
pub fn LoadingRows(#[prop(default = 3)] rows: usize) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="skeleton" aria-busy="true" aria-label=move || i18n.t(kit::LOADING)>
            {(0..rows).map(|_| view! { <div class="skeleton-row"></div> }).collect_view()}
        </div>
    }
}

/// An empty list: a sentence, and what to do next.
#[component]
pub fn EmptyState(text: Text, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="empty" data-testid="empty">
            <p>{move || i18n.t(text)}</p>
            {children.map(|children| children())}
        </div>
    }
}

/// An API failure: the problem's title and detail, and the request id for support.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let (title, detail, request_id) = match error {
        ApiError::Problem(problem) => (Some(problem.title), problem.detail, problem.request_id),
        ApiError::Network(_) => (None, None, None),
        ApiError::Unexpected { status } => (Some(format!("HTTP {status}")), None, None),
    };
    view! {
        <div class="alert alert-error" role="alert" data-testid="error-panel">
            <p class="alert-title">{move || title.clone().unwrap_or_else(|| i18n.t(kit::NETWORK_ERROR).to_owned())}</p>
            {detail.map(|detail| view! { <p>{detail}</p> })}
            {request_id.map(|id| view! { <p class="muted small">{move || i18n.t(kit::REQUEST_ID)}": "<code>{id.clone()}</code></p> })}
        </div>
    }
}
