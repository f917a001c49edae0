//! Validated identifiers. Each type is built only through `parse`, which returns a
//! Chinese message naming what is wrong; holding one means the value is valid.

use std::fmt;

use jiff::civil::Date;
use serde::{Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct IdError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, IdError> {
    Err(IdError(msg.into()))
}

/// 公民身份号码 per GB 11643-1999: 17 digits (6-digit address code, 8-digit birth
/// date, 3-digit sequence) and a check character computed by ISO 7064 MOD 11-2.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdCardNo(String);

/// Weights of ISO 7064 MOD 11-2 for the 17 body digits (GB 11643-1999 §7).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The check character of an ID number's first 17 digits (GB 11643-1999).
pub fn id_card_check_char(body: &str) -> Option<char> {
    if body.len() != 17 || !body.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = body
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    Some(ID_CHECK[(sum % 11) as usize] as char)
}

impl IdCardNo {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim().to_ascii_uppercase();
        if t.chars().count() != 18 {
            return err("身份证号应为 18 位");
        }
        // Only ASCII may be split by byte position (the fuzzer found the
        // panic of an 18-character number with a Chinese character in it).
        if !t.is_ascii() {
            return err("身份证号只能由数字和末位的 X 组成");
        }
        let (body, check) = t.split_at(17);
        if !body.bytes().all(|b| b.is_ascii_digit()) {
            return err("身份证号前 17 位应为数字");
        }
        if !check.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
            return err("身份证号最后一位应为数字或 X");
        }
        if !(11..=91).contains(&body[0..2].parse::<u32>().unwrap_or(0)) {
            return err("身份证号的地址码不正确");
        }
        let y: i16 = body[6..10].parse().unwrap_or(0);
        let m: i8 = body[10..12].parse().unwrap_or(0);
        let d: i8 = body[12..14].parse().unwrap_or(0);
        let Ok(birth) = Date::new(y, m, d) else {
            return err("身份证号中的出生日期不存在");
        };
        if y < 1900 || birth > crate::time::today() {
            return err("身份证号中的出生日期不合理");
        }
        match id_card_check_char(body) {
            Some(c) if check.starts_with(c) => Ok(IdCardNo(t)),
            _ => err("身份证号校验位不正确"),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The birth date encoded in the number.
    pub fn birth_date(&self) -> Date {
        let y: i16 = self.0[6..10].parse().unwrap_or(1970);
        let m: i8 = self.0[10..12].parse().unwrap_or(1);
        let d: i8 = self.0[12..14].parse().unwrap_or(1);
        Date::new(y, m, d).unwrap_or(Date::constant(1970, 1, 1))
    }

    /// Odd sequence digit: male; even: female (GB 11643-1999 §6.3).
    pub fn gender(&self) -> Gender {
        let seq = self.0.as_bytes()[16] - b'0';
        if seq % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    /// Shown in lists: first 3 and last 4 characters.
    pub fn masked(&self) -> String {
        mask_id_card(&self.0)
    }
}

impl fmt::Debug for IdCardNo {
    // Never print a whole ID number into a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IdCardNo({})", self.masked())
    }
}

pub fn mask_id_card(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }
    pub fn parse(s: &str) -> Result<Self, IdError> {
        match s.trim() {
            "男" | "male" | "M" => Ok(Gender::Male),
            "女" | "female" | "F" => Ok(Gender::Female),
            other => err(format!("性别“{other}”不正确，应为 男 或 女")),
        }
    }
}

/// 统一社会信用代码 per GB 32100-2015: 18 characters from a 31-character set
/// (digits and capital letters without I, O, Z, S, V); the last is a check
/// character computed with weights 3^(i) mod 31.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreditCode(String);

const CREDIT_CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CREDIT_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// The check character of a credit code's first 17 characters (GB 32100-2015 §5).
pub fn credit_code_check_char(body: &str) -> Option<char> {
    if body.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in body.chars().zip(CREDIT_WEIGHTS) {
        let v = CREDIT_CHARSET.find(c)? as u32;
        sum += v * w;
    }
    let r = (31 - sum % 31) % 31;
    CREDIT_CHARSET.chars().nth(r as usize)
}

impl CreditCode {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim().to_ascii_uppercase();
        if t.chars().count() != 18 {
            return err("统一社会信用代码应为 18 位");
        }
        if let Some(bad) = t.chars().find(|c| !CREDIT_CHARSET.contains(*c)) {
            return err(format!(
                "统一社会信用代码含有不允许的字符“{bad}”（不使用 I、O、Z、S、V）"
            ));
        }
        if !t[2..8].bytes().all(|b| b.is_ascii_digit()) {
            return err("统一社会信用代码第 3 至 8 位应为行政区划码");
        }
        let (body, check) = t.split_at(17);
        match credit_code_check_char(body) {
            Some(c) if check.starts_with(c) => Ok(CreditCode(t)),
            _ => err("统一社会信用代码校验位不正确"),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Level of an administrative division, read from the shape of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    Township,
}

impl RegionLevel {
    pub fn code(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::Township => "township",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RegionLevel::Province => "省级",
            RegionLevel::City => "地级",
            RegionLevel::County => "县级",
            RegionLevel::Township => "乡级",
        }
    }
}

