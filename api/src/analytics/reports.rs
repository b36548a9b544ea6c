//! `GET /analytics/subscriptions/{id}/reports/{report}`: the reports of seed 000 §1-2, each
//! a table (rows × columns, totals per column) with how to draw it and the filters it
//! applied. Every one reads the rollups (sums by day, hour, AN, DN and result, or origin;
//! by minute; by duration bucket; by caller), grouped in the database — or, for the
//! caller composition, each day's callers packed in one row and counted in memory — never
//! the raw calls. A report is kept once computed, for as long as the subscription's data stays the
//! same (`analytics_report_cache`, keyed by the report, language and checked filters).

use std::collections::{BTreeMap, HashMap};

use actix_web::{get, web};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use madoguchi_types::analytics::{
    AppliedFilter, CallResult, Catalogue, CatalogueEntry, LineSizing, NumberKind, PlanFeature, Region,
    Report, ReportColumn, ReportKind, ReportRow,
};
use madoguchi_types::ids::{NumberGroupId, SubscriptionId};
use madoguchi_types::{Lang, Problem};
use utoipa_actix_web::service_config::ServiceConfig;

use super::ingest::DURATION_BUCKETS;
use super::{erlang, find, numbers_of, region_of, require_feature, require_report};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::domain::Invalid;
use crate::error::{ApiError, Violations};
use crate::i18n::RequestLang;
use crate::policy::Permission;
use crate::schema::{
    analytics_durations, analytics_minute_totals, analytics_minutes, analytics_origins,
    analytics_report_cache, analytics_subscriptions, analytics_traffic,
};

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
pub(super) struct Filter {
    subscription: SubscriptionId,
    from: NaiveDate,
    to: NaiveDate,
    compare: Option<(NaiveDate, NaiveDate)>,
    /// The ANs shown: the chosen one or group's, else every AN of the subscription.
    ans: Vec<String>,
    /// Whether `ans` narrows the rows. Unfiltered, every call counts — also those of a
    /// number removed since, which stay in the reports of their days.
    ans_chosen: bool,
    /// The DNs of a destination group, if one was chosen (else every call counts, with a
    /// DN or none).
    dns: Option<Vec<String>>,
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
pub(super) fn filter(
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
    let ans_chosen = query.an.is_some() || query.an_group.is_some();
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
        ans_chosen,
        dns,
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
    require_feature(subscription, PlanFeature::NumberGroups)?;
    match super::groups::members(conn, subscription.id, kind, group)? {
        Some(numbers) => Ok(numbers),
        None => {
            violations.add(field, Invalid::NotAllowed);
            Ok(Vec::new())
        }
    }
}

/// A rollup table's rows narrowed by a filter: subscription, days, and the ANs, DNs,
/// weekdays and hours only where they leave something out (a condition true of every row
/// costs a test per row: a third of a report's time over a million calls on SQLite).
/// `$hour` is the column and `$per_hour` its units per hour (minutes: 60).
macro_rules! narrowed {
    ($table:ident, $filter:expr, $hour:ident, $per_hour:expr) => {{
        let filter: &Filter = $filter;
        let mut condition = narrowed!(@condition $table, filter, $hour, $per_hour);
        if filter.ans_chosen {
            condition = Box::new(condition.and($table::an.eq_any(filter.ans.clone())));
        }
        if let Some(dns) = &filter.dns {
            condition = Box::new(condition.and($table::dn.eq_any(dns.clone())));
        }
        $table::table.filter(condition)
    }};
    ($table:ident, $filter:expr) => {
        narrowed!($table, $filter, hour, 1)
    };
    // A rollup summed over every AN and DN: narrowed by period, weekday and time band.
    (totals $table:ident, $filter:expr, $hour:ident, $per_hour:expr) => {{
        let filter: &Filter = $filter;
        $table::table.filter(narrowed!(@condition $table, filter, $hour, $per_hour))
    }};
    (@condition $table:ident, $filter:expr, $hour:ident, $per_hour:expr) => {{
        let filter: &Filter = $filter;
        let mut condition: Box<
            dyn BoxableExpression<$table::table, crate::db::MultiBackend, SqlType = diesel::sql_types::Bool>,
        > = Box::new(
            $table::subscription_id
                .eq(filter.subscription)
                .and($table::day.between(filter.from, filter.to)),
        );
        if filter.weekdays.len() < 7 {
            condition = Box::new(condition.and($table::weekday.eq_any(filter.weekdays.clone())));
        }
        if filter.hour_from > 0 {
            condition = Box::new(condition.and($table::$hour.ge(filter.hour_from * $per_hour)));
        }
        if filter.hour_to < 24 {
            condition = Box::new(condition.and($table::$hour.lt(filter.hour_to * $per_hour)));
        }
        condition
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

/// The origins rollup counts completed calls in a column of its own.
fn completed_column_sum() -> diesel::expression::SqlLiteral<BigInt> {
    sql::<BigInt>("CAST(COALESCE(SUM(completed), 0) AS BIGINT)")
}

/// Calls, completed calls and seconds per day of the filter's period.
fn per_day(conn: &mut DbConn, filter: &Filter) -> QueryResult<BTreeMap<NaiveDate, [i64; 3]>> {
    let rows: Vec<(NaiveDate, i64, i64, i64)> = narrowed!(analytics_traffic, filter)
        .group_by(analytics_traffic::day)
        .select((
            analytics_traffic::day,
            calls_sum(),
            completed_sum(),
            seconds_sum(),
        ))
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
    let own = own_calls(conn, filter, filter.from, filter.to)?;
    let rows = filter
        .from
        .iter_days()
        .take_while(|day| *day <= filter.to)
        .map(|day| {
            let mut values = traffic_values(days.get(&day).copied().unwrap_or_default());
            if let Some(own) = &own {
                // Beside the collected calls, before the seconds (another scale).
                values.insert(3, own.get(&day).copied().unwrap_or(0) as f64);
            }
            row(day.to_string(), day.format("%m/%d").to_string(), values)
        })
        .collect();
    let mut columns = traffic_columns(lang);
    if own.is_some() {
        columns.insert(3, own_column("own_calls", lang));
    }
    Ok(Table {
        columns,
        rows,
        lines: None,
    })
}

/// The customer's own calls per day of a period (お客さま保有データ), on the filter's
/// numbers and weekdays (own data is daily: the hours do not narrow it); `None` when the
/// period has none, so that reports without own data stay as they were.
fn own_calls(
    conn: &mut DbConn,
    filter: &Filter,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Option<BTreeMap<NaiveDate, i64>>> {
    let labels = filter.ans_chosen.then_some(filter.ans.as_slice());
    let mut days = super::own_data::calls_per_day(conn, filter.subscription, from, to, labels)?;
    days.retain(|day, _| {
        filter
            .weekdays
            .contains(&(day.weekday().number_from_monday() as i32))
    });
    Ok((!days.is_empty()).then_some(days))
}

fn own_column(key: &str, lang: Lang) -> ReportColumn {
    column(key, "お客さま保有データ(呼数)", "Own data (calls)", lang)
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
    // Own calls as [calls, 0, 0] per day, so that the same lookup reads both.
    let as_days = |days: BTreeMap<NaiveDate, i64>| -> BTreeMap<NaiveDate, [i64; 3]> {
        days.into_iter()
            .map(|(day, calls)| (day, [calls, 0, 0]))
            .collect()
    };
    let own = match (
        own_calls(conn, filter, filter.from, filter.to)?,
        own_calls(conn, filter, compare_from, compare_to)?,
    ) {
        (None, None) => None,
        (first, second) => Some((
            as_days(first.unwrap_or_default()),
            as_days(second.unwrap_or_default()),
        )),
    };
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
            let mut values = vec![
                calls(&first, in_first, filter.to),
                calls(&second, in_second, compare_to),
            ];
            if let Some((own_first, own_second)) = &own {
                values.push(calls(own_first, in_first, filter.to));
                values.push(calls(own_second, in_second, compare_to));
            }
            row((offset + 1).to_string(), label, values)
        })
        .collect();
    let mut columns = vec![
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
    ];
    if own.is_some() {
        columns.push(column(
            "own_period",
            "お客さま保有データ 期間1(呼数)",
            "Own data, period 1 (calls)",
            lang,
        ));
        columns.push(column(
            "own_compare",
            "お客さま保有データ 期間2(呼数)",
            "Own data, period 2 (calls)",
            lang,
        ));
    }
    Ok(Table {
        columns,
        rows,
        lines: None,
    })
}

fn incomplete_reasons(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let rows: Vec<(CallResult, i64)> = narrowed!(analytics_traffic, filter)
        .filter(analytics_traffic::result.ne(CallResult::Completed))
        .group_by(analytics_traffic::result)
        .select((analytics_traffic::result, calls_sum()))
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
    let rows: Vec<(i32, i64, i64, i64)> = narrowed!(analytics_origins, filter)
        .group_by(analytics_origins::origin)
        .select((
            analytics_origins::origin,
            calls_sum(),
            completed_column_sum(),
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
    let rows: Vec<(String, i64, i64, i64)> = narrowed!(analytics_traffic, filter)
        .group_by(analytics_traffic::dn)
        .select((analytics_traffic::dn, calls_sum(), completed_sum(), seconds_sum()))
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
    let rows: Vec<(i32, String, i64)> = narrowed!(analytics_origins, filter)
        .group_by((analytics_origins::origin, analytics_origins::dn))
        .select((analytics_origins::origin, analytics_origins::dn, calls_sum()))
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
    let rows: Vec<(String, i64, i64, i64)> = narrowed!(analytics_traffic, filter)
        .group_by(analytics_traffic::an)
        .select((analytics_traffic::an, calls_sum(), completed_sum(), seconds_sum()))
        .load(conn)?;
    let counts: HashMap<String, [i64; 3]> = rows
        .into_iter()
        .map(|(an, calls, completed, seconds)| (an, [calls, completed, seconds]))
        .collect();
    // The subscription's ANs (or those chosen), and any removed since that has calls.
    let mut ans = filter.ans.clone();
    ans.extend(counts.keys().filter(|an| !filter.ans.contains(an)).cloned());
    ans.sort();
    Ok(Table {
        columns: traffic_columns(lang),
        rows: ans
            .into_iter()
            .map(|an| {
                let values = traffic_values(counts.get(&an).copied().unwrap_or_default());
                row(an.clone(), an, values)
            })
            .collect(),
        lines: None,
    })
}

/// Calls per minute of the day (00:00–23:59), summed over the period's days.
fn per_minute(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    // Without an AN or DN chosen, the sums over every number (a row per day and minute).
    let rows: Vec<(i32, i64)> = if filter.ans_chosen || filter.dns.is_some() {
        narrowed!(analytics_minutes, filter, minute, 60)
            .group_by(analytics_minutes::minute)
            .select((analytics_minutes::minute, calls_sum()))
            .load(conn)?
    } else {
        narrowed!(totals analytics_minute_totals, filter, minute, 60)
            .group_by(analytics_minute_totals::minute)
            .select((analytics_minute_totals::minute, calls_sum()))
            .load(conn)?
    };
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

/// First-time callers (no call to the chosen numbers before the period, in the 92 days
/// kept) and repeat callers, then callers by their number of calls in the period. Withheld
/// callers are not people one can tell apart: they are left out. Counted from each day's
/// packed callers (see [`super::callers`]).
fn caller_composition(conn: &mut DbConn, filter: &Filter, lang: Lang) -> QueryResult<Table> {
    let groups = super::callers::composition(
        conn,
        &super::callers::Narrowing {
            subscription: filter.subscription,
            from: filter.from,
            to: filter.to,
            ans: filter.ans_chosen.then_some(filter.ans.as_slice()),
            dns: filter.dns.as_deref(),
            weekdays: &filter.weekdays,
            hours: filter.hour_from..filter.hour_to,
        },
    )?;
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
    let rows: Vec<(NaiveDate, i32, i64)> = narrowed!(analytics_traffic, filter)
        .group_by((analytics_traffic::day, analytics_traffic::hour))
        .select((analytics_traffic::day, analytics_traffic::hour, seconds_sum()))
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
    let rows: Vec<(i32, i32, i64)> = narrowed!(analytics_traffic, filter)
        .group_by((analytics_traffic::weekday, analytics_traffic::hour))
        .select((analytics_traffic::weekday, analytics_traffic::hour, calls_sum()))
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
                available: subscription.plan.shows(*kind),
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
    Ok(web::Json(
        load(&state, &user, lang.0, (id, kind), query, None).await?,
    ))
}

/// A report the caller may read: the subscription theirs, the report of its plan, and
/// the plan unlocking `feature` too when the report is asked for a feature (a download).
pub(super) async fn load(
    state: &AppState,
    user: &AuthUser,
    lang: Lang,
    (id, kind): (SubscriptionId, ReportKind),
    query: ReportQuery,
    feature: Option<PlanFeature>,
) -> Result<Report, ApiError> {
    user.require(Permission::Analytics)?;
    let (scope, now) = (user.scope(), state.clock.now_naive());
    db::run(&state.pool, move |conn| {
        let (subscription, _) = find(conn, scope, id)?;
        if let Some(feature) = feature {
            super::require_feature(&subscription, feature)?;
        }
        require_report(&subscription, kind)?;
        let filter = filter(conn, &subscription, kind, &query, now)?;
        Ok(kept_or_computed(conn, &subscription, kind, lang, &filter, now)?.0)
    })
    .await
}

/// The report kept for these filters and this state of the data, or else computed and
/// kept: the report, and whether it was computed.
pub(super) fn kept_or_computed(
    conn: &mut DbConn,
    subscription: &super::SubscriptionRow,
    kind: ReportKind,
    lang: Lang,
    filter: &Filter,
    now: NaiveDateTime,
) -> QueryResult<(Report, bool)> {
    let key = cache_key(kind, lang, filter);
    if let Some(kept) = cached(conn, subscription, &key)? {
        return Ok((kept, false));
    }
    let computed = build(conn, kind, filter, lang)?;
    keep(conn, subscription, &key, &computed, now);
    Ok((computed, true))
}

/// What a report is kept under: which report, in which language, over what checked
/// filters, by which build of the server (a newer one may compute it differently).
fn cache_key(kind: ReportKind, lang: Lang, filter: &Filter) -> String {
    use sha2::{Digest, Sha256};
    let described = format!("{}|{kind:?}|{lang:?}|{filter:?}", env!("CARGO_PKG_VERSION"));
    format!("{:x}", Sha256::digest(described.as_bytes()))
}

/// The report kept for this state of the subscription's data, if any.
fn cached(
    conn: &mut DbConn,
    subscription: &super::SubscriptionRow,
    key: &str,
) -> QueryResult<Option<Report>> {
    let body: Option<String> = analytics_report_cache::table
        .filter(analytics_report_cache::subscription_id.eq(subscription.id))
        .filter(analytics_report_cache::report_key.eq(key))
        .filter(analytics_report_cache::data_version.eq(subscription.data_version))
        .select(analytics_report_cache::body)
        .first(conn)
        .optional()?;
    // A body this build cannot read is computed again (and replaced).
    Ok(body.and_then(|body| serde_json::from_str(&body).ok()))
}

/// Keeps a computed report. The version is the one read before the data: if ingestion
/// committed in between, the report may be newer than its version says, never older.
/// A report that cannot be kept is still answered.
fn keep(
    conn: &mut DbConn,
    subscription: &super::SubscriptionRow,
    key: &str,
    computed: &Report,
    now: NaiveDateTime,
) {
    use analytics_report_cache as c;
    let Ok(body) = serde_json::to_string(computed) else {
        return;
    };
    let row = (
        c::subscription_id.eq(subscription.id),
        c::report_key.eq(key),
        c::data_version.eq(subscription.data_version),
        c::body.eq(&body),
        c::created_at.eq(now),
    );
    let kept = crate::with_inner!(conn, |inner| diesel::insert_into(c::table)
        .values(row)
        .on_conflict((c::subscription_id, c::report_key))
        .do_update()
        .set((
            c::data_version.eq(subscription.data_version),
            c::body.eq(&body),
            c::created_at.eq(now),
        ))
        .execute(inner));
    if let Err(error) = kept {
        tracing::warn!(%error, subscription = %subscription.id, "a report could not be kept");
    }
}

/// The subscriptions' data changed (ingestion, the purge): the reports kept for them are
/// dropped, and any computed meanwhile is kept under the version that is now past.
pub fn data_changed(conn: &mut DbConn, subscriptions: &[SubscriptionId]) -> QueryResult<()> {
    for chunk in subscriptions.chunks(500) {
        diesel::update(analytics_subscriptions::table.filter(analytics_subscriptions::id.eq_any(chunk)))
            .set(analytics_subscriptions::data_version.eq(analytics_subscriptions::data_version + 1))
            .execute(conn)?;
        diesel::delete(
            analytics_report_cache::table.filter(analytics_report_cache::subscription_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    Ok(())
}

/// Drops reports kept longer than a week: those of filters nobody asked for again.
pub fn forget_old_reports(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        analytics_report_cache::table.filter(analytics_report_cache::created_at.lt(now - TimeDelta::days(7))),
    )
    .execute(conn)
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
    let drawn = load(&state, &user, lang.0, (id, kind), query, None).await?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type("image/svg+xml; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(super::chart::svg(&drawn)))
}
