//! Bulk register and delete by CSV, and the export (seed 003 §3.2–3.3, §4.2–4.3; SPEC
//! §8.1). A file is read whole and every bad row named before anything is applied; a valid
//! file is applied in one transaction, so that a refused row, a lost connection or a killed
//! process leaves the site as it was. A small file is answered at once; a large one becomes
//! a job whose progress the SPA shows.

use std::sync::Arc;

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{HttpResponse, get, post, web};
use bytes::Bytes;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use encoding_rs::SHIFT_JIS;
use futures_util::StreamExt;
use madoguchi_types::Problem;
use madoguchi_types::accounts::AuditAction;
use madoguchi_types::extensions::{CsvAction, CsvEncoding, ExportEncoding, ImportReport};
use madoguchi_types::ids::{ExtensionId, MobileLineId, SiteId};
use madoguchi_types::jobs::Job as JobDto;
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::csv::{self, ReadRows, RegisterRow, SiteState};
use super::{SiteRow, find_site, groups_of_site};
use crate::app::AppState;
use crate::audit;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::i18n::RequestLang;
use crate::jobs::worker::JobContext;
use crate::jobs::{self, Claim, JobError, JobKind, NewJob};
use crate::net::ClientInfo;
use crate::policy::Permission;
use crate::schema::{extensions, mobile_lines, pbx_sites};
use crate::sealing::SealingKey;

/// Files of at most this many rows are applied while the request waits; larger ones run
/// as a job.
pub const INLINE_ROWS: usize = 1_000;
/// Rows per INSERT or DELETE statement (well under both backends' parameter limits).
const CHUNK: usize = 1_000;
/// Extensions per page of the export stream.
const EXPORT_PAGE: i64 = 500;

