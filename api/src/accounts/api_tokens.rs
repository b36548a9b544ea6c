//! Personal API tokens for scripts: created by a user, shown once, stored hashed, carrying
//! the owner's rights, revocable, with the time of last use.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{ApiTokenSummary, CreatedApiToken, NewApiTokenRequest};

use super::Account;
use crate::audit::{self, Action};
use crate::auth::{AuthUser, ClientInfo};
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, Invalid};
use crate::error::ApiError;
use crate::schema::{accounts, api_tokens};
use crate::secrets;
use crate::startup::AppState;

/// Every API token starts with this, so that a leaked one is recognisable (secret scanners).
pub const TOKEN_PREFIX: &str = "mdg_";
/// `last_used_at` is written at most this often.
const LAST_USED_GRANULARITY: TimeDelta = TimeDelta::minutes(1);
/// Most live tokens per account.
const MAX_TOKENS: i64 = 20;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub id: i64,
    pub account_id: i64,
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

/// The live token's id and its owner.
pub fn authenticate(
    conn: &mut DbConn,
    token: &str,
    now: NaiveDateTime,
) -> QueryResult<Option<(i64, Account)>> {
    let found: Option<(ApiToken, Account)> = api_tokens::table
        .inner_join(accounts::table)
        .filter(api_tokens::token_hash.eq(secrets::hash(token)))
        .filter(api_tokens::revoked_at.is_null())
        .select((ApiToken::as_select(), Account::as_select()))
        .first(conn)
        .optional()?;
    let Some((token, account)) = found else {
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
    Ok(Some((token.id, account)))
}

/// Revokes every token of an account (when it is disabled).
pub fn revoke_all(conn: &mut DbConn, account_id: i64, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(api_tokens::table)
        .filter(api_tokens::account_id.eq(account_id))
        .filter(api_tokens::revoked_at.is_null())
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)
}

/// Create a personal API token. The token is in this answer only.
#[utoipa::path(
    tag = "accounts",
    request_body = NewApiTokenRequest,
    responses(
        (status = 201, body = CreatedApiToken),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/api-tokens")]
pub async fn create_api_token(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<NewApiTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let name = DisplayName::parse(&body.name).map_err(|reason| ApiError::invalid("name", reason))?;
    let now = state.clock.now_naive();
    let created = db::transaction(&state.pool, move |conn| {
        let live: i64 = api_tokens::table
            .filter(api_tokens::account_id.eq(user.account_id))
            .filter(api_tokens::revoked_at.is_null())
            .count()
            .get_result(conn)?;
        if live >= MAX_TOKENS {
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
                api_tokens::account_id.eq(user.account_id),
                api_tokens::name.eq(name.as_str()),
                api_tokens::token_prefix.eq(&prefix),
                api_tokens::token_hash.eq(secrets::hash(&token)),
                api_tokens::created_at.eq(now),
            ))
            .returning(api_tokens::all_columns)
            .get_result(conn)?;
        audit::record(
            conn,
            &audit::Event::new(Action::ApiTokenCreated, client.ip.as_deref())
                .by_account_itself(user.organization_id, user.account_id)
                .detail(format!("{} ({prefix}…)", name.as_str())),
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
    responses((status = 200, body = Vec<ApiTokenSummary>)),
    security(("bearer" = []))
)]
#[get("/me/api-tokens")]
pub async fn list_api_tokens(
    state: web::Data<AppState>,
    user: AuthUser,
) -> Result<web::Json<Vec<ApiTokenSummary>>, ApiError> {
    let tokens = db::run(&state.pool, move |conn| {
        Ok(api_tokens::table
            .filter(api_tokens::account_id.eq(user.account_id))
            .filter(api_tokens::revoked_at.is_null())
            .order(api_tokens::id.asc())
            .load::<ApiToken>(conn)?)
    })
    .await?;
    Ok(web::Json(tokens.into_iter().map(Into::into).collect()))
}

/// Revoke one of the caller's API tokens; it stops working at once.
#[utoipa::path(
    tag = "accounts",
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[delete("/me/api-tokens/{id}")]
pub async fn revoke_api_token(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let revoked = diesel::update(
            api_tokens::table
                .find(id)
                .filter(api_tokens::account_id.eq(user.account_id))
                .filter(api_tokens::revoked_at.is_null()),
        )
        .set(api_tokens::revoked_at.eq(now))
        .execute(conn)?;
        if revoked == 0 {
            return Err(ApiError::NotFound);
        }
        audit::record(
            conn,
            &audit::Event::new(Action::ApiTokenRevoked, client.ip.as_deref())
                .by_account_itself(user.organization_id, user.account_id)
                .detail(format!("token {id}")),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
