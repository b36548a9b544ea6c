//! The periodic purge of call-detail records older than their retention (92 days by
//! default): on PostgreSQL whole day partitions are dropped, on SQLite the rows of those
//! days deleted. Expired grants and stale wrong-answer counts go with them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use super::browse::first_kept_day;
use crate::db::DbConn;
use crate::jobs::worker::{Handlers, JobContext};
use crate::jobs::{JobError, JobKind};
use crate::schema::{call_records, cdr_grants};

pub fn register(handlers: &mut Handlers, retention_days: i64) {
    handlers.register(JobKind::PurgeCallRecords, move |context| {
        purge_job(context, retention_days)
    });
}

async fn purge_job(context: JobContext, retention_days: i64) -> Result<serde_json::Value, JobError> {
    let now = context.clock.now_naive();
    let (days, records) = context
        .db(move |conn| Ok(purge(conn, now, retention_days)?))
        .await?;
    tracing::info!(days, records, retention_days, "call-detail records purged");
    Ok(json!({"days": days, "records": records, "kept_from": first_kept_day(now, retention_days)}))
}

/// A partition of `call_records`, as the catalog names it.
#[derive(QueryableByName)]
struct Partition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
}

/// Purges the days before the retention: (days dropped, records deleted on SQLite).
pub fn purge(conn: &mut DbConn, now: NaiveDateTime, retention_days: i64) -> QueryResult<(i64, i64)> {
    let first_kept = first_kept_day(now, retention_days);
    diesel::delete(cdr_grants::table.filter(cdr_grants::expires_at.le(now))).execute(conn)?;
    match conn {
        DbConn::Pg(pg) => {
            let partitions: Vec<Partition> = diesel::sql_query(
                "SELECT child.relname::text AS name FROM pg_inherits \
                 JOIN pg_class parent ON parent.oid = pg_inherits.inhparent \
                 JOIN pg_class child ON child.oid = pg_inherits.inhrelid \
                 WHERE parent.relname = 'call_records'",
            )
            .load(pg)?;
            let mut dropped = 0;
            for partition in partitions {
                let day = partition
                    .name
                    .strip_prefix("call_records_p")
                    .and_then(|day| NaiveDate::parse_from_str(day, "%Y%m%d").ok());
                if day.is_some_and(|day| day < first_kept) {
                    // The name came from the catalog and matched the pattern: safe to quote.
                    diesel::sql_query(format!("DROP TABLE IF EXISTS \"{}\"", partition.name)).execute(pg)?;
                    dropped += 1;
                }
            }
            Ok((dropped, 0))
        }
        DbConn::Sqlite(sqlite) => {
            let days: Vec<NaiveDate> = call_records::table
                .filter(call_records::call_day.lt(first_kept))
                .select(call_records::call_day)
                .distinct()
                .load(sqlite)?;
            let days = i64::try_from(days.len()).unwrap_or(i64::MAX);
            let deleted = diesel::delete(call_records::table.filter(call_records::call_day.lt(first_kept)))
                .execute(sqlite)?;
            Ok((days, i64::try_from(deleted).unwrap_or(i64::MAX)))
        }
    }
}
