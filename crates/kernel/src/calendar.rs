//! The legal calendar: official rest periods and adjusted working days, and the
//! computation of statutory periods.
//!
//! Periods follow 民法典 第二百零一条 to 第二百零三条. The rest periods and the
//! make-up working days (调休上班) of each year are typed from the State Council's
//! annual notice (国务院办公厅关于XXXX年部分节假日安排的通知). A date in a year with no
//! data is an error, never a guess: a deadline computed on a missing calendar
//! would be silently wrong.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;

/// One year's arrangement as published by the State Council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct YearArrangement {
    pub year: i16,
    /// Official rest periods: first day, last day (inclusive), holiday name.
    pub rest_periods: Vec<RestPeriod>,
    /// Weekend days made working days (调休上班).
    #[schema(value_type = Vec<String>)]
    pub adjusted_workdays: Vec<Date>,
    /// Where the data comes from (the notice's title).
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RestPeriod {
    #[schema(value_type = String, format = Date)]
    pub first: Date,
    #[schema(value_type = String, format = Date)]
    pub last: Date,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("日历中没有 {0} 年的节假日安排，无法计算该日期；请管理员先录入该年度安排")]
    NoData(i16),
    #[error("期间数必须是 1 到 {max} 之间的整数")]
    BadPeriod { max: i64 },
    #[error("{0}")]
    Invalid(String),
}

/// Built-in arrangements, from the State Council's notices:
/// 国办发明电〔2023〕7号 (2024), 国办发明电〔2024〕12号 (2025), and the notice for 2026.
/// Format: (year, [(first, last, name)], [adjusted working days], source).
type BuiltIn = (
    i16,
    &'static [(&'static str, &'static str, &'static str)],
    &'static [&'static str],
    &'static str,
);

const BUILT_IN: &[BuiltIn] = &[
    (
        2024,
        &[
            ("2024-01-01", "2024-01-01", "元旦"),
            ("2024-02-10", "2024-02-17", "春节"),
            ("2024-04-04", "2024-04-06", "清明节"),
            ("2024-05-01", "2024-05-05", "劳动节"),
            ("2024-06-10", "2024-06-10", "端午节"),
            ("2024-09-15", "2024-09-17", "中秋节"),
            ("2024-10-01", "2024-10-07", "国庆节"),
        ],
        &[
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
        ],
        "国务院办公厅关于2024年部分节假日安排的通知",
    ),
    (
        2025,
        &[
            ("2025-01-01", "2025-01-01", "元旦"),
            ("2025-01-28", "2025-02-04", "春节"),
            ("2025-04-04", "2025-04-06", "清明节"),
            ("2025-05-01", "2025-05-05", "劳动节"),
            ("2025-05-31", "2025-06-02", "端午节"),
            ("2025-10-01", "2025-10-08", "国庆节、中秋节"),
        ],
        &[
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
        ],
        "国务院办公厅关于2025年部分节假日安排的通知",
    ),
    (
        2026,
        &[
            ("2026-01-01", "2026-01-03", "元旦"),
            ("2026-02-15", "2026-02-23", "春节"),
            ("2026-04-04", "2026-04-06", "清明节"),
            ("2026-05-01", "2026-05-05", "劳动节"),
            ("2026-06-19", "2026-06-21", "端午节"),
            ("2026-09-25", "2026-09-27", "中秋节"),
            ("2026-10-01", "2026-10-07", "国庆节"),
        ],
        &[
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ],
        "国务院办公厅关于2026年部分节假日安排的通知",
    ),
];

/// The longest period the calculator accepts; far beyond any statutory period,
/// it only keeps a typing error from walking the calendar for ever.
pub const MAX_WORKING_DAYS: i64 = 1000;
pub const MAX_MONTHS: i64 = 120;

