//! `POST /pbx-sites/{id}/call-records` (JSON) and `…/call-records/csv`: provider staff (or
//! an integration token of theirs) send a batch of a site's records, as JSON or as a CSV
//! file in the download's column order (A–L, an optional M: the record id; a header line is skipped). Every row is
//! checked first and every bad one reported; a good batch is stored in one transaction.
//! Re-sending a batch adds nothing: a record is known by its id, or by its attempt time,
//! received number, caller and callee.

use std::collections::HashMap;

use actix_web::{HttpRequest, post, web};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;
use encoding_rs::SHIFT_JIS;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::cdrs::{BATCH_MAX, CallRecordBatch, CallRecordInput, IngestReport};
use madoguchi_types::ids::SiteId;
use serde_json::json;
use sha2::{Digest, Sha256};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::ApiError;
use crate::extensions::csv::{self as sheet, Fault, FileFault, RowFault};
use crate::extensions::find_site;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::call_records;

/// The largest batch body.
const BODY_MAX: usize = 16 * 1024 * 1024;
/// Rows per INSERT statement (15 parameters each: within both backends' limits).
const INSERT_ROWS: usize = 1_000;

pub fn routes(config: &mut ServiceConfig) {
    config.service(ingest_csv).service(ingest);
}

/// The columns of a record, A–M, as named in faults.
const COLUMNS: [&str; 13] = [
    "attempted_at",
    "answered_at",
    "ended_at",
    "connected",
    "requested_service",
    "received_number",
    "caller",
    "callee",
    "forwarding_party",
    "disconnect_type",
    "disconnecting_party",
    "cause_code",
    "record_id",
];

/// A checked record, ready to store.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = call_records, treat_none_as_default_value = false)]
pub struct NewRecord {
    pub site_id: SiteId,
    pub call_day: NaiveDate,
    pub record_key: String,
    pub attempted_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub connected: bool,
    pub requested_service: String,
    pub received_number: String,
    pub caller: String,
    pub callee: String,
    pub forwarding_party: String,
    pub disconnect_type: String,
    pub disconnecting_party: String,
    pub cause_code: String,
}

fn fault(line: u64, column: usize, value: &str, invalid: Invalid) -> RowFault {
    let shown: String = value.chars().take(40).collect();
    RowFault::at(line, column, COLUMNS[column], &shown, Fault::Field(invalid))
}

