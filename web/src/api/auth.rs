//! Sign-in, tokens, recovery.

use gloo_net::http::Method;
use madoguchi_types::auth::{
    AcceptedResponse, EmailRequest, LinkRequest, OtpVerifyRequest, RefreshRequest, RefreshTokenDelivery,
    SetPasswordRequest, SignInRequest, SignInResponse, TokenResponse, TwoFactorReleaseRequest,
};

use super::{ApiError, NO_BODY, private, public};
use crate::auth::Auth;
use crate::i18n::Lang;

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

/// Trades the refresh cookie for a new access token (and a rotated cookie).
pub async fn refresh(lang: Lang) -> Result<TokenResponse, ApiError> {
    let request = RefreshRequest {
        refresh_token: None,
        refresh_token_delivery: RefreshTokenDelivery::Cookie,
    };
    public(Method::POST, "/api/v1/auth/refresh", lang, Some(&request)).await
}

pub async fn sign_out(auth: Auth, lang: Lang) -> Result<(), ApiError> {
    private(auth, Method::POST, "/api/v1/auth/sign-out", lang, NO_BODY).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Forgotten {
    LoginId,
    Password,
}

pub async fn forgot(lang: Lang, what: Forgotten, email: String) -> Result<AcceptedResponse, ApiError> {
    let path = match what {
        Forgotten::LoginId => "/api/v1/auth/forgot-login-id",
        Forgotten::Password => "/api/v1/auth/forgot-password",
    };
    public(Method::POST, path, lang, Some(&EmailRequest { email })).await
}

pub async fn set_password(lang: Lang, request: &SetPasswordRequest) -> Result<(), ApiError> {
    public(Method::POST, "/api/v1/auth/password", lang, Some(request)).await
}

pub async fn confirm_email(lang: Lang, token: String) -> Result<(), ApiError> {
    public(
        Method::POST,
        "/api/v1/auth/confirm-email",
        lang,
        Some(&LinkRequest { token }),
    )
    .await
}
