//! Passwords: Argon2id hashing (the crate defaults m = 19 MiB, t = 2, p = 1, OWASP's
//! recommended minimum), the policy of SPEC §3.2, checks under the lockout rule of §3.3,
//! and replacing a password (which voids everything issued under the old one).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::NaiveDateTime;
use madoguchi_types::accounts::AuditAction;
use serde_json::json;

use super::{Account, LOCK_AFTER_FAILURES, LOCK_DURATION, api_tokens};
use crate::app::AppState;
use crate::audit;
use crate::auth::{links, otp, sessions};
use crate::db::{self, DbConn};
use crate::domain::{Invalid, LoginId, NewPassword};
use crate::error::{ApiError, Violations};
use crate::mail::{self, templates};
use crate::net::ClientInfo;

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) with a fresh random salt. Blocking
/// (~25 ms): call it through [`db::blocking`], never inside a transaction.
pub fn hash(password: &str) -> Result<String, HashError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|error| HashError(error.to_string()))
}

/// [`hash`] off the async workers.
pub async fn hash_off_thread(password: &NewPassword) -> Result<String, ApiError> {
    let password = password.expose().to_owned();
    db::blocking(move || hash(&password))
        .await?
        .map_err(ApiError::internal)
}

/// Whether `password` matches `phc`. A stored value that is no hash (an invited account
/// without a password yet) never matches, after the same work as a real check, so that
/// the answer time does not tell such accounts apart.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => {
            verify_against_dummy(password);
            false
        }
    }
}

/// Spends the time of a real check, for a login ID that does not exist or a locked
/// account, so that response times tell nothing.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let dummy = DUMMY.get_or_init(|| hash(&crate::secrets::random_token()).unwrap_or_default());
    if let Ok(parsed) = PasswordHash::new(dummy) {
        let _ = Argon2::default().verify_password(password.as_bytes(), &parsed);
    }
}

/// The new password and its confirmation, both checked, every problem listed.
pub fn parse_new_password(
    password: &str,
    confirmation: &str,
    login_id: &LoginId,
    field: &str,
) -> Result<NewPassword, ApiError> {
    let mut violations = Violations::default();
    let parsed = check_new_password(&mut violations, password, confirmation, login_id, field);
    match parsed {
        Some(password) if violations.is_empty() => Ok(password),
        _ => Err(violations.into_error()),
    }
}

/// Checks a new password (under `field`) and its confirmation (`<field>_confirmation`),
/// adding what is wrong to `violations`.
pub fn check_new_password(
    violations: &mut Violations,
    password: &str,
    confirmation: &str,
    login_id: &LoginId,
    field: &str,
) -> Option<NewPassword> {
    let parsed = violations.check(field, NewPassword::parse(password, login_id));
    if password != confirmation {
        violations.add(format!("{field}_confirmation"), Invalid::Mismatch);
    }
    parsed
}

/// The outcome of a password check under the lockout rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    Correct,
    /// Wrong; counted (the fourth in a row locked the account).
    Wrong,
    /// The account is locked: the password was not checked.
    Locked,
}

/// Why a password is being checked, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckPurpose {
    SignIn,
    /// The current password confirming a change while signed in (password, 2-step auth,
    /// contact email): the same lockout applies, so a stolen session cannot guess it.
    Confirmation,
}

/// Checks `given` against the account's password. At most [`LOCK_AFTER_FAILURES`] checks
/// happen per lock whatever the concurrency (the check is reserved atomically first); the
/// Argon2 work runs outside any transaction; the fourth wrong one locks the account for
/// [`LOCK_DURATION`], records it once and mails a notice.
pub async fn check_with_lockout(
    state: &AppState,
    account: &Account,
    given: &str,
    purpose: CheckPurpose,
    client: &ClientInfo,
) -> Result<PasswordCheck, ApiError> {
    let now = state.clock.now_naive();
    let id = account.id;
    let reserved = db::run(&state.pool, move |conn| {
        Ok(super::reserve_password_check(conn, id, now)?)
    })
    .await?;
    let given_owned = given.to_owned();
    let Some((number, stored_hash)) = reserved else {
        db::blocking(move || verify_against_dummy(&given_owned)).await?;
        let account = account.clone();
        let client = client.clone();
        db::run(&state.pool, move |conn| {
            record_refusal(conn, &account, purpose, &client, json!({"reason": "locked"}), now)
        })
        .await?;
        return Ok(PasswordCheck::Locked);
    };
    let correct = db::blocking(move || verify(&given_owned, &stored_hash)).await?;
    let account = account.clone();
    let client = client.clone();
    db::transaction(&state.pool, move |conn| {
        if correct {
            super::clear_failures(conn, account.id)?;
            return Ok(PasswordCheck::Correct);
        }
        record_refusal(
            conn,
            &account,
            purpose,
            &client,
            json!({"reason": "wrong_password", "in_a_row": number}),
            now,
        )?;
        if number >= LOCK_AFTER_FAILURES {
            let why = json!({"wrong_passwords": LOCK_AFTER_FAILURES});
            lock(conn, &account, &client, why, now)?;
        }
        Ok(PasswordCheck::Wrong)
    })
    .await
}

