//! The periodic purge of expired sign-in material, unconfirmed registrations and old
//! finished jobs: nothing a password, a link or a code could still use is kept longer than
//! needed.

use chrono::TimeDelta;
use serde_json::json;

use super::{links, otp, sessions};
use crate::accounts;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{self, JobError, JobKind};

/// Ended sessions, used links and expired codes are kept this long (for support).
const KEEP_SIGN_IN_MATERIAL: TimeDelta = TimeDelta::days(7);
/// Registrations nobody confirmed are kept this long after their 24-hour link expired, so
/// that an administrator can still activate one a customer could not confirm.
const KEEP_UNCONFIRMED_REGISTRATIONS: TimeDelta = TimeDelta::days(7);
/// Finished jobs (and their mails' texts) are kept this long.
const KEEP_FINISHED_JOBS: TimeDelta = TimeDelta::days(30);

pub fn register(handlers: &mut Handlers) {
    handlers.register(JobKind::PurgeExpired, purge);
}

async fn purge(context: JobContext) -> Result<serde_json::Value, JobError> {
    const STEPS: i64 = 5;
    let now = context.clock.now_naive();
    let cutoff = now - KEEP_SIGN_IN_MATERIAL;
    context.progress(0, Some(STEPS)).await?;
    let links = context.db(move |conn| Ok(links::purge(conn, cutoff)?)).await?;
    context.progress(1, Some(STEPS)).await?;
    let codes = context.db(move |conn| Ok(otp::purge(conn, cutoff)?)).await?;
    context.progress(2, Some(STEPS)).await?;
    let sessions = context
        .db(move |conn| Ok(sessions::purge_ended(conn, cutoff)?))
        .await?;
    context.progress(3, Some(STEPS)).await?;
    let registration_cutoff = now - KEEP_UNCONFIRMED_REGISTRATIONS;
    let registrations = context
        .db(move |conn| Ok(accounts::purge_provisional(conn, registration_cutoff)?))
        .await?;
    context.progress(4, Some(STEPS)).await?;
    let job_cutoff = now - KEEP_FINISHED_JOBS;
    let finished_jobs = context
        .db(move |conn| Ok(jobs::purge_finished(conn, job_cutoff)?))
        .await?;
    context.progress(STEPS, Some(STEPS)).await?;
    Ok(json!({
        "links": links,
        "codes": codes,
        "sessions": sessions,
        "unconfirmed_registrations": registrations,
        "jobs": finished_jobs,
    }))
}
