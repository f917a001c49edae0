//! Time-based one-time passwords (RFC 6238): SHA-1, 6 digits, 30-second steps,
//! one step of clock drift accepted; what common authenticator apps expect.

use totp_rs::{Algorithm, Secret, TOTP};

fn totp(secret_b32: &str, account: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret_b32.to_string()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        30,
        bytes,
        Some("renda".to_string()),
        account.to_string(),
    )
    .ok()
}

/// A new random secret (160 bits), base32-encoded.
pub fn generate_secret() -> String {
    match Secret::generate_secret().to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => String::new(),
    }
}

/// The otpauth:// URL an authenticator app scans.
pub fn provisioning_url(secret_b32: &str, account: &str) -> Option<String> {
    totp(secret_b32, account).map(|t| t.get_url())
}

/// Checks a code at a given Unix time (seconds).
pub fn check_code_at(secret_b32: &str, code: &str, unix_seconds: u64) -> bool {
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    totp(secret_b32, "check").is_some_and(|t| t.check(code, unix_seconds))
}

pub fn check_code(secret_b32: &str, code: &str) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    check_code_at(secret_b32, code, now)
}

/// The code for a given time; used by tests and by nothing else.
pub fn code_at(secret_b32: &str, unix_seconds: u64) -> Option<String> {
    totp(secret_b32, "check").map(|t| t.generate(unix_seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6238_sha1_vector() {
        // RFC 6238 Appendix B, secret "12345678901234567890", T = 59 s -> 94287082 (8 digits);
        // the 6-digit code is its last six digits.
        let b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
        assert_eq!(code_at(b32, 59).as_deref(), Some("287082"));
        assert!(check_code_at(b32, "287082", 59));
        assert!(check_code_at(b32, "287082", 59 + 30), "one step of drift");
        assert!(!check_code_at(b32, "287082", 59 + 90));
        assert!(!check_code_at(b32, "28708", 59));
    }

    #[test]
    fn generated_secrets_work() {
        let s = generate_secret();
        assert!(s.len() >= 26);
        let code = code_at(&s, 1_000_000).expect("code");
        assert!(check_code_at(&s, &code, 1_000_000));
        assert!(
            provisioning_url(&s, "admin")
                .expect("url")
                .starts_with("otpauth://totp/")
        );
    }
}
