//! CX サポート sign-up (SPEC §9, seed 000 §1-3 to 1-8): anyone may sign an OPID up for the
//! free or the standard plan. The form waits, provisional, until the link mailed to its
//! address is opened (24 hours); then the organization, the subscriber's account (signing
//! in with the generated CXサポートID, the password chosen and a mailed one-time password)
//! and the subscription with its first AN and DN are set up in one transaction, with the
//! (2/3) and (3/3) mails. Nothing of a sign-up exists elsewhere before its confirmation, so
//! an unconfirmed one simply expires.
//!
//! Like registration, the answers must stay useful (an OPID signed up already is named, in
//! the seed's words), so the route is rate-limited per client address and per OPID.

use actix_web::{HttpResponse, post, web};
use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AuditAction, Role};
use madoguchi_types::analytics::{
    ConfirmSignupRequest, ConfirmSignupResponse, Industry, NumberKind, Plan, SignupRequest, SignupResponse,
    an_shape, dn_shape, normalized_number, opid_shape, sales_code,
};
use serde_json::json;
use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts::{self, AccountStatus, NewAccount, password};
use crate::app::AppState;
use crate::audit;
use crate::db::{self, DbConn};
use crate::domain::{CustomerNumber, DisplayName, EmailAddress, Invalid, LoginId, NewPassword};
use crate::error::{ApiError, AuthError, Violations};
use crate::i18n::{Lang, RequestLang};
use crate::json::Json;
use crate::mail::{self, Quota, templates};
use crate::net::{ClientInfo, RateLimits};
use crate::policy::Grants;
use crate::schema::{analytics_numbers, analytics_signups, analytics_subscriptions};

/// How long the mailed link works (seed 000 §1-5).
const LINK_LIFETIME: TimeDelta = TimeDelta::hours(24);
/// Length of the CXサポートID (seed 000 §1-8: `Abcde01234`).
const ANALYTICS_ID_LEN: usize = 10;

pub fn routes(config: &mut ServiceConfig, limits: &RateLimits) {
    config.service(
        scope("/analytics/signups")
            .wrap(actix_governor::Governor::new(&limits.auth))
            .service(sign_up)
            .service(confirm_sign_up)
            .default_service(web::to(crate::routing::fallback)),
    );
}

/// A sign-up whose every field is valid (whether its OPID is free needs the database).
struct ValidSignup {
    opid: String,
    analytics_id: LoginId,
    contractor_name: DisplayName,
    industry: Industry,
    contact_phone: String,
    an_number: String,
    dn_number: String,
    plan: Plan,
    /// Both on the standard plan, neither on the free one.
    billing: Option<(String, String)>,
    department: DisplayName,
    contact_person: DisplayName,
    email: EmailAddress,
    password: NewPassword,
    sales_code: String,
}

/// A phone number field: hyphens dropped, then 0 and 9 or 10 digits.
fn phone(violations: &mut Violations, field: &str, raw: &str) -> Option<String> {
    let number = normalized_number(raw.trim());
    violations.check(field, dn_shape(&number)).map(|()| number)
}