impl YearArrangement {
    /// Checks that every date belongs to the year, rest periods are ordered and
    /// do not overlap, and adjusted working days are weekend days outside rest.
    pub fn validate(&self) -> Result<(), CalendarError> {
        let in_year = |d: Date| d.year() == self.year;
        let mut prev_last: Option<Date> = None;
        let mut periods = self.rest_periods.clone();
        periods.sort_by_key(|p| p.first);
        for p in &periods {
            if p.name.trim().is_empty() {
                return Err(CalendarError::Invalid("节假日名称不能为空".into()));
            }
            if p.last < p.first {
                return Err(CalendarError::Invalid(format!(
                    "{} 的结束日期 {} 早于开始日期 {}",
                    p.name, p.last, p.first
                )));
            }
            // A rest period may run into January of the next year (元旦 taken with the weekend
            // after 12-31), but must start in its year.
            if !in_year(p.first) || p.last.year() > self.year + 1 {
                return Err(CalendarError::Invalid(format!(
                    "{} 的日期不属于 {} 年",
                    p.name, self.year
                )));
            }
            if (p.last - p.first).get_days() > 15 {
                return Err(CalendarError::Invalid(format!(
                    "{} 的放假期间超过 15 天",
                    p.name
                )));
            }
            if let Some(prev) = prev_last
                && p.first <= prev
            {
                return Err(CalendarError::Invalid(format!(
                    "{} 与前一个放假期间重叠",
                    p.name
                )));
            }
            prev_last = Some(p.last);
        }
        for d in &self.adjusted_workdays {
            if !in_year(*d) {
                return Err(CalendarError::Invalid(format!(
                    "调休上班日 {d} 不属于 {} 年",
                    self.year
                )));
            }
            if !is_weekend(*d) {
                return Err(CalendarError::Invalid(format!(
                    "调休上班日 {d} 不是周六或周日"
                )));
            }
            if periods.iter().any(|p| p.first <= *d && *d <= p.last) {
                return Err(CalendarError::Invalid(format!(
                    "调休上班日 {d} 落在放假期间内"
                )));
            }
        }
        Ok(())
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[derive(Debug, Clone, Default)]
struct YearData {
    rest: BTreeMap<Date, String>,
    workdays: BTreeSet<Date>,
}

/// The calendar in force: built-in years plus any an administrator added, and
/// (when asked for, [`Calendar::with_provisional`]) provisional years after
/// them, computed from 《全国年节及纪念日放假办法》 ([`crate::holidays`]).
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeMap<i16, YearData>,
    arrangements: BTreeMap<i16, YearArrangement>,
    /// Years without a published arrangement, computed by the rule.
    provisional: BTreeMap<i16, YearData>,
}

/// How many years after the last entered one are computed provisionally.
pub const PROVISIONAL_YEARS: i16 = 10;

/// Why a day was passed over while computing a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SkippedDay {
    #[schema(value_type = String, format = Date)]
    pub date: Date,
    pub reason: String,
}

/// A computed deadline together with how it was computed, so that every party can
/// check it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Deadline {
    #[schema(value_type = String, format = Date)]
    pub start: Date,
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    /// The rule in words, e.g. "自起算日次日起 3 个月（民法典第二百零一条、第二百零二条）".
    pub rule: String,
    /// Days not counted, in order.
    pub skipped: Vec<SkippedDay>,
    /// Years whose arrangement is not published and whose days were counted
    /// provisionally ([`crate::holidays`]); empty for a final deadline.
    pub provisional_years: Vec<i16>,
}

impl Deadline {
    /// One sentence for the interface.
    pub fn explain(&self) -> String {
        let mut s = format!(
            "起算日 {}（不计入）；{}；届满日 {}",
            self.start, self.rule, self.due
        );
        if !self.skipped.is_empty() {
            let rest: Vec<String> = self
                .skipped
                .iter()
                .map(|d| format!("{} {}", d.date, d.reason))
                .collect();
            s.push_str(&format!("；跳过 {} 天：{}", rest.len(), rest.join("、")));
        }
        if let Some(reason) = self.provisional_reason() {
            s.push_str(&format!("；{reason}"));
        }
        s
    }

    /// Whether it was counted on a year not yet published.
    pub fn is_provisional(&self) -> bool {
        !self.provisional_years.is_empty()
    }

    /// Why it is provisional, in one clause (none for a final deadline).
    pub fn provisional_reason(&self) -> Option<String> {
        if self.provisional_years.is_empty() {
            return None;
        }
        let years: Vec<String> = self
            .provisional_years
            .iter()
            .map(|y| y.to_string())
            .collect();
        Some(format!(
            "暂定：{} 年节假日安排尚未发布，按{}推算，录入该年安排后重新计算",
            years.join("、"),
            crate::holidays::CITATION
        ))
    }
}

