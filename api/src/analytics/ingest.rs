//! `POST /analytics/subscriptions/{id}/calls` (JSON) and `…/calls/csv`: provider staff (or
//! an integration token of theirs) send the calls collected for a subscription's numbers.
//! Every record is checked first and every bad one reported; a good batch is stored in one
//! transaction together with what it adds to the rollups, so a report never sees calls
//! without their sums (or sums twice: a record id the subscription has adds nothing).

use std::collections::{HashMap, HashSet};

use actix_web::{HttpRequest, post, web};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use diesel::prelude::*;
use diesel::upsert::excluded;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::analytics::{
    BATCH_MAX, CallBatch, CallInput, CallResult, DETAIL_DAYS, NumberKind, normalized_number,
};
use madoguchi_types::cdrs::IngestReport;
use madoguchi_types::ids::SubscriptionId;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{find, numbers_of, region_of};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::cdrs::ingest::{DayWindow, Source, content_type_is, json_batch, parse_time, record_from_json};
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::ApiError;
use crate::extensions::csv::{self as sheet, Fault, FileFault, RowFault};
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{
    analytics_callers, analytics_calls, analytics_durations, analytics_minute_totals, analytics_minutes,
    analytics_origins, analytics_subscriptions, analytics_traffic,
};

/// The largest batch body.
const BODY_MAX: usize = 16 * 1024 * 1024;
/// Rows per INSERT statement (at most 10 parameters each: within both backends' limits).
const INSERT_ROWS: usize = 1_000;

/// The columns of a record, A–G, as named in faults (and the CSV file's order).
const COLUMNS: [&str; 7] = [
    "record_id",
    "called_at",
    "an",
    "caller",
    "dn",
    "duration_seconds",
    "result",
];

/// Upper bounds (exclusive, seconds) of the duration buckets 0–5; bucket 6 is the rest.
pub const DURATION_BUCKETS: [i32; 6] = [30, 60, 180, 300, 600, 1800];

pub fn routes(config: &mut ServiceConfig) {
    config.service(ingest_csv).service(ingest);
}

/// A checked call, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = analytics_calls)]
pub struct NewCall {
    pub subscription_id: SubscriptionId,
    pub record_id: String,
    pub day: NaiveDate,
    pub called_at: NaiveDateTime,
    pub an: String,
    pub caller: String,
    pub dn: String,
    pub duration_seconds: i32,
    pub result: CallResult,
    pub origin: i32,
}

/// The bucket of a completed call's duration.
pub fn duration_bucket(seconds: i32) -> i32 {
    DURATION_BUCKETS
        .iter()
        .position(|bound| seconds < *bound)
        .unwrap_or(DURATION_BUCKETS.len()) as i32
}

fn fault(line: u64, column: usize, value: &str, invalid: Invalid) -> RowFault {
    let shown: String = value.chars().take(40).collect();
    RowFault::at(line, column, COLUMNS[column], &shown, Fault::Field(invalid))
}

/// The subscription's numbers a record may name.
struct Registered {
    ans: HashSet<String>,
    dns: HashSet<String>,
}

