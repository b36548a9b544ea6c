//! Self-registration (SPEC §3.1, seed 004 ②): accepted only for a maintenance email of an
//! active contract, with a contact email in its domain; provisional until the mailed link
//! (24 hours) is opened; mails (1/3), (2/3), (3/3).
//!
//! The answers must stay useful (a taken login ID is 409, so that the person picks another;
//! an address on no active contract is 422), which tells who probes them something. Both
//! are limited: per client address (the route's limiter) and per maintenance email (a
//! limit per target, whatever the client address).

use actix_web::{HttpResponse, post, web};
use chrono::TimeDelta;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{
    AuditAction, ConfirmRegistrationRequest, ConfirmRegistrationResponse, RegistrationRequest,
    RegistrationResponse,
};
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{AccountStatus, NewAccount, Role, password};
use crate::app::AppState;
use crate::audit;
use crate::auth::links::{self, Purpose};
use crate::contracts;
use crate::db;
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId, NewPassword, domains_compatible};
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::json::Json;
use crate::mail::{self, Quota, templates};
use crate::net::{ClientInfo, RateLimits};
use crate::policy::Grants;

pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(
        scope("/registrations")
            .wrap(actix_governor::Governor::new(&limits.auth))
            .service(register)
            .service(confirm_registration)
            .default_service(web::to(crate::routing::fallback)),
    );
}

/// A registration whose every field is valid (the contract check needs the database).
struct ValidRegistration {
    company_name: DisplayName,
    full_name: DisplayName,
    login_id: LoginId,
    password: NewPassword,
    contact_email: EmailAddress,
    maintenance_email: EmailAddress,
}

impl TryFrom<RegistrationRequest> for ValidRegistration {
    type Error = ApiError;

    fn try_from(request: RegistrationRequest) -> Result<Self, ApiError> {
        let mut violations = Violations::default();
        let company_name = violations.check("company_name", DisplayName::parse(&request.company_name));
        let full_name = violations.check("full_name", DisplayName::parse(&request.full_name));
        let login_id = violations.check("login_id", LoginId::parse(&request.login_id));
        let contact_email = violations.check("contact_email", EmailAddress::parse(&request.contact_email));
        let maintenance_email = violations.check(
            "maintenance_email",
            EmailAddress::parse(&request.maintenance_email),
        );
        if let (Some(contact), Some(maintenance)) = (&contact_email, &maintenance_email)
            && !domains_compatible(contact, maintenance)
        {
            violations.add("contact_email", Invalid::DomainMismatch);
        }
        if !request.consent {
            violations.add("consent", Invalid::MustAccept);
        }
        let password = match &login_id {
            Some(login_id) => password::check_new_password(
                &mut violations,
                &request.password,
                &request.password_confirmation,
                login_id,
                "password",
            ),
            None => {
                if request.password.is_empty() {
                    violations.add("password", Invalid::Required);
                }
                None
            }
        };
        match (
            company_name,
            full_name,
            login_id,
            password,
            contact_email,
            maintenance_email,
        ) {
            (
                Some(company_name),
                Some(full_name),
                Some(login_id),
                Some(password),
                Some(contact_email),
                Some(maintenance_email),
            ) if violations.is_empty() => Ok(Self {
                company_name,
                full_name,
                login_id,
                password,
                contact_email,
                maintenance_email,
            }),
            _ => Err(violations.into_error()),
        }
    }
}

/// Register (新規ユーザー登録). Creates a provisional account and mails the confirmation
/// link (valid 24 hours) to the contact email.
#[utoipa::path(
    tag = "accounts",
    request_body = RegistrationRequest,
    responses(
        (status = 202, description = "Provisional account created; the confirmation link is mailed", body = RegistrationResponse),
        (status = 409, description = "Login ID taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; no active contract; domain mismatch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn register(
    state: web::Data<AppState>,
    RequestLang(lang): RequestLang,
    client: ClientInfo,
    body: Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let registration = ValidRegistration::try_from(body.into_inner())?;
    state
        .registration_targets
        .check(registration.maintenance_email.as_str())?;
    let password_hash = password::hash_off_thread(&registration.password).await?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    let response = db::transaction(&state.pool, move |conn| {
        let organization_id = contracts::organization_registering(
            conn,
            &registration.maintenance_email,
            crate::clock::japan_date(now),
        )?
        .ok_or_else(|| ApiError::invalid("maintenance_email", Invalid::NoActiveContract))?;
        let window = Purpose::ConfirmRegistration.lifetime() + TimeDelta::minutes(1);
        super::delete_expired_provisional(conn, &registration.login_id, now - window)?;
        let new = NewAccount {
            organization: Some(organization_id),
            login_id: registration.login_id,
            full_name: registration.full_name,
            email: registration.contact_email,
            password_hash: Some(password_hash),
            // Least rights; the organization's user administrator or staff promote.
            role: Role::InquiryStaff,
            status: AccountStatus::Provisional,
            company_name: Some(registration.company_name),
            maintenance_email: Some(registration.maintenance_email),
            preferred_lang: lang,
            grants: Grants::default(),
        };
        let account = super::insert(conn, &new, now)?;
        let (token, expires_at) = links::create(conn, account.id, Purpose::ConfirmRegistration, None, now)?;
        let url = format!("{base_url}/register/confirm?token={token}");
        let mail = templates::RegistrationProvisional {
            name: &account.full_name,
            login_id: &account.login_id,
            url: &url,
        };
        mail::enqueue(conn, &new.email, lang, &mail, Quota::Limited, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::Registered, &client)
                .by_account_itself(Some(organization_id), account.id),
            now,
        )?;
        Ok(RegistrationResponse {
            login_id: account.login_id,
            contact_email: account.email,
            confirmation_expires_at: expires_at.and_utc(),
        })
    })
    .await?;
    Ok(HttpResponse::Accepted().json(response))
}

/// Confirm a registration (本登録) with the token from the (1/3) mail: activates the
/// account and mails (2/3) and (3/3) with the login ID.
#[utoipa::path(
    tag = "accounts",
    request_body = ConfirmRegistrationRequest,
    responses(
        (status = 200, description = "The account is active", body = ConfirmRegistrationResponse),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired or used link", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/confirm")]
pub async fn confirm_registration(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<ConfirmRegistrationRequest>,
) -> Result<web::Json<ConfirmRegistrationResponse>, ApiError> {
    let token = body.into_inner().token;
    let now = state.clock.now_naive();
    let sign_in_url = state.link("/login");
    let login_id = db::transaction(&state.pool, move |conn| {
        let used = links::consume(conn, &token, &[Purpose::ConfirmRegistration], now)?;
        let account = super::find(conn, used.account_id)?.ok_or(ApiError::NotFound)?;
        // Only a provisional account becomes active: one an administrator disabled stays so.
        if account.status != AccountStatus::Provisional {
            return Err(crate::error::AuthError::LinkInvalid.into());
        }
        super::activate(conn, account.id, now)?;
        let received = templates::RegistrationReceived {
            name: &account.full_name,
            login_id: &account.login_id,
        };
        mail::notify(conn, &account, &received, now)?;
        let ready = templates::RegistrationReady {
            login_id: &account.login_id,
            sign_in_url: &sign_in_url,
        };
        mail::notify(conn, &account, &ready, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::RegistrationConfirmed, &client)
                .by_account_itself(account.organization_id, account.id),
            now,
        )?;
        Ok(account.login_id)
    })
    .await?;
    Ok(web::Json(ConfirmRegistrationResponse { login_id }))
}
