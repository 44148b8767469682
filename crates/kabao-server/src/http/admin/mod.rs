//! The JSON control API under `/_kabao/api/`, protected by the admin bearer
//! token: provisioning, the clock, and (as families land) the outcome
//! controls. Its OpenAPI document is served at `/_kabao/api/openapi.json`.

mod callbacks;
mod clock;
mod error;
mod fapiao;
mod fapiao_cards;
mod fapiao_setup;
mod fapiao_titles;
mod invoices;
mod outbox;
mod pushes;
mod taxi;
mod tenants;

pub use clock::CLOCK_OFFSET_KEY;
pub use error::AdminError;

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The control API's OpenAPI 3 document.
pub const OPENAPI_JSON: &str = include_str!("openapi.json");

/// Routes to nest under `/_kabao/api`.
pub fn routes(state: AppState) -> Router<AppState> {
    let protected = Router::new()
        .route("/apps", get(tenants::list_apps).post(tenants::create_app))
        .route("/apps/{appid}", get(tenants::get_app))
        .route(
            "/merchants",
            get(tenants::list_merchants).post(tenants::create_merchant),
        )
        .route("/merchants/{mchid}", get(tenants::get_merchant))
        .route(
            "/platform-keys",
            get(tenants::list_platform_keys).post(tenants::create_platform_key),
        )
        .route(
            "/users",
            get(tenants::list_users).post(tenants::create_user),
        )
        .route("/clock", get(clock::get_clock).post(clock::move_clock))
        .merge(pushes::routes())
        .merge(invoices::routes())
        .merge(fapiao_setup::routes())
        .merge(fapiao::routes())
        .merge(fapiao_cards::routes())
        .merge(callbacks::routes())
        .merge(fapiao_titles::routes())
        .merge(taxi::routes())
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(state, require_admin));
    Router::new()
        .route("/openapi.json", get(openapi))
        .merge(protected)
        .layer(middleware::from_fn(error::json_errors))
}

async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}

/// Refuses any call without `Authorization: Bearer <admin token>`.
async fn require_admin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let presented = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let expected = state.settings.admin_token.as_bytes();
    match presented {
        Some(token) if !expected.is_empty() && constant_time_eq(token.as_bytes(), expected) => {
            next.run(req).await
        }
        _ => AdminError::unauthorized().into_response(),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
