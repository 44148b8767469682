//! APIv3 callbacks on the control API: what was sent to whom (decrypted),
//! every delivery attempt, redelivery, and duplication (WeChat Pay really
//! sends some events twice).

use super::error::AdminError;
use crate::domain::FieldError;
use crate::http::query;
use crate::state::AppState;
use crate::store::callback::{
    CallbackAttempt, CallbackFilter, CallbackRecord, CallbackRedelivery, CallbackStatus,
};
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;

/// How many callbacks a list shows unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;
/// The most a list shows.
const MAX_LIMIT: i64 = 1000;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/callbacks", get(list_callbacks))
        .route("/callbacks/{id}", get(get_callback))
        .route("/callbacks/{id}/redeliver", post(redeliver))
        .route("/callbacks/{id}/duplicate", post(duplicate))
}

/// One attempt as the control API shows it.
#[derive(Debug, Serialize)]
struct AttemptView {
    attempt: i64,
    started_at_ms: i64,
    url: String,
    http_status: Option<u16>,
    latency_ms: i64,
    error: Option<String>,
    response_body: Option<String>,
    request_body: String,
}

impl From<CallbackAttempt> for AttemptView {
    fn from(a: CallbackAttempt) -> Self {
        Self {
            attempt: a.attempt,
            started_at_ms: a.started_at_ms,
            url: a.url,
            http_status: a.http_status,
            latency_ms: a.latency_ms,
            error: a.error,
            response_body: a.response_body,
            request_body: a.request_body,
        }
    }
}

/// A callback as the control API shows it: the envelope fields, the
/// decrypted `resource`, where it stands, and every attempt.
#[derive(Debug, Serialize)]
struct CallbackView {
    id: i64,
    event_id: String,
    mchid: String,
    event_type: String,
    summary: String,
    create_time: String,
    resource: Value,
    status: CallbackStatus,
    next_attempt_at_ms: Option<i64>,
    delivered_at: Option<i64>,
    last_error: Option<String>,
    duplicate_of: Option<i64>,
    attempts: Vec<AttemptView>,
}

impl From<CallbackRecord> for CallbackView {
    fn from(r: CallbackRecord) -> Self {
        Self {
            id: r.id,
            resource: serde_json::from_str(&r.plaintext).unwrap_or(Value::String(r.plaintext)),
            event_id: r.event_id,
            mchid: r.caller_mchid,
            event_type: r.event_type,
            summary: r.summary,
            create_time: r.create_time,
            status: r.status,
            next_attempt_at_ms: (r.status == CallbackStatus::Pending)
                .then_some(r.next_attempt_at_ms),
            delivered_at: r.delivered_at,
            last_error: r.last_error,
            duplicate_of: r.duplicate_of,
            attempts: r.attempts.into_iter().map(AttemptView::from).collect(),
        }
    }
}

fn filter_from(uri: &Uri) -> Result<CallbackFilter, AdminError> {
    let limit = match query::param(uri, "limit") {
        None => DEFAULT_LIMIT,
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                AdminError::field(FieldError::new(
                    "limit",
                    format!("must be an integer from 1 to {MAX_LIMIT}"),
                ))
            })?,
    };
    let status = match query::param(uri, "status").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(CallbackStatus::parse(&s).ok_or_else(|| {
            AdminError::field(FieldError::new(
                "status",
                format!("{s} is not one of pending, delivered, failed, no_url"),
            ))
        })?),
    };
    Ok(CallbackFilter {
        mchid: query::param(uri, "mchid").filter(|m| !m.is_empty()),
        event_type: query::param(uri, "event_type").filter(|e| !e.is_empty()),
        status,
        limit,
    })
}

fn callback_id(id: &str) -> Result<i64, AdminError> {
    id.parse()
        .map_err(|_| AdminError::not_found(format!("no callback {id}")))
}

/// `GET /_kabao/api/callbacks[?mchid=][&event_type=][&status=][&limit=]`, newest first.
async fn list_callbacks(
    State(state): State<AppState>,
    uri: Uri,
) -> Result<Json<Vec<CallbackView>>, AdminError> {
    let filter = filter_from(&uri)?;
    let callbacks = state.store.callbacks(&filter).await?;
    Ok(Json(
        callbacks.into_iter().map(CallbackView::from).collect(),
    ))
}

/// `GET /_kabao/api/callbacks/{id}`
async fn get_callback(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CallbackView>, AdminError> {
    let callback_id = callback_id(&id)?;
    match state.store.callback(callback_id).await? {
        Some(record) => Ok(Json(record.into())),
        None => Err(AdminError::not_found(format!("no callback {id}"))),
    }
}

/// `POST /_kabao/api/callbacks/{id}/redeliver`: a delivered, failed or
/// `no_url` callback goes out again now, same event id, with a fresh round
/// of the retry schedule.
async fn redeliver(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<CallbackView>, AdminError> {
    let callback_id = callback_id(&id)?;
    match state
        .store
        .redeliver_callback(callback_id, state.clock.now_ms())
        .await?
    {
        CallbackRedelivery::Queued(record) => {
            state.callback_wakeup.notify_one();
            Ok(Json(CallbackView::from(*record)))
        }
        CallbackRedelivery::NotFound => Err(AdminError::not_found(format!("no callback {id}"))),
        CallbackRedelivery::AlreadyPending => Err(AdminError::conflict(format!(
            "callback {callback_id} is pending already; its delivery is under way"
        ))),
    }
}

/// `POST /_kabao/api/callbacks/{id}/duplicate`: the same event (same id,
/// type and payload) is sent once more, as a new outbox entry.
async fn duplicate(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<CallbackView>), AdminError> {
    let callback_id = callback_id(&id)?;
    match state
        .store
        .duplicate_callback(callback_id, state.clock.now_ms())
        .await?
    {
        Some(record) => {
            state.callback_wakeup.notify_one();
            Ok((StatusCode::CREATED, Json(record.into())))
        }
        None => Err(AdminError::not_found(format!("no callback {id}"))),
    }
}
