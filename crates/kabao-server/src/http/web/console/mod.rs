//! The console under `/_kabao/console`: server-rendered pages over the
//! control API for a person: tenants, the demo world, fapiao applications,
//! callback and event-push deliveries, the clock, outcomes and the forms
//! that make orders and rides. Every change goes through the control API
//! ([`control::call`]), so a button does exactly what the API call does.

mod chart;
mod control;
mod deliveries;
mod fapiao;
mod form;
mod overview;
mod session;
mod settings;
mod tenants;
mod traffic;

pub use traffic::count as count_requests;

use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use kabao_protocol::apiv3::rfc3339_cst;

/// Routes of the console; every handler but the login form takes a
/// [`session::Session`].
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/_kabao/console", get(overview::show))
        .route("/_kabao/console/", get(overview::show))
        .route(
            "/_kabao/console/login",
            get(overview::login_form).post(overview::login),
        )
        .route("/_kabao/console/logout", post(overview::logout))
        .merge(tenants::routes())
        .merge(fapiao::routes())
        .merge(deliveries::routes())
        .merge(settings::routes())
}

/// Renders a console page (200).
fn render(page: &impl askama::Template) -> Response {
    super::html::render(StatusCode::OK, page)
}

/// A time in Unix seconds as kabao shows it (RFC 3339, +08:00).
fn seconds(value: &serde_json::Value) -> String {
    value.as_i64().map(rfc3339_cst).unwrap_or_default()
}

/// A time in Unix milliseconds as kabao shows it.
fn millis(value: &serde_json::Value) -> String {
    value
        .as_i64()
        .map(|ms| rfc3339_cst(ms.div_euclid(1000)))
        .unwrap_or_default()
}

/// A JSON value as text: strings bare, null empty, the rest as JSON.
fn text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The `notice` query parameter: what the last button did.
fn notice(uri: &axum::http::Uri) -> Option<String> {
    crate::http::query::param(uri, "notice").filter(|n| !n.is_empty())
}

/// A path with `notice` set to `message`.
fn with_notice(path: &str, message: &str) -> String {
    let encoded: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    let sep = if path.contains('?') { '&' } else { '?' };
    format!("{path}{sep}notice={encoded}")
}
