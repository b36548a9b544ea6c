//! `GET /analytics/subscriptions/{id}/reports/{report}`: the reports of seed 000 §1-2, each
//! a table (rows × columns, totals per column) with how to draw it and the filters it
//! applied. Every one reads the rollups (sums by day, hour, AN, DN, result and origin; by
//! minute; by duration bucket; by caller), grouped in the database — never the raw calls.

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, web};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use madoguchi_types::analytics::{
    AppliedFilter, CallResult, Catalogue, CatalogueEntry, LineSizing, NumberKind, Plan, Region, Report,
    ReportColumn, ReportKind, ReportRow,
};
use madoguchi_types::ids::{NumberGroupId, SubscriptionId};
use madoguchi_types::{Lang, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ingest::DURATION_BUCKETS;
use super::{erlang, find, numbers_of, region_of, require_plan};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::policy::Permission;
use crate::schema::{analytics_callers, analytics_durations, analytics_hourly, analytics_minutes};

pub fn routes(config: &mut ServiceConfig) {
    config.service(catalogue).service(chart).service(report);
}

/// The longest period a report covers.
const MAX_DAYS: i64 = 731;

#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// A month (`2026-11`): the period is that month. Not with `from` / `to`.
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// The first day (Japan), inclusive. Default: 3 months back for 直近3ヶ月, the month
    /// 11 months back for 年間, else 30 days back.
    pub from: Option<NaiveDate>,
    /// The last day, inclusive (default today); at most 731 days after `from`.
    pub to: Option<NaiveDate>,
    /// The second period of トラフィック比較分析 (default: the period before the first,
    /// of the same length).
    pub compare_from: Option<NaiveDate>,
    pub compare_to: Option<NaiveDate>,
    /// One AN of the subscription.
    #[param(max_length = 20)]
    pub an: Option<String>,
    /// A group of ANs (standard plan). Not with `an`.
    pub an_group: Option<NumberGroupId>,
    /// A group of DNs (standard plan).
    pub dn_group: Option<NumberGroupId>,
    /// Weekdays counted, comma-separated, 1 = Monday … 7 = Sunday (default all).
    #[param(max_length = 20, pattern = "^[1-7](,[1-7])*$")]
    pub weekdays: Option<String>,
    /// The first hour counted, 0–23 (default 0).
    #[param(minimum = 0, maximum = 23)]
    pub hour_from: Option<u8>,
    /// The hour counting stops at, 1–24 (default 24).
    #[param(minimum = 1, maximum = 24)]
    pub hour_to: Option<u8>,
    /// 同時適正回線数: the blocking aimed at (default 0.01 = 1%).
    #[param(minimum = 0.0001, maximum = 0.5)]
    pub target_blocking: Option<f64>,
}

/// A report's filters, checked: what every rollup query is narrowed by.
#[derive(Debug, Clone)]
struct Filter {
    subscription: SubscriptionId,
    from: NaiveDate,
    to: NaiveDate,
    compare: Option<(NaiveDate, NaiveDate)>,
    ans: Vec<String>,
    /// The DNs of a destination group, if one was chosen.
    dns: Option<Vec<String>>,
    /// The DNs counted: the group's, or every DN of the subscription and none (a call that
    /// reached no DN).
    dn_list: Vec<String>,
    weekdays: Vec<i32>,
    hour_from: i32,
    hour_to: i32,
    target_blocking: f64,
}

impl Filter {
    fn applied(&self) -> AppliedFilter {
        AppliedFilter {
            from: self.from,
            to: self.to,
            compare_from: self.compare.map(|(from, _)| from),
            compare_to: self.compare.map(|(_, to)| to),
            ans: self.ans.clone(),
            dns: self.dns.clone(),
            weekdays: self.weekdays.iter().map(|day| *day as u8).collect(),
            hour_from: self.hour_from as u8,
            hour_to: self.hour_to as u8,
        }
    }

    fn with_period(&self, from: NaiveDate, to: NaiveDate) -> Self {
        Self {
            from,
            to,
            ..self.clone()
        }
    }
}

/// The default first day of a report's period ending `to`.
fn default_from(kind: ReportKind, to: NaiveDate) -> NaiveDate {
    match kind {
        ReportKind::RecentTraffic => to
            .checked_sub_months(Months::new(3))
            .map_or(to, |day| day + TimeDelta::days(1)),
        ReportKind::YearlyTraffic => to
            .with_day(1)
            .and_then(|first| first.checked_sub_months(Months::new(11)))
            .unwrap_or(to),
        _ => to - TimeDelta::days(29),
    }
}

