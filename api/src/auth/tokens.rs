//! Issuing tokens for a session, trading a refresh token for new ones, and signing out.
//! The browser app keeps its refresh token in an `HttpOnly; SameSite=Strict` cookie scoped
//! to `/api/v1/auth` (out of reach of page scripts) and the access token in memory;
//! scripts get both in the JSON answer.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::NaiveDateTime;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::auth::{RefreshRequest, RefreshTokenDelivery, TokenResponse};

use super::sessions::{self, IDLE_TIMEOUT, Rotation, SessionKey};
use super::{AuthUser, jwt};
use crate::accounts::{self, AccountId, AccountStatus};
use crate::app::AppState;
use crate::audit;
use crate::db::{self, DbConn};
use crate::error::{ApiError, AuthError};
use crate::json::Json;
use crate::net::ClientInfo;

pub const REFRESH_COOKIE: &str = "madoguchi_refresh";
const COOKIE_PATH: &str = "/api/v1/auth";

/// A session's new tokens, before the access token is signed.
pub struct Issued {
    pub account_id: AccountId,
    pub session: SessionKey,
    pub refresh_token: String,
}

/// The token answer and, for the browser app, the cookie carrying the refresh token.
pub fn token_response(
    state: &AppState,
    issued: Issued,
    delivery: RefreshTokenDelivery,
) -> Result<(TokenResponse, Option<Cookie<'static>>), ApiError> {
    let access_token = state
        .jwt
        .issue(issued.account_id.0, &issued.session.public_id, state.clock.now())
        .map_err(ApiError::internal)?;
    let (refresh_token, cookie) = match delivery {
        RefreshTokenDelivery::Body => (Some(issued.refresh_token), None),
        RefreshTokenDelivery::Cookie => (None, Some(refresh_cookie(state, issued.refresh_token))),
    };
    Ok((
        TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: jwt::ACCESS_TOKEN_LIFETIME.num_seconds(),
            refresh_token,
            idle_timeout: IDLE_TIMEOUT.num_seconds(),
        },
        cookie,
    ))
}

fn refresh_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, value)
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(state.secure_cookies)
        .same_site(SameSite::Strict)
        .finish()
}

/// An answer with the tokens (and the cookie, if asked for).
pub fn respond_with<T: serde::Serialize>(body: &T, cookie: Option<Cookie<'static>>) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    if let Some(cookie) = cookie {
        response.cookie(cookie);
    }
    response.json(body)
}

/// Opens a session after a successful sign-in and records it.
pub fn open_session(
    conn: &mut DbConn,
    account: &accounts::Account,
    client: &ClientInfo,
    how: &str,
    now: NaiveDateTime,
) -> Result<Issued, ApiError> {
    let opened = sessions::open(
        conn,
        account.id,
        client.ip.as_deref(),
        client.user_agent.as_deref(),
        now,
    )?;
    audit::record(
        conn,
        &audit::Event::new(AuditAction::SignIn, client)
            .by_account_itself(account.organization_id, account.id)
            .detail(serde_json::json!({"method": how})),
        now,
    )?;
    Ok(Issued {
        account_id: account.id,
        session: opened.key,
        refresh_token: opened.refresh_token,
    })
}

/// Trade a refresh token for new tokens. The token comes from the body or, for the browser
/// app, from its cookie. Each refresh token works once: presenting a used one again (a
/// replay) ends the whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens", body = TokenResponse),
        (status = 401, description = "Unknown, used or expired refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    request: HttpRequest,
    client: ClientInfo,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let RefreshRequest {
        refresh_token,
        refresh_token_delivery,
    } = body.into_inner();
    let (token, delivery) = match refresh_token {
        Some(token) => (token, refresh_token_delivery),
        None => (
            request
                .cookie(REFRESH_COOKIE)
                .map(|cookie| cookie.value().to_owned())
                .ok_or(AuthError::RefreshTokenInvalid)?,
            RefreshTokenDelivery::Cookie,
        ),
    };
    let now = state.clock.now_naive();
    let issued = db::run(&state.pool, move |conn| rotate(conn, &token, &client, now)).await?;
    let (tokens, cookie) = token_response(&state, issued, delivery)?;
    Ok(respond_with(&tokens, cookie))
}

fn rotate(
    conn: &mut DbConn,
    token: &str,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<Issued, ApiError> {
    match db::write_transaction(conn, |conn| sessions::rotate(conn, token, now))? {
        Rotation::Rotated {
            account_id,
            key,
            refresh_token,
        } => {
            let account = accounts::find(conn, account_id)?.ok_or(AuthError::RefreshTokenInvalid)?;
            if account.status != AccountStatus::Active || account.is_locked(now) {
                return Err(AuthError::RefreshTokenInvalid.into());
            }
            Ok(Issued {
                account_id,
                session: key,
                refresh_token,
            })
        }
        Rotation::Reused {
            account_id,
            session_id,
        } => {
            let organization_id =
                accounts::find(conn, account_id)?.and_then(|account| account.organization_id);
            audit::record(
                conn,
                &audit::Event::new(AuditAction::RefreshTokenReused, client)
                    .organization(organization_id)
                    .subject(Some(account_id))
                    .detail(serde_json::json!({"session_revoked": session_id.0})),
                now,
            )?;
            Err(AuthError::RefreshTokenInvalid.into())
        }
    }
}

/// End the caller's session: its access and refresh tokens stop working at once, on every
/// instance.
#[utoipa::path(
    tag = "auth",
    responses((status = 204, description = "Signed out")),
    security(("bearer" = []))
)]
#[post("/sign-out")]
pub async fn sign_out(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
) -> Result<HttpResponse, ApiError> {
    if let Some(session_id) = user.session_id() {
        let now = state.clock.now_naive();
        db::transaction(&state.pool, move |conn| {
            sessions::revoke(conn, session_id, now)?;
            audit::record(
                conn,
                &audit::Event::new(AuditAction::SignOut, &client)
                    .by_account_itself(user.organization_id(), user.id()),
                now,
            )?;
            Ok(())
        })
        .await?;
    }
    let mut expired = refresh_cookie(&state, String::new());
    expired.make_removal();
    Ok(HttpResponse::NoContent().cookie(expired).finish())
}
