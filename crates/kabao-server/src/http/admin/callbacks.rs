//! APIv3 callbacks on the control API: what was sent to whom (decrypted),
//! every delivery attempt, redelivery, and duplication (WeChat Pay really
//! sends some events twice).

use super::error::AdminError;
use super::outbox::{list_limit, redelivered, AttemptView};
use crate::domain::FieldError;
use crate::http::query;
use crate::state::AppState;
use crate::store::callback::{CallbackFilter, CallbackRecord};
use crate::store::outbox::OutboxStatus;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;
use serde_json::Value;

/// Routes of this area, relative to `/_kabao/api`.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/callbacks", get(list_callbacks))
        .route("/callbacks/{id}", get(get_callback))
        .route("/callbacks/{id}/redeliver", post(redeliver))
        .route("/callbacks/{id}/duplicate", post(duplicate))
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
    status: OutboxStatus,
    next_attempt_at_ms: Option<i64>,
    delivered_at: Option<i64>,
    last_error: Option<String>,
    duplicate_of: Option<i64>,
    attempts: Vec<AttemptView>,
}

impl From<CallbackRecord> for CallbackView {
    fn from(r: CallbackRecord) -> Self {
        let event = r.event;
        Self {
            id: r.id,
            resource: serde_json::from_str(&event.plaintext)
                .unwrap_or(Value::String(event.plaintext)),
            event_id: event.event_id,
            mchid: event.caller_mchid,
            event_type: event.event_type,
            summary: event.summary,
            create_time: event.create_time,
            status: r.status,
            next_attempt_at_ms: (r.status == OutboxStatus::Pending).then_some(r.next_attempt_at_ms),
            delivered_at: r.delivered_at,
            last_error: r.last_error,
            duplicate_of: r.duplicate_of,
            attempts: r
                .attempts
                .into_iter()
                .map(|a| AttemptView::new(a, true))
                .collect(),
        }
    }
}

fn filter_from(uri: &Uri) -> Result<CallbackFilter, AdminError> {
    let limit = list_limit(uri)?;
    let status = match query::param(uri, "status").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(OutboxStatus::parse(&s).ok_or_else(|| {
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
    let now_ms = state.clock.now_ms();
    let outcome = state.store.redeliver_callback(callback_id, now_ms).await?;
    redelivered(outcome, "callback", (&id, callback_id), || {
        state.callback_wakeup.notify_one()
    })
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
