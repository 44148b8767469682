//! The console's only way to read and change kabao: calls of the JSON
//! control API, dispatched in process through its own router (with the
//! admin token), so every button runs exactly what `/_kabao/api/…` runs.

use crate::http::admin;
use crate::state::AppState;
use axum::body::Body;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// Why a control API call did not succeed: the field it names (when it
/// names one) and its message.
#[derive(Debug, Clone)]
pub struct ControlError {
    /// The offending field, as the control API names it.
    pub field: Option<String>,
    /// The control API's message.
    pub message: String,
}

/// Calls `method path` of the control API (`path` relative to
/// `/_kabao/api`, with its query) with an optional JSON body.
pub async fn call(
    state: &AppState,
    method: Method,
    path: &str,
    body: Option<&Value>,
) -> Result<Value, ControlError> {
    let mut request = Request::builder().method(method).uri(path).header(
        AUTHORIZATION,
        format!("Bearer {}", state.settings.admin_token),
    );
    let body = match body {
        Some(json) => {
            request = request.header(CONTENT_TYPE, "application/json");
            Body::from(json.to_string())
        }
        None => Body::empty(),
    };
    let request = request.body(body).map_err(|e| internal(e.to_string()))?;
    let router = admin::routes(state.clone()).with_state(state.clone());
    let response = router
        .oneshot(request)
        .await
        .map_err(|e| internal(e.to_string()))?;
    let status = response.status();
    let bytes = response
        .into_body()
        .collect()
        .await
        .map_err(|e| internal(e.to_string()))?
        .to_bytes();
    let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(json);
    }
    Err(ControlError {
        field: json["field"].as_str().map(str::to_owned),
        message: json["message"]
            .as_str()
            .unwrap_or("the control API refused the call")
            .to_owned(),
    })
}

/// `GET path` of the control API.
pub async fn get(state: &AppState, path: &str) -> Result<Value, ControlError> {
    call(state, Method::GET, path, None).await
}

fn internal(message: String) -> ControlError {
    ControlError {
        field: None,
        message,
    }
}

/// `text` as one path segment of a control API path (so an id typed or
/// linked cannot reach another route).
pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
