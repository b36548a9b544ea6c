//! Registration, profile, account administration, API tokens, audit log.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{AccountId, ApiTokenId, AuditEventId, OrganizationId};
use crate::policy::Permission;

crate::text_enum! {
    /// The customer roles (SPEC §1) and provider staff.
    pub enum Role {
        /// 弊社担当者: provider staff, every organization.
        Staff = "staff",
        /// ユーザー管理者: tickets, quotes/contracts/invoices, adds and administers accounts.
        UserAdmin = "user_admin",
        /// 契約担当者: tickets, quotes/contracts/invoices.
        ContractManager = "contract_manager",
        /// 問い合わせ管理者: tickets, adds accounts.
        InquiryAdmin = "inquiry_admin",
        /// 問い合わせ担当者: tickets.
        InquiryStaff = "inquiry_staff",
    }
}

impl Role {
    /// The roles of customer users (everything but provider staff).
    pub const CUSTOMER: [Role; 4] = [
        Role::UserAdmin,
        Role::ContractManager,
        Role::InquiryAdmin,
        Role::InquiryStaff,
    ];
}

crate::text_enum! {
    pub enum AccountStatus {
        /// Registered; the email address is not confirmed yet.
        Provisional = "provisional",
        Active = "active",
        Disabled = "disabled",
    }
}

crate::text_enum! {
    /// What the audit log records; the names are stable for integrations.
    pub enum AuditAction {
        Registered = "registered",
        RegistrationConfirmed = "registration_confirmed",
        SignIn = "sign_in",
        SignInFailed = "sign_in_failed",
        AccountLocked = "account_locked",
        AccountUnlocked = "account_unlocked",
        SignOut = "sign_out",
        RefreshTokenReused = "refresh_token_reused",
        PasswordChanged = "password_changed",
        PasswordReset = "password_reset",
        TwoFactorEnabled = "two_factor_enabled",
        TwoFactorDisabled = "two_factor_disabled",
        TwoFactorReleased = "two_factor_released",
        AccountCreated = "account_created",
        AccountUpdated = "account_updated",
        ProfileUpdated = "profile_updated",
        EmailChangeRequested = "email_change_requested",
        EmailChanged = "email_changed",
        ApiTokenCreated = "api_token_created",
        ApiTokenRevoked = "api_token_revoked",
        /// A wrong current password given to confirm a change (counts toward the lockout).
        PasswordCheckFailed = "password_check_failed",
        OrganizationCreated = "organization_created",
        OrganizationRenamed = "organization_renamed",
        ContractCreated = "contract_created",
        ContractUpdated = "contract_updated",
        ProjectCreated = "project_created",
        ProjectUpdated = "project_updated",
        ProjectDeleted = "project_deleted",
        ProjectMemberAdded = "project_member_added",
        ProjectMemberRemoved = "project_member_removed",
        DocumentUploaded = "document_uploaded",
        DocumentDeleted = "document_deleted",
        QuoteOrdered = "quote_ordered",
        RequoteRequested = "requote_requested",
        /// A maker, series or entry of the product catalog added, changed or removed.
        CatalogChanged = "catalog_changed",
        /// A knowledge article or attachment added, changed or removed.
        KnowledgeChanged = "knowledge_changed",
        /// Mobile lines registered on a Business Mobile contract.
        MobileLinesRegistered = "mobile_lines_registered",
        /// A mobile line's user name or international-call restriction changed.
        MobileLineChanged = "mobile_line_changed",
        /// A mobile line deleted after its minimum usage period.
        MobileLineDeleted = "mobile_line_deleted",
        /// A PBX site set up for an organization.
        PbxSiteCreated = "pbx_site_created",
        ExtensionCreated = "extension_created",
        /// An extension's profile or mobile number changed (never the passwords' values).
        ExtensionChanged = "extension_changed",
        ExtensionDeleted = "extension_deleted",
        /// A CSV file registered extensions (the count, never the passwords).
        ExtensionsImported = "extensions_imported",
        /// A CSV file deleted extensions.
        ExtensionsBulkDeleted = "extensions_bulk_deleted",
        /// A site's extensions were exported (the file holds their passwords).
        ExtensionsExported = "extensions_exported",
        /// An extension moved to another mobile number (譲渡).
        ExtensionTransferred = "extension_transferred",
        /// Two extensions exchanged their mobile numbers (交換).
        ExtensionsSwapped = "extensions_swapped",
        /// A pickup or hunting group created (its number, strategy and members).
        GroupCreated = "group_created",
        /// A group's members, their order, its representative or strategy changed.
        GroupChanged = "group_changed",
        GroupDeleted = "group_deleted",
        /// A site's feature codes or push-tone settings changed (the values, before and after).
        FeatureCodesChanged = "feature_codes_changed",
        /// A site's secret question for its call-detail records set or changed.
        CdrSecretSet = "cdr_secret_set",
        /// A wrong answer to the secret question.
        CdrAnswerRefused = "cdr_answer_refused",
        /// A right answer: a short grant to read the site's call-detail records.
        CdrAccessGranted = "cdr_access_granted",
        /// A batch of call-detail records ingested (counts only).
        CallRecordsIngested = "call_records_ingested",
        /// A day's call-detail records downloaded.
        CallRecordsDownloaded = "call_records_downloaded",
        /// An analytics subscription (CX サポート) set up for an organization.
        AnalyticsSubscriptionCreated = "analytics_subscription_created",
        /// A subscription's plan changed (the data stays).
        AnalyticsPlanChanged = "analytics_plan_changed",
        /// A number registered under, or removed from, a subscription.
        AnalyticsNumbersChanged = "analytics_numbers_changed",
        /// A group of numbers made, changed or deleted.
        AnalyticsGroupChanged = "analytics_group_changed",
        /// A batch of analytics call records ingested (counts only).
        AnalyticsCallsIngested = "analytics_calls_ingested",
        /// A CX サポート sign-up made (provisional until its mailed link is opened).
        AnalyticsSignedUp = "analytics_signed_up",
        /// A CX サポート sign-up confirmed: organization, account and subscription set up.
        AnalyticsSignupConfirmed = "analytics_signup_confirmed",
        /// A child ID issued, disabled, enabled or deleted.
        AnalyticsChildIdChanged = "analytics_child_id_changed",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct RegistrationRequest {
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub company_name: String,
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub full_name: String,
    /// At least 3 half-width characters; an email address is recommended.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 3, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub login_id: String,
    /// ≥ 12 half-width characters with an upper-case letter, a lower-case letter and a
    /// digit; not the login ID; not a common password.
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 12, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub password: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub password_confirmation: String,
    /// Where notifications go; same domain as the maintenance email.
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub contact_email: String,
    /// 保守登録メールアドレス: an email on the support-service certificate of an active contract.
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub maintenance_email: String,
    /// Consent to the handling of personal information (must be `true`).
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
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
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
    pub id: OrganizationId,
    pub name: String,
    pub customer_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct Profile {
    pub id: AccountId,
    pub login_id: String,
    pub full_name: String,
    pub company_name: String,
    pub email: String,
    /// A new contact email waiting for its confirmation link to be opened.
    pub pending_email: Option<String>,
    pub maintenance_email: Option<String>,
    pub role: Role,
    pub organization: Option<OrganizationSummary>,
    /// The OTP email (partly hidden) when 2-step authentication is on.
    pub two_factor_email: Option<String>,
    pub pbx_admin: bool,
    pub analytics: bool,
    /// `ja` or `en`: the language of mails.
    pub preferred_lang: String,
    /// What the caller may do: the SPA shows exactly these parts.
    pub permissions: Vec<Permission>,
}

/// Only the fields given change. The contact email is not changed here: see
/// `POST /api/v1/me/email`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ProfileUpdate {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schema(
            nullable = false,
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub full_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schema(
            nullable = false,
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false, pattern = "^(ja|en)$"))]
    pub preferred_lang: Option<String>,
}

