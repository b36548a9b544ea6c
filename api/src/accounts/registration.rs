//! Self-registration (SPEC §3.1, seed 004 ②): accepted only for a maintenance email of an
//! active contract, with a contact email in its domain; provisional until the mailed link
//! (24 hours) is opened; mails (1/3), (2/3), (3/3).

use actix_web::{HttpResponse, post, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{
    ConfirmRegistrationRequest, ConfirmRegistrationResponse, RegistrationRequest, RegistrationResponse,
};

use super::{AccountStatus, NewAccount, Role};
use crate::audit::{self, Action};
use crate::auth::ClientInfo;
use crate::auth::links::{self, Purpose};
use crate::auth::routes::check_new_password;
use crate::contracts::ContractStatus;
use crate::db::{self, DbConn};
use crate::domain::{DisplayName, EmailAddress, Invalid, LoginId, NewPassword, domains_compatible};
use crate::error::{ApiError, Violations};
use crate::i18n::Lang;
use crate::mail::{self, templates};
use crate::schema::{accounts, contract_emails, contracts};
use crate::startup::AppState;

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
        let password = login_id.as_ref().and_then(|login_id| {
            check_new_password(
                &mut violations,
                &request.password,
                &request.password_confirmation,
                login_id,
                "password",
            )
        });
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

/// The organization of an active contract (status active, today within its dates) that
/// registers this maintenance email.
fn organization_of_active_contract(
    conn: &mut DbConn,
    email: &EmailAddress,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    let today = now.date();
    contracts::table
        .inner_join(contract_emails::table)
        .filter(contract_emails::email.eq(email.as_str()))
        .filter(contracts::status.eq(ContractStatus::Active.as_str()))
        .filter(contracts::starts_on.le(today))
        .filter(contracts::ends_on.ge(today))
        .select(contracts::organization_id)
        .order(contracts::id.asc())
        .first(conn)
        .optional()
}

/// Provisional accounts whose confirmation window has passed give their login ID back.
fn release_expired_provisional(
    conn: &mut DbConn,
    login_id: &LoginId,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let cutoff = now - Purpose::ConfirmRegistration.lifetime() - TimeDelta::minutes(1);
    diesel::delete(
        accounts::table
            .filter(accounts::login_id.eq(login_id.as_str()))
            .filter(accounts::status.eq(AccountStatus::Provisional.as_str()))
            .filter(accounts::created_at.lt(cutoff)),
    )
    .execute(conn)
}

/// Register (新規ユーザー登録). Creates a provisional account and mails the confirmation
/// link (valid 24 hours) to the contact email.
#[utoipa::path(
    tag = "accounts",
    request_body = RegistrationRequest,
    responses(
        (status = 202, body = RegistrationResponse),
        (status = 409, description = "Login ID taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields; no active contract; domain mismatch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn register(
    state: web::Data<AppState>,
    lang: Lang,
    client: ClientInfo,
    body: web::Json<RegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let registration = ValidRegistration::try_from(body.into_inner())?;
    let now = state.clock.now_naive();
    let base_url = state.public_url.clone();
    let response = db::transaction(&state.pool, move |conn| {
        let organization_id = organization_of_active_contract(conn, &registration.maintenance_email, now)?
            .ok_or_else(|| ApiError::invalid("maintenance_email", Invalid::NoActiveContract))?;
        release_expired_provisional(conn, &registration.login_id, now)?;
        let new = NewAccount {
            organization: Some(crate::organizations::OrganizationId(organization_id)),
            login_id: registration.login_id,
            full_name: registration.full_name,
            email: registration.contact_email,
            password: Some(registration.password),
            // Least rights; the organization's user administrator or staff promote.
            role: Role::InquiryStaff,
            status: AccountStatus::Provisional,
            company_name: Some(registration.company_name),
            maintenance_email: Some(registration.maintenance_email),
            preferred_lang: lang,
            pbx_admin: false,
            analytics: false,
        };
        let account = super::insert(conn, &new, now).map_err(|error| match error {
            super::CreateAccountError::LoginIdTaken(_) => ApiError::Conflict {
                field: "login_id".into(),
            },
            other => ApiError::internal(other),
        })?;
        let (token, expires_at) = links::create(conn, account.id, Purpose::ConfirmRegistration, now)?;
        let url = format!("{base_url}/register/confirm?token={token}");
        mail::enqueue(
            conn,
            &templates::registration_provisional(
                lang,
                &new.email,
                &account.full_name,
                &account.login_id,
                &url,
            ),
            now,
        )?;
        audit::record(
            conn,
            &audit::Event::new(Action::Registered, client.ip.as_deref())
                .organization(Some(organization_id))
                .actor(Some(account.id))
                .subject(Some(account.id)),
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
        (status = 200, body = ConfirmRegistrationResponse),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired or used link", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/confirm")]
pub async fn confirm_registration(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: web::Json<ConfirmRegistrationRequest>,
) -> Result<web::Json<ConfirmRegistrationResponse>, ApiError> {
    let token = body.into_inner().token;
    let now = state.clock.now_naive();
    let sign_in_url = format!("{}/login", state.public_url);
    let login_id = db::transaction(&state.pool, move |conn| {
        let account_id = links::consume(conn, &token, &[Purpose::ConfirmRegistration], now)?;
        let account = super::find(conn, account_id)?.ok_or(ApiError::NotFound)?;
        diesel::update(accounts::table.find(account.id))
            .set((
                accounts::status.eq(AccountStatus::Active.as_str()),
                accounts::updated_at.eq(now),
            ))
            .execute(conn)?;
        let email = account
            .contact_email()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("stored email invalid")))?;
        let lang = account.lang();
        mail::enqueue(
            conn,
            &templates::registration_received(lang, &email, &account.full_name, &account.login_id),
            now,
        )?;
        mail::enqueue(
            conn,
            &templates::registration_ready(lang, &email, &account.full_name, &account.login_id, &sign_in_url),
            now,
        )?;
        audit::record(
            conn,
            &audit::Event::new(Action::RegistrationConfirmed, client.ip.as_deref())
                .by_account_itself(account.organization_id, account.id),
            now,
        )?;
        Ok(account.login_id)
    })
    .await?;
    Ok(web::Json(ConfirmRegistrationResponse { login_id }))
}
