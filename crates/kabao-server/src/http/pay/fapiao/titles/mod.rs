//! User titles (抬头): title-url (F8) hands out a link to kabao's title
//! page, the person fills it in (or the control API does), kabao sends
//! FAPIAO.USER_APPLIED, and user-title (F9) reads the title back.

mod input;
mod title_url;
mod user_title;

pub use input::{submit_title, TitleInput, TitleSubmitError};

use crate::state::AppState;
use axum::routing::get;
use axum::Router;

/// Routes of this area, relative to `/v3`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/new-tax-control-fapiao/user-title/title-url",
            get(title_url::title_url),
        )
        .route(
            "/new-tax-control-fapiao/user-title",
            get(user_title::user_title),
        )
}
