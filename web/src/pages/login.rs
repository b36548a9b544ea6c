//! ログイン: login ID and password, then — with 2-step authentication — the mailed code,
//! or the release form when the OTP email is lost (seed 002).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use madoguchi_types::auth::{
    OtpChallenge, OtpVerifyRequest, SignInRequest, SignInResponse, TokenResponse, TwoFactorReleaseRequest,
};

use crate::api::{self, ApiError};
use crate::auth::{Auth, use_auth};
use crate::components::{Field, FormError};
use crate::i18n::use_i18n;

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let login_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let error = RwSignal::new(None::<ApiError>);
    let challenge = RwSignal::new(None::<OtpChallenge>);
    let releasing = RwSignal::new(false);
    let busy = RwSignal::new(false);

    let signed_in = {
        let navigate = navigate.clone();
        move |tokens: TokenResponse| complete_sign_in(auth, &tokens, &navigate)
    };

    let submit_password = {
        let signed_in = signed_in.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let request = SignInRequest {
                login_id: login_id.get_untracked(),
                password: password.get_untracked(),
            };
            let lang = i18n.lang_untracked();
            let signed_in = signed_in.clone();
            busy.set(true);
            spawn_local(async move {
                match api::sign_in(lang, &request).await {
                    Ok(SignInResponse::SignedIn(tokens)) => signed_in(tokens),
                    Ok(SignInResponse::OtpRequired(issued)) => {
                        error.set(None);
                        challenge.set(Some(issued));
                    }
                    Err(failure) => error.set(Some(failure)),
                }
                busy.set(false);
            });
        }
    };

    let submit_code = {
        let signed_in = signed_in.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let Some(current) = challenge.get_untracked() else {
                return;
            };
            let request = OtpVerifyRequest {
                challenge_id: current.challenge_id,
                code: code.get_untracked(),
            };
            let lang = i18n.lang_untracked();
            let signed_in = signed_in.clone();
            busy.set(true);
            spawn_local(async move {
                match api::verify_otp(lang, &request).await {
                    Ok(tokens) => signed_in(tokens),
                    Err(failure) => error.set(Some(failure)),
                }
                busy.set(false);
            });
        }
    };

    view! {
        <section class="narrow">
            <h1>{move || i18n.pick("ログイン", "Sign in")}</h1>
            {move || auth.notice.get().map(|notice| view! { <div class="alert alert-info" data-testid="login-notice">{notice}</div> })}
            <Show
                when=move || challenge.with(Option::is_some)
                fallback=move || {
                    let submit_password = submit_password.clone();
                    view! {
                        <form class="form" on:submit=submit_password data-testid="login-form">
                            <Field label=("ログインID", "Login ID") name="login_id" value=login_id error autocomplete="username" />
                            <Field label=("パスワード", "Password") name="password" kind="password" value=password error autocomplete="current-password" />
                            <FormError error />
                            <button type="submit" class="button button-primary" disabled=move || busy.get()>
                                {move || i18n.pick("ログイン", "Sign in")}
                            </button>
                            <p class="muted small">
                                <A href="/forgot">{move || i18n.pick("ログイン情報を忘れた場合はこちら", "Forgot your login ID or password?")}</A>
                                " · "
                                <A href="/register">{move || i18n.pick("新規ユーザー登録", "Register")}</A>
                            </p>
                        </form>
                    }
                }
            >
                <Show
                    when=move || releasing.get()
                    fallback={
                        let submit_code = submit_code.clone();
                        move || {
                            let submit_code = submit_code.clone();
                            view! {
                                <form class="form" on:submit=submit_code data-testid="otp-form">
                                    <p>
                                        {move || i18n.pick("ワンタイムパスワードを送信しました: ", "We sent a one-time password to ")}
                                        <strong>{move || challenge.get().map(|c| c.email_hint).unwrap_or_default()}</strong>
                                    </p>
                                    <Field label=("ワンタイムパスワード", "One-time password") name="code" value=code error autocomplete="one-time-code"
                                        hint=("有効期限は30分です。5回間違えると無効になります。", "Valid for 30 minutes; void after 5 wrong tries.") />
                                    <FormError error />
                                    <button type="submit" class="button button-primary" disabled=move || busy.get()>
                                        {move || i18n.pick("認証する", "Verify")}
                                    </button>
                                    <p class="small">
                                        <button type="button" class="link" on:click=move |_| { error.set(None); releasing.set(true) }>
                                            {move || i18n.pick("メールアドレスが使えない場合はこちら", "Cannot use this email address?")}
                                        </button>
                                    </p>
                                </form>
                            }
                        }
                    }
                >
                    <ReleaseForm challenge error />
                </Show>
            </Show>
        </section>
    }
}

/// Keeps the tokens and goes to the home page.
fn complete_sign_in(auth: Auth, tokens: &TokenResponse, navigate: &impl Fn(&str, NavigateOptions)) {
    auth.store(tokens);
    auth.notice.set(None);
    navigate("/", NavigateOptions::default());
}

/// 2段階認証解除: registered OTP email, customer number, contractor name.
#[component]
fn ReleaseForm(
    challenge: RwSignal<Option<OtpChallenge>>,
    error: RwSignal<Option<ApiError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let customer_number = RwSignal::new(String::new());
    let contractor_name = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(current) = challenge.get_untracked() else {
            return;
        };
        let request = TwoFactorReleaseRequest {
            challenge_id: current.challenge_id,
            registered_email: email.get_untracked(),
            customer_number: customer_number.get_untracked(),
            contractor_name: contractor_name.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::release_two_factor(lang, &request).await {
                Ok(tokens) => complete_sign_in(auth, &tokens, &navigate),
                Err(failure) => error.set(Some(failure)),
            }
        });
    };
    view! {
        <form class="form" on:submit=submit data-testid="release-form">
            <h2>{move || i18n.pick("2段階認証の解除", "Release 2-step authentication")}</h2>
            <Field label=("ご登録のメールアドレス", "Registered email") name="registered_email" kind="email" value=email error />
            <Field label=("お客さま番号", "Customer number") name="customer_number" value=customer_number error
                hint=("Nから始まる9桁の数字", "N followed by 9 digits") />
            <Field label=("ご契約者名", "Contractor name") name="contractor_name" value=contractor_name error />
            <FormError error />
            <button type="submit" class="button button-primary">{move || i18n.pick("解除", "Release")}</button>
        </form>
    }
}
