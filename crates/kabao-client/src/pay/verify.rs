//! Checking a `Wechatpay-Signature`: the 5-minute window, the signature
//! type, and the RSA signature over `TIMESTAMP\nNONCE\nBODY\n` with the key
//! `Wechatpay-Serial` names (the platform public key, or a platform
//! certificate, downloaded again when the serial is new or the cache old).

use super::transport::unix_now;
use super::WechatPay;
use crate::error::{ClientError, SignatureError};
use kabao_protocol::apiv3::{
    HEADER_NONCE, HEADER_SERIAL, HEADER_SIGNATURE, HEADER_SIGNATURE_TYPE, HEADER_TIMESTAMP,
    SIGNATURE_TYPE,
};
use kabao_protocol::message::response_message;
use kabao_protocol::rsa::PublicKey;
use reqwest::header::HeaderMap;

/// How far a signed timestamp may be from local time, as the official SDKs check.
pub(crate) const WINDOW_SECS: i64 = 300;

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<&'a str, SignatureError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or(SignatureError::MissingHeader(name))
}

/// The `Wechatpay-Serial` of a signed answer or callback.
pub(crate) fn serial_of(headers: &HeaderMap) -> Result<&str, SignatureError> {
    header(headers, HEADER_SERIAL)
}

/// Checks window, type and signature of `body` under `headers` with `key`.
pub(crate) fn check(
    headers: &HeaderMap,
    body: &[u8],
    key: &PublicKey,
    now: i64,
) -> Result<(), SignatureError> {
    if let Some(kind) = headers.get(HEADER_SIGNATURE_TYPE) {
        let kind = kind.to_str().unwrap_or_default();
        if kind != SIGNATURE_TYPE {
            return Err(SignatureError::UnsupportedType(kind.to_owned()));
        }
    }
    let timestamp = header(headers, HEADER_TIMESTAMP)?;
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::BadTimestamp(timestamp.to_owned()))?;
    if (now - ts).abs() >= WINDOW_SECS {
        return Err(SignatureError::OutsideWindow { timestamp: ts, now });
    }
    let message = response_message(timestamp, header(headers, HEADER_NONCE)?, body);
    key.verify_sha256_b64(&message, header(headers, HEADER_SIGNATURE)?)
        .map_err(|_| SignatureError::Mismatch {
            serial: serial_of(headers).unwrap_or_default().to_owned(),
        })
}

impl WechatPay {
    /// The key `serial` names: the configured public key, a cached
    /// certificate, or (after one download) a new certificate.
    pub(crate) async fn verifier(&self, serial: &str) -> Result<PublicKey, ClientError> {
        if let Some((id, key)) = &self.public_key {
            if id == serial {
                return Ok(key.clone());
            }
        }
        if self.certificates_stale() {
            // Best effort: the cached certificates still serve if this fails.
            let _ = self.certificates().await;
        }
        if let Some(key) = self.cached_key(serial) {
            return Ok(key);
        }
        self.download_if_unknown(serial).await?;
        self.cached_key(serial)
            .ok_or_else(|| SignatureError::UnknownSerial(serial.to_owned()).into())
    }

    /// Verifies a signed answer (or callback) at the current time.
    pub(crate) async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), ClientError> {
        let serial = serial_of(headers)?.to_owned();
        let key = self.verifier(&serial).await?;
        check(headers, body, &key, unix_now()).map_err(Into::into)
    }
}
