//! Person-facing pages under `/_kabao/`: the invoice authorisation page
//! behind getauthurl's `auth_url`, and PDF downloads behind `pdf_url`.

mod authorize;
mod fapiao_file;
mod fapiao_invite;
mod fapiao_title;
mod html;
mod pdf;

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

/// Routes of the pages (outside the control API's bearer token).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/_kabao/authorize/{key}",
            get(authorize::show).post(authorize::submit),
        )
        .route("/_kabao/media/pdf", get(pdf::download))
        .merge(fapiao_title::routes())
        .merge(fapiao_invite::routes())
        .merge(fapiao_file::routes())
}
