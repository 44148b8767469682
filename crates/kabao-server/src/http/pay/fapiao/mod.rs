//! `/v3/new-tax-control-fapiao/*`: WeChat Pay fapiao, for direct merchants
//! and for service providers acting for sub-merchants (`sub_mchid`).
//! Each area owns one module and its routes; the helpers shared by all of
//! them (who a call acts for, body parsing, sensitive fields) live here.

mod body;
pub(crate) mod issuing;
mod onboarding;
mod party;
pub(crate) mod self_issued;
mod sensitive;
pub(crate) mod setup;
pub(crate) mod titles;

pub use body::parse_body;
pub use issuing::{download_token_claims, fapiao_view, DownloadClaims, FAPIAO_FILE_PATH};
pub use party::resolve_party;
pub use sensitive::{decrypt_sensitive, encrypt_for_merchant};

use crate::http::pay::PayError;
use crate::state::AppState;
use axum::Router;
use kabao_protocol::apiv3::ErrorCode;

/// Routes of the fapiao family, relative to `/v3`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(setup::routes())
        .merge(titles::routes())
        .merge(onboarding::routes())
        .merge(issuing::routes())
        .merge(self_issued::routes())
}

/// An error with `code` naming the body field `field` (in `detail` and in
/// `message`): the business errors of the fapiao calls.
pub(crate) fn field_error(code: ErrorCode, field: &str, issue: impl Into<String>) -> PayError {
    PayError::field(code, field, "body", issue)
}
