//! 操作履歴: the audit log in the reader's language, filtered by actor, action and dates,
//! newest first, with more loaded on request.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::{AuditAction, AuditEvent};
use madoguchi_types::ids::{AccountId, AuditEventId};
use madoguchi_types::policy::Permission;

use crate::api::{
    self, ApiError,
    accounts::{AccountQuery, AuditQuery},
};
use crate::auth::use_auth;
use crate::components::{
    EmptyState, ErrorPanel, Field, FieldErrors, LoadingRows, PageHeading, RequirePermission, SelectField,
    action_label, detail_summary,
};
use crate::i18n::{catalogue::audit as text, tr, use_i18n};

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::AuditLog><AuditContent /></RequirePermission> }
}

#[component]
fn AuditContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (action, actor, from, to) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let events = RwSignal::new(Vec::<AuditEvent>::new());
    let next = RwSignal::new(None::<AuditEventId>);
    let failure = RwSignal::new(None::<ApiError>);
    let loading = RwSignal::new(true);
    let query = move |before| AuditQuery {
        action: action.get_untracked().parse::<AuditAction>().ok(),
        actor: actor.get_untracked().parse().ok().map(AccountId),
        from: from.get_untracked(),
        to: to.get_untracked(),
        before,
    };
    let load = move |before: Option<AuditEventId>| {
        let (lang, query) = (i18n.lang_untracked(), query(before));
        loading.set(true);
        spawn_local(async move {
            match api::accounts::audit_log(auth, lang, &query).await {
                Ok(page) => {
                    failure.set(None);
                    next.set(page.next_before_id);
                    events.update(|events| {
                        if before.is_none() {
                            events.clear();
                        }
                        events.extend(page.items);
                    });
                }
                Err(error) => failure.set(Some(error)),
            }
            loading.set(false);
        });
    };
    load(None);
    let apply = Callback::new(move |()| load(None));
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <AuditFilters action actor from to apply />
            {move || failure.get().map(|error| view! { <ErrorPanel error /> })}
            {move || {
                let list = events.get();
                if list.is_empty() && loading.get() {
                    view! { <LoadingRows rows=5 /> }.into_any()
                } else if list.is_empty() {
                    view! { <EmptyState text=text::NONE /> }.into_any()
                } else {
                    view! { <AuditTable list /> }.into_any()
                }
            }}
            <Show when=move || next.get().is_some()>
                <button type="button" class="button" data-testid="audit-more" disabled=move || loading.get()
                    on:click=move |_| load(next.get_untracked())>
                    {tr(text::MORE)}
                </button>
            </Show>
        </section>
    }
}

/// Actor (from the organization's accounts), action and dates.
#[component]
fn AuditFilters(
    action: RwSignal<String>,
    actor: RwSignal<String>,
    from: RwSignal<String>,
    to: RwSignal<String>,
    apply: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let actors = RwSignal::new(Vec::<(String, String)>::new());
    let errors = FieldErrors::new();
    spawn_local(async move {
        let query = AccountQuery {
            page: 1,
            per_page: 200,
            ..Default::default()
        };
        if let Ok(page) = api::accounts::accounts(auth, i18n.lang_untracked(), &query).await {
            actors.set(
                page.items
                    .into_iter()
                    .map(|account| (account.id.to_string(), account.login_id))
                    .collect(),
            );
        }
    });
    let all = move || (String::new(), text::ALL.get(i18n.lang()).to_owned());
    let action_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once(all())
            .chain(AuditAction::ALL.iter().map(|action| {
                (
                    action.as_str().to_owned(),
                    action_label(*action).get(lang).to_owned(),
                )
            }))
            .collect()
    });
    let actor_options = Signal::derive(move || std::iter::once(all()).chain(actors.get()).collect());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        apply.run(());
    };
    view! {
        <form class="filters" on:submit=submit data-testid="audit-filters" role="search">
            <SelectField scope="filter" label=text::ACTOR name="actor" value=actor options=actor_options errors />
            <SelectField scope="filter" label=text::ACTION name="action" value=action options=action_options errors />
            <Field scope="filter" label=text::FROM name="from" kind="date" value=from errors />
            <Field scope="filter" label=text::TO name="to" kind="date" value=to errors />
            <button type="submit" class="button">{tr(text::APPLY)}</button>
        </form>
    }
}

#[component]
fn AuditTable(list: Vec<AuditEvent>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="table responsive" data-testid="audit-log">
            <thead><tr>
                <th>{tr(text::TIME)}</th>
                <th>{tr(text::ACTOR)}</th>
                <th>{tr(text::ACTION)}</th>
                <th>{tr(text::SUBJECT)}</th>
                <th>{tr(text::DETAIL)}</th>
                <th>{tr(text::FROM_ADDRESS)}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|event| {
                    let (action, detail) = (event.action, event.detail.clone());
                    view! {
                        <tr data-testid="audit-row">
                            <td data-label=move || i18n.t(text::TIME)>{super::format_time(event.created_at)}</td>
                            <td data-label=move || i18n.t(text::ACTOR)>{event.actor_login_id.clone().unwrap_or_else(|| "—".into())}</td>
                            <td data-label=move || i18n.t(text::ACTION)>{move || i18n.t(action_label(action))}</td>
                            <td data-label=move || i18n.t(text::SUBJECT)>{event.subject_login_id.clone().unwrap_or_else(|| "—".into())}</td>
                            <td data-label=move || i18n.t(text::DETAIL)>{move || detail_summary(action, &detail, i18n.lang())}</td>
                            <td data-label=move || i18n.t(text::FROM_ADDRESS)>{event.ip.clone().unwrap_or_default()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
