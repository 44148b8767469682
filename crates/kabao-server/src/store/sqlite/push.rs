//! The event-push outbox in SQLite.

use crate::store::push::NewPush;
use sqlx::SqliteConnection;

/// Adds `push` to the outbox inside the caller's transaction, due at once.
pub(super) async fn enqueue(conn: &mut SqliteConnection, push: &NewPush) -> sqlx::Result<()> {
    let fields = serde_json::to_string(&push.event).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO event_pushes (appid, event, from_openid, fields, created_at, status, attempts, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, 'pending', 0, ?)",
    )
    .bind(push.appid.as_str())
    .bind(push.event.name())
    .bind(&push.from_openid)
    .bind(fields)
    .bind(push.created_at)
    .bind(push.created_at)
    .execute(conn)
    .await?;
    Ok(())
}