/// The days a batch may bring: those still kept (the last 92, Japan's calendar) and
/// tomorrow at most (a PBX clock a little ahead).
#[derive(Debug, Clone, Copy)]
pub struct DayWindow {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl DayWindow {
    pub fn at(now: NaiveDateTime, retention_days: i64) -> Self {
        let first = super::browse::first_kept_day(now, retention_days);
        Self {
            first,
            last: first + TimeDelta::days(retention_days),
        }
    }
}

/// A free-text value (E 要求サービス, J 切断種別): nothing unprintable, and only characters
/// Shift_JIS writes — the download's default encoding would otherwise turn them into
/// `&#…;` references.
fn free_text(value: &str, max: usize) -> Result<(), Invalid> {
    if value.chars().count() > max {
        return Err(Invalid::TooLong { max });
    }
    if value.chars().any(crate::domain::is_unprintable) {
        return Err(Invalid::Format {
            expected: "no control or invisible characters",
        });
    }
    if SHIFT_JIS.encode(value).2 {
        return Err(Invalid::Format {
            expected: "characters Shift_JIS can write",
        });
    }
    Ok(())
}

/// A dialled value (numbers, extensions): digits, `*` and `#`, a `+` only first.
fn dialled(value: &str, max: usize) -> Result<(), Invalid> {
    if value.chars().count() > max {
        return Err(Invalid::TooLong { max });
    }
    let digits = value.strip_prefix('+').unwrap_or(value);
    if !digits.bytes().all(|b| b.is_ascii_digit() || b"*#".contains(&b)) {
        return Err(Invalid::Format {
            expected: "digits, * and #, a + only first",
        });
    }
    Ok(())
}

/// Checks one record (numbered `line`), adding its faults.
fn check(
    site: SiteId,
    window: DayWindow,
    line: u64,
    input: CallRecordInput,
    faults: &mut Vec<RowFault>,
) -> Option<NewRecord> {
    let before = faults.len();
    // The PBX's files count whole seconds: a fraction (or a leap second) would make a
    // record sent again look new.
    let mut input = input;
    input.attempted_at = whole_seconds(input.attempted_at);
    input.answered_at = input.answered_at.map(whole_seconds);
    input.ended_at = input.ended_at.map(whole_seconds);
    let day = input.attempted_at.date();
    if day < window.first || day > window.last {
        faults.push(fault(
            line,
            0,
            &input.attempted_at.to_string(),
            Invalid::OutOfRange {
                min: window.first.format("%Y/%m/%d").to_string(),
                max: window.last.format("%Y/%m/%d").to_string(),
            },
        ));
    }
    if let Some(answered) = input.answered_at {
        if !input.connected {
            // 不成立: the call was never answered.
            faults.push(fault(line, 1, &answered.to_string(), Invalid::NotAllowed));
        } else if answered < input.attempted_at {
            faults.push(fault(line, 1, &answered.to_string(), Invalid::TimeOutOfOrder));
        }
    }
    if let Some(ended) = input.ended_at
        && ended < input.answered_at.unwrap_or(input.attempted_at)
    {
        faults.push(fault(line, 2, &ended.to_string(), Invalid::TimeOutOfOrder));
    }
    let texts = [
        (
            4,
            &input.requested_service,
            free_text(&input.requested_service, 40),
        ),
        (5, &input.received_number, dialled(&input.received_number, 32)),
        (6, &input.caller, dialled(&input.caller, 32)),
        (7, &input.callee, dialled(&input.callee, 32)),
        (8, &input.forwarding_party, dialled(&input.forwarding_party, 32)),
        (9, &input.disconnect_type, free_text(&input.disconnect_type, 40)),
        (
            10,
            &input.disconnecting_party,
            dialled(&input.disconnecting_party, 32),
        ),
    ];
    for (column, value, checked) in texts {
        if let Err(invalid) = checked {
            faults.push(fault(line, column, value, invalid));
        }
    }
    let cause_ok = input.cause_code.is_empty()
        || (input.cause_code.len() == 3 && input.cause_code.bytes().all(|b| b.is_ascii_digit()));
    if !cause_ok {
        faults.push(fault(
            line,
            11,
            &input.cause_code,
            Invalid::Format {
                expected: "3 digits (016)",
            },
        ));
    }
    if let Some(id) = &input.record_id
        && (id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_graphic()))
    {
        faults.push(fault(
            line,
            12,
            id,
            Invalid::Format {
                expected: "1 to 64 visible ASCII characters",
            },
        ));
    }
    if faults.len() > before {
        return None;
    }
    let record_key = match input.record_id {
        Some(id) => format!("id:{id}"),
        None => {
            let natural = format!(
                "{}|{}|{}|{}",
                input.attempted_at, input.received_number, input.caller, input.callee
            );
            format!("nk:{:x}", Sha256::digest(natural.as_bytes()))
        }
    };
    Some(NewRecord {
        site_id: site,
        call_day: input.attempted_at.date(),
        record_key,
        attempted_at: input.attempted_at,
        answered_at: input.answered_at,
        ended_at: input.ended_at,
        connected: input.connected,
        requested_service: input.requested_service,
        received_number: input.received_number,
        caller: input.caller,
        callee: input.callee,
        forwarding_party: input.forwarding_party,
        disconnect_type: input.disconnect_type,
        disconnecting_party: input.disconnecting_party,
        cause_code: input.cause_code,
    })
}

fn whole_seconds(time: NaiveDateTime) -> NaiveDateTime {
    time.with_nanosecond(0).unwrap_or(time)
}

/// A time as the seed's files write it (`2026/12/05 09:30:00`), in ISO form (a fraction of
/// a second dropped), or with a zone (`…Z`, `…+09:00`: taken to Japan's time, the PBX's).
pub fn parse_time(value: &str) -> Option<NaiveDateTime> {
    if let Ok(zoned) = DateTime::parse_from_rfc3339(value) {
        let japan = FixedOffset::east_opt(9 * 3600)?;
        return Some(whole_seconds(zoned.with_timezone(&japan).naive_local()));
    }
    [
        "%Y/%m/%d %H:%M:%S",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
    .map(whole_seconds)
}

/// A free-text cell as the download wrote it: a leading `'` the download put before `=`,
/// `+`, `-` or `@` (so that a spreadsheet shows the text, not a formula) is dropped.
fn unguarded(value: String) -> String {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
        _ => value,
    }
}

