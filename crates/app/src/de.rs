//! Lenient deserializers so one input type serves both JSON bodies and HTML
//! forms: a form sends every value as text, an empty field as "", and a
//! checked box as "on".

use serde::{Deserialize, Deserializer};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
enum NumOrText {
    Num(i64),
    Text(String),
}

/// `12`, `"12"` → Some(12); `""`, null, missing → None; other text is an error.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<NumOrText>::deserialize(d)? {
        None => Ok(None),
        Some(NumOrText::Num(n)) => Ok(Some(n)),
        Some(NumOrText::Text(s)) if s.trim().is_empty() => Ok(None),
        Some(NumOrText::Text(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom(format!("“{s}”不是整数"))),
    }
}

/// A whole number as typed: a form's text or JSON's number, kept as it came
/// so that a mistake ("abc", "十四") is refused beside its field with what was
/// typed still in it, rather than as a malformed request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Typed(pub String);

impl Typed {
    pub fn of(n: i64) -> Typed {
        Typed(n.to_string())
    }

    /// None when empty; Err with the text when it is not a whole number
    /// (full-width digits are read as digits).
    pub fn value(&self) -> Result<Option<i64>, String> {
        let t: String = self
            .0
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
                _ => c,
            })
            .collect();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse().map(Some).map_err(|_| self.0.trim().to_string())
    }
}

impl std::fmt::Display for Typed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Typed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<NumOrText>::deserialize(d)? {
            None => Typed::default(),
            Some(NumOrText::Num(n)) => Typed::of(n),
            Some(NumOrText::Text(s)) => Typed(s),
        })
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
enum BoolOrText {
    Bool(bool),
    Num(i64),
    Text(String),
}

/// true/false, 1/0, or a form's "on"/"1"/"true"/"" (absent = false).
pub fn flex_bool<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    match Option::<BoolOrText>::deserialize(d)? {
        None => Ok(false),
        Some(BoolOrText::Bool(b)) => Ok(b),
        Some(BoolOrText::Num(n)) => Ok(n != 0),
        Some(BoolOrText::Text(s)) => Ok(matches!(s.trim(), "on" | "1" | "true" | "yes")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, utoipa::ToSchema)]
    struct T {
        #[serde(default, deserialize_with = "opt_i64")]
        n: Option<i64>,
        #[serde(default, deserialize_with = "flex_bool")]
        b: bool,
    }

    #[test]
    fn typed_numbers_keep_what_was_typed() {
        assert_eq!(Typed("12".into()).value(), Ok(Some(12)));
        assert_eq!(Typed("１２".into()).value(), Ok(Some(12)));
        assert_eq!(Typed(" ".into()).value(), Ok(None));
        assert_eq!(Typed("十四".into()).value(), Err("十四".into()));
        let t: Typed = serde_json::from_str("14").expect("json number");
        assert_eq!(t.value(), Ok(Some(14)));
    }

    #[test]
    fn json_and_form_shapes() {
        let t: T = serde_json::from_str(r#"{"n": 3, "b": true}"#).expect("json");
        assert_eq!((t.n, t.b), (Some(3), true));
        let t: T = serde_json::from_str(r#"{"n": "", "b": "on"}"#).expect("form-like");
        assert_eq!((t.n, t.b), (None, true));
        let t: T = serde_json::from_str(r#"{}"#).expect("empty");
        assert_eq!((t.n, t.b), (None, false));
        assert!(serde_json::from_str::<T>(r#"{"n": "abc"}"#).is_err());
    }
}
