//! Rows of the two delivery outboxes (`event_pushes`, `v3_callbacks`),
//! their attempts and the push configs into domain values, for both
//! backends.

use super::Columns;
use crate::domain::ids::Appid;
use crate::store::callback::{CallbackEvent, CallbackRecord, ClaimedCallback};
use crate::store::corrupt;
use crate::store::outbox::{Attempt, OutboxStatus};
use crate::store::push::{ClaimedPush, PushConfig, PushRecord};
use kabao_protocol::oa::OaEvent;

/// The columns an `event_pushes` entry is read with.
pub(crate) const PUSH_COLUMNS: &str = "id, appid, event, from_openid, fields, created_at, status, \
     attempts, round_start, next_attempt_at, delivered_at, last_error";

/// The columns a `v3_callbacks` entry is read with.
pub(crate) const CALLBACK_COLUMNS: &str = "id, event_id, caller_mchid, event_type, summary, \
     plaintext, create_time, status, attempts, round_start, next_attempt_at, delivered_at, \
     last_error, duplicate_of";

/// The columns an attempt is read with, after its entry's id column.
pub(crate) const ATTEMPT_COLUMNS: &str =
    "attempt, started_at_ms, url, request_body, http_status, latency_ms, error, response_body";

/// Attempts so far and attempts in the current round, from `attempts` and
/// `round_start`.
pub(crate) fn attempt_counts(row: &impl Columns) -> sqlx::Result<(i64, i64)> {
    let attempts: i64 = row.col("attempts")?;
    let round_start: i64 = row.col("round_start")?;
    Ok((attempts, attempts - round_start))
}

/// The `status` column.
pub(crate) fn status_of(row: &impl Columns) -> sqlx::Result<OutboxStatus> {
    let status: String = row.col("status")?;
    OutboxStatus::parse(&status).ok_or_else(|| corrupt("status", &status))
}

/// A row of [`ATTEMPT_COLUMNS`].
pub(crate) fn attempt_from_row(row: &impl Columns) -> sqlx::Result<Attempt> {
    let status: Option<i64> = row.col("http_status")?;
    Ok(Attempt {
        attempt: row.col("attempt")?,
        started_at_ms: row.col("started_at_ms")?,
        url: row.col("url")?,
        request_body: row.col("request_body")?,
        http_status: status.and_then(|s| u16::try_from(s).ok()),
        latency_ms: row.col("latency_ms")?,
        error: row.col("error")?,
        response_body: row.col("response_body")?,
    })
}

fn appid_of(row: &impl Columns) -> sqlx::Result<Appid> {
    Appid::parse("appid", &row.col::<String>("appid")?).map_err(|e| corrupt("appid", e))
}

fn oa_event_of(row: &impl Columns) -> sqlx::Result<OaEvent> {
    serde_json::from_str(&row.col::<String>("fields")?).map_err(|e| corrupt("fields", e))
}

/// An `app_push_configs` row.
pub(crate) fn push_config_from_row(row: &impl Columns) -> sqlx::Result<PushConfig> {
    Ok(PushConfig {
        appid: appid_of(row)?,
        url: row.col("url")?,
        token: row.col("token")?,
        original_id: row.col("original_id")?,
        updated_at: row.col("updated_at")?,
    })
}

/// A claimed push, from a row of [`PUSH_COLUMNS`].
pub(crate) fn claimed_push_from_row(row: &impl Columns) -> sqlx::Result<ClaimedPush> {
    let (attempts, round_attempts) = attempt_counts(row)?;
    Ok(ClaimedPush {
        id: row.col("id")?,
        appid: appid_of(row)?,
        from_openid: row.col("from_openid")?,
        event: oa_event_of(row)?,
        created_at: row.col("created_at")?,
        attempts,
        round_attempts,
    })
}

/// A push with its attempts, from a row of [`PUSH_COLUMNS`].
pub(crate) fn push_record_from_row(
    row: &impl Columns,
    attempts: Vec<Attempt>,
) -> sqlx::Result<PushRecord> {
    Ok(PushRecord {
        id: row.col("id")?,
        appid: appid_of(row)?,
        from_openid: row.col("from_openid")?,
        event: oa_event_of(row)?,
        created_at: row.col("created_at")?,
        status: status_of(row)?,
        next_attempt_at: row.col("next_attempt_at")?,
        delivered_at: row.col("delivered_at")?,
        last_error: row.col("last_error")?,
        attempts,
    })
}

fn callback_event_of(row: &impl Columns) -> sqlx::Result<CallbackEvent> {
    Ok(CallbackEvent {
        event_id: row.col("event_id")?,
        caller_mchid: row.col("caller_mchid")?,
        event_type: row.col("event_type")?,
        summary: row.col("summary")?,
        plaintext: row.col("plaintext")?,
        create_time: row.col("create_time")?,
    })
}

/// A claimed callback, from a row of [`CALLBACK_COLUMNS`].
pub(crate) fn claimed_callback_from_row(row: &impl Columns) -> sqlx::Result<ClaimedCallback> {
    let (attempts, round_attempts) = attempt_counts(row)?;
    Ok(ClaimedCallback {
        id: row.col("id")?,
        event: callback_event_of(row)?,
        attempts,
        round_attempts,
    })
}

/// A callback with its attempts, from a row of [`CALLBACK_COLUMNS`].
pub(crate) fn callback_record_from_row(
    row: &impl Columns,
    attempts: Vec<Attempt>,
) -> sqlx::Result<CallbackRecord> {
    Ok(CallbackRecord {
        id: row.col("id")?,
        event: callback_event_of(row)?,
        status: status_of(row)?,
        next_attempt_at_ms: row.col("next_attempt_at")?,
        delivered_at: row.col("delivered_at")?,
        last_error: row.col("last_error")?,
        duplicate_of: row.col("duplicate_of")?,
        attempts,
    })
}
