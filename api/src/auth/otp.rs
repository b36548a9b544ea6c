//! One-time passwords by email (seed 002): 6 digits, valid 30 minutes, void after 5 wrong
//! tries, single use; a new code voids the older open ones of the same purpose. The client
//! holds a random challenge id; we store hashes of both.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::accounts::AccountId;
use crate::db::DbConn;
use crate::domain::Invalid;
use crate::error::{ApiError, AuthError};
use crate::schema::otp_challenges;
use crate::secrets;

pub const OTP_LIFETIME: TimeDelta = TimeDelta::minutes(30);
pub const MAX_FAILED_ATTEMPTS: i32 = 5;

madoguchi_types::text_enum! {
    pub enum Purpose {
        /// Second step of signing in.
        SignIn = "sign_in",
        /// Proves the owner reads a new OTP email before 2-step auth uses it.
        VerifyEmail = "verify_email",
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = otp_challenges)]
pub struct Challenge {
    pub id: i64,
    pub account_id: AccountId,
    pub purpose: Purpose,
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

/// Why a code was not accepted. Signing in answers these as 401; a signed-in user's step
/// (confirming a new OTP email) as a field error on `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Incorrect {
        remaining_tries: i32,
    },
    Expired,
    /// Five wrong codes.
    Exhausted,
    /// Unknown, used or voided.
    Invalid,
}

impl Failure {
    pub fn into_auth_error(self) -> ApiError {
        match self {
            Self::Incorrect { remaining_tries } => AuthError::OtpIncorrect { remaining_tries },
            Self::Expired => AuthError::OtpExpired,
            Self::Exhausted => AuthError::OtpExhausted,
            Self::Invalid => AuthError::OtpInvalid,
        }
        .into()
    }

    pub fn into_field_error(self, field: &str) -> ApiError {
        match self {
            Self::Incorrect { remaining_tries } => {
                ApiError::invalid(field, Invalid::CodeIncorrect { remaining_tries })
            }
            Self::Expired | Self::Exhausted | Self::Invalid => {
                ApiError::invalid(field, Invalid::CodeNotUsable)
            }
        }
    }
}

pub fn issue(
    conn: &mut DbConn,
    account_id: AccountId,
    purpose: Purpose,
    email: &str,
    now: NaiveDateTime,
) -> QueryResult<Issued> {
    diesel::update(otp_challenges::table)
        .filter(otp_challenges::account_id.eq(account_id))
        .filter(otp_challenges::purpose.eq(purpose))
        .filter(otp_challenges::used_at.is_null())
        .set(otp_challenges::used_at.eq(now))
        .execute(conn)?;
    let challenge_id = secrets::random_token();
    let code = secrets::random_otp();
    let expires_at = now + OTP_LIFETIME;
    diesel::insert_into(otp_challenges::table)
        .values((
            otp_challenges::account_id.eq(account_id),
            otp_challenges::purpose.eq(purpose),
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
) -> QueryResult<Result<Challenge, Failure>> {
    let challenge: Option<Challenge> = otp_challenges::table
        .filter(otp_challenges::challenge_hash.eq(secrets::hash(challenge_id)))
        .filter(otp_challenges::purpose.eq(purpose))
        .select(Challenge::as_select())
        .get_result(conn)
        .optional()?;
    let Some(challenge) = challenge else {
        return Ok(Err(Failure::Invalid));
    };
    Ok(if challenge.used_at.is_some() {
        Err(Failure::Invalid)
    } else if challenge.failed_attempts >= MAX_FAILED_ATTEMPTS {
        Err(Failure::Exhausted)
    } else if challenge.expires_at <= now {
        Err(Failure::Expired)
    } else {
        Ok(challenge)
    })
}

/// Counts a failed answer (wrong code, or a refused 2-step release). The count must
/// persist although the request fails: call it outside the request's transaction. Only
/// answers that find the count below the limit are counted, so parallel guesses get no
/// more than five.
pub fn count_failure(conn: &mut DbConn, challenge: &Challenge) -> QueryResult<Failure> {
    let counted: Option<i32> = diesel::update(
        otp_challenges::table
            .find(challenge.id)
            .filter(otp_challenges::failed_attempts.lt(MAX_FAILED_ATTEMPTS)),
    )
    .set(otp_challenges::failed_attempts.eq(otp_challenges::failed_attempts + 1))
    .returning(otp_challenges::failed_attempts)
    .get_result(conn)
    .optional()?;
    let remaining = MAX_FAILED_ATTEMPTS - counted.unwrap_or(MAX_FAILED_ATTEMPTS);
    Ok(if remaining <= 0 {
        Failure::Exhausted
    } else {
        Failure::Incorrect {
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
) -> QueryResult<Result<Challenge, Failure>> {
    let challenge = match open_challenge(conn, challenge_id, purpose, now)? {
        Ok(challenge) => challenge,
        Err(failure) => return Ok(Err(failure)),
    };
    if !secrets::hashes_match(&secrets::hash(code.trim()), &challenge.code_hash) {
        return Ok(Err(count_failure(conn, &challenge)?));
    }
    Ok(Ok(challenge))
}

/// Marks the challenge used; fails if a concurrent request used it first.
pub fn consume(
    conn: &mut DbConn,
    challenge: &Challenge,
    now: NaiveDateTime,
) -> QueryResult<Result<(), Failure>> {
    let marked = diesel::update(
        otp_challenges::table
            .find(challenge.id)
            .filter(otp_challenges::used_at.is_null()),
    )
    .set(otp_challenges::used_at.eq(now))
    .execute(conn)?;
    Ok(if marked == 0 {
        Err(Failure::Invalid)
    } else {
        Ok(())
    })
}

/// Voids every open challenge of the account (its password changed).
pub fn void_all(conn: &mut DbConn, account_id: AccountId, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(otp_challenges::table)
        .filter(otp_challenges::account_id.eq(account_id))
        .filter(otp_challenges::used_at.is_null())
        .set(otp_challenges::used_at.eq(now))
        .execute(conn)
}

/// Challenges of the account for `purpose` created since `since` that five wrong answers
/// used up.
pub fn exhausted_since(
    conn: &mut DbConn,
    account_id: AccountId,
    purpose: Purpose,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    otp_challenges::table
        .filter(otp_challenges::account_id.eq(account_id))
        .filter(otp_challenges::purpose.eq(purpose))
        .filter(otp_challenges::failed_attempts.ge(MAX_FAILED_ATTEMPTS))
        .filter(otp_challenges::created_at.ge(since))
        .count()
        .get_result(conn)
}

/// Deletes the account's used-up challenges for `purpose`: they were counted (the account
/// was locked for them) and must not count again once it is unlocked.
pub fn forget_exhausted(conn: &mut DbConn, account_id: AccountId, purpose: Purpose) -> QueryResult<usize> {
    diesel::delete(
        otp_challenges::table
            .filter(otp_challenges::account_id.eq(account_id))
            .filter(otp_challenges::purpose.eq(purpose))
            .filter(otp_challenges::failed_attempts.ge(MAX_FAILED_ATTEMPTS)),
    )
    .execute(conn)
}

/// Deletes challenges that expired before `cutoff`.
pub fn purge(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(otp_challenges::table.filter(otp_challenges::expires_at.lt(cutoff))).execute(conn)
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
