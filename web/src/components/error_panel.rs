use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::use_i18n;

/// Shows an API failure: the problem's title and detail, and the request id for support.
#[component]
pub fn ErrorPanel(error: ApiError) -> impl IntoView {
    let i18n = use_i18n();
    let texts = i18n.texts();
    let (title, detail, request_id) = match error {
        ApiError::Problem(problem) => (problem.title, problem.detail, problem.request_id),
        ApiError::Network(_) => (texts.network_error.to_owned(), None, None),
        ApiError::Unexpected { status } => (
            format!("{} (HTTP {status})", texts.unexpected_response),
            None,
            None,
        ),
    };
    view! {
        <div class="alert alert-error" role="alert" data-testid="error-panel">
            <p class="alert-title">{title}</p>
            {detail.map(|detail| view! { <p>{detail}</p> })}
            {request_id.map(|id| view! { <p class="muted">{texts.request_id_label}": "<code>{id}</code></p> })}
        </div>
    }
}
