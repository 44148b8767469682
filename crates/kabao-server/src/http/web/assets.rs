//! `GET /_kabao/static/kabao.css`: the pages' one stylesheet, compiled into
//! the binary so no page loads anything from outside kabao. Cached for an
//! hour and revalidated by ETag.

use crate::state::AppState;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::sync::LazyLock;

/// Where the stylesheet is served (the layout links it).
pub const CSS_PATH: &str = "/_kabao/static/kabao.css";

const CSS: &str = include_str!("../../../static/kabao.css");

/// A strong validator of this build's stylesheet.
static ETAG: LazyLock<String> = LazyLock::new(|| {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, CSS.as_bytes());
    format!("\"{}\"", hex::encode(&digest.as_ref()[..8]))
});

/// Routes of the static files.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(CSS_PATH, get(stylesheet))
}

async fn stylesheet(headers: HeaderMap) -> Response {
    let cache = (header::CACHE_CONTROL, "public, max-age=3600");
    let etag = (header::ETAG, ETAG.as_str());
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == ETAG.as_str()));
    if fresh {
        return (StatusCode::NOT_MODIFIED, [cache, etag]).into_response();
    }
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            cache,
            etag,
        ],
        CSS,
    )
        .into_response()
}