pub fn routes(config: &mut ServiceConfig) {
    config.service(import_csv).service(export_csv);
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvOptions {
    /// `register` (10 or 2 columns) or `delete` (3 columns).
    pub action: CsvAction,
    /// Check everything, apply nothing.
    pub dry_run: Option<bool>,
    /// Delete: remove extensions from their pickup and hunting groups too.
    pub force: Option<bool>,
}

/// Register or delete a site's extensions from a CSV file (the body, as sent: Shift_JIS,
/// or UTF-8 with or without a BOM). The whole file is checked first: one bad row refuses
/// the file, and the answer lists every bad row. Up to 1,000 rows the answer is the report;
/// a larger file answers 202 with a job (`GET /jobs/{id}`: progress, then the report or
/// the refusal with every row).
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id"), CsvOptions),
    request_body(content = crate::uploads::FileBytes, content_type = "text/csv", description = "The CSV file (at most 4 MB, 20,000 rows)"),
    responses(
        (status = 200, description = "Applied (or, with `dry_run`, checked): the report", body = ImportReport),
        (status = 202, description = "A large file: the job that checks and applies it", body = JobDto),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another request changed the site's extensions at the same moment: send the file again", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file larger than 4 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing applied: `rows` lists every bad row (line, column, value, reason; a duplicate is the seed's 233), `encoding` the encoding read; line 0 = the file (empty, binary, encrypted, too many rows)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/pbx-sites/{id}/extensions/csv")]
pub async fn import_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    client: ClientInfo,
    id: web::Path<SiteId>,
    options: web::Query<CsvOptions>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, site) = (user.scope(), id.into_inner());
    let site_row = db::run(&state.pool, move |conn| Ok(find_site(conn, scope, site)?.0)).await?;
    let body = crate::uploads::read_limited(payload, csv::MAX_FILE_BYTES).await?;
    let work = CsvWork {
        site,
        action: options.action,
        dry_run: options.dry_run.unwrap_or(false),
        force: options.force.unwrap_or(false),
        encoding: CsvEncoding::Ascii,
        text: String::new(),
        sealed: false,
        actor: user.id(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone(),
    };
    let decoded = csv::decode(&body).map_err(|fault| ApiError::CsvRefused {
        encoding: None,
        rows: vec![csv::RowFault::file(fault)],
    })?;
    let work = CsvWork {
        encoding: decoded.encoding,
        text: decoded.text,
        ..work
    };
    let rows = work.rows()?;
    let now = state.clock.now_naive();
    if rows.len() > INLINE_ROWS {
        let work = CsvWork {
            text: state.sealing.seal(&work.text),
            sealed: true,
            ..work
        };
        let job = NewJob::new(JobKind::ExtensionsCsv, &work)
            .created_by(user.id(), Some(site_row.organization_id))
            .max_attempts(3);
        return crate::jobs::routes::accepted(&state, job, lang).await;
    }
    let sealing = state.sealing.clone();
    let report = db::transaction(&state.pool, move |conn| apply(conn, &sealing, &work, &rows, now)).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// A CSV file to apply, as the request gave it (and as a job keeps it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CsvWork {
    pub site: SiteId,
    pub action: CsvAction,
    pub dry_run: bool,
    pub force: bool,
    pub encoding: CsvEncoding,
    /// The decoded file; sealed ([`SealingKey`]) while it waits in the job table, since it
    /// holds passwords.
    pub text: String,
    #[serde(default)]
    pub sealed: bool,
    pub actor: crate::accounts::AccountId,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

impl CsvWork {
    /// The file's rows, each checked on its own and against the others.
    fn rows(&self) -> Result<ReadRows, ApiError> {
        let refuse = |rows| ApiError::CsvRefused {
            encoding: Some(self.encoding),
            rows,
        };
        let records = csv::records(&self.text).map_err(|fault| refuse(vec![csv::RowFault::file(fault)]))?;
        let (rows, faults) = match self.action {
            CsvAction::Register => {
                let checked = csv::check_register(&records);
                (ReadRows::Register(checked.rows), checked.faults)
            }
            CsvAction::Delete => {
                let checked = csv::check_delete(&records);
                (ReadRows::Delete(checked.rows), checked.faults)
            }
        };
        if faults.is_empty() {
            Ok(rows)
        } else {
            Err(refuse(faults))
        }
    }
}

/// What the site has now: its extensions, SIP user names, the organization's pool and the
/// group memberships.
fn site_state(conn: &mut DbConn, site: &SiteRow) -> QueryResult<SiteState> {
    type Held = (ExtensionId, String, String, Option<MobileLineId>, Option<String>);
    let rows: Vec<Held> = extensions::table
        .left_join(mobile_lines::table)
        .filter(extensions::site_id.eq(site.id))
        .select((
            extensions::id,
            extensions::number,
            extensions::sip_user,
            extensions::mobile_line_id,
            mobile_lines::mobile_number.nullable(),
        ))
        .load(conn)?;
    let assigned = extensions::table
        .filter(extensions::mobile_line_id.is_not_null())
        .select(extensions::mobile_line_id.assume_not_null());
    let pool: Vec<(String, MobileLineId)> = mobile_lines::table
        .filter(mobile_lines::organization_id.eq(site.organization_id))
        .filter(mobile_lines::deleted_on.is_null())
        .filter(mobile_lines::office_link.eq(true))
        .filter(mobile_lines::id.ne_all(assigned))
        .select((mobile_lines::mobile_number, mobile_lines::id))
        .load(conn)?;
    let mut state = SiteState {
        pool: pool.into_iter().collect(),
        groups: groups_of_site(conn, site.id)?,
        codes: super::features::dialled_codes(site),
        ..SiteState::default()
    };
    for (id, number, sip_user, line, mobile) in rows {
        state.extensions.insert(number, (id, mobile));
        state.lines.insert(id, line);
        state.sip_users.insert(sip_user);
    }
    Ok(state)
}

#[derive(Insertable)]
#[diesel(table_name = extensions)]
struct NewExtension<'a> {
    site_id: SiteId,
    number: &'a str,
    sip_user: &'a str,
    sip_password_sealed: String,
    web_user: &'a str,
    web_password_sealed: String,
    mobile_line_id: Option<MobileLineId>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// Checks the rows against the site and, unless a dry run, applies them: call it inside
/// one transaction.
fn apply(
    conn: &mut DbConn,
    sealing: &SealingKey,
    work: &CsvWork,
    rows: &ReadRows,
    now: NaiveDateTime,
) -> Result<ImportReport, ApiError> {
    // Codes, groups and extensions of the site are checked against what it holds under
    // its lock.
    super::features::lock_site(conn, work.site)?;
    let site = pbx_sites::table
        .find(work.site)
        .select(SiteRow::as_select())
        .first(conn)
        .optional()?
        .ok_or(ApiError::NotFound)?;
    let state = site_state(conn, &site)?;
    let faults = match rows {
        ReadRows::Register(rows) => state.check_register(rows),
        ReadRows::Delete(rows) => state.check_delete(rows, work.force),
    };
    if !faults.is_empty() {
        return Err(ApiError::CsvRefused {
            encoding: Some(work.encoding),
            rows: faults,
        });
    }
    let mut report = ImportReport {
        action: work.action,
        encoding: work.encoding,
        dry_run: work.dry_run,
        rows: i64::try_from(rows.len()).unwrap_or(i64::MAX),
        applied: 0,
        memberships_removed: 0,
    };
    if work.dry_run {
        return Ok(report);
    }
    match rows {
        ReadRows::Register(rows) => {
            let passwords: Vec<String> = rows.iter().map(web_password_of).collect();
            let new: Vec<NewExtension<'_>> = rows
                .iter()
                .zip(&passwords)
                .map(|(row, web_password)| NewExtension {
                    site_id: site.id,
                    number: &row.number,
                    sip_user: &row.sip_user,
                    sip_password_sealed: sealing.seal(&row.sip_password),
                    web_user: &row.web_user,
                    web_password_sealed: sealing.seal(web_password),
                    mobile_line_id: row
                        .mobile
                        .as_ref()
                        .and_then(|mobile| state.pool.get(mobile).copied()),
                    created_at: now,
                    updated_at: now,
                })
                .collect();
            for chunk in new.chunks(CHUNK) {
                // Batch inserts are written per backend (`with_inner!`): MultiBackend has
                // no multi-row VALUES of its own.
                let inserted = crate::with_inner!(conn, |inner| diesel::insert_into(extensions::table)
                    .values(chunk)
                    .execute(inner))?;
                report.applied += i64::try_from(inserted).unwrap_or(0);
            }
        }
        ReadRows::Delete(rows) => {
            let ids: Vec<ExtensionId> = rows
                .iter()
                .filter_map(|row| state.extensions.get(&row.number).map(|(id, _)| *id))
                .collect();
            for chunk in ids.chunks(CHUNK) {
                report.memberships_removed += super::remove_memberships(conn, chunk, now)?;
                let deleted: Vec<(ExtensionId, Option<MobileLineId>)> =
                    diesel::delete(extensions::table.filter(extensions::id.eq_any(chunk)))
                        .returning((extensions::id, extensions::mobile_line_id))
                        .get_results(conn)?;
                // Checked against what was read: another request deleted one, or moved its
                // number, in between → nothing of the file is applied (the transaction
                // rolls back), and the caller sends it again.
                let as_read = deleted.len() == chunk.len()
                    && deleted.iter().all(|(id, line)| state.lines.get(id) == Some(line));
                if !as_read {
                    return Err(ApiError::Conflict {
                        field: "extension".into(),
                    });
                }
                report.applied += i64::try_from(deleted.len()).unwrap_or(0);
            }
        }
    }
    let action = match work.action {
        CsvAction::Register => AuditAction::ExtensionsImported,
        CsvAction::Delete => AuditAction::ExtensionsBulkDeleted,
    };
    let client = ClientInfo {
        ip: work.ip.clone(),
        user_agent: work.user_agent.clone(),
    };
    audit::record(
        conn,
        &audit::Event::new(action, &client)
            .organization(Some(site.organization_id))
            .actor(Some(work.actor))
            .detail(json!({
                "site": site.name,
                "rows": report.rows,
                "applied": report.applied,
                "encoding": work.encoding,
                "force": work.force,
                "memberships_removed": report.memberships_removed,
            })),
        now,
    )?;
    Ok(report)
}

/// The web password of a row: the file's, or for the short form one made up (8 letters
/// and digits, read back through the export).
fn web_password_of(row: &RegisterRow) -> String {
    if let Some(password) = &row.web_password {
        return password.clone();
    }
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    loop {
        let mut bytes = [0u8; 8];
        // The operating system's generator failing is not recoverable.
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut bytes).expect("the operating system's random generator");
        let password: String = bytes
            .iter()
            .map(|byte| char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]))
            .collect();
        if password != row.web_user {
            return password;
        }
    }
}

