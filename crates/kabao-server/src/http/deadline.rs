//! The whole-request deadline: a client that takes longer than
//! `Settings::request_timeout_secs` to send its request (a slow-loris body
//! trickling in byte by byte) and have it answered gets 408 and the
//! connection is closed, so it cannot hold a connection and a handler forever.
//! Header reading has its own limit ([`crate::server::HEADER_READ_TIMEOUT`]).

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::time::Duration;

/// Runs the request within the deadline, else answers 408 with
/// `Connection: close`.
pub async fn request_deadline(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let limit = state.settings.request_timeout_secs;
    match tokio::time::timeout(Duration::from_secs(limit), next.run(request)).await {
        Ok(response) => response,
        Err(_) => (
            StatusCode::REQUEST_TIMEOUT,
            [(header::CONNECTION, "close")],
            format!("the request was not received and answered within {limit} s\n"),
        )
            .into_response(),
    }
}
