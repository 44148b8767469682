//! Response signing: every answer under `/v3`, success or error, carries
//! `Wechatpay-Timestamp/Nonce/Signature/Serial/Signature-Type` and `Request-ID`
//! over its exact body bytes, with the key the caller's mode selects.

use super::error::PayError;
use crate::keyring::{choose_signer, Signer};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::{
    HEADER_NONCE, HEADER_REQUEST_ID, HEADER_SERIAL, HEADER_SIGNATURE, HEADER_SIGNATURE_TYPE,
    HEADER_TIMESTAMP, SIGNATURE_TYPE,
};
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::message::response_message;
use rand::Rng;

/// The five signature headers of one signed response or callback.
#[derive(Debug, Clone)]
pub struct SignatureHeaders {
    /// `Wechatpay-Timestamp`
    pub timestamp: String,
    /// `Wechatpay-Nonce`
    pub nonce: String,
    /// `Wechatpay-Signature`
    pub signature: String,
    /// `Wechatpay-Serial`
    pub serial: String,
}

impl SignatureHeaders {
    /// Signs `body` at `now` with `signer`.
    pub fn sign(signer: &Signer, now: i64, body: &[u8]) -> Self {
        let timestamp = now.to_string();
        let nonce = random_hex(32, false);
        let signature = signer
            .key
            .private_key
            .sign_sha256_b64(&response_message(&timestamp, &nonce, body));
        Self {
            timestamp,
            nonce,
            signature,
            serial: signer.serial.clone(),
        }
    }

    /// Writes the headers (and `Wechatpay-Signature-Type`) into `headers`.
    pub fn write(&self, headers: &mut axum::http::HeaderMap) {
        let mut put = |name: &'static str, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.insert(name, v);
            }
        };
        put(HEADER_TIMESTAMP, &self.timestamp);
        put(HEADER_NONCE, &self.nonce);
        put(HEADER_SIGNATURE, &self.signature);
        put(HEADER_SERIAL, &self.serial);
        put(HEADER_SIGNATURE_TYPE, SIGNATURE_TYPE);
    }
}

fn random_hex(len: usize, upper: bool) -> String {
    let mut rng = rand::thread_rng();
    let digits: &[u8] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    (0..len)
        .map(|_| char::from(digits[rng.gen_range(0..16)]))
        .collect()
}

/// A request id shaped like the real ones (`08F5…C405-0`).
pub fn request_id() -> String {
    format!("{}-0", random_hex(44, true))
}

/// Middleware: runs the handler, then signs its answer.
pub async fn sign_responses(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (requested_serial, mchid) = {
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v: &HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let mchid = header(AUTHORIZATION.as_str())
            .and_then(|h| AuthorizationHeader::parse(&h).ok())
            .map(|a| a.mchid);
        (header(HEADER_SERIAL), mchid)
    };
    let method = req.method().clone();
    let response = next.run(req).await;
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => return PayError::system(e).into_response(),
    };
    let (mut parts, body) =
        match super::wire_shape::reshape(&method, parts.status, &parts.headers, &body) {
            Some(answer) => {
                let (parts, body) = answer.into_parts();
                match axum::body::to_bytes(body, usize::MAX).await {
                    Ok(b) => (parts, b),
                    Err(e) => return PayError::system(e).into_response(),
                }
            }
            None => (parts, body),
        };
    let merchant = match &mchid {
        Some(m) => state.keyring.merchant(m).await.ok().flatten(),
        None => None,
    };
    let now = state.clock.now();
    match state.keyring.platform_keys().await {
        Ok(keys) => match choose_signer(
            &keys,
            merchant.as_ref().map(|m| &m.merchant),
            requested_serial.as_deref(),
            now,
        ) {
            Some(signer) => SignatureHeaders::sign(&signer, now, &body).write(&mut parts.headers),
            None => tracing::warn!("no platform key can sign this response; provision one"),
        },
        Err(e) => tracing::error!(error = %e, "platform keys unavailable; response left unsigned"),
    }
    if let Ok(v) = HeaderValue::from_str(&request_id()) {
        parts.headers.insert(HEADER_REQUEST_ID, v);
    }
    Response::from_parts(parts, Body::from(body))
}