/// Checks one record (numbered `line`), adding its faults.
fn check(
    subscription: SubscriptionId,
    registered: &Registered,
    window: DayWindow,
    line: u64,
    input: CallInput,
    faults: &mut Vec<RowFault>,
) -> Option<NewCall> {
    let before = faults.len();
    let id = input.record_id.trim();
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_graphic()) {
        faults.push(fault(
            line,
            0,
            id,
            Invalid::Format {
                expected: "1 to 64 visible ASCII characters",
            },
        ));
    }
    let called_at = input.called_at.with_nanosecond(0).unwrap_or(input.called_at);
    let day = called_at.date();
    if day < window.first || day > window.last {
        faults.push(fault(
            line,
            1,
            &called_at.to_string(),
            Invalid::OutOfRange {
                min: window.first.format("%Y/%m/%d").to_string(),
                max: window.last.format("%Y/%m/%d").to_string(),
            },
        ));
    }
    let an = normalized_number(input.an.trim());
    if an.is_empty() {
        faults.push(fault(line, 2, "", Invalid::Required));
    } else if !registered.ans.contains(&an) {
        // Only the subscription's own numbers are analysed (seed 000 §1-1).
        faults.push(fault(line, 2, &an, Invalid::NotAllowed));
    }
    let caller = normalized_number(input.caller.trim());
    // Empty (withheld), or digits with a + first or not — a + alone is no number.
    let digits = caller.strip_prefix('+').unwrap_or(&caller);
    let caller_ok = caller.len() <= 20
        && (caller == "anonymous"
            || caller.is_empty()
            || !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
    if !caller_ok {
        faults.push(fault(
            line,
            3,
            &caller,
            Invalid::Format {
                expected: "up to 20 digits (a + first), empty or anonymous when withheld",
            },
        ));
    }
    let dn = normalized_number(input.dn.trim());
    if dn.is_empty() {
        if input.result == CallResult::Completed {
            faults.push(fault(line, 4, "", Invalid::Required));
        }
    } else if !registered.dns.contains(&dn) {
        faults.push(fault(line, 4, &dn, Invalid::NotAllowed));
    }
    if !(0..=86_400).contains(&input.duration_seconds) {
        faults.push(fault(
            line,
            5,
            &input.duration_seconds.to_string(),
            Invalid::OutOfRange {
                min: "0".to_owned(),
                max: "86400".to_owned(),
            },
        ));
    } else if input.result != CallResult::Completed && input.duration_seconds != 0 {
        // Only a completed call has a conversation to count.
        faults.push(fault(
            line,
            5,
            &input.duration_seconds.to_string(),
            Invalid::NotAllowed,
        ));
    }
    if faults.len() > before {
        return None;
    }
    Some(NewCall {
        subscription_id: subscription,
        record_id: id.to_owned(),
        day,
        called_at,
        origin: i32::from(region_of(&caller).code()),
        an,
        caller: if caller == "anonymous" {
            String::new()
        } else {
            caller
        },
        dn,
        duration_seconds: input.duration_seconds,
        result: input.result,
    })
}

/// Day, hour (or minute of the day), AN and DN: where every rollup key starts.
type Slot = (NaiveDate, i32, String, String);
/// A rollup key: the slot and what the rollup counts by (result, origin, duration bucket).
type SlotAnd<T> = (NaiveDate, i32, String, String, T);

/// What stored calls add to each rollup, keyed as the rollup tables are (after the
/// subscription): day, hour or minute, AN, DN, then the rollup's own.
#[derive(Debug, Default)]
pub struct Rollups {
    /// Calls and seconds per result.
    pub traffic: HashMap<SlotAnd<CallResult>, (i64, i64)>,
    /// Calls, completed calls and seconds per origin.
    pub origins: HashMap<SlotAnd<i32>, (i64, i64, i64)>,
    pub minutes: HashMap<Slot, i64>,
    pub durations: HashMap<SlotAnd<i32>, i64>,
    /// Calls per caller (first, as the table is keyed) and slot.
    pub callers: HashMap<(String, NaiveDate, i32, String, String), i64>,
}

impl Rollups {
    pub fn of(calls: &[NewCall]) -> Self {
        let mut rollups = Self::default();
        for call in calls {
            let hour = call.called_at.hour() as i32;
            let minute = hour * 60 + call.called_at.minute() as i32;
            let traffic = rollups
                .traffic
                .entry((call.day, hour, call.an.clone(), call.dn.clone(), call.result))
                .or_default();
            traffic.0 += 1;
            traffic.1 += i64::from(call.duration_seconds);
            let origin = rollups
                .origins
                .entry((call.day, hour, call.an.clone(), call.dn.clone(), call.origin))
                .or_default();
            origin.0 += 1;
            origin.1 += i64::from(call.result == CallResult::Completed);
            origin.2 += i64::from(call.duration_seconds);
            *rollups
                .minutes
                .entry((call.day, minute, call.an.clone(), call.dn.clone()))
                .or_default() += 1;
            if call.result == CallResult::Completed {
                *rollups
                    .durations
                    .entry((
                        call.day,
                        hour,
                        call.an.clone(),
                        call.dn.clone(),
                        duration_bucket(call.duration_seconds),
                    ))
                    .or_default() += 1;
            }
            // A withheld caller cannot be told from another: not counted as a person.
            if !call.caller.is_empty() {
                *rollups
                    .callers
                    .entry((
                        call.caller.clone(),
                        call.day,
                        hour,
                        call.an.clone(),
                        call.dn.clone(),
                    ))
                    .or_default() += 1;
            }
        }
        rollups
    }
}