/// The rows of a CSV file as records to check; faults of their own shape added.
fn from_csv(bytes: &[u8], faults: &mut Vec<RowFault>) -> Vec<(u64, CallRecordInput)> {
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
        let first = fields.first().map(String::as_str).unwrap_or_default();
        // The download's header line.
        if line == 1 && first.trim() == "発呼時刻" {
            continue;
        }
        if fields.len() != 12 && fields.len() != 13 {
            faults.push(RowFault {
                line,
                column: None,
                field: None,
                value: None,
                fault: Fault::ColumnCount {
                    found: fields.len(),
                    expected: "12 (A–L) or 13 (with the record id)",
                },
            });
            continue;
        }
        let field = |index: usize| fields[index].trim().to_owned();
        let mut time = |index: usize, required: bool| -> Result<Option<NaiveDateTime>, ()> {
            let value = field(index);
            if value.is_empty() {
                if required {
                    faults.push(fault(line, index, "", Invalid::Required));
                    return Err(());
                }
                return Ok(None);
            }
            match parse_time(&value) {
                Some(time) => Ok(Some(time)),
                None => {
                    faults.push(fault(
                        line,
                        index,
                        &value,
                        Invalid::Format {
                            expected: "YYYY/MM/DD hh:mm:ss",
                        },
                    ));
                    Err(())
                }
            }
        };
        let (attempted, answered, ended) = (time(0, true), time(1, false), time(2, false));
        let connected = match field(3).as_str() {
            "成立" | "1" | "true" => Some(true),
            "不成立" | "0" | "false" => Some(false),
            other => {
                faults.push(fault(
                    line,
                    3,
                    other,
                    Invalid::Format {
                        expected: "成立 or 不成立",
                    },
                ));
                None
            }
        };
        let (Ok(Some(attempted_at)), Ok(answered_at), Ok(ended_at), Some(connected)) =
            (attempted, answered, ended, connected)
        else {
            continue;
        };
        inputs.push((
            line,
            CallRecordInput {
                record_id: fields
                    .get(12)
                    .map(|id| id.trim().to_owned())
                    .filter(|id| !id.is_empty()),
                attempted_at,
                answered_at,
                ended_at,
                connected,
                requested_service: unguarded(field(4)),
                received_number: field(5),
                caller: field(6),
                callee: field(7),
                forwarding_party: field(8),
                disconnect_type: unguarded(field(9)),
                disconnecting_party: field(10),
                cause_code: field(11),
            },
        ));
    }
    inputs
}

/// On PostgreSQL, the partitions of the days a batch brings (one per day), created once
/// whichever instance gets there first.
fn ensure_partitions(conn: &mut DbConn, days: &[NaiveDate]) -> QueryResult<()> {
    let DbConn::Pg(pg) = conn else {
        return Ok(());
    };
    if days.is_empty() {
        return Ok(());
    }
    // One creator at a time: `IF NOT EXISTS` alone races on the catalog.
    diesel::sql_query("SELECT pg_advisory_xact_lock(841300)").execute(pg)?;
    for day in days {
        let next = day.succ_opt().unwrap_or(*day);
        diesel::sql_query(format!(
            "CREATE TABLE IF NOT EXISTS {} PARTITION OF call_records FOR VALUES FROM ('{day}') TO ('{next}')",
            partition_name(*day)
        ))
        .execute(pg)?;
    }
    Ok(())
}

/// The partition of a day: `call_records_p20261205`.
pub fn partition_name(day: NaiveDate) -> String {
    format!("call_records_p{}", day.format("%Y%m%d"))
}

/// Stores checked records, skipping those the site has: the records new to it.
pub fn store(conn: &mut DbConn, records: &[NewRecord]) -> QueryResult<i64> {
    let mut days: Vec<NaiveDate> = records.iter().map(|record| record.call_day).collect();
    days.sort();
    days.dedup();
    ensure_partitions(conn, &days)?;
    let mut inserted = 0;
    for chunk in records.chunks(INSERT_ROWS) {
        inserted += crate::with_inner!(conn, |inner| diesel::insert_into(call_records::table)
            .values(chunk)
            .on_conflict_do_nothing()
            .execute(inner))?;
    }
    Ok(i64::try_from(inserted).unwrap_or(i64::MAX))
}

