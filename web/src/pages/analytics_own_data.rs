//! お客さま保有データ アップロード (seed 000 §1-2, standard plan): choosing a file shows its
//! rows and every refused one (a dry run on the server, the same checks as storing); a clean
//! file is stored with one more click and the reports show it beside the collected calls.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::analytics::OwnDataUpload;
use madoguchi_types::ids::SubscriptionId;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{ErrorPanel, use_toasts};
use crate::i18n::{catalogue::own_data as text, tr, use_i18n};

/// Rows of the preview shown (the counts say the rest).
const PREVIEW_ROWS: usize = 20;

#[derive(Clone)]
enum Step {
    Idle,
    Sending(f64),
    Previewed(OwnDataUpload),
    Failed(ApiError),
}

#[component]
pub fn OwnDataCard(subscription: SubscriptionId, stored: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let step = RwSignal::new_local(Step::Idle);
    let send = move |dry_run: bool| {
        let Some(chosen) = file.get_untracked() else {
            return;
        };
        let lang = i18n.lang_untracked();
        step.set(Step::Sending(0.0));
        spawn_local(async move {
            let answer =
                api::analytics::send_own_data(auth, lang, subscription, dry_run, &chosen, move |share| {
                    step.set(Step::Sending(share));
                })
                .await;
            match answer {
                Ok(upload) if upload.applied => {
                    toasts.success(i18n.t(text::APPLIED));
                    file.set(None);
                    step.set(Step::Idle);
                    stored.run(());
                }
                Ok(upload) => step.set(Step::Previewed(upload)),
                Err(error) => step.set(Step::Failed(error)),
            }
        });
    };
    view! {
        <section class="card" data-testid="own-data" aria-labelledby="own-data-title">
            <h2 id="own-data-title">{tr(text::TITLE)}</h2>
            <p class="muted small">{tr(text::LEAD)}</p>
            <div class="field">
                <label class="field-label" for="field-own-data-file">{tr(text::FILE)}</label>
                <input id="field-own-data-file" type="file" accept=".csv,text/csv" data-testid="own-data-file"
                    on:change=move |event| {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        if let Some(chosen) = input.files().and_then(|list| list.get(0)) {
                            file.set(Some(chosen));
                            send(true);
                        }
                        // The same file, fixed, can be chosen again.
                        input.set_value("");
                    } />
            </div>
            {move || match step.get() {
                Step::Idle => ().into_any(),
                Step::Sending(share) => view! {
                    <p role="status" data-testid="own-data-sending">
                        {tr(text::SENDING)} " "
                        <progress max="1" value=share.to_string() aria-label=move || i18n.t(text::SENDING)></progress>
                    </p>
                }.into_any(),
                Step::Failed(error) => view! { <ErrorPanel error /> }.into_any(),
                Step::Previewed(upload) => view! { <Preview upload apply=Callback::new(move |()| send(false)) /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Preview(upload: OwnDataUpload, apply: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let clean = upload.errors.is_empty();
    let summary = format!(
        "{}: {} · {}: {} · {}: {}",
        i18n.t(text::ROWS),
        upload.rows.len(),
        i18n.t(text::DAYS),
        upload.days.len(),
        i18n.t(text::ENCODING),
        upload.encoding,
    );
    let errors = upload.errors.clone();
    view! {
        <div data-testid="own-data-preview">
            <h3>{tr(text::PREVIEW)}</h3>
            <p data-testid="own-data-summary">{summary}</p>
            {(!errors.is_empty()).then(|| view! {
                <div class="alert alert-error" role="alert" data-testid="own-data-errors">
                    <p class="alert-title">{tr(text::ERRORS)}</p>
                    <div class="table-scroll">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{tr(text::LINE)}</th>
                                <th scope="col">{tr(text::COLUMN)}</th>
                                <th scope="col">{tr(text::REASON)}</th>
                            </tr></thead>
                            <tbody>
                                {errors.into_iter().map(|error| view! {
                                    <tr><td class="number">{error.line}</td><td>{error.field}</td><td>{error.message}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p>{tr(text::FIX_FIRST)}</p>
                </div>
            })}
            <div class="table-scroll">
                <table class="table" data-testid="own-data-rows">
                    <thead><tr>
                        <th scope="col">{tr(text::DAY)}</th>
                        <th scope="col">{tr(text::LABEL)}</th>
                        <th scope="col" class="number">{tr(text::CALLS)}</th>
                        <th scope="col" class="number">{tr(text::SECONDS)}</th>
                    </tr></thead>
                    <tbody>
                        {upload.rows.into_iter().take(PREVIEW_ROWS).map(|row| view! {
                            <tr>
                                <td>{row.day.to_string()}</td>
                                <td>{row.label}</td>
                                <td class="number">{row.calls}</td>
                                <td class="number">{row.seconds.map(|seconds| seconds.to_string()).unwrap_or_default()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="actions">
                <button type="button" class="button button-primary" data-testid="own-data-apply"
                    disabled=!clean on:click=move |_| apply.run(())>{tr(text::APPLY)}</button>
            </p>
        </div>
    }
}
