//! A small durable job queue: work that outlives a request (mail delivery, recovery mails,
//! purges; later imports, rollups and renderings). A job is written in the transaction of
//! the change that asks for it, so nothing is lost; workers in every API instance claim
//! due jobs with a lease (a conditional update only one instance can win), retry failures
//! with backoff, and report progress that `GET /api/v1/jobs/{id}` shows.

pub mod routes;
pub mod worker;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Problem;
pub use madoguchi_types::ids::JobId;
pub use madoguchi_types::jobs::{JobKind, JobState};
use serde::{Deserialize, Serialize};

use crate::accounts::AccountId;
use crate::db::DbConn;
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::organizations::OrganizationId;
use crate::schema::jobs;

/// Longest wait between two attempts at one job.
const MAX_BACKOFF: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: JobId,
    pub kind: JobKind,
    pub payload: String,
    pub state: JobState,
    pub organization_id: Option<OrganizationId>,
    pub created_by: Option<AccountId>,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_after: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub worker: Option<String>,
    pub progress_done: i64,
    pub progress_total: Option<i64>,
    pub result: Option<String>,
    pub last_error: Option<String>,
    pub problem: Option<String>,
    pub recipient: Option<String>,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
}

impl Job {
    /// The payload as the kind's type.
    pub fn payload<T: for<'de> Deserialize<'de>>(&self) -> Result<T, JobError> {
        serde_json::from_str(&self.payload).map_err(|error| JobError::fatal(format!("payload: {error}")))
    }
}

/// A job to queue.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: JobKind,
    pub payload: serde_json::Value,
    /// Who may read it through the API besides staff: its creator.
    pub organization_id: Option<OrganizationId>,
    pub created_by: Option<AccountId>,
    pub max_attempts: i32,
    /// Mail: the recipient (for the per-recipient limit).
    pub recipient: Option<String>,
    /// How long after it is queued it becomes due.
    pub delay: TimeDelta,
}

impl NewJob {
    pub fn new(kind: JobKind, payload: &impl Serialize) -> Self {
        Self {
            kind,
            payload: serde_json::to_value(payload).unwrap_or(serde_json::Value::Null),
            organization_id: None,
            created_by: None,
            max_attempts: 5,
            recipient: None,
            delay: TimeDelta::zero(),
        }
    }

    /// Due `delay` after it is queued, not at once.
    pub fn after(mut self, delay: TimeDelta) -> Self {
        self.delay = delay;
        self
    }

    pub fn created_by(mut self, account: AccountId, organization: Option<OrganizationId>) -> Self {
        self.created_by = Some(account);
        self.organization_id = organization;
        self
    }