/// Store a batch of a site's call-detail records as JSON (provider staff, or their
/// integration token). Every bad record is reported and nothing stored; a batch sent again
/// adds nothing.
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body(content = CallRecordBatch, description = "At most 10,000 records"),
    responses(
        (status = 200, description = "Stored: how many were new and how many the site had", body = IngestReport),
        (status = 400, description = "Not JSON of a batch", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Only provider staff ingest records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A body over 16 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing stored (`batch_refused`): `rows` lists every bad record (line = its place in `records` from 1, column A–M, reason — as for the CSV file); line 0 = the batch (empty, more than 10,000). No `records` list: `errors` names it", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/call-records")]
pub async fn ingest(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    request: HttpRequest,
    id: web::Path<SiteId>,
    payload: web::Payload,
) -> Result<web::Json<IngestReport>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let (inputs, faults) = json_batch(&request, payload, BATCH_MAX, from_json).await?;
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

/// A JSON batch `{"records": [...]}` of at most `max` records (a 16 MB body), each read by
/// `read` (numbered from 1): the records read, and the faults of those that were not.
pub(crate) async fn json_batch<T>(
    request: &HttpRequest,
    payload: web::Payload,
    max: usize,
    read: impl Fn(u64, serde_json::Value, &mut Vec<RowFault>) -> Option<T>,
) -> Result<(Vec<(u64, T)>, Vec<RowFault>), ApiError> {
    if !content_type_is(request, &["application/json"]) {
        return Err(ApiError::UnsupportedMediaType {
            expected: "application/json",
        });
    }
    let body = crate::uploads::read_limited(payload, BODY_MAX).await?;
    let batch: serde_json::Value =
        serde_json::from_slice(&body).map_err(|error| ApiError::MalformedBody(error.to_string()))?;
    let Some(serde_json::Value::Array(records)) = batch.get("records") else {
        return Err(ApiError::invalid("records", Invalid::Required));
    };
    if let Some(unknown) = batch
        .as_object()
        .and_then(|fields| fields.keys().find(|key| *key != "records"))
    {
        return Err(ApiError::invalid(unknown.clone(), Invalid::NotAllowed));
    }
    let mut faults = Vec::new();
    if records.len() > max {
        faults.push(RowFault::file(FileFault::TooManyRows { max }));
        return Ok((Vec::new(), faults));
    }
    let inputs = (1..)
        .zip(records.iter().cloned())
        .filter_map(|(line, record)| read(line, record, &mut faults).map(|input| (line, input)))
        .collect();
    Ok((inputs, faults))
}

/// One record of a JSON batch (numbered `line`), its faults named by column: times in any
/// of [`parse_time`]'s forms, a missing or mistyped field named.
fn from_json(line: u64, record: serde_json::Value, faults: &mut Vec<RowFault>) -> Option<CallRecordInput> {
    record_from_json(line, record, &COLUMNS, &[0, 1, 2], faults)
}

