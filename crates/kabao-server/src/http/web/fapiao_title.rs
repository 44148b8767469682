//! The title page behind title-url's title_url, where a person fills in the invoice title (抬头).

use crate::state::AppState;
use axum::Router;

/// Routes of this page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
}
