//! Sessions and their rotating refresh tokens. A session is addressed from outside only
//! by its random public id (in access tokens); its sequential key stays in the database.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::accounts::{Account, AccountId};
use crate::db::DbConn;
use crate::error::{ApiError, AuthError};
use crate::organizations::Organization;
use crate::schema::{accounts, organizations, refresh_tokens, sessions};
use crate::secrets;

madoguchi_types::id_type! {
    /// A session's database key (never shown to clients).
    pub struct SessionId;
}

/// A session ends after this long without a request (seed 000 FAQ 15).
pub const IDLE_TIMEOUT: TimeDelta = TimeDelta::minutes(30);
/// A refresh token used again within this time is refused but not taken for a replay: two
/// tabs of the browser app that refresh at the same moment send the same cookie.
const REUSE_GRACE: TimeDelta = TimeDelta::seconds(10);
/// `last_seen_at` is written at most this often, to spare the database a write per request.
const LAST_SEEN_GRANULARITY: TimeDelta = TimeDelta::seconds(60);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: SessionId,
    pub account_id: AccountId,
    /// When the password (and code) were checked: the start of the session.
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub public_id: String,
}

/// Both ids of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionKey {
    pub id: SessionId,
    pub public_id: String,
}

/// A new session: its ids and first refresh token.
pub struct Opened {
    pub key: SessionKey,
    pub refresh_token: String,
}

pub fn open(
    conn: &mut DbConn,
    account_id: AccountId,
    ip: Option<&str>,
    user_agent: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<Opened> {
    let public_id = secrets::random_token();
    let id: SessionId = diesel::insert_into(sessions::table)
        .values((
            sessions::account_id.eq(account_id),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
            sessions::ip.eq(ip),
            sessions::user_agent.eq(user_agent),
            sessions::public_id.eq(&public_id),
        ))
        .returning(sessions::id)
        .get_result(conn)?;
    let refresh_token = new_refresh_token(conn, id, now)?;
    Ok(Opened {
        key: SessionKey { id, public_id },
        refresh_token,
    })
}

fn new_refresh_token(conn: &mut DbConn, session_id: SessionId, now: NaiveDateTime) -> QueryResult<String> {
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

/// Who is behind an access token: one query for the session, its account and the
/// account's organization; the activity is written at most once a minute.
pub fn authenticate(
    conn: &mut DbConn,
    public_id: &str,
    account_id: AccountId,
    now: NaiveDateTime,
) -> Result<(Session, Account, Option<Organization>), ApiError> {
    let found: Option<(Session, Account, Option<Organization>)> = sessions::table
        .inner_join(accounts::table.left_join(organizations::table))
        .filter(sessions::public_id.eq(public_id))
        .filter(sessions::account_id.eq(account_id))
        .select((
            Session::as_select(),
            Account::as_select(),
            organizations::all_columns.nullable(),
        ))
        .get_result(conn)
        .optional()?;
    let (session, account, organization) = found.ok_or(AuthError::Unauthenticated)?;
    is_live(&session, now)?;
    if session.last_seen_at + LAST_SEEN_GRANULARITY < now {
        diesel::update(sessions::table.find(session.id))
            .set(sessions::last_seen_at.eq(now))
            .execute(conn)?;
    }
    Ok((session, account, organization))
}

pub enum Rotation {
    /// A fresh refresh token for the same session.
    Rotated {
        account_id: AccountId,
        key: SessionKey,
        refresh_token: String,
    },
    /// The token had been used before: somebody replayed it. The session is now revoked.
    Reused {
        account_id: AccountId,
        session_id: SessionId,
    },
}

/// Trades a refresh token for a new one. Unknown tokens and dead sessions fail.
pub fn rotate(conn: &mut DbConn, refresh_token: &str, now: NaiveDateTime) -> Result<Rotation, ApiError> {
    let found: Option<(i64, Option<NaiveDateTime>, Session)> = refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::token_hash.eq(secrets::hash(refresh_token)))
        .select((refresh_tokens::id, refresh_tokens::used_at, Session::as_select()))
        .get_result(conn)
        .optional()?;
    let (token_id, used_at, session) = found.ok_or(AuthError::RefreshTokenInvalid)?;
    if used_at.is_some_and(|used| used + REUSE_GRACE > now) {
        return Err(AuthError::RefreshTokenInvalid.into());
    }
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
        key: SessionKey {
            id: session.id,
            public_id: session.public_id,
        },
        refresh_token,
    })
}

pub fn revoke(conn: &mut DbConn, session_id: SessionId, now: NaiveDateTime) -> QueryResult<()> {
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
    account_id: AccountId,
    keep: Option<SessionId>,
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

/// Deletes sessions that ended (revoked or idle) before `cutoff`, with their refresh tokens.
pub fn purge_ended(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::revoked_at
                .lt(cutoff)
                .or(sessions::last_seen_at.lt(cutoff - IDLE_TIMEOUT)),
        ),
    )
    .execute(conn)
}
