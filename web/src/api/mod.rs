//! The typed API client: one request helper (same origin, `Accept-Language`, bearer token
//! with transparent refresh, problem+json → [`ApiError`]) and one function per endpoint,
//! on the DTOs shared with the server.

use gloo_net::http::{Method, RequestBuilder, Response};
use leptos::prelude::{GetUntracked, GetValue};
use madoguchi_types::accounts::{
    AccountSummary, AccountUpdate, ApiTokenSummary, AuditEvent, ConfirmRegistrationRequest,
    ConfirmRegistrationResponse, CreatedApiToken, NewAccountRequest, NewApiTokenRequest,
    PasswordChangeRequest, PasswordRequest, Profile, ProfileUpdate, RegistrationRequest,
    RegistrationResponse, TwoFactorConfirmRequest,
};
use madoguchi_types::auth::{
    AcceptedResponse, EmailRequest, OtpChallenge, OtpVerifyRequest, RefreshRequest, SetPasswordRequest,
    SignInRequest, SignInResponse, TokenResponse, TwoFactorReleaseRequest,
};
use madoguchi_types::{HealthResponse, PROBLEM_CONTENT_TYPE, Problem};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::auth::Auth;
use crate::i18n::Lang;

/// Why a call failed, as the UI needs to tell it.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server refused or failed with a problem document (its text is already in the
    /// user's language).
    Problem(Problem),
    /// No answer: offline, DNS, connection refused.
    Network(String),
    /// An answer that is neither the expected JSON nor a problem document.
    Unexpected { status: u16 },
}

impl ApiError {
    /// The message for one input field, if the server refused that field.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Problem(problem) => problem.field_message(name).map(str::to_owned),
            _ => None,
        }
    }
}

fn builder(method: Method, path: &str, lang: Lang, token: Option<&str>) -> RequestBuilder {
    let mut builder = RequestBuilder::new(path)
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", lang.tag());
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    builder
}

async fn send(
    method: Method,
    path: &str,
    lang: Lang,
    token: Option<&str>,
    body: Option<&serde_json::Value>,
) -> Result<Response, ApiError> {
    let builder = builder(method, path, lang, token);
    let request = match body {
        Some(body) => builder
            .json(body)
            .map_err(|error| ApiError::Network(error.to_string()))?,
        None => builder
            .build()
            .map_err(|error| ApiError::Network(error.to_string()))?,
    };
    request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|_| ApiError::Unexpected { status })?;
    if response.ok() {
        let text = if text.is_empty() { "null" } else { text.as_str() };
        return serde_json::from_str(text).map_err(|_| ApiError::Unexpected { status });
    }
    let is_problem = response
        .headers()
        .get("content-type")
        .is_some_and(|content_type| content_type.starts_with(PROBLEM_CONTENT_TYPE));
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) if is_problem => Err(ApiError::Problem(problem)),
        _ => Err(ApiError::Unexpected { status }),
    }
}

fn to_value(body: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(body).map_err(|error| ApiError::Network(error.to_string()))
}

/// A call without a session.
async fn public<T: DeserializeOwned>(
    method: Method,
    path: &str,
    lang: Lang,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body.map(to_value).transpose()?;
    decode(send(method, path, lang, None, body.as_ref()).await?).await
}

/// A call with the session's access token, refreshed first when it is about to expire. A
/// session the server ended (idle timeout, revoked) signs the user out with its message.
async fn private<T: DeserializeOwned>(
    auth: Auth,
    method: Method,
    path: &str,
    lang: Lang,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    let body = body.map(to_value).transpose()?;
    let token = fresh_access_token(auth, lang).await?;
    let result = decode(send(method, path, lang, Some(&token), body.as_ref()).await?).await;
    if let Err(ApiError::Problem(problem)) = &result
        && problem.status == 401
    {
        auth.clear(Some(problem.title.clone()));
    }
    result
}

async fn fresh_access_token(auth: Auth, lang: Lang) -> Result<String, ApiError> {
    let Some(session) = auth.session.get_untracked() else {
        return Err(ApiError::Unexpected { status: 401 });
    };
    if !session.is_stale() {
        return Ok(session.access_token);
    }
    let lock = auth.refreshing.get_value();
    let _guard = lock.lock().await;
    // Another call may have refreshed while this one waited.
    match auth.session.get_untracked() {
        Some(current) if current.refresh_token != session.refresh_token => return Ok(current.access_token),
        None => return Err(ApiError::Unexpected { status: 401 }),
        Some(_) => {}
    }
    let refreshed: Result<TokenResponse, ApiError> = public(
        Method::POST,
        "/api/v1/auth/refresh",
        lang,
        Some(&RefreshRequest {
            refresh_token: session.refresh_token,
        }),
    )
    .await;
    match refreshed {
        Ok(tokens) => {
            auth.store(&tokens);
            Ok(tokens.access_token)
        }
        Err(error) => {
            if let ApiError::Problem(problem) = &error {
                auth.clear(Some(problem.title.clone()));
            }
            Err(error)
        }
    }
}

const NO_BODY: Option<&()> = None;

pub async fn health(lang: Lang) -> Result<HealthResponse, ApiError> {
    public(Method::GET, "/api/v1/health", lang, NO_BODY).await
}

