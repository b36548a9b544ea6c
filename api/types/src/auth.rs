//! Sign-in, one-time passwords, tokens, password recovery.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    pub login_id: String,
    pub password: String,
}

/// An access token (short-lived JWT) and a refresh token (single use; rotate it with
/// `POST /api/v1/auth/refresh`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub refresh_token: String,
    /// Seconds without a request after which the session ends.
    pub idle_timeout: i64,
}

/// A one-time password was mailed; finish with `POST /api/v1/auth/otp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OtpChallenge {
    pub challenge_id: String,
    /// The address the code went to, partly hidden (`ta***@example.co.jp`).
    pub email_hint: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignInResponse {
    /// Signed in.
    SignedIn(TokenResponse),
    /// 2-step authentication: a code was mailed.
    OtpRequired(OtpChallenge),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OtpVerifyRequest {
    pub challenge_id: String,
    pub code: String,
}

/// Releases 2-step authentication when the OTP email is lost (seed 002): the registered
/// OTP email, the organization's customer number and contractor name must all match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TwoFactorReleaseRequest {
    pub challenge_id: String,
    pub registered_email: String,
    pub customer_number: String,
    pub contractor_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct EmailRequest {
    pub email: String,
}

/// Sets a new password with a mailed link (reset, or first password of an invited user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SetPasswordRequest {
    pub token: String,
    pub password: String,
    pub password_confirmation: String,
}

/// The same answer whether or not the address is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AcceptedResponse {
    pub message: String,
}
