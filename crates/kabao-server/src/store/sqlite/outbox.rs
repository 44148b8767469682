//! The SQL both delivery outboxes share (claiming due entries, recording
//! attempts, `no_url`, reading entries with their attempts, redelivery),
//! parameterised by an [`Outbox`] that names the tables and columns.

use crate::store::outbox::{AfterAttempt, Attempt, OutboxStatus, Redelivery};
use crate::store::shared::into_rusqlite;
use crate::store::shared::outbox_rows::{attempt_from_row, ATTEMPT_COLUMNS};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};
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
    /// Extra claim condition on `?2` (now): the lease has ended.
    pub lease_ended: &'static str,
    /// Extra `SET` when an attempt ends: the lease is released.
    pub release: &'static str,
}

/// An entry read with its attempts (a `…Record`).
pub(super) trait OutboxEntry: Sized {
    /// The outbox it is read from.
    const OUTBOX: &'static Outbox;
    /// The entry from a row of [`Outbox::columns`] and its attempts.
    fn from_row(row: &SqliteRow, attempts: Vec<Attempt>) -> sqlx::Result<Self>;
}

/// Takes up to `limit` pending entries due at `now` whose lease has ended,
/// leases them until `lease_until`, and returns them in id order. Runs on
/// the writer's connection, inside its batch.
pub(super) fn claim_due<T>(
    conn: &rusqlite::Connection,
    outbox: &Outbox,
    now: i64,
    lease_until: i64,
    limit: i64,
    claimed_from_row: fn(&rusqlite::Row<'_>) -> sqlx::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let Outbox {
        table,
        columns,
        lease_column,
        lease_ended,
        ..
    } = outbox;
    let mut statement = conn.prepare_cached(&format!(
        "UPDATE {table} SET {lease_column} = ?1
         WHERE id IN (SELECT id FROM {table}
                      WHERE status = 'pending' AND next_attempt_at <= ?2{lease_ended}
                      ORDER BY next_attempt_at, id LIMIT ?3)
         RETURNING {columns}"
    ))?;
    let mut claimed = statement
        .query_map(rusqlite::params![lease_until, now, limit], |row| {
            let id: i64 = row.get("id")?;
            Ok((id, claimed_from_row(row).map_err(into_rusqlite)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    claimed.sort_by_key(|(id, _)| *id);
    Ok(claimed.into_iter().map(|(_, c)| c).collect())
}

/// Records an attempt and its consequence for entry `id`, on the writer's
/// connection inside its batch.
pub(super) fn record_attempt(
    conn: &rusqlite::Connection,
    outbox: &Outbox,
    id: i64,
    attempt: &Attempt,
    after: AfterAttempt,
) -> rusqlite::Result<()> {
    let Outbox {
        table,
        attempts_table,
        entry_column,
        release,
        ..
    } = outbox;
    conn.prepare_cached(&format!(
        "INSERT INTO {attempts_table} ({entry_column}, attempt, started_at_ms, url, request_body,
             http_status, latency_ms, error, response_body)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    ))?
    .execute(rusqlite::params![
        id,
        attempt.attempt,
        attempt.started_at_ms,
        attempt.url,
        attempt.request_body,
        attempt.http_status.map(i64::from),
        attempt.latency_ms,
        attempt.error,
        attempt.response_body,
    ])?;
    let (status, next, delivered) = match after {
        AfterAttempt::Delivered(at) => (OutboxStatus::Delivered, None, Some(at)),
        AfterAttempt::RetryAt(at) => (OutboxStatus::Pending, Some(at), None),
        AfterAttempt::Failed => (OutboxStatus::Failed, None, None),
    };
    conn.prepare_cached(&format!(
        "UPDATE {table} SET status = ?, attempts = ?{release},
             next_attempt_at = COALESCE(?, next_attempt_at),
             delivered_at = COALESCE(?, delivered_at),
             last_error = COALESCE(?, last_error)
         WHERE id = ?"
    ))?
    .execute(rusqlite::params![
        status.as_str(),
        attempt.attempt,
        next,
        delivered,
        attempt.error,
        id,
    ])?;
    Ok(())
}

/// Ends entry `id` as `no_url`, with `reason` as its last error.
pub(super) async fn mark_no_url(
    pool: &SqlitePool,
    outbox: &Outbox,
    id: i64,
    reason: &str,
) -> sqlx::Result<()> {
    let Outbox { table, release, .. } = outbox;
    sqlx::query(&format!(
        "UPDATE {table} SET status = 'no_url', last_error = ?{release} WHERE id = ?"
    ))
    .bind(reason)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(())
}

/// The entries of `rows` (of [`Outbox::columns`]) with their attempts,
/// read with one more query.
pub(super) async fn with_attempts<E: OutboxEntry>(
    conn: &mut SqliteConnection,
    rows: &[SqliteRow],
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
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT {entry_column}, {ATTEMPT_COLUMNS} FROM {attempts_table} WHERE {entry_column} IN ({}) ORDER BY {entry_column}, attempt",
            ids.join(",")
        );
        for row in sqlx::query(&sql).fetch_all(&mut *conn).await? {
            let attempt = attempt_from_row(&row)?;
            let entry_id: i64 = row.try_get(*entry_column)?;
            attempts.entry(entry_id).or_default().push(attempt);
        }
    }
    rows.iter()
        .zip(ids)
        .map(|(row, id)| E::from_row(row, attempts.remove(&id).unwrap_or_default()))
        .collect()
}

/// One entry with its attempts, read on `conn`.
pub(super) async fn load<E: OutboxEntry>(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<E>> {
    let Outbox { table, columns, .. } = E::OUTBOX;
    let row = sqlx::query(&format!("SELECT {columns} FROM {table} WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let rows = Vec::from_iter(row);
    Ok(with_attempts(conn, &rows).await?.pop())
}

/// Puts a finished entry back to pending, due at `now` (in the outbox's
/// unit), with a fresh round; a pending one is left alone.
pub(super) async fn redeliver<E: OutboxEntry>(
    pool: &SqlitePool,
    id: i64,
    now: i64,
) -> sqlx::Result<Redelivery<E>> {
    let table = E::OUTBOX.table;
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let status: Option<String> =
        sqlx::query_scalar(&format!("SELECT status FROM {table} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match status.as_deref() {
        None => return Ok(Redelivery::NotFound),
        Some("pending") => return Ok(Redelivery::AlreadyPending),
        Some(_) => {}
    }
    sqlx::query(&format!(
        "UPDATE {table} SET status = 'pending', round_start = attempts, next_attempt_at = ?
         WHERE id = ?"
    ))
    .bind(now)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let entry = load::<E>(&mut tx, id).await?;
    tx.commit().await?;
    Ok(entry.map_or(Redelivery::NotFound, |e| Redelivery::Queued(Box::new(e))))
}
