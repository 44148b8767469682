//! What the event-push and APIv3 callback areas of the control API share:
//! the `limit` of a list, attempts as JSON, and the answer to a redelivery.

use super::error::AdminError;
use crate::domain::FieldError;
use crate::http::query;
use crate::store::outbox::{Attempt, Redelivery};
use axum::http::Uri;
use axum::Json;
use serde::Serialize;

/// How many entries a list shows unless `limit` says otherwise.
const DEFAULT_LIMIT: i64 = 50;
/// The most a list shows.
const MAX_LIMIT: i64 = 1000;

/// The `limit` query parameter of a list, checked.
pub(super) fn list_limit(uri: &Uri) -> Result<i64, AdminError> {
    match query::param(uri, "limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| {
                AdminError::field(FieldError::new(
                    "limit",
                    format!("must be an integer from 1 to {MAX_LIMIT}"),
                ))
            }),
    }
}

/// One attempt as the control API shows it; callbacks show the body sent
/// in each attempt, pushes only the last one (as the push's `xml`).
#[derive(Debug, Serialize)]
pub(super) struct AttemptView {
    attempt: i64,
    started_at_ms: i64,
    url: String,
    http_status: Option<u16>,
    latency_ms: i64,
    error: Option<String>,
    response_body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_body: Option<String>,
}

impl AttemptView {
    /// The attempt, with its request body when `with_body`.
    pub(super) fn new(a: Attempt, with_body: bool) -> Self {
        Self {
            attempt: a.attempt,
            started_at_ms: a.started_at_ms,
            url: a.url,
            http_status: a.http_status,
            latency_ms: a.latency_ms,
            error: a.error,
            response_body: a.response_body,
            request_body: with_body.then_some(a.request_body),
        }
    }
}

/// The answer to a redelivery of the `what` with id `id` (asked for as
/// `raw_id`): the entry as `V`, after `nudge` woke its worker, or why not.
pub(super) fn redelivered<R, V: From<R>>(
    outcome: Redelivery<R>,
    what: &str,
    (raw_id, id): (&str, i64),
    nudge: impl FnOnce(),
) -> Result<Json<V>, AdminError> {
    match outcome {
        Redelivery::Queued(record) => {
            nudge();
            Ok(Json(V::from(*record)))
        }
        Redelivery::NotFound => Err(AdminError::not_found(format!("no {what} {raw_id}"))),
        Redelivery::AlreadyPending => Err(AdminError::conflict(format!(
            "{what} {id} is pending already; its delivery is under way"
        ))),
    }
}
