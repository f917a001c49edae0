//! Any form body: decoded or refused with the platform's message, never a
//! panic; what is decoded is what was sent, with no replacement characters
//! the sender did not write.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[derive(serde::Deserialize, Debug)]
#[allow(dead_code)]
struct Form {
    #[serde(default)]
    title: String,
    #[serde(default, deserialize_with = "app::de::opt_i64")]
    session_id: Option<i64>,
    #[serde(default, deserialize_with = "app::de::flex_bool")]
    submit: bool,
}

fuzz_target!(|data: &[u8]| {
    match webkit::extract::decode_form::<Form>(data) {
        Ok((_, pairs)) => {
            let sent_replacement = String::from_utf8_lossy(data).contains('\u{fffd}')
                || data.windows(9).any(|w| w.eq_ignore_ascii_case(b"%EF%BF%BD"));
            if !sent_replacement {
                for (k, v) in &pairs {
                    assert!(!k.contains('\u{fffd}') && !v.contains('\u{fffd}'), "{k}={v}");
                }
            }
        }
        Err(e) => assert!(!e.message().is_empty()),
    }
});
