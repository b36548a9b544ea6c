//! マイページ (seed 004 ⑥): profile, contact email, password, 2-step authentication, API
//! tokens. Security-relevant changes ask for the current password.

use leptos::prelude::*;
use leptos::task::spawn_local;
use madoguchi_types::accounts::{
    ApiTokenSummary, CreatedApiToken, EmailChangeRequest, PasswordChangeRequest, Profile, ProfileUpdate,
    Role, TwoFactorConfirmRequest, TwoFactorStartRequest,
};
use madoguchi_types::auth::OtpChallenge;
use madoguchi_types::ids::ApiTokenId;
use madoguchi_types::validation::rules;

use crate::api;
use crate::auth::use_auth;
use crate::components::{
    CheckField, ConfirmButton, CopyButton, EmptyState, ErrorPanel, Field, FieldErrors, FormError,
    LoadingRows, PageHeading, RequireSignIn, SubmitButton, role_label, use_toasts,
};
use crate::i18n::{catalogue::my_page as text, tr, use_i18n};

#[component]
pub fn MyPage() -> impl IntoView {
    view! { <RequireSignIn><MyPageContent /></RequireSignIn> }
}

#[component]
fn MyPageContent() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section>
            <PageHeading text=text::TITLE />
            {move || auth.profile.get().map(|profile| view! { <ProfileCard profile /> })}
            <div class="columns">
                <EmailCard />
                <PasswordCard />
            </div>
            <TwoFactorCard />
            <ApiTokensCard />
        </section>
    }
}

