//! Issuing (fapiao-applications F10 and the 数电 issue-* variants F11–F14),
//! query (F15), reverse (F16) and fapiao-files (F17). Each call is checked
//! completely before anything is stored; the outcome then arrives through
//! the fapiao worker and FAPIAO.* callbacks.

mod build;
mod checks;
mod classic;
mod digital;
mod errors;
pub(crate) mod files;
mod query;
mod rate;
pub(crate) mod reverse;
mod view;

pub use files::{download_token_claims, DownloadClaims, FAPIAO_FILE_PATH};
pub use view::fapiao_view;

use crate::state::AppState;
use axum::routing::{get, post};
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    const BASE: &str = "/new-tax-control-fapiao/fapiao-applications";
    Router::new()
        .route(BASE, post(classic::issue))
        .route(
            &format!("{BASE}/issue-general"),
            post(digital::issue_general),
        )
        .route(
            &format!("{BASE}/issue-passenger-transport"),
            post(digital::issue_passenger_transport),
        )
        .route(
            &format!("{BASE}/issue-refined-oil"),
            post(digital::issue_refined_oil),
        )
        .route(
            &format!("{BASE}/real-estate-leasing"),
            post(digital::issue_real_estate_leasing),
        )
        .route(&format!("{BASE}/{{fapiao_apply_id}}"), get(query::query))
        .route(
            &format!("{BASE}/{{fapiao_apply_id}}/reverse"),
            post(reverse::reverse),
        )
        .route(
            &format!("{BASE}/{{fapiao_apply_id}}/fapiao-files"),
            get(files::fapiao_files).post(files::fapiao_files),
        )
}
