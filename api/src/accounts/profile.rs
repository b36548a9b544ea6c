//! マイページ: the caller's profile, password change, and 2-step authentication.

use actix_web::{HttpResponse, get, patch, post, web};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{
    OrganizationSummary, PasswordChangeRequest, PasswordRequest, Profile, ProfileUpdate,
    TwoFactorConfirmRequest,
};
use madoguchi_types::auth::{EmailRequest, OtpChallenge};

use super::{Account, password};
use crate::audit::{self, Action};
use crate::auth::otp::{self, Purpose as OtpPurpose};
use crate::auth::routes::{parse_new_password, replace_password};
use crate::auth::{AuthUser, ClientInfo};
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId, domains_compatible};
use crate::error::{ApiError, Violations};
use crate::mail::{self, templates};
use crate::organizations;
use crate::schema::accounts;
use crate::startup::AppState;

fn current_account(conn: &mut DbConn, user: &AuthUser) -> Result<Account, ApiError> {
    super::find(conn, user.account_id)?.ok_or(ApiError::NotFound)
}

fn profile(conn: &mut DbConn, account: Account) -> Result<Profile, ApiError> {
    let organization = match account.organization_id {
        Some(id) => organizations::find(conn, id)?.map(|organization| OrganizationSummary {
            id: organization.id,
            name: organization.name,
            customer_number: organization.customer_number,
        }),
        None => None,
    };
    Ok(Profile {
        id: account.id,
        role: account.role().into(),
        login_id: account.login_id,
        full_name: account.full_name,
        company_name: account.company_name,
        email: account.email,
        maintenance_email: account.maintenance_email,
        organization,
        two_factor_email: account.otp_email.as_deref().map(otp::email_hint),
        pbx_admin: account.pbx_admin,
        analytics: account.analytics,
        preferred_lang: account.preferred_lang,
    })
}

fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    client: &ClientInfo,
    action: Action,
    detail: String,
    now: NaiveDateTime,
) -> QueryResult<()> {
    audit::record(
        conn,
        &audit::Event::new(action, client.ip.as_deref())
            .by_account_itself(user.organization_id, user.account_id)
            .detail(detail),
        now,
    )
}

/// The caller's profile.
#[utoipa::path(tag = "accounts", responses((status = 200, body = Profile)), security(("bearer" = [])))]
#[get("/me")]
pub async fn get_profile(state: web::Data<AppState>, user: AuthUser) -> Result<web::Json<Profile>, ApiError> {
    let profile = db::run(&state.pool, move |conn| {
        let account = current_account(conn, &user)?;
        profile(conn, account)
    })
    .await?;
    Ok(web::Json(profile))
}

