//! The duty record's rules: an activity's states, how an item of a scoring
//! scheme turns occurrences into points (per occurrence, bounded by a yearly
//! cap), which grade band a total falls in, and points written with one
//! decimal. None of these is statute: the seeds leave the scheme to each
//! congress (徐州's 《代表履职评价办法》 「五大项二十六小项」 names four of its
//! items only), so the scheme is data and these functions are its arithmetic.
//! The store sums a year for every deputy in SQL with the same arithmetic
//! ([`crate::store::points::recompute`]); a test holds the two together.

kernel::coded! {
    /// An activity as recorded: a deputy's own entry waits for staff.
    ActivityState {
        Pending = "pending" / "待核实",
        Verified = "verified" / "已核实",
        Rejected = "rejected" / "未通过核实",
    }
}

/// Points are kept in tenths: the schemes in use score in half points.
pub const TENTHS: i64 = 10;

/// Points as users write them ("2", "0.5", "-1"), into tenths.
pub fn parse_points(text: &str) -> Result<i64, String> {
    let t = text.trim().replace('－', "-").replace('．', ".");
    if t.is_empty() {
        return Err("请填写分值".into());
    }
    let (neg, digits) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.as_str()),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.len() <= 4
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac.len() <= 1
        && frac.chars().all(|c| c.is_ascii_digit());
    if !ok {
        return Err(format!("分值“{text}”不正确，应为数字，最多一位小数"));
    }
    let w: i64 = whole.parse().map_err(|_| format!("分值“{text}”不正确"))?;
    let f: i64 = if frac.is_empty() {
        0
    } else {
        frac.parse().map_err(|_| format!("分值“{text}”不正确"))?
    };
    let v = w * TENTHS + f;
    Ok(if neg { -v } else { v })
}

/// Tenths as users read them: "2", "0.5", "-1.5".
pub fn show_points(tenths: i64) -> String {
    let sign = if tenths < 0 { "-" } else { "" };
    let a = tenths.abs();
    if a % TENTHS == 0 {
        format!("{sign}{}", a / TENTHS)
    } else {
        format!("{sign}{}.{}", a / TENTHS, a % TENTHS)
    }
}

/// An item's points for a year: `count` occurrences at `per` each, bounded
/// by the cap (for a deduction, the cap bounds what it takes away). Returns
/// the points and whether the cap applied.
pub fn item_points(per: i64, count: i64, cap: Option<i64>) -> (i64, bool) {
    let raw = per.saturating_mul(count);
    match cap {
        Some(c) if raw > c => (c, true),
        Some(c) if raw < -c => (-c, true),
        _ => (raw, false),
    }
}

/// A grade band: a total of at least `min` (tenths) falls in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    pub name: String,
    pub min: i64,
    pub stars: i64,
}

/// The band a total falls in: the one with the highest threshold the total
/// reaches; none when it reaches no threshold.
pub fn band_of(bands: &[Band], total: i64) -> Option<&Band> {
    bands
        .iter()
        .filter(|b| total >= b.min)
        .max_by_key(|b| b.min)
}

/// The demo's and a new scheme's bands (优秀/称职/基本称职/不称职, as 红花岗
/// publishes stars): thresholds in tenths, each congress edits them.
pub fn default_bands() -> Vec<Band> {
    [
        ("优秀", 900, 5),
        ("称职", 600, 4),
        ("基本称职", 400, 3),
        ("不称职", i64::MIN / 4, 1),
    ]
    .into_iter()
    .map(|(n, m, s)| Band {
        name: n.into(),
        min: m,
        stars: s,
    })
    .collect()
}

/// Stars as text (★★★☆☆), five places.
pub fn stars(n: i64) -> String {
    let n = n.clamp(0, 5) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(5 - n))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn points_are_read_and_shown_with_one_decimal() {
        assert_eq!(parse_points("2"), Ok(20));
        assert_eq!(parse_points("0.5"), Ok(5));
        assert_eq!(parse_points("-1.5"), Ok(-15));
        assert_eq!(parse_points("－2"), Ok(-20));
        assert!(parse_points("1.25").is_err());
        assert!(parse_points("abc").is_err());
        assert!(parse_points("").is_err());
        assert!(parse_points(".5").is_err());
        assert_eq!(show_points(20), "2");
        assert_eq!(show_points(5), "0.5");
        assert_eq!(show_points(-15), "-1.5");
        assert_eq!(show_points(0), "0");
    }

    #[test]
    fn a_cap_bounds_additions_and_deductions() {
        assert_eq!(item_points(20, 3, None), (60, false));
        assert_eq!(item_points(20, 3, Some(50)), (50, true));
        assert_eq!(item_points(20, 3, Some(60)), (60, false));
        assert_eq!(item_points(-20, 4, Some(50)), (-50, true));
        assert_eq!(item_points(-20, 2, Some(50)), (-40, false));
        assert_eq!(item_points(20, 0, Some(50)), (0, false));
    }

    #[test]
    fn a_total_falls_in_the_highest_band_it_reaches() {
        let b = default_bands();
        assert_eq!(band_of(&b, 900).map(|b| b.name.as_str()), Some("优秀"));
        assert_eq!(band_of(&b, 899).map(|b| b.name.as_str()), Some("称职"));
        assert_eq!(band_of(&b, 400).map(|b| b.name.as_str()), Some("基本称职"));
        assert_eq!(band_of(&b, -50).map(|b| b.name.as_str()), Some("不称职"));
        let only_top = vec![Band {
            name: "优秀".into(),
            min: 900,
            stars: 5,
        }];
        assert_eq!(band_of(&only_top, 10), None);
        assert_eq!(stars(3), "★★★☆☆");
    }

    proptest! {
        #[test]
        fn shown_points_read_back(t in -99_999i64..99_999) {
            prop_assert_eq!(parse_points(&show_points(t)), Ok(t));
        }

        #[test]
        fn capped_points_never_exceed_the_cap(per in -100i64..100, n in 0i64..500, cap in 0i64..1000) {
            let (p, capped) = item_points(per, n, Some(cap));
            prop_assert!(p.abs() <= cap);
            prop_assert_eq!(capped, (per * n).abs() > cap);
            prop_assert!(p == per * n || capped);
        }
    }
}