/// 行政区划代码: 6 digits per GB/T 2260 down to county level (2 province, 2 city,
/// 2 county digits), and 9 digits for townships (the county code and 3 digits,
/// per the statistical division code rules).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode(String);

impl RegionCode {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim();
        if !(t.len() == 6 || t.len() == 9) || !t.bytes().all(|b| b.is_ascii_digit()) {
            return err("行政区划代码应为 6 位（县级及以上）或 9 位（乡级）数字");
        }
        let province: u32 = t[0..2].parse().unwrap_or(0);
        if !(11..=82).contains(&province) {
            return err("行政区划代码前两位不是有效的省级代码");
        }
        if t.len() == 6 && &t[2..4] == "00" && &t[4..6] != "00" {
            return err("行政区划代码不正确：地级位为 00 时县级位也应为 00");
        }
        if t.len() == 9 && (&t[4..6] == "00" || &t[6..9] == "000") {
            return err("乡级行政区划代码应为所属县级代码加 3 位非零序号");
        }
        Ok(RegionCode(t.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        if self.0.len() == 9 {
            RegionLevel::Township
        } else if &self.0[2..6] == "0000" {
            RegionLevel::Province
        } else if &self.0[4..6] == "00" {
            RegionLevel::City
        } else {
            RegionLevel::County
        }
    }

    /// The code of the division this one belongs to, read from its shape.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::City => Some(RegionCode(format!("{}0000", &self.0[0..2]))),
            RegionLevel::County => Some(RegionCode(format!("{}00", &self.0[0..4]))),
            RegionLevel::Township => Some(RegionCode(self.0[0..6].to_string())),
        }
    }

    /// Checks a stated parent against the code's shape.
    ///
    /// A county directly under a province (省直辖县级行政区划, e.g. 429004) has the
    /// province-level group code 4290 00 as its parent in GB/T 2260, which the
    /// shape rule covers; a city-level code may also sit directly under its province.
    pub fn check_parent(&self, parent: Option<&RegionCode>) -> Result<(), IdError> {
        let expected = self.parent();
        match (expected, parent) {
            (None, None) => Ok(()),
            (None, Some(_)) => err("省级行政区划没有上级"),
            (Some(e), Some(p)) if &e == p => Ok(()),
            (Some(e), Some(p)) => err(format!(
                "上级代码 {} 与本级代码 {} 不一致，应为 {}",
                p.0, self.0, e.0
            )),
            (Some(e), None) => err(format!("缺少上级行政区划（应为 {}）", e.0)),
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A phone number: a mainland mobile number (11 digits starting 1[3-9]) or a
/// landline with area code (0 and 2–3 digits, then 7–8 digits, hyphen optional).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNo(String);

impl PhoneNo {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t: String = s.trim().chars().filter(|c| *c != ' ').collect();
        let b = t.as_bytes();
        let mobile = b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit);
        if mobile {
            return Ok(PhoneNo(t));
        }
        let (area, num) = match t.split_once('-') {
            Some((a, n)) => (a.to_string(), n.to_string()),
            None => return err("电话号码应为 11 位手机号，或带区号的固定电话（如 0898-12345678）"),
        };
        let landline = area.starts_with('0')
            && (3..=4).contains(&area.len())
            && area.bytes().all(|c| c.is_ascii_digit())
            && (7..=8).contains(&num.len())
            && num.bytes().all(|c| c.is_ascii_digit());
        if landline {
            Ok(PhoneNo(t))
        } else {
            err("电话号码应为 11 位手机号，或带区号的固定电话（如 0898-12345678）")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl fmt::Debug for PhoneNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PhoneNo({})", self.masked())
    }
}

/// 138****5678 for a mobile; area code kept and the middle hidden for a landline.
pub fn mask_phone(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if let Some(pos) = chars.iter().position(|c| *c == '-') {
        let area: String = chars[..=pos].iter().collect();
        let rest = &chars[pos + 1..];
        if rest.len() < 4 {
            return format!("{area}****");
        }
        let tail: String = rest[rest.len() - 4..].iter().collect();
        return format!("{area}****{tail}");
    }
    if chars.len() < 7 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 7))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Builds a valid ID number from a 17-digit body.
    fn id_with_check(body: &str) -> String {
        format!("{body}{}", id_card_check_char(body).expect("17 digits"))
    }

    #[test]
    fn id_card_known_check_characters() {
        // The worked example of GB 11643-1999: 11010519491231002X.
        assert_eq!(id_card_check_char("11010519491231002"), Some('X'));
        assert!(IdCardNo::parse("11010519491231002X").is_ok());
        assert!(
            IdCardNo::parse("11010519491231002x").is_ok(),
            "lower-case x accepted"
        );
    }

    #[test]
    fn id_card_errors_name_the_problem() {
        let e = |s: &str| IdCardNo::parse(s).err().map(|e| e.0).unwrap_or_default();
        assert!(e("1101051949123100").contains("18 位"));
        assert!(e("11010519491231002Y").contains("最后一位"));
        assert!(e("1101051949A231002X").contains("前 17 位"));
        assert!(e("110105194902300021").contains("出生日期"));
        assert!(e("110105194912310021").contains("校验位"));
        assert!(e(&id_with_check("00010519491231002")).contains("地址码"));
        assert!(e(&id_with_check("11010518891231002")).contains("不合理"));
        // 18 characters, one of them not ASCII (found by the fuzzer: it panicked).
        assert!(e("1101051949123100二3").contains("数字"));
        assert!(
            e("ˆ\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}1\u{0}\u{0}\u{0}380ĉ0\u{11}").contains("数字")
        );
    }

    #[test]
    fn id_card_birth_date_and_gender() {
        let id = IdCardNo::parse("11010519491231002X").expect("valid");
        assert_eq!(id.birth_date(), Date::constant(1949, 12, 31));
        assert_eq!(id.gender(), Gender::Female);
        assert_eq!(id.masked(), "110***********002X");
        assert!(!format!("{id:?}").contains("19491231"));
    }

    #[test]
    fn credit_code_check_character() {
        // Codes printed on published business licences.
        assert_eq!(credit_code_check_char("9144030071526726X"), Some('G'));
        assert_eq!(credit_code_check_char("91330100799655058"), Some('B'));
        assert!(CreditCode::parse("9144030071526726XG").is_ok());
        assert!(CreditCode::parse("91350100M000100Y43").is_ok());
        let e = CreditCode::parse("91350100M000100Y44").expect_err("bad check");
        assert!(e.0.contains("校验位"));
        let e = CreditCode::parse("91350100M000100I43").expect_err("I not allowed");
        assert!(e.0.contains("不允许"));
        assert!(
            CreditCode::parse("9135")
                .expect_err("short")
                .0
                .contains("18")
        );
    }

    #[test]
    fn region_codes_shapes_levels_and_parents() {
        let p = RegionCode::parse("520000").expect("province");
        assert_eq!(p.level(), RegionLevel::Province);
        assert_eq!(p.parent(), None);
        let c = RegionCode::parse("522300").expect("city");
        assert_eq!(c.level(), RegionLevel::City);
        assert_eq!(c.parent(), Some(p.clone()));
        let k = RegionCode::parse("522322").expect("county");
        assert_eq!(k.level(), RegionLevel::County);
        assert_eq!(k.parent(), Some(c.clone()));
        let t = RegionCode::parse("522322100").expect("township");
        assert_eq!(t.level(), RegionLevel::Township);
        assert_eq!(t.parent(), Some(k.clone()));
        assert!(t.check_parent(Some(&k)).is_ok());
        assert!(t.check_parent(Some(&c)).is_err());
        assert!(k.check_parent(None).is_err());
        assert!(p.check_parent(None).is_ok());
        for bad in [
            "52230",
            "5223221",
            "990000",
            "520012",
            "522322000",
            "522300100",
            "52a322",
        ] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phone_numbers() {
        assert_eq!(
            PhoneNo::parse("13812345678").expect("mobile").masked(),
            "138****5678"
        );
        assert_eq!(
            PhoneNo::parse(" 138 1234 5678 ").expect("spaces").as_str(),
            "13812345678"
        );
        assert_eq!(
            PhoneNo::parse("0859-3212345").expect("landline").masked(),
            "0859-****2345"
        );
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "0859-123",
            "abc",
            "859-3212345",
        ] {
            assert!(PhoneNo::parse(bad).is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_body_with_its_check_char_parses(
            area in 110000u32..659999, y in 1900i16..2010, m in 1i8..=12, d in 1i8..=28, seq in 0u32..1000
        ) {
            let body = format!("{area:06}{y:04}{m:02}{d:02}{seq:03}");
            let s = id_with_check(&body);
            let parsed = IdCardNo::parse(&s);
            prop_assert!(parsed.is_ok(), "{}", s);
            // Changing the check character breaks it.
            let last = s.chars().last().expect("non-empty");
            let other = if last == '0' { '1' } else { '0' };
            let wrong = format!("{body}{other}");
            prop_assert!(IdCardNo::parse(&wrong).is_err());
        }

        #[test]
        fn any_credit_body_with_its_check_char_parses(idx in proptest::collection::vec(0usize..31, 15)) {
            let tail: String = idx.iter().map(|i| CREDIT_CHARSET.as_bytes()[*i] as char).collect();
            let body = format!("91{}{}", "522322", &tail[..9]);
            let c = credit_code_check_char(&body).expect("charset");
            let code = format!("{body}{c}");
            prop_assert!(CreditCode::parse(&code).is_ok());
        }

        #[test]
        fn masking_never_shows_the_middle(n in 13000000000u64..19999999999) {
            let s = n.to_string();
            let m = mask_phone(&s);
            prop_assert_eq!(m.len(), 11);
            prop_assert_eq!(&m[3..7], "****");
        }
    }
}
