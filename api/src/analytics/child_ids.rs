//! Child IDs (子ID払出し及び管理, seed 000 §1-2, standard plan): the subscriber issues
//! view-only accounts of its organization for one subscription — they read its reports and
//! download them, but change neither the plan, nor the groups, nor the child IDs. Each gets
//! a login ID made of the analytics ID and a number, sets its password through a mailed
//! link and signs in with a mailed one-time password, as the subscriber does. At most as
//! many as the plan's terms allow.

use actix_web::{HttpResponse, delete, get, post, put, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AccountStatus, AuditAction, Role};
use madoguchi_types::analytics::{ChildId, ChildIdChange, ChildIdList, ChildIdRequest, PlanFeature};
use madoguchi_types::ids::{AccountId, SubscriptionId};
use madoguchi_types::policy::Permission;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{SubscriptionRow, find, require_feature};
use crate::accounts::{self, Account, NewAccount};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId};
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Grants;
use crate::schema::{accounts as accounts_table, analytics_child_ids, tickets};
use crate::{audit, organizations};

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_child_ids)
        .service(create_child_id)
        .service(change_child_id)
        .service(delete_child_id);
}

/// Whether the account is a child ID (of any subscription).
pub fn is_child(conn: &mut DbConn, account: AccountId) -> QueryResult<bool> {
    let count: i64 = analytics_child_ids::table
        .filter(analytics_child_ids::account_id.eq(account))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// Refuses a change to the subscription by a child ID (403): they only read.
pub fn refuse_child(conn: &mut DbConn, account: AccountId) -> Result<(), ApiError> {
    if is_child(conn, account)? {
        return Err(ApiError::Forbidden);
    }
    Ok(())
}

/// The subscription, for its administrators: staff, or the organization's user
/// administrators who are not child IDs themselves; on a plan with child IDs.
fn administered(conn: &mut DbConn, user: &AuthUser, id: SubscriptionId) -> Result<SubscriptionRow, ApiError> {
    let (subscription, _) = find(conn, user.scope(), id)?;
    refuse_child(conn, user.id())?;
    require_feature(&subscription, PlanFeature::ChildIds)?;
    Ok(subscription)
}

fn child_id(account: Account) -> ChildId {
    ChildId {
        account_id: account.id,
        login_id: account.login_id,
        full_name: account.full_name,
        email: account.email,
        status: account.status,
        created_at: account.created_at.and_utc(),
    }
}

fn children(conn: &mut DbConn, subscription: SubscriptionId) -> QueryResult<Vec<Account>> {
    accounts_table::table
        .inner_join(analytics_child_ids::table)
        .filter(analytics_child_ids::subscription_id.eq(subscription))
        .select(Account::as_select())
        .order(accounts_table::login_id)
        .load(conn)
}

/// One child ID of the subscription; another's (or none) is 404.
fn child(conn: &mut DbConn, subscription: SubscriptionId, account: AccountId) -> Result<Account, ApiError> {
    accounts_table::table
        .inner_join(analytics_child_ids::table)
        .filter(analytics_child_ids::subscription_id.eq(subscription))
        .filter(accounts_table::id.eq(account))
        .select(Account::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)
}

fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    client: &ClientInfo,
    subscription: &SubscriptionRow,
    account: &Account,
    change: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        &audit::Event::new(AuditAction::AnalyticsChildIdChanged, client)
            .organization(Some(subscription.organization_id))
            .actor(Some(user.id()))
            .subject(Some(account.id))
            .detail(json!({"opid": subscription.opid, "login_id": account.login_id, "change": change})),
        now,
    )?;
    Ok(())
}

/// The subscription's child IDs and how many the plan allows.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The child IDs", body = ChildIdList),
        (status = 403, description = "Not the subscription's administrator (a child ID, or no account rights), or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/child-ids")]
