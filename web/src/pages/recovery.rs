//! ログイン情報を忘れた場合 (forgot login ID / password), setting a password with a mailed
//! link, and confirming a new contact email with its link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use madoguchi_types::auth::SetPasswordRequest;
use madoguchi_types::validation::rules;

use crate::api;
use crate::api::auth::Forgotten;
use crate::components::{
    ErrorPanel, Field, FieldErrors, FormError, LinkConfirmation, PageHeading, SubmitButton,
};
use crate::i18n::{catalogue::recovery as text, tr, use_i18n};

#[component]
pub fn ForgotPage() -> impl IntoView {
    let i18n = use_i18n();
    let what = RwSignal::new(Forgotten::Password);
    let email = RwSignal::new(String::new());
    let errors = FieldErrors::new();
    let sent = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("email", rules::email_shape(&email.get_untracked()));
        if errors.blocked() {
            return;
        }
        let (lang, kind, address) = (i18n.lang_untracked(), what.get_untracked(), email.get_untracked());
        busy.set(true);
        spawn_local(async move {
            match api::auth::forgot(lang, kind, address).await {
                Ok(answer) => sent.set(Some(answer.message)),
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="narrow">
            <PageHeading text=text::FORGOT_TITLE />
            <p class="muted">{tr(text::FORGOT_LEAD)}</p>
            <form class="form" on:submit=submit data-testid="forgot-form" novalidate>
                <fieldset class="choices">
                    <legend>{tr(text::WHAT)}</legend>
                    <label class="check">
                        <input type="radio" name="what" prop:checked=move || what.get() == Forgotten::LoginId
                            on:change=move |_| what.set(Forgotten::LoginId) data-testid="forgot-login-id" />
                        <span>{tr(text::LOGIN_ID)}</span>
                    </label>
                    <label class="check">
                        <input type="radio" name="what" prop:checked=move || what.get() == Forgotten::Password
                            on:change=move |_| what.set(Forgotten::Password) data-testid="forgot-password" />
                        <span>{tr(text::PASSWORD)}</span>
                    </label>
                </fieldset>
                <Field label=text::CONTACT_EMAIL name="email" kind="email" value=email errors required=true autocomplete="email" />
                <FormError errors />
                <SubmitButton label=text::SEND busy=busy.into() primary=true />
            </form>
            {move || sent.get().map(|message| view! { <div class="alert alert-success" role="status" data-testid="forgot-sent">{message}</div> })}
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let (password, confirmation) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FieldErrors::new();
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("password", rules::password_shape(&password.get_untracked()));
        errors.check(
            "password_confirmation",
            rules::same(&password.get_untracked(), &confirmation.get_untracked()),
        );
        if errors.blocked() {
            return;
        }
        let request = SetPasswordRequest {
            token: query
                .with_untracked(|query| query.get("token"))
                .unwrap_or_default(),
            password: password.get_untracked(),
            password_confirmation: confirmation.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::auth::set_password(lang, &request).await {
                Ok(()) => done.set(true),
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="narrow">
            <PageHeading text=text::RESET_TITLE />
            <Show
                when=move || !done.get()
                fallback=move || view! {
                    <div class="alert alert-success" role="status" data-testid="password-set">
                        <p>{tr(text::RESET_DONE)}</p>
                        <A href="/login">{tr(text::GO_SIGN_IN)}</A>
                    </div>
                }
            >
                <form class="form" on:submit=submit data-testid="reset-form" novalidate>
                    <Field label=text::NEW_PASSWORD name="password" kind="password" value=password errors required=true autocomplete="new-password" hint=text::PASSWORD_HINT />
                    <Field label=text::PASSWORD_AGAIN name="password_confirmation" kind="password" value=confirmation errors required=true autocomplete="new-password" />
                    <FormError errors />
                    <SubmitButton label=text::SET_PASSWORD busy=busy.into() primary=true />
                </form>
            </Show>
        </section>
    }
}

/// The link mailed to a new contact email lands here.
#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let (LinkConfirmation { outcome, busy }, confirm) = LinkConfirmation::new(api::auth::confirm_email);
    view! {
        <section class="narrow">
            <PageHeading text=text::CONFIRM_EMAIL_TITLE />
            {move || match outcome.get() {
                Some(Ok(())) => view! {
                    <div class="alert alert-success" role="status" data-testid="email-confirmed"><p>{tr(text::EMAIL_CONFIRMED)}</p></div>
                    <p><A href="/me">{tr(text::GO_MY_PAGE)}</A></p>
                }.into_any(),
                Some(Err(error)) => view! { <ErrorPanel error /> <p><A href="/me">{tr(text::GO_MY_PAGE)}</A></p> }.into_any(),
                None => view! {
                    <p>{tr(text::CONFIRM_EMAIL_LEAD)}</p>
                    <button type="button" class="button button-primary" data-testid="confirm-email" on:click=confirm.clone() disabled=move || busy.get()>
                        {tr(text::CONFIRM)}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}