/// A report's days, and those of the period it is compared with.
type Period = (NaiveDate, NaiveDate, Option<(NaiveDate, NaiveDate)>);

/// Checks the query's fields (every bad one named) apart from what needs the database.
fn period(
    kind: ReportKind,
    query: &ReportQuery,
    now: NaiveDateTime,
    violations: &mut Violations,
) -> Option<Period> {
    let (from, to) = match (&query.month, query.from, query.to) {
        (Some(month), None, None) => match NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d") {
            Ok(first) => {
                let last = first
                    .checked_add_months(Months::new(1))
                    .map_or(first, |next| next - TimeDelta::days(1));
                (first, last)
            }
            Err(_) => {
                violations.add("month", Invalid::Format { expected: "YYYY-MM" });
                return None;
            }
        },
        (Some(_), _, _) => {
            violations.add("month", Invalid::NotAllowed);
            return None;
        }
        (None, from, to) => {
            let to = to.unwrap_or_else(|| crate::clock::japan_date(now));
            (from.unwrap_or_else(|| default_from(kind, to)), to)
        }
    };
    if to < from {
        violations.add("to", Invalid::EndsBeforeStart);
        return None;
    }
    if (to - from).num_days() >= MAX_DAYS {
        violations.add(
            "from",
            Invalid::OutOfRange {
                min: (to - TimeDelta::days(MAX_DAYS - 1)).to_string(),
                max: to.to_string(),
            },
        );
        return None;
    }
    let compare = match (query.compare_from, query.compare_to) {
        (None, None) if kind == ReportKind::Comparison => {
            let length = (to - from).num_days() + 1;
            Some((from - TimeDelta::days(length), from - TimeDelta::days(1)))
        }
        (None, None) => None,
        (Some(first), Some(last)) if last < first => {
            violations.add("compare_to", Invalid::EndsBeforeStart);
            None
        }
        (Some(first), Some(last)) if (last - first).num_days() >= MAX_DAYS => {
            violations.add(
                "compare_from",
                Invalid::TooMany {
                    max: MAX_DAYS as usize,
                },
            );
            None
        }
        (Some(first), Some(last)) => Some((first, last)),
        (Some(_), None) => {
            violations.add("compare_to", Invalid::Required);
            None
        }
        (None, Some(_)) => {
            violations.add("compare_from", Invalid::Required);
            None
        }
    };
    Some((from, to, compare))
}

fn weekdays(query: &ReportQuery, violations: &mut Violations) -> Vec<i32> {
    let Some(text) = query.weekdays.as_deref().filter(|text| !text.is_empty()) else {
        return (1..=7).collect();
    };
    let mut days: Vec<i32> = Vec::new();
    for part in text.split(',') {
        match part.trim().parse::<i32>() {
            Ok(day) if (1..=7).contains(&day) => days.push(day),
            _ => {
                violations.add(
                    "weekdays",
                    Invalid::Format {
                        expected: "1 (Monday) to 7 (Sunday), comma-separated",
                    },
                );
                return Vec::new();
            }
        }
    }
    days.sort_unstable();
    days.dedup();
    days
}

