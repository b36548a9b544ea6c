//! ピックアップグループ・コールハンティンググループ (SPEC §8.2, seed 003 §5.1, §5.3): both
//! lists of the chosen site with member counts and the site's count against its limit, a
//! new group of each kind, and the editor of one group — members added by extension number
//! (suggested as the user types) and removed; a hunting group's representative, strategy
//! and ring order, changed by dragging a member or with its up and down buttons.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::groups::{
    GroupMember, HuntingGroup, HuntingGroupRequest, HuntingGroupUpdate, HuntingStrategy, PickupGroup,
    PickupGroupRequest, group_number_shape,
};
use madoguchi_types::ids::{ExtensionId, HuntingGroupId, PickupGroupId, SiteId};

use super::pbx::SiteFrame;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{
    ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows, Pager, SelectField,
    SubmitButton, choices, focus_first_error, use_toasts,
};
use crate::i18n::{Lang, catalogue::groups as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn PbxGroupsPage() -> impl IntoView {
    view! { <SiteFrame title=text::TITLE intro=text::INTRO body=|site| view! { <Groups site /> } /> }
}

/// The group open in the editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Pickup(PickupGroupId),
    Hunting(HuntingGroupId),
}

#[component]
fn Groups(site: SiteId) -> impl IntoView {
    let version = RwSignal::new(0_u32);
    let open = RwSignal::new(None::<Open>);
    let changed = move || version.update(|v| *v += 1);
    view! {
        <div class="columns">
            <PickupList site version open changed />
            <HuntingList site version open changed />
        </div>
        {move || match open.get() {
            Some(Open::Pickup(id)) => view! { <PickupEditor site id version changed closed=move || open.set(None) /> }.into_any(),
            Some(Open::Hunting(id)) => view! { <HuntingEditor site id version changed closed=move || open.set(None) /> }.into_any(),
            None => ().into_any(),
        }}
    }
}

/// The extension of the site with exactly this number, if any.
async fn extension_numbered(
    auth: crate::auth::Auth,
    lang: Lang,
    site: SiteId,
    number: &str,
) -> Result<Option<ExtensionId>, ApiError> {
    let page = api::pbx::extensions(auth, lang, site, number, 1, 50).await?;
    Ok(page
        .items
        .into_iter()
        .find(|extension| extension.number == number)
        .map(|extension| extension.id))
}

/// Suggestions for an extension number field: the site's extensions that contain it.
#[component]
fn NumberSuggestions(site: SiteId, typed: RwSignal<String>, list_id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let found = LocalResource::new(move || {
        let (lang, typed) = (i18n.lang(), typed.get());
        async move {
            if typed.trim().is_empty() {
                return Vec::new();
            }
            api::pbx::extensions(auth, lang, site, typed.trim(), 1, 10)
                .await
                .map(|page| page.items)
                .unwrap_or_default()
        }
    });
    view! {
        <datalist id=list_id>
            {move || found.get().unwrap_or_default().into_iter().map(|extension| {
                let label = extension.mobile_number.clone().unwrap_or_default();
                view! { <option value=extension.number.clone()>{label}</option> }
            }).collect_view()}
        </datalist>
    }
}

