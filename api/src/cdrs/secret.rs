//! 秘密の質問 (seed 003 §6.3): the second secret that guards a site's call-detail records.
//! The site's administrator sets a question and its answer (each at most 30 characters; the
//! answer kept as an Argon2id hash); a change needs the current answer. A right answer
//! gives a grant for 15 minutes; five wrong answers in a row lock the account out of the
//! question for 15 minutes. Every answer, right or wrong, is audited.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::accounts::{AuditAction, Role};
use madoguchi_types::cdrs::{
    CdrGrant, GrantRequest, SECRET_MAX_CHARS, SecretQuestion, SecretRequest, secret_text_shape,
};
use madoguchi_types::ids::{AccountId, SiteId};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::accounts::password;
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::extensions::{SiteRow, find_site};
use crate::json::Json;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{cdr_answer_failures, cdr_grants, cdr_secrets};

/// Wrong answers in a row that lock an account out of the question.
const WRONG_ANSWERS_MAX: i32 = 5;
/// How long such a lock lasts.
const LOCK: TimeDelta = TimeDelta::minutes(15);
/// How long a grant lets its account read the site's records.
pub const GRANT_LIFETIME: TimeDelta = TimeDelta::minutes(15);

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(get_secret)
        .service(set_secret)
        .service(answer_question);
}

fn question_of(conn: &mut DbConn, site: SiteId) -> QueryResult<Option<(String, String)>> {
    cdr_secrets::table
        .find(site)
        .select((cdr_secrets::question, cdr_secrets::answer_hash))
        .first(conn)
        .optional()
}

/// Whether the account may answer now: the seconds it must wait otherwise.
fn locked_for(
    conn: &mut DbConn,
    site: SiteId,
    account: AccountId,
    now: NaiveDateTime,
) -> QueryResult<Option<u64>> {
    let until: Option<Option<NaiveDateTime>> = cdr_answer_failures::table
        .find((site, account))
        .select(cdr_answer_failures::locked_until)
        .first(conn)
        .optional()?;
    Ok(until
        .flatten()
        .filter(|until| *until > now)
        .map(|until| u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1)))
}

/// Counts a wrong answer; the fifth in a row locks. Whether it locked.
fn count_wrong(conn: &mut DbConn, site: SiteId, account: AccountId, now: NaiveDateTime) -> QueryResult<bool> {
    let failures: Option<i32> = cdr_answer_failures::table
        .find((site, account))
        .select(cdr_answer_failures::failures)
        .first(conn)
        .optional()?;
    // A lock that ran out starts the count again.
    let failures = failures.unwrap_or(0) % WRONG_ANSWERS_MAX + 1;
    let locked_until = (failures >= WRONG_ANSWERS_MAX).then_some(now + LOCK);
    diesel::delete(cdr_answer_failures::table.find((site, account))).execute(conn)?;
    diesel::insert_into(cdr_answer_failures::table)
        .values((
            cdr_answer_failures::site_id.eq(site),
            cdr_answer_failures::account_id.eq(account),
            cdr_answer_failures::failures.eq(failures),
            cdr_answer_failures::locked_until.eq(locked_until),
            cdr_answer_failures::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(locked_until.is_some())
}

fn forget_wrong(conn: &mut DbConn, site: SiteId, account: AccountId) -> QueryResult<usize> {
    diesel::delete(cdr_answer_failures::table.find((site, account))).execute(conn)
}

/// What an answer came to, decided and recorded in one transaction (a wrong answer is
/// counted and audited even though the request then fails).
enum Answered<T> {
    Right(T),
    Wrong { locked: bool },
    Locked { retry_after_secs: u64 },
}

fn refused<T>(answered: Answered<T>, field: &str) -> Result<T, ApiError> {
    match answered {
        Answered::Right(value) => Ok(value),
        Answered::Wrong { locked: false } => Err(ApiError::invalid(field, Invalid::WrongAnswer)),
        Answered::Wrong { locked: true } => Err(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(LOCK.num_seconds()).unwrap_or(900),
        }),
        Answered::Locked { retry_after_secs } => Err(ApiError::TooManyRequests { retry_after_secs }),
    }
}

/// Checks an answer under the account's lock: wrong ones counted and audited.
fn check_answer(
    conn: &mut DbConn,
    site: &SiteRow,
    actor: AccountId,
    client: &ClientInfo,
    given: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<Answered<()>, ApiError> {
    if let Some(retry_after_secs) = locked_for(conn, site.id, actor, now)? {
        return Ok(Answered::Locked { retry_after_secs });
    }
    if password::verify(given.trim(), hash) {
        forget_wrong(conn, site.id, actor)?;
        return Ok(Answered::Right(()));
    }
    let locked = count_wrong(conn, site.id, actor, now)?;
    audit::record(
        conn,
        &audit::Event::new(AuditAction::CdrAnswerRefused, client)
            .organization(Some(site.organization_id))
            .actor(Some(actor))
            .detail(json!({"site": site.name, "locked": locked})),
        now,
    )?;
    Ok(Answered::Wrong { locked })
}

/// The site's secret question (never its answer).
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id")),
    responses(
        (status = 200, description = "The question, absent until one is set", body = SecretQuestion),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/cdr-secret")]
pub async fn get_secret(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SiteId>,
) -> Result<web::Json<SecretQuestion>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, site) = (user.scope(), id.into_inner());
    let question = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        Ok(question_of(conn, site)?.map(|(question, _)| question))
    })
    .await?;
    Ok(web::Json(SecretQuestion { question }))
}

