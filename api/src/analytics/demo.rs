//! The demo organization's CXサポート subscription (`madoguchi serve --demo`): a standard
//! plan with two FreeDial numbers, a NaviDial number and two destinations, an AN group,
//! and 90 days of calls shaped like an office's — busy weekday mornings, quiet weekends,
//! repeat callers, some busy and abandoned calls — stored through the same path as an
//! ingestion, so every report and chart has something to show on a first look.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use diesel::prelude::*;
use madoguchi_types::analytics::{CallResult, NumberKind, Plan};
use madoguchi_types::ids::{OrganizationId, SubscriptionId};

use super::ingest::{self, NewCall};
use super::region_of;
use crate::db::DbConn;
use crate::schema::{analytics_group_numbers, analytics_groups, analytics_numbers, analytics_subscriptions};

pub const DEMO_OPID: &str = "OPDEMO0001";
const ANS: [&str; 3] = ["0120123456", "0120654321", "0570012345"];
const DNS: [&str; 2] = ["0312345678", "0662345678"];
/// Where callers dial from (area codes and mobile prefixes), repeated by weight.
const HEADS: [&str; 14] = [
    "03", "03", "03", "06", "06", "045", "052", "011", "092", "022", "075", "098", "090", "080",
];
const DAYS: i64 = 90;

/// splitmix64: the same demo on every machine.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }
}

/// Creates the subscription with its numbers, a group and the calls of the last 90 days
/// before `today` (Japan).
pub fn seed(
    conn: &mut DbConn,
    organization: OrganizationId,
    today: NaiveDate,
    now: NaiveDateTime,
) -> QueryResult<SubscriptionId> {
    let id: SubscriptionId = diesel::insert_into(analytics_subscriptions::table)
        .values((
            analytics_subscriptions::organization_id.eq(organization),
            analytics_subscriptions::opid.eq(DEMO_OPID),
            analytics_subscriptions::analytics_id.eq(crate::secrets::random_alphanumeric(10)),
            analytics_subscriptions::plan.eq(Plan::Standard),
            analytics_subscriptions::created_at.eq(now),
            analytics_subscriptions::updated_at.eq(now),
        ))
        .returning(analytics_subscriptions::id)
        .get_result(conn)?;
    let numbers = ANS
        .iter()
        .map(|number| (NumberKind::An, *number))
        .chain(DNS.iter().map(|number| (NumberKind::Dn, *number)));
    for (kind, number) in numbers {
        diesel::insert_into(analytics_numbers::table)
            .values((
                analytics_numbers::subscription_id.eq(id),
                analytics_numbers::kind.eq(kind),
                analytics_numbers::number.eq(number),
                analytics_numbers::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    let group: i64 = diesel::insert_into(analytics_groups::table)
        .values((
            analytics_groups::subscription_id.eq(id),
            analytics_groups::kind.eq(NumberKind::An),
            analytics_groups::name.eq("フリーダイヤル"),
            analytics_groups::created_at.eq(now),
            analytics_groups::updated_at.eq(now),
        ))
        .returning(analytics_groups::id)
        .get_result(conn)?;
    for number in &ANS[..2] {
        diesel::insert_into(analytics_group_numbers::table)
            .values((
                analytics_group_numbers::group_id.eq(group),
                analytics_group_numbers::number.eq(*number),
            ))
            .execute(conn)?;
    }
    ingest::store(conn, id, calls(id, today), now)?;
    Ok(id)
}

/// About 70 calls a weekday, a handful on weekends, mostly 9–18 with a late-morning peak.
fn calls(subscription: SubscriptionId, today: NaiveDate) -> Vec<NewCall> {
    let mut random = Random(2026);
    let mut calls = Vec::new();
    for back in 1..=DAYS {
        let day = today - TimeDelta::days(back);
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        let count = if weekend { 6 } else { 55 } + random.below(30);
        for n in 0..count {
            // Hours 9–18, twice as likely at 10 and 11.
            let hour = match random.below(12) {
                0 => 10,
                1 => 11,
                pick => 7 + pick as u32,
            };
            let called_at = day
                .and_hms_opt(hour, random.below(60) as u32, random.below(60) as u32)
                .unwrap_or_else(|| day.and_time(chrono::NaiveTime::MIN));
            let result = match random.below(100) {
                0..=79 => CallResult::Completed,
                80..=87 => CallResult::Busy,
                88..=93 => CallResult::NoAnswer,
                94..=97 => CallResult::Abandoned,
                _ => CallResult::Rejected,
            };
            // One caller in three is among 300 regulars; three in a hundred withhold.
            let caller = match random.below(100) {
                0..=2 => String::new(),
                3..=35 => format!("03{:08}", 10_000_000 + random.below(300)),
                _ => {
                    let head = HEADS[random.below(HEADS.len() as u64) as usize];
                    // Mobile numbers have 11 digits, fixed lines 10.
                    let rest = if matches!(head, "090" | "080" | "070") {
                        8
                    } else {
                        10 - head.len()
                    };
                    format!("{head}{:0rest$}", random.below(10_u64.pow(rest as u32)))
                }
            };
            calls.push(NewCall {
                subscription_id: subscription,
                record_id: format!("demo-{}-{n}", day.format("%Y%m%d")),
                day,
                called_at,
                origin: i32::from(region_of(&caller).code()),
                an: ANS[random.below(ANS.len() as u64) as usize].to_owned(),
                caller,
                dn: DNS[random.below(DNS.len() as u64) as usize].to_owned(),
                duration_seconds: if result == CallResult::Completed {
                    30 + random.below(600) as i32
                } else {
                    0
                },
                result,
            });
        }
    }
    calls
}
