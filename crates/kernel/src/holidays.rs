//! The statutory holidays of 《全国年节及纪念日放假办法》, for a year whose
//! State Council arrangement is not published yet.
//!
//! The State Council's notice (国务院办公厅关于XXXX年部分节假日安排的通知) comes out
//! in the autumn before its year, and adds adjusted working weekends
//! (调休) that no rule predicts. Until then a deadline falling in that year is
//! computed *provisionally* from what the law fixes: weekends, the statutory
//! days of 第二条, and the make-up of 第六条; it is shown as 暂定 and computed
//! again once the year's arrangement is entered. Lunar dates and the solar
//! term of 清明 come from `tyme4rs` (its conversion follows 寿星天文历).

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

use crate::calendar::{RestPeriod, YearArrangement};

crate::coded! {
    /// The festivals of 第二条 on which everyone has a holiday.
    Festival {
        NewYear = "new_year" / "元旦",
        SpringFestival = "spring_festival" / "春节",
        Qingming = "qingming" / "清明节",
        Labour = "labour" / "劳动节",
        DragonBoat = "dragon_boat" / "端午节",
        MidAutumn = "mid_autumn" / "中秋节",
        National = "national" / "国庆节",
    }
}

/// Where the provisional rule comes from, as the interface cites it.
pub const CITATION: &str = "《全国年节及纪念日放假办法》第二条、第六条";

/// The version of 第二条 in force in a year: the 2024 revision (国务院令第793号,
/// in force 2025-01-01) added 除夕 to 春节 and 5-02 to 劳动节.
fn revised(year: i16) -> bool {
    year >= 2025
}

fn date(y: i16, m: i8, d: i8) -> Option<Date> {
    Date::new(y, m, d).ok()
}

fn of_solar(s: SolarDay) -> Option<Date> {
    date(
        i16::try_from(s.get_year()).ok()?,
        i8::try_from(s.get_month()).ok()?,
        i8::try_from(s.get_day()).ok()?,
    )
}

/// The Gregorian date of a lunar date (in a non-leap month).
fn lunar(year: i16, month: i8, day: i8) -> Option<Date> {
    let l = LunarDay::new(
        isize::from(year),
        isize::from(month),
        usize::try_from(day).ok()?,
    )
    .ok()?;
    of_solar(l.get_solar_day())
}

/// The statutory days of a year by 第二条 (as in force that year), in date
/// order: 元旦 1-01; 春节 除夕 (from 2025) and 正月初一 to 初三; 清明 on the day of
/// the solar term; 劳动节 5-01 (and 5-02 from 2025); 端午 五月初五; 中秋 八月十五;
/// 国庆 10-01 to 10-03. A 除夕 that falls in the previous Gregorian year is that
/// year's, not this one's.
pub fn statutory_days(year: i16) -> Vec<(Festival, Date)> {
    let mut v = Vec::new();
    let mut push = |f: Festival, d: Option<Date>| {
        if let Some(d) = d.filter(|d| d.year() == year) {
            v.push((f, d));
        }
    };
    push(Festival::NewYear, date(year, 1, 1));
    if let Some(new_year) = lunar(year, 1, 1) {
        if revised(year) {
            push(Festival::SpringFestival, new_year.yesterday().ok());
        }
        for k in 0..3 {
            push(
                Festival::SpringFestival,
                new_year.checked_add(k.days()).ok(),
            );
        }
    }
    push(
        Festival::Qingming,
        of_solar(SolarTerm::from_name(isize::from(year), "清明").get_solar_day()),
    );
    push(Festival::Labour, date(year, 5, 1));
    if revised(year) {
        push(Festival::Labour, date(year, 5, 2));
    }
    push(Festival::DragonBoat, lunar(year, 5, 5));
    push(Festival::MidAutumn, lunar(year, 8, 15));
    for d in 1..=3 {
        push(Festival::National, date(year, 10, d));
    }
    // 除夕 of next year's 春节 can fall on 12-31 of this one (it does not before 2100, but the rule is the rule).
    if revised(year + 1)
        && let Some(eve) = lunar(year + 1, 1, 1).and_then(|d| d.yesterday().ok())
        && eve.year() == year
    {
        v.push((Festival::SpringFestival, eve));
    }
    v.sort_by_key(|(_, d)| *d);
    v
}

