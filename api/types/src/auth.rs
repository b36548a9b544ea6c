//! Sign-in, one-time passwords, tokens, password recovery.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

crate::text_enum! {
    /// Where the refresh token of a new or refreshed session goes.
    #[derive(Default)]
    pub enum RefreshTokenDelivery {
        /// In the JSON answer (scripts and integrations keep it themselves).
        #[default]
        Body = "body",
        /// Only in an `HttpOnly; Secure; SameSite=Strict` cookie scoped to
        /// `/api/v1/auth`, out of reach of page scripts (the browser app).
        Cookie = "cookie",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SignInRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub login_id: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub password: String,
    #[serde(default)]
    pub refresh_token_delivery: RefreshTokenDelivery,
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
    /// Absent when it was delivered as a cookie (`refresh_token_delivery: cookie`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub refresh_token: Option<String>,
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

/// The answer to a sign-in: tokens, or a mailed one-time password to enter first. Tagged by
/// `status` (`signed_in` / `otp_required`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SignInResponse {
    SignedIn(TokenResponse),
    OtpRequired(OtpChallenge),
}

/// A `oneOf` of two named object schemas with a discriminator on `status`: the shape client
/// generators understand (utoipa's derive would inline `allOf`s without a discriminator).
#[cfg(feature = "schema")]
mod sign_in_schema {
    use utoipa::openapi::{RefOr, schema};
    use utoipa::{PartialSchema, ToSchema};

    use super::{OtpChallenge, SignInResponse, TokenResponse};

    fn tagged<T: ToSchema>(tag: &str, description: &str) -> RefOr<schema::Schema> {
        schema::AllOfBuilder::new()
            .item(schema::Ref::from_schema_name(T::name()))
            .item(
                schema::ObjectBuilder::new()
                    .schema_type(schema::Type::Object)
                    .property(
                        "status",
                        schema::ObjectBuilder::new()
                            .schema_type(schema::Type::String)
                            .enum_values(Some([tag])),
                    )
                    .required("status"),
            )
            .description(Some(description))
            .into()
    }

    impl PartialSchema for SignInResponse {
        fn schema() -> RefOr<schema::Schema> {
            schema::OneOfBuilder::new()
                .item(schema::Ref::from_schema_name("SignedIn"))
                .item(schema::Ref::from_schema_name("OtpRequired"))
                .discriminator(Some(schema::Discriminator::with_mapping(
                    "status",
                    [
                        ("signed_in", "#/components/schemas/SignedIn"),
                        ("otp_required", "#/components/schemas/OtpRequired"),
                    ],
                )))
                .into()
        }
    }

    impl ToSchema for SignInResponse {
        fn name() -> std::borrow::Cow<'static, str> {
            "SignInResponse".into()
        }

        fn schemas(schemas: &mut Vec<(String, RefOr<schema::Schema>)>) {
            schemas.push((
                "SignedIn".into(),
                tagged::<TokenResponse>("signed_in", "Signed in."),
            ));
            schemas.push((
                "OtpRequired".into(),
                tagged::<OtpChallenge>("otp_required", "2-step authentication: a code was mailed."),
            ));
            schemas.push((TokenResponse::name().into(), TokenResponse::schema()));
            <TokenResponse as ToSchema>::schemas(schemas);
            schemas.push((OtpChallenge::name().into(), OtpChallenge::schema()));
            <OtpChallenge as ToSchema>::schemas(schemas);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OtpVerifyRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub challenge_id: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub code: String,
    #[serde(default)]
    pub refresh_token_delivery: RefreshTokenDelivery,
}

/// Releases 2-step authentication when the OTP email is lost (seed 002): the registered
/// OTP email, the organization's customer number and contractor name must all match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TwoFactorReleaseRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub challenge_id: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 254))]
    pub registered_email: String,
    /// `N` followed by 9 digits.
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub customer_number: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 100))]
    pub contractor_name: String,
    #[serde(default)]
    pub refresh_token_delivery: RefreshTokenDelivery,
}

/// A refresh token from the body, or — when absent — from the session cookie.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schema(nullable = false, min_length = 1, max_length = 200)
    )]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub refresh_token_delivery: RefreshTokenDelivery,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct EmailRequest {
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email: String,
}

/// Sets a new password with a mailed link (reset, or first password of an invited user).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct SetPasswordRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub token: String,
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 12, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub password: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub password_confirmation: String,
}

/// Confirms a mailed link that needs no other input (a new contact email).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct LinkRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub token: String,
}

/// The same answer whether or not the address is registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AcceptedResponse {
    pub message: String,
}
