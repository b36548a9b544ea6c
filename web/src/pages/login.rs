//! ログイン: login ID and password, then — with 2-step authentication — the mailed code,
//! or the release form when the OTP email is lost (seed 002). After signing in the user
//! goes back to the page they came from (`?next=`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::{A, Redirect};
use leptos_router::hooks::{use_navigate, use_query_map};
use madoguchi_types::auth::{
    OtpChallenge, OtpVerifyRequest, RefreshTokenDelivery, SignInRequest, SignInResponse, TokenResponse,
    TwoFactorReleaseRequest,
};
use madoguchi_types::validation::rules;

use crate::api;
use crate::auth::{SessionState, use_auth};
use crate::components::{Field, FieldErrors, FormError, PageHeading, SubmitButton, safe_next};
use crate::i18n::{catalogue::login, tr, use_i18n};

/// Where to go after signing in.
fn next_path() -> String {
    safe_next(use_query_map().read_untracked().get("next"))
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let auth = use_auth();
    let challenge = RwSignal::new(None::<OtpChallenge>);
    let releasing = RwSignal::new(false);
    let already = move || auth.state() == SessionState::SignedIn && challenge.with(Option::is_none);
    view! {
        <section class="narrow">
            <PageHeading text=login::TITLE />
            <Show when=already>
                <Redirect path=next_path() options=NavigateOptions { replace: true, ..Default::default() } />
            </Show>
            {move || auth.notice.get().map(|notice| view! { <div class="alert alert-info" role="status" data-testid="login-notice">{notice}</div> })}
            {move || match (challenge.get(), releasing.get()) {
                (None, _) => view! { <PasswordStep challenge /> }.into_any(),
                (Some(_), false) => view! { <CodeStep challenge releasing /> }.into_any(),
                (Some(_), true) => view! { <ReleaseStep challenge /> }.into_any(),
            }}
        </section>
    }
}

/// Keeps the session and goes back where the user came from.
async fn complete(
    auth: crate::auth::Auth,
    tokens: TokenResponse,
    next: String,
    navigate: impl Fn(&str, NavigateOptions),
) {
    auth.begin(&tokens).await;
    navigate(
        &next,
        NavigateOptions {
            replace: true,
            ..Default::default()
        },
    );
}

#[component]
fn PasswordStep(challenge: RwSignal<Option<OtpChallenge>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let (login_id, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("login_id", rules::required(&login_id.get_untracked()));
        errors.check("password", rules::required(&password.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = SignInRequest {
            login_id: login_id.get_untracked(),
            password: password.get_untracked(),
            refresh_token_delivery: RefreshTokenDelivery::Cookie,
        };
        let (lang, navigate, next) = (i18n.lang_untracked(), navigate.clone(), next.clone());
        busy.set(true);
        spawn_local(async move {
            match api::auth::sign_in(lang, &request).await {
                Ok(SignInResponse::SignedIn(tokens)) => {
                    auth.notice.set(None);
                    complete(auth, tokens, next, navigate).await;
                }
                Ok(SignInResponse::OtpRequired(issued)) => challenge.set(Some(issued)),
                Err(error) => {
                    password.set(String::new());
                    errors.server_said(error);
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="login-form" novalidate>
            <Field label=login::LOGIN_ID name="login_id" value=login_id errors required=true autocomplete="username" />
            <Field label=login::PASSWORD name="password" kind="password" value=password errors required=true autocomplete="current-password" />
            <FormError errors />
            <SubmitButton label=login::SUBMIT busy=busy.into() primary=true />
            <p class="muted small">{tr(login::LOCKOUT_RULE)}</p>
            <p class="small">
                <A href="/forgot">{tr(login::FORGOT)}</A>
                " · "
                <A href="/register">{tr(login::REGISTER)}</A>
                " · "
                <A href="/analytics/signup" attr:data-testid="analytics-signup-link">{tr(crate::i18n::catalogue::signup::SIGN_UP_LINK)}</A>
            </p>
        </form>
    }
}

#[component]
fn CodeStep(challenge: RwSignal<Option<OtpChallenge>>, releasing: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let code = RwSignal::new(String::new());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("code", rules::required(&code.get_untracked()));
        let Some(current) = challenge.get_untracked() else {
            return;
        };
        if errors.blocked() {
            return;
        }
        let request = OtpVerifyRequest {
            challenge_id: current.challenge_id,
            code: code.get_untracked(),
            refresh_token_delivery: RefreshTokenDelivery::Cookie,
        };
        let (lang, navigate, next) = (i18n.lang_untracked(), navigate.clone(), next.clone());
        busy.set(true);
        spawn_local(async move {
            match api::auth::verify_otp(lang, &request).await {
                Ok(tokens) => complete(auth, tokens, next, navigate).await,
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="otp-form" novalidate>
            <p>
                {tr(login::CODE_SENT)}
                <strong>{move || challenge.get().map(|c| c.email_hint).unwrap_or_default()}</strong>
            </p>
            <Field label=login::CODE name="code" value=code errors required=true autocomplete="one-time-code" inputmode="numeric" hint=login::CODE_HINT />
            <FormError errors />
            <SubmitButton label=login::VERIFY busy=busy.into() primary=true />
            <p class="small">
                <button type="button" class="link" on:click=move |_| releasing.set(true)>{tr(login::CANNOT_USE_EMAIL)}</button>
            </p>
        </form>
    }
}

/// 2段階認証解除: registered OTP email, customer number, contractor name.
#[component]
fn ReleaseStep(challenge: RwSignal<Option<OtpChallenge>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let next = next_path();
    let (email, number, name) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("registered_email", rules::email_shape(&email.get_untracked()));
        errors.check("customer_number", rules::required(&number.get_untracked()));
        errors.check("contractor_name", rules::required(&name.get_untracked()));
        let Some(current) = challenge.get_untracked() else {
            return;
        };
        if errors.blocked() {
            return;
        }
        let request = TwoFactorReleaseRequest {
            challenge_id: current.challenge_id,
            registered_email: email.get_untracked(),
            customer_number: number.get_untracked(),
            contractor_name: name.get_untracked(),
            refresh_token_delivery: RefreshTokenDelivery::Cookie,
        };
        let (lang, navigate, next) = (i18n.lang_untracked(), navigate.clone(), next.clone());
        busy.set(true);
        spawn_local(async move {
            match api::auth::release_two_factor(lang, &request).await {
                Ok(tokens) => complete(auth, tokens, next, navigate).await,
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="release-form" novalidate>
            <h2>{tr(login::RELEASE_TITLE)}</h2>
            <Field label=login::REGISTERED_EMAIL name="registered_email" kind="email" value=email errors required=true />
            <Field label=login::CUSTOMER_NUMBER name="customer_number" value=number errors required=true hint=login::CUSTOMER_NUMBER_HINT />
            <Field label=login::CONTRACTOR_NAME name="contractor_name" value=name errors required=true />
            <FormError errors />
            <SubmitButton label=login::RELEASE busy=busy.into() primary=true />
        </form>
    }
}
