//! Signing in: login ID and password (under the lockout rule), then — with 2-step
//! authentication on — the mailed one-time password, or the release of 2-step
//! authentication when the OTP email is lost (seed 002).

use actix_web::{HttpResponse, post, web};
use chrono::NaiveDateTime;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AccountStatus, AuditAction};
use madoguchi_types::auth::{
    OtpChallenge, OtpVerifyRequest, SignInRequest, SignInResponse, TokenResponse, TwoFactorReleaseRequest,
};
use serde_json::json;

use super::otp::{self, Purpose as OtpPurpose};
use super::tokens::{self, Issued};
use crate::accounts::password::{self, CheckPurpose, PasswordCheck};
use crate::accounts::{self, Account};
use crate::app::AppState;
use crate::audit;
use crate::db::{self, DbConn};
use crate::domain::{CustomerNumber, EmailAddress, Invalid, LoginId};
use crate::error::{ApiError, AuthError, Violations};
use crate::json::Json;
use crate::mail::{self, Quota, templates};
use crate::net::ClientInfo;
use crate::organizations;

/// Sign in with login ID and password.
///
/// Answers tokens, or — when 2-step authentication is on — an OTP challenge (a 6-digit
/// code is mailed; finish with `POST /auth/otp`). Unknown login ID, wrong password, and a
/// locked or disabled account all answer the same 401 `invalid_credentials` in the same
/// time. Four wrong passwords in a row lock the account for 60 minutes and mail a notice;
/// so do three one-time passwords used up by wrong answers within those 60 minutes.
#[utoipa::path(
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, description = "Signed in, or a one-time password was mailed", body = SignInResponse),
        (status = 401, description = "Login ID or password wrong, or the account locked or disabled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is empty", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sign-in")]
pub async fn sign_in(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<SignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let mut violations = Violations::default();
    for (field, value) in [("login_id", &request.login_id), ("password", &request.password)] {
        if value.trim().is_empty() {
            violations.add(field, Invalid::Required);
        }
    }
    violations.finish()?;
    let account = match LoginId::parse(&request.login_id) {
        Ok(login_id) => {
            db::run(&state.pool, move |conn| {
                Ok(accounts::find_by_login_id(conn, &login_id)?)
            })
            .await?
        }
        Err(_) => None,
    };
    let Some(account) = account.filter(|account| account.status == AccountStatus::Active) else {
        refuse_unknown(&state, &client, &request.login_id, request.password).await?;
        return Err(AuthError::InvalidCredentials.into());
    };
    let check =
        password::check_with_lockout(&state, &account, &request.password, CheckPurpose::SignIn, &client)
            .await?;
    if check != PasswordCheck::Correct {
        return Err(AuthError::InvalidCredentials.into());
    }
    let now = state.clock.now_naive();
    let delivery = request.refresh_token_delivery;
    let outcome = db::transaction(&state.pool, move |conn| {
        second_step_or_session(conn, &account, &client, now)
    })
    .await?;
    match outcome {
        Step::Opened(issued) => {
            let (tokens, cookie) = tokens::token_response(&state, issued, delivery)?;
            Ok(tokens::respond_with(&SignInResponse::SignedIn(tokens), cookie))
        }
        Step::Otp(challenge) => Ok(HttpResponse::Ok().json(SignInResponse::OtpRequired(challenge))),
        Step::Locked => Err(AuthError::InvalidCredentials.into()),
    }
}

/// An unknown login ID or an inactive account: the same work and the same answer as a
/// wrong password.
async fn refuse_unknown(
    state: &AppState,
    client: &ClientInfo,
    login_id: &str,
    password: String,
) -> Result<(), ApiError> {
    db::blocking(move || password::verify_against_dummy(&password)).await?;
    let attempted: String = login_id.chars().take(64).collect();
    let (client, now) = (client.clone(), state.clock.now_naive());
    db::run(&state.pool, move |conn| {
        audit::record(
            conn,
            &audit::Event::new(AuditAction::SignInFailed, &client)
                .detail(json!({"reason": "unknown_or_inactive", "login_id": attempted})),
            now,
        )?;
        Ok(())
    })
    .await
}

enum Step {
    Opened(Issued),
    Otp(OtpChallenge),
    /// The password was right, but too many codes were guessed at: locked, not a new code.
    Locked,
}

/// Used-up sign-in codes (five wrong answers each) within [`accounts::LOCK_DURATION`] that
/// lock the account. Each new code gives five more guesses; without this cap someone who
/// knows the password could ask for codes until one guess hits.
const EXHAUSTED_CODES_BEFORE_LOCK: i64 = 3;

/// Right password: a session, or the mailed code first.
fn second_step_or_session(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<Step, ApiError> {
    let Some(otp_email) = account
        .otp_email
        .as_deref()
        .and_then(|email| EmailAddress::parse(email).ok())
    else {
        return Ok(Step::Opened(tokens::open_session(
            conn, account, client, "password", now,
        )?));
    };
    let since = now - accounts::LOCK_DURATION;
    let exhausted = otp::exhausted_since(conn, account.id, OtpPurpose::SignIn, since)?;
    if exhausted >= EXHAUSTED_CODES_BEFORE_LOCK {
        otp::forget_exhausted(conn, account.id, OtpPurpose::SignIn)?;
        otp::void_all(conn, account.id, now)?;
        password::lock(conn, account, client, json!({"exhausted_codes": exhausted}), now)?;
        return Ok(Step::Locked);
    }
    let issued = otp::issue(conn, account.id, OtpPurpose::SignIn, otp_email.as_str(), now)?;
    mail::enqueue(
        conn,
        &otp_email,
        account.lang(),
        &templates::OneTimePassword { code: &issued.code },
        // The owner's own sign-in: a flood of recovery mails must not keep its code out.
        Quota::Exempt,
        now,
    )?;
    Ok(Step::Otp(OtpChallenge {
        challenge_id: issued.challenge_id,
        email_hint: otp::email_hint(otp_email.as_str()),
        expires_at: issued.expires_at.and_utc(),
    }))
}

fn signable_account(
    conn: &mut DbConn,
    account_id: accounts::AccountId,
    now: NaiveDateTime,
) -> Result<Account, ApiError> {
    let account = accounts::find(conn, account_id)?.ok_or(AuthError::InvalidCredentials)?;
    if account.status != AccountStatus::Active || account.is_locked(now) {
        return Err(AuthError::InvalidCredentials.into());
    }
    Ok(account)
}

/// Second step: the 6-digit code from the mail. Valid 30 minutes, void after 5 wrong
/// tries, single use.
#[utoipa::path(
    tag = "auth",
    request_body = OtpVerifyRequest,
    responses(
        (status = 200, description = "Signed in", body = TokenResponse),
        (status = 401, description = "Wrong, expired, used or exhausted code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/otp")]
pub async fn verify_otp(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<OtpVerifyRequest>,
) -> Result<HttpResponse, ApiError> {
    let OtpVerifyRequest {
        challenge_id,
        code,
        refresh_token_delivery,
    } = body.into_inner();
    let now = state.clock.now_naive();
    let issued = db::run(&state.pool, move |conn| {
        // Outside a transaction: a wrong code's count must persist.
        let challenge = otp::verify(conn, &challenge_id, &code, OtpPurpose::SignIn, now)?
            .map_err(otp::Failure::into_auth_error)?;
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?.map_err(otp::Failure::into_auth_error)?;
            let account = signable_account(conn, challenge.account_id, now)?;
            tokens::open_session(conn, &account, &client, "password_and_one_time_password", now)
        })
    })
    .await?;
    let (tokens, cookie) = tokens::token_response(&state, issued, refresh_token_delivery)?;
    Ok(tokens::respond_with(&tokens, cookie))
}

