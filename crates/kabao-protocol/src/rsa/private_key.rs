//! The RSA private key: request/response signing and OAEP-SHA1 decryption.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeySize, OaepPrivateDecryptingKey, PrivateDecryptingKey, OAEP_SHA1_MGF1SHA1};
use aws_lc_rs::signature::{KeyPair as _, RsaKeyPair, RSA_PKCS1_SHA256};

use super::{decode_b64, encode_b64, PublicKey};
use crate::CryptoError;

/// RSA private key (2048..=8192 bits) for PKCS#1 v1.5 SHA-256 signing and OAEP-SHA1 decryption.
///
/// Merchants sign requests with it; the platform signs responses and
/// callbacks and decrypts sensitive request fields with it. It is `Send +
/// Sync` so one key can serve concurrent requests, and its `Debug` output
/// never shows key material.
pub struct PrivateKey {
    signing: RsaKeyPair,
    decrypting: OaepPrivateDecryptingKey,
    pkcs8: Vec<u8>,
    bits: usize,
}

impl PrivateKey {
    /// Loads a key from PEM: `PRIVATE KEY` (PKCS#8) or `RSA PRIVATE KEY` (PKCS#1).
    pub fn from_pem(pem: &str) -> Result<Self, CryptoError> {
        let (label, der) = crate::pem_util::first_block(
            pem,
            &["PRIVATE KEY", "RSA PRIVATE KEY"],
            "PRIVATE KEY or RSA PRIVATE KEY",
        )?;
        if label == "RSA PRIVATE KEY" {
            let pkcs1 = RsaKeyPair::from_der(&der).map_err(rejected)?;
            let pkcs8 = pkcs1
                .as_der()
                .map_err(|_| rejected("cannot re-encode as PKCS#8"))?;
            Self::from_pkcs8_der(pkcs8.as_ref())
        } else {
            Self::from_pkcs8_der(&der)
        }
    }

    /// Loads a key from unencrypted PKCS#8 DER.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        let signing = RsaKeyPair::from_pkcs8(der).map_err(rejected)?;
        let decrypting = PrivateDecryptingKey::from_pkcs8(der).map_err(rejected)?;
        let bits = decrypting.key_size_bits();
        let decrypting = OaepPrivateDecryptingKey::new(decrypting).map_err(rejected)?;
        Ok(Self {
            signing,
            decrypting,
            pkcs8: der.to_vec(),
            bits,
        })
    }

    /// Generates a fresh RSA-2048 key (for tests, demo merchants and platform keys).
    pub fn generate_2048() -> Result<Self, CryptoError> {
        let pair =
            RsaKeyPair::generate(KeySize::Rsa2048).map_err(|_| CryptoError::KeyGeneration)?;
        let pkcs8 = pair.as_der().map_err(|_| CryptoError::KeyGeneration)?;
        Self::from_pkcs8_der(pkcs8.as_ref())
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), for storage.
    pub fn to_pkcs8_pem(&self) -> String {
        crate::pem_util::encode("PRIVATE KEY", &self.pkcs8)
    }

    /// The key as PKCS#8 DER, for storage.
    pub fn pkcs8_der(&self) -> Vec<u8> {
        self.pkcs8.clone()
    }

    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        let spki = self
            .signing
            .public_key()
            .as_der()
            .expect("aws-lc re-encodes the public key of a validated RSA key");
        PublicKey::from_spki_der(spki.as_ref())
            .expect("the public key of a validated RSA key is itself valid")
    }

    /// Signs `message` with RSASSA-PKCS1-v1_5 SHA-256 and returns standard padded base64.
    pub fn sign_sha256_b64(&self, message: &[u8]) -> String {
        let mut signature = vec![0u8; self.signing.public_modulus_len()];
        self.signing
            .sign(
                &RSA_PKCS1_SHA256,
                &aws_lc_rs::rand::SystemRandom::new(),
                message,
                &mut signature,
            )
            .expect("PKCS#1 v1.5 signing with a validated RSA key does not fail");
        encode_b64(&signature)
    }

    /// Decrypts base64 RSA-OAEP ciphertext (SHA-1, MGF1-SHA-1, empty label).
    pub fn decrypt_oaep_sha1_b64(&self, ciphertext_b64: &str) -> Result<Vec<u8>, CryptoError> {
        let ciphertext = decode_b64("ciphertext", ciphertext_b64)?;
        let mut plaintext = vec![0u8; self.decrypting.min_output_size()];
        let len = self
            .decrypting
            .decrypt(&OAEP_SHA1_MGF1SHA1, &ciphertext, &mut plaintext, None)
            .map_err(|_| CryptoError::OaepDecrypt)?
            .len();
        plaintext.truncate(len);
        Ok(plaintext)
    }
}

impl std::fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

fn rejected(e: impl std::fmt::Display) -> CryptoError {
    CryptoError::KeyRejected(e.to_string())
}
