//! Keys for the audit trail: the HMAC-SM3 key that chains the records, and
//! the SM2 key pair that signs checkpoints of the chain's head.
//!
//! Both are derived from the deployment's key, which never lives in the
//! database, so whoever can write the database cannot recompute the chain.
//! The signing key's public half can be handed to an auditor: with it alone
//! the checkpoints can be checked, and so whether the database still holds
//! the history they vouch for.

use std::fmt;

use hmac::{Hmac, Mac};
use sm2::dsa::signature::{Signer, Verifier};
use sm2::dsa::{Signature, SigningKey, VerifyingKey};
use sm3::Sm3;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The distinguishing identifier SM2 binds into every signature (GB/T 32918.2 §5.5).
pub const DIST_ID: &str = "renda-audit-checkpoint";

/// The audit chain's HMAC-SM3 key.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct ChainKey([u8; 32]);

impl fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ChainKey(..)")
    }
}

impl ChainKey {
    pub(crate) fn new(bytes: [u8; 32]) -> Self {
        ChainKey(bytes)
    }

    /// A key for tests of the chain itself.
    pub fn for_tests(seed: u8) -> Self {
        ChainKey([seed; 32])
    }

    /// HMAC-SM3 of the parts, each followed by a zero byte, as lower-case hex.
    pub fn mac_hex(&self, parts: &[&str]) -> String {
        let mut mac =
            <Hmac<Sm3> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for p in parts {
            mac.update(p.as_bytes());
            mac.update(&[0]);
        }
        hex::encode(mac.finalize().into_bytes())
    }
}

/// Signs checkpoints with SM2.
#[derive(Clone)]
pub struct CheckpointSigner(SigningKey);

impl fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckpointSigner(..)")
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignatureError {
    #[error("公钥格式不正确：应为 130 位十六进制字符（04 开头的未压缩点）")]
    BadPublicKey,
    #[error("签名格式不正确")]
    BadSignature,
    #[error("签名不符")]
    Mismatch,
}

impl CheckpointSigner {
    /// A scalar from the root by HMAC-SM3 with a counter, retried in the
    /// (about 2⁻³²) case that it falls outside the curve's order.
    pub(crate) fn derive(root: &[u8; 32]) -> Self {
        let mut counter = 0u32;
        loop {
            let mut label = b"checkpoint-sm2/".to_vec();
            label.extend_from_slice(&counter.to_be_bytes());
            let mut bytes = crate::hmac_sm3(root, &label);
            let secret = sm2::SecretKey::from_slice(&bytes);
            bytes.zeroize();
            if let Ok(sk) = secret
                && let Ok(key) = SigningKey::new(DIST_ID, &sk)
            {
                return CheckpointSigner(key);
            }
            counter += 1;
        }
    }

    /// The signature of a message: r ‖ s as 128 hex characters.
    pub fn sign_hex(&self, message: &[u8]) -> String {
        let sig: Signature = self.0.sign(message);
        hex::encode(sig.to_bytes())
    }

    /// The public key as an uncompressed SEC1 point in hex (04 ‖ x ‖ y).
    pub fn public_hex(&self) -> String {
        hex::encode(self.0.verifying_key().to_sec1_bytes())
    }

    pub fn verifier(&self) -> CheckpointVerifier {
        CheckpointVerifier(self.0.verifying_key().clone())
    }
}

/// Checks checkpoint signatures with the public key only.
#[derive(Clone, Debug)]
pub struct CheckpointVerifier(VerifyingKey);

impl CheckpointVerifier {
    pub fn from_hex(public: &str) -> Result<Self, SignatureError> {
        let bytes = hex::decode(public.trim()).map_err(|_| SignatureError::BadPublicKey)?;
        VerifyingKey::from_sec1_bytes(DIST_ID, &bytes)
            .map(CheckpointVerifier)
            .map_err(|_| SignatureError::BadPublicKey)
    }

    pub fn public_hex(&self) -> String {
        hex::encode(self.0.to_sec1_bytes())
    }

    pub fn verify_hex(&self, message: &[u8], signature: &str) -> Result<(), SignatureError> {
        let bytes = hex::decode(signature.trim()).map_err(|_| SignatureError::BadSignature)?;
        let sig =
            Signature::try_from(bytes.as_slice()).map_err(|_| SignatureError::BadSignature)?;
        self.0
            .verify(message, &sig)
            .map_err(|_| SignatureError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MasterKey;

    fn key(b: &str) -> MasterKey {
        MasterKey::from_hex(&b.repeat(32)).expect("key")
    }

    #[test]
    fn chain_keys_differ_by_deployment_and_from_other_keys() {
        let a = key("11").chain_key().mac_hex(&["x"]);
        assert_eq!(a, key("11").chain_key().mac_hex(&["x"]));
        assert_ne!(a, key("22").chain_key().mac_hex(&["x"]));
        // Parts are delimited: ("ab","c") and ("a","bc") differ.
        let k = key("11").chain_key();
        assert_ne!(k.mac_hex(&["ab", "c"]), k.mac_hex(&["a", "bc"]));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn checkpoints_verify_with_the_public_key_only() {
        let signer = key("11").checkpoint_signer();
        let public = signer.public_hex();
        assert_eq!(public.len(), 130);
        assert!(public.starts_with("04"));
        assert_eq!(public, key("11").checkpoint_signer().public_hex(), "stable");
        let sig = signer.sign_hex(b"seq 12 head abc");
        let v = CheckpointVerifier::from_hex(&public).expect("public key");
        assert_eq!(v.verify_hex(b"seq 12 head abc", &sig), Ok(()));
        assert_eq!(
            v.verify_hex(b"seq 13 head abc", &sig),
            Err(SignatureError::Mismatch)
        );
        let other = CheckpointVerifier::from_hex(&key("22").checkpoint_signer().public_hex())
            .expect("public key");
        assert_eq!(
            other.verify_hex(b"seq 12 head abc", &sig),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(v.verify_hex(b"x", "zz"), Err(SignatureError::BadSignature));
        assert!(CheckpointVerifier::from_hex("04ab").is_err());
    }

    #[test]
    fn sm2_signatures_use_a_deterministic_nonce_per_message() {
        // The crate derives k from the key and the message (RFC 6979 style),
        // so no weak random source can leak the key.
        let signer = key("33").checkpoint_signer();
        let a = signer.sign_hex(b"m");
        assert_eq!(a, signer.sign_hex(b"m"));
        assert_ne!(a, signer.sign_hex(b"n"));
        assert!(signer.verifier().verify_hex(b"m", &a).is_ok());
    }
}
