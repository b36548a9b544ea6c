//! Account administration (seed 001 §4.1): `user_admin` and `inquiry_admin` add accounts to
//! their organization; `user_admin` changes roles, disables and unlocks; staff do all of
//! it everywhere. Another organization's account answers 404, as a missing one.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AccountSummary, AccountUpdate, NewAccountRequest};
use serde::Deserialize;

use super::{Account, AccountStatus, NewAccount, Role, api_tokens};
use crate::audit::{self, Action};
use crate::auth::links::{self, Purpose};
use crate::auth::{AuthUser, ClientInfo, sessions};
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId};
use crate::error::{ApiError, Violations};
use crate::i18n::Lang;
use crate::mail::{self, templates};
use crate::organizations::{self, OrganizationId};
use crate::schema::accounts;
use crate::startup::AppState;

impl From<Account> for AccountSummary {
    fn from(account: Account) -> Self {
        Self {
            id: account.id,
            organization_id: account.organization_id,
            role: account.role().into(),
            status: account.status().into(),
            login_id: account.login_id,
            full_name: account.full_name,
            email: account.email,
            locked_until: account.locked_until.map(|at| at.and_utc()),
            two_factor: account.otp_email.is_some(),
            pbx_admin: account.pbx_admin,
            analytics: account.analytics,
            created_at: account.created_at.and_utc(),
        }
    }
}

/// The account if the caller may see it (staff: any; others: their organization's).
fn visible_account(conn: &mut DbConn, user: &AuthUser, id: i64) -> Result<Account, ApiError> {
    let account = super::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if !user.can_see_organization(account.organization_id) {
        return Err(ApiError::NotFound);
    }
    Ok(account)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AccountFilter {
    /// Staff only: one organization's accounts.
    pub organization_id: Option<i64>,
}

/// Accounts of the caller's organization (staff: all, or one organization's).
#[utoipa::path(
    tag = "accounts",
    params(AccountFilter),
    responses(
        (status = 200, body = Vec<AccountSummary>),
        (status = 403, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<AccountFilter>,
) -> Result<web::Json<Vec<AccountSummary>>, ApiError> {
    user.require(user.role.adds_accounts())?;
    let organization = if user.is_staff() {
        filter.organization_id
    } else {
        user.organization_id
    };
    let list = db::run(&state.pool, move |conn| {
        let mut query = accounts::table.order(accounts::id.asc()).into_boxed();
        if let Some(organization) = organization {
            query = query.filter(accounts::organization_id.eq(organization));
        }
        Ok(query.load::<Account>(conn)?)
    })
    .await?;
    Ok(web::Json(list.into_iter().map(Into::into).collect()))
}

/// One account.
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = AccountSummary),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/accounts/{id}")]
pub async fn get_account(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(user.role.adds_accounts())?;
    let id = id.into_inner();
    let account = db::run(&state.pool, move |conn| visible_account(conn, &user, id)).await?;
    Ok(web::Json(account.into()))
}

/// Create an account; its owner gets a mail with a link to set the password (72 hours).
#[utoipa::path(
    tag = "accounts",
    request_body = NewAccountRequest,
    responses(
        (status = 201, body = AccountSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    lang: Lang,
    body: web::Json<NewAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(user.role.adds_accounts())?;
    let request = body.into_inner();
    let role = Role::from(request.role);
    let mut violations = Violations::default();
    let login_id = violations.check("login_id", LoginId::parse(&request.login_id));
    let full_name = violations.check("full_name", DisplayName::parse(&request.full_name));
    let email = violations.check("email", EmailAddress::parse(&request.email));
    let role_allowed = match user.role {
        Role::Staff | Role::UserAdmin => role != Role::Staff,
        // 問い合わせ管理者 adds inquiry accounts only: no way to rights it lacks.
        Role::InquiryAdmin => matches!(role, Role::InquiryAdmin | Role::InquiryStaff),
        Role::ContractManager | Role::InquiryStaff => false,
    };
    if !role_allowed {
        violations.add("role", Invalid::NotAllowed);
    }
    let grants_features = request.pbx_admin || request.analytics;
    if grants_features && !user.role.administers_accounts() {
        violations.add("pbx_admin", Invalid::NotAllowed);
    }
    let organization_id = match (user.is_staff(), request.organization_id) {
        (true, Some(id)) => Some(id),
        (true, None) => {
            violations.add("organization_id", Invalid::Required);
            None
        }
        (false, Some(id)) if Some(id) != user.organization_id => return Err(ApiError::NotFound),
        (false, _) => user.organization_id,
    };
    let (Some(login_id), Some(full_name), Some(email), Some(organization_id)) =
        (login_id, full_name, email, organization_id)
    else {
        return Err(violations.into_error());
    };
    violations.finish()?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    let created = db::transaction(&state.pool, move |conn| {
        organizations::find(conn, organization_id)?.ok_or(ApiError::NotFound)?;
        let new = NewAccount {
            organization: Some(OrganizationId(organization_id)),
            login_id,
            full_name,
            email,
            password: None,
            role,
            status: AccountStatus::Active,
            company_name: None,
            maintenance_email: None,
            preferred_lang: lang,
            pbx_admin: request.pbx_admin,
            analytics: request.analytics,
        };
        let account = super::insert(conn, &new, now).map_err(|error| match error {
            super::CreateAccountError::LoginIdTaken(_) => ApiError::Conflict {
                field: "login_id".into(),
            },
            other => ApiError::internal(other),
        })?;
        let (token, _) = links::create(conn, account.id, Purpose::SetPassword, now)?;
        let url = format!("{base_url}/reset-password?token={token}");
        mail::enqueue(
            conn,
            &templates::invitation(lang, &new.email, &account.full_name, &account.login_id, &url),
            now,
        )?;
        record(
            conn,
            &user,
            &client,
            &account,
            Action::AccountCreated,
            format!("role {}", role.as_str()),
            now,
        )?;
        Ok(account)
    })
    .await?;
    Ok(HttpResponse::Created().json(AccountSummary::from(created)))
}

fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    client: &ClientInfo,
    subject: &Account,
    action: Action,
    detail: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Event::new(action, client.ip.as_deref())
            .organization(subject.organization_id)
            .actor(Some(user.account_id))
            .subject(Some(subject.id))
            .detail(detail),
        now,
    )
}

