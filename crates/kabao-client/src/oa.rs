//! The Official Account client: an access-token cache that refreshes before
//! expiry and retries once on 40001/42001.

use crate::error::{ClientError, OaApiError};
use kabao_protocol::oa::AccessTokenResponse;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// Refresh this long before the token's announced expiry.
const REFRESH_MARGIN: Duration = Duration::from_secs(300);

/// An Official Account app (`appid` + `secret`) calling one base URL.
pub struct OfficialAccount {
    base_url: String,
    appid: String,
    secret: String,
    http: reqwest::Client,
    token: Mutex<Option<(String, Instant)>>,
}

fn oa_error(body: &Value) -> Option<OaApiError> {
    let errcode = body.get("errcode")?.as_i64()?;
    (errcode != 0).then(|| OaApiError {
        errcode,
        errmsg: body
            .get("errmsg")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
    })
}

impl OfficialAccount {
    /// A client for `appid` against `base_url` (e.g. [`crate::OA_BASE_URL`] or kabao's).
    pub fn new(
        base_url: impl Into<String>,
        appid: impl Into<String>,
        secret: impl Into<String>,
    ) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            appid: appid.into(),
            secret: secret.into(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_default(),
            token: Mutex::new(None),
        }
    }

    async fn fetch_token(&self) -> Result<(String, Instant), ClientError> {
        let body: Value = self
            .http
            .get(format!("{}/cgi-bin/token", self.base_url))
            .query(&[
                ("grant_type", "client_credential"),
                ("appid", &self.appid),
                ("secret", &self.secret),
            ])
            .send()
            .await?
            .json()
            .await?;
        if let Some(e) = oa_error(&body) {
            return Err(e.into());
        }
        let token: AccessTokenResponse =
            serde_json::from_value(body).map_err(|e| ClientError::Unexpected(e.to_string()))?;
        let lifetime =
            Duration::from_secs(token.expires_in.max(0) as u64).saturating_sub(REFRESH_MARGIN);
        Ok((token.access_token, Instant::now() + lifetime))
    }

    /// The cached token, fetched when missing or about to expire.
    pub async fn access_token(&self) -> Result<String, ClientError> {
        let mut cached = self.token.lock().await;
        match cached.as_ref() {
            Some((token, refresh_at)) if Instant::now() < *refresh_at => Ok(token.clone()),
            _ => {
                let fresh = self.fetch_token().await?;
                let token = fresh.0.clone();
                *cached = Some(fresh);
                Ok(token)
            }
        }
    }

    /// Drops the cached token so the next call fetches a new one.
    pub async fn invalidate_token(&self) {
        *self.token.lock().await = None;
    }

    /// `GET path?query&access_token=…`, retried once with a fresh token on 40001/42001.
    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Result<Value, ClientError> {
        for attempt in 0..2 {
            let token = self.access_token().await?;
            let body: Value = self
                .http
                .get(format!("{}{path}", self.base_url))
                .query(query)
                .query(&[("access_token", token.as_str())])
                .send()
                .await?
                .json()
                .await?;
            match oa_error(&body) {
                Some(e) if attempt == 0 && (e.errcode == 40001 || e.errcode == 42001) => {
                    self.invalidate_token().await
                }
                Some(e) => return Err(e.into()),
                None => return Ok(body),
            }
        }
        Err(ClientError::Unexpected("token retry exhausted".into()))
    }

    /// `GET /cgi-bin/ticket/getticket?type=…`: the `wx_card` (or `jsapi`) ticket.
    pub async fn ticket(&self, kind: &str) -> Result<String, ClientError> {
        let body = self
            .get("/cgi-bin/ticket/getticket", &[("type", kind)])
            .await?;
        body.get("ticket")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .ok_or_else(|| ClientError::Unexpected(format!("no ticket in {body}")))
    }
}
