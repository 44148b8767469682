//! The `GET /v3/certificates` response.

use serde::{Deserialize, Serialize};

use crate::CryptoError;

/// The `GET /v3/certificates` response body `{"data":[…]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateList {
    /// The merchant's currently valid platform certificates.
    pub data: Vec<PlatformCertificate>,
}

/// One platform certificate entry; `serial_no` must equal the `Wechatpay-Serial` it signs with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformCertificate {
    /// Upper-case hex serial without leading zeros.
    pub serial_no: String,
    /// RFC 3339 start of validity, e.g. "2018-06-08T10:34:56+08:00".
    pub effective_time: String,
    /// RFC 3339 end of validity.
    pub expire_time: String,
    /// The certificate PEM, encrypted with the merchant's APIv3 key.
    pub encrypt_certificate: EncryptCertificate,
}

/// The certificate PEM sealed with AES-GCM (AAD "certificate"); all four fields must be non-null.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EncryptCertificate {
    /// Always "AEAD_AES_256_GCM".
    pub algorithm: String,
    /// The 12-character nonce.
    pub nonce: String,
    /// Normally "certificate".
    #[serde(default, deserialize_with = "crate::serde_util::null_as_empty")]
    pub associated_data: String,
    /// base64(ciphertext || tag) of the PEM text.
    pub ciphertext: String,
}

/// The associated data WeChat Pay uses when encrypting certificates.
pub const CERTIFICATE_AAD: &str = "certificate";

impl EncryptCertificate {
    /// Encrypts a certificate PEM with the APIv3 key, AAD "certificate".
    pub fn seal(apiv3_key: &[u8], nonce: &str, pem: &str) -> Result<Self, CryptoError> {
        let ciphertext = crate::aead::encrypt_b64(
            apiv3_key,
            nonce.as_bytes(),
            CERTIFICATE_AAD.as_bytes(),
            pem.as_bytes(),
        )?;
        Ok(Self {
            algorithm: crate::notification::ALGORITHM.to_owned(),
            nonce: nonce.to_owned(),
            associated_data: CERTIFICATE_AAD.to_owned(),
            ciphertext,
        })
    }

    /// Decrypts the PEM with the APIv3 key; rejects any algorithm but "AEAD_AES_256_GCM".
    pub fn open(&self, apiv3_key: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if self.algorithm != crate::notification::ALGORITHM {
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
