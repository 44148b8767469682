//! The event-push outbox and push configs in SQLite.

use super::{corrupt, SqliteStore};
use crate::domain::ids::Appid;
use crate::store::push::{
    AfterAttempt, ClaimedPush, NewPush, PushAttempt, PushConfig, PushFilter, PushRecord,
    PushStatus, PushStore, Redelivery,
};
use crate::store::StoreResult;
use async_trait::async_trait;
use kabao_protocol::oa::OaEvent;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};

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

fn appid_of(row: &SqliteRow) -> Result<Appid, sqlx::Error> {
    Appid::parse("appid", row.try_get("appid")?).map_err(|e| corrupt("appid", e))
}

fn event_of(row: &SqliteRow) -> Result<OaEvent, sqlx::Error> {
    serde_json::from_str(row.try_get("fields")?).map_err(|e| corrupt("fields", e))
}

fn config_from_row(row: &SqliteRow) -> Result<PushConfig, sqlx::Error> {
    Ok(PushConfig {
        appid: appid_of(row)?,
        url: row.try_get("url")?,
        token: row.try_get("token")?,
        original_id: row.try_get("original_id")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn claimed_from_row(row: &SqliteRow) -> Result<ClaimedPush, sqlx::Error> {
    let attempts: i64 = row.try_get("attempts")?;
    let round_start: i64 = row.try_get("round_start")?;
    Ok(ClaimedPush {
        id: row.try_get("id")?,
        appid: appid_of(row)?,
        from_openid: row.try_get("from_openid")?,
        event: event_of(row)?,
        created_at: row.try_get("created_at")?,
        attempts,
        round_attempts: attempts - round_start,
    })
}

fn record_from_row(row: &SqliteRow) -> Result<PushRecord, sqlx::Error> {
    let status: String = row.try_get("status")?;
    Ok(PushRecord {
        id: row.try_get("id")?,
        appid: appid_of(row)?,
        from_openid: row.try_get("from_openid")?,
        event: event_of(row)?,
        created_at: row.try_get("created_at")?,
        status: PushStatus::parse(&status).ok_or_else(|| corrupt("status", &status))?,
        next_attempt_at: row.try_get("next_attempt_at")?,
        delivered_at: row.try_get("delivered_at")?,
        last_error: row.try_get("last_error")?,
        attempts: Vec::new(),
    })
}

fn attempt_from_row(row: &SqliteRow) -> Result<(i64, PushAttempt), sqlx::Error> {
    let status: Option<i64> = row.try_get("http_status")?;
    Ok((
        row.try_get("push_id")?,
        PushAttempt {
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

const PUSH_COLUMNS: &str = "id, appid, event, from_openid, fields, created_at, status, attempts, \
     round_start, next_attempt_at, delivered_at, last_error";

/// Fills in the attempts of `records` (all of them, with one query).
async fn attach_attempts(
    conn: &mut SqliteConnection,
    records: &mut [PushRecord],
) -> sqlx::Result<()> {
    if records.is_empty() {
        return Ok(());
    }
    let ids: Vec<String> = records.iter().map(|r| r.id.to_string()).collect();
    let sql = format!(
        "SELECT push_id, attempt, started_at_ms, url, request_body, http_status, latency_ms, error, response_body
         FROM event_push_attempts WHERE push_id IN ({}) ORDER BY push_id, attempt",
        ids.join(",")
    );
    for row in sqlx::query(&sql).fetch_all(conn).await? {
        let (push_id, attempt) = attempt_from_row(&row)?;
        if let Some(record) = records.iter_mut().find(|r| r.id == push_id) {
            record.attempts.push(attempt);
        }
    }
    Ok(())
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
        Ok(row.as_ref().map(config_from_row).transpose()?)
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
        let rows = sqlx::query(&format!(
            "UPDATE event_pushes SET next_attempt_at = ?
             WHERE id IN (SELECT id FROM event_pushes WHERE status = 'pending' AND next_attempt_at <= ?
                          ORDER BY next_attempt_at, id LIMIT ?)
             RETURNING {PUSH_COLUMNS}"
        ))
        .bind(lease_until)
        .bind(now)
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

    async fn record_push_attempt(
        &self,
        push_id: i64,
        attempt: &PushAttempt,
        after: AfterAttempt,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO event_push_attempts (push_id, attempt, started_at_ms, url, request_body,
                 http_status, latency_ms, error, response_body)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(push_id)
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
            AfterAttempt::Delivered(at) => (PushStatus::Delivered, None, Some(at)),
            AfterAttempt::RetryAt(at) => (PushStatus::Pending, Some(at), None),
            AfterAttempt::Failed => (PushStatus::Failed, None, None),
        };
        sqlx::query(
            "UPDATE event_pushes SET status = ?, attempts = ?,
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
        .bind(push_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn mark_push_no_url(&self, push_id: i64, reason: &str) -> StoreResult<()> {
        sqlx::query("UPDATE event_pushes SET status = 'no_url', last_error = ? WHERE id = ?")
            .bind(reason)
            .bind(push_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn pushes(&self, filter: &PushFilter) -> StoreResult<Vec<PushRecord>> {
        let mut conn = self.pool.acquire().await?;
        let rows = sqlx::query(&format!(
            "SELECT {PUSH_COLUMNS} FROM event_pushes
             WHERE (?1 IS NULL OR appid = ?1) AND (?2 IS NULL OR event = ?2)
             ORDER BY id DESC LIMIT ?3"
        ))
        .bind(filter.appid.as_deref())
        .bind(filter.event.as_deref())
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

    async fn redeliver_push(&self, push_id: i64, now: i64) -> StoreResult<Redelivery> {
        let mut tx = self.pool.begin().await?;
        let status: Option<String> =
            sqlx::query_scalar("SELECT status FROM event_pushes WHERE id = ?")
                .bind(push_id)
                .fetch_optional(&mut *tx)
                .await?;
        match status.as_deref() {
            None => return Ok(Redelivery::NotFound),
            Some("pending") => return Ok(Redelivery::AlreadyPending),
            Some(_) => {}
        }
        let row = sqlx::query(&format!(
            "UPDATE event_pushes SET status = 'pending', round_start = attempts, next_attempt_at = ?
             WHERE id = ? RETURNING {PUSH_COLUMNS}"
        ))
        .bind(now)
        .bind(push_id)
        .fetch_one(&mut *tx)
        .await?;
        let mut record = [record_from_row(&row)?];
        attach_attempts(&mut tx, &mut record).await?;
        tx.commit().await?;
        let [record] = record;
        Ok(Redelivery::Queued(Box::new(record)))
    }
}
