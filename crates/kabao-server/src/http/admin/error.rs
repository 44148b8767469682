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
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de)
            .map(AdminJson)
            .map_err(|e| {
                let path = e.path().to_string();
                let field = if path == "." { "body".to_owned() } else { path };
                AdminError::field(FieldError::new(field, e.into_inner().to_string()))
            })
    }
}
