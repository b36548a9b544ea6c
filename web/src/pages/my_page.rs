//! マイページ (seed 004 ⑥): profile, password, 2-step authentication, API tokens.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::{
    ApiTokenSummary, CreatedApiToken, PasswordChangeRequest, Profile, ProfileUpdate, Role,
    TwoFactorConfirmRequest,
};
use madoguchi_types::auth::OtpChallenge;

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::{ErrorPanel, Field, FormError, RequireSignIn};
use crate::i18n::{I18n, use_i18n};

pub fn role_label(i18n: I18n, role: Role) -> &'static str {
    match role {
        Role::Staff => i18n.pick("弊社担当者", "Provider staff"),
        Role::UserAdmin => i18n.pick("ユーザー管理者", "User administrator"),
        Role::ContractManager => i18n.pick("契約担当者", "Contract manager"),
        Role::InquiryAdmin => i18n.pick("問い合わせ管理者", "Inquiry administrator"),
        Role::InquiryStaff => i18n.pick("問い合わせ担当者", "Inquiry staff"),
    }
}

#[component]
pub fn MyPage() -> impl IntoView {
    view! { <RequireSignIn><MyPageContent /></RequireSignIn> }
}

#[component]
fn MyPageContent() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let profile = RwSignal::new(None::<Profile>);
    let load_error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        let lang = i18n.lang();
        spawn_local(async move {
            match api::me(auth, lang).await {
                Ok(loaded) => profile.set(Some(loaded)),
                Err(failure) => load_error.set(Some(failure)),
            }
        });
    });
    view! {
        <section>
            <h1>{move || i18n.pick("マイページ", "My page")}</h1>
            {move || load_error.get().map(|error| view! { <ErrorPanel error /> })}
            {move || profile.get().map(|loaded| view! { <ProfileCard profile=loaded on_saved=move |p| profile.set(Some(p)) /> })}
            <div class="columns">
                <PasswordCard />
                <TwoFactorCard profile />
            </div>
            <ApiTokensCard />
        </section>
    }
}

