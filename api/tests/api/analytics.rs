//! Toll-free call analytics (SPEC §9, seed 000): subscriptions and numbers set up by
//! staff, idempotent ingestion with every bad row named, every report equal to a direct
//! computation over the same calls under combined filters (rollups = raw aggregation),
//! plan gating, groups of numbers, checked filters, and retention with an injected clock.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Timelike};
use diesel::prelude::*;
use madoguchi_api::accounts::Role;
use madoguchi_api::analytics::ingest::duration_bucket;
use madoguchi_api::analytics::{erlang, region_of};
use madoguchi_api::db;
use madoguchi_api::jobs::{self, JobKind, NewJob};
use madoguchi_api::schema::{
    analytics_caller_days, analytics_calls, analytics_origins, analytics_report_cache, analytics_traffic,
};
use madoguchi_types::analytics::Region;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

const AN1: &str = "0120111111";
const AN2: &str = "0570222222";
const DN1: &str = "0312345678";
const DN2: &str = "0612345678";

struct Subscription {
    id: i64,
    organization: madoguchi_types::ids::OrganizationId,
    staff: String,
    admin: String,
}

async fn subscription(app: &TestApp, number: &str, domain: &str, admin: &str, plan: &str) -> Subscription {
    let organization = app
        .organization_with_contract(number, "分析株式会社", &format!("hosyu@{domain}"))
        .await;
    app.account(Some(organization), admin, Role::UserAdmin).await;
    let staff_login = format!("{admin}-staff");
    app.account(None, &staff_login, Role::Staff).await;
    let staff = app.access_token(&staff_login).await;
    let created = app
        .post_as(
            &staff,
            "/api/v1/analytics/subscriptions",
            json!({"organization_id": organization.0, "opid": format!("OP{number}"), "plan": plan}),
        )
        .await
        .expect(StatusCode::CREATED);
    let id = created["id"].as_i64().expect("id");
    for (kind, number) in [("an", AN1), ("an", AN2), ("dn", DN1), ("dn", DN2)] {
        app.post_as(
            &staff,
            &format!("/api/v1/analytics/subscriptions/{id}/numbers"),
            json!({"kind": kind, "number": number}),
        )
        .await
        .expect(StatusCode::CREATED);
    }
    Subscription {
        id,
        organization,
        staff,
        admin: app.access_token(admin).await,
    }
}

fn today(app: &TestApp) -> NaiveDate {
    (app.clock.now_naive() + TimeDelta::hours(9)).date()
}

/// A call as generated (and as the test computes with it).
#[derive(Debug, Clone)]
struct Call {
    id: String,
    at: NaiveDateTime,
    an: &'static str,
    caller: String,
    dn: &'static str,
    seconds: i64,
    result: &'static str,
}

impl Call {
    fn json(&self) -> Value {
        json!({"record_id": self.id, "called_at": self.at, "an": self.an, "caller": self.caller,
               "dn": self.dn, "duration_seconds": self.seconds, "result": self.result})
    }
}

/// splitmix64: the same calls on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `count` calls over the 40 days to `last`, from a small pool of callers (so that some
/// call again) across prefectures, mobiles, IP phones and withheld numbers.
fn generate(count: usize, last: NaiveDate, seed: u64) -> Vec<Call> {
    let mut random = Random(seed);
    let callers = [
        "0311112222",
        "0311113333",
        "0622223333",
        "0112345678",
        "0988612345",
        "0521234567",
        "09011112222",
        "08033334444",
        "05055556666",
        "",
        "0471234567",
        "0922345678",
    ];
    let results = [
        "completed",
        "completed",
        "completed",
        "busy",
        "no_answer",
        "abandoned",
        "out_of_service",
        "rejected",
        "other",
    ];
    (0..count)
        .map(|index| {
            let day = last - TimeDelta::days(random.below(40) as i64);
            let at = day
                .and_hms_opt(
                    random.below(24) as u32,
                    random.below(60) as u32,
                    random.below(60) as u32,
                )
                .expect("time");
            let result = results[random.below(results.len() as u64) as usize];
            let completed = result == "completed";
            Call {
                id: format!("R{index:05}"),
                at,
                an: if random.below(3) == 0 { AN2 } else { AN1 },
                caller: callers[random.below(callers.len() as u64) as usize].to_owned(),
                dn: if !completed && random.below(4) == 0 {
                    ""
                } else if random.below(2) == 0 {
                    DN1
                } else {
                    DN2
                },
                // Mostly short calls, some very long ones (a busy hour over an erlang).
                seconds: if completed {
                    if random.below(10) == 0 {
                        1800 + random.below(3600) as i64
                    } else {
                        random.below(900) as i64
                    }
                } else {
                    0
                },
                result,
            }
        })
        .collect()
}

/// A group of numbers made by the subscription's administrator: its id.
async fn group(
    app: &TestApp,
    token: &str,
    subscription: i64,
    kind: &str,
    name: &str,
    numbers: &[&str],
) -> i64 {
    app.post_as(
        token,
        &format!("/api/v1/analytics/subscriptions/{subscription}/groups"),
        json!({"kind": kind, "name": name, "numbers": numbers}),
    )
    .await
    .expect(StatusCode::CREATED)["id"]
        .as_i64()
        .expect("id")
}

async fn ingest(app: &TestApp, token: &str, subscription: i64, calls: &[Call]) -> crate::helpers::Answer {
    app.post_as(
        token,
        &format!("/api/v1/analytics/subscriptions/{subscription}/calls"),
        json!({"records": calls.iter().map(Call::json).collect::<Vec<_>>()}),
    )
    .await
}

/// A report's filters as the test applies them to the calls.
#[derive(Debug, Clone)]
struct Filter {
    from: NaiveDate,
    to: NaiveDate,
    ans: Vec<&'static str>,
    dns: Vec<&'static str>,
    weekdays: Vec<u32>,
    hours: (u32, u32),
    query: String,
}

impl Filter {
    /// No filter but the 40 days [`generate`] spreads calls over, to `last`.
    fn all_of_the_40_days(last: NaiveDate) -> Self {
        Filter {
            from: last - TimeDelta::days(39),
            to: last,
            ans: vec![AN1, AN2],
            dns: vec![DN1, DN2, ""],
            weekdays: (1..=7).collect(),
            hours: (0, 24),
            query: String::new(),
        }
    }

    fn keeps(&self, call: &Call) -> bool {
        self.keeps_numbers(call)
            && (self.from..=self.to).contains(&call.at.date())
            && self.weekdays.contains(&call.at.weekday().number_from_monday())
            && (self.hours.0..self.hours.1).contains(&call.at.hour())
    }

    fn keeps_numbers(&self, call: &Call) -> bool {
        self.ans.contains(&call.an) && self.dns.contains(&call.dn)
    }
}

fn traffic(calls: &[&Call]) -> Vec<f64> {
    let completed = calls.iter().filter(|call| call.result == "completed").count();
    vec![
        calls.len() as f64,
        completed as f64,
        (calls.len() - completed) as f64,
        calls.iter().map(|call| call.seconds).sum::<i64>() as f64,
    ]
}

fn destination(call: &Call) -> Region {
    if call.dn.is_empty() {
        Region::Other
    } else {
        region_of(call.dn)
    }
}

/// The report's rows (key → values) computed straight from the calls.
fn expected(report: &str, calls: &[Call], filter: &Filter) -> Vec<(String, Vec<f64>)> {
    let kept: Vec<&Call> = calls.iter().filter(|call| filter.keeps(call)).collect();
    let by = |key: &dyn Fn(&Call) -> bool| -> Vec<&Call> {
        kept.iter().copied().filter(|call| key(call)).collect()
    };
    let days = || filter.from.iter_days().take_while(|day| *day <= filter.to);
    match report {
        "recent_traffic" => days()
            .map(|day| (day.to_string(), traffic(&by(&|call| call.at.date() == day))))
            .collect(),
        "yearly_traffic" => {
            let months: BTreeSet<(i32, u32)> = days().map(|day| (day.year(), day.month())).collect();
            months
                .into_iter()
                .map(|(year, month)| {
                    let calls = by(&|call| call.at.year() == year && call.at.month() == month);
                    (format!("{year}-{month:02}"), traffic(&calls))
                })
                .collect()
        }
        "incomplete_reasons" => [
            "busy",
            "no_answer",
            "abandoned",
            "out_of_service",
            "rejected",
            "other",
        ]
        .iter()
        .map(|result| {
            (
                result.to_string(),
                vec![by(&|call| call.result == *result).len() as f64],
            )
        })
        .collect(),
        "origins" => Region::all()
            .map(|region| {
                (
                    region.key(),
                    traffic(&by(&|call| region_of(&call.caller) == region)),
                )
            })
            .collect(),
        "destinations" => Region::all()
            .map(|region| (region.key(), traffic(&by(&|call| destination(call) == region))))
            .collect(),
        "origin_destination" => {
            let columns: BTreeSet<Region> = kept.iter().map(|call| destination(call)).collect();
            Region::all()
                .map(|origin| {
                    let values = columns
                        .iter()
                        .map(|to| {
                            by(&|call| region_of(&call.caller) == origin && destination(call) == *to).len()
                                as f64
                        })
                        .collect();
                    (origin.key(), values)
                })
                .collect()
        }
        "per_number" => {
            let mut ans = filter.ans.clone();
            ans.sort_unstable();
            ans.iter()
                .map(|an| (an.to_string(), traffic(&by(&|call| call.an == *an))))
                .collect()
        }
        "per_minute" => (filter.hours.0 * 60..filter.hours.1 * 60)
            .map(|minute| {
                let calls = by(&|call| call.at.hour() * 60 + call.at.minute() == minute);
                (minute.to_string(), vec![calls.len() as f64])
            })
            .collect(),
        "durations" => (0..7)
            .map(|bucket| {
                let calls =
                    by(&|call| call.result == "completed" && duration_bucket(call.seconds as i32) == bucket);
                (bucket.to_string(), vec![calls.len() as f64])
            })
            .collect(),
        "time_of_day" => filter
            .weekdays
            .iter()
            .map(|day| {
                let values = (filter.hours.0..filter.hours.1)
                    .map(|hour| {
                        by(&|call| call.at.weekday().number_from_monday() == *day && call.at.hour() == hour)
                            .len() as f64
                    })
                    .collect();
                (day.to_string(), values)
            })
            .collect(),
        "caller_composition" => {
            // Known before the period: any call of the same numbers, whatever its hour.
            let known: HashSet<&str> = calls
                .iter()
                .filter(|call| {
                    filter.keeps_numbers(call) && call.at.date() < filter.from && !call.caller.is_empty()
                })
                .map(|call| call.caller.as_str())
                .collect();
            let mut per_caller: HashMap<&str, i64> = HashMap::new();
            for call in kept.iter().filter(|call| !call.caller.is_empty()) {
                *per_caller.entry(call.caller.as_str()).or_default() += 1;
            }
            let mut groups = [[0.0; 2]; 7];
            for (caller, count) in per_caller {
                let band = match count {
                    1 => 2,
                    2 => 3,
                    3..=5 => 4,
                    6..=10 => 5,
                    _ => 6,
                };
                for index in [usize::from(known.contains(caller)), band] {
                    groups[index][0] += 1.0;
                    groups[index][1] += count as f64;
                }
            }
            groups
                .iter()
                .enumerate()
                .map(|(index, values)| (index.to_string(), values.to_vec()))
                .collect()
        }
        other => panic!("no expectation for {other}"),
    }
}

