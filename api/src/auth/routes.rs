//! `/api/v1/auth/*`: sign-in (with the email OTP step and lockout), token refresh,
//! sign-out, and password / login-ID recovery.

use actix_web::{HttpResponse, post, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::auth::{
    AcceptedResponse, EmailRequest, OtpChallenge, OtpVerifyRequest, RefreshRequest, SetPasswordRequest,
    SignInRequest, SignInResponse, TokenResponse, TwoFactorReleaseRequest,
};

use super::links::{self, Purpose as LinkPurpose};
use super::otp::{self, Purpose as OtpPurpose};
use super::sessions::{self, IDLE_TIMEOUT, Rotation};
use super::{AuthUser, ClientInfo, jwt};
use crate::accounts::{self, Account, AccountStatus, password};
use crate::audit::{self, Action};
use crate::db::{self, DbConn};
use crate::domain::{CustomerNumber, EmailAddress, Invalid, LoginId, NewPassword};
use crate::error::{ApiError, AuthError, Violations};
use crate::i18n::Lang;
use crate::mail::{self, templates};
use crate::organizations;
use crate::schema::accounts as accounts_table;
use crate::startup::AppState;

/// Wrong passwords in a row that lock an account (seeds 002, 003).
pub const LOCK_AFTER_FAILURES: i32 = 4;
pub const LOCK_DURATION: TimeDelta = TimeDelta::minutes(60);

/// A new session's tokens, before the access token is signed.
struct Opened {
    account_id: i64,
    session_id: i64,
    refresh_token: String,
}

fn token_response(state: &AppState, opened: Opened) -> Result<TokenResponse, ApiError> {
    let access_token = state
        .jwt
        .issue(opened.account_id, opened.session_id, state.clock.now())
        .map_err(ApiError::internal)?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: jwt::ACCESS_TOKEN_LIFETIME.num_seconds(),
        refresh_token: opened.refresh_token,
        idle_timeout: IDLE_TIMEOUT.num_seconds(),
    })
}

fn open_session(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    how: &str,
    now: NaiveDateTime,
) -> Result<Opened, ApiError> {
    let (session_id, refresh_token) = sessions::open(
        conn,
        account.id,
        client.ip.as_deref(),
        client.user_agent.as_deref(),
        now,
    )?;
    audit::record(
        conn,
        &audit::Event::new(Action::SignIn, client.ip.as_deref())
            .by_account_itself(account.organization_id, account.id)
            .detail(how),
        now,
    )?;
    Ok(Opened {
        account_id: account.id,
        session_id,
        refresh_token,
    })
}

enum SignIn {
    Opened(Opened),
    Otp(OtpChallenge),
    Refused,
}