pub async fn list_child_ids(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<ChildIdList>, ApiError> {
    user.require(Permission::Analytics)?;
    user.require(Permission::AdministerAccounts)?;
    let id = id.into_inner();
    let list = db::run(&state.pool, move |conn| {
        let subscription = administered(conn, &user, id)?;
        Ok(ChildIdList {
            items: children(conn, id)?.into_iter().map(child_id).collect(),
            max: subscription.plan.terms().child_ids_max,
        })
    })
    .await?;
    Ok(web::Json(list))
}

/// Issue a child ID (子ID払出し): the login ID is generated, the password set through the
/// mailed link; it signs in with a mailed one-time password.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body = ChildIdRequest,
    responses(
        (status = 201, description = "Issued; the password link is mailed", body = ChildId),
        (status = 400, description = "Not JSON of the request's shape", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the subscription's administrator, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (each named), or as many child IDs as the plan allows (`too_many`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/child-ids")]
pub async fn create_child_id(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    RequestLang(lang): RequestLang,
    id: web::Path<SubscriptionId>,
    body: Json<ChildIdRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Analytics)?;
    user.require(Permission::AdministerAccounts)?;
    let request = body.into_inner();
    let mut violations = Violations::default();
    let full_name = violations.check("full_name", DisplayName::parse(&request.full_name));
    let email = violations.check("email", EmailAddress::parse(&request.email));
    violations.finish()?;
    let (Some(full_name), Some(email)) = (full_name, email) else {
        return Err(ApiError::internal(anyhow::anyhow!("checked fields missing")));
    };
    let (id, now, base_url) = (id.into_inner(), state.clock.now_naive(), state.public_url.clone());
    let created = db::transaction(&state.pool, move |conn| {
        let subscription = administered(conn, &user, id)?;
        let existing = children(conn, id)?;
        let max = subscription.plan.terms().child_ids_max;
        if existing.len() >= usize::try_from(max).unwrap_or(usize::MAX) {
            return Err(ApiError::invalid(
                "email",
                Invalid::TooMany {
                    max: usize::try_from(max).unwrap_or(0),
                },
            ));
        }
        let login_id = next_login_id(conn, &subscription)?;
        let organization =
            organizations::find(conn, subscription.organization_id)?.ok_or(ApiError::NotFound)?;
        let new = NewAccount {
            organization: Some(subscription.organization_id),
            login_id,
            full_name,
            email: email.clone(),
            password_hash: None,
            // Least rights and the analytics grant; being a child ID keeps it from changes.
            role: Role::InquiryStaff,
            status: AccountStatus::Active,
            company_name: DisplayName::parse(&organization.name).ok(),
            maintenance_email: None,
            preferred_lang: lang,
            grants: Grants {
                pbx_admin: false,
                analytics: true,
            },
        };
        let account = accounts::insert(conn, &new, now)?;
        accounts::set_otp_email(conn, account.id, Some(email.as_str()), now)?;
        diesel::insert_into(analytics_child_ids::table)
            .values((
                analytics_child_ids::account_id.eq(account.id),
                analytics_child_ids::subscription_id.eq(id),
                analytics_child_ids::created_at.eq(now),
            ))
            .execute(conn)?;
        accounts::invite(conn, &account, &email, lang, &base_url, now)?;
        record(conn, &user, &client, &subscription, &account, "issued", now)?;
        Ok(child_id(account))
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The subscription's analytics ID and the next free two-digit number: `ABCDE12345-01`.
fn next_login_id(conn: &mut DbConn, subscription: &SubscriptionRow) -> Result<LoginId, ApiError> {
    for number in 1..=99 {
        let candidate =
            LoginId::parse(&format!("{}-{number:02}", subscription.analytics_id)).map_err(|reason| {
                ApiError::internal(anyhow::anyhow!(
                    "child login ID of {}: {reason:?}",
                    subscription.analytics_id
                ))
            })?;
        if accounts::find_by_login_id(conn, &candidate)?.is_none() {
            return Ok(candidate);
        }
    }
    Err(ApiError::invalid("email", Invalid::TooMany { max: 99 }))
}

/// Disable a child ID (its sessions, tokens and links end at once) or enable it again.
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("account" = AccountId, Path, description = "The child ID's account id"),
    ),
    request_body = ChildIdChange,
    responses(
        (status = 200, description = "The child ID as it is now", body = ChildId),
        (status = 400, description = "Not JSON of the request's shape", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the subscription's administrator, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller, or no such child ID of it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/analytics/subscriptions/{id}/child-ids/{account}")]
pub async fn change_child_id(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(SubscriptionId, AccountId)>,
    body: Json<ChildIdChange>,
) -> Result<web::Json<ChildId>, ApiError> {
    user.require(Permission::Analytics)?;
    user.require(Permission::AdministerAccounts)?;
    let ((id, account_id), disabled, now) = (
        path.into_inner(),
        body.into_inner().disabled,
        state.clock.now_naive(),
    );
    let changed = db::transaction(&state.pool, move |conn| {
        let subscription = administered(conn, &user, id)?;
        let account = child(conn, id, account_id)?;
        let status = if disabled {
            AccountStatus::Disabled
        } else {
            AccountStatus::Active
        };
        if account.status == status {
            return Ok(child_id(account));
        }
        let grants = Grants {
            pbx_admin: account.pbx_admin,
            analytics: account.analytics,
        };
        accounts::administer(conn, account.id, account.role, status, grants, now)?;
        if disabled {
            accounts::end_everything(conn, account.id, now)?;
        }
        record(
            conn,
            &user,
            &client,
            &subscription,
            &account,
            if disabled { "disabled" } else { "enabled" },
            now,
        )?;
        let account = child(conn, id, account_id)?;
        Ok(child_id(account))
    })
    .await?;
    Ok(web::Json(changed))
}

/// Delete a child ID: its account goes. One that filed support tickets keeps them and
/// stays, disabled: 409 `in_use` says so.
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("account" = AccountId, Path, description = "The child ID's account id"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not the subscription's administrator, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller, or no such child ID of it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The child ID filed support tickets: disable it instead", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/analytics/subscriptions/{id}/child-ids/{account}")]
pub async fn delete_child_id(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    path: web::Path<(SubscriptionId, AccountId)>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Analytics)?;
    user.require(Permission::AdministerAccounts)?;
    let ((id, account_id), now) = (path.into_inner(), state.clock.now_naive());
    db::transaction(&state.pool, move |conn| {
        let subscription = administered(conn, &user, id)?;
        let account = child(conn, id, account_id)?;
        let filed: i64 = tickets::table
            .filter(tickets::reporter_id.eq(account.id))
            .count()
            .get_result(conn)?;
        if filed > 0 {
            return Err(ApiError::Conflict {
                field: "account".into(),
            });
        }
        record(conn, &user, &client, &subscription, &account, "deleted", now)?;
        diesel::delete(accounts_table::table.find(account.id)).execute(conn)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
