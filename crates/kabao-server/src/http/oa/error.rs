//! The Official Account error answer: HTTP 200, `{"errcode":N,"errmsg":"…"}`,
//! with kabao's detail (which field, why) after the standard text.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kabao_protocol::oa::{OaErrcode, OaErrorBody};

/// An Official Account error as it goes on the wire.
#[derive(Debug, Clone)]
pub struct OaError(pub OaErrorBody);

impl OaError {
    /// The code with its standard errmsg.
    pub fn new(code: OaErrcode) -> Self {
        Self(OaErrorBody::new(code))
    }

    /// The code with kabao's explanation appended to errmsg.
    pub fn with_detail(code: OaErrcode, detail: impl AsRef<str>) -> Self {
        Self(OaErrorBody::with_detail(code, detail.as_ref()))
    }

    /// `-1 system error`, after logging the cause (never shown to callers).
    pub fn system(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error on an Official Account call");
        Self::new(OaErrcode::SystemError)
    }
}

impl From<crate::store::StoreError> for OaError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::system(e)
    }
}

/// The content type the real service answers with.
pub const OA_CONTENT_TYPE: &str = "application/json; encoding=utf-8";

/// A JSON body with the Official Account content type and HTTP 200.
pub fn oa_json(body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    (
        StatusCode::OK,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(OA_CONTENT_TYPE),
        )],
        bytes,
    )
        .into_response()
}

impl IntoResponse for OaError {
    fn into_response(self) -> Response {
        oa_json(&self.0)
    }
}

/// 43001 for a non-GET call to a GET endpoint.
pub async fn require_get() -> OaError {
    OaError::new(OaErrcode::RequireGet)
}

/// 43002 for a non-POST call to a POST endpoint.
pub async fn require_post() -> OaError {
    OaError::new(OaErrcode::RequirePost)
}

/// Middleware: an answer that is not JSON (axum's own rejections: a query
/// that does not decode, a body over a route's limit, a method the route
/// does not serve) becomes the Official Account error on HTTP 200, since
/// wechatpy reads only HTTP 200 JSON answers for an errcode.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_owned();
    let error = match status {
        StatusCode::METHOD_NOT_ALLOWED if method == axum::http::Method::GET => {
            OaError::new(OaErrcode::RequirePost)
        }
        StatusCode::METHOD_NOT_ALLOWED => OaError::new(OaErrcode::RequireGet),
        StatusCode::PAYLOAD_TOO_LARGE => {
            OaError::with_detail(OaErrcode::DataFormatError, "the request body is too large")
        }
        s if s.is_server_error() => OaError::system(text),
        _ => OaError::with_detail(OaErrcode::InvalidArgs, text),
    };
    error.into_response()
}
