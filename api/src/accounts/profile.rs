//! マイページ: the caller's profile, contact email, password, and 2-step authentication.
//! Every security-relevant change needs the current password (or a sign-in within the last
//! 10 minutes), and wrong ones count toward the same lockout as signing in.

use actix_web::{HttpResponse, get, patch, post, web};
use madoguchi_types::Problem;
use madoguchi_types::accounts::{
    AuditAction, EmailChangeRequest, PasswordChangeRequest, PasswordRequest, Profile, ProfileUpdate,
    TwoFactorConfirmRequest, TwoFactorStartRequest,
};
use madoguchi_types::auth::OtpChallenge;
use serde_json::json;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use super::password::{self, CheckPurpose, PasswordCheck, Replacement};
use super::{Account, ProfileChanges};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::auth::links::{self, Purpose as LinkPurpose};
use crate::auth::otp::{self, Purpose as OtpPurpose};
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid};
use crate::error::{ApiError, Violations};
use crate::i18n::Lang;
use crate::json::Json;
use crate::mail::{self, Quota, templates};
use crate::net::{ClientInfo, RateLimits};

pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(get_profile).service(update_profile).service(
        // The steps that check the current password: limited per client address too.
        scope("/me")
            .wrap(actix_governor::Governor::new(&limits.sensitive))
            .service(change_email)
            .service(change_password)
            .service(start_two_factor)
            .service(confirm_two_factor)
            .service(disable_two_factor)
            // A nested scope does not inherit the parent's fallback: 405 needs it here too.
            .default_service(web::to(crate::routing::fallback)),
    );
}

/// The profile as the caller's extractor loaded it.
fn profile_of(user: &AuthUser, account: Account) -> Profile {
    Profile {
        id: account.id,
        role: account.role,
        login_id: account.login_id.clone(),
        full_name: account.full_name.clone(),
        company_name: account.company_name.clone(),
        email: account.email.clone(),
        pending_email: account.pending_email.clone(),
        maintenance_email: account.maintenance_email.clone(),
        organization: user
            .organization
            .as_ref()
            .map(crate::organizations::Organization::summary),
        two_factor_email: account.otp_email.as_deref().map(otp::email_hint),
        pbx_admin: account.pbx_admin,
        analytics: account.analytics,
        preferred_lang: account.preferred_lang.clone(),
        permissions: crate::policy::permissions(account.role, account.grants()),
    }
}

fn reload(conn: &mut DbConn, user: &AuthUser) -> Result<Profile, ApiError> {
    let account = super::find(conn, user.id())?.ok_or(ApiError::NotFound)?;
    Ok(profile_of(user, account))
}

fn record(
    conn: &mut DbConn,
    user: &AuthUser,
    client: &ClientInfo,
    action: AuditAction,
    detail: serde_json::Value,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    audit::record(
        conn,
        &audit::Event::new(action, client)
            .by_account_itself(user.organization_id(), user.id())
            .detail(detail),
        now,
    )?;
    Ok(())
}

/// The caller proves it is them: the current password under the lockout rule, or — when
/// `recent_sign_in_suffices` — a sign-in within the last 10 minutes. Refusals are field
/// errors on `field` (422): the caller is signed in, the session stays.
async fn confirm_identity(
    state: &AppState,
    user: &AuthUser,
    client: &ClientInfo,
    given: Option<&str>,
    recent_sign_in_suffices: bool,
    field: &str,
) -> Result<(), ApiError> {
    let given = given.filter(|given| !given.is_empty());
    let Some(given) = given else {
        if recent_sign_in_suffices && user.signed_in_recently(state.clock.now_naive()) {
            return Ok(());
        }
        return Err(ApiError::invalid(field, Invalid::CurrentPasswordRequired));
    };
    match password::check_with_lockout(state, &user.account, given, CheckPurpose::Confirmation, client)
        .await?
    {
        PasswordCheck::Correct => Ok(()),
        PasswordCheck::Wrong => Err(ApiError::invalid(field, Invalid::WrongPassword)),
        PasswordCheck::Locked => Err(ApiError::invalid(field, Invalid::AccountLocked)),
    }
}

/// The caller's profile, with what they may do (`permissions`).
#[utoipa::path(
    tag = "accounts",
    responses((status = 200, description = "The caller's profile", body = Profile)),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn get_profile(user: AuthUser) -> web::Json<Profile> {
    let account = user.account.clone();
    web::Json(profile_of(&user, account))
}