fn weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The provisional arrangement of a year without a published one: the
/// statutory days of 第二条 and, by 第六条 (「全体公民放假的假日，如果适逢周六、周日，
/// 应当在工作日补假」), for each of them that falls on a weekend one make-up day,
/// taken as the first working day after that festival's days. Adjusted working
/// weekends (调休) are not predictable and none is assumed.
pub fn provisional_arrangement(year: i16) -> YearArrangement {
    // A day that is two festivals' (中秋 on 10-03) is one day off, owed once.
    let mut days = statutory_days(year);
    days.dedup_by_key(|(_, d)| *d);
    let mut rest: Vec<(Festival, Date)> = days.clone();
    for f in Festival::ALL {
        let mine: Vec<Date> = days
            .iter()
            .filter(|(g, _)| g == f)
            .map(|(_, d)| *d)
            .collect();
        let owed = mine.iter().filter(|d| weekend(**d)).count();
        let Some(last) = mine.iter().max().copied() else {
            continue;
        };
        let mut d = last;
        let mut given = 0;
        while given < owed {
            let Ok(next) = d.tomorrow() else { break };
            d = next;
            if weekend(d) || rest.iter().any(|(_, r)| *r == d) {
                continue;
            }
            rest.push((*f, d));
            given += 1;
        }
    }
    rest.sort_by_key(|(_, d)| *d);
    // One rest period per run of consecutive days of the same festival.
    let mut periods: Vec<RestPeriod> = Vec::new();
    for (f, d) in rest {
        if let Some(p) = periods.last_mut()
            && p.name == f.label()
            && p.last.tomorrow().ok() == Some(d)
        {
            p.last = d;
            continue;
        }
        periods.push(RestPeriod {
            first: d,
            last: d,
            name: f.label().to_string(),
        });
    }
    YearArrangement {
        year,
        rest_periods: periods,
        adjusted_workdays: Vec::new(),
        source: format!("暂定：{year} 年节假日安排尚未发布，按{CITATION}推算"),
    }
}