    pub fn max_attempts(mut self, attempts: i32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    pub fn recipient(mut self, recipient: &str) -> Self {
        self.recipient = Some(recipient.to_owned());
        self
    }
}

/// Queues a job, due at once (or after its delay). Call it inside the transaction of the
/// change it belongs to.
pub fn enqueue(conn: &mut DbConn, job: &NewJob, now: NaiveDateTime) -> QueryResult<JobId> {
    diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(job.kind),
            jobs::payload.eq(job.payload.to_string()),
            jobs::state.eq(JobState::Queued),
            jobs::organization_id.eq(job.organization_id),
            jobs::created_by.eq(job.created_by),
            jobs::max_attempts.eq(job.max_attempts),
            jobs::run_after.eq(now + job.delay),
            jobs::recipient.eq(job.recipient.as_deref()),
            jobs::created_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: JobId) -> QueryResult<Option<Job>> {
    jobs::table
        .find(id)
        .select(Job::as_select())
        .get_result(conn)
        .optional()
}

/// Claims up to `limit` due jobs of the given `kinds` — queued and due, or running under a
/// lease that ran out (its worker died) — for `worker` until `now + lease`. A worker claims
/// only kinds it has a handler for: during a rolling upgrade an older instance leaves a new
/// kind of job to the instances that know it, instead of failing it. Each claim is a
/// conditional update that re-checks the job is still due with the attempt count seen, so
/// of two instances racing for a job exactly one wins it.
pub fn claim_due(
    conn: &mut DbConn,
    worker: &str,
    kinds: &[JobKind],
    now: NaiveDateTime,
    lease: TimeDelta,
    limit: i64,
) -> QueryResult<Vec<Job>> {
    let is_due = (jobs::state.eq(JobState::Queued).and(jobs::run_after.le(now)))
        .or(jobs::state.eq(JobState::Running).and(jobs::lease_until.le(now)));
    let candidates: Vec<Job> = jobs::table
        .filter(is_due)
        .filter(jobs::kind.eq_any(kinds))
        .order(jobs::id.asc())
        .limit(limit)
        .select(Job::as_select())
        .load(conn)?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for job in candidates {
        let is_due = (jobs::state.eq(JobState::Queued).and(jobs::run_after.le(now)))
            .or(jobs::state.eq(JobState::Running).and(jobs::lease_until.le(now)));
        let won: Option<Job> = diesel::update(
            jobs::table
                .find(job.id)
                .filter(jobs::attempts.eq(job.attempts))
                .filter(is_due),
        )
        .set((
            jobs::state.eq(JobState::Running),
            jobs::attempts.eq(job.attempts + 1),
            jobs::lease_until.eq(now + lease),
            jobs::worker.eq(worker),
            jobs::started_at.eq(job.started_at.unwrap_or(now)),
        ))
        .returning(jobs::all_columns)
        .get_result(conn)
        .optional()?;
        claimed.extend(won);
    }
    Ok(claimed)
}

/// The claim of one attempt: only its holder may report on the job (a stale worker whose
/// lease ran out and whose job was claimed again cannot).
#[derive(Debug, Clone, Copy)]
pub struct Claim {
    pub id: JobId,
    pub attempt: i32,
}

impl From<&Job> for Claim {
    fn from(job: &Job) -> Self {
        Self {
            id: job.id,
            attempt: job.attempts,
        }
    }
}

/// The job, if `claim` still holds it: running, and not claimed again since (a worker whose
/// lease ran out must not report on a job another worker now holds).
#[diesel::dsl::auto_type(no_type_alias)]
fn held(claim: Claim) -> _ {
    let id: JobId = claim.id;
    let attempt: i32 = claim.attempt;
    let running: JobState = JobState::Running;
    jobs::table
        .find(id)
        .filter(jobs::attempts.eq(attempt))
        .filter(jobs::state.eq(running))
}

/// Records progress (`done` of `total`) and extends the lease. Returns false when the
/// claim is no longer ours.
pub fn report_progress(
    conn: &mut DbConn,
    claim: Claim,
    done: i64,
    total: Option<i64>,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(held(claim))
        .set((
            jobs::progress_done.eq(done),
            jobs::progress_total.eq(total),
            jobs::lease_until.eq(lease_until),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn complete(
    conn: &mut DbConn,
    claim: Claim,
    result: &serde_json::Value,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let updated = diesel::update(held(claim))
        .set((
            jobs::state.eq(JobState::Done),
            jobs::result.eq(Some(result.to_string())),
            jobs::lease_until.eq(None::<NaiveDateTime>),
            jobs::last_error.eq(None::<String>),
            jobs::finished_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Why an attempt failed.
#[derive(Debug)]
pub struct JobError {
    /// For the log and `last_error` (never shown to customers).
    pub message: String,
    /// Worth another attempt (a mail server that is down) or not (a broken payload).
    pub retryable: bool,
    /// What the job's reader is told when it gives up.
    pub problem: Option<ApiError>,
}

impl JobError {
    pub fn retryable(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: true,
            problem: None,
        }
    }

    pub fn fatal(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            retryable: false,
            problem: None,
        }
    }

    /// The job cannot be done as asked (bad input found while working): the reader gets
    /// this problem.
    pub fn refused(problem: ApiError) -> Self {
        Self {
            message: problem.to_string(),
            retryable: false,
            problem: Some(problem),
        }
    }
}

impl From<diesel::result::Error> for JobError {
    fn from(error: diesel::result::Error) -> Self {
        Self::retryable(format!("database: {error}"))
    }
}

impl From<ApiError> for JobError {
    fn from(error: ApiError) -> Self {
        Self::retryable(error.to_string())
    }
}

/// The problem document of a failed job in both languages, so that each reader gets theirs.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoredProblem {
    pub ja: Problem,
    pub en: Problem,
}

impl StoredProblem {
    pub fn of(error: &ApiError) -> Self {
        Self {
            ja: error.problem(Lang::Ja),
            en: error.problem(Lang::En),
        }
    }
}

/// After a failed attempt: queued again after a backoff, or failed for good when no
/// attempt is left (or the error is not worth retrying).
pub fn fail_attempt(
    conn: &mut DbConn,
    job: &Job,
    error: &JobError,
    now: NaiveDateTime,
) -> QueryResult<JobState> {
    let message: String = error.message.chars().take(1000).collect();
    let give_up = !error.retryable || job.attempts >= job.max_attempts;
    let target = held(Claim::from(job));
    if give_up {
        // Without a problem of its own, the reader gets the generic "system error" one;
        // the cause is in `last_error` and the log, for staff.
        let stored = match &error.problem {
            Some(problem) => StoredProblem::of(problem),
            None => StoredProblem::of(&ApiError::internal(anyhow::anyhow!("job failed"))),
        };
        diesel::update(target)
            .set((
                jobs::state.eq(JobState::Failed),
                jobs::last_error.eq(Some(message)),
                jobs::problem.eq(serde_json::to_string(&stored).ok()),
                jobs::lease_until.eq(None::<NaiveDateTime>),
                jobs::finished_at.eq(Some(now)),
            ))
            .execute(conn)?;
        return Ok(JobState::Failed);
    }
    diesel::update(target)
        .set((
            jobs::state.eq(JobState::Queued),
            jobs::last_error.eq(Some(message)),
            jobs::run_after.eq(now + backoff(job.attempts)),
            jobs::lease_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(JobState::Queued)
}

/// 1 min after the first failure, doubling, at most [`MAX_BACKOFF`].
pub fn backoff(attempts: i32) -> TimeDelta {
    let exponent = attempts.clamp(1, 10) - 1;
    (TimeDelta::minutes(1) * 2_i32.pow(exponent.unsigned_abs())).min(MAX_BACKOFF)
}

/// Whether a job of `kind` is queued or running (to keep periodic jobs single).
pub fn pending_of_kind(conn: &mut DbConn, kind: JobKind) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        jobs::table
            .filter(jobs::kind.eq(kind))
            .filter(jobs::state.eq_any([JobState::Queued, JobState::Running])),
    ))
    .get_result(conn)
}

/// Deletes finished jobs older than `cutoff`.
pub fn purge_finished(conn: &mut DbConn, cutoff: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        jobs::table
            .filter(jobs::state.eq_any([JobState::Done, JobState::Failed]))
            .filter(jobs::finished_at.lt(cutoff)),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), TimeDelta::minutes(1));
        assert_eq!(backoff(2), TimeDelta::minutes(2));
        assert_eq!(backoff(5), TimeDelta::minutes(16));
        assert_eq!(backoff(7), TimeDelta::hours(1));
        assert_eq!(backoff(50), TimeDelta::hours(1));
    }
}