/// Change an account's role, status (`active` / `disabled`) or feature flags. Disabling
/// ends its sessions and revokes its API tokens at once. Nobody changes their own role or
/// status (an organization must not lock out its last administrator by accident).
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path)),
    request_body = AccountUpdate,
    responses(
        (status = 200, body = AccountSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/accounts/{id}")]
pub async fn update_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
    body: web::Json<AccountUpdate>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(user.role.administers_accounts())?;
    let id = id.into_inner();
    let update = body.into_inner();
    let now = state.clock.now_naive();
    let updated = db::transaction(&state.pool, move |conn| {
        let account = visible_account(conn, &user, id)?;
        let mut violations = Violations::default();
        let role = update.role.map(Role::from);
        let status = update.status.map(|status| match status {
            madoguchi_types::accounts::AccountStatus::Active => AccountStatus::Active,
            madoguchi_types::accounts::AccountStatus::Disabled => AccountStatus::Disabled,
            madoguchi_types::accounts::AccountStatus::Provisional => AccountStatus::Provisional,
        });
        if account.id == user.account_id && (role.is_some() || status.is_some()) {
            violations.add(
                if role.is_some() { "role" } else { "status" },
                Invalid::NotAllowed,
            );
        }
        if role.is_some_and(|role| (role == Role::Staff) != (account.role() == Role::Staff)) {
            violations.add("role", Invalid::NotAllowed);
        }
        if status == Some(AccountStatus::Provisional) {
            violations.add("status", Invalid::NotAllowed);
        }
        violations.finish()?;
        let new_role = role.unwrap_or(account.role());
        let new_status = status.unwrap_or(account.status());
        diesel::update(accounts::table.find(account.id))
            .set((
                accounts::role.eq(new_role.as_str()),
                accounts::status.eq(new_status.as_str()),
                accounts::pbx_admin.eq(update.pbx_admin.unwrap_or(account.pbx_admin)),
                accounts::analytics.eq(update.analytics.unwrap_or(account.analytics)),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        if new_status == AccountStatus::Disabled && account.status() != AccountStatus::Disabled {
            sessions::revoke_all(conn, account.id, None, now)?;
            api_tokens::revoke_all(conn, account.id, now)?;
        }
        let detail = format!(
            "role {} → {}, status {} → {}",
            account.role().as_str(),
            new_role.as_str(),
            account.status().as_str(),
            new_status.as_str()
        );
        record(
            conn,
            &user,
            &client,
            &account,
            Action::AccountUpdated,
            detail,
            now,
        )?;
        visible_account(conn, &user, id)
    })
    .await?;
    Ok(web::Json(updated.into()))
}

/// Unlock an account locked by wrong passwords, before its 60 minutes are over.
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = AccountSummary),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/unlock")]
pub async fn unlock_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(user.role.administers_accounts())?;
    let id = id.into_inner();
    let now = state.clock.now_naive();
    let unlocked = db::transaction(&state.pool, move |conn| {
        let account = visible_account(conn, &user, id)?;
        diesel::update(accounts::table.find(account.id))
            .set((
                accounts::locked_until.eq(None::<NaiveDateTime>),
                accounts::failed_sign_ins.eq(0),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            &user,
            &client,
            &account,
            Action::AccountUnlocked,
            String::new(),
            now,
        )?;
        visible_account(conn, &user, id)
    })
    .await?;
    Ok(web::Json(unlocked.into()))
}
