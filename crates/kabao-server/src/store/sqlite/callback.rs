//! [`CallbackStore`](crate::store::callback::CallbackStore) in SQLite.

use super::outbox::{self, Outbox, OutboxEntry};
use super::SqliteStore;
use crate::store::callback::{
    CallbackFilter, CallbackRecord, CallbackStore, ClaimedCallback, NewCallback,
    CALLBACK_OUTBOX_LIMIT_KEY, DEFAULT_CALLBACK_OUTBOX_LIMIT, OUTBOX_FULL_ERROR,
};
use crate::store::outbox::{AfterAttempt, Attempt, OutboxStatus, Redelivery};
use crate::store::shared::outbox_rows::{
    callback_record_from_row, claimed_callback_from_row, CALLBACK_COLUMNS,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use rusqlite::OptionalExtension;
use sqlx::sqlite::SqliteRow;
use sqlx::SqliteConnection;
use std::sync::LazyLock;

/// The outbox insert of [`enqueue_callback`]: parameters event id, caller,
/// event type, summary, plaintext, create_time, created_at, due (ms) and
/// the error of a full outbox.
static ENQUEUE_CALLBACK: LazyLock<String> = LazyLock::new(|| {
    format!(
        "WITH bound AS (
             SELECT COALESCE((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{CALLBACK_OUTBOX_LIMIT_KEY}'),
                             {DEFAULT_CALLBACK_OUTBOX_LIMIT}) AS n),
         outbox AS (
             SELECT COUNT(*) >= (SELECT n FROM bound) AS is_full FROM (
                 SELECT 1 FROM v3_callbacks WHERE caller_mchid = ?2 AND status = 'pending'
                 LIMIT (SELECT n FROM bound)) AS pending)
         INSERT INTO v3_callbacks (event_id, caller_mchid, event_type, summary, plaintext, create_time,
           created_at, status, attempts, next_attempt_at, last_error)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7,
             CASE WHEN is_full THEN 'failed' ELSE 'pending' END, 0, ?8,
             CASE WHEN is_full THEN ?9 END
         FROM outbox"
    )
});

/// A new callback's event id, which every retry keeps.
fn new_event_id() -> String {
    format!("EV-{}", kabao_protocol::aead::random_alphanumeric(24))
}

/// Adds `callback` to the outbox inside the caller's transaction, due at
/// once, with a new event id that every retry keeps; as failed instead when
/// its merchant already has the outbox's bound of pending callbacks.
pub(super) async fn enqueue_callback(
    conn: &mut SqliteConnection,
    callback: &NewCallback,
) -> sqlx::Result<()> {
    sqlx::query(&ENQUEUE_CALLBACK)
        .bind(new_event_id())
        .bind(&callback.caller_mchid)
        .bind(&callback.event_type)
        .bind(&callback.summary)
        .bind(&callback.plaintext)
        .bind(kabao_protocol::apiv3::rfc3339_cst(callback.created_at))
        .bind(callback.created_at)
        .bind(callback.created_at * 1000)
        .bind(OUTBOX_FULL_ERROR)
        .execute(conn)
        .await?;
    Ok(())
}

/// [`enqueue_callback`] on the writer's connection, inside its batch.
pub(super) fn enqueue_callback_now(
    conn: &rusqlite::Connection,
    callback: &NewCallback,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&ENQUEUE_CALLBACK)?
        .execute(rusqlite::params![
            new_event_id(),
            callback.caller_mchid,
            callback.event_type,
            callback.summary,
            callback.plaintext,
            kabao_protocol::apiv3::rfc3339_cst(callback.created_at),
            callback.created_at,
            callback.created_at * 1000,
            OUTBOX_FULL_ERROR,
        ])?;
    Ok(())
}

/// The APIv3 callback outbox: a claim leases a callback in `leased_until`,
/// which every end of an attempt releases.
static V3_CALLBACKS: Outbox = Outbox {
    table: "v3_callbacks",
    columns: CALLBACK_COLUMNS,
    attempts_table: "v3_callback_attempts",
    entry_column: "callback_id",
    lease_column: "leased_until",
    lease_ended: " AND (leased_until IS NULL OR leased_until <= ?2)",
    release: ", leased_until = NULL",
};