/// Registers the job kind: a large file, checked with progress and applied in one
/// transaction.
pub fn register_job(handlers: &mut jobs::worker::Handlers, sealing: Arc<SealingKey>) {
    handlers.register(JobKind::ExtensionsCsv, move |context| {
        let sealing = sealing.clone();
        async move { run_job(context, sealing).await }
    });
}

async fn run_job(context: JobContext, sealing: Arc<SealingKey>) -> Result<serde_json::Value, JobError> {
    let mut work: CsvWork = context.job.payload()?;
    if work.sealed {
        work.text = sealing
            .open(&work.text)
            .map_err(|error| JobError::fatal(format!("the file cannot be unsealed: {error}")))?;
        work.sealed = false;
    }
    let rows = work.rows().map_err(JobError::refused)?;
    let total = i64::try_from(rows.len()).unwrap_or(i64::MAX).saturating_mul(2);
    // Checked on their own: half the way. The checks against the site and the writes
    // happen in the one transaction (a SQLite writer holds the database until it commits,
    // so no progress can be written in between).
    context.progress(total / 2, Some(total)).await?;
    let (claim, now) = (Claim::from(&context.job), context.clock.now_naive());
    let result = db::transaction(&context.pool, move |conn| {
        let report = apply(conn, &sealing, &work, &rows, now)?;
        // The job is done in the transaction that applied the file: a crash or a lost
        // answer after the commit cannot run it again (its rows would all be refused as
        // duplicates), and a worker that lost the job to another applies nothing.
        let value = serde_json::to_value(&report).map_err(ApiError::internal)?;
        let lease = now + crate::jobs::worker::LEASE;
        let ours = jobs::report_progress(conn, claim, total, Some(total), lease)?
            && jobs::complete(conn, claim, &value, now)?;
        if !ours {
            return Err(ApiError::Conflict { field: "job".into() });
        }
        Ok(value)
    })
    .await;
    match result {
        Ok(value) => Ok(value),
        Err(ApiError::Conflict { field }) if field == "job" => {
            Err(JobError::fatal("the job was taken over by another worker"))
        }
        Err(error @ (ApiError::CsvRefused { .. } | ApiError::NotFound | ApiError::Conflict { .. })) => {
            Err(JobError::refused(error))
        }
        Err(error) => Err(JobError::from(error)),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportOptions {
    /// `shift_jis` (the default, what the seed's tools read) or `utf-8` (with a BOM).
    #[param(inline)]
    pub encoding: Option<ExportEncoding>,
}

/// All the site's extensions as a CSV file in the 10-column register form, passwords
/// included: registering the file on a site without them gives the same extensions.
#[utoipa::path(
    tag = "pbx",
    params(("id" = SiteId, Path, description = "The site's id"), ExportOptions),
    responses(
        (status = 200, description = "The CSV file, streamed", content_type = "text/csv", body = crate::uploads::FileBytes),
        (status = 403, description = "No PBX administration right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such site of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/pbx-sites/{id}/extensions/csv")]
pub async fn export_csv(
    state: web::Data<AppState>,
    user: AuthUser,
    client: ClientInfo,
    id: web::Path<SiteId>,
    options: web::Query<ExportOptions>,
) -> Result<HttpResponse, ApiError> {
    user.require(Permission::Pbx)?;
    let (scope, site) = (user.scope(), id.into_inner());
    let encoding = options.encoding.unwrap_or(ExportEncoding::ShiftJis);
    let (actor, now) = (user.id(), state.clock.now_naive());
    // Who read the passwords is on record before the first byte leaves.
    let site_row = db::transaction(&state.pool, move |conn| {
        let (row, _) = find_site(conn, scope, site)?;
        audit::record(
            conn,
            &audit::Event::new(AuditAction::ExtensionsExported, &client)
                .organization(Some(row.organization_id))
                .actor(Some(actor))
                .detail(json!({"site": row.name, "encoding": encoding})),
            now,
        )?;
        Ok(row)
    })
    .await?;
    let pool = state.pool.clone();
    let sealing = state.sealing.clone();
    // The first page before the answer starts: a failure there (a key that opens nothing)
    // is a proper problem answer rather than a cut-off file.
    let first = {
        let sealing = sealing.clone();
        db::run(&pool, move |conn| export_page(conn, &sealing, site, "")).await?
    };
    let encode = move |text: String| match encoding {
        ExportEncoding::ShiftJis => Bytes::from(SHIFT_JIS.encode(&text).0.into_owned()),
        ExportEncoding::Utf8 => Bytes::from(text),
    };
    let (first_text, first_last, first_full) = first;
    let bom = (encoding == ExportEncoding::Utf8).then(|| Bytes::from_static(b"\xEF\xBB\xBF"));
    let head = bom
        .into_iter()
        .chain(std::iter::once(encode(first_text)))
        .map(Ok::<_, ApiError>);
    // Further pages keyed by number: (the last number sent, finished).
    let pages = futures_util::stream::unfold((first_last, !first_full), move |(after, finished)| {
        let (pool, sealing) = (pool.clone(), sealing.clone());
        async move {
            if finished {
                return None;
            }
            let page = db::run(&pool, move |conn| export_page(conn, &sealing, site, &after)).await;
            match page {
                Ok((text, last, full)) => Some((Ok(encode(text)), (last, !full))),
                Err(error) => Some((Err(error), (String::new(), true))),
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
                "extensions-{}.csv",
                site_row.site_number
            ))],
        })
        .insert_header(("Cache-Control", "no-store"))
        .streaming(body))
}

