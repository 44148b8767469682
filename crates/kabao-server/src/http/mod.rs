//! The HTTP surface: one router for the Official Account family, the APIv3
//! families under `/v3`, and kabao's own `/_kabao` pages and control API.

pub mod admin;
pub mod deadline;
pub mod json_shape;
pub mod links;
pub mod oa;
pub mod pay;
pub mod query;
pub mod request_bodies;
pub mod route_list;
pub mod web;

use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use tower_http::trace::TraceLayer;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(oa::routes())
        .merge(web::routes())
        .nest("/v3", pay::routes(state.clone()))
        .nest("/_kabao/api", admin::routes(state.clone()))
        .route("/_kabao/health", get(health))
        .fallback(fallback)
        .layer(axum::middleware::from_fn(web::count_requests))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            deadline::request_deadline,
        ))
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(state)
}

/// The log span of a request: method and path only, because query strings
/// carry secrets (`secret=`, `access_token=`) that must never reach the logs.
fn request_span<B>(req: &axum::http::Request<B>) -> tracing::Span {
    tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
}

/// Liveness and store reachability.
async fn health(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({"status": "ok", "store": state.store.backend(), "now": state.clock.now()})).into_response(),
        Err(e) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "store": state.store.backend(), "error": e.to_string()})),
        )
            .into_response(),
    }
}

/// Unknown paths: `/_kabao/…` gets the control API's 404; anything else is an
/// Official Account path, answered `40066 invalid url` as the real service does.
async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/_kabao") {
        admin::AdminError::not_found(format!("nothing at {}", uri.path())).into_response()
    } else {
        oa::unknown_path().await.into_response()
    }
}
