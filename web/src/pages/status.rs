use leptos::prelude::*;
use madoguchi_types::HealthResponse;

use crate::api;
use crate::components::ErrorPanel;
use crate::i18n::use_i18n;

/// The health endpoint's answer, for people.
#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    // Refetches when the language changes, so that an error reads in the new language.
    let health = LocalResource::new(move || {
        let lang = i18n.lang();
        api::health(lang)
    });
    view! {
        <section>
            <h1>{move || i18n.texts().status_title}</h1>
            <p class="lead">{move || i18n.texts().status_lead}</p>
            <Transition fallback=move || view! { <p class="muted">{i18n.texts().loading}</p> }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(health) => view! { <HealthCard health /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <button type="button" class="button" on:click=move |_| health.refetch()>
                {move || i18n.texts().refresh}
            </button>
        </section>
    }
}

#[component]
fn HealthCard(health: HealthResponse) -> impl IntoView {
    let i18n = use_i18n();
    let jst = super::format_japan_time(health.server_time, "%Y-%m-%d %H:%M:%S");
    let database = health.database.clone();
    view! {
        <div class="status-card" data-testid="health">
            <p class="status-ok" data-testid="health-status">
                <span class="dot" aria-hidden="true"></span>
                {move || i18n.texts().status_ok}
            </p>
            <dl class="facts">
                <dt>{move || i18n.texts().version_label}</dt>
                <dd data-testid="health-version">{health.version.clone()}</dd>
                <dt>{move || i18n.texts().database_label}</dt>
                <dd data-testid="health-database">
                    {database.backend.label()}" — "{move || i18n.texts().database_reachable}
                </dd>
                <dt>{move || i18n.texts().latency_label}</dt>
                <dd>{database.latency_ms}" ms"</dd>
                <dt>{move || i18n.texts().server_time_label}</dt>
                <dd>{jst}</dd>
            </dl>
        </div>
    }
}
