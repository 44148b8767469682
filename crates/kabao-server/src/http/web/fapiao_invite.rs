//! The invitation page behind getspinviteurl's invite_url, where a sub-merchant accepts its provider.

use crate::state::AppState;
use axum::Router;

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
