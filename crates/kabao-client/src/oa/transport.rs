//! How the Official Account client talks: the token cache, `?access_token=`
//! on every business call, `{errcode, errmsg}` answers turned into
//! [`OaApiError`], one refetch-and-retry on 40001/42001, and GET retries on
//! transport errors.

use super::types::{StableTokenRequest, TicketResponse};
use super::OfficialAccount;
use crate::error::{ClientError, OaApiError};
use kabao_protocol::oa::AccessTokenResponse;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::time::{Duration, Instant};

/// What a business call sends after the query.
pub(super) enum OaBody {
    /// Nothing (GET).
    Empty,
    /// A JSON document.
    Json(Vec<u8>),
    /// A multipart upload with one file part named `pdf`.
    Pdf { filename: String, bytes: Vec<u8> },
}

/// The error in an answer, if it carries a non-zero errcode (given as a
/// number or a numeric string).
fn oa_error(body: &Value) -> Option<OaApiError> {
    let errcode = match body.get("errcode")? {
        Value::Number(n) => n.as_i64()?,
        Value::String(s) => s.trim().parse().ok()?,
        _ => return None,
    };
    (errcode != 0).then(|| OaApiError {
        errcode,
        errmsg: body
            .get("errmsg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

/// Reads an answer: a JSON object, errcode 0 or absent.
async fn read_answer(response: reqwest::Response) -> Result<Value, ClientError> {
    let status = response.status();
    let bytes = response.bytes().await?;
    let body: Value = serde_json::from_slice(&bytes).map_err(|_| {
        ClientError::unexpected(format!(
            "HTTP {status} with a body that is not JSON: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
        ))
    })?;
    if let Some(e) = oa_error(&body) {
        return Err(e.into());
    }
    if !status.is_success() {
        return Err(ClientError::unexpected(format!("HTTP {status}: {body}")));
    }
    Ok(body)
}

/// Whether a transport error may be retried for an idempotent request.
fn transient(e: &reqwest::Error) -> bool {
    e.is_connect() || e.is_timeout() || e.is_request()
}

impl OfficialAccount {
    /// Sends `request()` (rebuilt per attempt); a GET is retried on
    /// transport errors, anything else is sent once.
    async fn send(
        &self,
        method: &Method,
        request: impl Fn() -> reqwest::RequestBuilder,
    ) -> Result<Value, ClientError> {
        let attempts = if *method == Method::GET {
            self.get_retries + 1
        } else {
            1
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            match request().send().await {
                Ok(response) => return read_answer(response).await,
                Err(e) if attempt < attempts && transient(&e) => {
                    tokio::time::sleep(Duration::from_millis(100 * u64::from(attempt))).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    async fn fetch_token(&self) -> Result<(String, Instant), ClientError> {
        let body = if self.stable_token {
            let request = StableTokenRequest {
                grant_type: "client_credential".into(),
                appid: self.appid.clone(),
                secret: self.secret.clone(),
                force_refresh: None,
            };
            let url = format!("{}/cgi-bin/stable_token", self.base_url);
            self.send(&Method::POST, || self.http.post(&url).json(&request))
                .await?
        } else {
            let url = format!("{}/cgi-bin/token", self.base_url);
            let query = [
                ("grant_type", "client_credential"),
                ("appid", self.appid.as_str()),
                ("secret", self.secret.as_str()),
            ];
            self.send(&Method::GET, || self.http.get(&url).query(&query))
                .await?
        };
        let token: AccessTokenResponse = serde_json::from_value(body)
            .map_err(|e| ClientError::unexpected(format!("token answer: {e}")))?;
        let lifetime = Duration::from_secs(token.expires_in.max(0) as u64);
        Ok((
            token.access_token,
            Instant::now() + lifetime.saturating_sub(self.refresh_margin),
        ))
    }

    /// The cached access token, fetched when missing or about to expire.
    /// Concurrent callers share one fetch.
    pub async fn access_token(&self) -> Result<String, ClientError> {
        let mut cached = self.token.lock().await;
        if let Some((token, refresh_at)) = cached.as_ref() {
            if Instant::now() < *refresh_at {
                return Ok(token.clone());
            }
        }
        let fresh = self.fetch_token().await?;
        let token = fresh.0.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Drops the cached token so the next call fetches a new one.
    pub async fn invalidate_token(&self) {
        *self.token.lock().await = None;
    }

    /// Drops the cached token only if it is still `token` (another task may
    /// have refreshed it meanwhile).
    async fn invalidate_if(&self, token: &str) {
        let mut cached = self.token.lock().await;
        if cached.as_ref().is_some_and(|(t, _)| t == token) {
            *cached = None;
        }
    }

    /// A business call with `?query&access_token=…`, retried once with a
    /// fresh token when the answer is 40001 or 42001.
    pub(super) async fn call(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, &str)],
        body: &OaBody,
    ) -> Result<Value, ClientError> {
        let url = format!("{}{path}", self.base_url);
        for attempt in 0..2 {
            let token = self.access_token().await?;
            let build = || {
                let mut request = self
                    .http
                    .request(method.clone(), &url)
                    .query(query)
                    .query(&[("access_token", token.as_str())]);
                match body {
                    OaBody::Empty => {}
                    OaBody::Json(bytes) => {
                        request = request
                            .header(reqwest::header::CONTENT_TYPE, "application/json")
                            .body(bytes.clone());
                    }
                    OaBody::Pdf { filename, bytes } => {
                        let part = reqwest::multipart::Part::bytes(bytes.clone())
                            .file_name(filename.clone())
                            .mime_str("application/pdf")
                            .expect("application/pdf is a valid MIME type");
                        request =
                            request.multipart(reqwest::multipart::Form::new().part("pdf", part));
                    }
                }
                request
            };
            match self.send(&method, build).await {
                Err(ClientError::Oa(e)) if attempt == 0 && e.is_token_error() => {
                    self.invalidate_if(&token).await;
                }
                other => return other,
            }
        }
        unreachable!("the second attempt always returns")
    }

    /// `GET path?query&access_token=…`: the raw answer of any GET endpoint.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, ClientError> {
        self.call(Method::GET, path, query, &OaBody::Empty).await
    }

    /// `POST path?access_token=…` with `body` as JSON: the raw answer of any
    /// endpoint this SDK has no typed method for. `path` may carry a query.
    pub async fn post<B: Serialize + ?Sized>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<Value, ClientError> {
        let bytes = serde_json::to_vec(body).map_err(ClientError::unexpected)?;
        let (path, query) = split_query(path);
        let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, *v)).collect();
        self.call(Method::POST, path, &query, &OaBody::Json(bytes))
            .await
    }

    /// [`OfficialAccount::post`] with the answer read as `T`.
    pub(super) async fn post_as<B: Serialize + ?Sized, T: DeserializeOwned>(
        &self,
        path: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        let value = self.post(path, body).await?;
        typed(path, value)
    }

    /// `GET /cgi-bin/ticket/getticket?type=…` (C3): the `wx_card` ticket that
    /// getauthurl and getbillauthurl need (or a `jsapi` ticket).
    pub async fn get_ticket(&self, kind: &str) -> Result<TicketResponse, ClientError> {
        let value = self
            .get("/cgi-bin/ticket/getticket", &[("type", kind)])
            .await?;
        typed("/cgi-bin/ticket/getticket", value)
    }
}

/// `path?a=b&c=d` as the path and its pairs.
fn split_query(path: &str) -> (&str, Vec<(&str, &str)>) {
    match path.split_once('?') {
        None => (path, Vec::new()),
        Some((p, q)) => (
            p,
            q.split('&')
                .filter(|s| !s.is_empty())
                .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
                .collect(),
        ),
    }
}

/// Reads an answer as `T`, naming the endpoint when it does not fit.
pub(super) fn typed<T: DeserializeOwned>(path: &str, value: Value) -> Result<T, ClientError> {
    serde_json::from_value(value.clone())
        .map_err(|e| ClientError::unexpected(format!("{path} answered {value}: {e}")))
}
