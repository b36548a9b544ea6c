//! The periodic purge of analytics data past its retention (SPEC §9): raw calls and the
//! per-caller rollup after 92 days (the detail), aggregates after 12 months on the free
//! plan and 24 on the standard plan, counted from the first of the month. A plan upgrade
//! keeps what is still there. The same daily job packs the callers of days left stale.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use madoguchi_types::analytics::{DETAIL_DAYS, Plan};
use madoguchi_types::ids::SubscriptionId;
use serde_json::json;

use crate::cdrs::browse::first_kept_day;
use crate::db::DbConn;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{JobError, JobKind};
use crate::schema::{
    analytics_caller_days, analytics_callers, analytics_calls, analytics_durations, analytics_minute_totals,
    analytics_minutes, analytics_origins, analytics_subscriptions, analytics_traffic,
};
use crate::storage::Storage;

pub fn register(handlers: &mut Handlers, storage: Storage) {
    handlers.register(JobKind::PurgeAnalytics, move |context| {
        let storage = storage.clone();
        async move { purge_job(context, storage).await }
    });
}

async fn purge_job(context: JobContext, storage: Storage) -> Result<serde_json::Value, JobError> {
    let now = context.clock.now_naive();
    let (calls, aggregates) = context.db(move |conn| Ok(purge(conn, now)?)).await?;
    let files = super::downloads::purge_rendered(&context, &storage).await?;
    // Days still waiting to be packed (a warming that failed twice, or days stored before
    // the packing existed) are packed here, once a day: a subscription at a time, a step of
    // progress each (which keeps the job's lease).
    let stale: Vec<SubscriptionId> = context
        .db(|conn| {
            Ok(analytics_caller_days::table
                .filter(analytics_caller_days::packed.is_null())
                .select(analytics_caller_days::subscription_id)
                .distinct()
                .load(conn)?)
        })
        .await?;
    let total = i64::try_from(stale.len()).unwrap_or(i64::MAX);
    let mut packed = 0;
    for (done, subscription) in stale.into_iter().enumerate() {
        context
            .progress(i64::try_from(done).unwrap_or(i64::MAX), Some(total))
            .await?;
        packed += context
            .db(move |conn| super::callers::pack_stale(conn, subscription))
            .await?;
    }
    tracing::info!(calls, aggregates, files, packed, "analytics data purged");
    Ok(json!({"calls": calls, "aggregate_rows": aggregates, "drawn_files": files, "packed_days": packed}))
}

/// The first day of aggregates a plan keeps: the first of the month `months − 1` months
/// before this one (Japan's calendar).
pub fn first_aggregate_day(now: NaiveDateTime, plan: Plan) -> NaiveDate {
    let today = first_kept_day(now, 1);
    today
        .with_day(1)
        .and_then(|first| first.checked_sub_months(Months::new(plan.aggregate_months() - 1)))
        .unwrap_or(today)
}

/// Deletes what is past retention: (raw calls, aggregate rows).
pub fn purge(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<(usize, usize)> {
    let first_detail_day = first_kept_day(now, DETAIL_DAYS);
    let calls = diesel::delete(analytics_calls::table.filter(analytics_calls::day.lt(first_detail_day)))
        .execute(conn)?;
    let mut aggregates =
        diesel::delete(analytics_callers::table.filter(analytics_callers::day.lt(first_detail_day)))
            .execute(conn)?;
    // The packed days go with their rollup rows (not counted: they are the same calls).
    diesel::delete(analytics_caller_days::table.filter(analytics_caller_days::day.lt(first_detail_day)))
        .execute(conn)?;
    for plan in Plan::ALL {
        let subscriptions = analytics_subscriptions::table
            .filter(analytics_subscriptions::plan.eq(*plan))
            .select(analytics_subscriptions::id);
        let ids: Vec<SubscriptionId> = subscriptions.load(conn)?;
        if ids.is_empty() {
            continue;
        }
        let first = first_aggregate_day(now, *plan);
        for chunk in ids.chunks(500) {
            macro_rules! purge_rollup {
                ($table:ident) => {
                    aggregates += diesel::delete(
                        $table::table
                            .filter($table::subscription_id.eq_any(chunk))
                            .filter($table::day.lt(first)),
                    )
                    .execute(conn)?;
                };
            }
            purge_rollup!(analytics_traffic);
            purge_rollup!(analytics_origins);
            purge_rollup!(analytics_minutes);
            purge_rollup!(analytics_minute_totals);
            purge_rollup!(analytics_durations);
        }
    }
    if aggregates > 0 {
        // Which subscriptions lost rows is not worth a query: the purge runs once a day, and
        // a report recomputed once costs less.
        let ids: Vec<SubscriptionId> = analytics_subscriptions::table
            .select(analytics_subscriptions::id)
            .load(conn)?;
        super::reports::data_changed(conn, &ids)?;
    }
    super::reports::forget_old_reports(conn, now)?;
    Ok((calls, aggregates))
}
