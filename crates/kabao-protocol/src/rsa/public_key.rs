//! The RSA public key: signature verification and OAEP-SHA1 encryption.

use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{OaepPublicEncryptingKey, PublicEncryptingKey, OAEP_SHA1_MGF1SHA1};
use aws_lc_rs::signature::{RsaSubjectPublicKey, UnparsedPublicKey, RSA_PKCS1_2048_8192_SHA256};

use super::{decode_b64, encode_b64};
use crate::CryptoError;

/// RSA public key for verifying signatures and OAEP-SHA1 encryption of sensitive fields.
///
/// The server verifies merchant requests with the merchant certificate's key
/// and encrypts response-side sensitive fields for the merchant; the SDK
/// verifies platform responses and encrypts request fields for the platform.
/// Cheap to clone; two keys are equal when their SPKI encodings are.
#[derive(Clone)]
pub struct PublicKey {
    spki: Vec<u8>,
    encrypting: PublicEncryptingKey,
}

impl PublicKey {
    /// Loads a key from PEM: `PUBLIC KEY` (SPKI), `RSA PUBLIC KEY` (PKCS#1) or a
    /// `CERTIFICATE` (its subject public key).
    pub fn from_pem(pem: &str) -> Result<Self, CryptoError> {
        let (label, der) = crate::pem_util::first_block(
            pem,
            &["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"],
            "PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE",
        )?;
        match label.as_str() {
            "RSA PUBLIC KEY" => {
                let pkcs1 = RsaSubjectPublicKey::from_der(&der)
                    .map_err(|e| CryptoError::KeyRejected(e.to_string()))?;
                let spki = pkcs1.as_der().map_err(|_| {
                    CryptoError::KeyRejected("cannot re-encode as SubjectPublicKeyInfo".into())
                })?;
                Self::from_spki_der(spki.as_ref())
            }
            "CERTIFICATE" => {
                Ok(crate::certificate::parse_certificate_der(&der, pem.to_owned())?.public_key)
            }
            _ => Self::from_spki_der(&der),
        }
    }

    /// Loads a key from X.509 `SubjectPublicKeyInfo` DER.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CryptoError> {
        let encrypting = PublicEncryptingKey::from_der(der)
            .map_err(|e| CryptoError::KeyRejected(e.to_string()))?;
        Ok(Self {
            spki: der.to_vec(),
            encrypting,
        })
    }

    /// The key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`), the form of a WeChat Pay public key.
    pub fn to_spki_pem(&self) -> String {
        crate::pem_util::encode("PUBLIC KEY", &self.spki)
    }

    /// The key as SPKI DER.
    pub fn spki_der(&self) -> Vec<u8> {
        self.spki.clone()
    }

    /// Size of the modulus in bits.
    pub fn bits(&self) -> usize {
        self.encrypting.key_size_bits()
    }

    /// Verifies a base64 RSASSA-PKCS1-v1_5 SHA-256 signature over `message`.
    ///
    /// The error tells a malformed base64 value ([`CryptoError::Base64`]) from a
    /// signature that does not match ([`CryptoError::SignatureMismatch`]).
    pub fn verify_sha256_b64(
        &self,
        message: &[u8],
        signature_b64: &str,
    ) -> Result<(), CryptoError> {
        let signature = decode_b64("signature", signature_b64)?;
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.spki)
            .verify(message, &signature)
            .map_err(|_| CryptoError::SignatureMismatch)
    }

    /// Encrypts `plaintext` with RSA-OAEP (SHA-1, MGF1-SHA-1, empty label) and returns base64.
    ///
    /// Randomized: each call gives a different ciphertext. RSA-2048 carries at
    /// most 214 bytes.
    pub fn encrypt_oaep_sha1_b64(&self, plaintext: &[u8]) -> Result<String, CryptoError> {
        let key = OaepPublicEncryptingKey::new(self.encrypting.clone())
            .map_err(|_| CryptoError::OaepEncrypt)?;
        let max = key.max_plaintext_size(&OAEP_SHA1_MGF1SHA1);
        if plaintext.len() > max {
            return Err(CryptoError::PlaintextTooLong {
                len: plaintext.len(),
                max,
            });
        }
        let mut ciphertext = vec![0u8; key.ciphertext_size()];
        let out = key
            .encrypt(&OAEP_SHA1_MGF1SHA1, plaintext, &mut ciphertext, None)
            .map_err(|_| CryptoError::OaepEncrypt)?;
        Ok(encode_b64(out))
    }
}

impl PartialEq for PublicKey {
    fn eq(&self, other: &Self) -> bool {
        self.spki == other.spki
    }
}

impl Eq for PublicKey {}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &self.spki);
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .field("spki_sha256", &hex::encode(&digest.as_ref()[..8]))
            .finish()
    }
}