pub async fn sign_in(lang: Lang, request: &SignInRequest) -> Result<SignInResponse, ApiError> {
    public(Method::POST, "/api/v1/auth/sign-in", lang, Some(request)).await
}

pub async fn verify_otp(lang: Lang, request: &OtpVerifyRequest) -> Result<TokenResponse, ApiError> {
    public(Method::POST, "/api/v1/auth/otp", lang, Some(request)).await
}

pub async fn release_two_factor(
    lang: Lang,
    request: &TwoFactorReleaseRequest,
) -> Result<TokenResponse, ApiError> {
    public(Method::POST, "/api/v1/auth/otp/release", lang, Some(request)).await
}

pub async fn sign_out(auth: Auth, lang: Lang) -> Result<(), ApiError> {
    private(auth, Method::POST, "/api/v1/auth/sign-out", lang, NO_BODY).await
}

pub async fn register(lang: Lang, request: &RegistrationRequest) -> Result<RegistrationResponse, ApiError> {
    public(Method::POST, "/api/v1/registrations", lang, Some(request)).await
}

pub async fn confirm_registration(
    lang: Lang,
    token: String,
) -> Result<ConfirmRegistrationResponse, ApiError> {
    public(
        Method::POST,
        "/api/v1/registrations/confirm",
        lang,
        Some(&ConfirmRegistrationRequest { token }),
    )
    .await
}

pub async fn forgot(lang: Lang, what: Forgotten, email: String) -> Result<AcceptedResponse, ApiError> {
    let path = match what {
        Forgotten::LoginId => "/api/v1/auth/forgot-login-id",
        Forgotten::Password => "/api/v1/auth/forgot-password",
    };
    public(Method::POST, path, lang, Some(&EmailRequest { email })).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgotten {
    LoginId,
    Password,
}

pub async fn set_password(lang: Lang, request: &SetPasswordRequest) -> Result<(), ApiError> {
    public(Method::POST, "/api/v1/auth/password", lang, Some(request)).await
}

pub async fn me(auth: Auth, lang: Lang) -> Result<Profile, ApiError> {
    private(auth, Method::GET, "/api/v1/me", lang, NO_BODY).await
}

pub async fn update_profile(auth: Auth, lang: Lang, update: &ProfileUpdate) -> Result<Profile, ApiError> {
    private(auth, Method::PATCH, "/api/v1/me", lang, Some(update)).await
}

pub async fn change_password(
    auth: Auth,
    lang: Lang,
    request: &PasswordChangeRequest,
) -> Result<(), ApiError> {
    private(auth, Method::POST, "/api/v1/me/password", lang, Some(request)).await
}

pub async fn start_two_factor(auth: Auth, lang: Lang, email: String) -> Result<OtpChallenge, ApiError> {
    private(
        auth,
        Method::POST,
        "/api/v1/me/two-factor",
        lang,
        Some(&EmailRequest { email }),
    )
    .await
}

pub async fn confirm_two_factor(
    auth: Auth,
    lang: Lang,
    request: &TwoFactorConfirmRequest,
) -> Result<Profile, ApiError> {
    private(
        auth,
        Method::POST,
        "/api/v1/me/two-factor/confirm",
        lang,
        Some(request),
    )
    .await
}

pub async fn disable_two_factor(auth: Auth, lang: Lang, password: String) -> Result<Profile, ApiError> {
    private(
        auth,
        Method::POST,
        "/api/v1/me/two-factor/disable",
        lang,
        Some(&PasswordRequest { password }),
    )
    .await
}

pub async fn api_tokens(auth: Auth, lang: Lang) -> Result<Vec<ApiTokenSummary>, ApiError> {
    private(auth, Method::GET, "/api/v1/me/api-tokens", lang, NO_BODY).await
}

pub async fn create_api_token(auth: Auth, lang: Lang, name: String) -> Result<CreatedApiToken, ApiError> {
    private(
        auth,
        Method::POST,
        "/api/v1/me/api-tokens",
        lang,
        Some(&NewApiTokenRequest { name }),
    )
    .await
}

pub async fn revoke_api_token(auth: Auth, lang: Lang, id: i64) -> Result<(), ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/me/api-tokens/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn accounts(auth: Auth, lang: Lang) -> Result<Vec<AccountSummary>, ApiError> {
    private(auth, Method::GET, "/api/v1/accounts", lang, NO_BODY).await
}

pub async fn create_account(
    auth: Auth,
    lang: Lang,
    request: &NewAccountRequest,
) -> Result<AccountSummary, ApiError> {
    private(auth, Method::POST, "/api/v1/accounts", lang, Some(request)).await
}

pub async fn update_account(
    auth: Auth,
    lang: Lang,
    id: i64,
    update: &AccountUpdate,
) -> Result<AccountSummary, ApiError> {
    private(
        auth,
        Method::PATCH,
        &format!("/api/v1/accounts/{id}"),
        lang,
        Some(update),
    )
    .await
}

pub async fn unlock_account(auth: Auth, lang: Lang, id: i64) -> Result<AccountSummary, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/accounts/{id}/unlock"),
        lang,
        NO_BODY,
    )
    .await
}

pub async fn audit_log(auth: Auth, lang: Lang) -> Result<Vec<AuditEvent>, ApiError> {
    private(auth, Method::GET, "/api/v1/audit-log?limit=100", lang, NO_BODY).await
}