/// The statutory days an entered arrangement leaves out: each festival of
/// 第二条 must have a rest period named after it (元旦, 春节, 清明, 劳动, 端午,
/// 中秋, 国庆 in its name) covering every one of its statutory days.
pub fn missing_statutory(arr: &YearArrangement) -> Vec<(Festival, Date)> {
    statutory_days(arr.year)
        .into_iter()
        .filter(|(f, d)| {
            let short: String = f.label().chars().take(2).collect();
            !arr.rest_periods
                .iter()
                .any(|p| p.name.contains(&short) && p.first <= *d && *d <= p.last)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::Calendar;

    fn d(s: &str) -> Date {
        s.parse().expect("date")
    }

    #[test]
    fn the_festivals_of_2024_to_2026_fall_where_the_state_council_put_them() {
        // Every statutory day the rule computes lies in a published rest period.
        let cal = Calendar::built_in();
        for year in [2024, 2025, 2026] {
            let arr = cal.arrangement(year).expect("built in");
            for (f, day) in statutory_days(year) {
                assert!(
                    arr.rest_periods.iter().any(|p| p.first <= day
                        && day <= p.last
                        && p.name.contains(&f.label()[..6])),
                    "{year} {f}: {day} is not in a published rest period"
                );
            }
        }
    }

    #[test]
    fn lunar_dates_and_the_solar_term() {
        let days = statutory_days(2026);
        let of = |f: Festival| -> Vec<Date> {
            days.iter()
                .filter(|(g, _)| *g == f)
                .map(|(_, d)| *d)
                .collect()
        };
        assert_eq!(
            of(Festival::SpringFestival),
            [
                d("2026-02-16"),
                d("2026-02-17"),
                d("2026-02-18"),
                d("2026-02-19")
            ]
        );
        assert_eq!(of(Festival::Qingming), [d("2026-04-05")]);
        assert_eq!(of(Festival::DragonBoat), [d("2026-06-19")]);
        assert_eq!(of(Festival::MidAutumn), [d("2026-09-25")]);
        let days = statutory_days(2025);
        assert!(
            days.contains(&(Festival::SpringFestival, d("2025-01-28"))),
            "除夕 2025"
        );
        assert!(days.contains(&(Festival::Qingming, d("2025-04-04"))));
        // Before the 2024 revision: no 除夕, one day of 劳动节.
        let days = statutory_days(2024);
        assert!(!days.contains(&(Festival::SpringFestival, d("2024-02-09"))));
        assert!(days.contains(&(Festival::SpringFestival, d("2024-02-10"))));
        assert!(!days.contains(&(Festival::Labour, d("2024-05-02"))));
        assert_eq!(days.len(), 11);
        assert_eq!(statutory_days(2027).len(), 13, "13 days from 2025 on");
    }

    #[test]
    fn a_day_of_two_festivals_is_one_day_off() {
        // 2028: 中秋 is 10-03, a day of 国庆 too.
        let days = statutory_days(2028);
        assert!(days.contains(&(Festival::MidAutumn, d("2028-10-03"))));
        assert!(days.contains(&(Festival::National, d("2028-10-03"))));
        let arr = provisional_arrangement(2028);
        assert!(arr.validate().is_ok(), "{arr:?}");
    }

    #[test]
    fn an_arrangement_must_cover_every_statutory_day() {
        let cal = Calendar::built_in();
        for year in [2024, 2025, 2026] {
            assert_eq!(
                missing_statutory(cal.arrangement(year).expect("built in")),
                []
            );
        }
        let mut arr = provisional_arrangement(2027);
        assert_eq!(missing_statutory(&arr), []);
        // 春节 typed from 初一: 除夕 is missing; 国庆 left out altogether.
        arr.rest_periods.retain(|p| p.name != "国庆节");
        if let Some(p) = arr.rest_periods.iter_mut().find(|p| p.name == "春节") {
            p.first = d("2027-02-06");
        }
        let missing = missing_statutory(&arr);
        assert_eq!(missing[0], (Festival::SpringFestival, d("2027-02-05")));
        assert_eq!(
            missing
                .iter()
                .filter(|(f, _)| *f == Festival::National)
                .count(),
            3
        );
    }

    #[test]
    fn a_statutory_day_on_a_weekend_is_made_up_after_its_festival() {
        // 2027: 春节 is 02-05 (Fri) to 02-08 (Mon); 初一 and 初二 fall on the weekend,
        // so 02-09 and 02-10 are made up. 元旦 is a Friday: nothing to make up.
        let arr = provisional_arrangement(2027);
        let spring = arr
            .rest_periods
            .iter()
            .find(|p| p.name == "春节")
            .expect("春节");
        assert_eq!(
            (spring.first, spring.last),
            (d("2027-02-05"), d("2027-02-10"))
        );
        let new_year = arr
            .rest_periods
            .iter()
            .find(|p| p.name == "元旦")
            .expect("元旦");
        assert_eq!(
            (new_year.first, new_year.last),
            (d("2027-01-01"), d("2027-01-01"))
        );
        // 国庆 2027: 10-01 Fri, 10-02 Sat, 10-03 Sun: two days made up, 10-04 and 10-05.
        let national = arr
            .rest_periods
            .iter()
            .find(|p| p.name == "国庆节")
            .expect("国庆");
        assert_eq!(
            (national.first, national.last),
            (d("2027-10-01"), d("2027-10-05"))
        );
        assert!(arr.adjusted_workdays.is_empty(), "no 调休 is assumed");
        assert!(arr.source.contains("暂定"));
        // The arrangement passes the calendar's own checks.
        assert!(arr.validate().is_ok());
    }
}