/// The offered traffic of the busiest hour, in erlangs.
fn busiest_erlangs(calls: &[Call], filter: &Filter) -> f64 {
    let mut hours: BTreeMap<(NaiveDate, u32), i64> = BTreeMap::new();
    for call in calls.iter().filter(|call| filter.keeps(call)) {
        *hours.entry((call.at.date(), call.at.hour())).or_default() += call.seconds;
    }
    hours.values().copied().max().unwrap_or(0) as f64 / 3600.0
}

fn rows_of(report: &Value, positional: bool) -> Vec<(String, Vec<f64>)> {
    report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let key = if positional {
                index.to_string()
            } else {
                row["key"].as_str().expect("key").to_owned()
            };
            let values = row["values"]
                .as_array()
                .expect("values")
                .iter()
                .map(|value| value.as_f64().expect("number"))
                .collect();
            (key, values)
        })
        .collect()
}

#[tokio::test]
async fn every_report_equals_a_direct_computation_over_the_same_calls() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000001", "bunseki.co.jp", "bunseki", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    let calls = generate(1_500, last, 7);
    // Two batches, the second sent twice: the sums count every call once.
    let (first, second) = calls.split_at(900);
    for batch in [first, second, second] {
        ingest(&app, &subscription.staff, subscription.id, batch)
            .await
            .expect(StatusCode::OK);
    }
    let again = ingest(&app, &subscription.staff, subscription.id, second)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (again["inserted"].as_i64(), again["duplicates"].as_i64()),
        (Some(0), Some(600))
    );
    // Groups to filter by: AN2 alone, and the Tokyo DN.
    let navi = group(
        &app,
        &subscription.admin,
        subscription.id,
        "an",
        "ナビダイヤル",
        &["0570-222-222"],
    )
    .await;
    let tokyo = group(
        &app,
        &subscription.admin,
        subscription.id,
        "dn",
        "東京センター",
        &[DN1],
    )
    .await;

    let filters = [
        Filter::all_of_the_40_days(last),
        Filter {
            from: last - TimeDelta::days(19),
            to: last,
            ans: vec![AN1],
            dns: vec![DN1, DN2, ""],
            weekdays: vec![1, 3, 5],
            hours: (9, 18),
            query: format!("&an={AN1}&weekdays=5,1,3&hour_from=9&hour_to=18"),
        },
        Filter {
            from: last - TimeDelta::days(25),
            to: last - TimeDelta::days(3),
            ans: vec![AN2],
            dns: vec![DN1],
            weekdays: vec![6, 7],
            hours: (0, 24),
            query: format!("&an_group={navi}&dn_group={tokyo}&weekdays=6,7"),
        },
    ];
    let reports = [
        "recent_traffic",
        "yearly_traffic",
        "incomplete_reasons",
        "origins",
        "destinations",
        "origin_destination",
        "per_number",
        "per_minute",
        "durations",
        "time_of_day",
        "caller_composition",
    ];
    for filter in &filters {
        for report in reports {
            let path = format!(
                "/api/v1/analytics/subscriptions/{}/reports/{report}?from={}&to={}{}",
                subscription.id, filter.from, filter.to, filter.query
            );
            let answer = app
                .get_as(&subscription.admin, &path)
                .await
                .expect(StatusCode::OK);
            let positional = matches!(report, "durations" | "caller_composition");
            assert_eq!(
                rows_of(&answer, positional),
                expected(report, &calls, filter),
                "{report} {}",
                filter.query
            );
            let mut ans = filter.ans.clone();
            ans.sort_unstable();
            assert_eq!(
                answer["filter"]["ans"],
                json!(ans),
                "{report}: the filter is echoed"
            );
            assert_eq!(answer["filter"]["hour_from"], json!(filter.hours.0));
        }
        let lines = app
            .get_as(
                &subscription.admin,
                &format!(
                    "/api/v1/analytics/subscriptions/{}/reports/concurrent_lines?from={}&to={}{}&target_blocking=0.01",
                    subscription.id, filter.from, filter.to, filter.query
                ),
            )
            .await
            .expect(StatusCode::OK);
        let erlangs = busiest_erlangs(&calls, filter);
        assert!((lines["lines"]["erlangs"].as_f64().expect("erlangs") - erlangs).abs() < 1e-9);
        assert_eq!(
            lines["lines"]["lines"].as_u64(),
            Some(u64::from(erlang::lines_for(erlangs, 0.01).0))
        );
        // The trade-off: the blocking two lines either side, falling as lines are added.
        let blocking: Vec<f64> = rows_of(&lines, true)
            .into_iter()
            .map(|(_, values)| values[0])
            .collect();
        assert!(blocking.windows(2).all(|pair| pair[0] >= pair[1]), "{blocking:?}");
    }

    // トラフィック比較分析: day by day, the period beside the one before it.
    let comparison = app
        .get_as(
            &subscription.admin,
            &format!(
                "/api/v1/analytics/subscriptions/{}/reports/comparison?from={}&to={last}",
                subscription.id,
                last - TimeDelta::days(9)
            ),
        )
        .await
        .expect(StatusCode::OK);
    let rows = rows_of(&comparison, true);
    assert_eq!(rows.len(), 10);
    for (offset, (_, values)) in rows.iter().enumerate() {
        let count = |day: NaiveDate| calls.iter().filter(|call| call.at.date() == day).count() as f64;
        let day = last - TimeDelta::days(9) + TimeDelta::days(offset as i64);
        assert_eq!(
            values,
            &vec![count(day), count(day - TimeDelta::days(10))],
            "day {offset}"
        );
    }
    // The chart of a report: SVG drawn from the same table, a tooltip per point.
    let chart = app
        .client
        .get(app.url(&format!(
            "/api/v1/analytics/subscriptions/{}/reports/recent_traffic/chart.svg?from={}&to={last}&an={AN1}",
            subscription.id,
            last - TimeDelta::days(9)
        )))
        .bearer_auth(&subscription.admin)
        .send()
        .await
        .expect("chart");
    assert_eq!(chart.status(), StatusCode::OK);
    assert!(
        chart.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("image/svg+xml")
    );
    let chart = chart.text().await.expect("svg");
    assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
    assert!(chart.contains("<title id=\"chart-title\">直近3ヶ月トラフィック</title>"));
    assert_eq!(
        chart.matches("class=\"point\"").count(),
        3 * 10,
        "calls, completed, incomplete per day"
    );
    // The reports read rollups: every call is in exactly one traffic sum and one origin sum.
    let summed: (i64, i64) = db::run(&app.pool, |conn| {
        let traffic: Vec<i64> = analytics_traffic::table
            .select(analytics_traffic::calls)
            .load(conn)?;
        let origins: Vec<i64> = analytics_origins::table
            .select(analytics_origins::calls)
            .load(conn)?;
        Ok((traffic.into_iter().sum(), origins.into_iter().sum()))
    })
    .await
    .expect("sums");
    assert_eq!(summed, (calls.len() as i64, calls.len() as i64));
}

