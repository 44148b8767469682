//! [`CallbackStore`](crate::store::callback::CallbackStore) in PostgreSQL.

use super::callback_leases;
use super::outbox::{self, Outbox, OutboxEntry};
use super::PostgresStore;
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
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

/// Adds `callback` to the outbox inside the caller's transaction, due at
/// once, with a new event id that every retry keeps; as failed instead when
/// its merchant already has the outbox's bound of pending callbacks.
pub(super) async fn enqueue_callback(
    conn: &mut PgConnection,
    callback: &NewCallback,
) -> sqlx::Result<()> {
    let event_id = format!("EV-{}", kabao_protocol::aead::random_alphanumeric(24));
    let create_time = kabao_protocol::apiv3::rfc3339_cst(callback.created_at);
    sqlx::query(&format!(
        "WITH bound AS (
             SELECT COALESCE((SELECT CAST(value AS BIGINT) FROM settings WHERE key = '{CALLBACK_OUTBOX_LIMIT_KEY}'),
                             {DEFAULT_CALLBACK_OUTBOX_LIMIT}) AS n),
         outbox AS (
             SELECT COUNT(*) >= (SELECT n FROM bound) AS is_full FROM (
                 SELECT 1 FROM v3_callbacks WHERE caller_mchid = $2 AND status = 'pending'
                 LIMIT (SELECT n FROM bound)) AS pending)
         INSERT INTO v3_callbacks (event_id, caller_mchid, event_type, summary, plaintext, create_time,
           created_at, status, attempts, next_attempt_at, last_error)
         SELECT $1, $2, $3, $4, $5, $6, $7,
             CASE WHEN is_full THEN 'failed' ELSE 'pending' END, 0, $8,
             CASE WHEN is_full THEN $9 END
         FROM outbox"
    ))
    .bind(event_id)
    .bind(&callback.caller_mchid)
    .bind(&callback.event_type)
    .bind(&callback.summary)
    .bind(&callback.plaintext)
    .bind(create_time)
    .bind(callback.created_at)
    .bind(callback.created_at * 1000)
    .bind(OUTBOX_FULL_ERROR)
    .execute(conn)
    .await?;
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
    lease_ended: " AND (leased_until IS NULL OR leased_until <= $2)",
    release: ", leased_until = NULL",
};

impl OutboxEntry for CallbackRecord {
    const OUTBOX: &'static Outbox = &V3_CALLBACKS;

    fn from_row(row: &PgRow, attempts: Vec<Attempt>) -> sqlx::Result<Self> {
        callback_record_from_row(row, attempts)
    }
}

#[async_trait]
impl CallbackStore for PostgresStore {
    async fn claim_due_callbacks(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedCallback>> {
        let (pool, read) = (&self.pool, |row: &PgRow| claimed_callback_from_row(row));
        let (now, until) = (now_ms, lease_until_ms);
        Ok(outbox::claim_due(pool, &V3_CALLBACKS, now, until, limit, read).await?)
    }

    async fn next_callback_due_ms(&self) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(GREATEST(next_attempt_at, COALESCE(leased_until, 0)))
             FROM v3_callbacks WHERE status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    async fn release_callback_leases(&self) -> StoreResult<u64> {
        Ok(sqlx::query(callback_leases::RELEASE_IF_ALONE)
            .bind(callback_leases::application_name())
            .execute(&self.pool)
            .await?
            .rows_affected())
    }

    async fn fapiao_callback_url(&self, mchid: &str) -> StoreResult<Option<String>> {
        let url: Option<String> =
            sqlx::query_scalar("SELECT callback_url FROM fapiao_dev_configs WHERE mchid = $1")
                .bind(mchid)
                .fetch_optional(&self.pool)
                .await?;
        Ok(url.filter(|u| !u.is_empty()))
    }

    async fn record_callback_attempt(
        &self,
        callback_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()> {
        let pool = &self.pool;
        Ok(outbox::record_attempt(pool, &V3_CALLBACKS, callback_id, attempt, after).await?)
    }

    async fn mark_callback_no_url(&self, callback_id: i64, reason: &str) -> StoreResult<()> {
        Ok(outbox::mark_no_url(&self.pool, &V3_CALLBACKS, callback_id, reason).await?)
    }

    async fn callbacks(&self, filter: &CallbackFilter) -> StoreResult<Vec<CallbackRecord>> {
        let mut tx = outbox::snapshot(&self.pool).await?;
        let rows = sqlx::query(&format!(
            "SELECT {CALLBACK_COLUMNS} FROM v3_callbacks
             WHERE ($1::TEXT IS NULL OR caller_mchid = $1) AND ($2::TEXT IS NULL OR event_type = $2)
               AND ($3::TEXT IS NULL OR status = $3)
             ORDER BY id DESC LIMIT $4"
        ))
        .bind(filter.mchid.as_deref())
        .bind(filter.event_type.as_deref())
        .bind(filter.status.map(OutboxStatus::as_str))
        .bind(filter.limit)
        .fetch_all(&mut *tx)
        .await?;
        let entries = outbox::with_attempts(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(entries)
    }

    async fn callback(&self, callback_id: i64) -> StoreResult<Option<CallbackRecord>> {
        let mut tx = outbox::snapshot(&self.pool).await?;
        let entry = outbox::load(&mut tx, callback_id).await?;
        tx.commit().await?;
        Ok(entry)
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
        let mut tx = self.pool.begin().await?;
        let copy: Option<i64> = sqlx::query_scalar(
            "INSERT INTO v3_callbacks (event_id, caller_mchid, event_type, summary, plaintext, create_time,
                 created_at, status, attempts, next_attempt_at, duplicate_of)
             SELECT event_id, caller_mchid, event_type, summary, plaintext, create_time,
                 created_at, 'pending', 0, $1, id
             FROM v3_callbacks WHERE id = $2
             RETURNING id",
        )
        .bind(now_ms)
        .bind(callback_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(copy) = copy else { return Ok(None) };
        let record = outbox::load(&mut tx, copy).await?;
        tx.commit().await?;
        Ok(record)
    }
}
