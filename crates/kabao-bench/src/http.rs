//! A minimal HTTP/1.1 client on hyper's connection API: one keep-alive
//! connection per [`Connection`], no pool, no redirects, no TLS, so that the
//! load generator spends as little CPU as possible per request.

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{HeaderMap, Method, Request, StatusCode};
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use tokio::net::TcpStream;

/// One open HTTP/1.1 connection to kabao.
pub struct Connection {
    sender: SendRequest<Full<Bytes>>,
}

/// A complete response.
pub struct Reply {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

impl Reply {
    /// The body as text, cut to `max` bytes, for error messages.
    pub fn snippet(&self, max: usize) -> String {
        let text = String::from_utf8_lossy(&self.body);
        text.chars().take(max).collect()
    }
}

impl Connection {
    /// Connects (with `TCP_NODELAY`) and drives the connection on a spawned task.
    pub async fn open(addr: SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(addr)
            .await
            .with_context(|| format!("cannot connect to {addr}"))?;
        stream.set_nodelay(true)?;
        let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .context("HTTP/1.1 handshake")?;
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(Self { sender })
    }

    /// Sends one request and reads the whole response.
    pub async fn send(&mut self, request: Request<Full<Bytes>>) -> anyhow::Result<Reply> {
        self.sender.ready().await?;
        let response = self.sender.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Reply {
            status: parts.status,
            headers: parts.headers,
            body,
        })
    }
}

/// Builds a request for `path` (origin form) with a `Host` header and an
/// optional `Authorization`; a body is sent as `application/json`.
pub fn request(
    method: Method,
    host: &HeaderValue,
    path: &str,
    authorization: Option<HeaderValue>,
    body: Bytes,
) -> Request<Full<Bytes>> {
    let content_type = (!body.is_empty()).then(|| HeaderValue::from_static("application/json"));
    request_with_type(method, host, path, authorization, content_type, body)
}

/// [`request`] with any `Content-Type` (or none).
pub fn request_with_type(
    method: Method,
    host: &HeaderValue,
    path: &str,
    authorization: Option<HeaderValue>,
    content_type: Option<HeaderValue>,
    body: Bytes,
) -> Request<Full<Bytes>> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header(HOST, host.clone());
    if let Some(value) = authorization {
        builder = builder.header(AUTHORIZATION, value);
    }
    if let Some(value) = content_type {
        builder = builder.header(CONTENT_TYPE, value);
    }
    builder
        .body(Full::new(body))
        .expect("method, path and headers are valid")
}

/// The `Host` header value for `addr`.
pub fn host_header(addr: SocketAddr) -> HeaderValue {
    HeaderValue::from_str(&addr.to_string()).expect("a socket address is a valid header value")
}

/// `GET path` on a fresh connection, without credentials.
pub async fn get(addr: SocketAddr, path: &str) -> anyhow::Result<Reply> {
    let request = request(Method::GET, &host_header(addr), path, None, Bytes::new());
    Connection::open(addr).await?.send(request).await
}

/// One control-API call on a fresh connection: `Bearer token`, JSON in, JSON out.
pub async fn admin_json(
    addr: SocketAddr,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&serde_json::Value>,
) -> anyhow::Result<(StatusCode, serde_json::Value)> {
    let auth = HeaderValue::from_str(&format!("Bearer {token}"))?;
    let body = body.map(|b| Bytes::from(b.to_string())).unwrap_or_default();
    let reply = Connection::open(addr)
        .await?
        .send(request(method, &host_header(addr), path, Some(auth), body))
        .await?;
    let value = serde_json::from_slice(&reply.body).unwrap_or(serde_json::Value::Null);
    Ok((reply.status, value))
}
