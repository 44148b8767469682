//! URL fields of setup calls (callback_url, logo_url, jump_url): absolute
//! http(s) URLs. Real WeChat Pay insists on https for callback_url; kabao
//! also accepts http so a callback receiver on a developer machine works.

use crate::http::pay::PayError;

/// Longest URL accepted (WeChat Pay documents 256 for notify URLs).
const MAX_URL_LEN: usize = 256;

/// Checks that `value` is an absolute http(s) URL with a host, naming
/// `field` otherwise; `allow_query` false also refuses `?…` and `#…`
/// (WeChat Pay's rule for callback URLs).
pub(super) fn check_url(field: &str, value: &str, allow_query: bool) -> Result<(), PayError> {
    let fail = |issue: &str| Err(PayError::param(field, "body", issue.to_owned()));
    if value.len() > MAX_URL_LEN {
        return fail("must be at most 256 characters");
    }
    let Some(rest) = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
    else {
        return fail("must be an absolute https:// (or, in kabao, http://) URL");
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return fail("must name a host and contain no spaces");
    }
    if !allow_query && (value.contains('?') || value.contains('#')) {
        return fail("must not carry query parameters or a fragment");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn accepts_http_and_https_and_refuses_queries_when_asked() {
        assert!(check_url("u", "https://a.example/cb", false).is_ok());
        assert!(check_url("u", "http://127.0.0.1:9000/cb", false).is_ok());
        assert!(check_url("u", "https://a.example/cb?x=1", false).is_err());
        assert!(check_url("u", "https://a.example/cb?x=1", true).is_ok());
        assert!(check_url("u", "ftp://a.example/", true).is_err());
        assert!(check_url("u", "https:///x", true).is_err());
        assert!(check_url("u", "https://a b/", true).is_err());
    }
}
