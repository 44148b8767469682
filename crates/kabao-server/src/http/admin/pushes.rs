//! Event pushes over the control API: where each app's pushes go, what was
//! pushed with every attempt, and redelivery.

use super::error::{AdminError, AdminJson};
use super::outbox::{list_limit, redelivered, AttemptView};
use crate::domain::ids::Appid;
use crate::http::query;
use crate::state::AppState;
use crate::store::outbox::OutboxStatus;
use crate::store::push::{PushConfig, PushFilter, PushRecord};
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::routing::{get, post};
use axum::{Json, Router};
use kabao_protocol::oa::OaEvent;
use serde::{Deserialize, Serialize};

/// The push routes, to merge into the protected control API.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/apps/{appid}/push-config",
            get(get_push_config).put(put_push_config),
        )
        .route("/event-pushes", get(list_pushes))
        .route("/event-pushes/{id}/redeliver", post(redeliver))
}

/// An app's push config; `configured: false` (and the original id pushes
/// would carry) when none is set.
#[derive(Debug, Serialize)]
pub struct PushConfigView {
    appid: String,
    configured: bool,
    url: Option<String>,
    token: Option<String>,
    original_id: String,
    updated_at: Option<i64>,
}

impl From<PushConfig> for PushConfigView {
    fn from(c: PushConfig) -> Self {
        Self {
            appid: c.appid.to_string(),
            configured: true,
            url: Some(c.url),
            token: Some(c.token),
            original_id: c.original_id,
            updated_at: Some(c.updated_at),
        }
    }
}

/// The body of `PUT …/push-config`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushConfigBody {
    url: String,
    token: String,
    #[serde(default)]
    original_id: Option<String>,
}

async fn known_app(state: &AppState, appid: &str) -> Result<Appid, AdminError> {
    state
        .store
        .app(appid)
        .await?
        .map(|app| app.appid)
        .ok_or_else(|| AdminError::not_found(format!("no app {appid}")))
}

/// `GET /_kabao/api/apps/{appid}/push-config`
pub async fn get_push_config(
    State(state): State<AppState>,
    Path(appid): Path<String>,
) -> Result<Json<PushConfigView>, AdminError> {
    let appid = known_app(&state, &appid).await?;
    Ok(Json(
        match state.store.push_config(appid.as_str()).await? {
            Some(config) => config.into(),
            None => PushConfigView {
                original_id: PushConfig::default_original_id(&appid),
                appid: appid.to_string(),
                configured: false,
                url: None,
                token: None,
                updated_at: None,
            },
        },
    ))
}

/// `PUT /_kabao/api/apps/{appid}/push-config` with `{url, token, original_id?}`
pub async fn put_push_config(
    State(state): State<AppState>,
    Path(appid): Path<String>,
    AdminJson(body): AdminJson<PushConfigBody>,
) -> Result<Json<PushConfigView>, AdminError> {
    let appid = known_app(&state, &appid).await?;
    let config = state
        .provisioner
        .push_config(
            appid.as_str(),
            &body.url,
            &body.token,
            body.original_id.as_deref(),
        )
        .await?;
    Ok(Json(config.into()))
}

/// A push as the control API shows it: the event's fields, the exact XML
/// body last sent, and every attempt.
#[derive(Debug, Serialize)]
pub struct PushView {
    id: i64,
    appid: String,
    event: &'static str,
    from_openid: String,
    created_at: i64,
    status: OutboxStatus,
    fields: OaEvent,
    xml: Option<String>,
    next_attempt_at: Option<i64>,
    delivered_at: Option<i64>,
    last_error: Option<String>,
    attempts: Vec<AttemptView>,
}

impl From<PushRecord> for PushView {
    fn from(r: PushRecord) -> Self {
        Self {
            id: r.id,
            appid: r.appid.to_string(),
            event: r.event.name(),
            from_openid: r.from_openid,
            created_at: r.created_at,
            status: r.status,
            xml: r.attempts.last().map(|a| a.request_body.clone()),
            fields: r.event,
            next_attempt_at: (r.status == OutboxStatus::Pending).then_some(r.next_attempt_at),
            delivered_at: r.delivered_at,
            last_error: r.last_error,
            attempts: r
                .attempts
                .into_iter()
                .map(|a| AttemptView::new(a, false))
                .collect(),
        }
    }
}

/// `GET /_kabao/api/event-pushes[?appid=][&event=][&limit=]`, newest first.
pub async fn list_pushes(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Vec<PushView>>, AdminError> {
    let limit = list_limit(&uri)?;
    let filter = PushFilter {
        appid: query::param(&uri, "appid").filter(|a| !a.is_empty()),
        event: query::param(&uri, "event").filter(|e| !e.is_empty()),
        limit,
    };
    let pushes = state.store.pushes(&filter).await?;
    Ok(Json(pushes.into_iter().map(PushView::from).collect()))
}

/// `POST /_kabao/api/event-pushes/{id}/redeliver`: a delivered, failed or
/// `no_url` push goes out again now, with a fresh round of attempts.
pub async fn redeliver(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<PushView>, AdminError> {
    let push_id: i64 = id
        .parse()
        .map_err(|_| AdminError::not_found(format!("no event push {id}")))?;
    let now = state.clock.now();
    let outcome = state.store.redeliver_push(push_id, now).await?;
    redelivered(outcome, "event push", (&id, push_id), || {
        state.push_notifier.nudge()
    })
}
