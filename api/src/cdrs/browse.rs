//! Reading a site's records with a grant of the secret question (seed 003 §6.4): browse
//! and filter, the days kept with their record counts, and each day's CSV files of at most
//! 40,000 records (`…_1.csv`, `…_2.csv`), streamed page by page in the seed's column order
//! A–L, Shift_JIS unless UTF-8 is asked for.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpRequest, HttpResponse, get, web};
use bytes::Bytes;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use encoding_rs::SHIFT_JIS;
use futures_util::StreamExt;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::cdrs::{CallDay, CallRecordPage, RECORDS_PER_FILE};
use madoguchi_types::extensions::ExportEncoding;
use madoguchi_types::ids::SiteId;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{RecordRow, grant_of, require_grant};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::ApiError;
use crate::extensions::find_site;
use crate::i18n::RequestLang;
use crate::listing::Window;
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::call_records;

/// Records read per query while a file streams: memory stays flat whatever the day holds.
const DOWNLOAD_PAGE: i64 = 2_000;

pub fn routes(config: &mut ServiceConfig) {
    config
        .service(list_records)
        .service(list_days)
        .service(download_part);
}

/// The first day still kept.
pub fn first_kept_day(now: NaiveDateTime, retention_days: i64) -> NaiveDate {
    crate::clock::japan_date(now) - TimeDelta::days(retention_days - 1)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordFilter {
    /// The first day (attempt time, Japan), inclusive.
    pub from: Option<NaiveDate>,
    /// The last day, inclusive.
    pub to: Option<NaiveDate>,
    /// Part of the caller's or the callee's number (an extension or an outside number).
    #[param(max_length = 32)]
    pub number: Option<String>,
    /// Connected (成立) or not (不成立).
    pub connected: Option<bool>,
    /// A cause code (`016`).
    #[param(pattern = "^[0-9]{3}$")]
    pub cause: Option<String>,
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    #[param(minimum = 1, maximum = 500)]
    pub per_page: Option<i64>,
}

/// A site's records, newest first, filtered (with a grant: `X-CDR-Grant`).
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id"), RecordFilter,
           ("X-CDR-Grant" = String, Header, description = "The grant the secret question's answer gave")),
    responses(
        (status = 200, description = "A page of records with the cause codes described", body = CallRecordPage),
        (status = 403, description = "No PBX administration right, or no live grant (`cdr_grant_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/call-records")]
pub async fn list_records(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    request: HttpRequest,
    id: web::Path<SiteId>,
    filter: web::Query<RecordFilter>,
) -> Result<web::Json<CallRecordPage>, ApiError> {
    user.require(Permission::Pbx)?;
    let filter = filter.into_inner();
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to < from
    {
        return Err(ApiError::invalid("to", Invalid::EndsBeforeStart));
    }
    let number = filter
        .number
        .as_deref()
        .map(str::trim)
        .filter(|number| !number.is_empty());
    if let Some(number) = number
        && (number.len() > 32 || !number.bytes().all(|b| b.is_ascii_digit() || b"+*#".contains(&b)))
    {
        return Err(ApiError::invalid(
            "number",
            Invalid::Format {
                expected: "digits, + * #",
            },
        ));
    }
    if let Some(cause) = &filter.cause
        && !(cause.len() == 3 && cause.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(ApiError::invalid(
            "cause",
            Invalid::Format { expected: "3 digits" },
        ));
    }
    let pattern = number.map(|number| format!("%{number}%"));
    let window = Window::new(filter.page, filter.per_page, 100, 500);
    let (scope, actor, now, site, grant) = (
        user.scope(),
        user.id(),
        state.clock.now_naive(),
        id.into_inner(),
        grant_of(&request),
    );
    let first_kept = first_kept_day(now, state.cdr_retention_days);
    let page = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        require_grant(conn, grant.as_deref(), site, actor, now)?;
        let query = || {
            // Records past the retention are gone, whether or not the purge has run yet.
            let mut query = call_records::table
                .filter(call_records::site_id.eq(site))
                .filter(call_records::call_day.ge(first_kept))
                .into_boxed();
            if let Some(from) = filter.from {
                query = query.filter(call_records::call_day.ge(from));
            }
            if let Some(to) = filter.to {
                query = query.filter(call_records::call_day.le(to));
            }
            if let Some(pattern) = pattern.clone() {
                query = query.filter(
                    call_records::caller
                        .like(pattern.clone())
                        .or(call_records::callee.like(pattern)),
                );
            }
            if let Some(connected) = filter.connected {
                query = query.filter(call_records::connected.eq(connected));
            }
            if let Some(cause) = filter.cause.clone() {
                query = query.filter(call_records::cause_code.eq(cause));
            }
            query
        };
        let total: i64 = query().count().get_result(conn)?;
        let rows: Vec<RecordRow> = query()
            .select(RecordRow::as_select())
            .order((call_records::attempted_at.desc(), call_records::record_key))
            .limit(window.limit)
            .offset(window.offset)
            .load(conn)?;
        Ok(CallRecordPage {
            items: rows.into_iter().map(|row| row.dto(lang)).collect(),
            total,
        })
    })
    .await?;
    Ok(web::Json(page))
}

