//! Recovery: forgot login ID, forgot password (answered at once, the same for every
//! address; the lookup and the mail happen in a job, so that the answer time tells
//! nothing), setting a password with a mailed link, and confirming a new contact email.

use actix_web::{HttpResponse, post, web};
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::auth::{AcceptedResponse, EmailRequest, LinkRequest, SetPasswordRequest};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::links::{self, Purpose as LinkPurpose};
use crate::accounts::password::{self, Replacement};
use crate::accounts::{self, Account};
use crate::app::AppState;
use crate::audit;
use crate::db;
use crate::domain::EmailAddress;
use crate::error::{ApiError, AuthError};
use crate::i18n::{Lang, RequestLang};
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{self, JobError, JobKind, NewJob};
use crate::json::Json;
use crate::mail::{self, Quota, templates};
use crate::net::ClientInfo;

/// The payload of the forgot-* jobs.
#[derive(Debug, Serialize, Deserialize)]
struct Forgotten {
    email: String,
}

fn parse_email(raw: &str) -> Result<EmailAddress, ApiError> {
    EmailAddress::parse(raw).map_err(|reason| ApiError::invalid("email", reason))
}

async fn accept(
    state: &AppState,
    lang: Lang,
    kind: JobKind,
    email: EmailAddress,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now_naive();
    let job = NewJob::new(kind, &Forgotten { email: email.into() });
    db::transaction(&state.pool, move |conn| Ok(jobs::enqueue(conn, &job, now)?)).await?;
    Ok(HttpResponse::Accepted().json(AcceptedResponse {
        message: lang
            .pick(
                "ご登録のメールアドレスであれば、ご案内をお送りしました。",
                "If this address is registered, we have sent it a mail.",
            )
            .into(),
    }))
}

/// Forgot the login ID: mails the login IDs registered with this contact email. The answer
/// is the same, in the same time, whether or not the address is registered.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Accepted (whether or not the address is registered)", body = AcceptedResponse),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/forgot-login-id")]
pub async fn forgot_login_id(
    state: web::Data<AppState>,
    RequestLang(lang): RequestLang,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = parse_email(&body.email)?;
    accept(&state, lang, JobKind::ForgotLoginId, email).await
}

/// Forgot the password: mails a single-use reset link (valid 1 hour; older links stop
/// working) for each account with this contact email. The answer is the same, in the same
/// time, whether or not the address is registered.
#[utoipa::path(
    tag = "auth",
    request_body = EmailRequest,
    responses(
        (status = 202, description = "Accepted (whether or not the address is registered)", body = AcceptedResponse),
        (status = 422, description = "Not an email address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/forgot-password")]
pub async fn forgot_password(
    state: web::Data<AppState>,
    RequestLang(lang): RequestLang,
    body: Json<EmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let email = parse_email(&body.email)?;
    accept(&state, lang, JobKind::ForgotPassword, email).await
}

/// The jobs behind the two forms.
pub fn register(handlers: &mut Handlers, public_url: String) {
    handlers.register(JobKind::ForgotLoginId, remind_login_ids);
    handlers.register(JobKind::ForgotPassword, move |context| {
        send_reset_links(context, public_url.clone())
    });
}

async fn remind_login_ids(context: JobContext) -> Result<serde_json::Value, JobError> {
    let Forgotten { email } = context.job.payload()?;
    let email = EmailAddress::parse(&email).map_err(|reason| JobError::fatal(reason.to_string()))?;
    let now = context.clock.now_naive();
    context
        .db(move |conn| {
            db::write_transaction(conn, |conn| {
                let found = accounts::find_active_by_email(conn, &email)?;
                if let Some(first) = found.first() {
                    let login_ids = found.iter().map(|account| account.login_id.clone()).collect();
                    mail::enqueue(
                        conn,
                        &email,
                        first.lang(),
                        &templates::LoginIdReminder { login_ids },
                        Quota::Limited,
                        now,
                    )?;
                }
                Ok(json!({"mailed": !found.is_empty()}))
            })
        })
        .await
}

