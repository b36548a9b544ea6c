//! Single-use, expiring links mailed to users: registration confirmation (24 h), password
//! reset (1 h), first password of an invited account (72 h), a new contact email (24 h).
//! A new link voids the older ones of the same purpose; a password change voids every
//! reset and invitation link.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::accounts::AccountId;
use crate::db::DbConn;
use crate::error::{ApiError, AuthError};
use crate::schema::account_links;
use crate::secrets;

madoguchi_types::text_enum! {
    pub enum Purpose {
        ConfirmRegistration = "confirm_registration",
        ResetPassword = "reset_password",
        SetPassword = "set_password",
        /// Confirms a new contact email (the address is stored with the link).
        ConfirmEmail = "confirm_email",
    }
}

impl Purpose {
    pub fn lifetime(self) -> TimeDelta {
        match self {
            Self::ConfirmRegistration | Self::ConfirmEmail => TimeDelta::hours(24),
            Self::ResetPassword => TimeDelta::hours(1),
            Self::SetPassword => TimeDelta::hours(72),
        }
    }
}

/// A used link: whose, and the address it confirms (for `ConfirmEmail`).
#[derive(Debug, Clone)]
pub struct Used {
    pub account_id: AccountId,
    pub email: Option<String>,
}

/// Creates a link token (voiding older unused links of the purpose); returns it and its
/// expiry.
pub fn create(
    conn: &mut DbConn,
    account_id: AccountId,
    purpose: Purpose,
    email: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<(String, NaiveDateTime)> {
    void_all(conn, account_id, &[purpose], now)?;
    let token = secrets::random_token();
    let expires_at = now + purpose.lifetime();
    diesel::insert_into(account_links::table)
        .values((
            account_links::account_id.eq(account_id),
            account_links::purpose.eq(purpose),
            account_links::token_hash.eq(secrets::hash(&token)),
            account_links::expires_at.eq(expires_at),
            account_links::created_at.eq(now),
            account_links::email.eq(email),
        ))
        .execute(conn)?;
    Ok((token, expires_at))
}

/// A link row: id, owner, expiry, use, confirmed address.
type LinkRow = (
    i64,
    AccountId,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

/// A link that can still be used: its row id and what it carries. Unknown →
/// `link_invalid`, used or voided → `link_used`, expired → `link_expired`.
fn usable(
    conn: &mut DbConn,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> Result<(i64, Used), ApiError> {
    let link: Option<LinkRow> = account_links::table
        .filter(account_links::token_hash.eq(secrets::hash(token.trim())))
        .filter(account_links::purpose.eq_any(purposes.to_vec()))
        .select((
            account_links::id,
            account_links::account_id,
            account_links::expires_at,
            account_links::used_at,
            account_links::email,
        ))
        .get_result(conn)
        .optional()?;
    let (id, account_id, expires_at, used_at, email) = link.ok_or(AuthError::LinkInvalid)?;
    if used_at.is_some() {
        return Err(AuthError::LinkUsed.into());
    }
    if expires_at <= now {
        return Err(AuthError::LinkExpired.into());
    }
    Ok((id, Used { account_id, email }))
}

/// Checks a link without using it (to prepare the change it authorises outside the
/// transaction, e.g. hashing a new password).
pub fn peek(
    conn: &mut DbConn,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> Result<Used, ApiError> {
    usable(conn, token, purposes, now).map(|(_, used)| used)
}

/// Uses a link (see [`usable`] for the refusals). Run it in the transaction of the change
/// it authorises; of two concurrent uses one fails with `link_used`.
pub fn consume(
    conn: &mut DbConn,
    token: &str,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> Result<Used, ApiError> {
    let (id, used) = usable(conn, token, purposes, now)?;
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
    Ok(used)
}

/// Voids every unused link of these purposes of the account.
pub fn void_all(
    conn: &mut DbConn,
    account_id: AccountId,
    purposes: &[Purpose],
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(account_links::table)
        .filter(account_links::account_id.eq(account_id))
        .filter(account_links::purpose.eq_any(purposes.to_vec()))
        .filter(account_links::used_at.is_null())
        .set(account_links::used_at.eq(now))
        .execute(conn)
}

/// Voids every unused link of the account, whatever its purpose (it was disabled).
pub fn void_every(conn: &mut DbConn, account_id: AccountId, now: NaiveDateTime) -> QueryResult<usize> {
    void_all(conn, account_id, Purpose::ALL, now)
}

/// Deletes links that were used or expired before `cutoff`.
pub fn purge(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        account_links::table.filter(
            account_links::used_at
                .lt(cutoff)
                .or(account_links::expires_at.lt(cutoff)),
        ),
    )
    .execute(conn)
}
