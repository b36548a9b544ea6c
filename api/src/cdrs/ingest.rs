//! `POST /pbx-sites/{id}/call-records` (JSON) and `…/call-records/csv`: provider staff (or
//! an integration token of theirs) send a batch of a site's records, as JSON or as a CSV
//! file in the download's column order (A–L, an optional M: the record id; a header line is skipped). Every row is
//! checked first and every bad one reported; a good batch is stored in one transaction.
//! Re-sending a batch adds nothing: a record is known by its id, or by its attempt time,
//! received number, caller and callee.

use actix_web::{HttpRequest, post, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
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
#[derive(Debug, Clone, Insertable)]
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

/// Checks one record (numbered `line`), adding its faults.
fn check(site: SiteId, line: u64, input: CallRecordInput, faults: &mut Vec<RowFault>) -> Option<NewRecord> {
    let before = faults.len();
    if let Some(answered) = input.answered_at
        && answered < input.attempted_at
    {
        faults.push(fault(line, 1, &answered.to_string(), Invalid::EndsBeforeStart));
    }
    if let Some(ended) = input.ended_at
        && ended < input.answered_at.unwrap_or(input.attempted_at)
    {
        faults.push(fault(line, 2, &ended.to_string(), Invalid::EndsBeforeStart));
    }
    let texts = [
        (4, &input.requested_service, 40, false),
        (5, &input.received_number, 32, true),
        (6, &input.caller, 32, true),
        (7, &input.callee, 32, true),
        (8, &input.forwarding_party, 32, true),
        (9, &input.disconnect_type, 40, false),
        (10, &input.disconnecting_party, 32, true),
    ];
    for (column, value, max, dialled) in texts {
        if value.chars().count() > max {
            faults.push(fault(line, column, value, Invalid::TooLong { max }));
        } else if dialled && !value.bytes().all(|b| b.is_ascii_digit() || b"+*#".contains(&b)) {
            faults.push(fault(
                line,
                column,
                value,
                Invalid::Format {
                    expected: "digits, + * #",
                },
            ));
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

/// A time as the seed's files write it (`2026/12/05 09:30:00`), or in ISO form.
fn parse_time(value: &str) -> Option<NaiveDateTime> {
    ["%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
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
                requested_service: field(4),
                received_number: field(5),
                caller: field(6),
                callee: field(7),
                forwarding_party: field(8),
                disconnect_type: field(9),
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
        (status = 422, description = "Refused, nothing stored: `rows` lists every bad record (line = its place in `records`, column A–M, reason); line 0 = the batch (empty, more than 10,000)", body = Problem, content_type = "application/problem+json"),
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
    if !content_type_is(&request, "application/json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let body = crate::uploads::read_limited(payload, BODY_MAX).await?;
    let batch: CallRecordBatch =
        serde_json::from_slice(&body).map_err(|error| ApiError::MalformedBody(error.to_string()))?;
    let inputs = (1..).zip(batch.records).collect();
    store_batch(&state, &user, client, id.into_inner(), inputs, Vec::new()).await
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
        (status = 422, description = "Refused, nothing stored: `rows` lists every bad row (line, column A–M, reason); line 0 = the file (empty, binary, more than 10,000 rows)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/call-records/csv")]
pub async fn ingest_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    payload: web::Payload,
) -> Result<web::Json<IngestReport>, ApiError> {
    user.require(Permission::ProviderOperations)?;
    let body = crate::uploads::read_limited(payload, BODY_MAX).await?;
    let mut faults = Vec::new();
    let inputs = from_csv(&body, &mut faults);
    store_batch(&state, &user, client, id.into_inner(), inputs, faults).await
}

fn content_type_is(request: &HttpRequest, expected: &str) -> bool {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.to_ascii_lowercase().starts_with(expected))
}

/// Checks every record (adding to the faults of reading them) and stores a good batch.
async fn store_batch(
    state: &AppState,
    user: &AuthUser,
    client: ClientInfo,
    site: SiteId,
    inputs: Vec<(u64, CallRecordInput)>,
    mut faults: Vec<RowFault>,
) -> Result<web::Json<IngestReport>, ApiError> {
    let received = inputs.len() + faults.iter().filter(|fault| fault.line > 0).count();
    if received > BATCH_MAX {
        return Err(ApiError::CsvRefused {
            encoding: None,
            rows: vec![RowFault::file(FileFault::TooManyRows)],
        });
    }
    if received == 0 && faults.is_empty() {
        faults.push(RowFault::file(FileFault::Empty));
    }
    let records: Vec<NewRecord> = inputs
        .into_iter()
        .filter_map(|(line, input)| check(site, line, input, &mut faults))
        .collect();
    if !faults.is_empty() {
        faults.sort_by_key(|fault| (fault.line, fault.column));
        return Err(ApiError::CsvRefused {
            encoding: None,
            rows: faults,
        });
    }
    let (scope, actor, now) = (user.scope(), user.id(), state.clock.now_naive());
    let report = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        let inserted = store(conn, &records)?;
        let received = i64::try_from(records.len()).unwrap_or(i64::MAX);
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