#[component]
fn ProfileCard<F>(profile: Profile, on_saved: F) -> impl IntoView
where
    F: Fn(Profile) + Clone + 'static,
{
    let i18n = use_i18n();
    let auth = use_auth();
    let full_name = RwSignal::new(profile.full_name.clone());
    let company_name = RwSignal::new(profile.company_name.clone());
    let email = RwSignal::new(profile.email.clone());
    let error = RwSignal::new(None::<ApiError>);
    let saved = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let update = ProfileUpdate {
            full_name: Some(full_name.get_untracked()),
            company_name: Some(company_name.get_untracked()),
            email: Some(email.get_untracked()),
            preferred_lang: Some(i18n.lang_untracked().tag().to_owned()),
        };
        let lang = i18n.lang_untracked();
        let on_saved = on_saved.clone();
        spawn_local(async move {
            match api::update_profile(auth, lang, &update).await {
                Ok(updated) => {
                    error.set(None);
                    saved.set(true);
                    on_saved(updated);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let organization = profile.organization.clone();
    view! {
        <div class="card wide" data-testid="profile">
            <h2>{move || i18n.pick("プロフィール", "Profile")}</h2>
            <dl class="facts">
                <dt>{move || i18n.pick("ログインID", "Login ID")}</dt>
                <dd data-testid="profile-login-id">{profile.login_id.clone()}</dd>
                <dt>{move || i18n.pick("権限", "Role")}</dt>
                <dd>{move || role_label(i18n, profile.role)}</dd>
                <dt>{move || i18n.pick("ご契約者", "Organization")}</dt>
                <dd>{organization.map(|o| format!("{} ({})", o.name, o.customer_number)).unwrap_or_else(|| "—".into())}</dd>
                <dt>{move || i18n.pick("保守登録メールアドレス", "Maintenance email")}</dt>
                <dd>{profile.maintenance_email.clone().unwrap_or_else(|| "—".into())}</dd>
            </dl>
            <form class="form" on:submit=submit>
                <Field label=("お名前", "Full name") name="full_name" value=full_name error />
                <Field label=("会社名", "Company name") name="company_name" value=company_name error />
                <Field label=("連絡先メールアドレス", "Contact email") name="email" kind="email" value=email error />
                <FormError error />
                {move || saved.get().then(|| view! { <p class="ok">{i18n.pick("保存しました。", "Saved.")}</p> })}
                <button type="submit" class="button">{move || i18n.pick("プロフィールを保存", "Save profile")}</button>
            </form>
        </div>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let changed = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = PasswordChangeRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
            new_password_confirmation: confirmation.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::change_password(auth, lang, &request).await {
                Ok(()) => {
                    error.set(None);
                    changed.set(true);
                    current.set(String::new());
                    new_password.set(String::new());
                    confirmation.set(String::new());
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <div class="card">
            <h2>{move || i18n.pick("パスワードの変更", "Change password")}</h2>
            <form class="form" on:submit=submit>
                <Field label=("現在のパスワード", "Current password") name="current_password" kind="password" value=current error autocomplete="current-password" />
                <Field label=("新しいパスワード", "New password") name="new_password" kind="password" value=new_password error autocomplete="new-password" />
                <Field label=("新しいパスワード(再入力)", "New password (again)") name="new_password_confirmation" kind="password" value=confirmation error autocomplete="new-password" />
                <FormError error />
                {move || changed.get().then(|| view! {
                    <p class="ok">{i18n.pick("変更しました。他の端末はログアウトされました。", "Changed. Other sessions were signed out.")}</p>
                })}
                <button type="submit" class="button">{move || i18n.pick("変更する", "Change")}</button>
            </form>
        </div>
    }
}

#[component]
fn TwoFactorCard(profile: RwSignal<Option<Profile>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let challenge = RwSignal::new(None::<OtpChallenge>);
    let error = RwSignal::new(None::<ApiError>);
    let enabled_email = move || profile.with(|p| p.as_ref().and_then(|p| p.two_factor_email.clone()));
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (lang, address) = (i18n.lang_untracked(), email.get_untracked());
        spawn_local(async move {
            match api::start_two_factor(auth, lang, address).await {
                Ok(issued) => {
                    error.set(None);
                    challenge.set(Some(issued));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(issued) = challenge.get_untracked() else {
            return;
        };
        let request = TwoFactorConfirmRequest {
            challenge_id: issued.challenge_id,
            code: code.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::confirm_two_factor(auth, lang, &request).await {
                Ok(updated) => {
                    error.set(None);
                    challenge.set(None);
                    profile.set(Some(updated));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let disable = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (lang, given) = (i18n.lang_untracked(), password.get_untracked());
        spawn_local(async move {
            match api::disable_two_factor(auth, lang, given).await {
                Ok(updated) => {
                    error.set(None);
                    profile.set(Some(updated));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <div class="card" data-testid="two-factor">
            <h2>{move || i18n.pick("2段階認証", "2-step authentication")}</h2>
            <p class="muted small">{move || i18n.pick(
                "ログインID/パスワードのほか、登録されたメールアドレスに送るワンタイムパスワードで認証します。",
                "Besides your password, sign-in asks for a one-time password mailed to a registered address.",
            )}</p>
            <p data-testid="two-factor-state">{move || match enabled_email() {
                Some(hint) => format!("{} {hint}", i18n.pick("設定済み:", "On:")),
                None => i18n.pick("未設定", "Off").to_owned(),
            }}</p>
            <Show
                when=move || challenge.with(Option::is_none)
                fallback=move || view! {
                    <form class="form" on:submit=confirm>
                        <Field label=("ワンタイムパスワード", "One-time password") name="code" value=code error autocomplete="one-time-code" />
                        <button type="submit" class="button">{move || i18n.pick("認証する", "Verify")}</button>
                    </form>
                }
            >
                <form class="form" on:submit=start>
                    <Field label=("ワンタイムパスワードの送付先", "Send one-time passwords to") name="email" kind="email" value=email error />
                    <button type="submit" class="button">{move || if enabled_email().is_some() {
                        i18n.pick("送付先を変更", "Change address")
                    } else {
                        i18n.pick("設定する", "Turn on")
                    }}</button>
                </form>
            </Show>
            <Show when=move || enabled_email().is_some()>
                <form class="form" on:submit=disable>
                    <Field label=("パスワード", "Password") name="password" kind="password" value=password error />
                    <button type="submit" class="button">{move || i18n.pick("2段階認証を解除", "Turn off")}</button>
                </form>
            </Show>
            <FormError error />
        </div>
    }
}

#[component]
fn ApiTokensCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let tokens = RwSignal::new(Vec::<ApiTokenSummary>::new());
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<CreatedApiToken>);
    let error = RwSignal::new(None::<ApiError>);
    let reload = move || {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            if let Ok(list) = api::api_tokens(auth, lang).await {
                tokens.set(list);
            }
        });
    };
    reload();
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (lang, token_name) = (i18n.lang_untracked(), name.get_untracked());
        spawn_local(async move {
            match api::create_api_token(auth, lang, token_name).await {
                Ok(token) => {
                    error.set(None);
                    name.set(String::new());
                    created.set(Some(token));
                    reload();
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let revoke = move |id: i64| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::revoke_api_token(auth, lang, id).await {
                Ok(()) => reload(),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    let copy = move |_| {
        if let Some(token) = created.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&token.token);
        }
    };
    view! {
        <div class="card wide" data-testid="api-tokens">
            <h2>{move || i18n.pick("APIトークン", "API tokens")}</h2>
            <p class="muted small">{move || i18n.pick(
                "スクリプトから API を利用するためのトークンです。あなたと同じ権限を持ちます。",
                "Tokens for scripts calling the API. They carry your rights.",
            )}</p>
            {move || created.get().map(|token| view! {
                <div class="alert alert-success" data-testid="api-token-created">
                    <p class="alert-title">{i18n.pick("トークンは今回のみ表示されます。安全な場所に保管してください。", "This token is shown only once. Store it safely.")}</p>
                    <code class="token" data-testid="api-token-value">{token.token.clone()}</code>
                    <button type="button" class="button" on:click=copy>{i18n.pick("コピー", "Copy")}</button>
                </div>
            })}
            <table class="table">
                <thead><tr>
                    <th>{move || i18n.pick("名前", "Name")}</th>
                    <th>{move || i18n.pick("トークン", "Token")}</th>
                    <th>{move || i18n.pick("作成日時", "Created")}</th>
                    <th>{move || i18n.pick("最終利用", "Last used")}</th>
                    <th></th>
                </tr></thead>
                <tbody>
                    <For each=move || tokens.get() key=|token| token.id let:token>
                        <tr>
                            <td>{token.name.clone()}</td>
                            <td><code>{token.prefix.clone()}"…"</code></td>
                            <td>{crate::pages::format_time(token.created_at)}</td>
                            <td>{token.last_used_at.map(crate::pages::format_time).unwrap_or_else(|| "—".into())}</td>
                            <td><button type="button" class="button" on:click=move |_| revoke(token.id)>{move || i18n.pick("無効化", "Revoke")}</button></td>
                        </tr>
                    </For>
                </tbody>
            </table>
            <form class="form inline" on:submit=create>
                <Field label=("トークンの名前", "Token name") name="name" value=name error />
                <button type="submit" class="button">{move || i18n.pick("作成", "Create")}</button>
            </form>
        </div>
    }
}
