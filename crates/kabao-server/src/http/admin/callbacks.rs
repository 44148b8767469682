//! APIv3 callbacks on the control API: every delivery attempt, redelivery and duplication.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