/// The caller composition counts from each day's packed callers, and from a day's rollup
/// rows while the day waits to be packed again: the same answer either way, and the
/// direct count over the calls.
#[tokio::test]
async fn the_caller_composition_is_the_same_from_packed_and_stale_days() {
    let app = spawn_app().await;
    let sub = subscription(&app, "N810000011", "hitokazu.co.jp", "hitokazu", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    let mut calls = generate(1_200, last, 11);
    // Many callers calling once or twice besides the few regulars, some from abroad.
    for (index, call) in calls.iter_mut().enumerate() {
        if !call.caller.is_empty() && index % 3 != 0 {
            call.caller = match index % 5 {
                0 => format!("+8190{:08}", index % 97),
                _ => format!("03{:08}", (index * 7919) % 450),
            };
        }
    }
    ingest(&app, &sub.staff, sub.id, &calls)
        .await
        .expect(StatusCode::OK);
    let tokyo = group(&app, &sub.admin, sub.id, "dn", "東京センター", &[DN1]).await;
    let filters = [
        Filter::all_of_the_40_days(last),
        Filter {
            from: last - TimeDelta::days(12),
            to: last - TimeDelta::days(2),
            ans: vec![AN1],
            dns: vec![DN1, DN2, ""],
            weekdays: vec![1, 2, 3, 4, 5],
            hours: (9, 18),
            query: format!("&an={AN1}&weekdays=1,2,3,4,5&hour_from=9&hour_to=18"),
        },
        Filter {
            from: last - TimeDelta::days(20),
            to: last,
            ans: vec![AN1, AN2],
            dns: vec![DN1],
            weekdays: (1..=7).collect(),
            hours: (0, 24),
            query: format!("&dn_group={tokyo}"),
        },
    ];
    // Each read a blocking target not asked before: computed, not read back.
    let check = |calls: &[Call], target: &'static str| {
        let (app, admin, filters) = (&app, &sub.admin, &filters);
        let calls: Vec<Call> = calls.to_vec();
        async move {
            for filter in filters {
                let answer = app
                    .get_as(
                        admin,
                        &format!(
                            "/api/v1/analytics/subscriptions/{}/reports/caller_composition?from={}&to={}{}&target_blocking={target}",
                            sub.id, filter.from, filter.to, filter.query
                        ),
                    )
                    .await
                    .expect(StatusCode::OK);
                assert_eq!(
                    rows_of(&answer, true),
                    expected("caller_composition", &calls, filter),
                    "{target} {}",
                    filter.query
                );
            }
        }
    };
    let stale = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, move |conn| {
                let days = analytics_caller_days::table
                    .filter(analytics_caller_days::subscription_id.eq(sub.id))
                    .count()
                    .get_result::<i64>(conn)?;
                let stale = analytics_caller_days::table
                    .filter(analytics_caller_days::subscription_id.eq(sub.id))
                    .filter(analytics_caller_days::packed.is_null())
                    .count()
                    .get_result::<i64>(conn)?;
                Ok((days, stale))
            })
            .await
            .expect("count")
        }
    };
    let days: HashSet<NaiveDate> = calls
        .iter()
        .filter(|call| !call.caller.is_empty())
        .map(|call| call.at.date())
        .collect();
    let days = days.len() as i64;
    // Just stored: every day waits to be packed, and is read from the rollup.
    assert_eq!(stale(&app).await, (days, days));
    check(&calls, "0.0101").await;

    // The warming packs them.
    app.advance(TimeDelta::seconds(31));
    app.settle_jobs().await;
    assert_eq!(stale(&app).await, (days, 0));
    check(&calls, "0.0102").await;

    // New calls on one day: that day is stale again, the others stay packed.
    let day = last - TimeDelta::days(5);
    let changes = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, move |conn| {
                Ok(analytics_caller_days::table
                    .find((sub.id, day))
                    .select(analytics_caller_days::changes)
                    .first::<i64>(conn)
                    .optional()?)
            })
            .await
            .expect("changes")
        }
    };
    let seen = changes(&app).await.unwrap_or(0);
    // Two calls of a new caller, one of a caller known before, one of another new one.
    let known = calls
        .iter()
        .find(|call| !call.caller.is_empty() && call.at.date() < day)
        .map(|call| call.caller.clone())
        .expect("a caller before");
    let more: Vec<Call> = ["0399999999", "0399999999", known.as_str(), "0488888888"]
        .iter()
        .enumerate()
        .map(|(index, caller)| Call {
            id: format!("M{index}"),
            at: day.and_hms_opt(10, index as u32, 0).expect("time"),
            an: AN1,
            caller: (*caller).to_owned(),
            dn: DN1,
            seconds: 30,
            result: "completed",
        })
        .collect();
    ingest(&app, &sub.staff, sub.id, &more)
        .await
        .expect(StatusCode::OK);
    calls.extend(more);
    let days_now = if calls
        .iter()
        .any(|call| call.at.date() == day && call.id.starts_with('R') && !call.caller.is_empty())
    {
        days
    } else {
        days + 1
    };
    assert_eq!(stale(&app).await, (days_now, 1));
    check(&calls, "0.0103").await;
    // A packing that read the day before that batch came is not stored: the day stays
    // stale (and right).
    let packed_late = db::run(&app.pool, move |conn| {
        madoguchi_api::analytics::callers::pack_day(
            conn,
            madoguchi_types::ids::SubscriptionId(sub.id),
            day,
            seen,
        )
    })
    .await
    .expect("pack");
    assert!(!packed_late);
    assert_eq!(stale(&app).await, (days_now, 1));
    // The daily purge packs what is left stale too (a warming that failed, days stored
    // before packing existed), before the warming is due.
    purge_now(&app).await;
    assert_eq!(stale(&app).await, (days_now, 0));
    check(&calls, "0.0104").await;
}