fn weekday(day: NaiveDate) -> i32 {
    day.weekday().number_from_monday() as i32
}

/// Inserts `rows` into the rollup table `$table` in chunks; where a row of the same key is
/// there already, its `add` columns grow by the new row's instead.
macro_rules! upsert_adding {
    ($conn:expr, $table:ident, $rows:expr, key: ($($key:ident),+), add: ($($count:ident),+)) => {
        for chunk in $rows.chunks(INSERT_ROWS) {
            crate::with_inner!($conn, |inner| diesel::insert_into($table::table)
                .values(chunk)
                .on_conflict(($($table::$key),+))
                .do_update()
                .set(($($table::$count.eq($table::$count + excluded($table::$count)),)+))
                .execute(inner))?;
        }
    };
}

/// Adds `rollups` to the rollup tables (insert, or add to the row of the same key).
fn add_rollups(conn: &mut DbConn, subscription: SubscriptionId, rollups: &Rollups) -> QueryResult<()> {
    use analytics_traffic as t;
    let traffic: Vec<_> = rollups
        .traffic
        .iter()
        .map(|((day, hour, an, dn, result), (calls, seconds))| {
            (
                t::subscription_id.eq(subscription),
                t::day.eq(*day),
                t::hour.eq(*hour),
                t::weekday.eq(weekday(*day)),
                t::an.eq(an.as_str()),
                t::dn.eq(dn.as_str()),
                t::result.eq(*result),
                t::calls.eq(*calls),
                t::seconds.eq(*seconds),
            )
        })
        .collect();
    upsert_adding!(conn, t, traffic, key: (subscription_id, day, hour, an, dn, result), add: (calls, seconds));
    use analytics_origins as o;
    let origins: Vec<_> = rollups
        .origins
        .iter()
        .map(|((day, hour, an, dn, origin), (calls, completed, seconds))| {
            (
                o::subscription_id.eq(subscription),
                o::day.eq(*day),
                o::hour.eq(*hour),
                o::weekday.eq(weekday(*day)),
                o::an.eq(an.as_str()),
                o::dn.eq(dn.as_str()),
                o::origin.eq(*origin),
                o::calls.eq(*calls),
                o::completed.eq(*completed),
                o::seconds.eq(*seconds),
            )
        })
        .collect();
    upsert_adding!(conn, o, origins, key: (subscription_id, day, hour, an, dn, origin), add: (calls, completed, seconds));
    use analytics_minutes as m;
    let minutes: Vec<_> = rollups
        .minutes
        .iter()
        .map(|((day, minute, an, dn), calls)| {
            (
                m::subscription_id.eq(subscription),
                m::day.eq(*day),
                m::minute.eq(*minute),
                m::weekday.eq(weekday(*day)),
                m::an.eq(an.as_str()),
                m::dn.eq(dn.as_str()),
                m::calls.eq(*calls),
            )
        })
        .collect();
    upsert_adding!(conn, m, minutes, key: (subscription_id, day, minute, an, dn), add: (calls));
    use analytics_minute_totals as mt;
    let mut totals: HashMap<(NaiveDate, i32), i64> = HashMap::new();
    for ((day, minute, _, _), calls) in &rollups.minutes {
        *totals.entry((*day, *minute)).or_default() += calls;
    }
    let totals: Vec<_> = totals
        .into_iter()
        .map(|((day, minute), calls)| {
            (
                mt::subscription_id.eq(subscription),
                mt::day.eq(day),
                mt::minute.eq(minute),
                mt::weekday.eq(weekday(day)),
                mt::calls.eq(calls),
            )
        })
        .collect();
    upsert_adding!(conn, mt, totals, key: (subscription_id, day, minute), add: (calls));
    use analytics_durations as d;
    let durations: Vec<_> = rollups
        .durations
        .iter()
        .map(|((day, hour, an, dn, bucket), calls)| {
            (
                d::subscription_id.eq(subscription),
                d::day.eq(*day),
                d::hour.eq(*hour),
                d::weekday.eq(weekday(*day)),
                d::an.eq(an.as_str()),
                d::dn.eq(dn.as_str()),
                d::bucket.eq(*bucket),
                d::calls.eq(*calls),
            )
        })
        .collect();
    upsert_adding!(conn, d, durations, key: (subscription_id, day, hour, an, dn, bucket), add: (calls));
    use analytics_callers as c;
    let callers: Vec<_> = rollups
        .callers
        .iter()
        .map(|((caller, day, hour, an, dn), calls)| {
            (
                c::subscription_id.eq(subscription),
                c::caller.eq(caller.as_str()),
                c::day.eq(*day),
                c::hour.eq(*hour),
                c::weekday.eq(weekday(*day)),
                c::an.eq(an.as_str()),
                c::dn.eq(dn.as_str()),
                c::calls.eq(*calls),
            )
        })
        .collect();
    upsert_adding!(conn, c, callers, key: (subscription_id, caller, day, hour, an, dn), add: (calls));
    Ok(())
}

