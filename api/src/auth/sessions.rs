//! Sessions and their rotating refresh tokens.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::AuthError;
use crate::schema::{refresh_tokens, sessions};
use crate::secrets;

/// A session ends after this long without a request (seed 000 FAQ 15).
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// `last_seen_at` is written at most this often, to spare the database a write per request.
const LAST_SEEN_GRANULARITY: TimeDelta = TimeDelta::seconds(30);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub account_id: i64,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Opens a session; returns its id and first refresh token.
pub fn open(
    conn: &mut DbConn,
    account_id: i64,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<(i64, String)> {
    let session_id: i64 = diesel::insert_into(sessions::table)
        .values((
            sessions::account_id.eq(account_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::ip.eq(ip),
            sessions::user_agent.eq(user_agent.map(|agent| agent.chars().take(300).collect::<String>())),
        ))
        .returning(sessions::id)
        .get_result(conn)?;
    let refresh_token = new_refresh_token(conn, session_id, now)?;
    Ok((session_id, refresh_token))
}

fn new_refresh_token(conn: &mut DbConn, session_id: i64, now: NaiveDateTime) -> QueryResult<String> {
    let token = secrets::random_token();
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::token_hash.eq(secrets::hash(&token)),
            refresh_tokens::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The session is live: not revoked, and used within the idle timeout.
pub fn is_live(session: &Session, now: NaiveDateTime) -> Result<(), AuthError> {
    if session.revoked_at.is_some() {
        return Err(AuthError::Unauthenticated);
    }
    if session.last_seen_at + IDLE_TIMEOUT < now {
        return Err(AuthError::SessionExpired);
    }
    Ok(())
}

/// Checks a session for a request and records the activity.
pub fn touch(
    conn: &mut DbConn,
    session_id: i64,
    account_id: i64,
    now: NaiveDateTime,
) -> Result<(), crate::error::ApiError> {
    let session: Option<Session> = sessions::table
        .find(session_id)
        .filter(sessions::account_id.eq(account_id))
        .first(conn)
        .optional()?;
    let session = session.ok_or(AuthError::Unauthenticated)?;
    is_live(&session, now)?;
    if session.last_seen_at + LAST_SEEN_GRANULARITY < now {
        diesel::update(sessions::table.find(session_id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok(())
}

pub enum Rotation {
    /// A fresh refresh token for the same session.
    Rotated {
        account_id: i64,
        session_id: i64,
        refresh_token: String,
    },
    /// The token had been used before: somebody replayed it. The session is now revoked.
    Reused { account_id: i64, session_id: i64 },
}

/// Trades a refresh token for a new one. Unknown tokens and dead sessions fail.
pub fn rotate(
    conn: &mut DbConn,
    refresh_token: &str,
    now: NaiveDateTime,
) -> Result<Rotation, crate::error::ApiError> {
    let found: Option<(i64, Option<NaiveDateTime>, Session)> = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(secrets::hash(refresh_token)))
        .select((refresh_tokens::id, refresh_tokens::used_at, Session::as_select()))
        .first(conn)
        .optional()?;
    let (token_id, used_at, session) = found.ok_or(AuthError::RefreshTokenInvalid)?;
    if used_at.is_some() {
        revoke(conn, session.id, now)?;
        return Ok(Rotation::Reused {
            account_id: session.account_id,
            session_id: session.id,
        });
    }
    is_live(&session, now).map_err(|error| match error {
        AuthError::SessionExpired => AuthError::SessionExpired,
        _ => AuthError::RefreshTokenInvalid,
    })?;
    // Only one of two racing requests can mark the token used.
    let marked = diesel::update(
        refresh_tokens::table
            .find(token_id)
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    if marked == 0 {
        return Err(AuthError::RefreshTokenInvalid.into());
    }
    diesel::update(sessions::table.find(session.id))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    let refresh_token = new_refresh_token(conn, session.id, now)?;
    Ok(Rotation::Rotated {
        account_id: session.account_id,
        session_id: session.id,
        refresh_token,
    })
}

pub fn revoke(conn: &mut DbConn, session_id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        sessions::table
            .find(session_id)
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::revoked_at.eq(now))
    .execute(conn)
    .map(|_| ())
}

/// Ends every session of an account, except `keep` (the caller's own, on a password change).
pub fn revoke_all(
    conn: &mut DbConn,
    account_id: i64,
    keep: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let mut query = diesel::update(sessions::table)
        .filter(sessions::account_id.eq(account_id))
        .filter(sessions::revoked_at.is_null())
        .into_boxed();
    if let Some(keep) = keep {
        query = query.filter(sessions::id.ne(keep));
    }
    query.set(sessions::revoked_at.eq(now)).execute(conn)
}
