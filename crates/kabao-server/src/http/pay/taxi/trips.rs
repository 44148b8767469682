//! Routes of the taxi trips area.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
