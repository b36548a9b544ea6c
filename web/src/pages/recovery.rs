//! ログインID確認/パスワード再設定 (seed 004 ③) and the page of the mailed reset or
//! set-password link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use madoguchi_types::auth::SetPasswordRequest;

use crate::api::{self, ApiError, Forgotten};
use crate::components::{Field, FormError};
use crate::i18n::use_i18n;

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let what = RwSignal::new(Forgotten::LoginId);
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let sent = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (lang, kind, address) = (i18n.lang_untracked(), what.get_untracked(), email.get_untracked());
        spawn_local(async move {
            match api::forgot(lang, kind, address).await {
                Ok(accepted) => {
                    error.set(None);
                    sent.set(Some(accepted.message));
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.pick("ログインID確認/パスワード再設定", "Forgot login ID or password")}</h1>
            <form class="form" on:submit=submit>
                <fieldset class="choices">
                    <legend>{move || i18n.pick("何を忘れましたか？", "What did you forget?")}</legend>
                    <label class="checkbox">
                        <input type="radio" name="what" prop:checked=move || what.get() == Forgotten::LoginId
                            on:change=move |_| what.set(Forgotten::LoginId) />
                        {move || i18n.pick("ログインIDを忘れました。", "My login ID")}
                    </label>
                    <label class="checkbox">
                        <input type="radio" name="what" data-testid="forgot-password" prop:checked=move || what.get() == Forgotten::Password
                            on:change=move |_| what.set(Forgotten::Password) />
                        {move || i18n.pick("パスワードを忘れました。", "My password")}
                    </label>
                </fieldset>
                <Field label=("連絡先メールアドレス", "Contact email") name="email" kind="email" value=email error />
                <FormError error />
                <button type="submit" class="button button-primary">{move || i18n.pick("送信", "Send")}</button>
            </form>
            {move || sent.get().map(|message| view! { <div class="alert alert-success" data-testid="forgot-sent">{message}</div> })}
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let password = RwSignal::new(String::new());
    let password_confirmation = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = SetPasswordRequest {
            token: query
                .with_untracked(|query| query.get("token"))
                .unwrap_or_default(),
            password: password.get_untracked(),
            password_confirmation: password_confirmation.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::set_password(lang, &request).await {
                Ok(()) => done.set(true),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <section class="narrow">
            <h1>{move || i18n.pick("パスワードの設定", "Set your password")}</h1>
            <Show
                when=move || !done.get()
                fallback=move || view! {
                    <div class="alert alert-success" data-testid="password-set">
                        <p>{move || i18n.pick("パスワードを設定しました。", "Your password is set.")}</p>
                        <A href="/login">{move || i18n.pick("ログインへ", "Sign in")}</A>
                    </div>
                }
            >
                <form class="form" on:submit=submit>
                    <Field label=("新しいパスワード", "New password") name="password" kind="password" value=password error autocomplete="new-password"
                        hint=("半角12字以上で、英大文字、英小文字、数字を各1文字以上使用してください", "At least 12 characters with upper-case, lower-case and a digit") />
                    <Field label=("パスワード(再入力)", "Password (again)") name="password_confirmation" kind="password" value=password_confirmation error autocomplete="new-password" />
                    <FormError error />
                    <button type="submit" class="button button-primary">{move || i18n.pick("設定する", "Set password")}</button>
                </form>
            </Show>
        </section>
    }
}