/// One record of a JSON batch (numbered `line`) as a `T` whose fields are `columns`, its
/// faults named by column: the fields at `times` read in any of [`parse_time`]'s forms,
/// a missing, unknown or mistyped field named.
pub(crate) fn record_from_json<T: serde::de::DeserializeOwned>(
    line: u64,
    mut record: serde_json::Value,
    columns: &[&'static str],
    times: &[usize],
    faults: &mut Vec<RowFault>,
) -> Option<T> {
    let Some(fields) = record.as_object_mut() else {
        faults.push(RowFault {
            line,
            column: None,
            field: None,
            value: None,
            fault: Fault::Field(Invalid::WrongType),
        });
        return None;
    };
    let before = faults.len();
    for &column in times {
        let name = columns[column];
        if let Some(serde_json::Value::String(text)) = fields.get(name) {
            match parse_time(text) {
                Some(time) => {
                    let canonical = time.format("%Y-%m-%dT%H:%M:%S").to_string();
                    fields.insert(name.to_owned(), serde_json::Value::String(canonical));
                }
                None => faults.push(RowFault::at(
                    line,
                    column,
                    name,
                    &text.chars().take(40).collect::<String>(),
                    Fault::Field(Invalid::Format {
                        expected: "YYYY-MM-DDThh:mm:ss (or YYYY/MM/DD hh:mm:ss)",
                    }),
                )),
            }
        }
    }
    if faults.len() > before {
        return None;
    }
    match serde_path_to_error::deserialize::<_, T>(record) {
        Ok(input) => Some(input),
        Err(error) => {
            let message = error.inner().to_string();
            let path = error.path().to_string();
            let (name, reason) = match message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
            {
                Some(missing) => (missing.to_owned(), Invalid::Required),
                None if message.starts_with("unknown field") => (
                    message.split('`').nth(1).unwrap_or_default().to_owned(),
                    Invalid::NotAllowed,
                ),
                None => (path, Invalid::WrongType),
            };
            let column = columns.iter().position(|known| *known == name);
            faults.push(RowFault {
                line,
                column,
                field: column.map(|index| columns[index]),
                value: column.is_none().then_some(name),
                fault: Fault::Field(reason),
            });
            None
        }
    }
}

/// Store a batch of a site's call-detail records as a CSV file in the download's columns
/// A–L (M: the record id; the header line skipped), Shift_JIS or UTF-8.
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id")),
    request_body(content = crate::uploads::FileBytes, content_type = "text/csv", description = "At most 10,000 records"),
    responses(
        (status = 200, description = "Stored: how many were new and how many the site had", body = IngestReport),
        (status = 403, description = "Only provider staff ingest records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file over 16 MB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv (text/plain and application/vnd.ms-excel are taken too)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing stored (`csv_refused`): `rows` lists every bad row (line, column A–M, reason: a day not kept or in the future, times out of order, characters Shift_JIS cannot write, a record id repeated with other content…); line 0 = the file (empty, binary, more than 10,000 rows)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/call-records/csv")]
pub async fn ingest_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<web::Json<IngestReport>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    // What browsers and spreadsheets send a .csv file as.
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

/// Whether the body's media type (parameters aside) is one of `accepted`.
pub(crate) fn content_type_is(request: &HttpRequest, accepted: &[&str]) -> bool {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| accepted.iter().any(|one| media.trim().eq_ignore_ascii_case(one)))
}

/// Where a batch came from: its refusal is worded for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    Json,
    Csv,
}

impl Source {
    pub(crate) fn refusal(self, rows: Vec<RowFault>) -> ApiError {
        match self {
            Self::Json => ApiError::BatchRefused(rows),
            Self::Csv => ApiError::CsvRefused { encoding: None, rows },
        }
    }
}

/// Checks every record (adding to the faults of reading them) and stores a good batch.
async fn store_batch(
    state: &AppState,
    user: &AuthUser,
    client: ClientInfo,
    site: SiteId,
    inputs: Vec<(u64, CallRecordInput)>,
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
    let window = DayWindow::at(state.clock.now_naive(), state.cdr_retention_days);
    let mut records: Vec<NewRecord> = Vec::with_capacity(inputs.len());
    // The line each record key was first seen on: the same key again must be the same
    // record (then it is a duplicate like any other), not a different one under its id.
    let mut first_lines: HashMap<String, (u64, usize)> = HashMap::new();
    for (line, input) in inputs {
        let Some(record) = check(site, window, line, input, &mut faults) else {
            continue;
        };
        match first_lines.get(&record.record_key) {
            Some(&(first_line, index)) if records[index] != record => faults.push(RowFault {
                line,
                column: Some(12),
                field: Some(COLUMNS[12]),
                value: None,
                fault: Fault::RepeatedInFile { first_line },
            }),
            Some(_) => {}
            None => {
                first_lines.insert(record.record_key.clone(), (line, records.len()));
                records.push(record);
            }
        }
    }
    if !faults.is_empty() {
        faults.sort_by_key(|fault| (fault.line, fault.column));
        return Err(source.refusal(faults));
    }
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    let report = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        let inserted = store(conn, &records)?;
        let received = i64::try_from(received).unwrap_or(i64::MAX);
        audit::record(
            conn,
            &audit::Event::new(AuditAction::CallRecordsIngested, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name, "received": received, "inserted": inserted})),
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
