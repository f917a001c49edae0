//! Time conventions: instants are UTC milliseconds; calendar dates are civil
//! dates in Asia/Shanghai, which has kept UTC+8 without daylight saving since 1991,
//! so a fixed offset is exact and needs no time-zone database.

use std::sync::atomic::{AtomicI64, Ordering};

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

pub fn shanghai() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// A simulated "now" for the demo loader, which writes a history that
/// happened over months; `i64::MIN` means the real clock. Nothing but the
/// demo loader sets it, and it resets it before the server starts.
static SIMULATED_NOW: AtomicI64 = AtomicI64::new(i64::MIN);

/// Sets (Some) or clears (None) the simulated clock.
pub fn set_simulated_now(ms: Option<i64>) {
    SIMULATED_NOW.store(ms.unwrap_or(i64::MIN), Ordering::SeqCst);
}

/// Now, in UTC milliseconds.
pub fn now_ms() -> i64 {
    match SIMULATED_NOW.load(Ordering::SeqCst) {
        i64::MIN => Timestamp::now().as_millisecond(),
        simulated => simulated,
    }
}

/// Today's date in Asia/Shanghai.
pub fn today() -> Date {
    date_of_ms(now_ms())
}

/// The civil date in Asia/Shanghai of an instant.
pub fn date_of_ms(ms: i64) -> Date {
    zoned(ms).date()
}

fn zoned(ms: i64) -> Zoned {
    Timestamp::from_millisecond(ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned(shanghai())
}

/// `YYYY-MM-DD HH:MM:SS` in Asia/Shanghai, for display.
pub fn format_ms(ms: i64) -> String {
    zoned(ms).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The first instant (UTC ms) of a civil date in Asia/Shanghai.
pub fn start_of_day_ms(d: Date) -> i64 {
    d.to_zoned(shanghai())
        .map(|z| z.timestamp().as_millisecond())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_is_utc_plus_eight() {
        // 2026-01-01T00:00:00+08:00 is 2025-12-31T16:00:00Z.
        let ms = start_of_day_ms(Date::constant(2026, 1, 1));
        assert_eq!(ms, 1_767_196_800_000);
        assert_eq!(format_ms(ms), "2026-01-01 00:00:00");
        assert_eq!(date_of_ms(ms - 1), Date::constant(2025, 12, 31));
    }
}
