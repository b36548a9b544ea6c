//! アカウント管理 (seed 001 §4.1): list with search, filters and paging; role changes saved
//! on an explicit action; disabling asks first; new accounts get a password-setting mail.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::{AccountStatus, AccountSummary, AccountUpdate, NewAccountRequest, Role};
use madoguchi_types::ids::{AccountId, OrganizationId};
use madoguchi_types::policy::Permission;
use madoguchi_types::validation::rules;

use crate::api::{self, accounts::AccountQuery};
use crate::auth::use_auth;
use crate::components::{
    CheckField, ConfirmButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError, LoadingRows,
    OrganizationPicker, PageHeading, Pager, RequirePermission, SelectField, SubmitButton, role_label,
    status_label, use_toasts,
};
use crate::i18n::{Text, catalogue::accounts as text, tr, use_i18n};

const PER_PAGE: i64 = 20;

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! { <RequirePermission permission=Permission::AddAccounts><AccountsContent /></RequirePermission> }
}

/// The roles the caller may give (the server checks the same).
fn assignable(me: Option<Role>) -> Vec<Role> {
    match me {
        Some(Role::Staff | Role::UserAdmin) => Role::CUSTOMER.to_vec(),
        Some(Role::InquiryAdmin) => vec![Role::InquiryAdmin, Role::InquiryStaff],
        _ => Vec::new(),
    }
}