#[component]
fn ProfileCard(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let staff = profile.role == Role::Staff;
    let full_name = RwSignal::new(profile.full_name.clone());
    let company_name = RwSignal::new(profile.company_name.clone());
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("full_name", rules::required(&full_name.get_untracked()));
        if !staff {
            errors.check("company_name", rules::required(&company_name.get_untracked()));
        }
        if errors.blocked() {
            return;
        }
        let update = ProfileUpdate {
            full_name: Some(full_name.get_untracked()),
            company_name: (!staff).then(|| company_name.get_untracked()),
            preferred_lang: None,
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::update_profile(auth, lang, &update).await {
                Ok(updated) => {
                    auth.profile.set(Some(updated));
                    toasts.success(text::SAVED.get(lang));
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let organization = profile.organization.clone();
    let maintenance = profile.maintenance_email.clone();
    view! {
        <div class="card wide" data-testid="profile">
            <h2>{tr(text::PROFILE)}</h2>
            <dl class="facts">
                <dt>{tr(text::LOGIN_ID)}</dt>
                <dd data-testid="profile-login-id">{profile.login_id.clone()}</dd>
                <dt>{tr(text::ROLE)}</dt>
                <dd>{move || i18n.t(role_label(profile.role))}</dd>
                {organization.map(|organization| view! {
                    <dt>{tr(text::ORGANIZATION)}</dt>
                    <dd>{format!("{} ({})", organization.name, organization.customer_number)}</dd>
                })}
                {maintenance.map(|email| view! { <dt>{tr(text::MAINTENANCE_EMAIL)}</dt><dd>{email}</dd> })}
            </dl>
            <form class="form" on:submit=submit novalidate>
                <Field label=text::FULL_NAME name="full_name" value=full_name errors required=true autocomplete="name" />
                {(!staff).then(|| view! { <Field label=text::COMPANY name="company_name" value=company_name errors required=true autocomplete="organization" /> })}
                <FormError errors />
                <SubmitButton label=text::SAVE_PROFILE busy=busy.into() />
            </form>
        </div>
    }
}

#[component]
fn EmailCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let current = move || {
        auth.profile.with(|profile| {
            profile
                .as_ref()
                .map(|p| (p.email.clone(), p.pending_email.clone()))
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("email", rules::email_shape(&email.get_untracked()));
        if errors.blocked() {
            return;
        }
        let given = password.get_untracked();
        let request = EmailChangeRequest {
            email: email.get_untracked(),
            current_password: (!given.is_empty()).then_some(given),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::change_email(auth, lang, &request).await {
                Ok(profile) => {
                    toasts.success(text::email_confirmation_sent(lang, &request.email));
                    auth.profile.set(Some(profile));
                    email.set(String::new());
                    password.set(String::new());
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card" data-testid="contact-email">
            <h2>{tr(text::CONTACT_EMAIL)}</h2>
            {move || current().map(|(email, pending)| view! {
                <p>{tr(text::CURRENT_EMAIL)}<strong data-testid="current-email">{email}</strong></p>
                {pending.map(|pending| view! { <p class="alert alert-info" data-testid="pending-email">{move || text::pending(i18n.lang(), &pending)}</p> })}
            })}
            <form class="form" on:submit=submit novalidate>
                <Field scope="email" label=text::NEW_EMAIL name="email" kind="email" value=email errors required=true autocomplete="email" hint=text::NEW_EMAIL_HINT />
                <Field scope="email" label=text::CURRENT_PASSWORD name="current_password" kind="password" value=password errors autocomplete="current-password" hint=text::CURRENT_PASSWORD_HINT />
                <FormError errors />
                <SubmitButton label=text::CHANGE_EMAIL busy=busy.into() />
            </form>
        </div>
    }
}

#[component]
fn PasswordCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let (current, new_password, again) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let revoke = RwSignal::new(true);
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("current_password", rules::required(&current.get_untracked()));
        errors.check(
            "new_password",
            rules::password_shape(&new_password.get_untracked()),
        );
        errors.check(
            "new_password_confirmation",
            rules::same(&new_password.get_untracked(), &again.get_untracked()),
        );
        if errors.blocked() {
            return;
        }
        let request = PasswordChangeRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
            new_password_confirmation: again.get_untracked(),
            revoke_api_tokens: revoke.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::change_password(auth, lang, &request).await {
                Ok(()) => {
                    toasts.success(text::PASSWORD_CHANGED.get(lang));
                    for field in [current, new_password, again] {
                        field.set(String::new());
                    }
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card" data-testid="password">
            <h2>{tr(text::CHANGE_PASSWORD)}</h2>
            <form class="form" on:submit=submit novalidate>
                <Field scope="password" label=text::CURRENT_PASSWORD name="current_password" kind="password" value=current errors required=true autocomplete="current-password" />
                <Field scope="password" label=text::NEW_PASSWORD name="new_password" kind="password" value=new_password errors required=true autocomplete="new-password" hint=text::PASSWORD_HINT />
                <Field scope="password" label=text::NEW_PASSWORD_AGAIN name="new_password_confirmation" kind="password" value=again errors required=true autocomplete="new-password" />
                <CheckField scope="password" label=text::REVOKE_TOKENS name="revoke_api_tokens" checked=revoke errors />
                <FormError errors />
                <SubmitButton label=text::CHANGE busy=busy.into() />
            </form>
        </div>
    }
}

#[component]
fn TwoFactorCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let challenge = RwSignal::new(None::<OtpChallenge>);
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let enabled = move || {
        auth.profile
            .with(|profile| profile.as_ref().and_then(|p| p.two_factor_email.clone()))
    };
    view! {
        <div class="card wide" data-testid="two-factor">
            <h2>{tr(text::TWO_FACTOR)}</h2>
            <p class="muted small">{tr(text::TWO_FACTOR_LEAD)}</p>
            <p data-testid="two-factor-state">{move || match enabled() {
                Some(hint) => text::two_factor_on(i18n.lang(), &hint),
                None => text::TWO_FACTOR_OFF_STATE.get(i18n.lang()).to_owned(),
            }}</p>
            {move || match challenge.get() {
                Some(issued) => view! { <TwoFactorConfirm issued challenge errors busy /> }.into_any(),
                None => view! { <TwoFactorStart challenge errors busy /> }.into_any(),
            }}
            <Show when=move || enabled().is_some()>
                <TwoFactorOff errors busy />
            </Show>
        </div>
    }
}

/// Asks for the address (and the current password) and mails a code to it.
#[component]
fn TwoFactorStart(
    challenge: RwSignal<Option<OtpChallenge>>,
    errors: FieldErrors,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let start = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("email", rules::email_shape(&email.get_untracked()));
        if errors.blocked() {
            return;
        }
        let given = password.get_untracked();
        let request = TwoFactorStartRequest {
            email: email.get_untracked(),
            current_password: (!given.is_empty()).then_some(given),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::start_two_factor(auth, lang, &request).await {
                Ok(issued) => challenge.set(Some(issued)),
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=start novalidate data-testid="two-factor-start">
            <Field scope="two-factor" label=text::OTP_EMAIL name="email" kind="email" value=email errors required=true />
            <Field scope="two-factor" label=text::CURRENT_PASSWORD name="current_password" kind="password" value=password errors autocomplete="current-password" hint=text::CURRENT_PASSWORD_HINT />
            <FormError errors />
            <SubmitButton label=text::SEND_CODE busy=busy.into() />
        </form>
    }
}

/// The mailed code; a wrong one is a field error, the session stays.
#[component]
fn TwoFactorConfirm(
    issued: OtpChallenge,
    challenge: RwSignal<Option<OtpChallenge>>,
    errors: FieldErrors,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let code = RwSignal::new(String::new());
    let hint = issued.email_hint.clone();
    let confirm = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("code", rules::required(&code.get_untracked()));
        if errors.blocked() {
            return;
        }
        let request = TwoFactorConfirmRequest {
            challenge_id: issued.challenge_id.clone(),
            code: code.get_untracked(),
        };
        let lang = i18n.lang_untracked();
        busy.set(true);
        spawn_local(async move {
            match api::accounts::confirm_two_factor(auth, lang, &request).await {
                Ok(profile) => {
                    challenge.set(None);
                    auth.profile.set(Some(profile));
                    toasts.success(text::TWO_FACTOR_ON.get(lang));
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form" on:submit=confirm novalidate data-testid="two-factor-confirm">
            <p>{move || text::code_sent_to(i18n.lang(), &hint)}</p>
            <Field scope="two-factor" label=text::CODE name="code" value=code errors required=true autocomplete="one-time-code" inputmode="numeric" />
            <FormError errors />
            <SubmitButton label=text::VERIFY busy=busy.into() />
        </form>
    }
}

/// Turning it off: the password, then a confirmation dialog.
#[component]
fn TwoFactorOff(errors: FieldErrors, busy: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let password = RwSignal::new(String::new());
    let turn_off = Callback::new(move |()| {
        errors.clear();
        if !errors.check("password", rules::required(&password.get_untracked())) {
            errors.blocked();
            return;
        }
        let (lang, given) = (i18n.lang_untracked(), password.get_untracked());
        busy.set(true);
        spawn_local(async move {
            match api::accounts::disable_two_factor(auth, lang, given).await {
                Ok(profile) => {
                    auth.profile.set(Some(profile));
                    password.set(String::new());
                    toasts.success(text::TWO_FACTOR_OFF.get(lang));
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    });
    view! {
        <div class="form danger-zone">
            <Field scope="two-factor" label=text::PASSWORD_FOR_OFF name="password" kind="password" value=password errors required=true autocomplete="current-password" />
            <ConfirmButton label=Signal::derive(move || text::TURN_OFF.get(i18n.lang()).to_owned()) title=text::TURN_OFF_TITLE
                message=Signal::derive(move || text::TURN_OFF_MESSAGE.get(i18n.lang()).to_owned()) confirm=text::TURN_OFF
                on_confirm=turn_off busy=busy.into() testid="two-factor-off" />
        </div>
    }
}

#[component]
fn ApiTokensCard() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let toasts = use_toasts();
    let name = RwSignal::new(String::new());
    let created = RwSignal::new(None::<CreatedApiToken>);
    let errors = FieldErrors::new();
    let busy = RwSignal::new(false);
    let version = RwSignal::new(0_u32);
    let tokens = LocalResource::new(move || {
        version.track();
        api::accounts::api_tokens(auth, i18n.lang_untracked())
    });
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        errors.clear();
        errors.check("name", rules::required(&name.get_untracked()));
        if errors.blocked() {
            return;
        }
        let (lang, token_name) = (i18n.lang_untracked(), name.get_untracked());
        busy.set(true);
        spawn_local(async move {
            match api::accounts::create_api_token(auth, lang, token_name).await {
                Ok(token) => {
                    name.set(String::new());
                    created.set(Some(token));
                    version.update(|v| *v += 1);
                }
                Err(error) => errors.server_said(error),
            }
            busy.set(false);
        });
    };
    let revoke = move |id: ApiTokenId| {
        let lang = i18n.lang_untracked();
        spawn_local(async move {
            match api::accounts::revoke_api_token(auth, lang, id).await {
                Ok(()) => {
                    toasts.success(text::TOKEN_REVOKED.get(lang));
                    version.update(|v| *v += 1);
                }
                Err(error) => toasts.failure(error.to_string()),
            }
        });
    };
    view! {
        <div class="card wide" data-testid="api-tokens">
            <h2>{tr(text::API_TOKENS)}</h2>
            <p class="muted small">{tr(text::API_TOKENS_LEAD)}</p>
            {move || created.get().map(|token| view! {
                <div class="alert alert-success" data-testid="api-token-created">
                    <p class="alert-title">{tr(text::TOKEN_SHOWN_ONCE)}</p>
                    <code class="token" data-testid="api-token-value">{token.token.clone()}</code>
                    <CopyButton value=token.token.clone() />
                </div>
            })}
            <Transition fallback=|| view! { <LoadingRows /> }>
                {move || Suspend::new(async move {
                    match tokens.await {
                        Ok(list) if list.is_empty() => view! { <EmptyState text=text::NO_TOKENS /> }.into_any(),
                        Ok(list) => view! { <TokenTable list revoke /> }.into_any(),
                        Err(error) => view! { <ErrorPanel error /> }.into_any(),
                    }
                })}
            </Transition>
            <form class="form inline" on:submit=create novalidate>
                <Field scope="token" label=text::TOKEN_NAME name="name" value=name errors required=true hint=text::TOKEN_NAME_HINT />
                <FormError errors />
                <SubmitButton label=text::CREATE busy=busy.into() />
            </form>
        </div>
    }
}

#[component]
fn TokenTable<F>(list: Vec<ApiTokenSummary>, revoke: F) -> impl IntoView
where
    F: Fn(ApiTokenId) + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    view! {
        <table class="table responsive">
            <thead><tr>
                <th>{tr(text::TOKEN_NAME)}</th>
                <th>{tr(text::TOKEN)}</th>
                <th>{tr(text::CREATED)}</th>
                <th>{tr(text::LAST_USED)}</th>
                <th><span class="sr-only">{tr(text::ACTIONS)}</span></th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|token| {
                    let id = token.id;
                    let name = token.name.clone();
                    view! {
                        <tr data-testid="api-token-row">
                            <td data-label=move || i18n.t(text::TOKEN_NAME)>{token.name.clone()}</td>
                            <td data-label=move || i18n.t(text::TOKEN)><code>{token.prefix.clone()}"…"</code></td>
                            <td data-label=move || i18n.t(text::CREATED)>{super::format_time(token.created_at)}</td>
                            <td data-label=move || i18n.t(text::LAST_USED)>{token.last_used_at.map(super::format_time).unwrap_or_else(|| "—".into())}</td>
                            <td>
                                <ConfirmButton label=Signal::derive(move || text::REVOKE.get(i18n.lang()).to_owned()) title=text::REVOKE_TITLE
                                    message=Signal::derive(move || text::revoke_message(i18n.lang(), &name)) confirm=text::REVOKE
                                    on_confirm=Callback::new(move |()| revoke(id)) testid="revoke-token" />
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
