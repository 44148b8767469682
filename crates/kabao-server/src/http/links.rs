//! The base of links kabao hands out (authorisation pages, PDF downloads):
//! `--public-url` when set, else the scheme and `Host` the caller used, so
//! a link works from wherever the caller reached kabao.

use crate::state::AppState;
use axum::http::{header, HeaderMap};

/// `https://host:port` without a trailing slash.
pub fn public_base(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let scheme = if state.settings.tls { "https" } else { "http" };
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic()))
        .unwrap_or("127.0.0.1");
    format!("{scheme}://{host}")
}
