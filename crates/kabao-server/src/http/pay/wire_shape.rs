//! Answers that did not come from a kabao handler — axum's own rejections
//! (a method the route does not serve, a path or query that does not decode,
//! a body over a route's limit) — are plain text or empty. Every SDK parses
//! an APIv3 error body as JSON with a `code` (a non-JSON body throws in
//! wechatpay-java), so they are reshaped into the APIv3 error here, before
//! signing, in one place rather than per route.

use super::error::{method_not_allowed_answer, PayError};
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use kabao_protocol::apiv3::ErrorCode;

/// `Some(answer)` replacing an error answer whose body is not JSON; `None`
/// when the answer already has the APIv3 shape (or is a success).
pub fn reshape(
    method: &Method,
    status: StatusCode,
    headers: &axum::http::HeaderMap,
    body: &Bytes,
) -> Option<Response> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return None;
    }
    let text = String::from_utf8_lossy(body).trim().to_owned();
    Some(match status {
        StatusCode::METHOD_NOT_ALLOWED => method_not_allowed_answer(method),
        StatusCode::PAYLOAD_TOO_LARGE => {
            PayError::param("body", "body", "the request body is too large").into_response()
        }
        s if s.is_server_error() => PayError::system(text).into_response(),
        _ => {
            let reason = if text.is_empty() {
                format!("the request was refused ({status})")
            } else {
                text
            };
            PayError::new(ErrorCode::ParamError, reason).into_response()
        }
    })
}