impl OutboxEntry for CallbackRecord {
    const OUTBOX: &'static Outbox = &V3_CALLBACKS;

    fn from_row(row: &SqliteRow, attempts: Vec<Attempt>) -> sqlx::Result<Self> {
        callback_record_from_row(row, attempts)
    }
}

#[async_trait]
impl CallbackStore for SqliteStore {
    async fn claim_due_callbacks(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedCallback>> {
        let (now, until) = (now_ms, lease_until_ms);
        self.writer
            .write(move |conn| {
                let read = |row: &rusqlite::Row<'_>| claimed_callback_from_row(row);
                outbox::claim_due(conn, &V3_CALLBACKS, now, until, limit, read)
            })
            .await
    }

    async fn next_callback_due_ms(&self) -> StoreResult<Option<i64>> {
        self.readers.read(|conn| {
            conn.prepare_cached(
                "SELECT MIN(MAX(next_attempt_at, COALESCE(leased_until, 0)))
                 FROM v3_callbacks WHERE status = 'pending'",
            )?
            .query_row([], |r| r.get(0))
        })
    }

    async fn release_callback_leases(&self) -> StoreResult<u64> {
        Ok(sqlx::query(
            "UPDATE v3_callbacks SET leased_until = NULL WHERE leased_until IS NOT NULL",
        )
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    async fn fapiao_callback_url(&self, mchid: &str) -> StoreResult<Option<String>> {
        let url: Option<String> = self.point_read(|conn| {
            conn.prepare_cached("SELECT callback_url FROM fapiao_dev_configs WHERE mchid = ?")?
                .query_row([mchid], |r| r.get(0))
                .optional()
        })?;
        Ok(url.filter(|u| !u.is_empty()))
    }

    async fn record_callback_attempt(
        &self,
        callback_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()> {
        let attempt = attempt.clone();
        self.writer
            .write(move |conn| {
                outbox::record_attempt(conn, &V3_CALLBACKS, callback_id, &attempt, after)
            })
            .await
    }

    async fn mark_callback_no_url(&self, callback_id: i64, reason: &str) -> StoreResult<()> {
        Ok(outbox::mark_no_url(&self.pool, &V3_CALLBACKS, callback_id, reason).await?)
    }

    async fn callbacks(&self, filter: &CallbackFilter) -> StoreResult<Vec<CallbackRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT {} FROM v3_callbacks
             WHERE (?1 IS NULL OR caller_mchid = ?1) AND (?2 IS NULL OR event_type = ?2)
               AND (?3 IS NULL OR status = ?3)
             ORDER BY id DESC LIMIT ?4",
            V3_CALLBACKS.columns
        ))
        .bind(filter.mchid.as_deref())
        .bind(filter.event_type.as_deref())
        .bind(filter.status.map(OutboxStatus::as_str))
        .bind(filter.limit)
        .fetch_all(&mut *conn)
        .await?;
        Ok(outbox::with_attempts(&mut conn, &rows).await?)
    }

    async fn callback(&self, callback_id: i64) -> StoreResult<Option<CallbackRecord>> {
        let mut conn = self.pool.acquire().await?;
        Ok(outbox::load(&mut conn, callback_id).await?)
    }

    async fn redeliver_callback(
        &self,
        callback_id: i64,
        now_ms: i64,
    ) -> StoreResult<Redelivery<CallbackRecord>> {
        Ok(outbox::redeliver(&self.pool, callback_id, now_ms).await?)
    }

    async fn duplicate_callback(
        &self,
        callback_id: i64,
        now_ms: i64,
    ) -> StoreResult<Option<CallbackRecord>> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let copied = sqlx::query(
            "INSERT INTO v3_callbacks (event_id, caller_mchid, event_type, summary, plaintext, create_time,
                 created_at, status, attempts, next_attempt_at, duplicate_of)
             SELECT event_id, caller_mchid, event_type, summary, plaintext, create_time,
                 created_at, 'pending', 0, ?, id
             FROM v3_callbacks WHERE id = ?",
        )
        .bind(now_ms)
        .bind(callback_id)
        .execute(&mut *tx)
        .await?;
        if copied.rows_affected() == 0 {
            return Ok(None);
        }
        let record = outbox::load(&mut tx, copied.last_insert_rowid()).await?;
        tx.commit().await?;
        Ok(record)
    }
}