/// The ANs, DNs and period a request narrows to, checked against the subscription.
fn filter(
    conn: &mut DbConn,
    subscription: &super::SubscriptionRow,
    kind: ReportKind,
    query: &ReportQuery,
    now: NaiveDateTime,
) -> Result<Filter, ApiError> {
    let mut violations = Violations::default();
    let period = period(kind, query, now, &mut violations);
    let weekdays = weekdays(query, &mut violations);
    let hour_from = i32::from(query.hour_from.unwrap_or(0));
    let hour_to = i32::from(query.hour_to.unwrap_or(24));
    if hour_from > 23 {
        violations.add(
            "hour_from",
            Invalid::OutOfRange {
                min: "0".to_owned(),
                max: "23".to_owned(),
            },
        );
    }
    if !(1..=24).contains(&hour_to) {
        violations.add(
            "hour_to",
            Invalid::OutOfRange {
                min: "1".to_owned(),
                max: "24".to_owned(),
            },
        );
    } else if hour_to <= hour_from {
        violations.add("hour_to", Invalid::EndsBeforeStart);
    }
    let target_blocking = query.target_blocking.unwrap_or(0.01);
    if !(0.0001..=0.5).contains(&target_blocking) {
        violations.add(
            "target_blocking",
            Invalid::OutOfRange {
                min: "0.0001".to_owned(),
                max: "0.5".to_owned(),
            },
        );
    }
    let all_ans = numbers_of(conn, subscription.id, NumberKind::An)?;
    let ans = match (&query.an, query.an_group) {
        (Some(_), Some(_)) => {
            violations.add("an_group", Invalid::NotAllowed);
            Vec::new()
        }
        (Some(an), None) => {
            let an = madoguchi_types::analytics::normalized_number(an.trim());
            if all_ans.contains(&an) {
                vec![an]
            } else {
                violations.add("an", Invalid::NotAllowed);
                Vec::new()
            }
        }
        (None, Some(group)) => group_numbers(
            conn,
            subscription,
            NumberKind::An,
            group,
            "an_group",
            &mut violations,
        )?,
        (None, None) => all_ans,
    };
    let dns = match query.dn_group {
        Some(group) => Some(group_numbers(
            conn,
            subscription,
            NumberKind::Dn,
            group,
            "dn_group",
            &mut violations,
        )?),
        None => None,
    };
    let dn_list = match &dns {
        Some(dns) => dns.clone(),
        None => {
            let mut all = numbers_of(conn, subscription.id, NumberKind::Dn)?;
            all.push(String::new());
            all
        }
    };
    violations.finish()?;
    let Some((from, to, compare)) = period else {
        return Err(ApiError::invalid("from", Invalid::Required));
    };
    Ok(Filter {
        subscription: subscription.id,
        from,
        to,
        compare,
        ans,
        dns,
        dn_list,
        weekdays,
        hour_from,
        hour_to,
        target_blocking,
    })
}

/// The numbers of a group chosen as a filter: standard plan only, and a group of the
/// subscription of that kind.
fn group_numbers(
    conn: &mut DbConn,
    subscription: &super::SubscriptionRow,
    kind: NumberKind,
    group: NumberGroupId,
    field: &str,
    violations: &mut Violations,
) -> Result<Vec<String>, ApiError> {
    require_plan(subscription, Plan::Standard)?;
    match super::groups::members(conn, subscription.id, kind, group)? {
        Some(numbers) => Ok(numbers),
        None => {
            violations.add(field, Invalid::NotAllowed);
            Ok(Vec::new())
        }
    }
}

/// A rollup table's rows narrowed by a filter (all but the hours, whose column differs).
macro_rules! narrowed {
    ($table:ident, $filter:expr) => {{
        let filter: &Filter = $filter;
        $table::table
            .filter($table::subscription_id.eq(filter.subscription))
            .filter($table::day.between(filter.from, filter.to))
            .filter($table::an.eq_any(filter.ans.clone()))
            .filter($table::dn.eq_any(filter.dn_list.clone()))
            .filter($table::weekday.eq_any(filter.weekdays.clone()))
    }};
}

/// Rows of the hourly rollup in the filter's hours.
macro_rules! hourly {
    ($filter:expr) => {{
        let filter: &Filter = $filter;
        narrowed!(analytics_hourly, filter)
            .filter(analytics_hourly::hour.ge(filter.hour_from))
            .filter(analytics_hourly::hour.lt(filter.hour_to))
    }};
}

fn calls_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(calls), 0) AS BIGINT)")
}

fn seconds_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(seconds), 0) AS BIGINT)")
}

fn completed_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(CASE WHEN result = 'completed' THEN calls ELSE 0 END), 0) AS BIGINT)")
}

/// Calls, completed calls and seconds per day of the filter's period.
fn per_day(conn: &mut DbConn, filter: &Filter) -> QueryResult<BTreeMap<NaiveDate, [i64; 3]>> {
    let rows: Vec<(NaiveDate, i64, i64, i64)> = hourly!(filter)
        .group_by(analytics_hourly::day)
        .select((analytics_hourly::day, calls_sum(), completed_sum(), seconds_sum()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(day, calls, completed, seconds)| (day, [calls, completed, seconds]))
        .collect())
}

struct Table {
    columns: Vec<ReportColumn>,
    rows: Vec<ReportRow>,
    lines: Option<LineSizing>,
}

fn column(key: &str, ja: &str, en: &str, lang: Lang) -> ReportColumn {
    ReportColumn {
        key: key.to_owned(),
        label: if lang == Lang::Ja { ja } else { en }.to_owned(),
    }
}

