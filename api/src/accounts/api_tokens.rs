//! Personal API tokens for scripts: created by a signed-in user (never by another token),
//! shown once, stored hashed, carrying the owner's rights, revocable, with the time of
//! last use. A password reset revokes them; a password change does by default.
//!
//! The resource template: model, `From<Model> for Dto`, query functions, thin handlers,
//! audit in the same transaction.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{ApiTokenSummary, AuditAction, CreatedApiToken, NewApiTokenRequest};
pub use madoguchi_types::ids::ApiTokenId;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Account, AccountId};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::ApiError;
use crate::json::Json;
use crate::net::ClientInfo;
use crate::organizations::Organization;
use crate::schema::{accounts, api_tokens, organizations};
use crate::secrets;

/// Every API token starts with this, so that a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "mdg_";
/// `last_used_at` is written at most this often.
const LAST_USED_GRANULARITY: TimeDelta = TimeDelta::minutes(1);
/// Most live tokens per account.
const MAX_TOKENS: i64 = 20;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(create_api_token)
        .service(list_api_tokens)
        .service(revoke_api_token);
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub account_id: AccountId,
    pub name: String,
    pub token_prefix: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub last_used_at: Option<NaiveDateTime>,
    pub revoked_at: Option<NaiveDateTime>,
}

impl From<ApiToken> for ApiTokenSummary {
    fn from(token: ApiToken) -> Self {
        Self {
            id: token.id,
            name: token.name,
            prefix: token.token_prefix,
            created_at: token.created_at.and_utc(),
            last_used_at: token.last_used_at.map(|at| at.and_utc()),
        }
    }
}

/// The live token, its owner and the owner's organization, in one query.
pub fn authenticate(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(ApiTokenId, Account, Option<Organization>)>> {
    let found: Option<(ApiToken, Account, Option<Organization>)> = api_tokens::table
        .inner_join(accounts::table.left_join(organizations::table))
        .filter(api_tokens::token_hash.eq(secrets::hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select((
            ApiToken::as_select(),
            Account::as_select(),
            organizations::all_columns.nullable(),
        ))
        .get_result(conn)
        .optional()?;
    let Some((token, account, organization)) = found else {
        return Ok(None);
    };
    if token
        .last_used_at
        .is_none_or(|at| at + LAST_USED_GRANULARITY < now)
    {
        diesel::update(api_tokens::table.find(token.id))
            .set(api_tokens::last_used_at.eq(now))
            .execute(conn)?;
    }
    Ok(Some((token.id, account, organization)))
}

/// Revokes every live token of an account; returns how many.
pub fn revoke_all(conn: &mut DbConn, account_id: AccountId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table)
        .filter(api_tokens::account_id.eq(account_id))
        .filter(api_tokens::revoked_at.is_null())
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)
}

fn live_count(conn: &mut DbConn, account_id: AccountId) -> QueryResult<i64> {
    api_tokens::table
        .filter(api_tokens::account_id.eq(account_id))
        .filter(api_tokens::revoked_at.is_null())
        .count()
        .get_result(conn)
}

/// Create a personal API token. The token is in this answer only. Needs a signed-in
/// session: an API token cannot create tokens.
#[utoipa::path(
    tag = "accounts",
    request_body = NewApiTokenRequest,
    responses(
        (status = 201, description = "Created; the token is shown only here", body = CreatedApiToken),
        (status = 403, description = "Called with an API token (sign in instead)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, or too many live tokens", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/api-tokens")]
pub async fn create_api_token(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<NewApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require_session()?;
    let name = DisplayName::parse(&body.name).map_err(|reason| ApiError::invalid("name", reason))?;
    let now = state.clock.now_naive();
    let created = db::transaction(&state.pool, move |conn| {
        if live_count(conn, user.id())? >= MAX_TOKENS {
            return Err(ApiError::invalid(
                "name",
                Invalid::TooLong {
                    max: MAX_TOKENS as usize,
                },
            ));
        }
        let token = format!("{TOKEN_PREFIX}{}", secrets::random_token());
        let prefix: String = token.chars().take(TOKEN_PREFIX.len() + 6).collect();
        let row: ApiToken = diesel::insert_into(api_tokens::table)
            .values((
                api_tokens::account_id.eq(user.id()),
                api_tokens::name.eq(name.as_str()),
                api_tokens::token_prefix.eq(&prefix),
                api_tokens::token_hash.eq(secrets::hash(&token)),
                api_tokens::created_at.eq(now),
            ))
            .returning(api_tokens::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ApiTokenCreated, &client)
                .by_account_itself(user.organization_id(), user.id())
                .detail(json!({"name": name.as_str(), "prefix": prefix})),
            now,
        )?;
        Ok(CreatedApiToken {
            token,
            summary: row.into(),
        })
    })
    .await?;
    Ok(HttpResponse::Created().json(created))
}

/// The caller's live API tokens (never the tokens themselves).
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, description = "Live tokens, oldest first", body = Vec<ApiTokenSummary>)),
    security(("bearer" = []))
)]
#[get("/me/api-tokens")]
pub async fn list_api_tokens(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<ApiTokenSummary>>, ApiError> {
    let owner = user.id();
    let tokens = db::run(&state.pool, move |conn| {
        Ok(api_tokens::table
            .filter(api_tokens::account_id.eq(owner))
            .filter(api_tokens::revoked_at.is_null())
            .order(api_tokens::id.asc())
            .select(ApiToken::as_select())
            .load(conn)?)
    })
    .await?;
    Ok(web::Json(tokens.into_iter().map(Into::into).collect()))
}

/// Revoke one of the caller's API tokens; it stops working at once.
#[utoipa::path(
    tag = "accounts",
    params(("id" = ApiTokenId, Path, description = "The token's id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No such live token of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/me/api-tokens/{id}")]
pub async fn revoke_api_token(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<ApiTokenId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let revoked = diesel::update(
            api_tokens::table
                .find(id)
                .filter(api_tokens::account_id.eq(user.id()))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
        if revoked == 0 {
            return Err(ApiError::NotFound);
        }
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ApiTokenRevoked, &client)
                .by_account_itself(user.organization_id(), user.id())
                .detail(json!({"token_id": id})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
