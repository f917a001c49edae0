//! Chinese numerals as congresses write ordinals: 第十九届, 第三十一次会议.

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// `n` in Chinese numerals, as used in the names of terms and meetings
/// (十九, 三十一, 一百零五). Numbers past 9999 are written in Arabic digits,
/// which no term or meeting reaches.
pub fn chinese(n: u32) -> String {
    if n >= 10_000 {
        return n.to_string();
    }
    if n < 10 {
        return DIGITS[n as usize].to_string();
    }
    if n < 20 {
        // 十, 十一 … 十九: no leading 一 below twenty.
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        );
    }
    let parts = [
        (n / 1000, "千"),
        ((n / 100) % 10, "百"),
        ((n / 10) % 10, "十"),
        (n % 10, ""),
    ];
    let mut out = String::new();
    let mut zero = false;
    for (d, unit) in parts {
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push_str(DIGITS[d as usize]);
        out.push_str(unit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::chinese;

    #[test]
    fn ordinals_of_terms_and_meetings() {
        let cases = [
            (1, "一"),
            (6, "六"),
            (10, "十"),
            (11, "十一"),
            (19, "十九"),
            (20, "二十"),
            (31, "三十一"),
            (33, "三十三"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
            (1010, "一千零一十"),
        ];
        for (n, s) in cases {
            assert_eq!(chinese(n), s, "{n}");
        }
        assert_eq!(chinese(0), "零");
        assert_eq!(chinese(12_345), "12345");
    }
}