/// The days kept (the last 92) that have records, newest first, with their counts and
/// the number of files each day is split into.
#[utoipa::path(
    tag = "cdrs",
    params(("id" = SiteId, Path, description = "The site's id"),
           ("X-CDR-Grant" = String, Header, description = "The grant the secret question's answer gave")),
    responses(
        (status = 200, description = "Days with records", body = Vec<CallDay>),
        (status = 403, description = "No PBX administration right, or no live grant (`cdr_grant_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/call-days")]
pub async fn list_days(
    state: web::Data<AppState>,
    user: AuthUser,
    request: HttpRequest,
    id: web::Path<SiteId>,
) -> Result<web::Json<Vec<CallDay>>, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, actor, now, site, grant) = (
        user.scope(),
        user.id(),
        state.clock.now_naive(),
        id.into_inner(),
        grant_of(&request),
    );
    let retention = state.cdr_retention_days;
    let days = db::run(&state.pool, move |conn| {
        find_site(conn, scope, site)?;
        require_grant(conn, grant.as_deref(), site, actor, now)?;
        let counts: Vec<(NaiveDate, i64)> = call_records::table
            .filter(call_records::site_id.eq(site))
            .filter(call_records::call_day.ge(first_kept_day(now, retention)))
            .group_by(call_records::call_day)
            .select((call_records::call_day, diesel::dsl::count_star()))
            .order(call_records::call_day.desc())
            .load(conn)?;
        Ok(counts
            .into_iter()
            .map(|(day, records)| CallDay {
                day,
                records,
                parts: parts_of(records),
            })
            .collect::<Vec<_>>())
    })
    .await?;
    Ok(web::Json(days))
}

/// Files a day of `records` is split into.
pub fn parts_of(records: i64) -> i64 {
    ((records + RECORDS_PER_FILE - 1) / RECORDS_PER_FILE).max(1)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadOptions {
    /// `shift_jis` (the default, as the seed's files) or `utf-8` (with a BOM).
    #[param(inline)]
    pub encoding: Option<ExportEncoding>,
}

/// The header line: the seed's column names A–L.
const HEADER: &str = "発呼時刻,通話開始時刻,終話時刻,呼種別,要求サービス,受信番号,発信者番号,着信者番号,転送者番号,切断種別,切断者番号,切断理由\r\n";

fn time(value: Option<NaiveDateTime>) -> String {
    value.map_or_else(String::new, |time| time.format("%Y/%m/%d %H:%M:%S").to_string())
}

/// A CSV field: quoted when it holds a separator (none of the seed's values do).
fn cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\"")).into()
    } else {
        value.into()
    }
}

/// A free-text field (E, J): one starting with `=`, `+`, `-` or `@` gets a leading `'`, so
/// that a spreadsheet opening the file shows it as text instead of running it as a
/// formula (ingestion drops the `'` again). Dialled fields hold digits, `*`, `#` and a
/// leading `+` only: no formula can be written with those.
fn text_cell(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(['=', '+', '-', '@']) {
        cell(&format!("'{value}")).into_owned().into()
    } else {
        cell(value)
    }
}

/// One page of a part's records in file order, as lines.
fn download_page(
    conn: &mut DbConn,
    site: SiteId,
    day: NaiveDate,
    offset: i64,
    limit: i64,
) -> QueryResult<(String, usize)> {
    let rows: Vec<RecordRow> = call_records::table
        .filter(call_records::site_id.eq(site))
        .filter(call_records::call_day.eq(day))
        .select(RecordRow::as_select())
        .order((call_records::attempted_at, call_records::record_key))
        .limit(limit)
        .offset(offset)
        .load(conn)?;
    let mut text = String::with_capacity(rows.len() * 120);
    for row in &rows {
        let fields = [
            time(Some(row.attempted_at)),
            time(row.answered_at),
            time(row.ended_at),
            if row.connected { "成立" } else { "不成立" }.to_owned(),
            text_cell(&row.requested_service).into_owned(),
            cell(&row.received_number).into_owned(),
            cell(&row.caller).into_owned(),
            cell(&row.callee).into_owned(),
            cell(&row.forwarding_party).into_owned(),
            text_cell(&row.disconnect_type).into_owned(),
            cell(&row.disconnecting_party).into_owned(),
            cell(&row.cause_code).into_owned(),
        ];
        text.push_str(&fields.join(","));
        text.push_str("\r\n");
    }
    Ok((text, rows.len()))
}