/// 呼数, 完了呼数, 不完了呼数, 通話時間(秒): the traffic columns.
fn traffic_columns(lang: Lang) -> Vec<ReportColumn> {
    vec![
        column("calls", "呼数", "Calls", lang),
        column("completed", "完了呼数", "Completed", lang),
        column("incomplete", "不完了呼数", "Incomplete", lang),
        column("seconds", "通話時間(秒)", "Seconds of conversation", lang),
    ]
}

fn traffic_values([calls, completed, seconds]: [i64; 3]) -> Vec<f64> {
    vec![
        calls as f64,
        completed as f64,
        (calls - completed) as f64,
        seconds as f64,
    ]
}

fn row(key: impl Into<String>, label: impl Into<String>, values: Vec<f64>) -> ReportRow {
    ReportRow {
        key: key.into(),
        label: label.into(),
        values,
    }
}

fn traffic_by_day(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let days = per_day(conn, filter)?;
    let rows = filter
        .from
        .iter_days()
        .take_while(|day| *day <= filter.to)
        .map(|day| {
            let values = days.get(&day).copied().unwrap_or_default();
            row(
                day.to_string(),
                day.format("%m/%d").to_string(),
                traffic_values(values),
            )
        })
        .collect();
    Ok(Table {
        columns: traffic_columns(lang),
        rows,
        lines: None,
    })
}

fn traffic_by_month(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let mut months: BTreeMap<(i32, u32), [i64; 3]> = BTreeMap::new();
    let mut month = filter.from.with_day(1).unwrap_or(filter.from);
    while month <= filter.to {
        months.insert((month.year(), month.month()), [0; 3]);
        month = month.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    }
    for (day, values) in per_day(conn, filter)? {
        if let Some(sums) = months.get_mut(&(day.year(), day.month())) {
            for (sum, value) in sums.iter_mut().zip(values) {
                *sum += value;
            }
        }
    }
    let rows = months
        .into_iter()
        .map(|((year, month), values)| {
            let label = if lang == Lang::Ja {
                format!("{year}年{month}月")
            } else {
                format!("{year}-{month:02}")
            };
            row(format!("{year}-{month:02}"), label, traffic_values(values))
        })
        .collect();
    Ok(Table {
        columns: traffic_columns(lang),
        rows,
        lines: None,
    })
}

/// Day 1, 2, … of each period side by side.
fn comparison(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let (compare_from, compare_to) = filter.compare.unwrap_or((filter.from, filter.to));
    let first = per_day(conn, filter)?;
    let second = per_day(conn, &filter.with_period(compare_from, compare_to))?;
    let length = ((filter.to - filter.from).num_days()).max((compare_to - compare_from).num_days()) + 1;
    let rows = (0..length)
        .map(|offset| {
            let in_first = filter.from + TimeDelta::days(offset);
            let in_second = compare_from + TimeDelta::days(offset);
            let calls = |days: &BTreeMap<NaiveDate, [i64; 3]>, day: NaiveDate, last: NaiveDate| {
                if day <= last {
                    days.get(&day).map_or(0, |values| values[0]) as f64
                } else {
                    0.0
                }
            };
            let label = if lang == Lang::Ja {
                format!("{}日目", offset + 1)
            } else {
                format!("Day {}", offset + 1)
            };
            row(
                (offset + 1).to_string(),
                label,
                vec![
                    calls(&first, in_first, filter.to),
                    calls(&second, in_second, compare_to),
                ],
            )
        })
        .collect();
    Ok(Table {
        columns: vec![
            column(
                "period",
                &format!("期間1 ({}〜{})", filter.from, filter.to),
                &format!("Period 1 ({} to {})", filter.from, filter.to),
                lang,
            ),
            column(
                "compare",
                &format!("期間2 ({compare_from}〜{compare_to})"),
                &format!("Period 2 ({compare_from} to {compare_to})"),
                lang,
            ),
        ],
        rows,
        lines: None,
    })
}

fn incomplete_reasons(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(CallResult, i64)> = hourly!(filter)
        .filter(analytics_hourly::result.ne(CallResult::Completed))
        .group_by(analytics_hourly::result)
        .select((analytics_hourly::result, calls_sum()))
        .load(conn)?;
    let counts: HashMap<CallResult, i64> = rows.into_iter().collect();
    Ok(Table {
        columns: vec![column("calls", "呼数", "Calls", lang)],
        rows: CallResult::ALL
            .iter()
            .filter(|result| **result != CallResult::Completed)
            .map(|result| {
                row(
                    result.as_str(),
                    result.label(lang),
                    vec![counts.get(result).copied().unwrap_or(0) as f64],
                )
            })
            .collect(),
        lines: None,
    })
}