fn record_refusal(
    conn: &mut DbConn,
    account: &Account,
    purpose: CheckPurpose,
    client: &ClientInfo,
    detail: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let action = match purpose {
        CheckPurpose::SignIn => AuditAction::SignInFailed,
        CheckPurpose::Confirmation => AuditAction::PasswordCheckFailed,
    };
    audit::record(
        conn,
        &audit::Event::new(action, client)
            .organization(account.organization_id)
            .subject(Some(account.id))
            .detail(detail),
        now,
    )?;
    Ok(())
}

/// Locks the account for [`LOCK_DURATION`], records why (`why`, an object the audit detail
/// extends) and mails its owner a notice.
pub fn lock(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    why: serde_json::Value,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    super::lock(conn, account.id, now + LOCK_DURATION)?;
    let mut detail = why.clone();
    detail["minutes"] = json!(LOCK_DURATION.num_minutes());
    audit::record(
        conn,
        &audit::Event::new(AuditAction::AccountLocked, client)
            .organization(account.organization_id)
            .subject(Some(account.id))
            .detail(detail),
        now,
    )?;
    mail::notify(
        conn,
        account,
        &templates::AccountLocked {
            login_id: &account.login_id,
            minutes: LOCK_DURATION.num_minutes(),
            wrong_codes: why.get("exhausted_codes").is_some(),
        },
        now,
    )
}

/// What else ends when a password is replaced.
#[derive(Debug, Clone, Copy)]
pub struct Replacement {
    /// The caller's own session survives a change made from it.
    pub keep_session: Option<sessions::SessionId>,
    pub revoke_api_tokens: bool,
}

/// Stores a new password hash (computed beforehand with [`hash_off_thread`]) and voids what
/// was issued under the old one: every other session, every outstanding reset or
/// invitation link, a contact-email change waiting for confirmation (whoever holds a
/// stolen session may have started it), every open one-time password, and (if asked) the
/// API tokens; the account is unlocked and its owner told by mail. Run it in the change's
/// transaction.
pub fn replace(
    conn: &mut DbConn,
    account: &Account,
    new_hash: &str,
    replacement: Replacement,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    super::set_password_hash(conn, account.id, new_hash, now)?;
    sessions::revoke_all(conn, account.id, replacement.keep_session, now)?;
    links::void_all(
        conn,
        account.id,
        &[
            links::Purpose::ResetPassword,
            links::Purpose::SetPassword,
            links::Purpose::ConfirmEmail,
        ],
        now,
    )?;
    if account.pending_email.is_some() {
        super::set_pending_email(conn, account.id, None, now)?;
    }
    otp::void_all(conn, account.id, now)?;
    let tokens_revoked = if replacement.revoke_api_tokens {
        api_tokens::revoke_all(conn, account.id, now)?
    } else {
        0
    };
    mail::notify(
        conn,
        account,
        &templates::PasswordChanged {
            login_id: &account.login_id,
            api_tokens_revoked: tokens_revoked,
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_with_argon2id_and_verifies() {
        let phc = hash("Correct-Horse-42").expect("hashes");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("Correct-Horse-42", &phc));
        assert!(!verify("Correct-Horse-43", &phc));
        assert!(!verify("Correct-Horse-42", "not a hash"));
        assert!(!verify("Correct-Horse-42", super::super::UNUSABLE_PASSWORD_HASH));
        assert_ne!(phc, hash("Correct-Horse-42").expect("hashes"), "salts differ");
    }

    /// An invited account without a password costs a full check too (no timing tell).
    #[test]
    fn an_unusable_hash_costs_a_full_check() {
        let phc = hash("Correct-Horse-42").expect("hashes");
        let time = |stored: &str| {
            let started = std::time::Instant::now();
            for _ in 0..3 {
                let _ = verify("Correct-Horse-43", stored);
            }
            started.elapsed()
        };
        let real = time(&phc);
        let unusable = time(super::super::UNUSABLE_PASSWORD_HASH);
        assert!(unusable * 2 > real, "unusable {unusable:?} vs real {real:?}");
    }
}
