//! Errors of the control API: a status and `{"error","message","field"?}`.

use crate::domain::FieldError;
use crate::provision::ProvisionError;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A control-API error.
#[derive(Debug, Clone)]
pub struct AdminError {
    status: StatusCode,
    body: AdminErrorBody,
}

#[derive(Debug, Clone, Serialize)]
struct AdminErrorBody {
    error: &'static str,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

impl AdminError {
    fn new(
        status: StatusCode,
        error: &'static str,
        message: impl Into<String>,
        field: Option<String>,
    ) -> Self {
        Self {
            status,
            body: AdminErrorBody {
                error,
                message: message.into(),
                field,
            },
        }
    }

    /// 401: missing or wrong admin token.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send Authorization: Bearer <admin token>",
            None,
        )
    }

    /// 404 for a missing resource.
    pub fn not_found(what: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", what, None)
    }

    /// 404 naming the field whose value names nothing that exists.
    pub fn not_found_field(e: FieldError) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            e.to_string(),
            Some(e.field),
        )
    }

    /// 409: the resource is not in a state that allows the step.
    pub fn conflict(what: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "conflict", what, None)
    }

    /// 400 naming a field.
    pub fn field(e: FieldError) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_field",
            e.to_string(),
            Some(e.field),
        )
    }

    /// 405 for a method the endpoint does not serve.
    pub fn method_not_allowed(method: &axum::http::Method) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!("method {method} is not allowed here"),
            None,
        )
    }

    /// 400 for a request axum refused before a handler saw it (a path or
    /// query that does not decode, a body over a limit).
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message, None)
    }

    /// 500, after logging the cause.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error on the control API");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error; see kabao's log",
            None,
        )
    }
}

impl From<ProvisionError> for AdminError {
    fn from(e: ProvisionError) -> Self {
        match e {
            ProvisionError::Field(f) => Self::field(f),
            ProvisionError::Store(crate::store::StoreError::Conflict(c)) => {
                Self::new(StatusCode::CONFLICT, "conflict", c, None)
            }
            other => Self::internal(other),
        }
    }
}

impl From<crate::store::StoreError> for AdminError {
    fn from(e: crate::store::StoreError) -> Self {
        Self::internal(e)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// 404 for an unknown control-API path.
pub async fn not_found(uri: axum::http::Uri) -> AdminError {
    AdminError::not_found(format!("no control API endpoint at {}", uri.path()))
}

/// A JSON body for the control API; errors name the field.
pub struct AdminJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for AdminJson<T> {
    type Rejection = AdminError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, AdminError> {
        let bytes = axum::body::to_bytes(req.into_body(), 1024 * 1024)
            .await
            .map_err(|_| AdminError::field(FieldError::new("body", "exceeds 1 MiB")))?;
        crate::http::json_shape::check(&bytes)
            .map_err(|p| AdminError::field(FieldError::new(p.field(), p.reason())))?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(de)
            .map(AdminJson)
            .map_err(|e| {
                let path = e.path().to_string();
                let inner = e.into_inner().to_string();
                let missing = inner
                    .strip_prefix("missing field `")
                    .and_then(|rest| rest.split('`').next());
                let field = match (path.as_str(), missing) {
                    ("." | "", Some(m)) => m.to_owned(),
                    (p, Some(m)) => format!("{p}.{m}"),
                    ("." | "", None) => "body".to_owned(),
                    (p, None) => p.to_owned(),
                };
                AdminError::field(FieldError::new(field, inner))
            })?;
        Ok(value)
    }
}

/// Middleware: an error answer that is not JSON (axum's own rejections: a
/// method the route does not serve, a path or query that does not decode)
/// becomes the control API's `{"error","message"}`, so every refusal has
/// one shape.
pub async fn json_errors(req: Request, next: axum::middleware::Next) -> Response {
    let method = req.method().clone();
    let response = next.run(req).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        return AdminError::method_not_allowed(&method).into_response();
    }
    let body = axum::body::to_bytes(response.into_body(), 64 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&body).trim().to_owned();
    if status.is_server_error() {
        return AdminError::internal(text).into_response();
    }
    let mut answer = AdminError::bad_request(text).into_response();
    *answer.status_mut() = status;
    answer
}
