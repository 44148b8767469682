//! The Official Account surface on `api.weixin.qq.com`: `/cgi-bin/*` now,
//! `/card/invoice/*` and `/nontax/*` as their families land. Every answer is
//! HTTP 200 with `{errcode, errmsg}` on failure, as the real service does.

pub(crate) mod error;
pub(crate) mod extract;
pub(crate) mod invoice;
pub use invoice::read_pdf_part;
mod ticket;
pub(crate) mod token;

pub use error::OaError;
pub use extract::{OaCaller, OaJson};

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Routes of the Official Account family.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(invoice::routes())
        .route(
            "/cgi-bin/token",
            get(token::token).fallback(error::require_get),
        )
        .route(
            "/cgi-bin/stable_token",
            post(token::stable_token).fallback(error::require_post),
        )
        .route(
            "/cgi-bin/ticket/getticket",
            get(ticket::get_ticket).fallback(error::require_get),
        )
        .layer(axum::middleware::from_fn(error::json_errors))
}

/// The answer to any path kabao does not serve outside `/v3` and `/_kabao`.
pub async fn unknown_path() -> OaError {
    OaError::new(kabao_protocol::oa::OaErrcode::InvalidUrl)
}
