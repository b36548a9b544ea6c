//! コール人数構成 (caller composition) reads every caller of the 92 days kept: first-time
//! or repeat, and how many calls each made in the period. Grouped by caller in the
//! database, that is a row per caller and day of the callers rollup (780,000 callers in
//! the benchmark: 0.4–0.6 s), for any filter nobody asked for before.
//!
//! So each day's callers are also kept packed in one row of `analytics_caller_days`: the
//! day's ANs and DNs once, then per slot (hour, AN, DN) its callers as ascending integer
//! keys, stored as differences (varints of a few bytes), with their calls. The report
//! reads the 90-odd rows of its days, keeps what its filters keep, and counts by caller
//! in memory.
//!
//! The rollup (`analytics_callers`) stays what is true. Ingestion marks the days it added
//! to as stale (`packed` NULL, one more change counted) in its own transaction; the warming
//! job packs them again; until then the report reads a stale day's rollup rows and packs
//! them on the fly, so that its answer is the same either way.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use madoguchi_types::ids::SubscriptionId;
use serde::{Deserialize, Serialize};

use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::schema::{analytics_caller_days, analytics_callers};

/// The first byte of a packed day: its layout. A row of another layout is read as stale.
const LAYOUT: u8 = 1;

/// A row of the callers rollup within a day: caller, hour, AN, DN, calls.
type RollupRow = (String, i32, String, String, i64);

/// One day's callers.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
struct PackedDay {
    ans: Vec<String>,
    dns: Vec<String>,
    slots: Vec<Slot>,
}

/// The callers of one hour, AN and DN of a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Slot {
    hour: u8,
    /// An index into the day's `ans`.
    an: u32,
    /// An index into the day's `dns` (the empty DN of a call that reached none included).
    dn: u32,
    /// [`caller_key`]s, ascending. Stored as the difference from the one before.
    callers: Vec<u128>,
    /// Each caller's calls in the slot.
    calls: Vec<u32>,
}

/// A caller's number as an integer, one per number: the digits' value, with above it how
/// many digits there are and whether a + leads (so 0312… and 312… differ). Ingestion lets
/// only these through (up to 20 digits, a + first or not): at most 2^78.
fn caller_key(caller: &str) -> Option<u128> {
    let (plus, digits) = match caller.strip_prefix('+') {
        Some(rest) => (1, rest),
        None => (0, caller),
    };
    if digits.is_empty() || digits.len() > 20 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u128 = digits.parse().ok()?;
    Some((((digits.len() as u128) * 2 + plus) << 72) | value)
}

/// A day's rollup rows (caller, hour, AN, DN, calls), packed.
fn pack(rows: Vec<RollupRow>) -> PackedDay {
    let mut day = PackedDay::default();
    let mut ans: HashMap<String, u32> = HashMap::new();
    let mut dns: HashMap<String, u32> = HashMap::new();
    let mut slots: HashMap<(u8, u32, u32), Vec<(u128, u32)>> = HashMap::new();
    for (caller, hour, an, dn, calls) in rows {
        let Some(key) = caller_key(&caller) else {
            // Not a number ingestion would have let through: no one to count.
            tracing::warn!("a caller in the callers rollup is not a number; left out");
            continue;
        };
        let an = *ans.entry(an).or_insert_with_key(|an| {
            day.ans.push(an.clone());
            (day.ans.len() - 1) as u32
        });
        let dn = *dns.entry(dn).or_insert_with_key(|dn| {
            day.dns.push(dn.clone());
            (day.dns.len() - 1) as u32
        });
        let hour = u8::try_from(hour).unwrap_or(u8::MAX);
        let calls = u32::try_from(calls).unwrap_or(u32::MAX);
        slots.entry((hour, an, dn)).or_default().push((key, calls));
    }
    let mut keys: Vec<(u8, u32, u32)> = slots.keys().copied().collect();
    keys.sort_unstable();
    for (hour, an, dn) in keys {
        let mut callers = slots.remove(&(hour, an, dn)).unwrap_or_default();
        callers.sort_unstable();
        day.slots.push(Slot {
            hour,
            an,
            dn,
            callers: callers.iter().map(|(key, _)| *key).collect(),
            calls: callers.iter().map(|(_, calls)| *calls).collect(),
        });
    }
    day
}

fn encode(mut day: PackedDay) -> Vec<u8> {
    for slot in &mut day.slots {
        let mut before = 0;
        for key in &mut slot.callers {
            (*key, before) = (*key - before, *key);
        }
    }
    let mut bytes = vec![LAYOUT];
    // Vec<u8> as the output cannot fail but on a full memory.
    bytes.extend(postcard::to_allocvec(&day).unwrap_or_default());
    bytes
}

