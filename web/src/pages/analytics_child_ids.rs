//! 子ID払出し及び管理 (seed 000 §1-2, standard plan): the subscriber's administrator issues
//! view-only child IDs, disables, enables and deletes them; the plan's maximum shows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::AccountStatus;
use madoguchi_types::analytics::{ChildId, ChildIdRequest};
use madoguchi_types::ids::SubscriptionId;
use madoguchi_types::validation::rules;

use crate::api;
use crate::auth::use_auth;
use crate::components::{ConfirmButton, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, use_toasts};
use crate::i18n::{catalogue::child_ids as text, tr, use_i18n};

#[component]
pub fn ChildIdCard(subscription: SubscriptionId) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        let (lang, _) = (i18n.lang(), version.get());
        async move { api::analytics::child_ids(auth, lang, subscription).await }
    });
    let full_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let issue = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("full_name", rules::required(&full_name.get_untracked()));
        errors.check("email", rules::email_shape(&email.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = ChildIdRequest {
            full_name: full_name.get_untracked(),
            email: email.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::analytics::create_child_id(auth, lang, subscription, &request).await {
                Ok(_) => {
                    toasts.success(i18n.t(text::ISSUED));
                    full_name.set(String::new());
                    email.set(String::new());
                    version.update(|version| *version += 1);
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let changed = Callback::new(move |()| version.update(|version| *version += 1));
    view! {
        <section class="card" data-testid="child-ids" aria-labelledby="child-ids-title">
            <h2 id="child-ids-title">{tr(text::TITLE)}</h2>
            <p class="muted small">{tr(text::LEAD)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => {
                            let count = format!("{}: {} / {}", i18n.t(text::COUNT), list.items.len(), list.max);
                            view! {
                                <p data-testid="child-id-count">{count}</p>
                                {if list.items.is_empty() {
                                    view! { <p class="muted">{tr(text::NONE)}</p> }.into_any()
                                } else {
                                    view! { <ChildIdTable subscription items=list.items changed /> }.into_any()
                                }}
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <form class="form" on:submit=issue data-testid="child-id-form" novalidate>
                <Field scope="child" label=text::NAME name="full_name" value=full_name errors required=true autocomplete="off" />
                <Field scope="child" label=text::EMAIL name="email" kind="email" value=email errors required=true autocomplete="off" />
                <FormError errors />
                <button type="submit" class="button button-primary" data-testid="issue-child-id" disabled=move || busy.get()>{tr(text::ISSUE)}</button>
            </form>
        </section>
    }
}

#[component]
fn ChildIdTable(subscription: SubscriptionId, items: Vec<ChildId>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let busy = RwSignal::new(false);
    let toggle = move |child: ChildId| {
        let disabled = child.status != AccountStatus::Disabled;
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::analytics::change_child_id(auth, lang, subscription, child.account_id, disabled).await
            {
                Ok(_) => {
                    toasts.success(i18n.t(text::CHANGED));
                    changed.run(());
                }
                Err(error) => toasts.failure(error.to_string()),
            }
            busy.set(false);
        });
    };
    let remove = move |child: ChildId| {
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::analytics::delete_child_id(auth, lang, subscription, child.account_id).await {
                Ok(()) => {
                    toasts.success(i18n.t(text::DELETED));
                    changed.run(());
                }
                Err(error) => toasts.failure(error.to_string()),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="table-scroll">
            <table class="table" data-testid="child-id-table">
                <thead>
                    <tr>
                        <th scope="col">{tr(text::LOGIN_ID)}</th>
                        <th scope="col">{tr(text::NAME)}</th>
                        <th scope="col">{tr(text::EMAIL)}</th>
                        <th scope="col">{tr(text::STATUS)}</th>
                        <th scope="col">{tr(text::ACTIONS)}</th>
                    </tr>
                </thead>
                <tbody>
                    {items.into_iter().map(|child| {
                        let active = child.status != AccountStatus::Disabled;
                        let (for_toggle, for_remove) = (child.clone(), child.clone());
                        let login_id = child.login_id.clone();
                        view! {
                            <tr data-testid=format!("child-id-{}", child.login_id)>
                                <td>{child.login_id.clone()}</td>
                                <td>{child.full_name.clone()}</td>
                                <td>{child.email.clone()}</td>
                                <td data-testid="child-id-status">{tr(if active { text::ACTIVE } else { text::DISABLED })}</td>
                                <td class="actions">
                                    <button type="button" class="button" data-testid="toggle-child-id"
                                        disabled=move || busy.get()
                                        on:click=move |_| toggle(for_toggle.clone())>
                                        {tr(if active { text::DISABLE } else { text::ENABLE })}
                                    </button>
                                    <ConfirmButton
                                        label=Signal::derive(move || i18n.t(text::DELETE).to_owned())
                                        title=text::DELETE_TITLE
                                        message=Signal::derive(move || text::delete_message(i18n.lang(), &login_id))
                                        confirm=text::DELETE
                                        on_confirm=Callback::new(move |()| remove(for_remove.clone()))
                                        busy=busy.into()
                                        testid="delete-child-id" />
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