async fn send_reset_links(context: JobContext, public_url: String) -> Result<serde_json::Value, JobError> {
    let Forgotten { email } = context.job.payload()?;
    let email = EmailAddress::parse(&email).map_err(|reason| JobError::fatal(reason.to_string()))?;
    let now = context.clock.now_naive();
    context
        .db(move |conn| {
            db::write_transaction(conn, |conn| {
                let found = accounts::find_active_by_email(conn, &email)?;
                for account in &found {
                    let (token, _) = links::create(conn, account.id, LinkPurpose::ResetPassword, None, now)?;
                    let url = format!("{public_url}/reset-password?token={token}");
                    // Limited: anyone can ask for these by naming the address.
                    mail::enqueue(
                        conn,
                        &email,
                        account.lang(),
                        &templates::PasswordReset {
                            login_id: &account.login_id,
                            url: &url,
                        },
                        Quota::Limited,
                        now,
                    )?;
                }
                Ok(json!({"mailed": found.len()}))
            })
        })
        .await
}

/// Set a new password with a mailed link: a reset link, or the first password of an
/// account an administrator created. Ends every session of the account, voids every other
/// reset link and open one-time password, revokes its API tokens, and unlocks it.
#[utoipa::path(
    tag = "auth",
    request_body = SetPasswordRequest,
    responses(
        (status = 204, description = "Password set"),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired, used or voided link", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password does not meet the policy", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/password")]
pub async fn set_password(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<SetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let now = state.clock.now_naive();
    const PURPOSES: [LinkPurpose; 2] = [LinkPurpose::ResetPassword, LinkPurpose::SetPassword];
    let token = request.token.clone();
    let account: Account = db::run(&state.pool, move |conn| {
        let used = links::peek(conn, &token, &PURPOSES, now)?;
        let account = accounts::find(conn, used.account_id)?.ok_or(AuthError::LinkInvalid)?;
        // A disabled account's links are void (disabling voids them; this covers the rest).
        if account.status == crate::accounts::AccountStatus::Disabled {
            return Err(AuthError::LinkInvalid.into());
        }
        Ok(account)
    })
    .await?;
    let login_id = account
        .login_id()
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("stored login ID invalid")))?;
    let new_password = password::parse_new_password(
        &request.password,
        &request.password_confirmation,
        &login_id,
        "password",
    )?;
    let hash = password::hash_off_thread(&new_password).await?;
    db::transaction(&state.pool, move |conn| {
        links::consume(conn, &request.token, &PURPOSES, now)?;
        let replacement = Replacement {
            keep_session: None,
            revoke_api_tokens: true,
        };
        password::replace(conn, &account, &hash, replacement, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::PasswordReset, &client)
                .by_account_itself(account.organization_id, account.id),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Confirm a new contact email with the link mailed to it: the change takes effect, and
/// the old address is told.
#[utoipa::path(
    tag = "auth",
    request_body = LinkRequest,
    responses(
        (status = 204, description = "The contact email is changed"),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired, used or voided link", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/confirm-email")]
pub async fn confirm_email(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<LinkRequest>,
) -> Result<HttpResponse, ApiError> {
    let token = body.into_inner().token;
    let now = state.clock.now_naive();
    db::transaction(&state.pool, move |conn| {
        let used = links::consume(conn, &token, &[LinkPurpose::ConfirmEmail], now)?;
        let account = accounts::find(conn, used.account_id)?.ok_or(AuthError::LinkInvalid)?;
        let new_email = used
            .email
            .as_deref()
            .and_then(|email| EmailAddress::parse(email).ok())
            .ok_or(AuthError::LinkInvalid)?;
        accounts::set_contact_email(conn, account.id, &new_email, now)?;
        let hint = super::otp::email_hint(new_email.as_str());
        // The old address hears of it (the notice goes to the address on the row we read).
        mail::notify(
            conn,
            &account,
            &templates::EmailChanged {
                login_id: &account.login_id,
                new_email_hint: &hint,
            },
            now,
        )?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::EmailChanged, &client)
                .by_account_itself(account.organization_id, account.id)
                .detail(json!({"new_email": hint})),
            now,
        )?;
        Ok(())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