impl Default for Calendar {
    fn default() -> Self {
        Self::built_in()
    }
}

impl Calendar {
    /// The calendar with the years typed into this program.
    pub fn built_in() -> Self {
        let mut cal = Calendar {
            years: BTreeMap::new(),
            arrangements: BTreeMap::new(),
            provisional: BTreeMap::new(),
        };
        for arr in built_in_arrangements() {
            cal.insert(arr);
        }
        cal
    }

    /// Years typed into this program, as arrangements.
    pub fn built_in_years() -> Vec<i16> {
        BUILT_IN.iter().map(|b| b.0).collect()
    }

    /// Adds a year an administrator entered. Built-in years cannot be replaced:
    /// they are the published notices.
    pub fn add_year(&mut self, arr: YearArrangement) -> Result<(), CalendarError> {
        arr.validate()?;
        if BUILT_IN.iter().any(|b| b.0 == arr.year) {
            return Err(CalendarError::Invalid(format!(
                "{} 年的安排已内置，不能覆盖",
                arr.year
            )));
        }
        self.insert(arr);
        Ok(())
    }

    /// The same calendar, answering for the years after the last entered one
    /// (up to [`PROVISIONAL_YEARS`] of them) by the statutory rule, marked
    /// provisional, instead of refusing them.
    pub fn with_provisional(mut self) -> Self {
        let Some(last) = self.arrangements.keys().next_back().copied() else {
            return self;
        };
        let mut scratch = Calendar {
            years: BTreeMap::new(),
            arrangements: BTreeMap::new(),
            provisional: BTreeMap::new(),
        };
        for year in last + 1..=last + PROVISIONAL_YEARS {
            scratch.insert(crate::holidays::provisional_arrangement(year));
        }
        for (year, data) in scratch.years {
            if self.arrangements.contains_key(&year) {
                // A provisional 元旦 spilling into an entered year cannot happen
                // (periods start in their year), but the entered year wins.
                continue;
            }
            self.provisional.insert(year, data);
        }
        self
    }

    /// Whether a year is answered provisionally.
    pub fn is_provisional(&self, year: i16) -> bool {
        !self.arrangements.contains_key(&year) && self.provisional.contains_key(&year)
    }

    fn insert(&mut self, arr: YearArrangement) {
        let mut data = YearData::default();
        for p in &arr.rest_periods {
            let mut d = p.first;
            loop {
                data.rest.insert(d, p.name.clone());
                match d.tomorrow() {
                    Ok(next) if next <= p.last => d = next,
                    _ => break,
                }
            }
        }
        data.workdays = arr.adjusted_workdays.iter().copied().collect();
        // A rest period running into the next year belongs, for lookup, to the year of each day.
        let mut spill: Vec<(Date, String)> = Vec::new();
        data.rest.retain(|d, name| {
            if d.year() != arr.year {
                spill.push((*d, name.clone()));
                false
            } else {
                true
            }
        });
        for (d, name) in spill {
            self.years.entry(d.year()).or_default().rest.insert(d, name);
        }
        let entry = self.years.entry(arr.year).or_default();
        entry.rest.extend(data.rest);
        entry.workdays.extend(data.workdays);
        self.arrangements.insert(arr.year, arr);
    }

    /// The years with data, ascending.
    pub fn years(&self) -> Vec<i16> {
        self.arrangements.keys().copied().collect()
    }

    pub fn arrangement(&self, year: i16) -> Option<&YearArrangement> {
        self.arrangements.get(&year)
    }

    fn year_data(&self, year: i16) -> Result<&YearData, CalendarError> {
        if !self.arrangements.contains_key(&year) {
            return self
                .provisional
                .get(&year)
                .ok_or(CalendarError::NoData(year));
        }
        self.years.get(&year).ok_or(CalendarError::NoData(year))
    }

    /// Why a day is not a working day, or `None` when it is one.
    ///
    /// A working day is Monday to Friday outside an official rest period, or a
    /// weekend day made a working day by the State Council's arrangement.
    pub fn rest_reason(&self, d: Date) -> Result<Option<String>, CalendarError> {
        let data = self.year_data(d.year())?;
        if let Some(name) = data.rest.get(&d) {
            return Ok(Some(format!("{name}假期")));
        }
        if data.workdays.contains(&d) {
            return Ok(None);
        }
        Ok(match d.weekday() {
            Weekday::Saturday => Some("周六".into()),
            Weekday::Sunday => Some("周日".into()),
            _ => None,
        })
    }