#[component]
fn AccountsContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (q, role, status) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let page = RwSignal::new(1_i64);
    let applied = RwSignal::new(AccountQuery {
        per_page: PER_PAGE,
        page: 1,
        ..Default::default()
    });
    let version = RwSignal::new(0_u32);
    let accounts = LocalResource::new(move || {
        version.track();
        let mut query = applied.get();
        query.page = page.get();
        let lang = i18n.lang();
        async move { api::accounts::accounts(auth, lang, &query).await }
    });
    let search = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        page.set(1);
        applied.set(AccountQuery {
            q: q.get_untracked(),
            role: role.get_untracked().parse().ok(),
            status: status.get_untracked().parse().ok(),
            page: 1,
            per_page: PER_PAGE,
            ..Default::default()
        });
    };
    let filter_errors = FieldErrors::new();
    let role_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::ALL.get(lang).to_owned()))
            .chain(
                Role::ALL
                    .iter()
                    .map(|role| (role.as_str().to_owned(), role_label(*role).get(lang).to_owned())),
            )
            .collect()
    });
    let status_options = Signal::derive(move || {
        let lang = i18n.lang();
        std::iter::once((String::new(), text::ALL.get(lang).to_owned()))
            .chain(AccountStatus::ALL.iter().map(|status| {
                (
                    status.as_str().to_owned(),
                    status_label(*status, false).get(lang).to_owned(),
                )
            }))
            .collect()
    });
    let total = Signal::derive(move || {
        accounts
            .get()
            .and_then(|result| result.ok())
            .map_or(0, |page| page.total)
    });
    let changed = move || version.update(|v| *v += 1);
    view! {
        <section>
            <PageHeading text=text::TITLE />
            <form class="filters" on:submit=search data-testid="account-filters" role="search">
                <Field scope="filter" label=text::SEARCH name="q" value=q errors=filter_errors hint=text::SEARCH_HINT />
                <SelectField scope="filter" label=text::ROLE name="role" value=role options=role_options errors=filter_errors />
                <SelectField scope="filter" label=text::STATUS name="status" value=status options=status_options errors=filter_errors />
                <button type="submit" class="button">{tr(text::APPLY)}</button>
            </form>
            <Transition fallback=|| view! { <LoadingRows rows=5 /> }>
                {move || Suspend::new(async move {
                    match accounts.await {
                        Ok(found) if found.items.is_empty() => view! { <EmptyState text=text::NONE_FOUND /> }.into_any(),
                        Ok(found) => view! { <AccountTable list=found.items changed /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <Pager page total per_page=PER_PAGE />
            <NewAccountForm created=changed />
        </section>
    }
}

#[component]
fn AccountTable<F>(list: Vec<AccountSummary>, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let auth = use_auth();
    let staff = auth.is_staff();
    view! {
        <table class="table responsive" data-testid="accounts">
            <thead><tr>
                <th>{tr(text::LOGIN_ID)}</th>
                <th>{tr(text::NAME)}</th>
                {staff.then(|| view! { <th>{tr(text::ORGANIZATION)}</th> })}
                <th>{tr(text::ROLE)}</th>
                <th>{tr(text::STATUS)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|account| view! { <AccountRow account changed /> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn AccountRow<F>(account: AccountSummary, changed: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let locked = account
        .locked_until
        .is_some_and(|until| until.timestamp_millis() as f64 > js_sys::Date::now());
    let own = auth
        .profile
        .with_untracked(|profile| profile.as_ref().map(|p| p.id))
        == Some(account.id);
    let editable = auth.can(Permission::AdministerAccounts) && !own && account.role != Role::Staff;
    let busy = RwSignal::new(false);
    let act = row_action(account.id, busy, changed);
    let status = account.status;
    view! {
        <tr data-testid=format!("account-{}", account.login_id)>
            <td data-label=move || i18n.t(text::LOGIN_ID)>{account.login_id.clone()}</td>
            <td data-label=move || i18n.t(text::NAME)>{account.full_name.clone()}</td>
            {auth.is_staff().then(|| view! { <td data-label=move || i18n.t(text::ORGANIZATION)>{account.organization_name.clone().unwrap_or_else(|| "—".into())}</td> })}
            <td data-label=move || i18n.t(text::ROLE)>
                {if editable {
                    view! { <RoleEditor login_id=account.login_id.clone() role=account.role act busy /> }.into_any()
                } else {
                    view! { <span>{move || i18n.t(role_label(account.role))}</span> }.into_any()
                }}
            </td>
            <td data-label=move || i18n.t(text::STATUS)>{move || i18n.t(status_label(status, locked))}</td>
            <td class="actions">
                <RowActions name=account.full_name.clone() status locked unlockable=auth.can(Permission::AdministerAccounts) && !own editable act busy />
            </td>
        </tr>
    }
}

/// Applies a change to one account (or unlocks it: `None`), and says how it went.
fn row_action<F>(
    id: AccountId,
    busy: RwSignal<bool>,
    changed: F,
) -> impl Fn(Option<AccountUpdate>, Text) + Copy + Send + Sync + 'static
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    move |update: Option<AccountUpdate>, done: Text| {
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            let result = match update {
                Some(update) => api::accounts::update_account(auth, lang, id, &update).await,
                None => api::accounts::unlock_account(auth, lang, id).await,
            };
            busy.set(false);
            match result {
                Ok(_) => {
                    toasts.success(done.get(lang));
                    changed();
                }
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    }
}

/// The role select and its save button: a role changes only on the explicit save.
#[component]
fn RoleEditor<A>(login_id: String, role: Role, act: A, busy: RwSignal<bool>) -> impl IntoView
where
    A: Fn(Option<AccountUpdate>, Text) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let chosen = RwSignal::new(role.as_str().to_owned());
    let save = move |_| {
        if let Ok(role) = chosen.get_untracked().parse::<Role>() {
            act(
                Some(AccountUpdate {
                    role: Some(role),
                    ..Default::default()
                }),
                text::ROLE_SAVED,
            );
        }
    };
    view! {
        <span class="inline-edit">
            <select aria-label=move || text::role_of(i18n.lang(), &login_id) data-testid="role-select"
                on:change=move |event| chosen.set(event_target_value(&event))>
                {assignable(auth.role()).into_iter().map(|option| view! {
                    <option value=option.as_str() selected=option == role>{move || i18n.t(role_label(option))}</option>
                }).collect_view()}
            </select>
            <button type="button" class="button" data-testid="save-role" disabled=move || chosen.get() == role.as_str() || busy.get() on:click=save>
                {tr(text::SAVE)}
            </button>
        </span>
    }
}

/// Unlock, enable, and disable (which asks first).
#[component]
fn RowActions<A>(
    name: String,
    status: AccountStatus,
    locked: bool,
    unlockable: bool,
    editable: bool,
    act: A,
    busy: RwSignal<bool>,
) -> impl IntoView
where
    A: Fn(Option<AccountUpdate>, Text) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let active = status == AccountStatus::Active;
    let set = move |status: AccountStatus| {
        Some(AccountUpdate {
            status: Some(status),
            ..Default::default()
        })
    };
    view! {
        {(unlockable && locked).then(|| view! {
            <button type="button" class="button" data-testid="unlock" disabled=move || busy.get() on:click=move |_| act(None, text::UNLOCKED)>
                {tr(text::UNLOCK)}
            </button>
        })}
        {(editable && !active).then(|| view! {
            <button type="button" class="button" data-testid="enable" disabled=move || busy.get()
                on:click=move |_| act(set(AccountStatus::Active), text::ENABLED)>
                {tr(text::ENABLE)}
            </button>
        })}
        {(editable && active).then(|| view! {
            <ConfirmButton label=Signal::derive(move || text::DISABLE.get(i18n.lang()).to_owned()) title=text::DISABLE_TITLE
                message=Signal::derive(move || text::disable_message(i18n.lang(), &name)) confirm=text::DISABLE
                on_confirm=Callback::new(move |()| act(set(AccountStatus::Disabled), text::DISABLED))
                busy=busy.into() testid="disable" />
        })}
    }
}

#[component]
fn NewAccountForm<F>(created: F) -> impl IntoView
where
    F: Fn() + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (organization, login_id, full_name, email) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(Role::InquiryStaff.as_str().to_owned());
    let (pbx, analytics) = (RwSignal::new(false), RwSignal::new(false));
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let staff = auth.is_staff();
    let administer = auth.can(Permission::AdministerAccounts);
    let role_options = Signal::derive(move || {
        assignable(auth.role())
            .into_iter()
            .map(|role| {
                (
                    role.as_str().to_owned(),
                    role_label(role).get(i18n.lang()).to_owned(),
                )
            })
            .collect()
    });
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        if staff {
            errors.check("organization_id", rules::required(&organization.get_untracked()));
        }
        errors.check("login_id", rules::login_id_shape(&login_id.get_untracked()));
        errors.check("full_name", rules::required(&full_name.get_untracked()));
        errors.check("email", rules::email_shape(&email.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = NewAccountRequest {
            organization_id: organization
                .get_untracked()
                .trim()
                .parse()
                .ok()
                .map(OrganizationId),
            login_id: login_id.get_untracked(),
            full_name: full_name.get_untracked(),
            email: email.get_untracked(),
            role: role.get_untracked().parse().unwrap_or(Role::InquiryStaff),
            pbx_admin: pbx.get_untracked(),
            analytics: analytics.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::create_account(auth, lang, &request).await {
                Ok(account) => {
                    toasts.success(text::created(lang, &account.login_id));
                    for field in [login_id, full_name, email] {
                        field.set(String::new());
                    }
                    created();
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card wide" data-testid="new-account">
            <h2>{tr(text::ADD_TITLE)}</h2>
            <p class="muted small">{tr(text::ADD_LEAD)}</p>
            <form class="form" on:submit=submit novalidate>
                {staff.then(|| view! { <OrganizationPicker selected=organization errors /> })}
                <Field label=text::LOGIN_ID name="login_id" value=login_id errors required=true hint=text::LOGIN_ID_HINT />
                <Field label=text::FULL_NAME name="full_name" value=full_name errors required=true />
                <Field label=text::EMAIL name="email" kind="email" value=email errors required=true hint=text::EMAIL_HINT />
                <SelectField label=text::ROLE name="role" value=role options=role_options errors required=true />
                {administer.then(|| view! {
                    <CheckField label=text::GRANT_PBX name="pbx_admin" checked=pbx errors />
                    <CheckField label=text::GRANT_ANALYTICS name="analytics" checked=analytics errors />
                })}
                <FormError errors />
                <SubmitButton label=text::ADD busy=busy.into() primary=true />
            </form>
        </div>
    }
}