/// One page of the export after `after` (by number): its lines, its last number, and
/// whether it was full (more may follow).
fn export_page(
    conn: &mut DbConn,
    sealing: &SealingKey,
    site: SiteId,
    after: &str,
) -> Result<(String, String, bool), ApiError> {
    let rows: Vec<(String, String, String, String, String, Option<String>)> = extensions::table
        .left_join(mobile_lines::table)
        .filter(extensions::site_id.eq(site))
        .filter(extensions::number.gt(after))
        .order(extensions::number)
        .limit(EXPORT_PAGE)
        .select((
            extensions::number,
            extensions::sip_user,
            extensions::sip_password_sealed,
            extensions::web_user,
            extensions::web_password_sealed,
            mobile_lines::mobile_number.nullable(),
        ))
        .load(conn)?;
    let full = i64::try_from(rows.len()).unwrap_or(0) == EXPORT_PAGE;
    let mut text = String::with_capacity(rows.len() * 80);
    let mut last = after.to_owned();
    for (number, sip_user, sip_sealed, web_user, web_sealed, mobile) in rows {
        let sip_password = sealing.open(&sip_sealed).map_err(ApiError::internal)?;
        let web_password = sealing.open(&web_sealed).map_err(ApiError::internal)?;
        text.push_str(&csv::register_line(
            &number,
            mobile.as_deref(),
            &sip_user,
            &sip_password,
            &web_user,
            &web_password,
        ));
        last = number;
    }
    Ok((text, last, full))
}