    pub fn is_workday(&self, d: Date) -> Result<bool, CalendarError> {
        Ok(self.rest_reason(d)?.is_none())
    }

    /// `n` working days after `start`. The start day is never counted
    /// (民法典 第二百零一条): day 1 is the first working day after it.
    pub fn add_working_days(&self, start: Date, n: i64) -> Result<Deadline, CalendarError> {
        if !(1..=MAX_WORKING_DAYS).contains(&n) {
            return Err(CalendarError::BadPeriod {
                max: MAX_WORKING_DAYS,
            });
        }
        let mut d = start;
        let mut counted = 0;
        let mut skipped = Vec::new();
        let mut provisional = BTreeSet::new();
        while counted < n {
            d = next_day(d)?;
            if self.is_provisional(d.year()) {
                provisional.insert(d.year());
            }
            match self.rest_reason(d)? {
                None => counted += 1,
                Some(reason) => skipped.push(SkippedDay { date: d, reason }),
            }
        }
        Ok(Deadline {
            start,
            due: d,
            rule: format!("自起算日次日起算 {n} 个工作日（民法典第二百零一条）"),
            skipped,
            provisional_years: provisional.into_iter().collect(),
        })
    }

    /// `n` months after `start` (民法典 第二百零一条 to 第二百零三条): the period
    /// ends on the day of the final month corresponding to the start day, or on
    /// that month's last day where it has no such day (第二百零二条); if that day
    /// is not a working day, on the first working day after it (第二百零三条).
    pub fn add_months(&self, start: Date, n: i64) -> Result<Deadline, CalendarError> {
        if !(1..=MAX_MONTHS).contains(&n) {
            return Err(CalendarError::BadPeriod { max: MAX_MONTHS });
        }
        // jiff clamps to the month's last day, which is exactly 第二百零二条.
        let mut d = start
            .checked_add(n.months())
            .map_err(|_| CalendarError::Invalid("日期超出范围".into()))?;
        let mut skipped = Vec::new();
        let mut provisional = BTreeSet::new();
        let mut rule = format!("自起算日次日起算 {n} 个月，至到期月的对应日");
        if d.day() != start.day() {
            rule.push_str("（到期月无对应日，以该月最后一日为期间的最后一日，民法典第二百零二条）");
        } else {
            rule.push_str("（民法典第二百零一条、第二百零二条）");
        }
        loop {
            if self.is_provisional(d.year()) {
                provisional.insert(d.year());
            }
            let Some(reason) = self.rest_reason(d)? else {
                break;
            };
            skipped.push(SkippedDay { date: d, reason });
            d = next_day(d)?;
        }
        if !skipped.is_empty() {
            rule.push_str("；最后一日为休息日，顺延至休息日结束的次日（民法典第二百零三条）");
        }
        Ok(Deadline {
            start,
            due: d,
            rule,
            skipped,
            provisional_years: provisional.into_iter().collect(),
        })
    }

    /// Working days strictly after `from` up to and including `to` (0 when `to <= from`).
    /// Used to tell how many working days remain before a deadline.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        let mut count = 0;
        let mut d = from;
        while d < to {
            d = next_day(d)?;
            if self.is_workday(d)? {
                count += 1;
            }
        }
        Ok(count)
    }
}

fn next_day(d: Date) -> Result<Date, CalendarError> {
    d.tomorrow()
        .map_err(|_| CalendarError::Invalid("日期超出范围".into()))
}

/// The built-in years as arrangements.
pub fn built_in_arrangements() -> Vec<YearArrangement> {
    BUILT_IN
        .iter()
        .map(|(year, periods, workdays, source)| YearArrangement {
            year: *year,
            rest_periods: periods
                .iter()
                .map(|(a, b, name)| RestPeriod {
                    first: parse_builtin(a),
                    last: parse_builtin(b),
                    name: (*name).to_string(),
                })
                .collect(),
            adjusted_workdays: workdays.iter().map(|d| parse_builtin(d)).collect(),
            source: (*source).to_string(),
        })
        .collect()
}

