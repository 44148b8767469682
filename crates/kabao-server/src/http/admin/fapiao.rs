//! Fapiao outcomes on the control API: how and when the asynchronous steps end, releasing held steps, reading applications.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
