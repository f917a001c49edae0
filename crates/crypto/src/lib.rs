//! Cryptography for renda, with the national algorithms the commercial
//! cryptography assessment expects (GB/T 39786-2021):
//!
//! - SM3 (GB/T 32905-2016) for the audit chain, sign-off digests and token hashes;
//! - HMAC-SM3 for blind indexes, so encrypted values can still be looked up;
//! - SM4 (GB/T 32907-2016) in GCM mode (RFC 8998) for personal data at rest:
//!   encryption and integrity in one step;
//! - Argon2id for passwords, TOTP (RFC 6238) for the second factor.
//!
//! Keys live in [`MasterKey`], which never prints and is zeroised on drop.

use std::fmt;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{AesGcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sm3::{Digest, Sm3};
use zeroize::{Zeroize, ZeroizeOnDrop};

pub mod chain;
pub mod password;
pub mod totp;

/// SM4 in GCM mode with a 96-bit nonce (RFC 8998 §3.1).
type Sm4Gcm = AesGcm<sm4::Sm4, aes_gcm::aead::consts::U12>;
type HmacSm3 = Hmac<Sm3>;

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("密钥格式不正确：应为 64 位十六进制字符")]
    BadKey,
    #[error("密文格式不正确")]
    BadCiphertext,
    #[error("密文完整性校验失败")]
    Integrity,
}

/// SM3 digest as lower-case hex.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(Sm3::digest(data))
}

/// Random bytes from the operating system's generator, as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A random token suitable for a session or API token (256 bits, URL-safe).
pub fn random_token() -> String {
    let mut buf = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// The deployment's secret. Two keys are derived from it, so that the
/// encryption key and the blind-index key are never the same bytes.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct MasterKey {
    enc: [u8; 16],
    index: [u8; 32],
    /// The root the audit chain's and the checkpoints' keys come from.
    audit: [u8; 32],
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(..)")
    }
}

const CIPHER_PREFIX: &str = "sm4gcm1:";

impl MasterKey {
    /// From 32 bytes given as 64 hex characters.
    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let mut raw = hex::decode(s.trim()).map_err(|_| CryptoError::BadKey)?;
        if raw.len() != 32 {
            raw.zeroize();
            return Err(CryptoError::BadKey);
        }
        let key = Self::derive(&raw);
        raw.zeroize();
        Ok(key)
    }

    /// A new random secret, as hex, for a key file.
    pub fn generate_hex() -> String {
        random_hex(32)
    }

    fn derive(secret: &[u8]) -> Self {
        let mut enc = [0u8; 16];
        let mut index = [0u8; 32];
        let e = hmac_sm3(secret, b"renda/sm4-gcm/personal-data");
        enc.copy_from_slice(&e[..16]);
        index.copy_from_slice(&hmac_sm3(secret, b"renda/hmac-sm3/blind-index"));
        let audit = hmac_sm3(secret, b"renda/audit");
        MasterKey { enc, index, audit }
    }

    /// Encrypts with SM4-GCM under a fresh random nonce; `context` is bound as
    /// associated data (e.g. "deputy.phone"), so a value copied into another
    /// column fails to decrypt.
    pub fn encrypt(&self, context: &str, plaintext: &str) -> String {
        let cipher = Sm4Gcm::new(&self.enc.into());
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption with a valid key and in-memory buffers cannot fail.
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(12 + ct.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        format!("{CIPHER_PREFIX}{}", B64.encode(out))
    }

    pub fn decrypt(&self, context: &str, stored: &str) -> Result<String, CryptoError> {
        let b64 = stored
            .strip_prefix(CIPHER_PREFIX)
            .ok_or(CryptoError::BadCiphertext)?;
        let raw = B64.decode(b64).map_err(|_| CryptoError::BadCiphertext)?;
        if raw.len() < 12 + 16 {
            return Err(CryptoError::BadCiphertext);
        }
        let (nonce, ct) = raw.split_at(12);
        let cipher = Sm4Gcm::new(&self.enc.into());
        let pt = cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Integrity)?;
        String::from_utf8(pt).map_err(|_| CryptoError::Integrity)
    }

    /// A keyed HMAC-SM3 of a normalised value, for equality look-ups on
    /// encrypted columns without storing the value.
    pub fn blind_index(&self, context: &str, value: &str) -> String {
        let mut mac =
            <HmacSm3 as Mac>::new_from_slice(&self.index).expect("HMAC takes any key length");
        mac.update(context.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }
}