/// Stores the calls the subscription does not have yet, and their sums: the number new.
/// The caller holds the subscription's row lock (PostgreSQL), so two batches with the same
/// ids cannot both count them.
pub fn store(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    calls: Vec<NewCall>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let mut stored: HashSet<String> = HashSet::with_capacity(calls.len());
    for chunk in calls.chunks(INSERT_ROWS) {
        let ids: Vec<String> = match conn {
            // PostgreSQL answers which rows it inserted, judged by the primary key alone. A
            // lookup of the known ids first was planned once per pooled connection, and a
            // plan made while the table was small scanned it whole once it was large (the
            // bench: 2 s per 1,000 ids at 500,000 calls, statistics not yet gathered).
            DbConn::Pg(pg) => diesel::insert_into(analytics_calls::table)
                .values(chunk)
                .on_conflict_do_nothing()
                .returning(analytics_calls::record_id)
                .get_results(pg)?,
            // Diesel runs SQLite's multi-row RETURNING row by row (and a skipped row fails
            // it); SQLite plans each query afresh, so asking for the known ids first is safe.
            DbConn::Sqlite(lite) => {
                let known: HashSet<String> = analytics_calls::table
                    .filter(analytics_calls::subscription_id.eq(subscription))
                    .filter(
                        analytics_calls::record_id.eq_any(chunk.iter().map(|call| call.record_id.as_str())),
                    )
                    .select(analytics_calls::record_id)
                    .load::<String>(lite)?
                    .into_iter()
                    .collect();
                let fresh: Vec<NewCall> = chunk
                    .iter()
                    .filter(|call| !known.contains(&call.record_id))
                    .cloned()
                    .collect();
                diesel::insert_into(analytics_calls::table)
                    .values(&fresh)
                    .execute(lite)?;
                fresh.into_iter().map(|call| call.record_id).collect()
            }
        };
        stored.extend(ids);
    }
    let new: Vec<NewCall> = calls
        .into_iter()
        .filter(|call| stored.contains(&call.record_id))
        .collect();
    if !new.is_empty() {
        let rollups = Rollups::of(&new);
        add_rollups(conn, subscription, &rollups)?;
        let mut caller_days: Vec<NaiveDate> = rollups.callers.keys().map(|key| key.1).collect();
        caller_days.sort_unstable();
        caller_days.dedup();
        super::callers::days_changed(conn, subscription, &caller_days, now)?;
        super::reports::data_changed(conn, &[subscription])?;
        super::warming::queue(conn, subscription, now)?;
    }
    Ok(i64::try_from(new.len()).unwrap_or(i64::MAX))
}

