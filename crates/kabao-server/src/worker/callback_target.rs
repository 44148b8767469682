//! Where kabao may POST callbacks and event pushes: http(s) only, and by
//! default never to a link-local address (169.254.0.0/16, fe80::/10), where
//! cloud metadata services answer. Loopback and private networks stay
//! allowed (a receiver on the developer's machine is the usual target).
//! `--allow-link-local-callbacks` lifts the link-local rule.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// Why a callback URL is refused, in words for the attempt record and the
/// configuration error.
pub const LINK_LOCAL_REFUSED: &str = "the callback host is a link-local address (169.254.0.0/16 or fe80::/10), which kabao refuses unless started with --allow-link-local-callbacks";

/// Whether `ip` is link-local (IPv4 169.254.0.0/16, IPv6 fe80::/10, or an
/// IPv4-mapped IPv6 form of the former).
pub fn is_link_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_link_local(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_link_local(),
            None => (v6.segments()[0] & 0xffc0) == 0xfe80,
        },
    }
}

/// Checks a callback URL before a request goes out: http or https, and,
/// unless `allow_link_local`, a host that is not a link-local IP literal
/// (names are checked when they resolve, by [`LinkLocalFilter`]).
pub fn check_callback_url(url: &str, allow_link_local: bool) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "the scheme {} is not http or https",
            parsed.scheme()
        ));
    }
    let host = parsed.host_str().ok_or("the URL has no host")?;
    let ip: Option<IpAddr> = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse()
        .ok();
    if !allow_link_local && ip.is_some_and(is_link_local) {
        return Err(LINK_LOCAL_REFUSED.to_owned());
    }
    Ok(())
}

/// A resolver that drops link-local addresses from what the system resolver
/// answers (and fails when none is left), so a host name pointing at one is
/// refused at connection time, after any DNS change.
#[derive(Debug, Default)]
pub struct LinkLocalFilter;

impl Resolve for LinkLocalFilter {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| !is_link_local(addr.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!("{host}: {LINK_LOCAL_REFUSED}").into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_local_literals_are_refused_and_loopback_is_not() {
        for url in [
            "http://169.254.169.254/latest/meta-data",
            "http://[fe80::1]/cb",
            "http://[febf::1]/cb",
            "http://[::ffff:169.254.1.1]/cb",
        ] {
            assert!(check_callback_url(url, false).is_err(), "{url}");
            assert!(check_callback_url(url, true).is_ok(), "{url}");
        }
        for url in [
            "http://127.0.0.1:9000/cb",
            "http://[::1]:9000/cb",
            "https://10.0.0.2/cb",
            "https://example.com/cb",
            "http://[fec0::1]/cb",
        ] {
            assert!(check_callback_url(url, false).is_ok(), "{url}");
        }
        assert!(check_callback_url("ftp://example.com/cb", true).is_err());
        assert!(check_callback_url("file:///etc/passwd", true).is_err());
    }
}
