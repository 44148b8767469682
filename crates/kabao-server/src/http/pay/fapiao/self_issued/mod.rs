//! Self-issued fapiao: a merchant that issues fapiao in its own system
//! uploads the file (upload-fapiao-file, F19) and inserts it into the
//! buyer's card package (insert-cards, F20).

pub(crate) mod body;
mod errors;
mod face;
mod insert;
pub(crate) mod rules;
pub(crate) mod upload;

use crate::http::pay::error::method_not_allowed;
use crate::state::AppState;
use axum::routing::post;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/new-tax-control-fapiao/fapiao-applications/upload-fapiao-file",
            post(upload::upload_fapiao_file).fallback(method_not_allowed),
        )
        .route(
            "/new-tax-control-fapiao/fapiao-applications/{fapiao_apply_id}/insert-cards",
            post(insert::insert_cards).fallback(method_not_allowed),
        )
}
