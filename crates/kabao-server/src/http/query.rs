//! Query-string reading that never rejects: WeChat answers a malformed query
//! with its own family error, so handlers read parameters themselves.

use axum::http::Uri;

/// Decoded `key=value` pairs of the URI's query, in order.
pub fn pairs(uri: &Uri) -> Vec<(String, String)> {
    uri.query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
}

/// The first value of `key`, if present.
pub fn param(uri: &Uri, key: &str) -> Option<String> {
    pairs(uri)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
}