fn parse_builtin(s: &str) -> Date {
    // The table above is checked by the tests; a typo there is a build-time defect.
    s.parse().unwrap_or(Date::constant(1970, 1, 1))
}

/// Parses an ISO date `YYYY-MM-DD`, with a Chinese message on failure.
pub fn parse_date(s: &str) -> Result<Date, CalendarError> {
    let t = s.trim();
    if t.len() != 10 {
        return Err(CalendarError::Invalid(format!(
            "日期“{t}”格式不正确，应为 YYYY-MM-DD"
        )));
    }
    t.parse::<Date>().map_err(|_| {
        CalendarError::Invalid(format!("日期“{t}”不存在或格式不正确，应为 YYYY-MM-DD"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().expect("test date")
    }

    fn cal() -> Calendar {
        Calendar::built_in()
    }

    #[test]
    fn built_in_table_is_valid_and_parses() {
        for arr in built_in_arrangements() {
            arr.validate().expect("built-in year valid");
            assert!(arr.rest_periods.iter().all(|p| p.first.year() == arr.year));
        }
        assert_eq!(Calendar::built_in_years(), vec![2024, 2025, 2026]);
    }

    #[test]
    fn plain_weekdays_and_weekends() {
        let c = cal();
        assert!(c.is_workday(d("2026-11-23")).expect("data")); // Monday
        assert!(!c.is_workday(d("2026-11-22")).expect("data")); // Sunday
        assert!(!c.is_workday(d("2026-11-21")).expect("data")); // Saturday
    }

    #[test]
    fn official_rest_days_are_not_workdays() {
        let c = cal();
        for day in [
            "2024-02-16",
            "2025-02-03",
            "2025-10-08",
            "2026-02-23",
            "2026-01-02",
        ] {
            assert!(!c.is_workday(d(day)).expect("data"), "{day}");
        }
    }

    #[test]
    fn adjusted_weekend_days_are_workdays() {
        let c = cal();
        for day in [
            "2024-02-04",
            "2024-02-18",
            "2024-04-07",
            "2024-04-28",
            "2024-05-11",
            "2024-09-14",
            "2024-09-29",
            "2024-10-12",
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ] {
            assert!(is_weekend(d(day)), "{day} is a weekend day");
            assert!(c.is_workday(d(day)).expect("data"), "{day}");
        }
    }

    #[test]
    fn a_year_without_data_is_an_error_not_a_guess() {
        let c = cal();
        assert_eq!(
            c.is_workday(d("2027-03-01")),
            Err(CalendarError::NoData(2027))
        );
        assert_eq!(
            c.is_workday(d("2023-12-29")),
            Err(CalendarError::NoData(2023))
        );
        // A period that runs past the data is refused, too.
        assert_eq!(
            c.add_working_days(d("2026-12-30"), 5).map(|x| x.due),
            Err(CalendarError::NoData(2027))
        );
    }

    #[test]
    fn start_day_is_never_counted() {
        let c = cal();
        // Monday 2026-11-23 + 1 working day = Tuesday.
        assert_eq!(
            c.add_working_days(d("2026-11-23"), 1).expect("ok").due,
            d("2026-11-24")
        );
        // Starting on a Friday: next working day is Monday.
        let dl = c.add_working_days(d("2026-11-20"), 1).expect("ok");
        assert_eq!(dl.due, d("2026-11-23"));
        assert_eq!(dl.skipped.len(), 2);
        // Starting on a Sunday: Monday is day 1.
        assert_eq!(
            c.add_working_days(d("2026-11-22"), 1).expect("ok").due,
            d("2026-11-23")
        );
    }

    #[test]
    fn working_days_cross_the_spring_festival_and_its_make_up_days() {
        let c = cal();
        // 2026-02-13 (Fri) + 1: 02-14 (Sat) is a make-up working day.
        assert_eq!(
            c.add_working_days(d("2026-02-13"), 1).expect("ok").due,
            d("2026-02-14")
        );
        // 2026-02-14 + 1: 02-15..02-23 rest, so 02-24.
        let dl = c.add_working_days(d("2026-02-14"), 1).expect("ok");
        assert_eq!(dl.due, d("2026-02-24"));
        assert_eq!(dl.skipped.len(), 9);
        assert!(dl.skipped[0].reason.contains("春节"));
        // 7 working days from assignment on 2026-02-12 (Thu): 13, 14(Sat, make-up), 24, 25, 26, 27, 28(Sat, make-up).
        assert_eq!(
            c.add_working_days(d("2026-02-12"), 7).expect("ok").due,
            d("2026-02-28")
        );
    }

    #[test]
    fn working_days_across_a_year_boundary() {
        let c = cal();
        // 2024-12-31 (Tue) + 1: 2025-01-01 is 元旦, so 2025-01-02.
        assert_eq!(
            c.add_working_days(d("2024-12-31"), 1).expect("ok").due,
            d("2025-01-02")
        );
        // 2025-12-31 + 1: 2026-01-01..03 rest, 01-04 (Sun) make-up working day.
        assert_eq!(
            c.add_working_days(d("2025-12-31"), 1).expect("ok").due,
            d("2026-01-04")
        );
    }

    #[test]
    fn months_end_on_the_corresponding_day() {
        let c = cal();
        // 2026-03-10 + 3 months = 2026-06-10 (Wed).
        let dl = c.add_months(d("2026-03-10"), 3).expect("ok");
        assert_eq!(dl.due, d("2026-06-10"));
        assert!(dl.skipped.is_empty());
    }

    #[test]
    fn months_without_the_corresponding_day_end_on_the_last_day() {
        let c = cal();
        // 2025-11-30 + 3 months: 2026-02-30 does not exist -> 02-28, a make-up working day (Sat).
        let dl = c.add_months(d("2025-11-30"), 3).expect("ok");
        assert_eq!(dl.due, d("2026-02-28"));
        assert!(dl.rule.contains("第二百零二条"));
        // 2024-08-31 + 6 months = 2025-02-28 (Fri).
        assert_eq!(
            c.add_months(d("2024-08-31"), 6).expect("ok").due,
            d("2025-02-28")
        );
        // Leap year: 2023-11-29 has no data, but 2024-01-31 + 1 month = 2024-02-29 (Thu).
        assert_eq!(
            c.add_months(d("2024-01-31"), 1).expect("ok").due,
            d("2024-02-29")
        );
    }

    #[test]
    fn months_ending_on_a_rest_day_move_to_the_next_working_day() {
        let c = cal();
        // 2025-07-01 + 3 months = 2025-10-01, in the National Day rest 10-01..10-08; 10-09 is Thursday.
        let dl = c.add_months(d("2025-07-01"), 3).expect("ok");
        assert_eq!(dl.due, d("2025-10-09"));
        assert_eq!(dl.skipped.len(), 8);
        assert!(dl.rule.contains("第二百零三条"));
        // Ending on a Saturday that is an ordinary weekend: move to Monday.
        // 2026-08-22 + 3 months = 2026-11-22 (Sun) -> 11-23.
        assert_eq!(
            c.add_months(d("2026-08-22"), 3).expect("ok").due,
            d("2026-11-23")
        );
        // Ending on a make-up working day stays: 2026-07-10 + 3 months = 2026-10-10 (Sat, make-up).
        assert_eq!(
            c.add_months(d("2026-07-10"), 3).expect("ok").due,
            d("2026-10-10")
        );
    }

    #[test]
    fn period_bounds() {
        let c = cal();
        assert!(matches!(
            c.add_months(d("2026-01-05"), 0),
            Err(CalendarError::BadPeriod { .. })
        ));
        assert!(matches!(
            c.add_working_days(d("2026-01-05"), -1),
            Err(CalendarError::BadPeriod { .. })
        ));
        assert!(matches!(
            c.add_working_days(d("2026-01-05"), MAX_WORKING_DAYS + 1),
            Err(CalendarError::BadPeriod { .. })
        ));
    }

    #[test]
    fn explanation_names_start_rule_and_skipped_days() {
        let dl = cal().add_months(d("2025-07-01"), 3).expect("ok");
        let e = dl.explain();
        assert!(e.contains("2025-07-01"));
        assert!(e.contains("2025-10-09"));
        assert!(e.contains("国庆节"));
    }

    fn arr_2027() -> YearArrangement {
        YearArrangement {
            year: 2027,
            rest_periods: vec![RestPeriod {
                first: d("2027-01-01"),
                last: d("2027-01-03"),
                name: "元旦".into(),
            }],
            adjusted_workdays: vec![d("2027-01-09")],
            source: "test".into(),
        }
    }

    #[test]
    fn an_added_year_is_used() {
        let mut c = cal();
        c.add_year(arr_2027()).expect("valid");
        assert!(!c.is_workday(d("2027-01-01")).expect("data"));
        assert!(c.is_workday(d("2027-01-09")).expect("data")); // Saturday make-up
        assert_eq!(
            c.add_working_days(d("2026-12-31"), 1).expect("ok").due,
            d("2027-01-04")
        );
    }

    #[test]
    fn bad_arrangements_are_refused() {
        let mut c = cal();
        let mut a = arr_2027();
        a.adjusted_workdays = vec![d("2027-01-05")]; // a Tuesday
        assert!(c.add_year(a).is_err());
        let mut a = arr_2027();
        a.adjusted_workdays = vec![d("2027-01-02")]; // inside the rest period
        assert!(c.add_year(a).is_err());
        let mut a = arr_2027();
        a.rest_periods.push(RestPeriod {
            first: d("2027-01-02"),
            last: d("2027-01-04"),
            name: "x".into(),
        });
        assert!(c.add_year(a).is_err());
        let mut a = arr_2027();
        a.year = 2026;
        assert!(c.add_year(a).is_err(), "built-in years cannot be replaced");
    }

    #[test]
    fn parse_date_messages() {
        assert_eq!(parse_date("2026-02-28"), Ok(d("2026-02-28")));
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026/02/28").is_err());
        assert!(parse_date("26-2-8").is_err());
    }

    proptest::proptest! {
        #[test]
        fn working_day_results_are_working_days_and_later(day in 0i64..700, n in 1i64..60) {
            let c = cal();
            let start = d("2024-01-01").checked_add(day.days()).expect("in range");
            if let Ok(dl) = c.add_working_days(start, n) {
                proptest::prop_assert!(dl.due > start);
                proptest::prop_assert!(c.is_workday(dl.due).expect("data"));
                proptest::prop_assert_eq!(c.working_days_between(start, dl.due).expect("data"), n);
            }
        }

        #[test]
        fn month_results_are_working_days_not_before_the_corresponding_day(day in 0i64..700, n in 1i64..7) {
            let c = cal();
            let start = d("2024-01-01").checked_add(day.days()).expect("in range");
            if let Ok(dl) = c.add_months(start, n) {
                let nominal = start.checked_add(n.months()).expect("in range");
                proptest::prop_assert!(dl.due >= nominal);
                proptest::prop_assert!(c.is_workday(dl.due).expect("data"));
                proptest::prop_assert_eq!(dl.skipped.len() as i64, i64::from((dl.due - nominal).get_days()));
            }
        }
    }
    #[test]
    fn a_year_without_an_arrangement_is_counted_provisionally_when_asked() {
        let strict = Calendar::built_in();
        let cal = Calendar::built_in().with_provisional();
        let start = d("2026-12-02");
        assert_eq!(
            strict.add_months(start, 3),
            Err(CalendarError::NoData(2027)),
            "without the rule, no guess"
        );
        let due = cal.add_months(start, 3).expect("provisional");
        assert_eq!(due.due, d("2027-03-02"));
        assert_eq!(due.provisional_years, [2027]);
        assert!(due.explain().contains("暂定：2027 年节假日安排尚未发布"));
        // Inside a published year nothing is provisional.
        let final_due = cal.add_months(d("2026-03-10"), 3).expect("final");
        assert!(!final_due.is_provisional());
        // 2027's 春节 by the rule: 02-05 to 02-08, made up on 02-09 and 02-10.
        assert!(!cal.is_workday(d("2027-02-09")).expect("day"));
        assert!(cal.is_workday(d("2027-02-11")).expect("day"));
        let wd = cal
            .add_working_days(d("2027-02-04"), 1)
            .expect("provisional");
        assert_eq!(wd.due, d("2027-02-11"));
        assert_eq!(wd.skipped.len(), 6);
    }
}