/// One file of a day: records `(part-1)×40,000+1 …` in attempt-time order, the header line
/// first, streamed in pages.
#[utoipa::path(
    tag = "cdrs",
    params(
        ("id" = SiteId, Path, description = "The site's id"),
        ("day" = NaiveDate, Path, description = "The day (Japan)"),
        ("part" = i64, Path, description = "The file of the day, from 1"),
        DownloadOptions,
        ("X-CDR-Grant" = String, Header, description = "The grant the secret question's answer gave"),
    ),
    responses(
        (status = 200, description = "The CSV file (`cdr_<site number>_<YYYYMMDD>_<part>.csv`), streamed", content_type = "text/csv", body = crate::uploads::FileBytes),
        (status = 403, description = "No PBX administration right, or no live grant (`cdr_grant_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller, no records that day (or a day no longer kept), or no such part", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/call-days/{day}/parts/{part}")]
pub async fn download_part(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    request: HttpRequest,
    path: web::Path<(SiteId, NaiveDate, i64)>,
    options: web::Query<DownloadOptions>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (site, day, part) = path.into_inner();
    let encoding = options.encoding.unwrap_or(ExportEncoding::ShiftJis);
    let (scope, actor, now, grant) = (
        user.scope(),
        user.id(),
        state.clock.now_naive(),
        grant_of(&request),
    );
    let retention = state.cdr_retention_days;
    let (site_number, records) = db::transaction(&state.pool, move |conn| {
        let (site_row, _) = find_site(conn, scope, site)?;
        require_grant(conn, grant.as_deref(), site, actor, now)?;
        // A day past the retention is gone, whether or not the purge has run yet.
        if day < first_kept_day(now, retention) {
            return Err(ApiError::NotFound);
        }
        let records: i64 = call_records::table
            .filter(call_records::site_id.eq(site))
            .filter(call_records::call_day.eq(day))
            .count()
            .get_result(conn)?;
        if records == 0 || part < 1 || part > parts_of(records) {
            return Err(ApiError::NotFound);
        }
        audit::record(
            conn,
            &audit::Event::new(AuditAction::CallRecordsDownloaded, &client)
                .organization(Some(site_row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": site_row.name, "day": day, "part": part})),
            now,
        )?;
        Ok((site_row.site_number, records))
    })
    .await?;
    let start = (part - 1) * RECORDS_PER_FILE;
    let end = (start + RECORDS_PER_FILE).min(records);
    let encode = move |text: String| match encoding {
        ExportEncoding::ShiftJis => Bytes::from(SHIFT_JIS.encode(&text).0.into_owned()),
        ExportEncoding::Utf8 => Bytes::from(text),
    };
    let bom = (encoding == ExportEncoding::Utf8).then(|| Bytes::from_static(b"\xEF\xBB\xBF"));
    let head = bom
        .into_iter()
        .chain(std::iter::once(encode(HEADER.to_owned())))
        .map(Ok::<_, ApiError>);
    let pool = state.pool.clone();
    let pages = futures_util::stream::unfold(start, move |offset| {
        let pool = pool.clone();
        async move {
            if offset >= end {
                return None;
            }
            let limit = DOWNLOAD_PAGE.min(end - offset);
            let page = db::run(&pool, move |conn| {
                Ok(download_page(conn, site, day, offset, limit)?)
            })
            .await;
            match page {
                Ok((text, 0)) if text.is_empty() => None,
                Ok((text, read)) => Some((Ok(encode(text)), offset + i64::try_from(read).unwrap_or(limit))),
                Err(error) => Some((Err(error), end)),
            }
        }
    });
    let body = futures_util::stream::iter(head).chain(pages);
    let charset = match encoding {
        ExportEncoding::ShiftJis => "Shift_JIS",
        ExportEncoding::Utf8 => "UTF-8",
    };
    Ok(HttpResponse::Ok()
        .content_type(format!("text/csv; charset={charset}"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "cdr_{site_number}_{}_{part}.csv",
                day.format("%Y%m%d")
            ))],
        })
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body))
}
