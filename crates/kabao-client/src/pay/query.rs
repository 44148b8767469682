//! Building request targets: path segments and query values percent-encoded
//! once, so the target signed is byte for byte the target sent (a plate
//! number such as `沪A12345`, an RFC 3339 time with `+08:00`, an encrypted
//! base64 value).

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the unreserved characters of RFC 3986.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A path segment (an id taken from user data) percent-encoded.
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

/// A query string under construction; absent values are left out.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `key=value`.
    pub fn push(mut self, key: &str, value: impl ToString) -> Self {
        self.pairs.push((key.to_owned(), value.to_string()));
        self
    }

    /// Adds `key=value` when `value` is present.
    pub fn push_opt<V: ToString>(self, key: &str, value: Option<V>) -> Self {
        match value {
            Some(v) => self.push(key, v),
            None => self,
        }
    }

    /// `path` followed by `?…` when there is any pair.
    pub fn to_target(&self, path: &str) -> String {
        if self.pairs.is_empty() {
            return path.to_owned();
        }
        let query = self
            .pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_path_segment(k), encode_path_segment(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("{path}?{query}")
    }
}
