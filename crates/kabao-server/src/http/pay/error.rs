//! The APIv3 error answer: the status of its code and
//! `{"code","message","detail"?}`, where `detail` names the field.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use kabao_protocol::apiv3::{ErrorBody, ErrorCode, ErrorDetail};

/// An APIv3 error as it goes on the wire (signed by the middleware).
#[derive(Debug, Clone)]
pub struct PayError {
    /// The code, which decides the HTTP status.
    pub code: ErrorCode,
    /// The message.
    pub message: String,
    /// Which field, where, and what is wrong with it.
    pub detail: Option<ErrorDetail>,
}

impl PayError {
    /// An error with a message and no detail.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            detail: None,
        }
    }

    /// 401 SIGN_ERROR with the reason.
    pub fn sign(reason: impl Into<String>) -> Self {
        Self::new(ErrorCode::SignError, reason)
    }

    /// 400 PARAM_ERROR naming `field` at `location` (`body`, `query`, `path`, `header`).
    pub fn param(field: &str, location: &str, issue: impl Into<String>) -> Self {
        Self::field(ErrorCode::ParamError, field, location, issue)
    }

    /// An error with `code` whose message and `detail` name `field` at `location`.
    pub fn field(code: ErrorCode, field: &str, location: &str, issue: impl Into<String>) -> Self {
        let issue = issue.into();
        Self {
            code,
            message: format!("{field}: {issue}"),
            detail: Some(ErrorDetail {
                field: Some(field.to_owned()),
                value: None,
                issue: Some(issue),
                location: Some(location.to_owned()),
            }),
        }
    }

    /// 500 SYSTEM_ERROR, after logging the cause (never shown to callers).
    pub fn system(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error on an APIv3 call");
        Self::new(ErrorCode::SystemError, "system error, try again later")
    }
}

impl From<crate::store::StoreError> for PayError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::system(e)
    }
}

/// `application/json; charset=utf-8`, which every SDK accepts.
pub const JSON_CONTENT_TYPE: &str = "application/json; charset=utf-8";

impl IntoResponse for PayError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.code.http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = ErrorBody {
            code: self.code.as_str().to_owned(),
            message: self.message,
            detail: self.detail,
        };
        let bytes = serde_json::to_vec(&body).unwrap_or_default();
        (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            )],
            bytes,
        )
            .into_response()
    }
}

/// 404 NOT_FOUND for a `/v3` path kabao does not serve.
pub async fn unknown_api(uri: axum::http::Uri) -> PayError {
    PayError::new(
        ErrorCode::NotFound,
        format!("no APIv3 endpoint at {}", uri.path()),
    )
}

/// 405 INVALID_REQUEST for a known path called with the wrong method.
pub async fn method_not_allowed(method: axum::http::Method) -> Response {
    method_not_allowed_answer(&method)
}

/// The answer of [`method_not_allowed`], for code that is not a handler.
pub fn method_not_allowed_answer(method: &axum::http::Method) -> Response {
    let mut response = PayError::new(
        ErrorCode::InvalidRequest,
        format!("method {method} is not allowed here"),
    )
    .into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}

/// A JSON success body with the APIv3 content type.
pub fn pay_json<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(JSON_CONTENT_TYPE),
            )],
            bytes,
        )
            .into_response(),
        Err(e) => PayError::system(e).into_response(),
    }
}
