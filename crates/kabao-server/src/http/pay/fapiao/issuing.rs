//! Issuing (fapiao-applications and the 数电 issue-* variants), query, reverse and fapiao-files.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
