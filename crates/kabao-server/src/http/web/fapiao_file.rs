//! Fapiao file downloads behind fapiao-files' download_url (F18).

use crate::state::AppState;
use axum::Router;

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
