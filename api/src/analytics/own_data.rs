//! お客さま保有データ (seed 000 §1-2, standard plan): the customer's own daily figures —
//! date, number or group, calls, optionally seconds — uploaded as CSV in Shift_JIS or UTF-8
//! (with or without a BOM, detected), checked row by row (every bad row reported, nothing
//! stored then), and stored replacing the days the file holds. The traffic and comparison
//! reports show them beside the collected calls.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use actix_web::{get, post, web};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use madoguchi_types::Problem;
use madoguchi_types::analytics::{
    NumberKind, OWN_DATA_BYTES_MAX, OWN_DATA_ROWS_MAX, OwnDataError, OwnDataList, OwnDataRow, OwnDataUpload,
    Plan, PlanFeature, an_shape, normalized_number,
};
use madoguchi_types::ids::SubscriptionId;
use madoguchi_types::policy::Permission;
use serde::Deserialize;
use utoipa_actix_web::service_config::ServiceConfig;

use super::{find, require_feature};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::extensions::csv::{self, FileFault};
use crate::i18n::{Lang, RequestLang};
use crate::schema::{analytics_groups, analytics_own_data};

pub fn routes(config: &mut ServiceConfig) {
    config.service(upload_own_data).service(list_own_data);
}

/// Most calls (or seconds) one row may give.
const FIGURE_MAX: i64 = 100_000_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UploadOptions {
    /// Check and show the rows without storing them (the upload's preview).
    pub dry_run: Option<bool>,
}

/// A refused row: its line, the column, why.
struct Refusal {
    line: u32,
    field: &'static str,
    reason: Invalid,
}

impl Refusal {
    fn shown(&self, lang: Lang) -> OwnDataError {
        OwnDataError {
            line: self.line,
            field: self.field.to_owned(),
            code: self.reason.code().to_owned(),
            message: self.reason.message(lang),
        }
    }
}

/// Reads the file's rows against the subscription's numbers and groups: the rows, and
/// every refused one. The first line is a header when its first cell is no date.
fn read_rows(
    text: &str,
    labels: &HashSet<String>,
    first_day: NaiveDate,
    today: NaiveDate,
) -> (Vec<OwnDataRow>, Vec<Refusal>) {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(::csv::Trim::All)
        .from_reader(text.as_bytes());
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let refuse = |errors: &mut Vec<Refusal>, field: &'static str, reason: Invalid| {
            errors.push(Refusal { line, field, reason });
        };
        let Ok(record) = record else {
            refuse(&mut errors, "file", Invalid::Format { expected: "CSV" });
            continue;
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        if index == 0 && parse_day(&record[0]).is_none() {
            continue; // 日付,番号,呼数,通話時間(秒)
        }
        if rows.len() + errors.len() >= OWN_DATA_ROWS_MAX {
            refuse(
                &mut errors,
                "file",
                Invalid::TooMany {
                    max: OWN_DATA_ROWS_MAX,
                },
            );
            break;
        }
        if !(3..=4).contains(&record.len()) {
            refuse(
                &mut errors,
                "file",
                Invalid::Format {
                    expected: "date,number or group,calls[,seconds]",
                },
            );
            continue;
        }
        let before = errors.len();
        let day = match parse_day(&record[0]) {
            Some(day) if day < first_day || day > today => {
                let range = Invalid::OutOfRange {
                    min: first_day.to_string(),
                    max: today.to_string(),
                };
                refuse(&mut errors, "day", range);
                None
            }
            Some(day) => Some(day),
            None => {
                refuse(
                    &mut errors,
                    "day",
                    Invalid::Format {
                        expected: "YYYY-MM-DD",
                    },
                );
                None
            }
        };
        let raw_label = record[1].trim();
        let number = normalized_number(raw_label);
        let label = if an_shape(&number).is_ok() {
            number
        } else {
            raw_label.to_owned()
        };
        if label.is_empty() {
            refuse(&mut errors, "label", Invalid::Required);
        } else if !labels.contains(&label) {
            refuse(&mut errors, "label", Invalid::NotAllowed);
        }
        let figure = |errors: &mut Vec<Refusal>, field: &'static str, raw: &str| match raw
            .replace(',', "")
            .parse::<i64>()
        {
            Ok(value) if (0..=FIGURE_MAX).contains(&value) => Some(value),
            _ => {
                let reason = Invalid::OutOfRange {
                    min: "0".into(),
                    max: FIGURE_MAX.to_string(),
                };
                errors.push(Refusal { line, field, reason });
                None
            }
        };
        let calls = figure(&mut errors, "calls", &record[2]);
        let seconds = match record.get(3) {
            Some(raw) if !raw.is_empty() => figure(&mut errors, "seconds", raw),
            _ => None,
        };
        if let (Some(day), Some(calls)) = (day, calls)
            && errors.len() == before
        {
            if !seen.insert((day, label.clone())) {
                refuse(&mut errors, "label", Invalid::Duplicate);
                continue;
            }
            rows.push(OwnDataRow {
                day,
                label,
                calls,
                seconds,
            });
        }
    }
    (rows, errors)
}

