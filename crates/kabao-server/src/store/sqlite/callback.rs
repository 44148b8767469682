//! [`CallbackStore`](crate::store::callback::CallbackStore) in SQLite.

use super::{corrupt, SqliteStore};
use crate::store::callback::{
    AfterCallbackAttempt, CallbackAttempt, CallbackFilter, CallbackRecord, CallbackRedelivery,
    CallbackStatus, CallbackStore, ClaimedCallback, NewCallback,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

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

const CALLBACK_COLUMNS: &str = "id, event_id, caller_mchid, event_type, summary, plaintext, \
     create_time, status, attempts, round_start, next_attempt_at, delivered_at, last_error, duplicate_of";

fn claimed_from_row(row: &SqliteRow) -> Result<ClaimedCallback, sqlx::Error> {
    let attempts: i64 = row.try_get("attempts")?;
    let round_start: i64 = row.try_get("round_start")?;
    Ok(ClaimedCallback {
        id: row.try_get("id")?,
        event_id: row.try_get("event_id")?,
        caller_mchid: row.try_get("caller_mchid")?,
        event_type: row.try_get("event_type")?,
        summary: row.try_get("summary")?,
        plaintext: row.try_get("plaintext")?,
        create_time: row.try_get("create_time")?,
        attempts,
        round_attempts: attempts - round_start,
    })
}

fn record_from_row(row: &SqliteRow) -> Result<CallbackRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(CallbackRecord {
        id: row.try_get("id")?,
        event_id: row.try_get("event_id")?,
        caller_mchid: row.try_get("caller_mchid")?,
        event_type: row.try_get("event_type")?,
        summary: row.try_get("summary")?,
        plaintext: row.try_get("plaintext")?,
        create_time: row.try_get("create_time")?,
        status: CallbackStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        next_attempt_at_ms: row.try_get("next_attempt_at")?,
        delivered_at: row.try_get("delivered_at")?,
        last_error: row.try_get("last_error")?,
        duplicate_of: row.try_get("duplicate_of")?,
        attempts: Vec::new(),
    })
}

fn attempt_from_row(row: &SqliteRow) -> Result<(i64, CallbackAttempt), sqlx::Error> {
    let status: Option<i64> = row.try_get("http_status")?;
    Ok((
        row.try_get("callback_id")?,
        CallbackAttempt {
            attempt: row.try_get("attempt")?,
            started_at_ms: row.try_get("started_at_ms")?,
            url: row.try_get("url")?,
            request_body: row.try_get("request_body")?,
            http_status: status.and_then(|s| u16::try_from(s).ok()),
            latency_ms: row.try_get("latency_ms")?,
            error: row.try_get("error")?,
            response_body: row.try_get("response_body")?,
        },
    ))
}

/// Fills in the attempts of `records` with one query.
async fn attach_attempts(
    conn: &mut SqliteConnection,
    records: &mut [CallbackRecord],
) -> sqlx::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = records.iter().map(|r| r.id.to_string()).collect();
    let sql = format!(
        "SELECT callback_id, attempt, started_at_ms, url, request_body, http_status, latency_ms, error, response_body
         FROM v3_callback_attempts WHERE callback_id IN ({}) ORDER BY callback_id, attempt",
        ids.join(",")
    );
    for row in sqlx::query(&sql).fetch_all(conn).await? {
        let (callback_id, attempt) = attempt_from_row(&row)?;
        if let Some(record) = records.iter_mut().find(|r| r.id == callback_id) {
            record.attempts.push(attempt);
        }
    }
    Ok(())
}

