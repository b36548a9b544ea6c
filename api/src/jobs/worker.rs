//! Runs due jobs. Every API instance runs one worker; they share the queue safely (see
//! [`super::claim_due`]). A worker runs a few jobs at once, so that a long import does not
//! hold up mail.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use tokio::task::JoinSet;

use super::{Claim, Job, JobError, JobKind, NewJob};
use crate::clock::Clock;
use crate::db::{self, DbConn, DbPool};
use crate::error::ApiError;

/// How long a claimed job is reserved for its worker; progress reports extend it.
pub const LEASE: TimeDelta = TimeDelta::minutes(5);
/// Jobs one worker runs at the same time.
const CONCURRENCY: usize = 4;
/// Kinds a person waits for (a sign-in code, a reset link): claimed before the others, so
/// that a queue of drawings or imports does not hold up mail.
const URGENT: [JobKind; 3] = [JobKind::Mail, JobKind::ForgotLoginId, JobKind::ForgotPassword];
/// How often each instance makes sure the purge of expired sign-in material is queued.
const PURGE_EVERY: TimeDelta = TimeDelta::hours(6);

pub type JobFuture = Pin<Box<dyn Future<Output = Result<serde_json::Value, JobError>> + Send>>;
pub type Handler = Arc<dyn Fn(JobContext) -> JobFuture + Send + Sync>;

/// What a job's handler gets: the job, the database and the clock.
#[derive(Clone)]
pub struct JobContext {
    pub job: Job,
    pub pool: DbPool,
    pub clock: Clock,
}

impl JobContext {
    /// Runs database work for the job.
    pub async fn db<T, F>(&self, work: F) -> Result<T, JobError>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
    {
        db::run(&self.pool, work).await.map_err(JobError::from)
    }

    /// Records progress and renews the lease. Fails when another worker has taken the job
    /// over (this one was presumed dead): the handler should stop.
    pub async fn progress(&self, done: i64, total: Option<i64>) -> Result<(), JobError> {
        let claim = Claim::from(&self.job);
        let lease_until = self.clock.now_naive() + LEASE;
        let ours = self
            .db(move |conn| Ok(super::report_progress(conn, claim, done, total, lease_until)?))
            .await?;
        if ours {
            Ok(())
        } else {
            Err(JobError::fatal("the job was taken over by another worker"))
        }
    }
}

/// The handler of each job kind.
#[derive(Default, Clone)]
pub struct Handlers(HashMap<JobKind, Handler>);

impl Handlers {
    pub fn register<F, Fut>(&mut self, kind: JobKind, handler: F)
    where
        F: Fn(JobContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<serde_json::Value, JobError>> + Send + 'static,
    {
        self.0
            .insert(kind, Arc::new(move |context| Box::pin(handler(context))));
    }

    fn get(&self, kind: JobKind) -> Option<Handler> {
        self.0.get(&kind).cloned()
    }

    /// The kinds this worker can run (the only ones it claims).
    fn kinds(&self) -> Vec<JobKind> {
        self.0.keys().copied().collect()
    }
}

pub struct Worker {
    pub pool: DbPool,
    pub clock: Clock,
    pub handlers: Arc<Handlers>,
    /// Names this instance in the `worker` column (host and process).
    pub name: String,
    pub poll_interval: Duration,
}

impl Worker {
    /// Runs jobs until the process ends.
    pub async fn run(self) {
        let mut running = JoinSet::new();
        let mut next_purge = self.clock.now_naive() + TimeDelta::minutes(1);
        loop {
            while running.try_join_next().is_some() {}
            let free = CONCURRENCY.saturating_sub(running.len());
            if free > 0 {
                match self.claim(free).await {
                    Ok(jobs) => {
                        for job in jobs {
                            running.spawn(self.execute(job));
                        }
                    }
                    Err(error) => tracing::warn!(%error, "claiming jobs failed"),
                }
            }
            let now = self.clock.now_naive();
            if now >= next_purge {
                next_purge = now + PURGE_EVERY;
                if let Err(error) = self.schedule_purge(now).await {
                    tracing::warn!(%error, "scheduling the purge failed");
                }
            }
            tokio::time::sleep(self.poll_interval).await;
        }
    }

