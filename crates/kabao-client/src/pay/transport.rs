//! Sending one APIv3 request: the `Authorization` signature over the exact
//! target and body, `Wechatpay-Serial` when needed, GET retries on transport
//! errors, APIv3 error bodies turned into [`PayApiError`], and every 2xx
//! answer verified before it is read.

use super::WechatPay;
use crate::error::{ClientError, PayApiError};
use bytes::Bytes;
use kabao_protocol::apiv3::{ErrorDetail, HEADER_REQUEST_ID, HEADER_SERIAL};
use kabao_protocol::auth::AuthorizationHeader;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A verified 2xx answer.
#[derive(Debug, Clone)]
pub struct PayResponse {
    /// 200, 202 or 204.
    pub status: u16,
    /// The answer's headers (`Request-ID`, the signature headers…).
    pub headers: HeaderMap,
    /// The body exactly as received (empty for 202/204).
    pub body: Bytes,
}

impl PayResponse {
    /// The body as JSON `T`; an empty body reads as JSON `null`.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        let text: &[u8] = if self.body.is_empty() {
            b"null"
        } else {
            &self.body
        };
        serde_json::from_slice(text).map_err(|e| {
            ClientError::unexpected(format!(
                "HTTP {} body {}: {e}",
                self.status,
                String::from_utf8_lossy(&self.body)
            ))
        })
    }
}

/// What one request sends.
pub(crate) struct Outgoing {
    pub method: Method,
    /// Path and query, already encoded.
    pub target: String,
    pub body: Body,
    /// `Wechatpay-Serial` to send (besides the public key id in public-key mode).
    pub serial: Option<String>,
}

/// The body of an [`Outgoing`] request.
pub(crate) enum Body {
    /// No body (GET, and POSTs the API defines without one).
    Empty,
    /// JSON bytes, signed as they are.
    Json(Vec<u8>),
    /// A `meta` + `file` upload, signed over `meta`.
    Upload {
        meta: String,
        file_name: String,
        mime: &'static str,
        file: Vec<u8>,
    },
}

pub(crate) fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn transient(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_timeout() || e.is_request()
}

fn error_from(status: u16, headers: &HeaderMap, bytes: &[u8]) -> PayApiError {
    let v: Value = serde_json::from_slice(bytes).unwrap_or_default();
    let text = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
    PayApiError {
        status,
        code: text("code").unwrap_or_default(),
        message: text("message").unwrap_or_else(|| String::from_utf8_lossy(bytes).into_owned()),
        detail: v
            .get("detail")
            .and_then(|d| serde_json::from_value::<ErrorDetail>(d.clone()).ok()),
        request_id: headers
            .get(HEADER_REQUEST_ID)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned),
    }
}

impl WechatPay {
    /// Builds and signs one attempt of `out`.
    fn signed(&self, out: &Outgoing) -> Result<reqwest::Request, ClientError> {
        let url = format!("{}{}", self.base_url, out.target);
        let mut builder = self
            .http
            .request(out.method.clone(), url)
            .header(ACCEPT, "application/json");
        let signed_body: &[u8] = match &out.body {
            Body::Empty => b"",
            Body::Json(bytes) => {
                builder = builder
                    .header(CONTENT_TYPE, "application/json")
                    .body(bytes.clone());
                bytes
            }
            Body::Upload {
                meta,
                file_name,
                mime,
                file,
            } => {
                let meta_part = reqwest::multipart::Part::text(meta.clone())
                    .mime_str("application/json")
                    .map_err(ClientError::unexpected)?;
                let file_part = reqwest::multipart::Part::bytes(file.clone())
                    .file_name(file_name.clone())
                    .mime_str(mime)
                    .map_err(ClientError::unexpected)?;
                let form = reqwest::multipart::Form::new()
                    .part("meta", meta_part)
                    .part("file", file_part);
                builder = builder.multipart(form);
                meta.as_bytes()
            }
        };
        let serial = out
            .serial
            .as_deref()
            .or(self.public_key.as_ref().map(|(id, _)| id.as_str()));
        if let Some(serial) = serial {
            builder = builder.header(HEADER_SERIAL, serial);
        }
        let mut request = builder.build()?;
        // Sign the target exactly as it goes on the wire.
        let url = request.url();
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        let auth = AuthorizationHeader::sign(
            &self.key,
            &self.mchid,
            &self.serial_no,
            out.method.as_str(),
            &target,
            unix_now(),
            &kabao_protocol::aead::random_alphanumeric(32),
            signed_body,
        );
        let value =
            HeaderValue::from_str(&auth.to_header_value()).map_err(ClientError::unexpected)?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(request)
    }

    /// Sends `out` (GETs retried on transport errors) and returns the status,
    /// headers and body; a non-2xx answer is a [`PayApiError`].
    async fn exchange(&self, out: &Outgoing) -> Result<PayResponse, ClientError> {
        let attempts = if out.method == Method::GET {
            self.get_retries + 1
        } else {
            1
        };
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            match self.http.execute(self.signed(out)?).await {
                Ok(r) => break r,
                Err(e) if attempt < attempts && transient(&e) => {
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        if !(200..300).contains(&status) {
            return Err(error_from(status, &headers, &body).into());
        }
        Ok(PayResponse {
            status,
            headers,
            body,
        })
    }

    /// A plain GET of an absolute URL (fapiao file downloads are neither
    /// signed nor verified), retried on transport errors like any GET.
    pub(crate) async fn fetch_unsigned(
        &self,
        url: &str,
    ) -> Result<(HeaderMap, Bytes), ClientError> {
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            match self.http.get(url).send().await {
                Ok(r) => break r,
                Err(e) if attempt <= self.get_retries && transient(&e) => {
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                }
                Err(e) => return Err(e.into()),
            }
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await?;
        if !(200..300).contains(&status) {
            return Err(error_from(status, &headers, &body).into());
        }
        Ok((headers, body))
    }

    /// Sends `out` and verifies the answer's signature.
    pub(crate) async fn execute(&self, out: &Outgoing) -> Result<PayResponse, ClientError> {
        let response = self.exchange(out).await?;
        self.verify(&response.headers, &response.body).await?;
        Ok(response)
    }

    /// Sends `out` without verifying (the certificate download verifies itself).
    pub(crate) async fn execute_unverified(
        &self,
        out: &Outgoing,
    ) -> Result<PayResponse, ClientError> {
        self.exchange(out).await
    }

    /// Signs and sends any request (`target` is the path plus encoded query,
    /// exactly what gets signed; `body` is sent as JSON when not empty), and
    /// verifies a 2xx answer: the way to call an endpoint this SDK has no
    /// typed method for.
    pub async fn request(
        &self,
        method: Method,
        target: &str,
        body: &[u8],
    ) -> Result<PayResponse, ClientError> {
        let body = if body.is_empty() {
            Body::Empty
        } else {
            Body::Json(body.to_vec())
        };
        self.execute(&Outgoing {
            method,
            target: target.to_owned(),
            body,
            serial: None,
        })
        .await
    }
}