/// One callback with its attempts, read on `conn`.
async fn load_record(
    conn: &mut SqliteConnection,
    callback_id: i64,
) -> sqlx::Result<Option<CallbackRecord>> {
    let row = sqlx::query(&format!(
        "SELECT {CALLBACK_COLUMNS} FROM v3_callbacks WHERE id = ?"
    ))
    .bind(callback_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut record = [record_from_row(&row)?];
    attach_attempts(conn, &mut record).await?;
    let [record] = record;
    Ok(Some(record))
}

#[async_trait]
impl CallbackStore for SqliteStore {
    async fn claim_due_callbacks(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedCallback>> {
        let rows = sqlx::query(&format!(
            "UPDATE v3_callbacks SET leased_until = ?1
             WHERE id IN (SELECT id FROM v3_callbacks
                          WHERE status = 'pending' AND next_attempt_at <= ?2
                            AND (leased_until IS NULL OR leased_until <= ?2)
                          ORDER BY next_attempt_at, id LIMIT ?3)
             RETURNING {CALLBACK_COLUMNS}"
        ))
        .bind(lease_until_ms)
        .bind(now_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = rows
            .iter()
            .map(claimed_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        claimed.sort_by_key(|c| c.id);
        Ok(claimed)
    }

    async fn next_callback_due_ms(&self) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT MIN(MAX(next_attempt_at, COALESCE(leased_until, 0)))
             FROM v3_callbacks WHERE status = 'pending'",
        )
        .fetch_one(&self.pool)
        .await?)
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
        let url: Option<String> =
            sqlx::query_scalar("SELECT callback_url FROM fapiao_dev_configs WHERE mchid = ?")
                .bind(mchid)
                .fetch_optional(&self.pool)
                .await?;
        Ok(url.filter(|u| !u.is_empty()))
    }

    async fn record_callback_attempt(
        &self,
        callback_id: i64,
        attempt: &CallbackAttempt,
        after: AfterCallbackAttempt,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO v3_callback_attempts (callback_id, attempt, started_at_ms, url, request_body,
                 http_status, latency_ms, error, response_body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(callback_id)
        .bind(attempt.attempt)
        .bind(attempt.started_at_ms)
        .bind(&attempt.url)
        .bind(&attempt.request_body)
        .bind(attempt.http_status.map(i64::from))
        .bind(attempt.latency_ms)
        .bind(&attempt.error)
        .bind(&attempt.response_body)
        .execute(&mut *tx)
        .await?;
        let (status, next, delivered) = match after {
            AfterCallbackAttempt::Delivered(at) => (CallbackStatus::Delivered, None, Some(at)),
            AfterCallbackAttempt::RetryAtMs(at) => (CallbackStatus::Pending, Some(at), None),
            AfterCallbackAttempt::Failed => (CallbackStatus::Failed, None, None),
        };
        sqlx::query(
            "UPDATE v3_callbacks SET status = ?, attempts = ?, leased_until = NULL,
                 next_attempt_at = COALESCE(?, next_attempt_at),
                 delivered_at = COALESCE(?, delivered_at),
                 last_error = COALESCE(?, last_error)
             WHERE id = ?",
        )
        .bind(status.as_str())
        .bind(attempt.attempt)
        .bind(next)
        .bind(delivered)
        .bind(&attempt.error)
        .bind(callback_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn mark_callback_no_url(&self, callback_id: i64, reason: &str) -> StoreResult<()> {
        sqlx::query("UPDATE v3_callbacks SET status = 'no_url', last_error = ?, leased_until = NULL WHERE id = ?")
            .bind(reason)
            .bind(callback_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn callbacks(&self, filter: &CallbackFilter) -> StoreResult<Vec<CallbackRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT {CALLBACK_COLUMNS} FROM v3_callbacks
             WHERE (?1 IS NULL OR caller_mchid = ?1) AND (?2 IS NULL OR event_type = ?2)
               AND (?3 IS NULL OR status = ?3)
             ORDER BY id DESC LIMIT ?4"
        ))
        .bind(filter.mchid.as_deref())
        .bind(filter.event_type.as_deref())
        .bind(filter.status.map(CallbackStatus::as_str))
        .bind(filter.limit)
        .fetch_all(&mut *conn)
        .await?;
        let mut records = rows
            .iter()
            .map(record_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        attach_attempts(&mut conn, &mut records).await?;
        Ok(records)
    }

    async fn callback(&self, callback_id: i64) -> StoreResult<Option<CallbackRecord>> {
        let mut conn = self.pool.acquire().await?;
        Ok(load_record(&mut conn, callback_id).await?)
    }

    async fn redeliver_callback(
        &self,
        callback_id: i64,
        now_ms: i64,
    ) -> StoreResult<CallbackRedelivery> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM v3_callbacks WHERE id = ?")
                .bind(callback_id)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            None => return Ok(CallbackRedelivery::NotFound),
            Some("pending") => return Ok(CallbackRedelivery::AlreadyPending),
            Some(_) => {}
        }
        sqlx::query(
            "UPDATE v3_callbacks SET status = 'pending', round_start = attempts, next_attempt_at = ?
             WHERE id = ?",
        )
        .bind(now_ms)
        .bind(callback_id)
        .execute(&mut *tx)
        .await?;
        let record = load_record(&mut tx, callback_id).await?;
        tx.commit().await?;
        Ok(record.map_or(CallbackRedelivery::NotFound, |r| {
            CallbackRedelivery::Queued(Box::new(r))
        }))
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
        let record = load_record(&mut tx, copied.last_insert_rowid()).await?;
        tx.commit().await?;
        Ok(record)
    }
}
