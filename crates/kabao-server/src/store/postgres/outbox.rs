//! The SQL both delivery outboxes share on PostgreSQL (claiming due
//! entries, recording attempts, `no_url`, reading entries with their
//! attempts, redelivery), parameterised by an [`Outbox`] that names the
//! tables and columns. Claims take rows `FOR UPDATE SKIP LOCKED` and lease
//! them, so two kabao processes on one database never claim one entry, and
//! an entry whose process died is claimable again when its lease ends.

use crate::store::outbox::{AfterAttempt, Attempt, OutboxStatus, Redelivery};
use crate::store::shared::outbox_rows::{attempt_from_row, ATTEMPT_COLUMNS};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Postgres, Row, Transaction};
use std::collections::HashMap;

/// The tables and columns of one outbox.
pub(super) struct Outbox {
    /// The outbox table.
    pub table: &'static str,
    /// The columns every entry is read with.
    pub columns: &'static str,
    /// The table of its attempts.
    pub attempts_table: &'static str,
    /// The column of that table that names the entry.
    pub entry_column: &'static str,
    /// The column a claim writes the lease end to.
    pub lease_column: &'static str,
    /// Extra claim condition on `$2` (now): the lease has ended.
    pub lease_ended: &'static str,
    /// Extra `SET` when an attempt ends: the lease is released.
    pub release: &'static str,
}

/// An entry read with its attempts (a `…Record`).
pub(super) trait OutboxEntry: Sized {
    /// The outbox it is read from.
    const OUTBOX: &'static Outbox;
    /// The entry from a row of [`Outbox::columns`] and its attempts.
    fn from_row(row: &PgRow, attempts: Vec<Attempt>) -> sqlx::Result<Self>;
}

/// Takes up to `limit` pending entries due at `now` whose lease has ended,
/// skipping those another transaction holds, leases them until
/// `lease_until`, and returns them in id order.
pub(super) async fn claim_due<T>(
    pool: &PgPool,
    outbox: &Outbox,
    now: i64,
    lease_until: i64,
    limit: i64,
    claimed_from_row: fn(&PgRow) -> sqlx::Result<T>,
) -> sqlx::Result<Vec<T>> {
    let Outbox {
        table,
        columns,
        lease_column,
        lease_ended,
        ..
    } = outbox;
    let rows = sqlx::query(&format!(
        "WITH due AS MATERIALIZED (
             SELECT id FROM {table}
             WHERE status = 'pending' AND next_attempt_at <= $2{lease_ended}
             ORDER BY next_attempt_at, id LIMIT $3
             FOR UPDATE SKIP LOCKED)
         UPDATE {table} SET {lease_column} = $1
         WHERE id IN (SELECT id FROM due)
         RETURNING {columns}"
    ))
    .bind(lease_until)
    .bind(now)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    let mut claimed = rows
        .iter()
        .map(|row| Ok((row.try_get::<i64, _>("id")?, claimed_from_row(row)?)))
        .collect::<sqlx::Result<Vec<_>>>()?;
    claimed.sort_by_key(|(id, _)| *id);
    Ok(claimed.into_iter().map(|(_, c)| c).collect())
}

/// Records an attempt and its consequence for entry `id`, in one transaction.
pub(super) async fn record_attempt(
    pool: &PgPool,
    outbox: &Outbox,
    id: i64,
    attempt: &Attempt,
    after: AfterAttempt,
) -> sqlx::Result<()> {
    let Outbox {
        table,
        attempts_table,
        entry_column,
        release,
        ..
    } = outbox;
    let mut tx = pool.begin().await?;
    sqlx::query(&format!(
        "INSERT INTO {attempts_table} ({entry_column}, {ATTEMPT_COLUMNS})
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
    ))
    .bind(id)
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
        AfterAttempt::Delivered(at) => (OutboxStatus::Delivered, None, Some(at)),
        AfterAttempt::RetryAt(at) => (OutboxStatus::Pending, Some(at), None),
        AfterAttempt::Failed => (OutboxStatus::Failed, None, None),
    };
    sqlx::query(&format!(
        "UPDATE {table} SET status = $1, attempts = $2{release},
             next_attempt_at = COALESCE($3, next_attempt_at),
             delivered_at = COALESCE($4, delivered_at),
             last_error = COALESCE($5, last_error)
         WHERE id = $6"
    ))
    .bind(status.as_str())
    .bind(attempt.attempt)
    .bind(next)
    .bind(delivered)
    .bind(&attempt.error)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Ends entry `id` as `no_url`, with `reason` as its last error.
