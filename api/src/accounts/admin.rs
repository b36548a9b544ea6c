//! Account administration (seed 001 §4.1): `user_admin` and `inquiry_admin` add accounts to
//! their organization; `user_admin` changes roles, grants and status, and unlocks; staff do
//! all of it everywhere. Another organization's account answers 404, as a missing one.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AccountPage, AccountSummary, AccountUpdate, AuditAction, NewAccountRequest};
use serde_json::{Map, Value, json};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Account, AccountId, AccountStatus, NewAccount, Role};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId};
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::json::Json;
use crate::listing::{self, Window, lower};
use crate::net::ClientInfo;
use crate::organizations::{self, OrganizationId};
use crate::policy::{self, Grants, Permission, Scope};
use crate::schema::{accounts, organizations as organizations_table};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_accounts)
        .service(get_account)
        .service(create_account)
        .service(update_account)
        .service(unlock_account);
}

fn summary(account: Account, organization_name: Option<String>) -> AccountSummary {
    AccountSummary {
        id: account.id,
        organization_id: account.organization_id,
        organization_name,
        role: account.role,
        status: account.status,
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

/// The account with its organization's name, if the scope includes it.
fn visible_account(
    conn: &mut DbConn,
    scope: Scope,
    id: AccountId,
) -> Result<(Account, Option<String>), ApiError> {
    let found: Option<(Account, Option<String>)> = accounts::table
        .left_join(organizations_table::table)
        .filter(accounts::id.eq(id))
        .select((Account::as_select(), organizations_table::name.nullable()))
        .get_result(conn)
        .optional()?;
    match found {
        Some((account, name)) if scope.includes(account.organization_id) => Ok((account, name)),
        _ => Err(ApiError::NotFound),
    }
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountFilter {
    /// Staff only: one organization's accounts.
    pub organization_id: Option<OrganizationId>,
    /// Part of the login ID, name or email (case-insensitive).
    #[param(max_length = 100)]
    pub q: Option<String>,
    pub role: Option<Role>,
    pub status: Option<AccountStatus>,
    /// 1-based page (default 1).
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Accounts per page (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub per_page: Option<i64>,
}

/// Accounts of the caller's organization (staff: all, or one organization's), by id, with
/// a text search, role and status filters and paging.
#[utoipa::path(
    tag = "accounts",
    params(AccountFilter),
    responses(
        (status = 200, description = "A page of accounts", body = AccountPage),
        (status = 403, description = "The role may not manage accounts", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/accounts")]
pub async fn list_accounts(
    state: web::Data<AppState>,
    user: AuthUser,
    filter: web::Query<AccountFilter>,
) -> Result<web::Json<AccountPage>, ApiError> {
    user.require(Permission::AddAccounts)?;
    let filter = filter.into_inner();
    let pattern = listing::search_pattern(filter.q.as_deref())?;
    let scope = user.scope().narrowed_to(filter.organization_id);
    let window = Window::new(filter.page, filter.per_page, 50, 200);
    let page = db::run(&state.pool, move |conn| {
        let query = || {
            let mut query = accounts::table.left_join(organizations_table::table).into_boxed();
            query = crate::scoped!(query, accounts::organization_id, scope);
            if let Some(pattern) = pattern.clone() {
                // Login IDs and emails are stored lower-case; names and the pattern are
                // lowered by the database, so both sides go through the same `lower()`.
                query = query.filter(
                    accounts::login_id
                        .like(lower(pattern.clone()))
                        .escape('\\')
                        .or(lower(accounts::full_name)
                            .like(lower(pattern.clone()))
                            .escape('\\'))
                        .or(accounts::email.like(lower(pattern)).escape('\\')),
                );
            }
            if let Some(role) = filter.role {
                query = query.filter(accounts::role.eq(role));
            }
            if let Some(status) = filter.status {
                query = query.filter(accounts::status.eq(status));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<(Account, Option<String>)> = query()
            .select((Account::as_select(), organizations_table::name.nullable()))
            .order(accounts::id.asc())
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(AccountPage {
            items: rows
                .into_iter()
                .map(|(account, name)| summary(account, name))
                .collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// One account.
#[utoipa::path(
    tag = "accounts",
    params(("id" = AccountId, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account", body = AccountSummary),
        (status = 403, description = "The role may not manage accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/accounts/{id}")]
pub async fn get_account(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<AccountId>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(Permission::AddAccounts)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let (account, name) = db::run(&state.pool, move |conn| visible_account(conn, scope, id)).await?;
    Ok(web::Json(summary(account, name)))
}

/// The new account's fields, checked; `Err` lists every refused field.
fn valid_new_account(
    user: &AuthUser,
    request: &NewAccountRequest,
) -> Result<(LoginId, DisplayName, EmailAddress, OrganizationId), ApiError> {
    let mut violations = Violations::default();
    let login_id = violations.check("login_id", LoginId::parse(&request.login_id));
    let full_name = violations.check("full_name", DisplayName::parse(&request.full_name));
    let email = violations.check("email", EmailAddress::parse(&request.email));
    if !policy::may_assign(user.role(), request.role) {
        violations.add("role", Invalid::NotAllowed);
    }
    if (request.pbx_admin || request.analytics) && !user.can(Permission::AdministerAccounts) {
        violations.add(
            if request.pbx_admin {
                "pbx_admin"
            } else {
                "analytics"
            },
            Invalid::NotAllowed,
        );
    }
    let organization_id = match (user.role(), request.organization_id) {
        (Role::Staff, Some(id)) => Some(id),
        (Role::Staff, None) => {
            violations.add("organization_id", Invalid::Required);
            None
        }
        (_, Some(id)) if Some(id) != user.organization_id() => return Err(ApiError::NotFound),
        (_, _) => user.organization_id(),
    };
    match (login_id, full_name, email, organization_id) {
        (Some(login_id), Some(full_name), Some(email), Some(organization_id)) if violations.is_empty() => {
            Ok((login_id, full_name, email, organization_id))
        }
        _ => Err(violations.into_error()),
    }
}

/// Create an account in an organization; its owner gets a mail with a link to set the
/// password (72 hours). The contact email must be in the domain of a maintenance email on
/// the organization's active contracts (SPEC §3.1).
#[utoipa::path(
    tag = "accounts",
    request_body = NewAccountRequest,
    responses(
        (status = 201, description = "Created; the invitation is mailed", body = AccountSummary),
        (status = 403, description = "The role may not add accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organization", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Login ID taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, a role the caller may not give, or an email outside the contracts' domains", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts")]
pub async fn create_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    RequestLang(lang): RequestLang,
    body: Json<NewAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::AddAccounts)?;
    let request = body.into_inner();
    let (login_id, full_name, email, organization_id) = valid_new_account(&user, &request)?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    let created = db::transaction(&state.pool, move |conn| {
        let organization = organizations::find(conn, organization_id)?.ok_or(ApiError::NotFound)?;
        if !super::contact_domain_allowed(conn, organization.id, None, &email, crate::clock::japan_date(now))?
        {
            return Err(ApiError::invalid("email", Invalid::DomainMismatch));
        }
        let new = NewAccount {
            organization: Some(organization.id),
            login_id,
            full_name,
            email,
            password_hash: None,
            role: request.role,
            status: AccountStatus::Active,
            company_name: Some(DisplayName::parse(&organization.name).map_err(ApiError::internal)?),
            maintenance_email: None,
            preferred_lang: lang,
            grants: Grants {
                pbx_admin: request.pbx_admin,
                analytics: request.analytics,
            },
        };
        let account = super::insert(conn, &new, now)?;
        super::invite(conn, &account, &new.email, lang, &base_url, now)?;
        let detail =
            json!({"role": request.role, "pbx_admin": request.pbx_admin, "analytics": request.analytics});
        record(
            conn,
            &user,
            &client,
            &account,
            AuditAction::AccountCreated,
            detail,
            now,
        )?;
        Ok(summary(account, Some(organization.name)))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    client: &ClientInfo,
    subject: &Account,
    action: AuditAction,
    detail: Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        &audit::Event::new(action, client)
            .organization(subject.organization_id)
            .actor(Some(user.id()))
            .subject(Some(subject.id))
            .detail(detail),
        now,
    )?;
    Ok(())
}

/// The changes an update asks for, checked against the caller's rights. `Err` lists every
/// refused field.
fn planned_changes(
    user: &AuthUser,
    account: &Account,
    update: &AccountUpdate,
) -> Result<(Role, AccountStatus, Grants), ApiError> {
    let mut violations = Violations::default();
    let own = account.id == user.id();
    if let Some(role) = update.role
        && role != account.role
        && (own || account.role == Role::Staff || !policy::may_assign(user.role(), role))
    {
        violations.add("role", Invalid::NotAllowed);
    }
    if let Some(status) = update.status
        && status != account.status
        && (own
            || status == AccountStatus::Provisional
            || account.role == Role::Staff && user.role() != Role::Staff)
    {
        violations.add("status", Invalid::NotAllowed);
    }
    violations.finish()?;
    Ok((
        update.role.unwrap_or(account.role),
        update.status.unwrap_or(account.status),
        Grants {
            pbx_admin: update.pbx_admin.unwrap_or(account.pbx_admin),
            analytics: update.analytics.unwrap_or(account.analytics),
        },
    ))
}

/// `{"field": {"from": …, "to": …}}` for every field that changes.
fn differences(account: &Account, role: Role, status: AccountStatus, grants: Grants) -> Map<String, Value> {
    let mut changed = Map::new();
    let mut note = |field: &str, from: Value, to: Value| {
        if from != to {
            changed.insert(field.into(), json!({"from": from, "to": to}));
        }
    };
    note("role", json!(account.role), json!(role));
    note("status", json!(account.status), json!(status));
    note("pbx_admin", json!(account.pbx_admin), json!(grants.pbx_admin));
    note("analytics", json!(account.analytics), json!(grants.analytics));
    changed
}

/// Change an account's role, status (`active` / `disabled`) or feature grants. Disabling
/// ends its sessions and revokes its API tokens at once. Nobody changes their own role or
/// status (an organization must not lock out its last administrator by accident).
/// Activating a provisional (unconfirmed) registration is allowed and recorded as such.
/// A request that changes nothing changes nothing, and records nothing.
#[utoipa::path(
    tag = "accounts",
    params(("id" = AccountId, Path, description = "The account's id")),
    request_body = AccountUpdate,
    responses(
        (status = 200, description = "The account after the change", body = AccountSummary),
        (status = 403, description = "The role may not administer accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's organization", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A change the caller may not make (each field named): a role the caller may not give, one's own role or status, the role or grants of an analytics child ID", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/accounts/{id}")]
pub async fn update_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<AccountId>,
    body: Json<AccountUpdate>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(Permission::AdministerAccounts)?;
    let (id, update, scope) = (id.into_inner(), body.into_inner(), user.scope());
    let now = state.clock.now_naive();
    let updated = db::transaction(&state.pool, move |conn| {
        let (account, name) = visible_account(conn, scope, id)?;
        let (role, status, grants) = planned_changes(&user, &account, &update)?;
        // A child ID's rights are those its subscription gives (it reads analytics); it is
        // disabled or enabled here or on the subscription, never made more.
        if crate::analytics::child_ids::is_child(conn, account.id)? {
            let mut violations = Violations::default();
            for (field, changed) in [
                ("role", role != account.role),
                ("pbx_admin", grants.pbx_admin != account.pbx_admin),
                ("analytics", grants.analytics != account.analytics),
            ] {
                if changed {
                    violations.add(field, Invalid::NotAllowed);
                }
            }
            violations.finish()?;
        }
        // Activating a registration nobody confirmed vouches for a password and an address
        // nobody proved: a person signed in does it, never a (possibly stolen) API token.
        if account.status == AccountStatus::Provisional && status == AccountStatus::Active {
            user.require_session()?;
        }
        let mut changes = differences(&account, role, status, grants);
        if changes.is_empty() {
            return Ok(summary(account, name));
        }
        super::administer(conn, account.id, role, status, grants, now)?;
        if status == AccountStatus::Disabled && account.status != AccountStatus::Disabled {
            super::end_everything(conn, account.id, now)?;
        }
        if account.status == AccountStatus::Provisional && status == AccountStatus::Active {
            changes.insert("activated_unconfirmed_registration".into(), json!(true));
        }
        record(
            conn,
            &user,
            &client,
            &account,
            AuditAction::AccountUpdated,
            Value::Object(changes),
            now,
        )?;
        let (account, name) = visible_account(conn, scope, id)?;
        Ok(summary(account, name))
    })
    .await?;
    Ok(web::Json(updated))
}

/// Unlock an account locked by wrong passwords, before its 60 minutes are over. Unlocking
/// an account that is not locked changes (and records) nothing.
#[utoipa::path(
    tag = "accounts",
    params(("id" = AccountId, Path, description = "The account's id")),
    responses(
        (status = 200, description = "The account after unlocking", body = AccountSummary),
        (status = 403, description = "The role may not administer accounts", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account in the caller's organization", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/accounts/{id}/unlock")]
pub async fn unlock_account(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<AccountId>,
) -> Result<web::Json<AccountSummary>, ApiError> {
    user.require(Permission::AdministerAccounts)?;
    let (id, scope) = (id.into_inner(), user.scope());
    let now = state.clock.now_naive();
    let unlocked = db::transaction(&state.pool, move |conn| {
        let (account, _) = visible_account(conn, scope, id)?;
        if super::unlock(conn, account.id, now)? {
            record(
                conn,
                &user,
                &client,
                &account,
                AuditAction::AccountUnlocked,
                json!({}),
                now,
            )?;
        }
        let (account, name) = visible_account(conn, scope, id)?;
        Ok(summary(account, name))
    })
    .await?;
    Ok(web::Json(unlocked))
}
