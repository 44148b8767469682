//! The two workloads and their pre-built requests: `GET /v3/certificates`
//! with a pool of pre-signed `Authorization` headers, each sent once (kabao
//! refuses a nonce it has seen; the load generator signs nothing while it
//! measures), and `GET /cgi-bin/token`. Each scenario
//! also checks one answer the way an SDK would.

use crate::http::{self, Connection, Reply};
use crate::server::{random_hex, Tenants};
use anyhow::{bail, ensure, Context as _};
use bytes::Bytes;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use kabao_protocol::auth::AuthorizationHeader;
use serde::Serialize;
use std::net::SocketAddr;

/// Signed certificates requests per measured period; the period ends early
/// (as insert loads do) if they are used up: no header is sent twice.
pub const SIGNED_POOL: usize = 120_000;

/// Signed certificates requests per warm-up.
pub const WARMUP_POOL: usize = 25_000;

/// An endpoint under load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Endpoint {
    /// `GET /v3/certificates`: verify the caller's RSA signature, encrypt the
    /// platform certificate (AES-256-GCM), sign the response with RSA.
    #[serde(rename = "GET /v3/certificates")]
    Certificates,
    /// `GET /cgi-bin/token`: check the secret, count the call, store a new token.
    #[serde(rename = "GET /cgi-bin/token")]
    Token,
}

impl Endpoint {
    /// Every endpoint, in report order.
    pub const ALL: [Endpoint; 2] = [Endpoint::Certificates, Endpoint::Token];

    /// Method and path as the report names it.
    pub fn label(self) -> &'static str {
        match self {
            Endpoint::Certificates => "GET /v3/certificates",
            Endpoint::Token => "GET /cgi-bin/token",
        }
    }

    /// Whether requests carry an APIv3 signature (and answers are signed).
    pub fn signed(self) -> bool {
        self == Endpoint::Certificates
    }
}

/// Everything the load loop needs to send one endpoint's requests.
pub struct Workload {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Origin-form request target.
    pub path: String,
    /// `Host` header.
    pub host: HeaderValue,
    /// Pre-signed `Authorization` values (empty for unsigned endpoints).
    pub authorizations: Vec<HeaderValue>,
    /// Bytes a successful body contains (Official Account errors are HTTP 200).
    pub success_marker: &'static [u8],
}

impl Workload {
    /// Builds the requests of `endpoint`; signs `pool` certificates requests
    /// now (on every CPU), so their timestamps are fresh for the signature window.
    pub fn new(
        endpoint: Endpoint,
        addr: SocketAddr,
        tenants: &Tenants,
        now: i64,
        pool: usize,
    ) -> Self {
        let host = http::host_header(addr);
        match endpoint {
            Endpoint::Certificates => {
                let path = "/v3/certificates".to_owned();
                let sign_some = |count: usize| -> Vec<HeaderValue> {
                    (0..count)
                        .map(|_| {
                            let header = AuthorizationHeader::sign(
                                &tenants.key,
                                &tenants.mchid,
                                &tenants.serial,
                                "GET",
                                &path,
                                now,
                                &random_hex(32).to_ascii_uppercase(),
                                b"",
                            );
                            HeaderValue::from_str(&header.to_header_value())
                                .expect("an Authorization header is ASCII")
                        })
                        .collect()
                };
                let threads = std::thread::available_parallelism().map_or(1, usize::from);
                let share = pool.div_ceil(threads);
                let authorizations = std::thread::scope(|scope| {
                    let parts: Vec<_> = (0..threads)
                        .map(|i| {
                            let count = share.min(pool.saturating_sub(i * share));
                            scope.spawn(move || sign_some(count))
                        })
                        .collect();
                    parts
                        .into_iter()
                        .flat_map(|p| p.join().expect("signing thread"))
                        .collect()
                });
                Self {
                    endpoint,
                    path,
                    host,
                    authorizations,
                    success_marker: b"\"data\"",
                }
            }
            Endpoint::Token => Self {
                endpoint,
                path: format!(
                    "/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
                    tenants.appid, tenants.secret
                ),
                host,
                authorizations: Vec::new(),
                success_marker: b"\"access_token\"",
            },
        }
    }

