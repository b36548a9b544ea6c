//! システム状態: the health endpoint's answer, for people (engine and version for staff).

use leptos::prelude::*;
use madoguchi_types::HealthResponse;

use crate::api;
use crate::auth::use_auth;
use crate::components::{ErrorPanel, LoadingRows, PageHeading};
use crate::i18n::{catalogue::status, tr, use_i18n};

#[component]
pub fn StatusPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    // Refetches when the language or the session changes.
    let health = LocalResource::new(move || {
        let lang = i18n.lang();
        auth.state();
        api::system::health(auth, lang)
    });
    view! {
        <section>
            <PageHeading text=status::TITLE />
            <p class="lead">{tr(status::LEAD)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=4 /> }>
                {move || Suspend::new(async move {
                    match health.await {
                        Ok(health) => view! { <HealthCard health /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <button type="button" class="button" on:click=move |_| health.refetch()>{tr(status::REFRESH)}</button>
        </section>
    }
}

#[component]
fn HealthCard(health: HealthResponse) -> impl IntoView {
    let jst = super::format_japan_time(health.server_time, "%Y-%m-%d %H:%M:%S");
    let database = health.database.clone();
    view! {
        <div class="status-card" data-testid="health">
            <p class="status-ok" data-testid="health-status">
                <span class="dot" aria-hidden="true"></span>
                {tr(status::OK)}
            </p>
            <dl class="facts">
                {health.version.clone().map(|version| view! {
                    <dt>{tr(status::VERSION)}</dt><dd data-testid="health-version">{version}</dd>
                })}
                <dt>{tr(status::DATABASE)}</dt>
                <dd data-testid="health-database">
                    {database.backend.map(|backend| format!("{} — ", backend.label()))}
                    {tr(status::REACHABLE)}
                </dd>
                <dt>{tr(status::LATENCY)}</dt>
                <dd>{database.latency_ms}" ms"</dd>
                <dt>{tr(status::SERVER_TIME)}</dt>
                <dd>{jst}</dd>
            </dl>
        </div>
    }
}
