//! Registration, profile, account administration, API tokens, audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The customer roles (SPEC §1) and provider staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    UserAdmin,
    ContractManager,
    InquiryAdmin,
    InquiryStaff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Provisional,
    Active,
    Disabled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    pub company_name: String,
    pub full_name: String,
    pub login_id: String,
    pub password: String,
    pub password_confirmation: String,
    /// Where notifications go; same domain as the maintenance email.
    pub contact_email: String,
    /// 保守登録メールアドレス: an email on the support-service certificate of an active contract.
    pub maintenance_email: String,
    /// Consent to the handling of personal information.
    pub consent: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RegistrationResponse {
    pub login_id: String,
    pub contact_email: String,
    /// The confirmation link mailed to the contact email works until then (24 hours).
    pub confirmation_expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ConfirmRegistrationRequest {
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ConfirmRegistrationResponse {
    pub login_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct OrganizationSummary {
    pub id: i64,
    pub name: String,
    pub customer_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: i64,
    pub login_id: String,
    pub full_name: String,
    pub company_name: String,
    pub email: String,
    pub maintenance_email: Option<String>,
    pub role: Role,
    pub organization: Option<OrganizationSummary>,
    /// The OTP email (partly hidden) when 2-step authentication is on.
    pub two_factor_email: Option<String>,
    pub pbx_admin: bool,
    pub analytics: bool,
    /// `ja` or `en`: the language of mails.
    pub preferred_lang: String,
}

/// Only the fields given change; the rules are those of registration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    pub full_name: Option<String>,
    pub company_name: Option<String>,
    pub email: Option<String>,
    pub preferred_lang: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PasswordChangeRequest {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirmation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TwoFactorConfirmRequest {
    pub challenge_id: String,
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PasswordRequest {
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    pub status: AccountStatus,
    /// Locked after wrong passwords, until this time.
    pub locked_until: Option<DateTime<Utc>>,
    pub two_factor: bool,
    pub pbx_admin: bool,
    pub analytics: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewAccountRequest {
    /// Staff only: the organization; others create in their own.
    pub organization_id: Option<i64>,
    pub login_id: String,
    pub full_name: String,
    pub email: String,
    pub role: Role,
    #[serde(default)]
    pub pbx_admin: bool,
    #[serde(default)]
    pub analytics: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AccountUpdate {
    pub role: Option<Role>,
    /// `active` or `disabled`.
    pub status: Option<AccountStatus>,
    pub pbx_admin: Option<bool>,
    pub analytics: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewApiTokenRequest {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ApiTokenSummary {
    pub id: i64,
    pub name: String,
    /// The first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The token itself is in this answer only: it is stored hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct CreatedApiToken {
    pub token: String,
    #[serde(flatten)]
    pub summary: ApiTokenSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: i64,
    pub organization_id: Option<i64>,
    pub actor_account_id: Option<i64>,
    pub actor_login_id: Option<String>,
    pub subject_account_id: Option<i64>,
    /// e.g. `sign_in`, `sign_in_failed`, `account_locked`, `password_changed`, `role_changed`.
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}
