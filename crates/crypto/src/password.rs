//! Password hashing with Argon2id (RFC 9106), stored as PHC strings.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Hash parameters. The default follows RFC 9106's second recommended option
/// scaled to a small server (19 MiB, 2 passes); tests may use lighter ones.
#[derive(Debug, Clone, Copy)]
pub struct HashCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl Default for HashCost {
    fn default() -> Self {
        HashCost {
            memory_kib: 19 * 1024,
            passes: 2,
        }
    }
}

impl HashCost {
    /// For test suites, where thousands of hashes would otherwise dominate run time.
    pub fn light() -> Self {
        HashCost {
            memory_kib: 256,
            passes: 1,
        }
    }

    fn argon(self) -> Argon2<'static> {
        let params = Params::new(self.memory_kib, self.passes, 1, None).unwrap_or_default();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
    }
}

pub fn hash_password(
    cost: HashCost,
    password: &str,
) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    cost.argon()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
}

/// Verifies against a stored PHC string; the parameters come from the string.
pub fn verify_password(stored: &str, password: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, to spend the same time on unknown
/// usernames: computed once per cost and kept, so that the unknown-name
/// path runs Argon2 once, as the known-name path does.
pub fn dummy_hash(cost: HashCost) -> String {
    static DUMMY: std::sync::Mutex<Vec<((u32, u32), String)>> = std::sync::Mutex::new(Vec::new());
    let k = (cost.memory_kib, cost.passes);
    let mut kept = DUMMY
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some((_, h)) = kept.iter().find(|(c, _)| *c == k) {
        return h.clone();
    }
    match hash_password(cost, &crate::random_hex(16)) {
        Ok(h) => {
            kept.push((k, h.clone()));
            h
        }
        // Not kept: the next unknown name tries again.
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let h = hash_password(HashCost::light(), "Abcdef1!").expect("hash");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password(&h, "Abcdef1!"));
        assert!(!verify_password(&h, "Abcdef1?"));
        assert!(!verify_password("garbage", "Abcdef1!"));
        let h2 = hash_password(HashCost::light(), "Abcdef1!").expect("hash");
        assert_ne!(h, h2, "salted");
    }
}
