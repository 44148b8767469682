//! Person-facing pages under `/_kabao/`: the invoice authorisation page
//! behind getauthurl's `auth_url`, the fapiao title and invitation pages,
//! a user's card package, and PDF downloads behind `pdf_url`. Templates
//! (askama, `templates/`) are compiled into the binary on one layout with
//! one stylesheet served by kabao itself.

mod assets;
mod authorize;
mod cards;
mod console;
mod fapiao_file;
mod fapiao_invite;
mod fapiao_title;
mod forms;
mod html;
mod pdf;

pub use console::count_requests;

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
        .merge(cards::routes())
        .merge(assets::routes())
        .merge(console::routes())
}