/// Rows per region (every prefecture and kind, in order, zeros included).
fn region_rows(counts: &HashMap<Region, [i64; 3]>, lang: Lang) -> Vec<ReportRow> {
    Region::all()
        .map(|region| {
            let values = counts.get(&region).copied().unwrap_or_default();
            row(region.key(), region.label(lang), traffic_values(values))
        })
        .collect()
}

fn origins(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(i32, i64, i64, i64)> = hourly!(filter)
        .group_by(analytics_hourly::origin)
        .select((
            analytics_hourly::origin,
            calls_sum(),
            completed_sum(),
            seconds_sum(),
        ))
        .load(conn)?;
    let counts = rows
        .into_iter()
        .map(|(origin, calls, completed, seconds)| {
            (Region::from_code(origin as i16), [calls, completed, seconds])
        })
        .collect();
    Ok(Table {
        columns: traffic_columns(lang),
        rows: region_rows(&counts, lang),
        lines: None,
    })
}

fn destinations(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(String, i64, i64, i64)> = hourly!(filter)
        .group_by(analytics_hourly::dn)
        .select((analytics_hourly::dn, calls_sum(), completed_sum(), seconds_sum()))
        .load(conn)?;
    let mut counts: HashMap<Region, [i64; 3]> = HashMap::new();
    for (dn, calls, completed, seconds) in rows {
        // A call that reached no DN has no destination: it counts under その他.
        let sums = counts
            .entry(if dn.is_empty() {
                Region::Other
            } else {
                region_of(&dn)
            })
            .or_default();
        sums[0] += calls;
        sums[1] += completed;
        sums[2] += seconds;
    }
    Ok(Table {
        columns: traffic_columns(lang),
        rows: region_rows(&counts, lang),
        lines: None,
    })
}

/// Calls from each origin (rows) to each destination region (columns) that has any.
fn origin_destination(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(i32, String, i64)> = hourly!(filter)
        .group_by((analytics_hourly::origin, analytics_hourly::dn))
        .select((analytics_hourly::origin, analytics_hourly::dn, calls_sum()))
        .load(conn)?;
    let mut cells: BTreeMap<(Region, Region), i64> = BTreeMap::new();
    for (origin, dn, calls) in rows {
        let destination = if dn.is_empty() {
            Region::Other
        } else {
            region_of(&dn)
        };
        *cells
            .entry((Region::from_code(origin as i16), destination))
            .or_default() += calls;
    }
    let mut destinations: Vec<Region> = cells.keys().map(|(_, destination)| *destination).collect();
    destinations.sort();
    destinations.dedup();
    Ok(Table {
        columns: destinations
            .iter()
            .map(|region| ReportColumn {
                key: region.key(),
                label: region.label(lang).to_owned(),
            })
            .collect(),
        rows: Region::all()
            .map(|origin| {
                let values = destinations
                    .iter()
                    .map(|destination| cells.get(&(origin, *destination)).copied().unwrap_or(0) as f64)
                    .collect();
                row(origin.key(), origin.label(lang), values)
            })
            .collect(),
        lines: None,
    })
}

fn per_number(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(String, i64, i64, i64)> = hourly!(filter)
        .group_by(analytics_hourly::an)
        .select((analytics_hourly::an, calls_sum(), completed_sum(), seconds_sum()))
        .load(conn)?;
    let counts: HashMap<String, [i64; 3]> = rows
        .into_iter()
        .map(|(an, calls, completed, seconds)| (an, [calls, completed, seconds]))
        .collect();
    Ok(Table {
        columns: traffic_columns(lang),
        rows: filter
            .ans
            .iter()
            .map(|an| {
                row(
                    an.clone(),
                    an.clone(),
                    traffic_values(counts.get(an).copied().unwrap_or_default()),
                )
            })
            .collect(),
        lines: None,
    })
}

/// Calls per minute of the day (00:00–23:59), summed over the period's days.
fn per_minute(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(i32, i64)> = narrowed!(analytics_minutes, filter)
        .filter(analytics_minutes::minute.ge(filter.hour_from * 60))
        .filter(analytics_minutes::minute.lt(filter.hour_to * 60))
        .group_by(analytics_minutes::minute)
        .select((analytics_minutes::minute, calls_sum()))
        .load(conn)?;
    let counts: HashMap<i32, i64> = rows.into_iter().collect();
    Ok(Table {
        columns: vec![column("calls", "呼数", "Calls", lang)],
        rows: (filter.hour_from * 60..filter.hour_to * 60)
            .map(|minute| {
                let label = format!("{:02}:{:02}", minute / 60, minute % 60);
                row(
                    minute.to_string(),
                    label,
                    vec![counts.get(&minute).copied().unwrap_or(0) as f64],
                )
            })
            .collect(),
        lines: None,
    })
}