/// Every field's errors at once (the form shows them all), or the valid sign-up.
fn validate(request: SignupRequest, analytics_id: LoginId) -> Result<ValidSignup, Violations> {
    let mut violations = Violations::default();
    let opid = request.opid.trim().to_owned();
    violations.check("opid", opid_shape(&opid));
    let contractor_name = violations.check("contractor_name", DisplayName::parse(&request.contractor_name));
    let contact_phone = phone(&mut violations, "contact_phone", &request.contact_phone);
    let an_number = normalized_number(request.an_number.trim());
    violations.check("an_number", an_shape(&an_number));
    let dn_number = phone(&mut violations, "dn_number", &request.dn_number);
    let billing = match request.plan {
        Plan::Standard => {
            let billing_phone = phone(&mut violations, "billing_phone", &request.billing_phone);
            let billing_number = normalized_number(request.billing_number.trim());
            let billing_number = violations
                .check("billing_number", an_shape(&billing_number))
                .map(|()| billing_number);
            billing_phone.zip(billing_number)
        }
        // The free plan bills nothing: billing fields sent anyway are not kept.
        Plan::Free => None,
    };
    let department = violations.check("department", DisplayName::parse(&request.department));
    let contact_person = violations.check("contact_person", DisplayName::parse(&request.contact_person));
    let email = violations.check("email", EmailAddress::parse(&request.email));
    if let Some(email) = &email
        && EmailAddress::parse(&request.email_confirmation).ok().as_ref() != Some(email)
    {
        violations.add("email_confirmation", Invalid::Mismatch);
    }
    let password = password::check_new_password(
        &mut violations,
        &request.password,
        &request.password_confirmation,
        &analytics_id,
        "password",
    );
    let sales_code = violations.check(
        "sales_code",
        sales_code(request.has_sales_code, &request.sales_code),
    );
    match (
        contractor_name,
        contact_phone,
        dn_number,
        department,
        contact_person,
        email,
        password,
        sales_code,
    ) {
        (
            Some(contractor_name),
            Some(contact_phone),
            Some(dn_number),
            Some(department),
            Some(contact_person),
            Some(email),
            Some(password),
            Some(sales_code),
        ) if violations.is_empty() => Ok(ValidSignup {
            opid,
            analytics_id,
            contractor_name,
            industry: request.industry,
            contact_phone,
            an_number,
            dn_number,
            plan: request.plan,
            billing,
            department,
            contact_person,
            email,
            password,
            sales_code,
        }),
        _ => Err(violations),
    }
}

/// Whether the OPID has a subscription, or a sign-up whose link still works. An expired
/// sign-up no longer holds it (seed 000 §1-5: sign up again after 24 hours).
fn opid_taken(conn: &mut DbConn, opid: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let subscribed: i64 = analytics_subscriptions::table
        .filter(analytics_subscriptions::opid.eq(opid))
        .count()
        .get_result(conn)?;
    let pending: i64 = analytics_signups::table
        .filter(analytics_signups::opid.eq(opid))
        .filter(
            analytics_signups::expires_at
                .gt(now)
                .or(analytics_signups::confirmed_at.is_not_null()),
        )
        .count()
        .get_result(conn)?;
    Ok(subscribed + pending > 0)
}

/// A CXサポートID no account signs in with yet.
fn new_analytics_id(conn: &mut DbConn) -> Result<LoginId, ApiError> {
    draw_unused("analytics ID", || {
        let login_id = LoginId::parse(&crate::secrets::random_alphanumeric(ANALYTICS_ID_LEN))?;
        let taken = accounts::find_by_login_id(conn, &login_id)?.is_some();
        Ok((login_id, taken))
    })
}

/// The first of five random draws that is not taken: a clash is all but impossible, but a
/// unique value is checked, not hoped for.
fn draw_unused<T>(what: &str, mut draw: impl FnMut() -> Result<(T, bool), DrawError>) -> Result<T, ApiError> {
    for _ in 0..5 {
        match draw() {
            Ok((value, false)) => return Ok(value),
            Ok((_, true)) => {}
            Err(DrawError::Database(error)) => return Err(error.into()),
            Err(DrawError::Shape(reason)) => {
                return Err(ApiError::internal(anyhow::anyhow!(
                    "a drawn {what} is refused: {reason:?}"
                )));
            }
        }
    }
    Err(ApiError::internal(anyhow::anyhow!(
        "no free {what} in five draws"
    )))
}

/// Why a draw failed: the database, or a drawn value of the wrong shape (a bug).
enum DrawError {
    Database(diesel::result::Error),
    Shape(Invalid),
}

impl From<diesel::result::Error> for DrawError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Database(error)
    }
}

impl From<Invalid> for DrawError {
    fn from(reason: Invalid) -> Self {
        Self::Shape(reason)
    }
}

