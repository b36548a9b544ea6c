//! `GET /api/v1/jobs/{id}`: a job's state and progress, for progress bars.

use actix_web::{HttpResponse, get, web};
use madoguchi_types::accounts::Role;
use madoguchi_types::jobs::{Job as JobDto, JobProgress};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{Job, JobId, NewJob, StoredProblem};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::error::ApiError;
use crate::i18n::{Lang, RequestLang};

pub fn routes(config: &mut ServiceConfig) {
    config.service(get_job);
}

/// Queues `job` for work too long for the request and answers 202 with it, `Location`
/// naming where to follow its progress.
pub async fn accepted(state: &AppState, job: NewJob, lang: Lang) -> Result<HttpResponse, ApiError> {
    let now = state.clock.now_naive();
    let job = db::transaction(&state.pool, move |conn| {
        let id = super::enqueue(conn, &job, now)?;
        super::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(following(job, lang))
}

/// 202 with a job that does the work, `Location` naming where to follow it.
pub fn following(job: Job, lang: Lang) -> HttpResponse {
    let dto = dto(job, lang);
    HttpResponse::Accepted()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/jobs/{}", dto.id),
        ))
        .json(dto)
}

/// A job as its reader sees it (the problem in their language).
pub fn dto(job: Job, lang: Lang) -> JobDto {
    let problem = job
        .problem
        .as_deref()
        .and_then(|stored| serde_json::from_str::<StoredProblem>(stored).ok())
        .map(|stored| match lang {
            Lang::Ja => stored.ja,
            Lang::En => stored.en,
        });
    JobDto {
        id: job.id,
        kind: job.kind,
        state: job.state,
        progress: JobProgress {
            done: job.progress_done,
            total: job.progress_total,
        },
        attempts: job.attempts,
        max_attempts: job.max_attempts,
        result: job
            .result
            .as_deref()
            .and_then(|result| serde_json::from_str(result).ok()),
        problem,
        created_at: job.created_at.and_utc(),
        started_at: job.started_at.map(|at| at.and_utc()),
        finished_at: job.finished_at.map(|at| at.and_utc()),
    }
}

/// A job: its state, progress (`done` of `total`), and its result or problem. Readable by
/// the account that started it, and by staff.
#[utoipa::path(
    tag = "jobs",
    params(("id" = JobId, Path, description = "The job's id")),
    responses(
        (status = 200, description = "The job", body = JobDto),
        (status = 404, description = "No such job, or not yours", body = madoguchi_types::Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/jobs/{id}")]
pub async fn get_job(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    id: web::Path<JobId>,
) -> Result<web::Json<JobDto>, ApiError> {
    let id = id.into_inner();
    let job = db::run(&state.pool, move |conn| Ok(super::find(conn, id)?))
        .await?
        .ok_or(ApiError::NotFound)?;
    let visible = user.role() == Role::Staff || job.created_by == Some(user.id());
    if !visible {
        return Err(ApiError::NotFound);
    }
    Ok(web::Json(dto(job, lang)))
}