/// First-time callers (no call before the period in the data kept) and repeat callers,
/// then callers by their number of calls in the period. Withheld callers are not people
/// one can tell apart: they are left out.
fn caller_composition(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let in_period: Vec<(String, i64)> = narrowed!(analytics_callers, filter)
        .filter(analytics_callers::hour.ge(filter.hour_from))
        .filter(analytics_callers::hour.lt(filter.hour_to))
        .group_by(analytics_callers::caller)
        .select((analytics_callers::caller, calls_sum()))
        .load(conn)?;
    // Callers of the same numbers before the period, whatever the weekday or hour.
    let known: std::collections::HashSet<String> = analytics_callers::table
        .filter(analytics_callers::subscription_id.eq(filter.subscription))
        .filter(analytics_callers::day.lt(filter.from))
        .filter(analytics_callers::an.eq_any(filter.ans.clone()))
        .filter(analytics_callers::dn.eq_any(filter.dn_list.clone()))
        .select(analytics_callers::caller)
        .distinct()
        .load::<String>(conn)?
        .into_iter()
        .collect();
    let mut groups = [[0i64; 2]; 7];
    for (caller, calls) in in_period {
        let kind = usize::from(known.contains(&caller));
        let by_calls = 2 + match calls {
            1 => 0,
            2 => 1,
            3..=5 => 2,
            6..=10 => 3,
            _ => 4,
        };
        for index in [kind, by_calls] {
            groups[index][0] += 1;
            groups[index][1] += calls;
        }
    }
    let labels = [
        ("first_time", "新規発信者", "First-time callers"),
        ("repeat", "リピート発信者", "Repeat callers"),
        ("calls_1", "1回", "1 call"),
        ("calls_2", "2回", "2 calls"),
        ("calls_3_5", "3〜5回", "3–5 calls"),
        ("calls_6_10", "6〜10回", "6–10 calls"),
        ("calls_11_plus", "11回以上", "11 calls or more"),
    ];
    Ok(Table {
        columns: vec![
            column("callers", "発信者数", "Callers", lang),
            column("calls", "呼数", "Calls", lang),
        ],
        rows: labels
            .iter()
            .zip(groups)
            .map(|((key, ja, en), [callers, calls])| {
                row(
                    *key,
                    if lang == Lang::Ja { *ja } else { *en },
                    vec![callers as f64, calls as f64],
                )
            })
            .collect(),
        lines: None,
    })
}

/// The busiest hour's offered traffic (seconds of conversation in it / 3600) and the
/// fewest lines with Erlang-B blocking at or under the target; rows show the blocking
/// two lines either side, so that the trade-off is visible.
fn concurrent_lines(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(NaiveDate, i32, i64)> = hourly!(filter)
        .group_by((analytics_hourly::day, analytics_hourly::hour))
        .select((analytics_hourly::day, analytics_hourly::hour, seconds_sum()))
        .load(conn)?;
    // The busiest hour; of equals, the earliest.
    let busiest = rows
        .into_iter()
        .max_by(|a, b| a.2.cmp(&b.2).then_with(|| (b.0, b.1).cmp(&(a.0, a.1))));
    let erlangs = busiest.map_or(0.0, |(_, _, seconds)| seconds as f64 / 3600.0);
    let (lines, at) = erlang::lines_for(erlangs, filter.target_blocking);
    let table_rows = (lines.saturating_sub(2)..=lines + 2)
        .filter(|n| *n > 0 || lines == 0)
        .map(|n| {
            let label = if lang == Lang::Ja {
                format!("{n}回線")
            } else {
                format!("{n} lines")
            };
            row(n.to_string(), label, vec![erlang::blocking(erlangs, n) * 100.0])
        })
        .collect();
    Ok(Table {
        columns: vec![column("blocking_percent", "呼損率(%)", "Blocking (%)", lang)],
        rows: table_rows,
        lines: Some(LineSizing {
            busiest_hour: busiest.and_then(|(day, hour, _)| day.and_hms_opt(hour as u32, 0, 0)),
            erlangs,
            target_blocking: filter.target_blocking,
            lines,
            blocking: at,
        }),
    })
}

