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