/// Lost the OTP email: release 2-step authentication (seed 002) with the registered OTP
/// email, the customer number (N + 9 digits) and the contractor name, then sign in. Each
/// refused try counts against the challenge's 5 tries.
#[utoipa::path(
    tag = "auth",
    request_body = TwoFactorReleaseRequest,
    responses(
        (status = 200, description = "Released and signed in", body = TokenResponse),
        (status = 401, description = "The details do not match, or the challenge is not usable", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/otp/release")]
pub async fn release_two_factor(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<TwoFactorReleaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let delivery = request.refresh_token_delivery;
    let now = state.clock.now_naive();
    let issued = db::run(&state.pool, move |conn| {
        let challenge = otp::open_challenge(conn, &request.challenge_id, OtpPurpose::SignIn, now)?
            .map_err(otp::Failure::into_auth_error)?;
        let account = signable_account(conn, challenge.account_id, now)?;
        if !release_details_match(conn, &account, &request)? {
            return Err(match otp::count_failure(conn, &challenge)? {
                otp::Failure::Exhausted => AuthError::OtpExhausted,
                _ => AuthError::TwoFactorReleaseRefused,
            }
            .into());
        }
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?.map_err(otp::Failure::into_auth_error)?;
            accounts::set_otp_email(conn, account.id, None, now)?;
            audit::record(
                conn,
                &audit::Event::new(AuditAction::TwoFactorReleased, &client)
                    .by_account_itself(account.organization_id, account.id),
                now,
            )?;
            mail::notify(
                conn,
                &account,
                &templates::TwoFactorChanged {
                    enabled: false,
                    email_hint: String::new(),
                },
                now,
            )?;
            tokens::open_session(conn, &account, &client, "two_factor_released", now)
        })
    })
    .await?;
    let (tokens, cookie) = tokens::token_response(&state, issued, delivery)?;
    Ok(tokens::respond_with(&tokens, cookie))
}

fn release_details_match(
    conn: &mut DbConn,
    account: &Account,
    request: &TwoFactorReleaseRequest,
) -> Result<bool, ApiError> {
    let (Some(otp_email), Some(organization_id)) = (&account.otp_email, account.organization_id) else {
        return Ok(false);
    };
    let Some(organization) = organizations::find(conn, organization_id)? else {
        return Ok(false);
    };
    let email_matches =
        EmailAddress::parse(&request.registered_email).is_ok_and(|email| email.as_str() == otp_email);
    let number_matches = CustomerNumber::parse(&request.customer_number)
        .is_ok_and(|number| number.as_str() == organization.customer_number);
    let name_matches = normalize_name(&request.contractor_name) == normalize_name(&organization.name);
    Ok(email_matches && number_matches && name_matches)
}

/// Spaces (half- or full-width) and ASCII case do not matter when comparing names.
fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
