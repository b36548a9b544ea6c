//! The time source. Production reads the system clock; tests move a manual clock instead of
//! sleeping (OTP expiry, lockout release, link validity).

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};

#[derive(Clone, Default)]
pub struct Clock {
    /// Offset added to the system clock, in milliseconds; shared by all clones.
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// `now()` as stored in the database (UTC, no offset).
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// Today's date in Japan, where contracts start and end.
    pub fn today(&self) -> NaiveDate {
        japan_date(self.now_naive())
    }

    /// Moves this clock (and every clone of it) forward; for tests.
    pub fn advance(&self, by: TimeDelta) {
        self.offset_ms.fetch_add(by.num_milliseconds(), Ordering::Relaxed);
    }
}

/// The Japanese calendar day of a stored UTC time (Japan Standard Time is UTC+9 all year:
/// no daylight saving): a contract ending on 3/31 still holds at 23:59 JST on 3/31 (14:59
/// UTC) and has ended at 00:00 JST on 4/1 (15:00 UTC on 3/31).
pub fn japan_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + TimeDelta::hours(9)).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_japanese_day_starts_at_15_00_utc() {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let utc = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time");
        assert_eq!(japan_date(utc("2026-03-31 14:59")), date("2026-03-31"));
        assert_eq!(japan_date(utc("2026-03-31 15:00")), date("2026-04-01"));
    }

    #[test]
    fn advancing_moves_every_clone() {
        let clock = Clock::system();
        let shared = clock.clone();
        let before = shared.now();
        clock.advance(TimeDelta::minutes(61));
        assert!(shared.now() - before >= TimeDelta::minutes(61));
    }
}
