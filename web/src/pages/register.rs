//! 新規ユーザー登録 (seed 004 ②) and 本登録 (confirmation by the mailed link).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use madoguchi_types::accounts::{RegistrationRequest, RegistrationResponse};
use madoguchi_types::validation::{Invalid, rules};

use crate::api;
use crate::components::{
    CheckField, ErrorPanel, Field, FieldErrors, FormError, LinkConfirmation, PageHeading, SubmitButton,
};
use crate::i18n::{catalogue::register as text, tr, use_i18n};

#[derive(Clone, Copy)]
struct Form {
    company_name: RwSignal<String>,
    full_name: RwSignal<String>,
    login_id: RwSignal<String>,
    password: RwSignal<String>,
    password_confirmation: RwSignal<String>,
    contact_email: RwSignal<String>,
    maintenance_email: RwSignal<String>,
    consent: RwSignal<bool>,
}

impl Form {
    fn new() -> Self {
        Self {
            company_name: RwSignal::new(String::new()),
            full_name: RwSignal::new(String::new()),
            login_id: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            password_confirmation: RwSignal::new(String::new()),
            contact_email: RwSignal::new(String::new()),
            maintenance_email: RwSignal::new(String::new()),
            consent: RwSignal::new(false),
        }
    }

    /// The browser's checks, with the server's rules and messages.
    fn check(&self, errors: FieldErrors) {
        let value = |signal: RwSignal<String>| signal.get_untracked();
        errors.check("company_name", rules::required(&value(self.company_name)));
        errors.check("full_name", rules::required(&value(self.full_name)));
        errors.check("login_id", rules::login_id_shape(&value(self.login_id)));
        errors.check("password", rules::password_shape(&value(self.password)));
        errors.check(
            "password_confirmation",
            rules::required(&value(self.password_confirmation))
                .and_then(|()| rules::same(&value(self.password), &value(self.password_confirmation))),
        );
        errors.check("contact_email", rules::email_shape(&value(self.contact_email)));
        errors.check(
            "maintenance_email",
            rules::email_shape(&value(self.maintenance_email)),
        );
        errors.check(
            "consent",
            if self.consent.get_untracked() {
                Ok(())
            } else {
                Err(Invalid::MustAccept)
            },
        );
    }

    fn request(&self) -> RegistrationRequest {
        RegistrationRequest {
            company_name: self.company_name.get_untracked(),
            full_name: self.full_name.get_untracked(),
            login_id: self.login_id.get_untracked(),
            password: self.password.get_untracked(),
            password_confirmation: self.password_confirmation.get_untracked(),
            contact_email: self.contact_email.get_untracked(),
            maintenance_email: self.maintenance_email.get_untracked(),
            consent: self.consent.get_untracked(),
        }
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new();
    let errors = FieldErrors::new();
    let done = RwSignal::new(None::<RegistrationResponse>);
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        form.check(errors);
        if errors.blocked() {
            return;
        }
        let (lang, request) = (i18n.lang_untracked(), form.request());
        busy.set(true);
        spawn_local(async move {
            match api::accounts::register(lang, &request).await {
                Ok(response) => done.set(Some(response)),
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="narrow">
            <PageHeading text=text::TITLE />
            <Show
                when=move || done.with(Option::is_none)
                fallback=move || view! {
                    <div class="alert alert-success" data-testid="registration-done" role="status">
                        <p class="alert-title">{tr(text::DONE_TITLE)}</p>
                        <p>{move || text::done_lead(i18n.lang(), &done.get().map(|r| r.contact_email).unwrap_or_default())}</p>
                    </div>
                }
            >
                <p class="muted">{tr(text::LEAD)}</p>
                <p class="muted small">{tr(text::REQUIRED_NOTE)}</p>
                <form class="form" on:submit=submit data-testid="register-form" novalidate>
                    <Field label=text::COMPANY name="company_name" value=form.company_name errors required=true autocomplete="organization" />
                    <Field label=text::FULL_NAME name="full_name" value=form.full_name errors required=true autocomplete="name" hint=text::FULL_NAME_HINT />
                    <Field label=text::LOGIN_ID name="login_id" value=form.login_id errors required=true autocomplete="username" hint=text::LOGIN_ID_HINT />
                    <Field label=text::PASSWORD name="password" kind="password" value=form.password errors required=true autocomplete="new-password" hint=text::PASSWORD_HINT />
                    <Field label=text::PASSWORD_AGAIN name="password_confirmation" kind="password" value=form.password_confirmation errors required=true autocomplete="new-password" hint=text::PASSWORD_AGAIN_HINT />
                    <Field label=text::CONTACT_EMAIL name="contact_email" kind="email" value=form.contact_email errors required=true autocomplete="email" hint=text::CONTACT_EMAIL_HINT />
                    <Field label=text::MAINTENANCE_EMAIL name="maintenance_email" kind="email" value=form.maintenance_email errors required=true hint=text::MAINTENANCE_EMAIL_HINT />
                    <CheckField label=text::CONSENT name="consent" checked=form.consent errors required=true />
                    <FormError errors />
                    <SubmitButton label=text::SUBMIT busy=busy.into() primary=true />
                </form>
            </Show>
        </section>
    }
}

/// 本登録: the link from the (1/3) mail lands here; one click confirms (seed 000 1-6). After
/// a refusal the button goes away: the link is spent or expired, and the page says what
/// to do instead.
#[component]
pub fn ConfirmRegistrationPage() -> impl IntoView {
    let (LinkConfirmation { outcome, busy }, confirm) = LinkConfirmation::new(|lang, token| async move {
        api::accounts::confirm_registration(lang, token)
            .await
            .map(|response| response.login_id)
    });
    view! {
        <section class="narrow">
            <PageHeading text=text::CONFIRM_TITLE />
            {move || match outcome.get() {
                Some(Ok(login_id)) => view! {
                    <div class="alert alert-success" data-testid="confirmation-done" role="status">
                        <p class="alert-title">{tr(text::CONFIRMED)}</p>
                        <p>{tr(text::LOGIN_ID_IS)}<strong>{login_id}</strong></p>
                    </div>
                    <p><a class="button button-primary" href="/login" data-testid="go-sign-in">{tr(text::GO_SIGN_IN)}</a></p>
                }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel error />
                    <p>{tr(text::CONFIRM_FAILED_NEXT)}</p>
                    <p class="actions">
                        <A href="/login" attr:class="button" attr:data-testid="go-sign-in">{tr(text::GO_SIGN_IN)}</A>
                        <A href="/register" attr:class="button">{tr(text::REGISTER_AGAIN)}</A>
                    </p>
                }.into_any(),
                None => view! {
                    <p>{tr(text::CONFIRM_LEAD)}</p>
                    <button type="button" class="button button-primary" data-testid="confirm-registration" on:click=confirm.clone() disabled=move || busy.get()>
                        {tr(text::CONFIRM)}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}
