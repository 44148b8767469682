//! The event-push outbox and push configs in SQLite.

use super::outbox::{self, Outbox, OutboxEntry};
use super::SqliteStore;
use crate::store::outbox::{AfterAttempt, Attempt, Redelivery};
use crate::store::push::{ClaimedPush, NewPush, PushConfig, PushFilter, PushRecord, PushStore};
use crate::store::shared::outbox_rows::{
    claimed_push_from_row, push_config_from_row, push_record_from_row, PUSH_COLUMNS,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
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

/// The event-push outbox: a claim leases a push by moving its due time.
static EVENT_PUSHES: Outbox = Outbox {
    table: "event_pushes",
    columns: PUSH_COLUMNS,
    attempts_table: "event_push_attempts",
    entry_column: "push_id",
    lease_column: "next_attempt_at",
    lease_ended: "",
    release: "",
};

impl OutboxEntry for PushRecord {
    const OUTBOX: &'static Outbox = &EVENT_PUSHES;

    fn from_row(row: &SqliteRow, attempts: Vec<Attempt>) -> sqlx::Result<Self> {
        push_record_from_row(row, attempts)
    }
}

#[async_trait]
impl PushStore for SqliteStore {
    async fn put_push_config(&self, config: &PushConfig) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO app_push_configs (appid, url, token, original_id, updated_at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (appid) DO UPDATE SET url = excluded.url, token = excluded.token,
                 original_id = excluded.original_id, updated_at = excluded.updated_at",
        )
        .bind(config.appid.as_str())
        .bind(&config.url)
        .bind(&config.token)
        .bind(&config.original_id)
        .bind(config.updated_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn push_config(&self, appid: &str) -> StoreResult<Option<PushConfig>> {
        let row = sqlx::query("SELECT * FROM app_push_configs WHERE appid = ?")
            .bind(appid)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(push_config_from_row).transpose()?)
    }

    async fn enqueue_push(&self, push: &NewPush) -> StoreResult<i64> {
        let mut tx = self.pool.begin().await?;
        enqueue(&mut tx, push).await?;
        let id: i64 = sqlx::query_scalar("SELECT last_insert_rowid()")
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn claim_due_pushes(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedPush>> {
        self.writer
            .write(move |conn| {
                let read = |row: &rusqlite::Row<'_>| claimed_push_from_row(row);
                outbox::claim_due(conn, &EVENT_PUSHES, now, lease_until, limit, read)
            })
            .await
    }

    async fn record_push_attempt(
        &self,
        push_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()> {
        let attempt = attempt.clone();
        self.writer
            .write(move |conn| {
                outbox::record_attempt(conn, &EVENT_PUSHES, push_id, &attempt, after)
            })
            .await
    }

    async fn mark_push_no_url(&self, push_id: i64, reason: &str) -> StoreResult<()> {
        Ok(outbox::mark_no_url(&self.pool, &EVENT_PUSHES, push_id, reason).await?)
    }

    async fn pushes(&self, filter: &PushFilter) -> StoreResult<Vec<PushRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT {} FROM event_pushes
             WHERE (?1 IS NULL OR appid = ?1) AND (?2 IS NULL OR event = ?2)
             ORDER BY id DESC LIMIT ?3",
            EVENT_PUSHES.columns
        ))
        .bind(filter.appid.as_deref())
        .bind(filter.event.as_deref())
        .bind(filter.limit)
        .fetch_all(&mut *conn)
        .await?;
        Ok(outbox::with_attempts(&mut conn, &rows).await?)
    }

    async fn redeliver_push(&self, push_id: i64, now: i64) -> StoreResult<Redelivery<PushRecord>> {
        Ok(outbox::redeliver(&self.pool, push_id, now).await?)
    }
}
