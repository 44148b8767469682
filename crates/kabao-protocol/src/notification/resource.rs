//! The encrypted `resource` block of callbacks.

use serde::{Deserialize, Serialize};

use super::ALGORITHM;
use crate::CryptoError;

/// The AES-GCM-encrypted payload of a callback (`resource`).
///
/// The certificate download's `encrypt_certificate` block has the same
/// fields. `associated_data` reads a missing or `null` value as `""` and is
/// always written as a string, because Java SDKs call `.getBytes()` on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptedResource {
    /// Type of the plaintext object (e.g. "payscore"); the fapiao samples omit it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_type: Option<String>,
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// base64(ciphertext || 16-byte tag).
    pub ciphertext: String,
    /// The 12-character nonce.
    pub nonce: String,
    /// The associated data, often "" for callbacks.
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub associated_data: String,
}

impl EncryptedResource {
    /// Encrypts `plaintext` with the merchant's APIv3 key into a resource block.
    pub fn seal(
        apiv3_key: &[u8],
        nonce: &str,
        associated_data: &str,
        original_type: Option<&str>,
        plaintext: &[u8],
    ) -> Result<Self, CryptoError> {
        let ciphertext = crate::aead::encrypt_b64(
            apiv3_key,
            nonce.as_bytes(),
            associated_data.as_bytes(),
            plaintext,
        )?;
        Ok(Self {
            original_type: original_type.map(str::to_owned),
            algorithm: ALGORITHM.to_owned(),
            ciphertext,
            nonce: nonce.to_owned(),
            associated_data: associated_data.to_owned(),
        })
    }

    /// Decrypts the block with the merchant's APIv3 key; rejects any algorithm but [`ALGORITHM`].
    pub fn open(&self, apiv3_key: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if self.algorithm != ALGORITHM {
            return Err(CryptoError::UnsupportedAlgorithm(self.algorithm.clone()));
        }
        crate::aead::decrypt_b64(
            apiv3_key,
            self.nonce.as_bytes(),
            self.associated_data.as_bytes(),
            &self.ciphertext,
        )
    }
}
