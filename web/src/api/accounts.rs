//! Registration, my page, account administration, audit log.

use gloo_net::http::Method;
use madoguchi_types::accounts::{
    AccountPage, AccountStatus, AccountSummary, AccountUpdate, ApiTokenSummary, AuditAction, AuditPage,
    ConfirmRegistrationRequest, ConfirmRegistrationResponse, CreatedApiToken, EmailChangeRequest,
    NewAccountRequest, NewApiTokenRequest, PasswordChangeRequest, PasswordRequest, Profile, ProfileUpdate,
    RegistrationRequest, RegistrationResponse, Role, TwoFactorConfirmRequest, TwoFactorStartRequest,
};
use madoguchi_types::auth::OtpChallenge;
use madoguchi_types::ids::{AccountId, ApiTokenId, AuditEventId, OrganizationId};

use super::{ApiError, NO_BODY, encode, private, public};
use crate::auth::Auth;
use crate::i18n::Lang;

pub async fn register(lang: Lang, request: &RegistrationRequest) -> Result<RegistrationResponse, ApiError> {
    public(Method::POST, "/api/v1/registrations", lang, Some(request)).await
}

pub async fn confirm_registration(
    lang: Lang,
    token: String,
) -> Result<ConfirmRegistrationResponse, ApiError> {
    let request = ConfirmRegistrationRequest { token };
    public(
        Method::POST,
        "/api/v1/registrations/confirm",
        lang,
        Some(&request),
    )
    .await
}

pub async fn me(auth: Auth, lang: Lang) -> Result<Profile, ApiError> {
    private(auth, Method::GET, "/api/v1/me", lang, NO_BODY).await
}

pub async fn update_profile(auth: Auth, lang: Lang, update: &ProfileUpdate) -> Result<Profile, ApiError> {
    private(auth, Method::PATCH, "/api/v1/me", lang, Some(update)).await
}

pub async fn change_email(auth: Auth, lang: Lang, request: &EmailChangeRequest) -> Result<Profile, ApiError> {
    private(auth, Method::POST, "/api/v1/me/email", lang, Some(request)).await
}

pub async fn change_password(
    auth: Auth,
    lang: Lang,
    request: &PasswordChangeRequest,
) -> Result<(), ApiError> {
    private(auth, Method::POST, "/api/v1/me/password", lang, Some(request)).await
}

pub async fn start_two_factor(
    auth: Auth,
    lang: Lang,
    request: &TwoFactorStartRequest,
) -> Result<OtpChallenge, ApiError> {
    private(auth, Method::POST, "/api/v1/me/two-factor", lang, Some(request)).await
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
    let request = PasswordRequest { password };
    private(
        auth,
        Method::POST,
        "/api/v1/me/two-factor/disable",
        lang,
        Some(&request),
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

pub async fn revoke_api_token(auth: Auth, lang: Lang, id: ApiTokenId) -> Result<(), ApiError> {
    private(
        auth,
        Method::DELETE,
        &format!("/api/v1/me/api-tokens/{id}"),
        lang,
        NO_BODY,
    )
    .await
}

/// What the accounts list is filtered by.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccountQuery {
    pub q: String,
    pub role: Option<Role>,
    pub status: Option<AccountStatus>,
    /// Staff: one organization's accounts.
    pub organization: Option<OrganizationId>,
    pub page: i64,
    pub per_page: i64,
}

pub async fn accounts(auth: Auth, lang: Lang, query: &AccountQuery) -> Result<AccountPage, ApiError> {
    let mut path = format!(
        "/api/v1/accounts?page={}&per_page={}",
        query.page.max(1),
        query.per_page.max(1)
    );
    if !query.q.trim().is_empty() {
        path.push_str(&format!("&q={}", encode(query.q.trim())));
    }
    if let Some(role) = query.role {
        path.push_str(&format!("&role={role}"));
    }
    if let Some(status) = query.status {
        path.push_str(&format!("&status={status}"));
    }
    if let Some(organization) = query.organization {
        path.push_str(&format!("&organization_id={organization}"));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
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
    id: AccountId,
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

pub async fn unlock_account(auth: Auth, lang: Lang, id: AccountId) -> Result<AccountSummary, ApiError> {
    private(
        auth,
        Method::POST,
        &format!("/api/v1/accounts/{id}/unlock"),
        lang,
        NO_BODY,
    )
    .await
}

/// What the audit log is filtered by (dates as `YYYY-MM-DD`, Japan time).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditQuery {
    pub action: Option<AuditAction>,
    pub actor: Option<AccountId>,
    pub from: String,
    pub to: String,
    pub before: Option<AuditEventId>,
}

pub async fn audit_log(auth: Auth, lang: Lang, query: &AuditQuery) -> Result<AuditPage, ApiError> {
    let mut path = String::from("/api/v1/audit-log?limit=50");
    if let Some(action) = query.action {
        path.push_str(&format!("&action={action}"));
    }
    if let Some(actor) = query.actor {
        path.push_str(&format!("&actor_account_id={actor}"));
    }
    // A day in Japan time starts at 15:00 UTC the day before.
    if !query.from.is_empty() {
        path.push_str(&format!(
            "&from={}",
            encode(&format!("{}T00:00:00+09:00", query.from))
        ));
    }
    // Up to the end of the `to` day: before the next day starts.
    if let Some(next_day) = chrono::NaiveDate::parse_from_str(&query.to, "%Y-%m-%d")
        .ok()
        .and_then(|day| day.succ_opt())
    {
        path.push_str(&format!("&to={}", encode(&format!("{next_day}T00:00:00+09:00"))));
    }
    if let Some(before) = query.before {
        path.push_str(&format!("&before_id={before}"));
    }
    private(auth, Method::GET, &path, lang, NO_BODY).await
}
