//! One-time passwords by email (seed 002): 6 digits, valid 30 minutes, void after 5 wrong
//! tries, single use. The client holds a random challenge id; we store hashes of both.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::error::{ApiError, AuthError};
use crate::schema::otp_challenges;
use crate::secrets;

pub const OTP_LIFETIME: TimeDelta = TimeDelta::minutes(30);
pub const MAX_FAILED_ATTEMPTS: i32 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Second step of signing in.
    SignIn,
    /// Proves the owner reads a new OTP email before 2-step auth uses it.
    VerifyEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::SignIn => "sign_in",
            Self::VerifyEmail => "verify_email",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = otp_challenges)]
pub struct Challenge {
    pub id: i64,
    pub account_id: i64,
    pub purpose: String,
    pub challenge_hash: String,
    pub code_hash: String,
    pub email: String,
    pub failed_attempts: i32,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub struct Issued {
    pub challenge_id: String,
    pub code: String,
    pub expires_at: NaiveDateTime,
}

pub fn issue(
    conn: &mut DbConn,
    account_id: i64,
    purpose: Purpose,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<Issued> {
    let challenge_id = secrets::random_token();
    let code = secrets::random_otp();
    let expires_at = now + OTP_LIFETIME;
    diesel::insert_into(otp_challenges::table)
        .values((
            otp_challenges::account_id.eq(account_id),
            otp_challenges::purpose.eq(purpose.as_str()),
            otp_challenges::challenge_hash.eq(secrets::hash(&challenge_id)),
            otp_challenges::code_hash.eq(secrets::hash(&code)),
            otp_challenges::email.eq(email),
            otp_challenges::failed_attempts.eq(0),
            otp_challenges::expires_at.eq(expires_at),
            otp_challenges::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Issued {
        challenge_id,
        code,
        expires_at,
    })
}

/// A challenge that can still be answered (not used, not expired, tries left).
pub fn open_challenge(
    conn: &mut DbConn,
    challenge_id: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Challenge, ApiError> {
    let challenge: Challenge = otp_challenges::table
        .filter(otp_challenges::challenge_hash.eq(secrets::hash(challenge_id)))
        .filter(otp_challenges::purpose.eq(purpose.as_str()))
        .first(conn)
        .optional()?
        .ok_or(AuthError::OtpInvalid)?;
    if challenge.used_at.is_some() {
        return Err(AuthError::OtpInvalid.into());
    }
    if challenge.failed_attempts >= MAX_FAILED_ATTEMPTS {
        return Err(AuthError::OtpExhausted.into());
    }
    if challenge.expires_at <= now {
        return Err(AuthError::OtpExpired.into());
    }
    Ok(challenge)
}

/// Counts a failed answer (wrong code, or a refused 2-step release); the count persists
/// even though the request fails, so call it outside the request's transaction.
pub fn count_failure(conn: &mut DbConn, challenge: &Challenge) -> Result<AuthError, ApiError> {
    diesel::update(otp_challenges::table.find(challenge.id))
        .set(otp_challenges::failed_attempts.eq(otp_challenges::failed_attempts + 1))
        .execute(conn)?;
    let remaining = MAX_FAILED_ATTEMPTS - challenge.failed_attempts - 1;
    Ok(if remaining <= 0 {
        AuthError::OtpExhausted
    } else {
        AuthError::OtpIncorrect {
            remaining_tries: remaining,
        }
    })
}

/// Checks the code; a wrong one is counted.
pub fn verify(
    conn: &mut DbConn,
    challenge_id: &str,
    code: &str,
    purpose: Purpose,
    now: NaiveDateTime,
) -> Result<Challenge, ApiError> {
    let challenge = open_challenge(conn, challenge_id, purpose, now)?;
    if !secrets::hashes_match(&secrets::hash(code.trim()), &challenge.code_hash) {
        return Err(count_failure(conn, &challenge)?.into());
    }
    Ok(challenge)
}

/// Marks the challenge used; fails if a concurrent request used it first.
pub fn consume(conn: &mut DbConn, challenge: &Challenge, now: NaiveDateTime) -> Result<(), ApiError> {
    let marked = diesel::update(
        otp_challenges::table
            .find(challenge.id)
            .filter(otp_challenges::used_at.is_null()),
    )
    .set(otp_challenges::used_at.eq(now))
    .execute(conn)?;
    if marked == 0 {
        return Err(AuthError::OtpInvalid.into());
    }
    Ok(())
}

/// `taro@example.co.jp` → `ta***@example.co.jp`.
pub fn email_hint(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let shown: String = local.chars().take(2).collect();
            format!("{shown}***@{domain}")
        }
        None => "***".into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn email_hint_hides_most_of_the_local_part() {
        assert_eq!(
            super::email_hint("taro.yamada@example.co.jp"),
            "ta***@example.co.jp"
        );
        assert_eq!(super::email_hint("a@example.jp"), "a***@example.jp");
    }
}
