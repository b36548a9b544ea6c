//! 新規ユーザー登録 (seed 004 ②) and 本登録 (confirmation by the mailed link).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use madoguchi_types::accounts::{RegistrationRequest, RegistrationResponse};

use crate::api::{self, ApiError};
use crate::components::{Field, FormError};
use crate::i18n::use_i18n;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let company_name = RwSignal::new(String::new());
    let full_name = RwSignal::new(String::new());
    let login_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let password_confirmation = RwSignal::new(String::new());
    let contact_email = RwSignal::new(String::new());
    let maintenance_email = RwSignal::new(String::new());
    let consent = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<RegistrationResponse>);
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = RegistrationRequest {
            company_name: company_name.get_untracked(),
            full_name: full_name.get_untracked(),
            login_id: login_id.get_untracked(),
            password: password.get_untracked(),
            password_confirmation: password_confirmation.get_untracked(),
            contact_email: contact_email.get_untracked(),
            maintenance_email: maintenance_email.get_untracked(),
            consent: consent.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::register(lang, &request).await {
                Ok(response) => {
                    error.set(None);
                    done.set(Some(response));
                }
                Err(failure) => error.set(Some(failure)),
            }
            busy.set(false);
        });
    };
    let consent_error = move || error.with(|error| error.as_ref().and_then(|error| error.field("consent")));

    view! {
        <section class="narrow">
            <h1>{move || i18n.pick("新規ユーザー登録", "Register")}</h1>
            <Show
                when=move || done.with(Option::is_none)
                fallback=move || {
                    let response = done.get();
                    view! {
                        <div class="alert alert-success" data-testid="registration-done">
                            <p class="alert-title">{move || i18n.pick("仮登録が完了しました", "Provisional registration completed")}</p>
                            <p>
                                {response.as_ref().map(|r| r.contact_email.clone())}
                                {move || i18n.pick(
                                    " 宛に確認メールを送信しました。24時間以内にメール本文中の本登録URLにアクセスしてください。",
                                    ": we sent a confirmation mail. Open its link within 24 hours to complete the registration.",
                                )}
                            </p>
                        </div>
                    }
                }
            >
                <p class="muted">{move || i18n.pick(
                    "契約時にお送りしている「サポートサービス証書」をご用意ください。",
                    "Have your support-service certificate at hand.",
                )}</p>
                <form class="form" on:submit=submit data-testid="register-form">
                    <Field label=("会社名", "Company name") name="company_name" value=company_name error />
                    <Field label=("お名前", "Full name") name="full_name" value=full_name error
                        hint=("お名前をフルネームで入力してください", "Your full name") />
                    <Field label=("ログインID", "Login ID") name="login_id" value=login_id error autocomplete="username"
                        hint=("半角3字以上。メールアドレスを推奨します", "At least 3 half-width characters; an email address is recommended") />
                    <Field label=("ログインパスワード", "Password") name="password" kind="password" value=password error autocomplete="new-password"
                        hint=("半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください", "At least 12 characters with upper-case, lower-case and a digit") />
                    <Field label=("パスワード(再入力)", "Password (again)") name="password_confirmation" kind="password" value=password_confirmation error autocomplete="new-password"
                        hint=("確認のため、もう一度同じパスワードを入力してください", "Enter the same password again") />
                    <Field label=("連絡先メールアドレス", "Contact email") name="contact_email" kind="email" value=contact_email error
                        hint=("サポート担当者からの連絡を受けたいメールアドレス（保守登録メールアドレスと同じドメイン）", "Where we send notifications (same domain as the maintenance email)") />
                    <Field label=("保守登録メールアドレス", "Maintenance registration email") name="maintenance_email" kind="email" value=maintenance_email error
                        hint=("「サポートサービス証書」に記載されているメールアドレス", "An email address on your support-service certificate") />
                    <label class="checkbox">
                        <input type="checkbox" data-testid="field-consent" prop:checked=move || consent.get()
                            on:change=move |event| consent.set(event_target_checked(&event)) />
                        {move || i18n.pick("個人情報の取り扱いに同意する", "I agree to the handling of personal information")}
                    </label>
                    <span class="field-error" data-testid="error-consent">{consent_error}</span>
                    <FormError error />
                    <button type="submit" class="button button-primary" disabled=move || busy.get()>
                        {move || i18n.pick("新規ユーザー登録", "Register")}
                    </button>
                </form>
            </Show>
        </section>
    }
}

/// 本登録: the link from the (1/3) mail lands here; one click confirms (seed 000 1-6).
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let error = RwSignal::new(None::<ApiError>);
    let confirmed = RwSignal::new(None::<String>);
    let confirm = move |_| {
        let token = query
            .with_untracked(|query| query.get("token"))
            .unwrap_or_default();
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::confirm_registration(lang, token).await {
                Ok(response) => confirmed.set(Some(response.login_id)),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.pick("本登録のお申込み", "Complete your registration")}</h1>
            <Show
                when=move || confirmed.with(Option::is_none)
                fallback=move || view! {
                    <div class="alert alert-success" data-testid="confirmation-done">
                        <p class="alert-title">{move || i18n.pick("本登録が完了しました", "Your registration is complete")}</p>
                        <p>{move || i18n.pick("ログインID: ", "Login ID: ")}<strong>{confirmed.get()}</strong></p>
                        <A href="/login">{move || i18n.pick("ログインへ", "Sign in")}</A>
                    </div>
                }
            >
                <p>{move || i18n.pick("ボタンをクリックして、本登録をお申込みください。", "Click the button to complete your registration.")}</p>
                <FormError error />
                <button type="button" class="button button-primary" data-testid="confirm-registration" on:click=confirm>
                    {move || i18n.pick("確定", "Confirm")}
                </button>
            </Show>
        </section>
    }
}