impl MasterKey {
    /// The key of the audit chain's HMAC-SM3.
    pub fn chain_key(&self) -> chain::ChainKey {
        chain::ChainKey::new(hmac_sm3(&self.audit, b"chain"))
    }

    /// The SM2 key that signs the audit checkpoints.
    pub fn checkpoint_signer(&self) -> chain::CheckpointSigner {
        chain::CheckpointSigner::derive(&self.audit)
    }
}

pub(crate) fn hmac_sm3(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <HmacSm3 as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use aes_gcm::aead::generic_array::GenericArray;
    use sm4::cipher::BlockEncrypt;

    #[test]
    fn sm3_standard_vectors() {
        // GB/T 32905-2016 Appendix A.1 and A.2.
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
        assert_eq!(
            sm3_hex("abcd".repeat(16).as_bytes()),
            "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"
        );
    }

    #[test]
    fn sm4_standard_vector() {
        // GB/T 32907-2016 Appendix A, example 1.
        let key = hex::decode("0123456789abcdeffedcba9876543210").expect("hex");
        let cipher = sm4::Sm4::new(GenericArray::from_slice(&key));
        let mut block = GenericArray::clone_from_slice(&key);
        cipher.encrypt_block(&mut block);
        assert_eq!(hex::encode(block), "681edf34d206965e86b3e94f536e4246");
    }

    #[test]
    fn sm4_gcm_rfc8998_vector() {
        // RFC 8998 Appendix A.1.
        let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").expect("hex");
        let iv = hex::decode("00001234567800000000ABCD").expect("hex");
        let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").expect("hex");
        let pt = hex::decode(concat!(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD",
            "EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
        ))
        .expect("hex");
        let cipher = Sm4Gcm::new(GenericArray::from_slice(&key));
        let out = cipher
            .encrypt(
                Nonce::from_slice(&iv),
                Payload {
                    msg: &pt,
                    aad: &aad,
                },
            )
            .expect("encrypt");
        let (ct, tag) = out.split_at(pt.len());
        assert_eq!(
            hex::encode_upper(ct),
            concat!(
                "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735",
                "D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
            )
        );
        assert_eq!(hex::encode_upper(tag), "83DE3541E4C2B58177E065A9BF7B62EC");
    }

    fn key() -> MasterKey {
        MasterKey::from_hex(&"11".repeat(32)).expect("key")
    }

    #[test]
    fn encrypt_round_trip_and_fresh_nonces() {
        let k = key();
        let a = k.encrypt("deputy.phone", "13812345678");
        let b = k.encrypt("deputy.phone", "13812345678");
        assert_ne!(a, b, "a fresh nonce each time");
        assert!(!a.contains("13812345678"));
        assert_eq!(k.decrypt("deputy.phone", &a).expect("ok"), "13812345678");
    }

    #[test]
    fn tampering_and_wrong_context_are_detected() {
        let k = key();
        let a = k.encrypt("deputy.phone", "13812345678");
        assert!(matches!(
            k.decrypt("deputy.id_card", &a),
            Err(CryptoError::Integrity)
        ));
        let mut raw = B64
            .decode(a.trim_start_matches(CIPHER_PREFIX))
            .expect("b64");
        raw[14] ^= 1;
        let forged = format!("{CIPHER_PREFIX}{}", B64.encode(raw));
        assert!(matches!(
            k.decrypt("deputy.phone", &forged),
            Err(CryptoError::Integrity)
        ));
        let other = MasterKey::from_hex(&"22".repeat(32)).expect("key");
        assert!(other.decrypt("deputy.phone", &a).is_err());
        assert!(matches!(
            k.decrypt("deputy.phone", "plain"),
            Err(CryptoError::BadCiphertext)
        ));
    }

    #[test]
    fn blind_index_is_keyed_and_deterministic() {
        let k = key();
        let a = k.blind_index("id_card", "11010519491231002X");
        assert_eq!(a, k.blind_index("id_card", "11010519491231002X"));
        assert_ne!(a, k.blind_index("phone", "11010519491231002X"));
        let other = MasterKey::from_hex(&"22".repeat(32)).expect("key");
        assert_ne!(a, other.blind_index("id_card", "11010519491231002X"));
    }

    #[test]
    fn bad_keys_are_refused_and_keys_do_not_print() {
        assert!(MasterKey::from_hex("abcd").is_err());
        assert!(MasterKey::from_hex(&"zz".repeat(32)).is_err());
        assert_eq!(format!("{:?}", key()), "MasterKey(..)");
        assert_eq!(MasterKey::generate_hex().len(), 64);
    }
}
