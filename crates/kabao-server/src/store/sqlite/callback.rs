//! [`CallbackStore`](crate::store::callback::CallbackStore) in SQLite.

use super::SqliteStore;
use crate::store::callback::{CallbackStore, NewCallback};
use async_trait::async_trait;
use sqlx::SqliteConnection;

/// Adds `callback` to the outbox inside the caller's transaction, due at
/// once, with a new event id that every retry keeps.
pub(super) async fn enqueue_callback(
    conn: &mut SqliteConnection,
    callback: &NewCallback,
) -> sqlx::Result<()> {
    let event_id = format!("EV-{}", kabao_protocol::aead::random_alphanumeric(24));
    let create_time = kabao_protocol::apiv3::rfc3339_cst(callback.created_at);
    sqlx::query(
        "INSERT INTO v3_callbacks (event_id, caller_mchid, event_type, summary, plaintext, create_time,
           created_at, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
    )
    .bind(event_id)
    .bind(&callback.caller_mchid)
    .bind(&callback.event_type)
    .bind(&callback.summary)
    .bind(&callback.plaintext)
    .bind(create_time)
    .bind(callback.created_at)
    .bind(callback.created_at * 1000)
    .execute(conn)
    .await?;
    Ok(())
}

#[async_trait]
impl CallbackStore for SqliteStore {}