    /// One round, for tests and tools: claims what is due and runs it to the end. Returns
    /// how many jobs ran.
    pub async fn run_due(&self) -> Result<usize, ApiError> {
        let jobs = self.claim(CONCURRENCY * 4).await?;
        let count = jobs.len();
        let mut running = JoinSet::new();
        for job in jobs {
            running.spawn(self.execute(job));
        }
        while running.join_next().await.is_some() {}
        Ok(count)
    }

    /// Claims up to `limit` due jobs, those people wait for first.
    async fn claim(&self, limit: usize) -> Result<Vec<Job>, ApiError> {
        let (name, now) = (self.name.clone(), self.clock.now_naive());
        let (urgent, other): (Vec<JobKind>, Vec<JobKind>) = self
            .handlers
            .kinds()
            .into_iter()
            .partition(|kind| URGENT.contains(kind));
        let limit = i64::try_from(limit).unwrap_or(1);
        db::run(&self.pool, move |conn| {
            let mut claimed = super::claim_due(conn, &name, &urgent, now, LEASE, limit)?;
            let left = limit - i64::try_from(claimed.len()).unwrap_or(limit);
            if left > 0 {
                claimed.extend(super::claim_due(conn, &name, &other, now, LEASE, left)?);
            }
            Ok(claimed)
        })
        .await
    }

    /// Makes sure each periodic purge this worker can run is queued (once, whichever
    /// instance gets there first).
    async fn schedule_purge(&self, now: NaiveDateTime) -> Result<(), ApiError> {
        let kinds: Vec<JobKind> = [
            JobKind::PurgeExpired,
            JobKind::PurgeUploads,
            JobKind::PurgeCallRecords,
            JobKind::PurgeAnalytics,
        ]
        .into_iter()
        .filter(|kind| self.handlers.get(*kind).is_some())
        .collect();
        db::transaction(&self.pool, move |conn| {
            for kind in kinds {
                if !super::pending_of_kind(conn, kind)? {
                    super::enqueue(conn, &NewJob::new(kind, &serde_json::json!({})), now)?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Runs one claimed job and records the outcome.
    fn execute(&self, job: Job) -> impl Future<Output = ()> + Send + 'static {
        let handler = self.handlers.get(job.kind);
        let context = JobContext {
            job: job.clone(),
            pool: self.pool.clone(),
            clock: self.clock.clone(),
        };
        let span = tracing::info_span!("job", job_id = %job.id, kind = %job.kind, attempt = job.attempts);
        let (pool, clock) = (self.pool.clone(), self.clock.clone());
        tracing::Instrument::instrument(
            async move {
                let outcome = match handler {
                    Some(handler) => handler(context).await,
                    None => Err(JobError::fatal(format!("no handler for {}", job.kind))),
                };
                let now = clock.now_naive();
                let recorded = match outcome {
                    Ok(result) => {
                        let claim = Claim::from(&job);
                        db::run(&pool, move |conn| Ok(super::complete(conn, claim, &result, now)?))
                            .await
                            .map(|_| ())
                    }
                    Err(error) => {
                        tracing::warn!(error = %error.message, retryable = error.retryable, "job attempt failed");
                        db::run(&pool, move |conn| {
                            Ok(super::fail_attempt(conn, &job, &error, now)?)
                        })
                        .await
                        .map(|state| tracing::debug!(%state, "job rescheduled"))
                    }
                };
                if let Err(error) = recorded {
                    tracing::warn!(%error, "recording the job's outcome failed; its lease will run out");
                }
            },
            span,
        )
    }
}