/// `2026-12-01`, `2026/12/01` or `2026/12/1`.
fn parse_day(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(raw, "%Y/%m/%d"))
        .ok()
}

/// The labels a row may name: the subscription's ANs and the names of its AN groups.
fn labels(conn: &mut DbConn, subscription: SubscriptionId) -> QueryResult<HashSet<String>> {
    let mut labels: HashSet<String> = super::numbers_of(conn, subscription, NumberKind::An)?
        .into_iter()
        .collect();
    let groups: Vec<String> = analytics_groups::table
        .filter(analytics_groups::subscription_id.eq(subscription))
        .filter(analytics_groups::kind.eq(NumberKind::An))
        .select(analytics_groups::name)
        .load(conn)?;
    labels.extend(groups);
    Ok(labels)
}

/// Upload own data (お客さま保有データ アップロード): a CSV of `date,number or group,calls[,seconds]`
/// (a header line allowed), Shift_JIS or UTF-8. With `dry_run` the answer previews the rows
/// and every refused one; otherwise a clean file replaces the stored rows of its days, and
/// a file with a refused row is 422 with every such row, nothing stored.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id"), UploadOptions),
    request_body(content = crate::uploads::FileBytes, content_type = "text/csv", description = "The CSV file (at most 2 MB, 10,000 rows)"),
    responses(
        (status = 200, description = "Stored, or with `dry_run` the preview (rows, days replaced, refused rows)", body = OwnDataUpload),
        (status = 403, description = "No analytics right, a child ID, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A file larger than 2 MB", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Refused, nothing stored: every bad row named as `rows[line].column` (`rows[0].file` for the file: empty, binary, encrypted)", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[post("/analytics/subscriptions/{id}/own-data")]
pub async fn upload_own_data(
    state: web::Data<AppState>,
    user: AuthUser,
    RequestLang(lang): RequestLang,
    id: web::Path<SubscriptionId>,
    options: web::Query<UploadOptions>,
    payload: web::Payload,
) -> Result<web::Json<OwnDataUpload>, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id, actor, now) = (user.scope(), id.into_inner(), user.id(), state.clock.now_naive());
    let dry_run = options.dry_run.unwrap_or(false);
    let subscription = db::run(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::OwnData)?;
        super::child_ids::refuse_child(conn, actor)?;
        Ok(subscription)
    })
    .await?;
    let body = crate::uploads::read_limited(payload, OWN_DATA_BYTES_MAX).await?;
    let decoded = csv::decode(&body).map_err(|fault| {
        let reason = match fault {
            FileFault::Empty => Invalid::Required,
            FileFault::TooManyRows { max } => Invalid::TooMany { max },
            FileFault::Encrypted => Invalid::Format {
                expected: "CSV text, not encrypted",
            },
            FileFault::NotText => Invalid::Format {
                expected: "CSV text in Shift_JIS or UTF-8",
            },
        };
        ApiError::invalid("rows[0].file", reason)
    })?;
    let today = crate::clock::japan_date(now);
    let first_day = super::retention::first_aggregate_day(now, Plan::Standard);
    let upload = db::transaction(&state.pool, move |conn| {
        let labels = labels(conn, id)?;
        let (rows, refusals) = read_rows(&decoded.text, &labels, first_day, today);
        let days: BTreeSet<NaiveDate> = rows.iter().map(|row| row.day).collect();
        let errors: Vec<OwnDataError> = refusals.iter().map(|refusal| refusal.shown(lang)).collect();
        if !refusals.is_empty() && !dry_run {
            let mut violations = Violations::default();
            for refusal in refusals {
                violations.add(
                    format!("rows[{}].{}", refusal.line, refusal.field),
                    refusal.reason,
                );
            }
            return Err(violations.into_error());
        }
        // A refused row has returned above unless this is a dry run.
        let applied = !dry_run;
        if applied {
            store(conn, id, &rows, &days, now)?;
            super::reports::data_changed(conn, &[subscription.id])?;
            super::warming::queue(conn, subscription.id, now)?;
        }
        Ok(OwnDataUpload {
            encoding: decoded.encoding,
            rows,
            days: days.into_iter().collect(),
            errors,
            applied,
        })
    })
    .await?;
    Ok(web::Json(upload))
}

