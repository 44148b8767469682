//! The APIv3 request-signature extractor: a handler that takes a
//! [`SignedRequest`] runs only for a known merchant whose registered API
//! certificate signed these exact bytes within the time window.

use super::error::PayError;
use crate::domain::ids::SerialNo;
use crate::keyring::MerchantEntry;
use crate::state::AppState;
use axum::extract::{FromRequest, OriginalUri, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use bytes::Bytes;
use kabao_protocol::apiv3::rfc3339_cst;
use kabao_protocol::auth::AuthorizationHeader;
use kabao_protocol::message::request_message;
use std::sync::Arc;

/// A verified APIv3 request: who sent it and the raw body they signed.
pub struct SignedRequest {
    /// The merchant that signed.
    pub merchant: Arc<MerchantEntry>,
    /// The parsed `Authorization` header.
    pub auth: AuthorizationHeader,
    /// The exact body bytes (the JSON that was signed).
    pub body: Bytes,
}

impl FromRequest<AppState> for SignedRequest {
    type Rejection = PayError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, PayError> {
        let (parts, body) = req.into_parts();
        let caller = authenticate(state, &parts).await?;
        let limit = state.settings.max_body_bytes;
        let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
            PayError::param(
                "body",
                "body",
                format!("the request body exceeds {limit} bytes"),
            )
        })?;
        caller.verify(&parts, &body)?;
        caller.refuse_replay(state)?;
        Ok(Self {
            merchant: caller.merchant,
            auth: caller.auth,
            body,
        })
    }
}

/// A caller whose `Authorization` header names a known merchant, a live API
/// certificate and a fresh timestamp; the signature itself is checked by
/// [`AuthenticatedCaller::verify`] once the signed bytes are known (the JSON
/// body, or the `meta` part of an upload).
pub(super) struct AuthenticatedCaller {
    /// The merchant the header names.
    pub merchant: Arc<MerchantEntry>,
    /// The parsed header.
    pub auth: AuthorizationHeader,
    /// The API certificate serial, normalised.
    serial: SerialNo,
    /// Which of `merchant.keys` that certificate is.
    key_index: usize,
}

/// Checks everything about the `Authorization` header except the signature
/// (401 SIGN_ERROR naming what is wrong).
pub(super) async fn authenticate(
    state: &AppState,
    parts: &Parts,
) -> Result<AuthenticatedCaller, PayError> {
    let header = parts
        .headers
        .get(AUTHORIZATION)
        .ok_or_else(|| PayError::sign("the Authorization header is missing; sign the request with WECHATPAY2-SHA256-RSA2048"))?
        .to_str()
        .map_err(|_| PayError::sign("the Authorization header is not ASCII"))?;
    let auth = AuthorizationHeader::parse(header)
        .map_err(|e| PayError::sign(format!("the Authorization header is malformed: {e}")))?;
    let merchant = state.keyring.merchant(&auth.mchid).await?.ok_or_else(|| {
        PayError::sign(format!(
            "mchid {} is not a merchant registered with kabao",
            auth.mchid
        ))
    })?;
    let serial = SerialNo::normalise(&auth.serial_no).ok_or_else(|| {
        PayError::sign(format!("serial_no {} is not hexadecimal", auth.serial_no))
    })?;
    let key_index = merchant
        .keys
        .iter()
        .position(|k| k.serial_no == serial)
        .ok_or_else(|| {
            PayError::sign(format!(
                "serial_no {} is not an API certificate of merchant {}",
                auth.serial_no, auth.mchid
            ))
        })?;
    let key = &merchant.keys[key_index];
    let now = state.clock.now();
    if let Some(not_after) = key.not_after {
        if now >= not_after {
            return Err(PayError::sign(format!(
                "the API certificate {serial} expired at {}",
                rfc3339_cst(not_after)
            )));
        }
    }
    let timestamp = auth.timestamp_secs();
    let window = state.settings.signature_window_secs;
    if (now - timestamp).abs() >= window {
        return Err(PayError::sign(format!(
            "timestamp {timestamp} is {} s away from kabao's clock ({now}); a request must be signed within {window} s",
            (now - timestamp).abs()
        )));
    }
    Ok(AuthenticatedCaller {
        merchant,
        auth,
        serial,
        key_index,
    })
}

impl AuthenticatedCaller {
    /// Records the verified request's nonce; a nonce this merchant already
    /// used within the signature window is 401 SIGN_ERROR (a replay).
    /// Called only after [`AuthenticatedCaller::verify`], so nobody but the
    /// key's holder can use up a merchant's nonces.
    pub(super) fn refuse_replay(&self, state: &AppState) -> Result<(), PayError> {
        let window = state.settings.signature_window_secs;
        let fresh = state.nonces.first_use(
            &self.auth.mchid,
            &self.auth.nonce_str,
            self.auth.timestamp_secs(),
            state.clock.now(),
            window,
        );
        if fresh {
            return Ok(());
        }
        Err(PayError::sign(format!(
            "nonce_str {} was already used by mchid {} within the last {window} s; a replayed request is refused, sign each request with a new nonce",
            self.auth.nonce_str, self.auth.mchid
        )))
    }

    /// Verifies the signature over the request line of `parts` and
    /// `signed_body`; a mismatch is 401 SIGN_ERROR showing the message
    /// kabao checked.
    pub(super) fn verify(&self, parts: &Parts, signed_body: &[u8]) -> Result<(), SignMismatch> {
        let (auth, serial) = (&self.auth, &self.serial);
        let key = &self.merchant.keys[self.key_index];
        let target = parts
            .extensions
            .get::<OriginalUri>()
            .map(|u| &u.0)
            .unwrap_or(&parts.uri)
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_else(|| "/".into());
        let method = parts.method.as_str();
        let verifies = |url: &str| {
            let message =
                request_message(method, url, &auth.timestamp, &auth.nonce_str, signed_body);
            key.public_key
                .verify_sha256_b64(&message, &auth.signature)
                .is_ok()
        };
        // Python's wechatpayv3 signs query strings before percent-encoding, so
        // the decoded target is tried when the wire form does not verify.
        let verifies_decoded = || {
            let decoded = percent_encoding::percent_decode_str(&target).decode_utf8_lossy();
            decoded != target.as_str() && verifies(&decoded)
        };
        if !verifies(&target) && !verifies_decoded() {
            return Err(SignMismatch(format!(
                "the signature does not verify with API certificate {serial}; kabao checked the message \"{method}\\n{target}\\n{}\\n{}\\n<{} body bytes>\\n\"",
                auth.timestamp,
                auth.nonce_str,
                signed_body.len()
            )));
        }
        Ok(())
    }
}

/// A signature that does not verify, with the message kabao checked; it
/// becomes 401 SIGN_ERROR.
#[derive(Debug)]
pub(super) struct SignMismatch(String);

impl From<SignMismatch> for PayError {
    fn from(e: SignMismatch) -> Self {
        PayError::sign(e.0)
    }
}
