//! offset/limit paging of fapiao lists (tax-codes, listspinvitemchinfo):
//! both required, checked the way WeChat Pay does, and the `links` object
//! pointing at the next, previous and current page.

use crate::http::pay::PayError;
use crate::http::query;
use axum::http::Uri;
use serde::Serialize;

/// A requested page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Rows skipped.
    pub offset: i64,
    /// Most rows answered.
    pub limit: i64,
}

/// `links` of a paged answer; absent links are left out.
#[derive(Debug, Clone, Serialize)]
pub struct Links {
    /// The next page, when there are rows after this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The previous page, when this one does not start at 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// This page.
    #[serde(rename = "self")]
    pub this: String,
}

/// Reads the required `offset` (≥ 0) and `limit` (1..=`max_limit`) query
/// parameters; PARAM_ERROR names the one that is missing or out of range.
pub fn parse_page(uri: &Uri, max_limit: i64) -> Result<Page, PayError> {
    let offset = required_integer(uri, "offset")?;
    if offset < 0 {
        return Err(PayError::param("offset", "query", "must be 0 or more"));
    }
    let limit = required_integer(uri, "limit")?;
    if !(1..=max_limit).contains(&limit) {
        return Err(PayError::param(
            "limit",
            "query",
            format!("must be between 1 and {max_limit}"),
        ));
    }
    Ok(Page { offset, limit })
}

fn required_integer(uri: &Uri, name: &str) -> Result<i64, PayError> {
    let raw =
        query::param(uri, name).ok_or_else(|| PayError::param(name, "query", "is required"))?;
    raw.parse::<i64>()
        .map_err(|_| PayError::param(name, "query", format!("must be an integer, not {raw:?}")))
}

/// The links of `page` within `total` rows at `path` (`/v3/...`); `keep`
/// are the other query parameters every link repeats (sub_mchid, filters).
pub fn links(path: &str, keep: &[(&str, String)], page: Page, total: i64) -> Links {
    let at = |offset: i64| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (k, v) in keep {
            query.append_pair(k, v);
        }
        query.append_pair("offset", &offset.to_string());
        query.append_pair("limit", &page.limit.to_string());
        format!("{path}?{}", query.finish())
    };
    Links {
        next: (page.offset + page.limit < total).then(|| at(page.offset + page.limit)),
        prev: (page.offset > 0).then(|| at((page.offset - page.limit).max(0))),
        this: at(page.offset),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_point_at_the_neighbouring_pages_only_when_they_exist() {
        let page = Page {
            offset: 0,
            limit: 5,
        };
        let l = links("/v3/x", &[], page, 12);
        assert_eq!(l.next.as_deref(), Some("/v3/x?offset=5&limit=5"));
        assert_eq!(l.prev, None);
        assert_eq!(l.this, "/v3/x?offset=0&limit=5");
        let l = links(
            "/v3/x",
            &[("sub_mchid", "1".into())],
            Page {
                offset: 10,
                limit: 5,
            },
            12,
        );
        assert_eq!(l.next, None);
        assert_eq!(
            l.prev.as_deref(),
            Some("/v3/x?sub_mchid=1&offset=5&limit=5")
        );
        let l = links(
            "/v3/x",
            &[],
            Page {
                offset: 3,
                limit: 5,
            },
            12,
        );
        assert_eq!(l.prev.as_deref(), Some("/v3/x?offset=0&limit=5"));
    }
}