/// Set the secret question and its answer (認証設定変更). Once one is set, a change needs
/// the current answer — counted like any answer.
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = SecretRequest,
    responses(
        (status = 200, description = "The question as it is now", body = SecretQuestion),
        (status = 403, description = "No PBX administration right; or provider staff (only the customer sets its question)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A question or answer empty, over 30 characters or with control characters; the current answer missing or wrong", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Five wrong answers: locked for 15 minutes (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[put("/pbx-sites/{id}/cdr-secret")]
pub async fn set_secret(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<SecretRequest>,
) -> Result<web::Json<SecretQuestion>, ApiError> {
    user.require(Permission::Pbx)?;
    // The question keeps the customer's records from everyone else, the provider's staff
    // included: only the customer's own administrators set it (seed 003 §6.3).
    if user.role() == Role::Staff {
        return Err(ApiError::Forbidden);
    }
    let request = body.into_inner();
    let (question, answer) = (
        request.question.trim().to_owned(),
        request.answer.trim().to_owned(),
    );
    let mut violations = Violations::default();
    violations.check("question", secret_text_shape(&question));
    violations.check("answer", secret_text_shape(&answer));
    if let Some(current) = &request.current_answer
        && current.chars().count() > SECRET_MAX_CHARS
    {
        violations.add(
            "current_answer",
            Invalid::TooLong {
                max: SECRET_MAX_CHARS,
            },
        );
    }
    violations.finish()?;
    let hash = password::hash(&answer).map_err(ApiError::internal)?;
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let answered = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        let existing = question_of(conn, site)?;
        if let Some((_, current_hash)) = &existing {
            let Some(current) = request.current_answer.as_deref() else {
                return Err(ApiError::invalid("current_answer", Invalid::Required));
            };
            match check_answer(conn, &site_row, actor, &client, current, current_hash, now)? {
                Answered::Right(()) => {}
                Answered::Wrong { locked } => return Ok(Answered::Wrong { locked }),
                Answered::Locked { retry_after_secs } => return Ok(Answered::Locked { retry_after_secs }),
            }
        }
        diesel::delete(cdr_secrets::table.find(site)).execute(conn)?;
        diesel::insert_into(cdr_secrets::table)
            .values((
                cdr_secrets::site_id.eq(site),
                cdr_secrets::question.eq(&question),
                cdr_secrets::answer_hash.eq(&hash),
                cdr_secrets::updated_at.eq(now),
            ))
            .execute(conn)?;
        // Grants given for the old answer end with it.
        diesel::delete(cdr_grants::table.filter(cdr_grants::site_id.eq(site))).execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::CdrSecretSet, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name, "changed": existing.is_some()})),
            now,
        )?;
        Ok(Answered::Right(question))
    })
    .await?;
    let question = refused(answered, "current_answer")?;
    Ok(web::Json(SecretQuestion {
        question: Some(question),
    }))
}

/// Answer the secret question: a right answer gives a grant to read the site's records for
/// 15 minutes (send it as `X-CDR-Grant`).
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body = GrantRequest,
    responses(
        (status = 201, description = "The grant", body = CdrGrant),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong answer (`wrong_answer`), one over 30 characters (`too_long`, not counted), or no question set yet (`no_secret_question`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Five wrong answers in a row: locked for 15 minutes (`Retry-After`)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/cdr-grants")]
pub async fn answer_question(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    body: Json<GrantRequest>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let given = body.into_inner().answer;
    if given.trim().is_empty() {
        return Err(ApiError::invalid("answer", Invalid::Required));
    }
    // Never the answer (which has at most 30): refused without counting as a try.
    if given.chars().count() > SECRET_MAX_CHARS {
        return Err(ApiError::invalid(
            "answer",
            Invalid::TooLong {
                max: SECRET_MAX_CHARS,
            },
        ));
    }
    let (scope, actor, now, site) = (user.scope(), user.id(), state.clock.now_naive(), id.into_inner());
    let grant = crate::secrets::random_token();
    let digest = crate::secrets::hash(&grant);
    let expires_at = now + GRANT_LIFETIME;
    let answered = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        let Some((_, hash)) = question_of(conn, site)? else {
            return Err(ApiError::invalid("answer", Invalid::NoSecretQuestion));
        };
        match check_answer(conn, &site_row, actor, &client, &given, &hash, now)? {
            Answered::Right(()) => {}
            Answered::Wrong { locked } => return Ok(Answered::Wrong { locked }),
            Answered::Locked { retry_after_secs } => return Ok(Answered::Locked { retry_after_secs }),
        }
        // Expired grants of the account go as it gets a new one.
        diesel::delete(
            cdr_grants::table
                .filter(cdr_grants::account_id.eq(actor))
                .filter(cdr_grants::expires_at.le(now)),
        )
        .execute(conn)?;
        diesel::insert_into(cdr_grants::table)
            .values((
                cdr_grants::token_hash.eq(&digest),
                cdr_grants::site_id.eq(site),
                cdr_grants::account_id.eq(actor),
                cdr_grants::expires_at.eq(expires_at),
            ))
            .execute(conn)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::CdrAccessGranted, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name})),
            now,
        )?;
        Ok(Answered::Right(()))
    })
    .await?;
    refused(answered, "answer")?;
    Ok(HttpResponse::Created().json(CdrGrant {
        grant,
        expires_at: DateTime::<Utc>::from_naive_utc_and_offset(expires_at, Utc),
    }))
}