/// Sign in with login ID and password.
///
/// Answers tokens, or — when 2-step authentication is on — an OTP challenge (a 6-digit
/// code is mailed; finish with `POST /auth/otp`). Unknown login ID, wrong password, and a
/// locked or disabled account all answer the same 401 `invalid_credentials`. Four wrong
/// passwords in a row lock the account for 60 minutes and mail a notice.
#[utoipa::path(
    tag = "auth",
    request_body = SignInRequest,
    responses(
        (status = 200, body = SignInResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sign-in")]
pub async fn sign_in(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<SignInRequest>,
) -> Result<web::Json<SignInResponse>, ApiError> {
    let SignInRequest { login_id, password } = body.into_inner();
    let now = state.clock.now_naive();
    let outcome = db::run(&state.pool, move |conn| {
        let account = match LoginId::parse(&login_id) {
            Ok(login_id) => accounts::find_by_login_id(conn, &login_id)?,
            Err(_) => None,
        };
        let Some(account) = account else {
            password::verify_against_dummy(&password);
            let attempted: String = login_id.chars().take(64).collect();
            audit::record(
                conn,
                &audit::Event::new(Action::SignInFailed, client.ip.as_deref())
                    .detail(format!("unknown login ID {attempted:?}")),
                now,
            )?;
            return Ok(SignIn::Refused);
        };
        let password_matches = password::verify(&password, &account.password_hash);
        let refusal = if account.status() != AccountStatus::Active {
            Some("account not active")
        } else if account.is_locked(now) {
            Some("account locked")
        } else if !password_matches {
            None
        } else {
            return db::write_transaction(conn, |conn| succeed(conn, &account, &client, now));
        };
        match refusal {
            Some(reason) => audit::record(
                conn,
                &audit::Event::new(Action::SignInFailed, client.ip.as_deref())
                    .organization(account.organization_id)
                    .subject(Some(account.id))
                    .detail(reason),
                now,
            )?,
            None => db::write_transaction(conn, |conn| count_wrong_password(conn, &account, &client, now))?,
        }
        Ok(SignIn::Refused)
    })
    .await?;
    match outcome {
        SignIn::Opened(opened) => Ok(web::Json(SignInResponse::SignedIn(token_response(
            &state, opened,
        )?))),
        SignIn::Otp(challenge) => Ok(web::Json(SignInResponse::OtpRequired(challenge))),
        SignIn::Refused => Err(AuthError::InvalidCredentials.into()),
    }
}

/// Right password: clear the failure count, then a session or an OTP challenge.
fn succeed(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<SignIn, ApiError> {
    diesel::update(accounts_table::table.find(account.id))
        .set((
            accounts_table::failed_sign_ins.eq(0),
            accounts_table::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    let Some(otp_email) = account
        .otp_email
        .as_deref()
        .and_then(|email| EmailAddress::parse(email).ok())
    else {
        return Ok(SignIn::Opened(open_session(
            conn, account, client, "password", now,
        )?));
    };
    let issued = otp::issue(conn, account.id, OtpPurpose::SignIn, otp_email.as_str(), now)?;
    mail::enqueue(
        conn,
        &templates::one_time_password(account.lang(), &otp_email, &issued.code),
        now,
    )?;
    Ok(SignIn::Otp(OtpChallenge {
        challenge_id: issued.challenge_id,
        email_hint: otp::email_hint(otp_email.as_str()),
        expires_at: issued.expires_at.and_utc(),
    }))
}

fn count_wrong_password(
    conn: &mut DbConn,
    account: &Account,
    client: &ClientInfo,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let failures: i32 = diesel::update(accounts_table::table.find(account.id))
        .set(accounts_table::failed_sign_ins.eq(accounts_table::failed_sign_ins + 1))
        .returning(accounts_table::failed_sign_ins)
        .get_result(conn)?;
    let event = |action, detail: String| {
        audit::Event::new(action, client.ip.as_deref())
            .organization(account.organization_id)
            .subject(Some(account.id))
            .detail(detail)
    };
    audit::record(
        conn,
        &event(
            Action::SignInFailed,
            format!("wrong password ({failures} in a row)"),
        ),
        now,
    )?;
    if failures >= LOCK_AFTER_FAILURES {
        diesel::update(accounts_table::table.find(account.id))
            .set((
                accounts_table::failed_sign_ins.eq(0),
                accounts_table::locked_until.eq(Some(now + LOCK_DURATION)),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &event(
                Action::AccountLocked,
                format!("{LOCK_AFTER_FAILURES} wrong passwords"),
            ),
            now,
        )?;
        mail::notify(conn, account, now, |lang, to, account| {
            templates::account_locked(
                lang,
                to,
                &account.full_name,
                &account.login_id,
                LOCK_DURATION.num_minutes(),
            )
        })?;
    }
    Ok(())
}

/// Second step: the 6-digit code from the mail. Valid 30 minutes, void after 5 wrong
/// tries, single use.
#[utoipa::path(
    tag = "auth",
    request_body = OtpVerifyRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/otp")]
pub async fn verify_otp(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<OtpVerifyRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let OtpVerifyRequest { challenge_id, code } = body.into_inner();
    let now = state.clock.now_naive();
    let opened = db::run(&state.pool, move |conn| {
        // Outside a transaction: a wrong code's count must persist.
        let challenge = otp::verify(conn, &challenge_id, &code, OtpPurpose::SignIn, now)?;
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?;
            let account = signable_account(conn, challenge.account_id, now)?;
            open_session(conn, &account, &client, "password + one-time password", now)
        })
    })
    .await?;
    Ok(web::Json(token_response(&state, opened)?))
}

fn signable_account(conn: &mut DbConn, account_id: i64, now: NaiveDateTime) -> Result<Account, ApiError> {
    let account = accounts::find(conn, account_id)?.ok_or(AuthError::InvalidCredentials)?;
    if account.status() != AccountStatus::Active || account.is_locked(now) {
        return Err(AuthError::InvalidCredentials.into());
    }
    Ok(account)
}

/// Lost the OTP email: release 2-step authentication (seed 002) with the registered OTP
/// email, the customer number (N + 9 digits) and the contractor name, then sign in. Each
/// refused try counts against the challenge's 5 tries.
#[utoipa::path(
    tag = "auth",
    request_body = TwoFactorReleaseRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/otp/release")]
pub async fn release_two_factor(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<TwoFactorReleaseRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let request = body.into_inner();
    let now = state.clock.now_naive();
    let opened = db::run(&state.pool, move |conn| {
        let challenge = otp::open_challenge(conn, &request.challenge_id, OtpPurpose::SignIn, now)?;
        let account = signable_account(conn, challenge.account_id, now)?;
        if !release_details_match(conn, &account, &request)? {
            return Err(match otp::count_failure(conn, &challenge)? {
                AuthError::OtpExhausted => AuthError::OtpExhausted,
                _ => AuthError::TwoFactorReleaseRefused,
            }
            .into());
        }
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?;
            diesel::update(accounts_table::table.find(account.id))
                .set(accounts_table::otp_email.eq(None::<String>))
                .execute(conn)?;
            audit::record(
                conn,
                &audit::Event::new(Action::TwoFactorReleased, client.ip.as_deref())
                    .by_account_itself(account.organization_id, account.id),
                now,
            )?;
            mail::notify(conn, &account, now, |lang, to, account| {
                templates::two_factor_changed(lang, to, &account.full_name, false)
            })?;
            open_session(conn, &account, &client, "2-step authentication released", now)
        })
    })
    .await?;
    Ok(web::Json(token_response(&state, opened)?))
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

/// Trade a refresh token for new tokens. Each refresh token works once: presenting a used
/// one again (a replay) ends the whole session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let token = body.into_inner().refresh_token;
    let now = state.clock.now_naive();
    let opened = db::run(&state.pool, move |conn| {
        match db::write_transaction(conn, |conn| sessions::rotate(conn, &token, now))? {
            Rotation::Rotated {
                account_id,
                session_id,
                refresh_token,
            } => {
                signable_account(conn, account_id, now).map_err(|_| AuthError::RefreshTokenInvalid)?;
                Ok(Opened {
                    account_id,
                    session_id,
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
                    &audit::Event::new(Action::RefreshTokenReused, client.ip.as_deref())
                        .organization(organization_id)
                        .subject(Some(account_id))
                        .detail(format!("session {session_id} revoked")),
                    now,
                )?;
                Err(AuthError::RefreshTokenInvalid.into())
            }
        }
    })
    .await?;
    Ok(web::Json(token_response(&state, opened)?))
}

/// End the caller's session: its access and refresh tokens stop working at once.
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
                &audit::Event::new(Action::SignOut, client.ip.as_deref())
                    .by_account_itself(user.organization_id, user.account_id),
                now,
            )?;
            Ok(())
        })
        .await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