    /// The `n`-th request; `None` once a signed pool is used up.
    pub fn request(&self, n: usize) -> Option<hyper::Request<http_body_util::Full<Bytes>>> {
        let authorization = if self.authorizations.is_empty() {
            None
        } else {
            Some(self.authorizations.get(n)?.clone())
        };
        Some(http::request(
            Method::GET,
            &self.host,
            &self.path,
            authorization,
            Bytes::new(),
        ))
    }

    /// Whether `reply` is a success of this endpoint.
    pub fn succeeded(&self, reply: &Reply) -> bool {
        reply.status == StatusCode::OK
            && reply
                .body
                .windows(self.success_marker.len())
                .any(|w| w == self.success_marker)
    }

    /// Sends one request and checks the answer fully: status, body shape and,
    /// for signed endpoints, the response signature with the platform's public
    /// key. Returns what was checked, for the report.
    pub async fn check_one(&self, addr: SocketAddr, tenants: &Tenants) -> anyhow::Result<String> {
        let reply = Connection::open(addr)
            .await?
            .send(self.request(0).context("no request to check with")?)
            .await?;
        ensure!(
            self.succeeded(&reply),
            "{} answered {}: {}",
            self.endpoint.label(),
            reply.status,
            reply.snippet(300)
        );
        let body: serde_json::Value =
            serde_json::from_slice(&reply.body).context("the answer is not JSON")?;
        match self.endpoint {
            Endpoint::Certificates => {
                let count = body["data"].as_array().map_or(0, Vec::len);
                ensure!(count > 0, "no certificate in {body}");
                let serial = verify_response_signature(&reply, &tenants.platform_keys)?;
                Ok(format!(
                    "200 with {count} certificate(s); response signature verified with platform key {serial}"
                ))
            }
            Endpoint::Token => {
                ensure!(
                    body["expires_in"].as_i64() == Some(7200),
                    "unexpected token answer {body}"
                );
                Ok("200 with an access_token valid 7200 s".to_owned())
            }
        }
    }
}

impl crate::load::Source for Workload {
    fn next_request(&self, n: usize) -> Option<hyper::Request<http_body_util::Full<Bytes>>> {
        self.request(n)
    }

    fn succeeded(&self, reply: &Reply) -> bool {
        Workload::succeeded(self, reply)
    }
}

/// Verifies `Wechatpay-Signature` over the body with one of `platform_keys`
/// (by `Wechatpay-Serial`); returns the serial used.
pub fn verify_response_signature(
    reply: &Reply,
    platform_keys: &[(String, kabao_protocol::rsa::PublicKey)],
) -> anyhow::Result<String> {
    verify_signature(&reply.headers, &reply.body, platform_keys)
}

/// Verifies the `Wechatpay-*` signature headers of an answer or a callback
/// over `body` with one of `platform_keys`; returns the serial used.
pub fn verify_signature(
    headers: &hyper::HeaderMap,
    body: &[u8],
    platform_keys: &[(String, kabao_protocol::rsa::PublicKey)],
) -> anyhow::Result<String> {
    let header = |name: &str| -> anyhow::Result<&str> {
        headers
            .get(name)
            .with_context(|| format!("no {name} header"))?
            .to_str()
            .with_context(|| format!("{name} is not ASCII"))
    };
    let serial = header("Wechatpay-Serial")?;
    let Some((_, key)) = platform_keys.iter().find(|(s, _)| s == serial) else {
        bail!("Wechatpay-Serial {serial} is not a platform key kabao listed");
    };
    let message = kabao_protocol::message::response_message(
        header("Wechatpay-Timestamp")?,
        header("Wechatpay-Nonce")?,
        body,
    );
    key.verify_sha256_b64(&message, header("Wechatpay-Signature")?)
        .context("the signature does not verify")?;
    Ok(serial.to_owned())
}