/// Store a batch of a subscription's calls as JSON (provider staff, or their integration
/// token). Every bad record is reported and nothing stored; a batch sent again adds
/// nothing.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body(content = CallBatch, description = "At most 10,000 records"),
    responses(
        (status = 200, description = "Stored: how many were new and how many the subscription had", body = IngestReport),
        (status = 400, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff ingest calls", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A body over 16 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing stored (`batch_refused`): `rows` lists every bad record (line = its place in `records` from 1, column A–G, reason: a day older than 92 days or in the future, an AN or DN not of the subscription, a duration on a call not completed…); line 0 = the batch (empty, more than 10,000). No `records` list: `errors` names it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/calls")]
pub async fn ingest(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    request: HttpRequest,
    id: web::Path<SubscriptionId>,
    payload: web::Payload,
) -> Result<web::Json<IngestReport>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let read =
        |line, record, faults: &mut Vec<RowFault>| record_from_json(line, record, &COLUMNS, &[1], faults);
    let (inputs, faults) = json_batch(&request, payload, BATCH_MAX, read).await?;
    store_batch(
        &state,
        &user,
        client,
        id.into_inner(),
        inputs,
        faults,
        Source::Json,
    )
    .await
}

/// A result as the CSV file may write it: the API's key or the Japanese label.
fn parse_result(value: &str) -> Option<CallResult> {
    value.parse().ok().or_else(|| {
        CallResult::ALL
            .iter()
            .copied()
            .find(|result| result.label(madoguchi_types::Lang::Ja) == value)
    })
}

/// The rows of a CSV file as records to check; faults of their own shape added.
fn from_csv(bytes: &[u8], faults: &mut Vec<RowFault>) -> Vec<(u64, CallInput)> {
    let text = match sheet::decode(bytes) {
        Ok(decoded) => decoded.text,
        Err(file) => {
            faults.push(RowFault::file(file));
            return Vec::new();
        }
    };
    let records = match sheet::records(&text) {
        Ok(records) => records,
        Err(file) => {
            faults.push(RowFault::file(file));
            return Vec::new();
        }
    };
    let mut inputs = Vec::with_capacity(records.len());
    for (line, fields) in records {
        if line == 1 && fields.first().is_some_and(|first| first.trim() == COLUMNS[0]) {
            continue;
        }
        if fields.len() != COLUMNS.len() {
            faults.push(RowFault {
                line,
                column: None,
                field: None,
                value: None,
                fault: Fault::ColumnCount {
                    found: fields.len(),
                    expected: "7 (A–G: record_id, called_at, an, caller, dn, duration_seconds, result)",
                },
            });
            continue;
        }
        let field = |index: usize| fields[index].trim().to_owned();
        let before = faults.len();
        let called_at = parse_time(&field(1));
        if called_at.is_none() {
            faults.push(fault(
                line,
                1,
                &field(1),
                Invalid::Format {
                    expected: "YYYY/MM/DD hh:mm:ss",
                },
            ));
        }
        let duration = field(5).parse::<i32>().ok();
        if duration.is_none() {
            faults.push(fault(
                line,
                5,
                &field(5),
                Invalid::Format {
                    expected: "whole seconds",
                },
            ));
        }
        let result = parse_result(&field(6));
        if result.is_none() {
            faults.push(fault(
                line,
                6,
                &field(6),
                Invalid::Format {
                    expected: "completed, busy, no_answer, abandoned, out_of_service, rejected or other",
                },
            ));
        }
        let (Some(called_at), Some(duration_seconds), Some(result)) = (called_at, duration, result) else {
            debug_assert!(faults.len() > before);
            continue;
        };
        inputs.push((
            line,
            CallInput {
                record_id: field(0),
                called_at,
                an: field(2),
                caller: field(3),
                dn: field(4),
                duration_seconds,
                result,
            },
        ));
    }
    inputs
}

