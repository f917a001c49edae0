//! Time conventions: instants are UTC milliseconds; calendar dates are civil
//! dates in Asia/Shanghai, which has kept UTC+8 without daylight saving since 1991,
//! so a fixed offset is exact and needs no time-zone database.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

pub fn shanghai() -> TimeZone {
    TimeZone::fixed(Offset::constant(8))
}

/// Now, in UTC milliseconds, by the system's clock. Use cases take the time
/// from their context (`Ctx::now_ms`), which a test or the demo loader may
/// set to another moment for itself alone.
pub fn system_now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

/// Now by the system's clock (see [`system_now_ms`]).
pub fn now_ms() -> i64 {
    system_now_ms()
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

/// A time as pages show it: to the minute, in Asia/Shanghai.
pub fn format_minute(ms: i64) -> String {
    zoned(ms).strftime("%Y-%m-%d %H:%M").to_string()
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
