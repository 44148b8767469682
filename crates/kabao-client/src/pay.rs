//! The WeChat Pay APIv3 client: signs every request with the merchant key,
//! verifies every 2xx answer against platform certificates (downloaded from
//! `/v3/certificates`, decrypted, cached) or the platform public key.

use crate::error::{ClientError, PayApiError};
use kabao_protocol::aead;
use kabao_protocol::apiv3::{
    parse_rfc3339, CertificateList, HEADER_NONCE, HEADER_SERIAL, HEADER_SIGNATURE, HEADER_TIMESTAMP,
};
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::certificate::parse_certificate_pem;
use kabao_protocol::message::response_message;
use kabao_protocol::rsa::{PrivateKey, PublicKey};
use rand::Rng;
use reqwest::header::HeaderMap;
use reqwest::Method;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How far a response timestamp may be from local time, as the official SDKs check.
const RESPONSE_WINDOW_SECS: i64 = 300;

/// A platform certificate as downloaded and decrypted.
#[derive(Debug, Clone)]
pub struct PlatformCertificate {
    /// The serial responses name in `Wechatpay-Serial`.
    pub serial_no: String,
    /// The decrypted PEM.
    pub pem: String,
    /// Its public key.
    pub public_key: PublicKey,
    /// Validity start (Unix seconds).
    pub not_before: i64,
    /// Validity end (Unix seconds).
    pub not_after: i64,
}

/// A merchant calling WeChat Pay APIv3 at one base URL.
pub struct WechatPay {
    base_url: String,
    mchid: String,
    serial_no: String,
    key: PrivateKey,
    apiv3_key: Vec<u8>,
    public_key_id: Option<String>,
    verifiers: RwLock<HashMap<String, PublicKey>>,
    http: reqwest::Client,
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn nonce() -> String {
    let mut rng = rand::thread_rng();
    (0..32)
        .map(|_| char::from(b"0123456789ABCDEF"[rng.gen_range(0..16)]))
        .collect()
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ClientError> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| ClientError::Signature(format!("missing {name}")))
}

impl WechatPay {
    /// A client for merchant `mchid` whose API certificate has `serial_no`,
    /// signing with `private_key_pem`; `apiv3_key` decrypts certificates and callbacks.
    pub fn new(
        base_url: impl Into<String>,
        mchid: impl Into<String>,
        serial_no: impl Into<String>,
        private_key_pem: &str,
        apiv3_key: impl Into<String>,
    ) -> Result<Self, ClientError> {
        Ok(Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            mchid: mchid.into(),
            serial_no: serial_no.into(),
            key: PrivateKey::from_pem(private_key_pem)?,
            apiv3_key: apiv3_key.into().into_bytes(),
            public_key_id: None,
            verifiers: RwLock::default(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
        })
    }

