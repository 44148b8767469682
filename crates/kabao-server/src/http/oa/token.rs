//! `GET /cgi-bin/token` and `POST /cgi-bin/stable_token`: access tokens that
//! live 7200 s, with the real errors for every wrong credential.

use super::error::{oa_json, OaError};
use super::extract::OaJson;
use crate::domain::tenant::App;
use crate::domain::token::{AccessToken, TokenKind, OVERLAP_SECS, TOKEN_TTL_SECS};
use crate::http::query;
use crate::state::AppState;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use kabao_protocol::oa::{AccessTokenResponse, OaErrcode};
use serde::Deserialize;

/// The day a quota counts against: quotas reset at midnight Beijing time.
fn quota_day(now: i64) -> i64 {
    (now + 8 * 3600).div_euclid(86_400)
}

/// Checks grant type and credentials, then counts the call against the daily quota.
async fn authenticate(
    state: &AppState,
    api: &str,
    grant_type: Option<&str>,
    appid: Option<&str>,
    secret: Option<&str>,
) -> Result<App, OaError> {
    if grant_type != Some("client_credential") {
        return Err(OaError::with_detail(
            OaErrcode::InvalidGrantType,
            "grant_type must be client_credential",
        ));
    }
    let appid = appid
        .filter(|a| !a.is_empty())
        .ok_or_else(|| OaError::new(OaErrcode::AppidMissing))?;
    let secret = secret
        .filter(|s| !s.is_empty())
        .ok_or_else(|| OaError::new(OaErrcode::AppsecretMissing))?;
    let app = state.store.app(appid).await?.ok_or_else(|| {
        OaError::with_detail(
            OaErrcode::InvalidAppid,
            format!("appid {appid} is not provisioned"),
        )
    })?;
    if app.secret != secret {
        return Err(OaError::new(OaErrcode::InvalidAppsecret));
    }
    let count = state
        .store
        .count_call(appid, api, quota_day(state.clock.now()))
        .await?;
    if count > state.settings.token_daily_limit {
        return Err(OaError::with_detail(
            OaErrcode::ApiDailyQuota,
            format!(
                "{api} allows {} calls a day",
                state.settings.token_daily_limit
            ),
        ));
    }
    Ok(app)
}

fn answer(token: &AccessToken, now: i64) -> Response {
    oa_json(&AccessTokenResponse {
        access_token: token.token.clone(),
        expires_in: token.remaining(now),
    })
}

/// C1: each call issues a new token; the previous one keeps working for
/// five more minutes.
pub async fn token(State(state): State<AppState>, uri: Uri) -> Result<Response, OaError> {
    let q = |k| query::param(&uri, k);
    let app = authenticate(
        &state,
        "token",
        q("grant_type").as_deref(),
        q("appid").as_deref(),
        q("secret").as_deref(),
    )
    .await?;
    let now = state.clock.now();
    let token = AccessToken::issue(app.appid.as_str(), TokenKind::Basic, now);
    state
        .store
        .save_token(&token, Some(now + OVERLAP_SECS))
        .await?;
    Ok(answer(&token, now))
}

/// Body of C2.
#[derive(Debug, Deserialize)]
pub struct StableTokenRequest {
    grant_type: Option<String>,
    appid: Option<String>,
    secret: Option<String>,
    #[serde(default)]
    force_refresh: Option<serde_json::Value>,
}

/// C2: the same token while more than five minutes remain; a new one (the
/// old still valid to its end) when fewer remain; `force_refresh` retires the
/// old one at once.
pub async fn stable_token(
    State(state): State<AppState>,
    OaJson(body): OaJson<StableTokenRequest>,
) -> Result<Response, OaError> {
    let force = match &body.force_refresh {
        None | Some(serde_json::Value::Null) => false,
        Some(serde_json::Value::Bool(b)) => *b,
        Some(_) => {
            return Err(OaError::with_detail(
                OaErrcode::InvalidArgs,
                "force_refresh must be true or false",
            ))
        }
    };
    let app = authenticate(
        &state,
        "stable_token",
        body.grant_type.as_deref(),
        body.appid.as_deref(),
        body.secret.as_deref(),
    )
    .await?;
    let now = state.clock.now();
    if !force {
        if let Some(current) = state
            .store
            .latest_token(app.appid.as_str(), TokenKind::Stable)
            .await?
        {
            if current.remaining(now) > OVERLAP_SECS {
                return Ok(answer(&current, now));
            }
        }
    }
    let token = AccessToken::issue(app.appid.as_str(), TokenKind::Stable, now);
    state.store.save_token(&token, force.then_some(now)).await?;
    debug_assert_eq!(token.remaining(now), TOKEN_TTL_SECS);
    Ok(answer(&token, now))
}
