//! The APIv3 `Authorization` request header (`WECHATPAY2-SHA256-RSA2048 mchid="…",…`).

mod error;
mod parse;

pub use error::AuthHeaderError;

use crate::message::request_message;
use crate::rsa::{PrivateKey, PublicKey};
use crate::CryptoError;

/// The scheme token "WECHATPAY2-SHA256-RSA2048" that opens every APIv3 `Authorization` header.
pub const SCHEME: &str = "WECHATPAY2-SHA256-RSA2048";

/// The five parameters of an APIv3 `Authorization` header.
///
/// The server parses it to find the merchant, the certificate serial and the
/// signature to check; the SDK builds it to sign requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationHeader {
    /// Merchant id (the service provider's id for partner calls).
    pub mchid: String,
    /// Random request nonce.
    pub nonce_str: String,
    /// Base64 RSASSA-PKCS1-v1_5 SHA-256 signature of the request message.
    pub signature: String,
    /// Unix seconds as a decimal string.
    pub timestamp: String,
    /// Serial of the merchant API certificate whose key signed the request.
    pub serial_no: String,
}

impl AuthorizationHeader {
    /// Parses a header value: the scheme, one space, then five `key="value"`
    /// pairs in any order separated by commas.
    ///
    /// Rejects a missing or wrong scheme, missing, duplicated or unknown keys,
    /// unquoted or empty values and a non-decimal timestamp, each with its own
    /// [`AuthHeaderError`] whose text suits a 401 `SIGN_ERROR` message.
    pub fn parse(header: &str) -> Result<Self, AuthHeaderError> {
        parse::parse(header)
    }

    /// Formats the header as `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`.
    ///
    /// This is the wechatpayv3 (Python SDK) key order.
    pub fn to_header_value(&self) -> String {
        format!(
            "{SCHEME} mchid=\"{}\",nonce_str=\"{}\",signature=\"{}\",timestamp=\"{}\",serial_no=\"{}\"",
            self.mchid, self.nonce_str, self.signature, self.timestamp, self.serial_no
        )
    }

    /// Builds a signed header: signs the request message (method, canonical
    /// URL, timestamp, nonce, body) with `key`.
    #[allow(clippy::too_many_arguments)]
    pub fn sign(
        key: &PrivateKey,
        mchid: &str,
        serial_no: &str,
        method: &str,
        canonical_url: &str,
        timestamp: i64,
        nonce_str: &str,
        body: &[u8],
    ) -> Self {
        let timestamp = timestamp.to_string();
        let message = request_message(method, canonical_url, &timestamp, nonce_str, body);
        Self {
            mchid: mchid.to_owned(),
            nonce_str: nonce_str.to_owned(),
            signature: key.sign_sha256_b64(&message),
            timestamp,
            serial_no: serial_no.to_owned(),
        }
    }

    /// Checks the signature against the request it came with, using the merchant certificate's key.
    pub fn verify(
        &self,
        key: &PublicKey,
        method: &str,
        canonical_url: &str,
        body: &[u8],
    ) -> Result<(), CryptoError> {
        let message = request_message(
            method,
            canonical_url,
            &self.timestamp,
            &self.nonce_str,
            body,
        );
        key.verify_sha256_b64(&message, &self.signature)
    }

    /// The timestamp as Unix seconds.
    ///
    /// [`AuthorizationHeader::parse`] guarantees it is decimal; for a value
    /// built by hand that is not, this returns 0 (which fails any freshness check).
    pub fn timestamp_secs(&self) -> i64 {
        self.timestamp.parse().unwrap_or(0)
    }
}

impl std::fmt::Display for AuthorizationHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_header_value())
    }
}