pub(super) async fn mark_no_url(
    pool: &PgPool,
    outbox: &Outbox,
    id: i64,
    reason: &str,
) -> sqlx::Result<()> {
    let Outbox { table, release, .. } = outbox;
    sqlx::query(&format!(
        "UPDATE {table} SET status = 'no_url', last_error = $1{release} WHERE id = $2"
    ))
    .bind(reason)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// A read-only transaction that sees one snapshot for all its queries, so
/// entries and their attempts are read as of one moment: without it an
/// attempt recorded between the two queries shows up with an entry that
/// does not count it yet.
pub(super) async fn snapshot(pool: &PgPool) -> sqlx::Result<Transaction<'static, Postgres>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}

/// The entries of `rows` (of [`Outbox::columns`]) with their attempts,
/// read with one more query (in the same [`snapshot`] as `rows`).
pub(super) async fn with_attempts<E: OutboxEntry>(
    conn: &mut PgConnection,
    rows: &[PgRow],
) -> sqlx::Result<Vec<E>> {
    let ids = rows
        .iter()
        .map(|row| row.try_get("id"))
        .collect::<sqlx::Result<Vec<i64>>>()?;
    let mut attempts: HashMap<i64, Vec<Attempt>> = HashMap::new();
    if !ids.is_empty() {
        let Outbox {
            attempts_table,
            entry_column,
            ..
        } = E::OUTBOX;
        let sql = format!(
            "SELECT {entry_column}, {ATTEMPT_COLUMNS} FROM {attempts_table}
             WHERE {entry_column} = ANY($1) ORDER BY {entry_column}, attempt"
        );
        for row in sqlx::query(&sql).bind(&ids).fetch_all(&mut *conn).await? {
            let entry_id: i64 = row.try_get(*entry_column)?;
            attempts
                .entry(entry_id)
                .or_default()
                .push(attempt_from_row(&row)?);
        }
    }
    rows.iter()
        .zip(ids)
        .map(|(row, id)| E::from_row(row, attempts.remove(&id).unwrap_or_default()))
        .collect()
}

/// One entry with its attempts, read on `conn`.
pub(super) async fn load<E: OutboxEntry>(
    conn: &mut PgConnection,
    id: i64,
) -> sqlx::Result<Option<E>> {
    let Outbox { table, columns, .. } = E::OUTBOX;
    let row = sqlx::query(&format!("SELECT {columns} FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let rows = Vec::from_iter(row);
    Ok(with_attempts(conn, &rows).await?.pop())
}

/// Puts a finished entry back to pending, due at `now` (in the outbox's
/// unit), with a fresh round; a pending one is left alone. The entry is
/// locked while its status is judged, so two redeliveries cannot both
/// start a round.
pub(super) async fn redeliver<E: OutboxEntry>(
    pool: &PgPool,
    id: i64,
    now: i64,
) -> sqlx::Result<Redelivery<E>> {
    let table = E::OUTBOX.table;
    let mut tx = pool.begin().await?;
    let status: Option<String> = sqlx::query_scalar(&format!(
        "SELECT status FROM {table} WHERE id = $1 FOR UPDATE"
    ))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    match status.as_deref() {
        None => return Ok(Redelivery::NotFound),
        Some("pending") => return Ok(Redelivery::AlreadyPending),
        Some(_) => {}
    }
    sqlx::query(&format!(
        "UPDATE {table} SET status = 'pending', round_start = attempts, next_attempt_at = $1
         WHERE id = $2"
    ))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = load::<E>(&mut tx, id).await?;
    tx.commit().await?;
    Ok(entry.map_or(Redelivery::NotFound, |e| Redelivery::Queued(Box::new(e))))
}