#[component]
fn PickupList<F>(
    site: SiteId,
    version: RwSignal<u32>,
    open: RwSignal<Option<Open>>,
    changed: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        version.track();
        let (lang, page) = (i18n.lang(), page.get());
        async move { api::groups::pickup_groups(auth, lang, site, "", page, PER_PAGE).await }
    });
    let total = Signal::derive(move || list.get().and_then(Result::ok).map_or(0, |page| page.total));
    let number = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let request = PickupGroupRequest {
            number: number.get_untracked().trim().to_owned(),
            members: Vec::new(),
        };
        if !errors.check("number", group_number_shape(&request.number)) {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::groups::create_pickup(auth, lang, site, &request).await {
                Ok(created) => {
                    toasts.success(text::pickup_created(lang, &created.number));
                    number.set(String::new());
                    changed();
                    open.set(Some(Open::Pickup(created.id)));
                }
                Err(failure) => {
                    errors.server_said(failure);
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card" data-testid="pickup-groups">
            <h2>{tr(text::PICKUP_TITLE)}</h2>
            <p class="muted small">{tr(text::PICKUP_HINT)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(found) => view! {
                            <p class="muted" data-testid="pickup-count">{move || text::groups_of(i18n.lang(), found.site_total, found.limit)}</p>
                            {if found.items.is_empty() {
                                view! { <EmptyState text=text::NO_PICKUP /> }.into_any()
                            } else {
                                view! {
                                    <table class="table responsive" data-testid="pickup-table">
                                        <thead><tr>
                                            <th scope="col">{tr(text::GROUP_NUMBER)}</th>
                                            <th scope="col">{tr(text::MEMBERS)}</th>
                                            <th scope="col"><span class="sr-only">{tr(text::ACTIONS)}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {found.items.into_iter().map(|group| view! {
                                                <tr data-testid=format!("pickup-{}", group.number)>
                                                    <td data-label=move || i18n.t(text::GROUP_NUMBER)><strong>{group.number.clone()}</strong></td>
                                                    <td data-label=move || i18n.t(text::MEMBERS)>{group.member_count}</td>
                                                    <td class="actions"><button type="button" class="button" on:click=move |_| open.set(Some(Open::Pickup(group.id)))>{tr(text::EDIT)}</button></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <form class="form" on:submit=submit novalidate data-testid="new-pickup">
                <Field scope="pickup" label=text::GROUP_NUMBER name="number" value=number errors required=true inputmode="numeric" hint=text::GROUP_NUMBER_HINT />
                <FormError errors />
                <SubmitButton label=text::CREATE_PICKUP busy=busy.into() />
            </form>
        </div>
    }
}

#[component]
fn HuntingList<F>(
    site: SiteId,
    version: RwSignal<u32>,
    open: RwSignal<Option<Open>>,
    changed: F,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let page = RwSignal::new(1_i64);
    let list = LocalResource::new(move || {
        version.track();
        let (lang, page) = (i18n.lang(), page.get());
        async move { api::groups::hunting_groups(auth, lang, site, "", page, PER_PAGE).await }
    });
    let total = Signal::derive(move || list.get().and_then(Result::ok).map_or(0, |page| page.total));
    let (number, representative) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let strategy = RwSignal::new(HuntingStrategy::Priority.to_string());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let group_number = number.get_untracked().trim().to_owned();
        let representative_number = representative.get_untracked().trim().to_owned();
        errors.check("number", group_number_shape(&group_number));
        errors.check(
            "representative",
            madoguchi_types::extensions::extension_number_shape(&representative_number),
        );
        if errors.blocked() {
            focus_first_error();
            return;
        }
        let strategy = strategy
            .get_untracked()
            .parse()
            .unwrap_or(HuntingStrategy::Priority);
        busy.set(true);
        spawn_local(async move {
            let outcome = match extension_numbered(auth, lang, site, &representative_number).await {
                Ok(Some(id)) => {
                    let request = HuntingGroupRequest {
                        number: group_number,
                        representative_extension_id: id,
                        strategy,
                        members: Vec::new(),
                    };
                    api::groups::create_hunting(auth, lang, site, &request)
                        .await
                        .map(Some)
                }
                Ok(None) => Ok(None),
                Err(failure) => Err(failure),
            };
            match outcome {
                Ok(Some(created)) => {
                    toasts.success(text::hunting_created(lang, &created.number));
                    number.set(String::new());
                    representative.set(String::new());
                    changed();
                    open.set(Some(Open::Hunting(created.id)));
                }
                Ok(None) => {
                    errors.check(
                        "representative",
                        Err(madoguchi_types::validation::Invalid::NotOnSite),
                    );
                    focus_first_error();
                }
                Err(failure) => {
                    errors.server_said(failure);
                    focus_first_error();
                }
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card" data-testid="hunting-groups">
            <h2>{tr(text::HUNTING_TITLE)}</h2>
            <p class="muted small">{tr(text::HUNTING_HINT)}</p>
            <Transition fallback=|| view! { <LoadingRows rows=3 /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(found) => view! {
                            <p class="muted" data-testid="hunting-count">{move || text::groups_of(i18n.lang(), found.site_total, found.limit)}</p>
                            {if found.items.is_empty() {
                                view! { <EmptyState text=text::NO_HUNTING /> }.into_any()
                            } else {
                                view! {
                                    <table class="table responsive" data-testid="hunting-table">
                                        <thead><tr>
                                            <th scope="col">{tr(text::GROUP_NUMBER)}</th>
                                            <th scope="col">{tr(text::STRATEGY)}</th>
                                            <th scope="col">{tr(text::REPRESENTATIVE)}</th>
                                            <th scope="col">{tr(text::MEMBERS)}</th>
                                            <th scope="col"><span class="sr-only">{tr(text::ACTIONS)}</span></th>
                                        </tr></thead>
                                        <tbody>
                                            {found.items.into_iter().map(|group| {
                                                let strategy = group.strategy;
                                                view! {
                                                    <tr data-testid=format!("hunting-{}", group.number)>
                                                        <td data-label=move || i18n.t(text::GROUP_NUMBER)><strong>{group.number.clone()}</strong></td>
                                                        <td data-label=move || i18n.t(text::STRATEGY)>{move || text::strategy(i18n.lang(), strategy)}</td>
                                                        <td data-label=move || i18n.t(text::REPRESENTATIVE)>{match group.representative_number.clone() {
                                                            Some(number) => number.into_any(),
                                                            None => view! { <span class="status-warning">{tr(text::NO_REPRESENTATIVE)}</span> }.into_any(),
                                                        }}</td>
                                                        <td data-label=move || i18n.t(text::MEMBERS)>{group.member_count}</td>
                                                        <td class="actions"><button type="button" class="button" on:click=move |_| open.set(Some(Open::Hunting(group.id)))>{tr(text::EDIT)}</button></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <form class="form" on:submit=submit novalidate data-testid="new-hunting">
                <Field scope="hunting" label=text::GROUP_NUMBER name="number" value=number errors required=true inputmode="numeric" hint=text::GROUP_NUMBER_HINT />
                <Field scope="hunting" label=text::REPRESENTATIVE name="representative" value=representative errors required=true inputmode="numeric" hint=text::REPRESENTATIVE_HINT list="representative-suggestions" />
                <NumberSuggestions site typed=representative list_id="representative-suggestions" />
                <SelectField scope="hunting" label=text::STRATEGY name="strategy" value=strategy options=choices(text::STRATEGIES) errors />
                <FormError errors />
                <SubmitButton label=text::CREATE_HUNTING busy=busy.into() />
            </form>
        </div>
    }
}

/// Adds a member by extension number: `add` gets the extension's id.
#[component]
fn AddMember<A, Fut>(site: SiteId, full: Signal<bool>, add: A) -> impl IntoView
where
    A: Fn(ExtensionId) -> Fut + Copy + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), ApiError>> + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let typed = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let number = typed.get_untracked().trim().to_owned();
        if !errors.check(
            "member",
            madoguchi_types::extensions::extension_number_shape(&number),
        ) {
            focus_first_error();
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match extension_numbered(auth, lang, site, &number).await {
                Ok(Some(id)) => match add(id).await {
                    Ok(()) => typed.set(String::new()),
                    Err(failure) => errors.server_said(failure),
                },
                Ok(None) => {
                    errors.check("member", Err(madoguchi_types::validation::Invalid::NotOnSite));
                }
                Err(failure) => errors.server_said(failure),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit novalidate data-testid="add-member">
            <Field scope="member" label=text::ADD_MEMBER name="member" value=typed errors inputmode="numeric" hint=text::ADD_MEMBER_HINT list="member-suggestions" />
            <NumberSuggestions site typed list_id="member-suggestions" />
            <FormError errors />
            <button type="submit" class="button button-primary" disabled=move || busy.get() || full.get() data-testid="add-member-submit">
                {tr(text::ADD)}
            </button>
            <Show when=move || full.get()>
                <p class="muted small" data-testid="member-limit">{tr(text::FULL)}</p>
            </Show>
        </form>
    }
}

#[component]
fn PickupEditor<F, C>(
    site: SiteId,
    id: PickupGroupId,
    version: RwSignal<u32>,
    changed: F,
    closed: C,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
    C: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let group = RwSignal::new(None::<PickupGroup>);
    let failure = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        version.track();
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::pickup(auth, lang, id).await {
                Ok(found) => group.set(Some(found)),
                Err(error) => failure.set(Some(error)),
            }
        });
    });
    let full = Signal::derive(move || {
        group.with(|group| {
            group
                .as_ref()
                .is_some_and(|group| group.members.len() as i64 >= group.member_limit)
        })
    });
    let add = move |extension: ExtensionId| async move {
        let lang = i18n.lang_untracked();
        let updated = api::groups::add_pickup_member(auth, lang, id, extension).await?;
        group.set(Some(updated));
        changed();
        Ok(())
    };
    let remove = move |extension: ExtensionId| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::remove_pickup_member(auth, lang, id, extension).await {
                Ok(updated) => {
                    group.set(Some(updated));
                    changed();
                }
                Err(error) => toasts.failure(error.explanation()),
            }
        });
    };
    let delete = Callback::new(move |()| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::delete_pickup(auth, lang, id).await {
                Ok(()) => {
                    toasts.success(text::deleted(lang));
                    closed();
                    changed();
                }
                Err(error) => toasts.failure(error.explanation()),
            }
        });
    });
    view! {
        <div class="card wide group-editor" data-testid="pickup-editor">
            {move || failure.get().map(|error| view! { <ErrorPanel error /> })}
            {move || group.get().map(|current| {
                let count = text::members_of(i18n.lang(), current.members.len(), current.member_limit);
                view! {
                    <h2>{move || text::pickup_heading(i18n.lang(), &current.number)}</h2>
                    <p class="muted" data-testid="member-count">{count}</p>
                    <MemberList members=current.members.clone() remove />
                }
            })}
            <AddMember site full add />
            <div class="actions">
                <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE_GROUP).to_owned()) title=text::DELETE_PICKUP_TITLE
                    message=Signal::derive(move || i18n.t(text::DELETE_GROUP_MESSAGE).to_owned()) confirm=text::DELETE_GROUP on_confirm=delete testid="delete-group" />
                <button type="button" class="button" on:click=move |_| closed()>{tr(text::CLOSE)}</button>
            </div>
        </div>
    }
}

/// A pickup group's members, each with its remove button.
#[component]
fn MemberList<R>(members: Vec<GroupMember>, remove: R) -> impl IntoView
where
    R: Fn(ExtensionId) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    if members.is_empty() {
        return view! { <EmptyState text=text::NO_MEMBER /> }.into_any();
    }
    view! {
        <ul class="member-list" data-testid="members">
            {members.into_iter().map(|member| {
                let (id, number) = (member.extension_id, member.number.clone());
                let label = move || text::remove_label(i18n.lang(), &member.number);
                view! {
                    <li data-testid=format!("member-{number}")>
                        <span class="member-number">{number.clone()}</span>
                        <span class="muted small">{member.mobile_number.clone().unwrap_or_default()}</span>
                        <button type="button" class="button button-small" on:click=move |_| remove(id) aria-label=label>{tr(text::REMOVE)}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn HuntingEditor<F, C>(
    site: SiteId,
    id: HuntingGroupId,
    version: RwSignal<u32>,
    changed: F,
    closed: C,
) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
    C: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let group = RwSignal::new(None::<HuntingGroup>);
    let failure = RwSignal::new(None::<ApiError>);
    // The ring order as the user arranges it, saved with one request.
    let order = RwSignal::new(Vec::<GroupMember>::new());
    let dragged = RwSignal::new(None::<usize>);
    let (strategy, representative) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let settings_busy = RwSignal::new(false);
    let errors = FieldErrors::new();
    let show = move |current: HuntingGroup| {
        order.set(current.members.clone());
        strategy.set(current.strategy.to_string());
        representative.set(
            current
                .representative
                .as_ref()
                .map(|member| member.number.clone())
                .unwrap_or_default(),
        );
        group.set(Some(current));
    };
    Effect::new(move |_| {
        version.track();
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::hunting(auth, lang, id).await {
                Ok(found) => show(found),
                Err(error) => failure.set(Some(error)),
            }
        });
    });
    let full = Signal::derive(move || {
        group.with(|group| {
            group
                .as_ref()
                .is_some_and(|group| group.members.len() as i64 >= group.member_limit)
        })
    });
    let reordered = Signal::derive(move || {
        group.with(|group| {
            group.as_ref().is_some_and(|group| {
                order.with(|order| {
                    order
                        .iter()
                        .map(|member| member.extension_id)
                        .ne(group.members.iter().map(|member| member.extension_id))
                })
            })
        })
    });
    let add = move |extension: ExtensionId| async move {
        let lang = i18n.lang_untracked();
        let updated = api::groups::add_hunting_member(auth, lang, id, extension).await?;
        show(updated);
        changed();
        Ok(())
    };
    let remove = move |extension: ExtensionId| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::remove_hunting_member(auth, lang, id, extension).await {
                Ok(updated) => {
                    show(updated);
                    changed();
                }
                Err(error) => toasts.failure(error.explanation()),
            }
        });
    };
    let move_member = move |from: usize, to: usize| {
        order.update(|order| {
            if from < order.len() && to < order.len() && from != to {
                let member = order.remove(from);
                order.insert(to, member);
            }
        });
    };
    let save_order = move |_| {
        let lang = i18n.lang_untracked();
        let ids: Vec<ExtensionId> = order
            .get_untracked()
            .iter()
            .map(|member| member.extension_id)
            .collect();
        spawn_local(async move {
            match api::groups::order_hunting_members(auth, lang, id, ids).await {
                Ok(updated) => {
                    show(updated);
                    toasts.success(text::order_saved(lang));
                }
                Err(error) => toasts.failure(error.explanation()),
            }
        });
    };
    let save_settings = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        let lang = i18n.lang_untracked();
        let number = representative.get_untracked().trim().to_owned();
        if !errors.check(
            "representative",
            madoguchi_types::extensions::extension_number_shape(&number),
        ) {
            focus_first_error();
            return;
        }
        let strategy = strategy.get_untracked().parse().ok();
        settings_busy.set(true);
        spawn_local(async move {
            match extension_numbered(auth, lang, site, &number).await {
                Ok(Some(extension)) => {
                    let update = HuntingGroupUpdate {
                        representative_extension_id: Some(extension),
                        strategy,
                    };
                    match api::groups::change_hunting(auth, lang, id, &update).await {
                        Ok(updated) => {
                            show(updated);
                            changed();
                            toasts.success(text::settings_saved(lang));
                        }
                        Err(failure) => errors.server_said(failure),
                    }
                }
                Ok(None) => {
                    errors.check(
                        "representative",
                        Err(madoguchi_types::validation::Invalid::NotOnSite),
                    );
                }
                Err(failure) => errors.server_said(failure),
            }
            settings_busy.set(false);
        });
    };
    let delete = Callback::new(move |()| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::groups::delete_hunting(auth, lang, id).await {
                Ok(()) => {
                    toasts.success(text::deleted(lang));
                    closed();
                    changed();
                }
                Err(error) => toasts.failure(error.explanation()),
            }
        });
    });
    view! {
        <div class="card wide group-editor" data-testid="hunting-editor">
            {move || failure.get().map(|error| view! { <ErrorPanel error /> })}
            {move || group.get().map(|current| view! {
                <h2>{move || text::hunting_heading(i18n.lang(), &current.number)}</h2>
                <p class="muted" data-testid="member-count">{move || text::members_of(i18n.lang(), current.members.len(), current.member_limit)}</p>
            })}
            <form class="form" on:submit=save_settings novalidate data-testid="hunting-settings">
                <Field scope="settings" label=text::REPRESENTATIVE name="representative" value=representative errors required=true inputmode="numeric" />
                <SelectField scope="settings" label=text::STRATEGY name="strategy" value=strategy options=choices(text::STRATEGIES) errors />
                <FormError errors />
                <SubmitButton label=text::SAVE_SETTINGS busy=settings_busy.into() />
            </form>
            <h3>{tr(text::RING_ORDER)}</h3>
            <p class="muted small">{tr(text::RING_ORDER_HINT)}</p>
            {move || {
                let members = order.get();
                if members.is_empty() {
                    return view! { <EmptyState text=text::NO_MEMBER /> }.into_any();
                }
                let last = members.len() - 1;
                view! {
                    <ol class="member-list ordered" data-testid="members">
                        {members.into_iter().enumerate().map(|(index, member)| {
                            let number = member.number.clone();
                            let label_number = number.clone();
                            view! {
                                <li draggable="true" data-testid=format!("member-{number}")
                                    class:dragging=move || dragged.get() == Some(index)
                                    on:dragstart=move |_| dragged.set(Some(index))
                                    on:dragend=move |_| dragged.set(None)
                                    on:dragover=move |event| event.prevent_default()
                                    on:drop=move |event| {
                                        event.prevent_default();
                                        if let Some(from) = dragged.get_untracked() {
                                            move_member(from, index);
                                        }
                                        dragged.set(None);
                                    }>
                                    <span class="drag-handle" aria-hidden="true">"⠿"</span>
                                    <span class="position">{index + 1}</span>
                                    <span class="member-number">{number.clone()}</span>
                                    <span class="muted small">{member.mobile_number.clone().unwrap_or_default()}</span>
                                    <span class="member-actions">
                                        <button type="button" class="button button-small" disabled=index == 0
                                            on:click=move |_| move_member(index, index - 1) data-testid="move-up"
                                            aria-label=move || text::up_label(i18n.lang(), &label_number)>"▲"</button>
                                        <button type="button" class="button button-small" disabled=index == last
                                            on:click=move |_| move_member(index, index + 1) data-testid="move-down"
                                            aria-label={
                                                let number = number.clone();
                                                move || text::down_label(i18n.lang(), &number)
                                            }>"▼"</button>
                                        <button type="button" class="button button-small" on:click=move |_| remove(member.extension_id)>{tr(text::REMOVE)}</button>
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <button type="button" class="button button-primary" disabled=move || !reordered.get() on:click=save_order data-testid="save-order">
                {tr(text::SAVE_ORDER)}
            </button>
            <AddMember site full add />
            <div class="actions">
                <ConfirmButton label=Signal::derive(move || i18n.t(text::DELETE_GROUP).to_owned()) title=text::DELETE_HUNTING_TITLE
                    message=Signal::derive(move || i18n.t(text::DELETE_GROUP_MESSAGE).to_owned()) confirm=text::DELETE_GROUP on_confirm=delete testid="delete-group" />
                <button type="button" class="button" on:click=move |_| closed()>{tr(text::CLOSE)}</button>
            </div>
        </div>
    }
}