/// A packed day, or None if `bytes` are not one (then the day is read as stale).
fn decode(bytes: &[u8]) -> Option<PackedDay> {
    let (&LAYOUT, rest) = bytes.split_first()? else {
        return None;
    };
    let mut day: PackedDay = postcard::from_bytes(rest).ok()?;
    for slot in &mut day.slots {
        let mut before: u128 = 0;
        for key in &mut slot.callers {
            before = before.checked_add(*key)?;
            *key = before;
        }
        let fits = |index: u32, of: usize| (index as usize) < of;
        if slot.calls.len() != slot.callers.len()
            || !fits(slot.an, day.ans.len())
            || !fits(slot.dn, day.dns.len())
        {
            return None;
        }
    }
    Some(day)
}

/// Marks `days` of the subscription as changed in the callers rollup. Call it in the
/// transaction that changed them.
///
/// A day's count of changes starts at the time (in microseconds), not at 1: a day deleted
/// by the purge (or a subscription deleted, its id used again on SQLite) and stored anew
/// must not repeat a count a packing read before.
pub fn days_changed(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    days: &[NaiveDate],
    now: NaiveDateTime,
) -> QueryResult<()> {
    use analytics_caller_days as d;
    let first_count = now.and_utc().timestamp_micros();
    let rows: Vec<_> = days
        .iter()
        .map(|day| {
            (
                d::subscription_id.eq(subscription),
                d::day.eq(*day),
                d::packed.eq(None::<Vec<u8>>),
                d::changes.eq(first_count),
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        crate::with_inner!(conn, |inner| diesel::insert_into(d::table)
            .values(chunk)
            .on_conflict((d::subscription_id, d::day))
            .do_update()
            .set((d::packed.eq(None::<Vec<u8>>), d::changes.eq(d::changes + 1)))
            .execute(inner))?;
    }
    Ok(())
}

/// The rollup rows of one day.
fn rollup_rows(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    day: NaiveDate,
) -> QueryResult<Vec<RollupRow>> {
    use analytics_callers as c;
    c::table
        .filter(c::subscription_id.eq(subscription))
        .filter(c::day.eq(day))
        .select((c::caller, c::hour, c::an, c::dn, c::calls))
        .load(conn)
}

/// Packs the subscription's stale days again: how many were stored.
pub fn pack_stale(conn: &mut DbConn, subscription: SubscriptionId) -> Result<usize, ApiError> {
    use analytics_caller_days as d;
    let stale: Vec<(NaiveDate, i64)> = d::table
        .filter(d::subscription_id.eq(subscription))
        .filter(d::packed.is_null())
        .select((d::day, d::changes))
        .load(conn)?;
    let mut stored = 0;
    for (day, changes) in stale {
        stored += usize::from(pack_day(conn, subscription, day, changes)?);
    }
    Ok(stored)
}

/// Packs one day whose count of changes was `changes` before its rollup rows are read;
/// whether it was stored. No lock is held while the day is packed (ingestion would wait):
/// the packed day is stored only if the count is still the same — else a batch came
/// meanwhile, and the day stays stale for the next warming.
pub fn pack_day(
    conn: &mut DbConn,
    subscription: SubscriptionId,
    day: NaiveDate,
    changes: i64,
) -> Result<bool, ApiError> {
    use analytics_caller_days as d;
    let packed = encode(pack(rollup_rows(conn, subscription, day)?));
    let stored = db::write_transaction(conn, |conn| {
        Ok(diesel::update(
            d::table
                .filter(d::subscription_id.eq(subscription))
                .filter(d::day.eq(day))
                .filter(d::changes.eq(changes)),
        )
        .set(d::packed.eq(Some(packed)))
        .execute(conn)?)
    })?;
    Ok(stored == 1)
}

/// What the composition counts: the subscription's callers up to `to`, first-time or
/// repeat by whether they called the chosen numbers before `from`, and their calls from
/// `from` on, on the weekdays and hours chosen.
pub struct Narrowing<'a> {
    pub subscription: SubscriptionId,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The ANs whose calls count, or None for every one.
    pub ans: Option<&'a [String]>,
    /// The DNs whose calls count, or None for every one.
    pub dns: Option<&'a [String]>,
    /// 1 = Monday … 7 = Sunday.
    pub weekdays: &'a [i32],
    pub hours: Range<i32>,
}

/// Callers and their calls per group, in the report's order: first-time, repeat, then by
/// calls in the period: 1, 2, 3–5, 6–10, 11 or more.
pub fn composition(conn: &mut DbConn, narrowing: &Narrowing) -> QueryResult<[[i64; 2]; 7]> {
    use analytics_caller_days as d;
    let rows: Vec<(NaiveDate, Option<Vec<u8>>)> = d::table
        .filter(d::subscription_id.eq(narrowing.subscription))
        .filter(d::day.le(narrowing.to))
        .select((d::day, d::packed))
        .load(conn)?;
    // One entry per caller and slot kept: key << 33 | known before the period << 32 | calls
    // in it. Sorted, a caller's entries are side by side.
    let mut entries: Vec<u128> = Vec::new();
    for (day, packed) in rows {
        let packed = match packed.as_deref().and_then(decode) {
            Some(packed) => packed,
            None => pack(rollup_rows(conn, narrowing.subscription, day)?),
        };
        add_entries(&mut entries, day, &packed, narrowing);
    }
    entries.sort_unstable();
    let mut groups = [[0i64; 2]; 7];
    for caller in entries.chunk_by(|a, b| (a >> 33) == (b >> 33)) {
        let calls: i64 = caller.iter().map(|entry| i64::from(*entry as u32)).sum();
        if calls == 0 {
            continue;
        }
        let known = caller.iter().any(|entry| (entry >> 32) & 1 == 1);
        let by_calls = match calls {
            1 => 2,
            2 => 3,
            3..=5 => 4,
            6..=10 => 5,
            _ => 6,
        };
        for index in [usize::from(known), by_calls] {
            groups[index][0] += 1;
            groups[index][1] += calls;
        }
    }
    Ok(groups)
}

/// The entries of one day's slots that the narrowing keeps.
fn add_entries(entries: &mut Vec<u128>, day: NaiveDate, packed: &PackedDay, narrowing: &Narrowing) {
    let kept = |numbers: &[String], chosen: Option<&[String]>| -> Vec<bool> {
        numbers
            .iter()
            .map(|number| chosen.is_none_or(|chosen| chosen.contains(number)))
            .collect()
    };
    let (ans, dns) = (kept(&packed.ans, narrowing.ans), kept(&packed.dns, narrowing.dns));
    let before = day < narrowing.from;
    let weekday = narrowing
        .weekdays
        .contains(&(day.weekday().number_from_monday() as i32));
    for slot in &packed.slots {
        if !ans[slot.an as usize] || !dns[slot.dn as usize] {
            continue;
        }
        if before {
            // Whatever the hour: a call before the period makes a repeat caller.
            entries.extend(slot.callers.iter().map(|key| (key << 33) | (1 << 32)));
        } else if weekday && narrowing.hours.contains(&i32::from(slot.hour)) {
            entries.extend(
                slot.callers
                    .iter()
                    .zip(&slot.calls)
                    .map(|(key, calls)| (key << 33) | u128::from(*calls)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(caller: &str, hour: i32, an: &str, dn: &str, calls: i64) -> RollupRow {
        (caller.to_owned(), hour, an.to_owned(), dn.to_owned(), calls)
    }

    #[test]
    fn every_number_has_its_own_key() {
        let numbers = [
            "0312345678",
            "312345678",
            "00312345678",
            "+81312345678",
            "81312345678",
            "99999999999999999999",
            "+9999999999999999999",
            "0",
            "00",
        ];
        let keys: std::collections::HashSet<u128> = numbers
            .iter()
            .map(|number| caller_key(number).expect("a number"))
            .collect();
        assert_eq!(keys.len(), numbers.len());
        assert!(keys.iter().all(|key| *key < 1 << 78));
        for not_a_number in ["", "+", "anonymous", "03-1234", "123456789012345678901"] {
            assert_eq!(caller_key(not_a_number), None, "{not_a_number}");
        }
    }

    #[test]
    fn a_packed_day_reads_back_as_packed() {
        let day = pack(vec![
            row("0312345678", 9, "0120111111", "0312340000", 2),
            row("09011112222", 9, "0120111111", "0312340000", 1),
            row("0312345678", 14, "0570222222", "", 1),
            row("+81312345678", 9, "0120111111", "0312340000", 7),
        ]);
        assert_eq!(day.slots.len(), 2);
        assert_eq!(day.slots[0].callers.len(), 3);
        assert!(day.slots[0].callers.windows(2).all(|pair| pair[0] < pair[1]));
        let bytes = encode(day.clone());
        assert_eq!(decode(&bytes), Some(day));
        // Differences keep it small: a few bytes per caller.
        assert!(bytes.len() < 120, "{} bytes", bytes.len());
        assert_eq!(decode(&[]), None);
        assert_eq!(decode(&[LAYOUT + 1, 0, 0, 0]), None);
        assert_eq!(decode(&bytes[..bytes.len() - 3]), None);
    }
}