/// Replaces the stored rows of the file's days with the file's.
fn store(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    rows: &[OwnDataRow],
    days: &BTreeSet<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let days: Vec<NaiveDate> = days.iter().copied().collect();
    for chunk in days.chunks(500) {
        diesel::delete(
            analytics_own_data::table
                .filter(analytics_own_data::subscription_id.eq(subscription))
                .filter(analytics_own_data::day.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    let new: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                analytics_own_data::subscription_id.eq(subscription),
                analytics_own_data::day.eq(row.day),
                analytics_own_data::label.eq(&row.label),
                analytics_own_data::calls.eq(row.calls),
                analytics_own_data::seconds.eq(row.seconds),
                analytics_own_data::uploaded_at.eq(now),
            )
        })
        .collect();
    // A multi-row VALUES per backend (`with_inner!`), 1,000 rows (6,000 parameters) each.
    for chunk in new.chunks(1_000) {
        crate::with_inner!(conn, |inner| diesel::insert_into(analytics_own_data::table)
            .values(chunk)
            .execute(inner))?;
    }
    Ok(())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OwnDataQuery {
    /// First day (default: the first kept).
    pub from: Option<NaiveDate>,
    /// Last day (default: today).
    pub to: Option<NaiveDate>,
}

/// The stored own data of a period, by day and label.
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id"), OwnDataQuery),
    responses(
        (status = 200, description = "The rows", body = OwnDataList),
        (status = 403, description = "No analytics right, or a free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/own-data")]
pub async fn list_own_data(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<SubscriptionId>,
    query: web::Query<OwnDataQuery>,
) -> Result<web::Json<OwnDataList>, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id, now) = (user.scope(), id.into_inner(), state.clock.now_naive());
    let from = query
        .from
        .unwrap_or_else(|| super::retention::first_aggregate_day(now, Plan::Standard));
    let to = query.to.unwrap_or_else(|| crate::clock::japan_date(now));
    let items = db::run(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        require_feature(&subscription, PlanFeature::OwnData)?;
        Ok(analytics_own_data::table
            .filter(analytics_own_data::subscription_id.eq(id))
            .filter(analytics_own_data::day.between(from, to))
            .order((analytics_own_data::day, analytics_own_data::label))
            .limit(OWN_DATA_ROWS_MAX as i64)
            .select((
                analytics_own_data::day,
                analytics_own_data::label,
                analytics_own_data::calls,
                analytics_own_data::seconds,
            ))
            .load::<(NaiveDate, String, i64, Option<i64>)>(conn)?
            .into_iter()
            .map(|(day, label, calls, seconds)| OwnDataRow {
                day,
                label,
                calls,
                seconds,
            })
            .collect())
    })
    .await?;
    Ok(web::Json(OwnDataList { items }))
}

/// Own calls per day of a period, for the labels given (`None`: every label), for the
/// reports that show them beside the collected calls.
pub fn calls_per_day(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    from: NaiveDate,
    to: NaiveDate,
    labels: Option<&[String]>,
) -> QueryResult<BTreeMap<NaiveDate, i64>> {
    let mut query = analytics_own_data::table
        .filter(analytics_own_data::subscription_id.eq(subscription))
        .filter(analytics_own_data::day.between(from, to))
        .select((analytics_own_data::day, analytics_own_data::calls))
        .into_boxed();
    if let Some(labels) = labels {
        query = query.filter(analytics_own_data::label.eq_any(labels.to_vec()));
    }
    let mut days = BTreeMap::new();
    for (day, calls) in query.load::<(NaiveDate, i64)>(conn)? {
        *days.entry(day).or_insert(0) += calls;
    }
    Ok(days)
}