/// Changing the contact email: it takes effect when the link mailed to the new address is
/// opened; the old address is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct EmailChangeRequest {
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email: String,
    /// The current password (not needed within 10 minutes of signing in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false, max_length = 128))]
    pub current_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PasswordChangeRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub current_password: String,
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 12, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub new_password: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub new_password_confirmation: String,
    /// Also revoke the personal API tokens (default: yes).
    #[serde(default = "default_true")]
    pub revoke_api_tokens: bool,
}

fn default_true() -> bool {
    true
}

/// Turning on or changing 2-step authentication: a code is mailed to `email`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TwoFactorStartRequest {
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
    pub email: String,
    /// The current password (not needed within 10 minutes of signing in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false, max_length = 128))]
    pub current_password: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct TwoFactorConfirmRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 200))]
    pub challenge_id: String,
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 20))]
    pub code: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct PasswordRequest {
    #[cfg_attr(feature = "schema", schema(min_length = 1, max_length = 128))]
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: AccountId,
    pub organization_id: Option<OrganizationId>,
    /// The organization's name (for staff, who see every organization).
    pub organization_name: Option<String>,
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

/// A page of accounts, newest-first ids not guaranteed: ordered by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AccountPage {
    pub items: Vec<AccountSummary>,
    /// Accounts matching the filter in all pages.
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewAccountRequest {
    /// Staff only: the organization; others create in their own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub organization_id: Option<OrganizationId>,
    #[cfg_attr(
        feature = "schema",
        schema(min_length = 3, max_length = 128, pattern = "^[!-~]+$")
    )]
    pub login_id: String,
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub full_name: String,
    #[cfg_attr(feature = "schema", schema(format = Email, max_length = 254))]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub role: Option<Role>,
    /// `active` or `disabled`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub status: Option<AccountStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub pbx_admin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schema(nullable = false))]
    pub analytics: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct NewApiTokenRequest {
    #[cfg_attr(
        feature = "schema",
        schema(
            min_length = 1,
            max_length = 100,
            pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*[^\\s\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff][^\\u0000-\\u001f\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2069\\ufeff]*$"
        )
    )]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct ApiTokenSummary {
    pub id: ApiTokenId,
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
    pub summary: ApiTokenSummary,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AuditEvent {
    pub id: AuditEventId,
    pub organization_id: Option<OrganizationId>,
    pub actor_account_id: Option<AccountId>,
    pub actor_login_id: Option<String>,
    pub subject_account_id: Option<AccountId>,
    pub subject_login_id: Option<String>,
    pub action: AuditAction,
    /// Machine-readable facts of the event (e.g. `{"role": {"from": …, "to": …}}`).
    pub detail: serde_json::Value,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A page of the audit log, newest first; `next_before_id` continues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEvent>,
    /// Pass as `before_id` for the next (older) page; absent on the last page.
    pub next_before_id: Option<AuditEventId>,
}
