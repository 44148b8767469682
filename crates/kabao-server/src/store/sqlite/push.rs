//! The event-push outbox and push configs in SQLite.

use super::outbox::{self, attempt_counts, status_of, Outbox, OutboxEntry};
use super::{corrupt, SqliteStore};
use crate::domain::ids::Appid;
use crate::store::outbox::{AfterAttempt, Attempt, Redelivery};
use crate::store::push::{ClaimedPush, NewPush, PushConfig, PushFilter, PushRecord, PushStore};
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

/// The event-push outbox: a claim leases a push by moving its due time.
static EVENT_PUSHES: Outbox = Outbox {
    table: "event_pushes",
    columns: "id, appid, event, from_openid, fields, created_at, status, attempts, \
              round_start, next_attempt_at, delivered_at, last_error",
    attempts_table: "event_push_attempts",
    entry_column: "push_id",
    lease_column: "next_attempt_at",
    lease_ended: "",
    release: "",
};

fn claimed_from_row(row: &SqliteRow) -> sqlx::Result<ClaimedPush> {
    let (attempts, round_attempts) = attempt_counts(row)?;
    Ok(ClaimedPush {
        id: row.try_get("id")?,
        appid: appid_of(row)?,
        from_openid: row.try_get("from_openid")?,
        event: event_of(row)?,
        created_at: row.try_get("created_at")?,
        attempts,
        round_attempts,
    })
}

impl OutboxEntry for PushRecord {
    const OUTBOX: &'static Outbox = &EVENT_PUSHES;

    fn from_row(row: &SqliteRow, attempts: Vec<Attempt>) -> sqlx::Result<Self> {
        Ok(PushRecord {
            id: row.try_get("id")?,
            appid: appid_of(row)?,
            from_openid: row.try_get("from_openid")?,
            event: event_of(row)?,
            created_at: row.try_get("created_at")?,
            status: status_of(row)?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            delivered_at: row.try_get("delivered_at")?,
            last_error: row.try_get("last_error")?,
            attempts,
        })
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
        let pool = &self.pool;
        Ok(outbox::claim_due(
            pool,
            &EVENT_PUSHES,
            now,
            lease_until,
            limit,
            claimed_from_row,
        )
        .await?)
    }

    async fn record_push_attempt(
        &self,
        push_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()> {
        Ok(outbox::record_attempt(&self.pool, &EVENT_PUSHES, push_id, attempt, after).await?)
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
