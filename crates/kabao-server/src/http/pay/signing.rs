//! Response signing: every answer under `/v3`, success or error, carries
//! `Wechatpay-Timestamp/Nonce/Signature/Serial/Signature-Type` and `Request-ID`
//! over its exact body bytes, with the key the caller's mode selects.

use super::error::PayError;
use crate::domain::ids::random_hex;
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

#[cfg(test)]
mod tests {
    use super::{random_hex, request_id};

    #[test]
    fn nonces_are_hex_digits_of_the_asked_length_and_differ() {
        let a = random_hex(32, false);
        let b = random_hex(32, false);
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        assert_ne!(a, b);
        let odd = random_hex(7, true);
        assert_eq!(odd.len(), 7);
        assert!(odd.bytes().all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F')));
    }

    #[test]
    fn request_ids_look_like_wechat_pays() {
        let id = request_id();
        let (digits, tail) = id.split_at(44);
        assert_eq!(tail, "-0");
        assert!(digits
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'A'..=b'F')));
    }
}
