//! `GET /_kabao/media/pdf?media_key=…`: the PDF behind a `pdf_url`, shown
//! inline in the browser while the link is valid (7200 s).

use super::html::{message, store_unavailable};
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// Serves the file, or a 404 page for an unknown or expired link.
pub async fn download(State(state): State<AppState>, uri: Uri) -> Response {
    let key = query::param(&uri, "media_key").unwrap_or_default();
    let found = match state.store.pdf_by_link(&key).await {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "reading a PDF link");
            return store_unavailable();
        }
    };
    match found {
        Some((media, expires_at)) if expires_at > state.clock.now() => {
            let filename = media.filename.replace(['"', '\\', '\r', '\n'], "_");
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"{filename}\""),
                    ),
                ],
                media.content,
            )
                .into_response()
        }
        Some(_) => message(
            StatusCode::NOT_FOUND,
            "链接已过期",
            &["This pdf_url expired; ask for a new one (getpdf)."],
        ),
        None => message(
            StatusCode::NOT_FOUND,
            "链接无效",
            &["No PDF behind this link."],
        ),
    }
}
