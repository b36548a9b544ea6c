//! Single-use, expiring links mailed to users: registration confirmation (24 h), password
//! reset (1 h), first password of an invited account (72 h).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::{ApiError, AuthError};
use crate::schema::account_links;
use crate::secrets;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    ConfirmRegistration,
    ResetPassword,
    SetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::ConfirmRegistration => "confirm_registration",
            Self::ResetPassword => "reset_password",
            Self::SetPassword => "set_password",
        }
    }

    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::ConfirmRegistration => TimeDelta::hours(24),
            Self::ResetPassword => TimeDelta::hours(1),
            Self::SetPassword => TimeDelta::hours(72),
        }
    }
}

/// Creates a link token; returns it and its expiry.
pub fn create(
    conn: &mut DbConn,
    account_id: i64,
    purpose: Purpose,
    now: NaiveDateTime,
) -> QueryResult<(String, NaiveDateTime)> {
    let token = secrets::random_token();
    let expires_at = now + purpose.lifetime();
    diesel::insert_into(account_links::table)
        .values((
            account_links::account_id.eq(account_id),
            account_links::purpose.eq(purpose.as_str()),
            account_links::token_hash.eq(secrets::hash(&token)),
            account_links::expires_at.eq(expires_at),
            account_links::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok((token, expires_at))
}

/// Uses a link: returns its account id. Unknown → `link_invalid`, used → `link_used`,
/// expired → `link_expired`. Run it in the transaction of the change it authorises.
pub fn consume(
    conn: &mut DbConn,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> Result<i64, ApiError> {
    let allowed: Vec<&str> = purposes.iter().map(|purpose| purpose.as_str()).collect();
    let link: Option<(i64, i64, NaiveDateTime, Option<NaiveDateTime>)> = account_links::table
        .filter(account_links::token_hash.eq(secrets::hash(token.trim())))
        .filter(account_links::purpose.eq_any(allowed))
        .select((
            account_links::id,
            account_links::account_id,
            account_links::expires_at,
            account_links::used_at,
        ))
        .first(conn)
        .optional()?;
    let (id, account_id, expires_at, used_at) = link.ok_or(AuthError::LinkInvalid)?;
    if used_at.is_some() {
        return Err(AuthError::LinkUsed.into());
    }
    if expires_at <= now {
        return Err(AuthError::LinkExpired.into());
    }
    let marked = diesel::update(
        account_links::table
            .find(id)
            .filter(account_links::used_at.is_null()),
    )
    .set(account_links::used_at.eq(now))
    .execute(conn)?;
    if marked == 0 {
        return Err(AuthError::LinkUsed.into());
    }
    Ok(account_id)
}
