//! Reports kept ahead of their readers. New calls (or own data) make every kept report of
//! the subscription stale; a job then computes the reports as the dashboard first opens
//! them — each report of the plan with its default filters, in both languages — and keeps
//! them, so that the first reader after new data reads a kept report (milliseconds) instead
//! of waiting for one computed. The callers of the days that changed are packed again
//! first, which the caller composition reads (see [`super::callers`]).
//!
//! A feed that sends a batch every few seconds would otherwise warm after every batch (and
//! slow itself down: packing reads the changed days whole): a subscription has at most one
//! waiting job, due [`WARM_AFTER`] after the last batch, or [`WARM_AT_MOST_AFTER`] after
//! the first while they keep coming.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use madoguchi_types::Lang;
use madoguchi_types::analytics::ReportKind;
use madoguchi_types::ids::{JobId, SubscriptionId};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::SubscriptionRow;
use super::reports::{self, ReportQuery};
use crate::db::DbConn;
use crate::error::ApiError;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{self, JobError, JobKind, JobState, NewJob};
use crate::schema::{analytics_subscriptions, jobs as jobs_table};

/// How long after the last new data the reports are computed again.
pub const WARM_AFTER: TimeDelta = TimeDelta::seconds(30);
/// How long after the first new data they are computed at the latest, however long the
/// batches keep coming.
pub const WARM_AT_MOST_AFTER: TimeDelta = TimeDelta::minutes(5);

#[derive(Debug, Serialize, Deserialize)]
struct Warming {
    subscription: SubscriptionId,
}

/// Asks for the subscription's reports to be computed again after new data: 30 s after the
/// last batch of a burst (a job waiting already is put off), and no more than 5 minutes
/// after the first. Call it in the transaction that stored the data.
pub fn queue(conn: &mut DbConn, subscription: SubscriptionId, now: NaiveDateTime) -> QueryResult<()> {
    let payload = serde_json::to_value(Warming { subscription }).unwrap_or_default();
    let waiting: Option<(JobId, NaiveDateTime, NaiveDateTime)> = jobs_table::table
        .filter(jobs_table::kind.eq(JobKind::WarmReports))
        .filter(jobs_table::state.eq(JobState::Queued))
        .filter(jobs_table::payload.eq(payload.to_string()))
        .select((jobs_table::id, jobs_table::created_at, jobs_table::run_after))
        .first(conn)
        .optional()?;
    if let Some((job, queued_at, run_after)) = waiting {
        // Only ever later: a job waiting out the backoff of a failed attempt keeps it.
        let due = (now + WARM_AFTER)
            .min(queued_at + WARM_AT_MOST_AFTER)
            .max(run_after);
        // Claimed meanwhile (no longer queued): then a new job follows.
        let put_off = diesel::update(
            jobs_table::table
                .find(job)
                .filter(jobs_table::state.eq(JobState::Queued)),
        )
        .set(jobs_table::run_after.eq(due))
        .execute(conn)?;
        if put_off == 1 {
            return Ok(());
        }
    }
    let job = NewJob::new(JobKind::WarmReports, &payload)
        .max_attempts(2)
        .after(WARM_AFTER);
    jobs::enqueue(conn, &job, now)?;
    Ok(())
}

pub fn register(handlers: &mut Handlers) {
    handlers.register(JobKind::WarmReports, warm);
}

/// Computes and keeps what is not kept: a step of progress per report.
async fn warm(context: JobContext) -> Result<serde_json::Value, JobError> {
    let Warming { subscription } = context.job.payload()?;
    let row = context
        .db(move |conn| {
            Ok(analytics_subscriptions::table
                .find(subscription)
                .select(SubscriptionRow::as_select())
                .first(conn)
                .optional()?)
        })
        .await?;
    // Deleted meanwhile: nothing to warm.
    let Some(row) = row else {
        return Ok(json!({"computed": 0}));
    };
    let kinds: Vec<ReportKind> = ReportKind::ALL
        .iter()
        .copied()
        .filter(|kind| row.plan.shows(*kind))
        .collect();
    let total = i64::try_from(kinds.len()).unwrap_or(i64::MAX);
    // The callers of the days that changed are packed first: the composition reads them.
    let packed_days = context
        .db(move |conn| super::callers::pack_stale(conn, subscription))
        .await?;
    let mut computed = 0;
    for (done, kind) in kinds.into_iter().enumerate() {
        context
            .progress(i64::try_from(done).unwrap_or(i64::MAX), Some(total))
            .await?;
        let (row, now) = (row.clone(), context.clock.now_naive());
        computed += context
            .db(move |conn| {
                let mut computed = 0;
                let filter = reports::filter(conn, &row, kind, &ReportQuery::default(), now)?;
                for lang in [Lang::Ja, Lang::En] {
                    if reports::kept_or_computed(conn, &row, kind, lang, &filter, now)?.1 {
                        computed += 1;
                    }
                }
                Ok::<_, ApiError>(computed)
            })
            .await?;
    }
    context.progress(total, Some(total)).await?;
    Ok(json!({ "computed": computed, "packed_days": packed_days }))
}
