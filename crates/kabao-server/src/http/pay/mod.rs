//! The WeChat Pay APIv3 surface on `api.mch.weixin.qq.com`: every route is
//! behind [`signing::sign_responses`], and every handler that acts for a
//! merchant takes a [`SignedRequest`].

mod certificates;
mod error;
mod extract;
pub mod fapiao;
pub mod signing;
pub(crate) mod taxi;
mod upload;
mod wire_shape;

pub use error::{pay_json, PayError, JSON_CONTENT_TYPE};
pub use extract::SignedRequest;
pub use upload::{parse_multipart, FormPart, SignedUpload, UploadedFile};

use crate::state::AppState;
use axum::middleware;
use axum::routing::get;
use axum::Router;

/// Routes of the APIv3 families, to be nested under `/v3`.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route(
            "/certificates",
            get(certificates::certificates).fallback(error::method_not_allowed),
        )
        .merge(fapiao::routes())
        .merge(taxi::routes())
        .fallback(error::unknown_api)
        .layer(middleware::from_fn_with_state(
            state,
            signing::sign_responses,
        ))
}