    /// Public-key mode: verify with the WeChat Pay public key `pem` whose id
    /// (`PUB_KEY_ID_…`) is sent as `Wechatpay-Serial` on every request.
    pub fn with_platform_public_key(
        self,
        key_id: impl Into<String>,
        pem: &str,
    ) -> Result<Self, ClientError> {
        let key_id = key_id.into();
        let key = PublicKey::from_pem(pem)?;
        self.verifiers
            .write()
            .expect("verifier lock")
            .insert(key_id.clone(), key);
        Ok(Self {
            public_key_id: Some(key_id),
            ..self
        })
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: &[u8],
    ) -> Result<(u16, HeaderMap, bytes::Bytes), ClientError> {
        let auth = AuthorizationHeader::sign(
            &self.key,
            &self.mchid,
            &self.serial_no,
            method.as_str(),
            path,
            now(),
            &nonce(),
            body,
        );
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base_url))
            .header("Authorization", auth.to_header_value())
            .header("Accept", "application/json");
        if !body.is_empty() {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_vec());
        }
        if let Some(id) = &self.public_key_id {
            request = request.header(HEADER_SERIAL, id);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?;
        if !(200..300).contains(&status) {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            return Err(PayApiError {
                status,
                code: v["code"].as_str().unwrap_or_default().to_owned(),
                message: v["message"].as_str().unwrap_or_default().to_owned(),
                detail: v.get("detail").cloned(),
            }
            .into());
        }
        Ok((status, headers, bytes))
    }

    fn verifier(&self, serial: &str) -> Option<PublicKey> {
        self.verifiers
            .read()
            .expect("verifier lock")
            .get(serial)
            .cloned()
    }

    fn verify_with(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        key: &PublicKey,
    ) -> Result<(), ClientError> {
        let timestamp = header(headers, HEADER_TIMESTAMP)?;
        let ts: i64 = timestamp
            .parse()
            .map_err(|_| ClientError::Signature("bad Wechatpay-Timestamp".into()))?;
        if (now() - ts).abs() >= RESPONSE_WINDOW_SECS {
            return Err(ClientError::Signature(format!(
                "Wechatpay-Timestamp {ts} is outside the 5-minute window"
            )));
        }
        let message = response_message(timestamp, header(headers, HEADER_NONCE)?, body);
        key.verify_sha256_b64(&message, header(headers, HEADER_SIGNATURE)?)
            .map_err(|e| ClientError::Signature(e.to_string()))
    }

    async fn verify(&self, headers: &HeaderMap, body: &[u8]) -> Result<(), ClientError> {
        let serial = header(headers, HEADER_SERIAL)?.to_owned();
        let known = self
            .verifiers
            .read()
            .expect("verifier lock")
            .get(&serial)
            .cloned();
        let key = match known {
            Some(k) => k,
            None => {
                // An unknown serial means new certificates: download once, then look again.
                self.certificates().await?;
                self.verifier(&serial).ok_or_else(|| {
                    ClientError::Signature(format!("no platform key with serial {serial}"))
                })?
            }
        };
        self.verify_with(headers, body, &key)
    }

    /// Signs and sends a request; verifies a 2xx answer and returns its status and body.
    /// `path` includes the query (it is what gets signed).
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        body: &[u8],
    ) -> Result<(u16, bytes::Bytes), ClientError> {
        let (status, headers, bytes) = self.send(method, path, body).await?;
        self.verify(&headers, &bytes).await?;
        Ok((status, bytes))
    }

    /// `GET /v3/certificates`: downloads, decrypts and caches the platform
    /// certificates, then checks the answer was signed by one of them.
    pub async fn certificates(&self) -> Result<Vec<PlatformCertificate>, ClientError> {
        let (_, headers, bytes) = self.send(Method::GET, "/v3/certificates", b"").await?;
        let list: CertificateList =
            serde_json::from_slice(&bytes).map_err(|e| ClientError::Unexpected(e.to_string()))?;
        let mut out = Vec::new();
        for item in list.data {
            let e = &item.encrypt_certificate;
            let pem = aead::decrypt_b64(
                &self.apiv3_key,
                e.nonce.as_bytes(),
                e.associated_data.as_bytes(),
                &e.ciphertext,
            )?;
            let pem = String::from_utf8(pem).map_err(|e| ClientError::Unexpected(e.to_string()))?;
            let info = parse_certificate_pem(&pem)?;
            if info.serial_hex != item.serial_no {
                return Err(ClientError::Unexpected(format!(
                    "certificate {} is listed as {}",
                    info.serial_hex, item.serial_no
                )));
            }
            out.push(PlatformCertificate {
                serial_no: item.serial_no,
                pem,
                public_key: info.public_key,
                not_before: parse_rfc3339(&item.effective_time).unwrap_or(info.not_before),
                not_after: parse_rfc3339(&item.expire_time).unwrap_or(info.not_after),
            });
        }
        let serial = header(&headers, HEADER_SERIAL)?.to_owned();
        let signer = out
            .iter()
            .find(|c| c.serial_no == serial)
            .map(|c| c.public_key.clone())
            .or_else(|| self.verifier(&serial))
            .ok_or_else(|| {
                ClientError::Signature(format!(
                    "the certificate list is signed by unknown serial {serial}"
                ))
            })?;
        self.verify_with(&headers, &bytes, &signer)?;
        let mut verifiers = self.verifiers.write().expect("verifier lock");
        for c in &out {
            verifiers.insert(c.serial_no.clone(), c.public_key.clone());
        }
        Ok(out)
    }
}