/// Edit the profile, with the rules of registration (the contact email stays in the
/// maintenance email's domain).
#[utoipa::path(
    tag = "accounts",
    request_body = ProfileUpdate,
    responses(
        (status = 200, body = Profile),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/me")]
pub async fn update_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<ProfileUpdate>,
) -> Result<web::Json<Profile>, ApiError> {
    let update = body.into_inner();
    let now = state.clock.now_naive();
    let profile = db::transaction(&state.pool, move |conn| {
        let account = current_account(conn, &user)?;
        let mut violations = Violations::default();
        let full_name = update
            .full_name
            .as_deref()
            .and_then(|raw| violations.check("full_name", DisplayName::parse(raw)));
        let company_name = update
            .company_name
            .as_deref()
            .and_then(|raw| violations.check("company_name", DisplayName::parse(raw)));
        let email = update
            .email
            .as_deref()
            .and_then(|raw| violations.check("email", EmailAddress::parse(raw)));
        let lang = update.preferred_lang.as_deref().and_then(|raw| {
            violations.check(
                "preferred_lang",
                matches!(raw, "ja" | "en")
                    .then_some(raw)
                    .ok_or(Invalid::NotAllowed),
            )
        });
        if let (Some(email), Some(maintenance)) = (&email, account.maintenance_email.as_deref())
            && EmailAddress::parse(maintenance)
                .is_ok_and(|maintenance| !domains_compatible(email, &maintenance))
        {
            violations.add("email", Invalid::DomainMismatch);
        }
        violations.finish()?;
        diesel::update(accounts::table.find(account.id))
            .set((
                accounts::full_name.eq(full_name
                    .as_ref()
                    .map_or(account.full_name.as_str(), DisplayName::as_str)),
                accounts::company_name.eq(company_name
                    .as_ref()
                    .map_or(account.company_name.as_str(), DisplayName::as_str)),
                accounts::email.eq(email
                    .as_ref()
                    .map_or(account.email.as_str(), EmailAddress::as_str)),
                accounts::preferred_lang.eq(lang.unwrap_or(account.preferred_lang.as_str())),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(conn, &user, &client, Action::ProfileUpdated, String::new(), now)?;
        let updated = current_account(conn, &user)?;
        profile(conn, updated)
    })
    .await?;
    Ok(web::Json(profile))
}

/// Change the password. Every other session of the account ends at once.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let account = current_account(conn, &user)?;
        if !password::verify(&request.current_password, &account.password_hash) {
            return Err(ApiError::invalid("current_password", Invalid::WrongPassword));
        }
        let login_id = LoginId::parse(&account.login_id).map_err(ApiError::internal)?;
        let new_password = parse_new_password(
            &request.new_password,
            &request.new_password_confirmation,
            &login_id,
            "new_password",
        )?;
        replace_password(conn, &account, &new_password, user.session_id(), now)?;
        record(conn, &user, &client, Action::PasswordChanged, String::new(), now)?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Start turning on (or changing) 2-step authentication: a code is mailed to the new OTP
/// email; `POST /me/two-factor/confirm` with it finishes.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailRequest,
    responses(
        (status = 202, body = OtpChallenge),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/two-factor")]
pub async fn start_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = EmailAddress::parse(&body.email).map_err(|reason| ApiError::invalid("email", reason))?;
    let now = state.clock.now_naive();
    let challenge = db::transaction(&state.pool, move |conn| {
        let account = current_account(conn, &user)?;
        let issued = otp::issue(conn, account.id, OtpPurpose::VerifyEmail, email.as_str(), now)?;
        mail::enqueue(
            conn,
            &templates::one_time_password(account.lang(), &email, &issued.code),
            now,
        )?;
        Ok(OtpChallenge {
            challenge_id: issued.challenge_id,
            email_hint: otp::email_hint(email.as_str()),
            expires_at: issued.expires_at.and_utc(),
        })
    })
    .await?;
    Ok(HttpResponse::Accepted().json(challenge))
}

/// Finish turning on 2-step authentication with the mailed code.
#[utoipa::path(
    tag = "accounts",
    request_body = TwoFactorConfirmRequest,
    responses(
        (status = 200, body = Profile),
        (status = 401, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/two-factor/confirm")]
pub async fn confirm_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<TwoFactorConfirmRequest>,
) -> Result<web::Json<Profile>, ApiError> {
    let TwoFactorConfirmRequest { challenge_id, code } = body.into_inner();
    let now = state.clock.now_naive();
    let profile = db::run(&state.pool, move |conn| {
        let challenge = otp::verify(conn, &challenge_id, &code, OtpPurpose::VerifyEmail, now)?;
        if challenge.account_id != user.account_id {
            return Err(crate::error::AuthError::OtpInvalid.into());
        }
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?;
            diesel::update(accounts::table.find(user.account_id))
                .set((
                    accounts::otp_email.eq(&challenge.email),
                    accounts::updated_at.eq(now),
                ))
                .execute(conn)?;
            record(
                conn,
                &user,
                &client,
                Action::TwoFactorEnabled,
                otp::email_hint(&challenge.email),
                now,
            )?;
            let account = current_account(conn, &user)?;
            mail::notify(conn, &account, now, |lang, to, account| {
                templates::two_factor_changed(lang, to, &account.full_name, true)
            })?;
            profile(conn, account)
        })
    })
    .await?;
    Ok(web::Json(profile))
}

/// Turn 2-step authentication off (needs the password).
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordRequest,
    responses(
        (status = 200, body = Profile),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/me/two-factor/disable")]
pub async fn disable_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: web::Json<PasswordRequest>,
) -> Result<web::Json<Profile>, ApiError> {
    let password_given = body.into_inner().password;
    let now = state.clock.now_naive();
    let profile = db::transaction(&state.pool, move |conn| {
        let account = current_account(conn, &user)?;
        if !password::verify(&password_given, &account.password_hash) {
            return Err(ApiError::invalid("password", Invalid::WrongPassword));
        }
        diesel::update(accounts::table.find(account.id))
            .set((
                accounts::otp_email.eq(None::<String>),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        record(
            conn,
            &user,
            &client,
            Action::TwoFactorDisabled,
            String::new(),
            now,
        )?;
        mail::notify(conn, &account, now, |lang, to, account| {
            templates::two_factor_changed(lang, to, &account.full_name, false)
        })?;
        let account = current_account(conn, &user)?;
        profile(conn, account)
    })
    .await?;
    Ok(web::Json(profile))
}