/// Sign up (CXサポートのお申し込み, seed 000 §1-4). The sign-up is provisional: the link
/// to confirm it is mailed to `email` and works 24 hours.
#[utoipa::path(
    tag = "analytics",
    request_body = SignupRequest,
    responses(
        (status = 202, description = "Provisional; the confirmation link is mailed", body = SignupResponse),
        (status = 400, description = "Not JSON of the request's shape", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named at once: shapes, confirmations that differ, the billing fields a standard plan requires, the sales code, an OPID signed up already (`opid_subscribed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many sign-ups from this address or for this OPID", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("")]
pub async fn sign_up(
    state: web::Data<AppState>,
    RequestLang(lang): RequestLang,
    client: ClientInfo,
    body: Json<SignupRequest>,
) -> Result<HttpResponse, ApiError> {
    let request = body.into_inner();
    let now = state.clock.now_naive();
    let opid = request.opid.trim().to_owned();
    let (taken, analytics_id) = db::run(&state.pool, move |conn| {
        Ok((opid_taken(conn, &opid, now)?, new_analytics_id(conn)?))
    })
    .await?;
    let signup = match validate(request, analytics_id) {
        Ok(signup) if !taken => signup,
        Ok(_) => return Err(ApiError::invalid("opid", Invalid::OpidSubscribed)),
        Err(mut violations) => {
            if taken {
                violations.add("opid", Invalid::OpidSubscribed);
            }
            return Err(violations.into_error());
        }
    };
    state
        .registration_targets
        .check(&format!("opid:{}", signup.opid))?;
    let password_hash = password::hash_off_thread(&signup.password).await?;
    let url_base = state.link("/analytics/signup/confirm");
    let response = db::transaction(&state.pool, move |conn| {
        // Expired sign-ups give their OPIDs back.
        diesel::delete(
            analytics_signups::table
                .filter(analytics_signups::confirmed_at.is_null())
                .filter(analytics_signups::expires_at.le(now)),
        )
        .execute(conn)?;
        if opid_taken(conn, &signup.opid, now)? {
            return Err(ApiError::invalid("opid", Invalid::OpidSubscribed));
        }
        let token = crate::secrets::random_token();
        let expires_at = now + LINK_LIFETIME;
        let (billing_phone, billing_number) = signup.billing.clone().unzip();
        diesel::insert_into(analytics_signups::table)
            .values((
                analytics_signups::token_hash.eq(crate::secrets::hash(&token)),
                analytics_signups::opid.eq(&signup.opid),
                analytics_signups::analytics_id.eq(signup.analytics_id.as_str()),
                analytics_signups::contractor_name.eq(signup.contractor_name.as_str()),
                analytics_signups::industry.eq(signup.industry.as_str()),
                analytics_signups::contact_phone.eq(&signup.contact_phone),
                analytics_signups::an_number.eq(&signup.an_number),
                analytics_signups::dn_number.eq(&signup.dn_number),
                analytics_signups::plan.eq(signup.plan.as_str()),
                analytics_signups::billing_phone.eq(billing_phone),
                analytics_signups::billing_number.eq(billing_number),
                analytics_signups::department.eq(signup.department.as_str()),
                analytics_signups::contact_person.eq(signup.contact_person.as_str()),
                analytics_signups::email.eq(signup.email.as_str()),
                analytics_signups::password_hash.eq(&password_hash),
                analytics_signups::sales_code.eq(&signup.sales_code),
                analytics_signups::lang.eq(lang.tag()),
                analytics_signups::expires_at.eq(expires_at),
                analytics_signups::created_at.eq(now),
            ))
            .execute(conn)?;
        let url = format!("{url_base}?token={token}");
        let mail = templates::AnalyticsSignupProvisional {
            name: signup.contact_person.as_str(),
            opid: &signup.opid,
            url: &url,
            standard: signup.plan == Plan::Standard,
        };
        mail::enqueue(conn, &signup.email, lang, &mail, Quota::Limited, now)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsSignedUp, &client)
                .detail(json!({"opid": signup.opid, "plan": signup.plan})),
            now,
        )?;
        Ok(SignupResponse {
            opid: signup.opid,
            email: signup.email.as_str().to_owned(),
            confirmation_expires_at: expires_at.and_utc(),
        })
    })
    .await?;
    Ok(HttpResponse::Accepted().json(response))
}

/// A sign-up as stored, waiting for its link.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = analytics_signups)]
struct SignupRow {
    id: i64,
    opid: String,
    analytics_id: String,
    contractor_name: String,
    industry: String,
    contact_phone: String,
    an_number: String,
    dn_number: String,
    plan: Plan,
    billing_phone: Option<String>,
    billing_number: Option<String>,
    department: String,
    contact_person: String,
    email: String,
    password_hash: String,
    sales_code: String,
    lang: String,
    expires_at: NaiveDateTime,
    confirmed_at: Option<NaiveDateTime>,
}

/// A customer number no organization has yet: N and 9 digits.
fn new_customer_number(conn: &mut DbConn) -> Result<CustomerNumber, ApiError> {
    draw_unused("customer number", || {
        let number = CustomerNumber::parse(&format!("N{}", crate::secrets::random_digits(9)))?;
        let taken = crate::organizations::find_by_customer_number(conn, &number)?.is_some();
        Ok((number, taken))
    })
}

/// Confirm a sign-up (本登録, seed 000 §1-6) with the token from the (1/3) mail: sets up the
/// organization, the subscriber's account and the subscription with its AN and DN, and
/// mails (2/3) 本登録受付 and (3/3) 利用準備完了 with the CXサポートID.
#[utoipa::path(
    tag = "analytics",
    request_body = ConfirmSignupRequest,
    responses(
        (status = 200, description = "Set up: sign in with the analytics ID, the password and a mailed one-time password", body = ConfirmSignupResponse),
        (status = 400, description = "Not JSON of the request's shape", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown link", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "Expired (sign up again) or used link", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The OPID was subscribed meanwhile (`opid_subscribed`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/confirm")]
pub async fn confirm_sign_up(
    state: web::Data<AppState>,
    client: ClientInfo,
    body: Json<ConfirmSignupRequest>,
) -> Result<web::Json<ConfirmSignupResponse>, ApiError> {
    let token_hash = crate::secrets::hash(&body.into_inner().token);
    let now = state.clock.now_naive();
    let sign_in_url = state.link("/login");
    let confirmed = db::transaction(&state.pool, move |conn| {
        let signup: SignupRow = analytics_signups::table
            .filter(analytics_signups::token_hash.eq(&token_hash))
            .select(SignupRow::as_select())
            .first(conn)
            .optional()?
            .ok_or(AuthError::LinkInvalid)?;
        if signup.confirmed_at.is_some() {
            return Err(AuthError::LinkUsed.into());
        }
        if signup.expires_at <= now {
            return Err(AuthError::LinkExpired.into());
        }
        let subscribed: i64 = analytics_subscriptions::table
            .filter(analytics_subscriptions::opid.eq(&signup.opid))
            .count()
            .get_result(conn)?;
        if subscribed > 0 {
            return Err(ApiError::invalid("opid", Invalid::OpidSubscribed));
        }
        set_up(conn, &signup, &client, &sign_in_url, now)
    })
    .await?;
    Ok(web::Json(confirmed))
}

/// The organization, the account and the subscription of a confirmed sign-up, its mails
/// and its audit record; the sign-up is marked used.
fn set_up(
    conn: &mut DbConn,
    signup: &SignupRow,
    client: &ClientInfo,
    sign_in_url: &str,
    now: NaiveDateTime,
) -> Result<ConfirmSignupResponse, ApiError> {
    // Stored from validated input: parsing again cannot fail but for a corrupted row.
    let corrupted =
        |reason: Invalid| ApiError::internal(anyhow::anyhow!("stored sign-up {}: {reason:?}", signup.id));
    let contractor = DisplayName::parse(&signup.contractor_name).map_err(corrupted)?;
    let contact_person = DisplayName::parse(&signup.contact_person).map_err(corrupted)?;
    let email = EmailAddress::parse(&signup.email).map_err(corrupted)?;
    let login_id = LoginId::parse(&signup.analytics_id).map_err(corrupted)?;
    let lang = Lang::from_tag(&signup.lang);

    let customer_number = new_customer_number(conn)?;
    let organization = crate::organizations::insert(conn, &customer_number, &contractor, now)?;
    let new = NewAccount {
        organization: Some(organization.id),
        login_id,
        full_name: contact_person,
        email: email.clone(),
        password_hash: Some(signup.password_hash.clone()),
        // The subscriber administers its own organization (its child IDs, later).
        role: Role::UserAdmin,
        status: AccountStatus::Active,
        company_name: Some(contractor),
        maintenance_email: None,
        preferred_lang: lang,
        grants: Grants {
            pbx_admin: false,
            analytics: true,
        },
    };
    let account = accounts::insert(conn, &new, now)?;
    // 認証方式 ワンタイムパスワード: every sign-in asks for a code mailed to this address.
    accounts::set_otp_email(conn, account.id, Some(email.as_str()), now)?;
    let subscription_id: madoguchi_types::ids::SubscriptionId =
        diesel::insert_into(analytics_subscriptions::table)
            .values((
                analytics_subscriptions::organization_id.eq(organization.id),
                analytics_subscriptions::opid.eq(&signup.opid),
                analytics_subscriptions::analytics_id.eq(&signup.analytics_id),
                analytics_subscriptions::plan.eq(signup.plan),
                analytics_subscriptions::created_at.eq(now),
                analytics_subscriptions::updated_at.eq(now),
                analytics_subscriptions::industry.eq(Some(&signup.industry)),
                analytics_subscriptions::contact_phone.eq(Some(&signup.contact_phone)),
                analytics_subscriptions::department.eq(Some(&signup.department)),
                analytics_subscriptions::contact_person.eq(Some(&signup.contact_person)),
                analytics_subscriptions::sales_code.eq(Some(&signup.sales_code)),
                analytics_subscriptions::billing_phone.eq(&signup.billing_phone),
                analytics_subscriptions::billing_number.eq(&signup.billing_number),
            ))
            .returning(analytics_subscriptions::id)
            .get_result(conn)?;
    for (kind, number) in [
        (NumberKind::An, &signup.an_number),
        (NumberKind::Dn, &signup.dn_number),
    ] {
        diesel::insert_into(analytics_numbers::table)
            .values((
                analytics_numbers::subscription_id.eq(subscription_id),
                analytics_numbers::kind.eq(kind),
                analytics_numbers::number.eq(number),
                analytics_numbers::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    diesel::update(analytics_signups::table.find(signup.id))
        .set((
            analytics_signups::confirmed_at.eq(now),
            // The account holds the hash now.
            analytics_signups::password_hash.eq(""),
        ))
        .execute(conn)?;
    let name = account.full_name.as_str();
    mail::enqueue(
        conn,
        &email,
        lang,
        &templates::AnalyticsSignupReceived {
            name,
            opid: &signup.opid,
        },
        Quota::Exempt,
        now,
    )?;
    mail::enqueue(
        conn,
        &email,
        lang,
        &templates::AnalyticsSignupReady {
            name,
            analytics_id: &signup.analytics_id,
            sign_in_url,
        },
        Quota::Exempt,
        now,
    )?;
    audit::record(
        conn,
        &audit::Event::new(AuditAction::AnalyticsSignupConfirmed, client)
            .by_account_itself(Some(organization.id), account.id)
            .detail(json!({"opid": signup.opid, "plan": signup.plan, "subscription_id": subscription_id})),
        now,
    )?;
    Ok(ConfirmSignupResponse {
        analytics_id: signup.analytics_id.clone(),
        opid: signup.opid.clone(),
        plan: signup.plan,
    })
}