#[tokio::test]
async fn staff_set_up_subscriptions_and_numbers_and_customers_read_their_own() {
    let app = spawn_app().await;
    let ours = subscription(&app, "N810000002", "keiyaku.co.jp", "keiyaku", "free").await;
    let theirs = subscription(&app, "N810000003", "tasha-bunseki.co.jp", "tasha", "standard").await;
    let base = "/api/v1/analytics/subscriptions";

    // Only staff set up: a customer administrator is refused.
    let organization =
        app.get_as(&ours.admin, "/api/v1/me").await.expect(StatusCode::OK)["organization"]["id"].clone();
    let refused = app
        .post_as(
            &ours.admin,
            base,
            json!({"organization_id": organization, "opid": "OPX", "plan": "free"}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Every field checked and named.
    let taken = app
        .post_as(
            &ours.staff,
            base,
            json!({"organization_id": organization, "opid": "OPN810000003", "plan": "free"}),
        )
        .await;
    assert_eq!(
        (taken.status, taken.field_code("opid")),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("taken"))
    );
    let shape = app
        .post_as(
            &ours.staff,
            base,
            json!({"organization_id": organization, "opid": "OP-1", "plan": "free"}),
        )
        .await;
    assert_eq!(shape.field_code("opid"), Some("invalid_format"));
    let nobody = app
        .post_as(
            &ours.staff,
            base,
            json!({"organization_id": 987654321, "opid": "OPNEW", "plan": "free"}),
        )
        .await;
    assert_eq!(nobody.field_code("organization_id"), Some("not_allowed"));
    let plan = app
        .post_as(
            &ours.staff,
            base,
            json!({"organization_id": organization, "opid": "OPNEW", "plan": "gold"}),
        )
        .await;
    assert!(plan.status.is_client_error(), "{}", plan.body);
    assert_ne!(plan.status, StatusCode::INTERNAL_SERVER_ERROR);

    // Numbers: the shapes of AN and DN, hyphens dropped, no twice.
    let numbers = format!("{base}/{}/numbers", ours.id);
    for (kind, number, code) in [
        ("an", "0312345678", "invalid_format"),
        ("an", "0120-11-1111", "taken"),
        ("dn", "03-1234-5678", "taken"),
        ("dn", "12345", "invalid_format"),
    ] {
        let answer = app
            .post_as(&ours.staff, &numbers, json!({"kind": kind, "number": number}))
            .await;
        assert_eq!(
            answer.field_code("number"),
            Some(code),
            "{kind} {number}: {}",
            answer.body
        );
    }
    let added = app
        .post_as(
            &ours.staff,
            &numbers,
            json!({"kind": "an", "number": "0800-333-333"}),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(added["number"], "0800333333");

    // The customer sees its own subscription only, with its numbers and ID.
    let list = app.get_as(&ours.admin, base).await.expect(StatusCode::OK);
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["opid"], "OPN810000002");
    assert_eq!(items[0]["numbers"].as_array().map(Vec::len), Some(5));
    let analytics_id = items[0]["analytics_id"].as_str().expect("id");
    assert!(analytics_id.len() == 10 && analytics_id.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(
        app.get_as(&ours.admin, &format!("{base}/{}", theirs.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // An account without the analytics grant sees nothing of it.
    let organization_id = madoguchi_api::organizations::OrganizationId(organization.as_i64().expect("id"));
    app.account(Some(organization_id), "keiyaku-tanto", Role::InquiryStaff)
        .await;
    let member = app.access_token("keiyaku-tanto").await;
    assert_eq!(app.get_as(&member, base).await.status, StatusCode::FORBIDDEN);

    // A number removed is gone; one never there is 404.
    let removed = app
        .delete_as(&ours.staff, &format!("{numbers}/an/0800333333"))
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.delete_as(&ours.staff, &format!("{numbers}/an/0800333333"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn ingestion_names_every_bad_row_and_stores_nothing_of_a_bad_batch() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000004", "torikomi.co.jp", "torikomi", "free").await;
    let day = today(&app);
    let at = |days: i64, hour: u32| {
        (day - TimeDelta::days(days))
            .and_hms_opt(hour, 0, 0)
            .expect("time")
    };
    let good = |id: &str| json!({"record_id": id, "called_at": at(1, 10), "an": AN1, "caller": "0311112222", "dn": DN1, "duration_seconds": 60, "result": "completed"});
    let path = format!("/api/v1/analytics/subscriptions/{}/calls", subscription.id);
    let mut bad = vec![good("ok-1")];
    for (id, change) in [
        ("old", json!({"called_at": at(92, 10)})),
        ("future", json!({"called_at": at(-2, 10)})),
        ("other-an", json!({"an": "0120999999"})),
        ("other-dn", json!({"dn": "0399999999"})),
        ("talked", json!({"result": "busy"})),
        ("long", json!({"duration_seconds": 86_401})),
        ("caller", json!({"caller": "03-ABCD"})),
        ("plus", json!({"caller": "+"})),
        ("no-dn", json!({"dn": ""})),
    ] {
        let mut record = good(id);
        for (key, value) in change.as_object().expect("object") {
            record[key] = value.clone();
        }
        bad.push(record);
    }
    bad.push(json!({"record_id": "x", "called_at": at(1, 10), "an": AN1, "duration_seconds": 1, "result": "maybe"}));
    let mut other = good("ok-1");
    other["duration_seconds"] = json!(61);
    bad.push(other);
    let refused = app
        .post_as(&subscription.staff, &path, json!({"records": bad}))
        .await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "batch_refused")
    );
    let faults: Vec<(u64, String, String)> = refused.body["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["line"].as_u64().unwrap_or(0),
                row["field"].as_str().unwrap_or_default().to_owned(),
                row["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        faults,
        vec![
            (2, "called_at".into(), "out_of_range".into()),
            (3, "called_at".into(), "out_of_range".into()),
            (4, "an".into(), "not_allowed".into()),
            (5, "dn".into(), "not_allowed".into()),
            (6, "duration_seconds".into(), "not_allowed".into()),
            (7, "duration_seconds".into(), "out_of_range".into()),
            (8, "caller".into(), "invalid_format".into()),
            (9, "caller".into(), "invalid_format".into()),
            (10, "dn".into(), "required".into()),
            (11, "result".into(), "wrong_type".into()),
            (12, "record_id".into(), "duplicate".into()),
        ],
        "{}",
        refused.body
    );
    let stored: i64 = db::run(&app.pool, |conn| {
        Ok(analytics_calls::table.count().get_result(conn)?)
    })
    .await
    .expect("count");
    assert_eq!(stored, 0, "nothing of a refused batch is stored");

    // The CSV path: a header, hyphenated numbers, the Japanese result label; sent twice.
    let csv = format!(
        "record_id,called_at,an,caller,dn,duration_seconds,result\nc-1,{},0120-111-111,03-1111-2222,03-1234-5678,95,完了呼\nc-2,{},0570222222,,,0,話中\n",
        at(1, 9).format("%Y/%m/%d %H:%M:%S"),
        at(2, 21).format("%Y/%m/%d %H:%M:%S"),
    );
    for inserted in [2, 0] {
        let answer = app
            .send(
                app.client
                    .post(app.url(&format!("{path}/csv")))
                    .bearer_auth(&subscription.staff)
                    .header("content-type", "text/csv")
                    .body(csv.clone()),
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(answer["inserted"].as_i64(), Some(inserted), "{answer}");
    }
    let bad_csv = "c-3,yesterday,0120111111,,,0,busy\nc-4\n";
    let answer = app
        .send(
            app.client
                .post(app.url(&format!("{path}/csv")))
                .bearer_auth(&subscription.staff)
                .header("content-type", "text/csv")
                .body(bad_csv),
        )
        .await;
    assert_eq!(
        (answer.status, answer.code()),
        (StatusCode::UNPROCESSABLE_ENTITY, "csv_refused")
    );
    assert_eq!(
        answer.body["rows"].as_array().map(Vec::len),
        Some(2),
        "{}",
        answer.body
    );
    // Customers do not ingest.
    assert_eq!(
        app.post_as(&subscription.admin, &path, json!({"records": [good("c-9")]}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let report = app
        .get_as(
            &subscription.admin,
            &format!(
                "/api/v1/analytics/subscriptions/{}/reports/incomplete_reasons",
                subscription.id
            ),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["rows"][0]["key"], "busy");
    assert_eq!(report["rows"][0]["values"], json!([1.0]));
}

#[tokio::test]
async fn standard_reports_and_groups_need_the_standard_plan_and_a_plan_change_keeps_the_data() {
    let app = spawn_app().await;
    let free = subscription(&app, "N810000005", "muryou.co.jp", "muryou", "free").await;
    let day = today(&app) - TimeDelta::days(1);
    ingest(&app, &free.staff, free.id, &generate(200, day, 11))
        .await
        .expect(StatusCode::OK);
    let base = format!("/api/v1/analytics/subscriptions/{}", free.id);
    let catalogue = app
        .get_as(&free.admin, &format!("{base}/reports"))
        .await
        .expect(StatusCode::OK);
    let locked: Vec<&str> = catalogue["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|item| item["available"] == false)
        .map(|item| item["report"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(locked.len(), 9, "{catalogue}");
    for report in &locked {
        let answer = app.get_as(&free.admin, &format!("{base}/reports/{report}")).await;
        assert_eq!(
            (answer.status, answer.code()),
            (StatusCode::FORBIDDEN, "standard_plan_required"),
            "{report}"
        );
    }
    let before = app
        .get_as(&free.admin, &format!("{base}/reports/yearly_traffic"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&free.admin, &format!("{base}/groups")).await.code(),
        "standard_plan_required"
    );
    let group = json!({"kind": "an", "name": "全番号", "numbers": [AN1]});
    assert_eq!(
        app.post_as(&free.admin, &format!("{base}/groups"), group.clone())
            .await
            .code(),
        "standard_plan_required"
    );
    assert_eq!(
        app.get_as(&free.admin, &format!("{base}/reports/recent_traffic?dn_group=1"))
            .await
            .code(),
        "standard_plan_required"
    );
    // A user with the analytics grant reads but does not change the plan; the
    // subscriber's user administrator does, giving the billing fields a charged plan
    // needs; the data stays.
    let reader = app
        .account(Some(free.organization), "bunseki-yomu", Role::InquiryStaff)
        .await;
    grant_analytics(&app, reader).await;
    let reader = app.access_token("bunseki-yomu").await;
    app.get_as(&reader, &format!("{base}/reports/yearly_traffic"))
        .await
        .expect(StatusCode::OK);
    let upgrade = |body: Value| {
        let (app, admin, path) = (&app, free.admin.clone(), format!("{base}/plan"));
        async move {
            app.request_as(&admin, reqwest::Method::PUT, &path, Some(&body))
                .await
        }
    };
    assert_eq!(
        app.request_as(
            &reader,
            reqwest::Method::PUT,
            &format!("{base}/plan"),
            Some(&json!({"plan": "standard"}))
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let unbilled = upgrade(json!({"plan": "standard"})).await;
    assert_eq!(
        unbilled.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unbilled.body
    );
    assert_eq!(unbilled.field_code("billing_phone"), Some("required"));
    assert_eq!(unbilled.field_code("billing_number"), Some("required"));
    let misshapen =
        upgrade(json!({"plan": "standard", "billing_phone": "12", "billing_number": "0312345678"})).await;
    assert_eq!(
        misshapen.field_code("billing_phone"),
        Some("invalid_format"),
        "{}",
        misshapen.body
    );
    assert_eq!(misshapen.field_code("billing_number"), Some("invalid_format"));
    let upgraded = upgrade(
        json!({"plan": "standard", "billing_phone": "03-1234-0000", "billing_number": "0120-111-111"}),
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(upgraded["plan"], "standard");
    assert_eq!(upgraded["billing_phone"], "0312340000");
    assert_eq!(upgraded["billing_number"], "0120111111");
    let after = app
        .get_as(&free.admin, &format!("{base}/reports/yearly_traffic"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(before["rows"], after["rows"]);
    app.get_as(&free.admin, &format!("{base}/reports/origins"))
        .await
        .expect(StatusCode::OK);
    app.post_as(&free.admin, &format!("{base}/groups"), group)
        .await
        .expect(StatusCode::CREATED);

    // Back to the free plan: the groups lock but stay; the billing fields stay too, so a
    // second upgrade needs none.
    upgrade(json!({"plan": "free"})).await.expect(StatusCode::OK);
    assert_eq!(
        app.get_as(&free.admin, &format!("{base}/groups")).await.code(),
        "standard_plan_required"
    );
    upgrade(json!({"plan": "standard"})).await.expect(StatusCode::OK);
    let groups = app
        .get_as(&free.admin, &format!("{base}/groups"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(groups["items"].as_array().map(Vec::len), Some(1), "{groups}");
}

/// Gives the account the analytics grant (as its user administrator would).
async fn grant_analytics(app: &TestApp, account: madoguchi_types::ids::AccountId) {
    db::run(&app.pool, move |conn| {
        use madoguchi_api::schema::accounts;
        Ok(diesel::update(accounts::table.find(account))
            .set(accounts::analytics.eq(true))
            .execute(conn)?)
    })
    .await
    .expect("granted");
}

#[tokio::test]
async fn the_plans_table_is_published_and_gates_what_it_says() {
    let app = spawn_app().await;
    let plans = app
        .send(app.client.get(app.url("/api/v1/analytics/plans")))
        .await
        .expect(StatusCode::OK);
    let items = plans["items"].as_array().expect("items");
    assert_eq!(items.len(), 2);
    let (free_terms, standard_terms) = (&items[0], &items[1]);
    assert_eq!(free_terms["plan"], "free");
    assert_eq!(free_terms["label"], "無料プラン");
    assert_eq!(
        free_terms["reports"],
        json!([
            "recent_traffic",
            "yearly_traffic",
            "comparison",
            "incomplete_reasons"
        ])
    );
    assert_eq!(free_terms["aggregate_months"], 12);
    assert_eq!(free_terms["charged"], false);
    assert_eq!(standard_terms["reports"].as_array().map(Vec::len), Some(13));
    assert_eq!(standard_terms["aggregate_months"], 24);
    assert_eq!(standard_terms["detail_months"], 3);
    assert_eq!(
        standard_terms["features"],
        json!(["number_groups", "own_data", "child_ids", "downloads"])
    );

    // The catalogue of a free subscription follows the table, report by report.
    let free = subscription(&app, "N810000020", "plans.co.jp", "puran", "free").await;
    let catalogue = app
        .get_as(
            &free.admin,
            &format!("/api/v1/analytics/subscriptions/{}/reports", free.id),
        )
        .await
        .expect(StatusCode::OK);
    let shown = free_terms["reports"].as_array().expect("reports");
    for entry in catalogue["items"].as_array().expect("items") {
        assert_eq!(
            entry["available"].as_bool(),
            Some(shown.contains(&entry["report"])),
            "{entry}"
        );
    }
}

#[tokio::test]
async fn groups_and_filters_are_checked_field_by_field() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000006", "group.co.jp", "guruupu", "standard").await;
    let other = subscription_of_another(&app).await;
    let groups = format!("/api/v1/analytics/subscriptions/{}/groups", subscription.id);
    let answer = app
        .post_as(
            &subscription.admin,
            &groups,
            json!({"kind": "an", "name": " ", "numbers": [AN1, AN1, DN1, "0120999999"]}),
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.field_code("name"), Some("required"));
    assert_eq!(answer.field_code("numbers[1]"), Some("duplicate"));
    assert_eq!(
        answer.field_code("numbers[2]"),
        Some("not_allowed"),
        "a DN is no AN"
    );
    assert_eq!(answer.field_code("numbers[3]"), Some("not_allowed"));
    let created = app
        .post_as(
            &subscription.admin,
            &groups,
            json!({"kind": "an", "name": "フリーダイヤル", "numbers": [AN1]}),
        )
        .await
        .expect(StatusCode::CREATED);
    let taken = app
        .post_as(
            &subscription.admin,
            &groups,
            json!({"kind": "an", "name": "フリーダイヤル", "numbers": []}),
        )
        .await;
    assert_eq!(taken.field_code("name"), Some("taken"));
    let id = created["id"].as_i64().expect("id");
    let path = format!("/api/v1/analytics/groups/{id}");
    let replaced = app
        .request_as(
            &subscription.admin,
            reqwest::Method::PUT,
            &path,
            Some(&json!({"kind": "an", "name": "全AN", "numbers": [AN2, AN1]})),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(replaced["numbers"], json!([AN1, AN2]));
    let kind = app
        .request_as(
            &subscription.admin,
            reqwest::Method::PUT,
            &path,
            Some(&json!({"kind": "dn", "name": "x", "numbers": []})),
        )
        .await;
    assert_eq!(kind.field_code("kind"), Some("not_allowed"));

    // Filters: each bad one named.
    let report = format!(
        "/api/v1/analytics/subscriptions/{}/reports/recent_traffic",
        subscription.id
    );
    for (query, field, code) in [
        ("from=2026-12-01&to=2026-11-01", "to", "ends_before_start"),
        ("from=2024-01-01&to=2026-11-01", "from", "out_of_range"),
        ("weekdays=1,8", "weekdays", "invalid_format"),
        ("hour_from=18&hour_to=9", "hour_to", "ends_before_start"),
        ("hour_to=25", "hour_to", "out_of_range"),
        ("an=0120999999", "an", "not_allowed"),
        ("month=2026-13", "month", "invalid_format"),
        ("month=2026-11&from=2026-11-01", "month", "not_allowed"),
        ("target_blocking=0.9", "target_blocking", "out_of_range"),
    ] {
        let answer = app
            .get_as(&subscription.admin, &format!("{report}?{query}"))
            .await;
        assert_eq!(
            answer.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            answer.body
        );
        assert_eq!(answer.field_code(field), Some(code), "{query}: {}", answer.body);
    }
    let both = app
        .get_as(&subscription.admin, &format!("{report}?an={AN1}&an_group={id}"))
        .await;
    assert_eq!(both.field_code("an_group"), Some("not_allowed"));
    // Another subscription's group is no filter of this one.
    let foreign = app
        .get_as(&subscription.admin, &format!("{report}?an_group={}", other.1))
        .await;
    assert_eq!(foreign.field_code("an_group"), Some("not_allowed"));
    let wrong_type = app
        .get_as(&subscription.admin, &format!("{report}?from=yesterday"))
        .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    let month = app
        .get_as(&subscription.admin, &format!("{report}?month=2026-02"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (month["filter"]["from"].as_str(), month["filter"]["to"].as_str()),
        (Some("2026-02-01"), Some("2026-02-28"))
    );
    assert_eq!(month["rows"].as_array().map(Vec::len), Some(28));
    let unknown = app
        .get_as(
            &subscription.admin,
            &format!(
                "/api/v1/analytics/subscriptions/{}/reports/nothing",
                subscription.id
            ),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.body);

    assert_eq!(
        app.delete_as(&subscription.admin, &path).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete_as(&subscription.admin, &path).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Another organization's standard subscription with a group: (subscription, group).
async fn subscription_of_another(app: &TestApp) -> (i64, i64) {
    let other = subscription(app, "N810000007", "betsu.co.jp", "betsu", "standard").await;
    let group = group(app, &other.admin, other.id, "an", "他社", &[AN1]).await;
    (other.id, group)
}

#[tokio::test]
async fn detail_goes_after_92_days_and_aggregates_after_the_plans_months() {
    let app = spawn_app().await;
    let free = subscription(&app, "N810000008", "hozon-free.co.jp", "hozonfree", "free").await;
    let standard = subscription(&app, "N810000009", "hozon-std.co.jp", "hozonstd", "standard").await;
    let day = today(&app);
    let call = |id: &str| Call {
        id: id.to_owned(),
        at: day.and_hms_opt(10, 0, 0).expect("time"),
        an: AN1,
        caller: "0311112222".to_owned(),
        dn: DN1,
        seconds: 120,
        result: "completed",
    };
    for subscription in [&free, &standard] {
        ingest(&app, &subscription.staff, subscription.id, &[call("keep")])
            .await
            .expect(StatusCode::OK);
    }
    let stored = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, |conn| {
                let calls: i64 = analytics_calls::table.count().get_result(conn)?;
                // The packed callers of a day go with its detail.
                let caller_days: i64 = analytics_caller_days::table.count().get_result(conn)?;
                let sums: i64 = analytics_traffic::table.count().get_result(conn)?;
                Ok((calls, caller_days, sums))
            })
            .await
            .expect("counts")
        }
    };
    // 91 days on the calls are the first of the 92 days kept; a day later they go, the
    // sums stay.
    app.advance(TimeDelta::days(91));
    purge_now(&app).await;
    assert_eq!(stored(&app).await, (2, 2, 2));
    app.advance(TimeDelta::days(1));
    purge_now(&app).await;
    assert_eq!(stored(&app).await, (0, 0, 2));
    // A year on, the free plan's sums (12 months) go and the standard plan's (24) stay.
    app.advance(TimeDelta::days(365 - 92 + 31));
    purge_now(&app).await;
    assert_eq!(stored(&app).await, (0, 0, 1));
    let admin = app.access_token("hozonstd").await;
    let report = app
        .get_as(
            &admin,
            &format!(
                "/api/v1/analytics/subscriptions/{}/reports/yearly_traffic?from={day}&to={day}",
                standard.id
            ),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(report["totals"][0], json!(1.0));
}

#[tokio::test]
async fn a_kept_report_gives_way_to_new_calls_and_a_removed_numbers_calls_stay() {
    let app = spawn_app().await;
    let sub = subscription(&app, "N810000010", "kioku.co.jp", "kiokuadmin", "standard").await;
    let day = today(&app);
    let call = |id: &str, an: &'static str, caller: &str| Call {
        id: id.to_owned(),
        at: day.and_hms_opt(10, 0, 0).expect("time"),
        an,
        caller: caller.to_owned(),
        dn: DN1,
        seconds: 60,
        result: "completed",
    };
    ingest(&app, &sub.staff, sub.id, &[call("k1", AN1, "0311112222")])
        .await
        .expect(StatusCode::OK);
    let base = format!("/api/v1/analytics/subscriptions/{}/reports", sub.id);
    let totals = |report: &'static str| {
        let (app, admin, base) = (&app, &sub.admin, &base);
        async move {
            let answer = app
                .get_as(admin, &format!("{base}/{report}?from={day}&to={day}"))
                .await
                .expect(StatusCode::OK);
            answer["totals"].clone()
        }
    };
    let kept = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, |conn| {
                Ok(analytics_report_cache::table.count().get_result::<i64>(conn)?)
            })
            .await
            .expect("count")
        }
    };
    assert_eq!(totals("recent_traffic").await[0], json!(1.0));
    assert_eq!(kept(&app).await, 1, "the report is kept");
    assert_eq!(totals("recent_traffic").await[0], json!(1.0), "read back");
    assert_eq!(totals("caller_composition").await, json!([1.0, 1.0]));
    assert_eq!(kept(&app).await, 2);

    // New calls: the kept reports go, and the same requests count them.
    ingest(
        &app,
        &sub.staff,
        sub.id,
        &[call("k2", AN2, "0311112222"), call("k3", AN2, "0611113333")],
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(kept(&app).await, 0, "ingestion drops what was kept");
    assert_eq!(totals("recent_traffic").await[0], json!(3.0));
    assert_eq!(totals("caller_composition").await, json!([2.0, 3.0]));
    // A batch sent again adds nothing and keeps what was kept.
    ingest(&app, &sub.staff, sub.id, &[call("k3", AN2, "0611113333")])
        .await
        .expect(StatusCode::OK);
    assert_eq!(kept(&app).await, 2);

    // A removed AN's calls stay in the reports of their days, in the per-number rows too.
    app.delete_as(
        &sub.staff,
        &format!("/api/v1/analytics/subscriptions/{}/numbers/an/{AN2}", sub.id),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    assert_eq!(totals("recent_traffic").await[0], json!(3.0));
    let per_number = app
        .get_as(&sub.admin, &format!("{base}/per_number?from={day}&to={day}"))
        .await
        .expect(StatusCode::OK);
    let rows: Vec<(String, f64)> = per_number["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| {
            (
                row["key"].as_str().expect("key").to_owned(),
                row["values"][0].as_f64().expect("calls"),
            )
        })
        .collect();
    assert_eq!(rows, vec![(AN1.to_owned(), 1.0), (AN2.to_owned(), 2.0)]);
}

#[tokio::test]
async fn new_calls_warm_the_reports_the_dashboard_opens_once_per_burst() {
    let app = spawn_app().await;
    let sub = subscription(&app, "N810000014", "atatame.co.jp", "atatame", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    let calls = generate(120, last, 5);
    // A burst of two batches, 20 s apart: one warming job waits for both.
    for (index, batch) in calls.chunks(60).enumerate() {
        if index > 0 {
            app.advance(TimeDelta::seconds(20));
        }
        ingest(&app, &sub.staff, sub.id, batch)
            .await
            .expect(StatusCode::OK);
    }
    let (kept, warming) = {
        let pool = app.pool.clone();
        db::run(&pool, |conn| {
            use madoguchi_api::schema::jobs;
            let kept = analytics_report_cache::table.count().get_result::<i64>(conn)?;
            let warming: Vec<(madoguchi_api::jobs::JobState, i64)> = jobs::table
                .filter(jobs::kind.eq(JobKind::WarmReports))
                .select((jobs::state, jobs::id))
                .load(conn)?;
            Ok((kept, warming))
        })
        .await
        .expect("read")
    };
    assert_eq!(kept, 0);
    assert_eq!(warming.len(), 1, "one job for the burst: {warming:?}");
    assert_eq!(warming[0].0, madoguchi_api::jobs::JobState::Queued);

    // The second batch put it off: half a minute after the first, it still waits.
    app.advance(TimeDelta::seconds(11));
    app.settle_jobs().await;
    let job = warming[0].1;
    let state = db::run(&app.pool, move |conn| {
        use madoguchi_api::schema::jobs;
        Ok(jobs::table
            .find(job)
            .select(jobs::state)
            .first::<madoguchi_api::jobs::JobState>(conn)?)
    })
    .await
    .expect("state");
    assert_eq!(state, madoguchi_api::jobs::JobState::Queued);

    // Half a minute after the last batch it runs: every report of the plan, with its
    // default filters, in both languages.
    app.advance(TimeDelta::seconds(20));
    app.settle_jobs().await;
    let (kept, result) = db::run(&app.pool, move |conn| {
        use madoguchi_api::schema::jobs;
        let kept = analytics_report_cache::table
            .filter(analytics_report_cache::subscription_id.eq(sub.id))
            .count()
            .get_result::<i64>(conn)?;
        let result: Option<String> = jobs::table.find(warming[0].1).select(jobs::result).first(conn)?;
        Ok((kept, result))
    })
    .await
    .expect("read");
    let reports = madoguchi_types::analytics::ReportKind::ALL.len() as i64;
    assert_eq!(kept, 2 * reports);
    // And the callers of every day with a caller are packed first.
    let caller_days = calls
        .iter()
        .filter(|call| !call.caller.is_empty())
        .map(|call| call.at.date())
        .collect::<HashSet<_>>()
        .len();
    assert_eq!(
        serde_json::from_str::<Value>(&result.expect("done")).expect("json"),
        json!({"computed": 2 * reports, "packed_days": caller_days})
    );

    // The dashboard's first view reads them (nothing new is kept), and they are what a
    // computation of the same filters gives.
    let admin = app.access_token("atatame").await;
    let base = format!("/api/v1/analytics/subscriptions/{}/reports", sub.id);
    for report in madoguchi_types::analytics::ReportKind::ALL {
        let warmed = app
            .get_as(&admin, &format!("{base}/{report}"))
            .await
            .expect(StatusCode::OK);
        let filter = &warmed["filter"];
        let mut explicit = format!(
            "{base}/{report}?from={}&to={}",
            filter["from"].as_str().expect("from"),
            filter["to"].as_str().expect("to")
        );
        if let (Some(from), Some(to)) = (filter["compare_from"].as_str(), filter["compare_to"].as_str()) {
            explicit.push_str(&format!("&compare_from={from}&compare_to={to}"));
        }
        let computed = app.get_as(&admin, &explicit).await.expect(StatusCode::OK);
        assert_eq!(
            (&warmed["rows"], &warmed["totals"]),
            (&computed["rows"], &computed["totals"]),
            "{report}"
        );
    }
    let kept_after = db::run(&app.pool, move |conn| {
        Ok(analytics_report_cache::table
            .filter(analytics_report_cache::subscription_id.eq(sub.id))
            .count()
            .get_result::<i64>(conn)?)
    })
    .await
    .expect("count");
    // The default views and the same filters spelt out were all read from what was kept.
    assert_eq!(kept_after, 2 * reports);
}

/// A feed that never pauses still has its reports warmed: at the latest 5 minutes after
/// the batch that queued the job.
#[tokio::test]
async fn a_steady_feed_is_warmed_within_five_minutes() {
    let app = spawn_app().await;
    let sub = subscription(&app, "N810000012", "teiki.co.jp", "teiki", "standard").await;
    let calls = generate(16, today(&app) - TimeDelta::days(1), 12);
    let warmings = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            db::run(&pool, |conn| {
                use madoguchi_api::schema::jobs;
                Ok(jobs::table
                    .filter(jobs::kind.eq(JobKind::WarmReports))
                    .select(jobs::state)
                    .load::<madoguchi_api::jobs::JobState>(conn)?)
            })
            .await
            .expect("jobs")
        }
    };
    // A batch every 20 s: each puts the warming off, until 300 s after the first.
    for call in &calls[..15] {
        ingest(&app, &sub.staff, sub.id, std::slice::from_ref(call))
            .await
            .expect(StatusCode::OK);
        app.advance(TimeDelta::seconds(20));
        app.settle_jobs().await;
    }
    assert_eq!(warmings(&app).await, vec![madoguchi_api::jobs::JobState::Done]);
    // The next batch queues the next warming.
    ingest(&app, &sub.staff, sub.id, &calls[15..])
        .await
        .expect(StatusCode::OK);
    let mut states = warmings(&app).await;
    states.sort_by_key(|state| format!("{state:?}"));
    assert_eq!(
        states,
        vec![
            madoguchi_api::jobs::JobState::Done,
            madoguchi_api::jobs::JobState::Queued
        ]
    );

    // A job waiting out the backoff of a failed attempt is never brought forward.
    // (Whole seconds: PostgreSQL keeps microseconds.)
    let backoff = (app.clock.now_naive() + TimeDelta::minutes(10))
        .with_nanosecond(0)
        .expect("time");
    let queued = || {
        use madoguchi_api::schema::jobs;
        jobs::table
            .filter(jobs::kind.eq(JobKind::WarmReports))
            .filter(jobs::state.eq(madoguchi_api::jobs::JobState::Queued))
    };
    db::run(&app.pool, move |conn| {
        use madoguchi_api::schema::jobs;
        diesel::update(queued())
            .set(jobs::run_after.eq(backoff))
            .execute(conn)?;
        Ok(())
    })
    .await
    .expect("backoff");
    let mut another = generate(1, today(&app) - TimeDelta::days(1), 13);
    another[0].id = "B1".into();
    ingest(&app, &sub.staff, sub.id, &another)
        .await
        .expect(StatusCode::OK);
    let run_after = db::run(&app.pool, move |conn| {
        use madoguchi_api::schema::jobs;
        Ok(queued().select(jobs::run_after).first::<NaiveDateTime>(conn)?)
    })
    .await
    .expect("run_after");
    assert_eq!(run_after, backoff);
}

async fn purge_now(app: &TestApp) {
    let now = app.clock.now_naive();
    db::transaction(&app.pool, move |conn| {
        jobs::enqueue(conn, &NewJob::new(JobKind::PurgeAnalytics, &json!({})), now)?;
        Ok(())
    })
    .await
    .expect("queued");
    app.settle_jobs().await;
}

/// A download as the server answered it: status, media type, file name, bytes.
async fn download(
    app: &TestApp,
    token: &str,
    path: &str,
    lang: &str,
) -> (StatusCode, String, String, Vec<u8>) {
    let response = app
        .client
        .get(app.url(path))
        .bearer_auth(token)
        .header("Accept-Language", lang)
        .send()
        .await
        .expect("download");
    let status = response.status();
    crate::observed::record("GET", response.url().path(), status.as_u16());
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (media_type, disposition) = (header("content-type"), header("content-disposition"));
    let bytes = response.bytes().await.expect("body").to_vec();
    (status, media_type, disposition, bytes)
}

/// A PNG's size and how much of it is not white background.
fn png_ink(bytes: &[u8]) -> (u32, u32, f64) {
    let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let frame = reader.next_frame(&mut pixels).expect("a frame");
    let channels = frame.color_type.samples();
    let pixels = &pixels[..frame.buffer_size()];
    let inked = pixels
        .chunks(channels)
        .filter(|pixel| pixel.iter().take(3).any(|value| *value < 250))
        .count();
    (
        frame.width,
        frame.height,
        inked as f64 / (pixels.len() / channels) as f64,
    )
}

/// The text of a PDF as Poppler's `pdftotext` reads it, without whitespace (a PDF places
/// words; spaces between CJK glyphs are the reader's guess).
fn pdf_text(bytes: &[u8]) -> String {
    let directory = tempfile::tempdir().expect("temporary directory");
    let file = directory.path().join("report.pdf");
    std::fs::write(&file, bytes).expect("write the PDF");
    let output = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils, installed by cargo xtask setup)");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[tokio::test]
async fn every_report_downloads_as_png_pdf_and_a_deck_libreoffice_opens() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000011", "daunrodo.co.jp", "daunrodo", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    ingest(
        &app,
        &subscription.staff,
        subscription.id,
        &generate(300, last, 23),
    )
    .await
    .expect(StatusCode::OK);
    let base = format!("/api/v1/analytics/subscriptions/{}/reports", subscription.id);
    let from = last - TimeDelta::days(29);
    let filters = format!("from={from}&to={last}&an={AN1}&weekdays=1,2,3,4,5&hour_from=9&hour_to=18");

    // Every report's chart as a PNG: twice the chart's size with the header, and drawn.
    for report in madoguchi_types::analytics::ReportKind::ALL {
        let (status, media_type, disposition, bytes) = download(
            &app,
            &subscription.admin,
            &format!("{base}/{report}/download/png?{filters}"),
            "ja",
        )
        .await;
        assert_eq!(
            (status, media_type.as_str()),
            (StatusCode::OK, "image/png"),
            "{report}"
        );
        assert!(
            disposition.starts_with("attachment") && disposition.contains(&format!("{report}_")),
            "{disposition}"
        );
        let (width, height, ink) = png_ink(&bytes);
        assert_eq!((width, height), (1920, 952), "{report}");
        assert!(ink > 0.01, "{report}: {ink} of the image drawn");
    }

    // The PDF's text layer holds the Japanese title, the period and the filters.
    let (status, media_type, _, pdf) = download(
        &app,
        &subscription.admin,
        &format!("{base}/recent_traffic/download/pdf?{filters}"),
        "ja",
    )
    .await;
    assert_eq!((status, media_type.as_str()), (StatusCode::OK, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    for expected in [
        "直近3ヶ月トラフィック".to_owned(),
        format!("期間:{from}–{last}"),
        format!("番号:{AN1}"),
        "曜日:月・火・水・木・金".to_owned(),
        "時間帯:09:00–18:00".to_owned(),
    ] {
        assert!(text.contains(&expected), "{expected} not in {text}");
    }
    let (_, _, _, english) = download(
        &app,
        &subscription.admin,
        &format!("{base}/recent_traffic/download/pdf?{filters}"),
        "en",
    )
    .await;
    assert!(pdf_text(&english).contains("Traffic,last3months"));

    // The deck: a title slide, the chart, the table in slides of 12 rows.
    let report = app
        .get_as(&subscription.admin, &format!("{base}/recent_traffic?{filters}"))
        .await
        .expect(StatusCode::OK);
    let rows = report["rows"].as_array().expect("rows").len();
    let (status, media_type, _, deck) = download(
        &app,
        &subscription.admin,
        &format!("{base}/recent_traffic/download/pptx?{filters}"),
        "ja",
    )
    .await;
    assert_eq!(
        (status, media_type.as_str()),
        (
            StatusCode::OK,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        )
    );
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(deck.clone())).expect("a zip");
    let mut part = |name: &str| {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut archive.by_name(name).expect(name), &mut text).expect(name);
        text
    };
    let slides = 2 + rows.div_ceil(12);
    assert_eq!(part("ppt/presentation.xml").matches("<p:sldId ").count(), slides);
    assert!(part("ppt/slides/slide1.xml").contains("直近3ヶ月トラフィック"));
    assert!(part("ppt/slides/slide2.xml").contains(r#"r:embed="rId2""#));
    assert!(part("ppt/slides/_rels/slide2.xml.rels").contains("../media/chart.png"));
    let table = part("ppt/slides/slide3.xml");
    assert!(table.contains("<a:tbl>") && table.contains("呼数"), "{table}");
    assert_eq!(table.matches("<a:tr ").count(), 13, "a header and 12 rows");
    let mut image = Vec::new();
    std::io::Read::read_to_end(
        &mut archive.by_name("ppt/media/chart.png").expect("chart"),
        &mut image,
    )
    .expect("chart");
    assert!(png_ink(&image).2 > 0.01);

    // LibreOffice opens the deck: converted to PDF, its text is the deck's.
    let directory = tempfile::tempdir().expect("temporary directory");
    let file = directory.path().join("report.pptx");
    std::fs::write(&file, &deck).expect("write the deck");
    let converted = std::process::Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            directory.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(directory.path())
        .arg(&file)
        .output()
        .expect("soffice (libreoffice-impress, installed by cargo xtask setup)");
    // LibreOffice answers 0 even when it could not read the file: the PDF is the proof.
    let pdf = std::fs::read(directory.path().join("report.pdf")).unwrap_or_else(|_| {
        panic!(
            "LibreOffice did not convert the deck: {}{}",
            String::from_utf8_lossy(&converted.stdout),
            String::from_utf8_lossy(&converted.stderr)
        )
    });
    let text = pdf_text(&pdf);
    assert!(text.contains("直近3ヶ月トラフィック"), "{text}");
    assert!(text.contains("呼数"), "{text}");

    // Refused: an unknown format, a standard report on the free plan.
    let (status, media_type, _, _) = download(
        &app,
        &subscription.admin,
        &format!("{base}/recent_traffic/download/gif"),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(media_type.starts_with("application/problem+json"));
    let free = subscription_on_free_plan(&app).await;
    let (status, _, _, body) = download(
        &app,
        &free.admin,
        &format!(
            "/api/v1/analytics/subscriptions/{}/reports/origins/download/pdf",
            free.id
        ),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(String::from_utf8_lossy(&body).contains("standard_plan_required"));
}

#[tokio::test]
async fn a_large_deck_is_drawn_by_a_job_for_its_asker_for_a_day() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000012", "ookina.co.jp", "ookina", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    ingest(
        &app,
        &subscription.staff,
        subscription.id,
        &generate(200, last, 31),
    )
    .await
    .expect(StatusCode::OK);
    let base = format!("/api/v1/analytics/subscriptions/{}/reports", subscription.id);
    let filters = format!("from={}&to={last}", last - TimeDelta::days(6));

    // An hour of calls per minute is 60 rows: drawn while the request waits.
    let (status, _, _, small) = download(
        &app,
        &subscription.admin,
        &format!("{base}/per_minute/download/pptx?{filters}&hour_from=9&hour_to=10"),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(small.starts_with(b"PK"));
    // A whole day is 1,440 rows, 120 table slides: a job draws it.
    let response = app
        .client
        .get(app.url(&format!("{base}/per_minute/download/pptx?{filters}")))
        .bearer_auth(&subscription.admin)
        .send()
        .await
        .expect("download");
    crate::observed::record("GET", response.url().path(), response.status().as_u16());
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let location = response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let accepted: Value = response.json().await.expect("a job");
    assert_eq!(accepted["kind"], "render_report");
    let id = accepted["id"].as_i64().expect("id");
    assert_eq!(location, format!("/api/v1/jobs/{id}"));
    let done = app.finished_job(&subscription.admin, id).await;
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["progress"], json!({"done": 2, "total": 2}));
    let file = &done["result"];
    assert_eq!(file["format"], "pptx");
    assert_eq!(
        file["file_name"],
        format!("per_minute_{}_{last}.pptx", last - TimeDelta::days(6))
    );
    let href = file["href"].as_str().expect("href").to_owned();
    assert_eq!(href, format!("/api/v1/analytics/downloads/{id}"));
    let (status, media_type, disposition, deck) = download(&app, &subscription.admin, &href, "ja").await;
    assert_eq!(
        (status, media_type.as_str()),
        (
            StatusCode::OK,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        )
    );
    assert!(disposition.contains("per_minute_"), "{disposition}");
    assert_eq!(Some(deck.len() as u64), file["size"].as_u64());
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(deck)).expect("a zip");
    let mut presentation = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("ppt/presentation.xml").expect("presentation"),
        &mut presentation,
    )
    .expect("presentation");
    assert_eq!(presentation.matches("<p:sldId ").count(), 2 + 1440 / 12);
    let mut last_table = String::new();
    std::io::Read::read_to_string(
        &mut archive
            .by_name("ppt/slides/slide122.xml")
            .expect("the last table"),
        &mut last_table,
    )
    .expect("slide");
    assert!(last_table.contains("23:59"), "the last minute on the last slide");

    // Only its asker fetches it: staff, who may read the job, and a colleague may not.
    let colleague = "ookina-2";
    app.account(Some(subscription.organization), colleague, Role::UserAdmin)
        .await;
    let colleague = app.access_token(colleague).await;
    for token in [&colleague, &subscription.staff] {
        let (status, media_type, _, _) = download(&app, token, &href, "ja").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(media_type.starts_with("application/problem+json"));
    }
    // Another job's id is no drawing.
    let (status, _, _, _) = download(
        &app,
        &subscription.admin,
        "/api/v1/analytics/downloads/987654321",
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A day later it is gone: answered as missing, and deleted by the purge.
    app.advance(TimeDelta::hours(25));
    let admin = app.access_token("ookina").await;
    let (status, _, _, _) = download(&app, &admin, &href, "ja").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let key = format!("analytics/renderings/{id}");
    assert!(app.storage.get(&key).await.is_ok(), "kept until the purge");
    purge_now(&app).await;
    assert!(
        matches!(
            app.storage.get(&key).await.err(),
            Some(object_store::Error::NotFound { .. })
        ),
        "deleted by the purge"
    );

    // While a deck waits, asking again answers its job; an account waits for three decks
    // at most (the queue is everyone's mail too). Jobs are held waiting here by putting
    // them off a day.
    let hold = |id: i64| {
        let (pool, later) = (app.pool.clone(), app.clock.now_naive() + TimeDelta::days(1));
        async move {
            db::run(&pool, move |conn| {
                use madoguchi_api::schema::jobs as rows;
                Ok(diesel::update(rows::table.find(id))
                    .set((
                        rows::state.eq(madoguchi_api::jobs::JobState::Queued),
                        rows::run_after.eq(later),
                    ))
                    .execute(conn)?)
            })
            .await
            .expect("held")
        }
    };
    let ask = |filters: String| {
        let (app, admin, base) = (&app, admin.clone(), base.clone());
        async move {
            app.get_as(&admin, &format!("{base}/per_minute/download/pptx?{filters}"))
                .await
        }
    };
    let first = ask(filters.clone()).await.expect(StatusCode::ACCEPTED);
    let first = first["id"].as_i64().expect("id");
    hold(first).await;
    let again = ask(filters.clone()).await.expect(StatusCode::ACCEPTED);
    assert_eq!(again["id"].as_i64(), Some(first), "the same job");
    for weekdays in ["1,2", "3,4"] {
        let other = ask(format!("{filters}&weekdays={weekdays}"))
            .await
            .expect(StatusCode::ACCEPTED);
        assert_ne!(other["id"].as_i64(), Some(first));
        hold(other["id"].as_i64().expect("id")).await;
    }
    let refused = ask(format!("{filters}&weekdays=5")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.code(), "too_many_requests");
    // A held job, even with a file from an earlier attempt, is not a drawing to fetch.
    let (status, _, _, _) = download(
        &app,
        &admin,
        &format!("/api/v1/analytics/downloads/{first}"),
        "ja",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_account_asking_for_many_large_decks_at_once_waits_for_three() {
    // No worker: the decks stay waiting.
    let app = spawn_app_with(|settings| settings.run_jobs = false).await;
    let subscription = subscription(&app, "N810000015", "isogi.co.jp", "isogi", "standard").await;
    let last = today(&app) - TimeDelta::days(1);
    let base = format!("/api/v1/analytics/subscriptions/{}/reports", subscription.id);
    // Eight different decks asked for at the same moment.
    let asks = (1..=8).map(|days| {
        let path = format!(
            "{base}/per_minute/download/pptx?from={}&to={last}",
            last - TimeDelta::days(days)
        );
        let (app, admin) = (&app, subscription.admin.clone());
        async move { app.get_as(&admin, &path).await.status }
    });
    let statuses = futures_util::future::join_all(asks).await;
    let accepted = statuses
        .iter()
        .filter(|status| **status == StatusCode::ACCEPTED)
        .count();
    let refused = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((accepted, refused), (3, 5), "{statuses:?}");
}

async fn subscription_on_free_plan(app: &TestApp) -> Subscription {
    subscription(app, "N810000013", "muryou-dl.co.jp", "muryoudl", "free").await
}

/// Sends an own-data file as the subscription's administrator.
async fn upload_own_data(
    app: &TestApp,
    subscription: &Subscription,
    file: Vec<u8>,
    dry_run: bool,
) -> crate::helpers::Answer {
    let path = format!(
        "/api/v1/analytics/subscriptions/{}/own-data?dry_run={dry_run}",
        subscription.id
    );
    app.send(
        app.client
            .post(app.url(&path))
            .bearer_auth(&subscription.admin)
            .header("Content-Type", "text/csv")
            .body(file),
    )
    .await
}

/// The own-data column of a report's row for `day`, by column key.
fn own_value(report: &Value, key: &str, row_key: &str) -> Option<f64> {
    let column = report["columns"]
        .as_array()?
        .iter()
        .position(|column| column["key"] == key)?;
    report["rows"]
        .as_array()?
        .iter()
        .find(|row| row["key"] == row_key)?["values"][column]
        .as_f64()
}

#[tokio::test]
async fn own_data_is_checked_row_by_row_replaces_its_days_and_shows_beside_the_traffic() {
    let app = spawn_app().await;
    let subscription = subscription(&app, "N810000030", "jisha.co.jp", "jisha", "standard").await;
    let base = format!("/api/v1/analytics/subscriptions/{}", subscription.id);
    app.post_as(
        &subscription.admin,
        &format!("{base}/groups"),
        json!({"kind": "an", "name": "本社窓口", "numbers": [AN1]}),
    )
    .await
    .expect(StatusCode::CREATED);
    let yesterday = today(&app) - TimeDelta::days(1);
    let before = yesterday - TimeDelta::days(1);

    // A clean UTF-8 file with a BOM and a header: the preview stores nothing.
    let file = format!(
        "\u{feff}日付,番号,呼数,通話時間(秒)\n{yesterday},0120-111-111,5,100\n{},本社窓口,3,\n{before},{AN2},\"1,200\",\n",
        yesterday.format("%Y/%m/%d")
    );
    let preview = upload_own_data(&app, &subscription, file.clone().into_bytes(), true)
        .await
        .expect(StatusCode::OK);
    assert_eq!(preview["applied"], false);
    assert_eq!(preview["encoding"], "utf-8-bom");
    assert_eq!(preview["rows"].as_array().map(Vec::len), Some(3), "{preview}");
    assert_eq!(preview["rows"][2]["calls"], 1200);
    assert_eq!(preview["errors"], json!([]));
    let stored = app
        .get_as(&subscription.admin, &format!("{base}/own-data"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(stored["items"], json!([]));

    let applied = upload_own_data(&app, &subscription, file.into_bytes(), false)
        .await
        .expect(StatusCode::OK);
    assert_eq!(applied["applied"], true);
    assert_eq!(
        applied["days"],
        json!([before.to_string(), yesterday.to_string()])
    );

    // Beside the traffic: every label, or the chosen number's.
    let report = app
        .get_as(&subscription.admin, &format!("{base}/reports/recent_traffic"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        own_value(&report, "own_calls", &yesterday.to_string()),
        Some(8.0),
        "{}",
        report["columns"]
    );
    assert_eq!(own_value(&report, "own_calls", &before.to_string()), Some(1200.0));
    let narrowed = app
        .get_as(
            &subscription.admin,
            &format!("{base}/reports/recent_traffic?an={AN1}"),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        own_value(&narrowed, "own_calls", &yesterday.to_string()),
        Some(5.0)
    );
    let from = yesterday - TimeDelta::days(6);
    let comparison = app
        .get_as(
            &subscription.admin,
            &format!(
                "{base}/reports/comparison?from={from}&to={yesterday}&compare_from={}&compare_to={}",
                from - TimeDelta::days(7),
                yesterday - TimeDelta::days(7)
            ),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        own_value(&comparison, "own_period", "7"),
        Some(8.0),
        "{comparison}"
    );
    assert_eq!(own_value(&comparison, "own_compare", "7"), Some(0.0));

    // A Shift_JIS file for yesterday replaces yesterday's rows, and only those.
    let sjis = encoding_rs::SHIFT_JIS
        .encode(&format!("日付,番号,呼数\r\n{yesterday},{AN1},7\r\n"))
        .0
        .into_owned();
    let replaced = upload_own_data(&app, &subscription, sjis, false)
        .await
        .expect(StatusCode::OK);
    assert_eq!(replaced["encoding"], "shift_jis");
    let stored = app
        .get_as(&subscription.admin, &format!("{base}/own-data"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        stored["items"],
        json!([
            {"day": before.to_string(), "label": AN2, "calls": 1200, "seconds": null},
            {"day": yesterday.to_string(), "label": AN1, "calls": 7, "seconds": null},
        ])
    );

    // Every bad row, named by line and column; nothing stored.
    let tomorrow = today(&app) + TimeDelta::days(1);
    let bad = format!(
        "date,number,calls,seconds\n2026-13-01,{AN1},1,\n{yesterday},0120999999,1,\n{yesterday},{AN1},-4,\n{tomorrow},{AN1},1,\n{yesterday},{AN2},1,\n{yesterday},{AN2},2,\n{yesterday},{AN1}\n"
    );
    let refused = upload_own_data(&app, &subscription, bad.clone().into_bytes(), false).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    for (field, code) in [
        ("rows[2].day", "invalid_format"),
        ("rows[3].label", "not_allowed"),
        ("rows[4].calls", "out_of_range"),
        ("rows[5].day", "out_of_range"),
        ("rows[7].label", "duplicate"),
        ("rows[8].file", "invalid_format"),
    ] {
        assert_eq!(refused.field_code(field), Some(code), "{field}: {}", refused.body);
    }
    let preview = upload_own_data(&app, &subscription, bad.into_bytes(), true)
        .await
        .expect(StatusCode::OK);
    assert_eq!(preview["errors"].as_array().map(Vec::len), Some(6), "{preview}");
    assert_eq!(preview["rows"].as_array().map(Vec::len), Some(1));
    let unchanged = app
        .get_as(&subscription.admin, &format!("{base}/own-data"))
        .await
        .expect(StatusCode::OK);
    assert_eq!(unchanged["items"], stored["items"]);
    let binary = upload_own_data(&app, &subscription, vec![0, 1, 2, 3, 0xff], false).await;
    assert_eq!(
        binary.field_code("rows[0].file"),
        Some("invalid_format"),
        "{}",
        binary.body
    );

    // The free plan has no own data.
    let free = subscription_on_free_plan(&app).await;
    let answer = upload_own_data(&app, &free, b"x".to_vec(), true).await;
    assert_eq!(answer.code(), "standard_plan_required", "{}", answer.body);
}