/// Edit the name, company name and mail language. (The contact email changes through
/// `POST /me/email`.)
#[utoipa::path(
    tag = "accounts",
    request_body = ProfileUpdate,
    responses(
        (status = 200, description = "The updated profile", body = Profile),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[patch("/me")]
pub async fn update_profile(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<ProfileUpdate>,
) -> Result<web::Json<Profile>, ApiError> {
    let update = body.into_inner();
    let mut violations = Violations::default();
    let changes = ProfileChanges {
        full_name: update
            .full_name
            .as_deref()
            .and_then(|raw| violations.check("full_name", DisplayName::parse(raw))),
        company_name: update
            .company_name
            .as_deref()
            .and_then(|raw| violations.check("company_name", DisplayName::parse(raw))),
        preferred_lang: update.preferred_lang.as_deref().and_then(|raw| {
            violations.check(
                "preferred_lang",
                match raw {
                    "ja" => Ok(Lang::Ja),
                    "en" => Ok(Lang::En),
                    _ => Err(Invalid::NotAllowed),
                },
            )
        }),
    };
    violations.finish()?;
    let account = &user.account;
    let changed: Vec<&str> = [
        (
            "full_name",
            changes
                .full_name
                .as_ref()
                .is_some_and(|name| name.as_str() != account.full_name),
        ),
        (
            "company_name",
            changes
                .company_name
                .as_ref()
                .is_some_and(|name| name.as_str() != account.company_name),
        ),
        (
            "preferred_lang",
            changes
                .preferred_lang
                .is_some_and(|lang| lang.tag() != account.preferred_lang),
        ),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect();
    if changed.is_empty() {
        return Ok(web::Json(profile_of(&user, account.clone())));
    }
    let now = state.clock.now_naive();
    let profile = db::transaction(&state.pool, move |conn| {
        super::update_profile(conn, &user.account, &changes, now)?;
        record(
            conn,
            &user,
            &client,
            AuditAction::ProfileUpdated,
            json!({"fields": changed}),
            now,
        )?;
        reload(conn, &user)
    })
    .await?;
    Ok(web::Json(profile))
}

/// Change the contact email. Needs the current password (or a sign-in within the last 10
/// minutes). The change waits for the link mailed to the new address (24 hours); the old
/// address is told at once, and again when it takes effect.
#[utoipa::path(
    tag = "accounts",
    request_body = EmailChangeRequest,
    responses(
        (status = 202, description = "The confirmation link is mailed to the new address", body = Profile),
        (status = 422, description = "Invalid address, wrong domain, or the current password is missing or wrong", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/email")]
pub async fn change_email(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<EmailChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let email = EmailAddress::parse(&request.email).map_err(|reason| ApiError::invalid("email", reason))?;
    confirm_identity(
        &state,
        &user,
        &client,
        request.current_password.as_deref(),
        true,
        "current_password",
    )
    .await?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    let profile = db::transaction(&state.pool, move |conn| {
        let account = &user.account;
        if let Some(organization) = account.organization_id
            && !super::contact_domain_allowed(
                conn,
                organization,
                account.maintenance_email.as_deref(),
                &email,
                crate::clock::japan_date(now),
            )?
        {
            return Err(ApiError::invalid("email", Invalid::DomainMismatch));
        }
        super::set_pending_email(conn, account.id, Some(email.as_str()), now)?;
        let (token, _) = links::create(
            conn,
            account.id,
            LinkPurpose::ConfirmEmail,
            Some(email.as_str()),
            now,
        )?;
        let url = format!("{base_url}/confirm-email?token={token}");
        let confirm = templates::EmailChangeConfirm {
            login_id: &account.login_id,
            url: &url,
        };
        // Limited: the address is whatever the user typed, perhaps someone else's.
        mail::enqueue(conn, &email, account.lang(), &confirm, Quota::Limited, now)?;
        let hint = otp::email_hint(email.as_str());
        let notice = templates::EmailChangeRequested {
            login_id: &account.login_id,
            new_email_hint: &hint,
        };
        mail::notify(conn, account, &notice, now)?;
        record(
            conn,
            &user,
            &client,
            AuditAction::EmailChangeRequested,
            json!({"new_email": hint}),
            now,
        )?;
        reload(conn, &user)
    })
    .await?;
    Ok(HttpResponse::Accepted().json(profile))
}

/// Change the password (the current one is always needed). Every other session ends at
/// once, every reset link and open code is voided, and — unless
/// `revoke_api_tokens: false` — the personal API tokens are revoked.
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 422, description = "Current password wrong or the account locked; new password refused", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let login_id = user
        .account
        .login_id()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("stored login ID invalid")))?;
    // The new password's rules first: a refused new password costs no guess.
    let new_password = password::parse_new_password(
        &request.new_password,
        &request.new_password_confirmation,
        &login_id,
        "new_password",
    )?;
    confirm_identity(
        &state,
        &user,
        &client,
        Some(&request.current_password),
        false,
        "current_password",
    )
    .await?;
    let hash = password::hash_off_thread(&new_password).await?;
    let now = state.clock.now_naive();
    let replacement = Replacement {
        keep_session: user.session_id(),
        revoke_api_tokens: request.revoke_api_tokens,
    };
    db::transaction(&state.pool, move |conn| {
        password::replace(conn, &user.account, &hash, replacement, now)?;
        let detail = json!({"api_tokens_revoked": replacement.revoke_api_tokens});
        record(conn, &user, &client, AuditAction::PasswordChanged, detail, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Start turning on (or changing) 2-step authentication: needs the current password (or a
/// sign-in within the last 10 minutes); a code is mailed to the new OTP email, and
/// `POST /me/two-factor/confirm` with it finishes.
#[utoipa::path(
    tag = "accounts",
    request_body = TwoFactorStartRequest,
    responses(
        (status = 202, description = "A code was mailed to the address", body = OtpChallenge),
        (status = 422, description = "Invalid address, or the current password is missing or wrong", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/two-factor")]
pub async fn start_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<TwoFactorStartRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let email = EmailAddress::parse(&request.email).map_err(|reason| ApiError::invalid("email", reason))?;
    confirm_identity(
        &state,
        &user,
        &client,
        request.current_password.as_deref(),
        true,
        "current_password",
    )
    .await?;
    let now = state.clock.now_naive();
    let challenge = db::transaction(&state.pool, move |conn| {
        let issued = otp::issue(conn, user.id(), OtpPurpose::VerifyEmail, email.as_str(), now)?;
        mail::enqueue(
            conn,
            &email,
            user.account.lang(),
            &templates::OneTimePassword { code: &issued.code },
            Quota::Limited,
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

/// Finish turning on 2-step authentication with the mailed code. A wrong code is a field
/// error on `code` (422), not a sign-out.
#[utoipa::path(
    tag = "accounts",
    request_body = TwoFactorConfirmRequest,
    responses(
        (status = 200, description = "2-step authentication is on", body = Profile),
        (status = 422, description = "Wrong, expired or used code", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/two-factor/confirm")]
pub async fn confirm_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<TwoFactorConfirmRequest>,
) -> Result<web::Json<Profile>, ApiError> {
    let TwoFactorConfirmRequest { challenge_id, code } = body.into_inner();
    let now = state.clock.now_naive();
    let profile = db::run(&state.pool, move |conn| {
        let code_error = |failure: otp::Failure| failure.into_field_error("code");
        // Outside a transaction: a wrong code's count must persist.
        let challenge =
            otp::verify(conn, &challenge_id, &code, OtpPurpose::VerifyEmail, now)?.map_err(code_error)?;
        if challenge.account_id != user.id() {
            return Err(otp::Failure::Invalid.into_field_error("code"));
        }
        db::write_transaction(conn, |conn| {
            otp::consume(conn, &challenge, now)?.map_err(code_error)?;
            super::set_otp_email(conn, user.id(), Some(&challenge.email), now)?;
            let hint = otp::email_hint(&challenge.email);
            record(
                conn,
                &user,
                &client,
                AuditAction::TwoFactorEnabled,
                json!({"email": hint}),
                now,
            )?;
            let notice = templates::TwoFactorChanged {
                enabled: true,
                email_hint: hint,
            };
            mail::notify(conn, &user.account, &notice, now)?;
            reload(conn, &user)
        })
    })
    .await?;
    Ok(web::Json(profile))
}

/// Turn 2-step authentication off (needs the current password, under the lockout rule).
#[utoipa::path(
    tag = "accounts",
    request_body = PasswordRequest,
    responses(
        (status = 200, description = "2-step authentication is off", body = Profile),
        (status = 422, description = "Wrong password, or the account locked", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/two-factor/disable")]
pub async fn disable_two_factor(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    body: Json<PasswordRequest>,
) -> Result<web::Json<Profile>, ApiError> {
    let given = body.into_inner().password;
    confirm_identity(&state, &user, &client, Some(&given), false, "password").await?;
    if user.account.otp_email.is_none() {
        return Ok(web::Json(profile_of(&user, user.account.clone())));
    }
    let now = state.clock.now_naive();
    let profile = db::transaction(&state.pool, move |conn| {
        super::set_otp_email(conn, user.id(), None, now)?;
        record(
            conn,
            &user,
            &client,
            AuditAction::TwoFactorDisabled,
            json!({}),
            now,
        )?;
        let notice = templates::TwoFactorChanged {
            enabled: false,
            email_hint: String::new(),
        };
        mail::notify(conn, &user.account, &notice, now)?;
        reload(conn, &user)
    })
    .await?;
    Ok(web::Json(profile))
}