fn parse_email(raw: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(raw).map_err(|reason| ApiError::invalid("email", reason))
}

fn accepted(lang: Lang) -> HttpResponse {
    HttpResponse::Accepted().json(AcceptedResponse {
        message: lang
            .pick(
                "ご登録のメールアドレスであれば、ご案内をお送りしました。",
                "If this address is registered, we have sent it a mail.",
            )
            .into(),
    })
}

/// Forgot the login ID: mails the login IDs registered with this contact email. The answer
/// is the same whether or not the address is registered.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, body = AcceptedResponse),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/forgot-login-id")]
pub async fn forgot_login_id(
    state: web::Data<AppState>,
    lang: Lang,
    body: web::Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = parse_email(&body.email)?;
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let found = accounts::find_active_by_email(conn, &email)?;
        if let Some(first) = found.first() {
            let login_ids: Vec<String> = found.iter().map(|account| account.login_id.clone()).collect();
            mail::enqueue(
                conn,
                &templates::login_id_reminder(first.lang(), &email, &login_ids),
                now,
            )?;
        }
        Ok(())
    })
    .await?;
    Ok(accepted(lang))
}

/// Forgot the password: mails a single-use reset link (valid 1 hour) for each account with
/// this contact email. The answer is the same whether or not the address is registered.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, body = AcceptedResponse),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/forgot-password")]
pub async fn forgot_password(
    state: web::Data<AppState>,
    lang: Lang,
    body: web::Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = parse_email(&body.email)?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    db::transaction(&state.pool, move |conn| {
        for account in accounts::find_active_by_email(conn, &email)? {
            let (token, _) = links::create(conn, account.id, LinkPurpose::ResetPassword, now)?;
            let url = format!("{base_url}/reset-password?token={token}");
            let notice = templates::password_reset(
                account.lang(),
                &email,
                &account.full_name,
                &account.login_id,
                &url,
            );
            mail::enqueue(conn, &notice, now)?;
        }
        Ok(())
    })
    .await?;
    Ok(accepted(lang))
}