fn durations(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(i32, i64)> = narrowed!(analytics_durations, filter)
        .filter(analytics_durations::hour.ge(filter.hour_from))
        .filter(analytics_durations::hour.lt(filter.hour_to))
        .group_by(analytics_durations::bucket)
        .select((analytics_durations::bucket, calls_sum()))
        .load(conn)?;
    let counts: HashMap<i32, i64> = rows.into_iter().collect();
    let labels = [
        ("0_30s", "30秒未満", "Under 30 s"),
        ("30_60s", "30秒〜1分", "30 s – 1 min"),
        ("1_3m", "1〜3分", "1 – 3 min"),
        ("3_5m", "3〜5分", "3 – 5 min"),
        ("5_10m", "5〜10分", "5 – 10 min"),
        ("10_30m", "10〜30分", "10 – 30 min"),
        ("30m_plus", "30分以上", "30 min or more"),
    ];
    debug_assert_eq!(labels.len(), DURATION_BUCKETS.len() + 1);
    Ok(Table {
        columns: vec![column("calls", "完了呼数", "Completed calls", lang)],
        rows: labels
            .iter()
            .enumerate()
            .map(|(bucket, (key, ja, en))| {
                let calls = counts.get(&(bucket as i32)).copied().unwrap_or(0);
                row(*key, if lang == Lang::Ja { *ja } else { *en }, vec![calls as f64])
            })
            .collect(),
        lines: None,
    })
}

/// Calls per weekday (rows) and hour (columns): the heat map.
fn time_of_day(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(i32, i32, i64)> = hourly!(filter)
        .group_by((analytics_hourly::weekday, analytics_hourly::hour))
        .select((analytics_hourly::weekday, analytics_hourly::hour, calls_sum()))
        .load(conn)?;
    let counts: HashMap<(i32, i32), i64> = rows
        .into_iter()
        .map(|(day, hour, calls)| ((day, hour), calls))
        .collect();
    let names = [
        ("月", "Mon"),
        ("火", "Tue"),
        ("水", "Wed"),
        ("木", "Thu"),
        ("金", "Fri"),
        ("土", "Sat"),
        ("日", "Sun"),
    ];
    let hours: Vec<i32> = (filter.hour_from..filter.hour_to).collect();
    Ok(Table {
        columns: hours
            .iter()
            .map(|hour| ReportColumn {
                key: hour.to_string(),
                label: if lang == Lang::Ja {
                    format!("{hour}時")
                } else {
                    format!("{hour}:00")
                },
            })
            .collect(),
        rows: filter
            .weekdays
            .iter()
            .map(|day| {
                let (ja, en) = names[(*day - 1) as usize];
                let values = hours
                    .iter()
                    .map(|hour| counts.get(&(*day, *hour)).copied().unwrap_or(0) as f64)
                    .collect();
                row(day.to_string(), if lang == Lang::Ja { ja } else { en }, values)
            })
            .collect(),
        lines: None,
    })
}

fn build(conn: &mut DbConn, kind: ReportKind, filter: &Filter, lang: Lang) -> QueryResult<Report> {
    let table = match kind {
        ReportKind::RecentTraffic => traffic_by_day(conn, filter, lang)?,
        ReportKind::YearlyTraffic => traffic_by_month(conn, filter, lang)?,
        ReportKind::Comparison => comparison(conn, filter, lang)?,
        ReportKind::IncompleteReasons => incomplete_reasons(conn, filter, lang)?,
        ReportKind::Origins => origins(conn, filter, lang)?,
        ReportKind::Destinations => destinations(conn, filter, lang)?,
        ReportKind::OriginDestination => origin_destination(conn, filter, lang)?,
        ReportKind::PerNumber => per_number(conn, filter, lang)?,
        ReportKind::PerMinute => per_minute(conn, filter, lang)?,
        ReportKind::CallerComposition => caller_composition(conn, filter, lang)?,
        ReportKind::ConcurrentLines => concurrent_lines(conn, filter, lang)?,
        ReportKind::Durations => durations(conn, filter, lang)?,
        ReportKind::TimeOfDay => time_of_day(conn, filter, lang)?,
    };
    let totals = (0..table.columns.len())
        .map(|index| {
            match (kind, index) {
                // Blocking is no sum; the caller composition's two groupings each count
                // everyone: the first one's sums are the totals.
                (ReportKind::ConcurrentLines, _) => {
                    table.lines.as_ref().map_or(0.0, |lines| lines.blocking * 100.0)
                }
                (ReportKind::CallerComposition, _) => {
                    table.rows.iter().take(2).map(|row| row.values[index]).sum()
                }
                _ => table.rows.iter().map(|row| row.values[index]).sum(),
            }
        })
        .collect();
    Ok(Report {
        report: kind,
        title: kind.title(lang).to_owned(),
        chart: kind.chart(),
        filter: filter.applied(),
        columns: table.columns,
        rows: table.rows,
        totals,
        lines: table.lines,
    })
}

