//! Fapiao setup on the control API: paid WeChat Pay orders, the tax-code table, provider authorisation, filling in a title as the user would.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