/// Set a new password with a mailed link: a reset link, or the first password of an
/// account an administrator created. Ends every session of the account and unlocks it.
#[utoipa::path(
    tag = "auth",
    request_body = SetPasswordRequest,
    responses(
        (status = 204, description = "Password set"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 410, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password")]
pub async fn set_password(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<SetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let account_id = links::consume(
            conn,
            &request.token,
            &[LinkPurpose::ResetPassword, LinkPurpose::SetPassword],
            now,
        )?;
        let account = accounts::find(conn, account_id)?.ok_or(AuthError::LinkInvalid)?;
        let login_id = LoginId::parse(&account.login_id).map_err(ApiError::internal)?;
        let password = parse_new_password(
            &request.password,
            &request.password_confirmation,
            &login_id,
            "password",
        )?;
        replace_password(conn, &account, &password, None, now)?;
        audit::record(
            conn,
            &audit::Event::new(Action::PasswordReset, client.ip.as_deref())
                .by_account_itself(account.organization_id, account.id),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
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

/// Stores a new password hash, unlocks the account, ends its sessions (but `keep`), and
/// mails a notice.
pub fn replace_password(
    conn: &mut DbConn,
    account: &Account,
    password: &NewPassword,
    keep_session: Option<i64>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let hash = password::hash(password.expose()).map_err(ApiError::internal)?;
    diesel::update(accounts_table::table.find(account.id))
        .set((
            accounts_table::password_hash.eq(hash),
            accounts_table::failed_sign_ins.eq(0),
            accounts_table::locked_until.eq(None::<NaiveDateTime>),
            accounts_table::updated_at.eq(now),
        ))
        .execute(conn)?;
    sessions::revoke_all(conn, account.id, keep_session, now)?;
    mail::notify(conn, account, now, |lang, to, account| {
        templates::password_changed(lang, to, &account.full_name, &account.login_id)
    })?;
    Ok(())
}
