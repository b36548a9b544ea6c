//! アカウント管理 (seed 001 §4.1) and the audit log.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::{
    AccountStatus, AccountSummary, AccountUpdate, AuditEvent, NewAccountRequest, Role,
};

use super::my_page::role_label;
use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{ErrorPanel, Field, FormError, RequireSignIn};
use crate::i18n::use_i18n;

const CUSTOMER_ROLES: [Role; 4] = [
    Role::UserAdmin,
    Role::ContractManager,
    Role::InquiryAdmin,
    Role::InquiryStaff,
];

fn role_value(role: Role) -> &'static str {
    match role {
        Role::Staff => "staff",
        Role::UserAdmin => "user_admin",
        Role::ContractManager => "contract_manager",
        Role::InquiryAdmin => "inquiry_admin",
        Role::InquiryStaff => "inquiry_staff",
    }
}

fn parse_role(value: &str) -> Option<Role> {
    CUSTOMER_ROLES.into_iter().find(|role| role_value(*role) == value)
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    view! { <RequireSignIn><AccountsContent /></RequireSignIn> }
}

#[component]
fn AccountsContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let accounts = RwSignal::new(Vec::<AccountSummary>::new());
    let error = RwSignal::new(None::<ApiError>);
    // Who is looking: one's own row has no actions, and staff choose the organization.
    let me = RwSignal::new(None::<(i64, Role)>);
    spawn_local(async move {
        if let Ok(profile) = api::me(auth, i18n.lang_untracked()).await {
            me.set(Some((profile.id, profile.role)));
        }
    });
    let reload = move || {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::accounts(auth, lang).await {
                Ok(list) => {
                    error.set(None);
                    accounts.set(list);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    reload();
    let act = move |id: i64, action: RowAction| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            let result = match action {
                RowAction::Unlock => api::unlock_account(auth, lang, id).await,
                RowAction::Update(update) => api::update_account(auth, lang, id, &update).await,
            };
            match result {
                Ok(_) => reload(),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section>
            <h1>{move || i18n.pick("アカウント管理", "Accounts")}</h1>
            {move || error.get().map(|error| view! { <ErrorPanel error /> })}
            <table class="table" data-testid="accounts">
                <thead><tr>
                    <th>{move || i18n.pick("ログインID", "Login ID")}</th>
                    <th>{move || i18n.pick("お名前", "Name")}</th>
                    <th>{move || i18n.pick("権限", "Role")}</th>
                    <th>{move || i18n.pick("状態", "Status")}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    <For
                        each=move || {
                            let me = me.with(|me| me.map(|(id, _)| id));
                            accounts.get().into_iter().map(|account| (Some(account.id) == me, account)).collect::<Vec<_>>()
                        }
                        key=|(own, account)| (account.id, account.role, account.status, account.locked_until, *own)
                        children=move |(own, account)| view! { <AccountRow own account act /> }
                    />
                </tbody>
            </table>
            <NewAccountForm on_created=reload staff=Signal::derive(move || me.with(|me| me.is_some_and(|(_, role)| role == Role::Staff))) />
        </section>
    }
}

#[derive(Clone)]
enum RowAction {
    Unlock,
    Update(AccountUpdate),
}

#[component]
fn AccountRow<F>(account: AccountSummary, act: F, own: bool) -> impl IntoView
where
    F: Fn(i64, RowAction) + Copy + 'static,
{
    let i18n = use_i18n();
    let id = account.id;
    let locked = account
        .locked_until
        .is_some_and(|until| until.timestamp_millis() as f64 > js_sys::Date::now());
    let disabled = account.status == AccountStatus::Disabled;
    // Staff roles, and one's own role and status, are not changed here.
    let staff = account.role == Role::Staff || own;
    let current_role = account.role;
    view! {
        <tr data-testid=format!("account-{}", account.login_id)>
            <td>{account.login_id.clone()}</td>
            <td>{account.full_name.clone()}</td>
            <td>
                {if staff {
                    view! { <span>{move || role_label(i18n, current_role)}</span> }.into_any()
                } else {
                    view! {
                        <select on:change=move |event| {
                            if let Some(role) = parse_role(&event_target_value(&event)) {
                                act(id, RowAction::Update(AccountUpdate { role: Some(role), ..Default::default() }));
                            }
                        }>
                            {CUSTOMER_ROLES.into_iter().map(|role| view! {
                                <option value=role_value(role) selected=role == current_role>{move || role_label(i18n, role)}</option>
                            }).collect_view()}
                        </select>
                    }.into_any()
                }}
            </td>
            <td>
                {move || match (disabled, locked) {
                    (true, _) => i18n.pick("無効", "Disabled"),
                    (false, true) => i18n.pick("ロック中", "Locked"),
                    (false, false) => i18n.pick("有効", "Active"),
                }}
            </td>
            <td class="actions">
                {(!own && locked).then(|| view! {
                    <button type="button" class="button" on:click=move |_| act(id, RowAction::Unlock)>{move || i18n.pick("ロック解除", "Unlock")}</button>
                })}
                {(!own).then(|| view! {
                    <button type="button" class="button" on:click=move |_| {
                        let status = if disabled { AccountStatus::Active } else { AccountStatus::Disabled };
                        act(id, RowAction::Update(AccountUpdate { status: Some(status), ..Default::default() }));
                    }>
                        {move || if disabled { i18n.pick("有効にする", "Enable") } else { i18n.pick("無効にする", "Disable") }}
                    </button>
                })}
            </td>
        </tr>
    }
}

#[component]
fn NewAccountForm<F>(on_created: F, staff: Signal<bool>) -> impl IntoView
where
    F: Fn() + Copy + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let login_id = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::InquiryStaff);
    let organization_id = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = NewAccountRequest {
            organization_id: organization_id.get_untracked().trim().parse().ok(),
            login_id: login_id.get_untracked(),
            full_name: full_name.get_untracked(),
            email: email.get_untracked(),
            role: role.get_untracked(),
            pbx_admin: false,
            analytics: false,
        };
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::create_account(auth, lang, &request).await {
                Ok(_) => {
                    error.set(None);
                    login_id.set(String::new());
                    full_name.set(String::new());
                    email.set(String::new());
                    on_created();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <div class="card wide">
            <h2>{move || i18n.pick("アカウントの追加", "Add an account")}</h2>
            <p class="muted small">{move || i18n.pick(
                "登録したメールアドレスに、パスワード設定用のURLをお送りします（72時間有効）。",
                "We mail a link to set the password (valid 72 hours).",
            )}</p>
            <form class="form" on:submit=submit>
                <Show when=move || staff.get()>
                    <Field label=("組織ID", "Organization id") name="organization_id" kind="number" value=organization_id error />
                </Show>
                <Field label=("ログインID", "Login ID") name="login_id" value=login_id error />
                <Field label=("お名前", "Full name") name="full_name" value=full_name error />
                <Field label=("メールアドレス", "Email") name="email" kind="email" value=email error />
                <label class="field">
                    <span class="field-label">{move || i18n.pick("権限", "Role")}</span>
                    <select on:change=move |event| if let Some(chosen) = parse_role(&event_target_value(&event)) { role.set(chosen) }>
                        {CUSTOMER_ROLES.into_iter().map(|option| view! {
                            <option value=role_value(option) selected=move || role.get() == option>{move || role_label(i18n, option)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <FormError error />
                <button type="submit" class="button button-primary">{move || i18n.pick("追加する", "Add")}</button>
            </form>
        </div>
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <RequireSignIn><AuditContent /></RequireSignIn> }
}

#[component]
fn AuditContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let events = RwSignal::new(Vec::<AuditEvent>::new());
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let lang = i18n.lang();
        spawn_local(async move {
            match api::audit_log(auth, lang).await {
                Ok(list) => events.set(list),
                Err(failure) => error.set(Some(failure)),
            }
        });
    });
    view! {
        <section>
            <h1>{move || i18n.pick("操作履歴", "Audit log")}</h1>
            {move || error.get().map(|error| view! { <ErrorPanel error /> })}
            <table class="table" data-testid="audit-log">
                <thead><tr>
                    <th>{move || i18n.pick("日時（日本時間）", "Time (JST)")}</th>
                    <th>{move || i18n.pick("操作者", "Actor")}</th>
                    <th>{move || i18n.pick("操作", "Action")}</th>
                    <th>{move || i18n.pick("内容", "Detail")}</th>
                    <th>{move || i18n.pick("接続元", "From")}</th>
                </tr></thead>
                <tbody>
                    <For each=move || events.get() key=|event| event.id let:event>
                        <tr>
                            <td>{crate::pages::format_time(event.created_at)}</td>
                            <td>{event.actor_login_id.clone().unwrap_or_else(|| "—".into())}</td>
                            <td><code>{event.action.clone()}</code></td>
                            <td>{event.detail.clone()}</td>
                            <td>{event.ip.clone().unwrap_or_default()}</td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </section>
    }
}