/// Store a batch of a subscription's calls as a CSV file (UTF-8 or Shift_JIS) with the
/// columns A–G `record_id, called_at, an, caller, dn, duration_seconds, result` (a header
/// line of those names is skipped).
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    request_body(content = crate::uploads::FileBytes, content_type = "text/csv", description = "At most 10,000 records"),
    responses(
        (status = 200, description = "Stored: how many were new and how many the subscription had", body = IngestReport),
        (status = 403, description = "Only provider staff ingest calls", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file over 16 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv (text/plain and application/vnd.ms-excel are taken too)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing stored (`csv_refused`): `rows` lists every bad row (line, column A–G, reason); line 0 = the file (empty, binary, more than 10,000 rows)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/calls/csv")]
pub async fn ingest_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SubscriptionId>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<IngestReport>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    if !content_type_is(&request, &["text/csv", "text/plain", "application/vnd.ms-excel"]) {
        return Err(ApiError::UnsupportedMediaType { expected: "text/csv" });
    }
    let body = crate::uploads::read_limited(payload, BODY_MAX).await?;
    let mut faults = Vec::new();
    let inputs = from_csv(&body, &mut faults);
    store_batch(
        &state,
        &user,
        client,
        id.into_inner(),
        inputs,
        faults,
        Source::Csv,
    )
    .await
}

/// Checks every record (adding to the faults of reading them) and stores a good batch.
async fn store_batch(
    state: &AppState,
    user: &AuthUser,
    client: ClientInfo,
    subscription: SubscriptionId,
    inputs: Vec<(u64, CallInput)>,
    mut faults: Vec<RowFault>,
    source: Source,
) -> Result<web::Json<IngestReport>, ApiError> {
    let received = inputs.len() + faults.iter().filter(|fault| fault.line > 0).count();
    if received > BATCH_MAX {
        return Err(source.refusal(vec![RowFault::file(FileFault::TooManyRows { max: BATCH_MAX })]));
    }
    if received == 0 && faults.is_empty() {
        faults.push(RowFault::file(FileFault::Empty));
    }
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    let window = DayWindow::at(now, DETAIL_DAYS);
    let report = db::transaction(&state.pool, move |conn| {
        let (row, _) = find(conn, scope, subscription)?;
        // One batch of a subscription at a time: the check for known ids and the insert
        // must not interleave with another batch's.
        if let DbConn::Pg(pg) = conn {
            analytics_subscriptions::table
                .find(subscription)
                .select(analytics_subscriptions::id)
                .for_update()
                .first::<SubscriptionId>(pg)?;
        }
        let registered = Registered {
            ans: numbers_of(conn, subscription, NumberKind::An)?
                .into_iter()
                .collect(),
            dns: numbers_of(conn, subscription, NumberKind::Dn)?
                .into_iter()
                .collect(),
        };
        let mut calls: Vec<NewCall> = Vec::with_capacity(inputs.len());
        // The line each record id was first seen on: the same id again must be the same
        // call (then it is a duplicate like any other), not a different one under its id.
        let mut first_lines: HashMap<String, (u64, usize)> = HashMap::new();
        for (line, input) in inputs {
            let Some(call) = check(subscription, &registered, window, line, input, &mut faults) else {
                continue;
            };
            match first_lines.get(&call.record_id) {
                Some(&(first_line, index)) if calls[index] != call => faults.push(RowFault {
                    line,
                    column: Some(0),
                    field: Some(COLUMNS[0]),
                    value: None,
                    fault: Fault::RepeatedInFile { first_line },
                }),
                Some(_) => {}
                None => {
                    first_lines.insert(call.record_id.clone(), (line, calls.len()));
                    calls.push(call);
                }
            }
        }
        if !faults.is_empty() {
            faults.sort_by_key(|fault| (fault.line, fault.column));
            return Err(source.refusal(faults));
        }
        let inserted = store(conn, subscription, calls, now)?;
        let received = i64::try_from(received).unwrap_or(i64::MAX);
        audit::record(
            conn,
            &audit::Event::new(AuditAction::AnalyticsCallsIngested, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"opid": row.opid, "received": received, "inserted": inserted})),
            now,
        )?;
        Ok(IngestReport {
            received,
            inserted,
            duplicates: received - inserted,
        })
    })
    .await?;
    Ok(web::Json(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_fall_in_their_buckets() {
        assert_eq!(duration_bucket(0), 0);
        assert_eq!(duration_bucket(29), 0);
        assert_eq!(duration_bucket(30), 1);
        assert_eq!(duration_bucket(179), 2);
        assert_eq!(duration_bucket(1799), 5);
        assert_eq!(duration_bucket(1800), 6);
        assert_eq!(duration_bucket(86_400), 6);
    }
}
