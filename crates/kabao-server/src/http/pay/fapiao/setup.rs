//! Merchant setup: check-status/check, base-information, tax-codes, development-config and card-template.

use crate::state::AppState;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