/// The reports, and which the subscription's plan shows (the others name the plan that
/// does).
#[utoipa::path(
    tag = "analytics",
    params(("id" = SubscriptionId, Path, description = "The subscription's id")),
    responses(
        (status = 200, description = "The catalogue", body = Catalogue),
        (status = 403, description = "No analytics right", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/reports")]
pub async fn catalogue(
    state: web::Data<AppState>,
    user: AuthUser,
    lang: RequestLang,
    id: web::Path<SubscriptionId>,
) -> Result<web::Json<Catalogue>, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, id, lang) = (user.scope(), id.into_inner(), lang.0);
    let (subscription, _) = db::run(&state.pool, move |conn| find(conn, scope, id)).await?;
    Ok(web::Json(Catalogue {
        plan: subscription.plan,
        items: ReportKind::ALL
            .iter()
            .map(|kind| CatalogueEntry {
                report: *kind,
                title: kind.title(lang).to_owned(),
                chart: kind.chart(),
                plan: kind.plan(),
                available: kind.plan() == Plan::Free || subscription.plan == Plan::Standard,
            })
            .collect(),
    }))
}

/// A report over the subscription's rollups, with its filters: a month or a day range,
/// an AN or a group of ANs, weekdays, a band of hours, and on the standard plan a group of
/// DNs. A report of the standard plan asked on the free plan is 403
/// `standard_plan_required`.
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("report" = ReportKind, Path, description = "Which report"),
        ReportQuery,
    ),
    responses(
        (status = 200, description = "The report", body = Report),
        (status = 400, description = "A parameter of the wrong type (a date not YYYY-MM-DD, an hour not a number), or no such report", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No analytics right, or a report (or a group filter) of the standard plan on the free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Filters refused, each named: a period ending before it starts or over 731 days, an AN or group not of the subscription, weekdays or hours out of range", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/reports/{report}")]
pub async fn report(
    state: web::Data<AppState>,
    user: AuthUser,
    lang: RequestLang,
    path: web::Path<(SubscriptionId, ReportKind)>,
    query: web::Query<ReportQuery>,
) -> Result<web::Json<Report>, ApiError> {
    let ((id, kind), query) = (path.into_inner(), query.into_inner());
    Ok(web::Json(load(&state, &user, lang.0, id, kind, query).await?))
}

/// A report the caller may read: the subscription theirs, the report of its plan.
async fn load(
    state: &AppState,
    user: &AuthUser,
    lang: Lang,
    id: SubscriptionId,
    kind: ReportKind,
    query: ReportQuery,
) -> Result<Report, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, now) = (user.scope(), state.clock.now_naive());
    db::run(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        require_plan(&subscription, kind.plan())?;
        let filter = filter(conn, &subscription, kind, &query, now)?;
        Ok(build(conn, kind, &filter, lang)?)
    })
    .await
}

/// The report's chart as SVG (the same filters as the report): its title, axes, legend,
/// and a tooltip on every mark.
#[utoipa::path(
    tag = "analytics",
    params(
        ("id" = SubscriptionId, Path, description = "The subscription's id"),
        ("report" = ReportKind, Path, description = "Which report"),
        ReportQuery,
    ),
    responses(
        (status = 200, description = "The chart", content_type = "image/svg+xml", body = crate::uploads::FileBytes),
        (status = 400, description = "A parameter of the wrong type, or no such report", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "No analytics right, or a report of the standard plan on the free plan (`standard_plan_required`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such subscription of the caller", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Filters refused, each named", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[get("/analytics/subscriptions/{id}/reports/{report}/chart.svg")]
pub async fn chart(
    state: web::Data<AppState>,
    user: AuthUser,
    lang: RequestLang,
    path: web::Path<(SubscriptionId, ReportKind)>,
    query: web::Query<ReportQuery>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let ((id, kind), query) = (path.into_inner(), query.into_inner());
    let drawn = load(&state, &user, lang.0, id, kind, query).await?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(super::chart::svg(&drawn)))
}
