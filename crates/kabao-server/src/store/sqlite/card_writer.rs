//! Group commit for card inserts: one thread owns a SQLite connection and
//! applies every insert waiting in its queue in one transaction, then
//! commits once and answers them all. Every insert is committed before its
//! caller hears back, and the commit cost is shared by the batch; WAL
//! checkpoints run on a thread of their own. That is what lets
//! `/card/invoice/insert` reach tens of thousands of accepted inserts per
//! second on one SQLite file.

use super::checkpointer::Checkpointer;
use crate::domain::invoice::card::{
    CardReceipt, InsertOutcome, InsertRefusal, NewCard, CARD_NORMAL,
};
use crate::domain::invoice::ids;
use crate::domain::invoice::reimburse::ReimburseStatus;
use crate::store::{StoreError, StoreResult};
use rusqlite::{params, Connection, ErrorCode, OptionalExtension, TransactionBehavior};
use std::path::Path;
use tokio::sync::{mpsc, oneshot};

/// Most inserts applied in one transaction.
const MAX_BATCH: usize = 512;

/// Page cache of the writer's connection, in KiB.
const WRITER_CACHE_KIB: i64 = 64 * 1024;

/// Size the WAL file is cut back to after it restarts, in bytes.
const WAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Memory-mapped reads of the database file, in bytes.
const WRITER_MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// status, platform_appid, kind, openid, unionid of an order.
type OrderRow = (String, String, String, Option<String>, Option<String>);

struct Job {
    card: NewCard,
    reply: oneshot::Sender<StoreResult<InsertOutcome>>,
}

/// Handle to the writer thread; dropping the last one stops it.
#[derive(Debug)]
pub(super) struct CardWriter {
    jobs: mpsc::UnboundedSender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl CardWriter {
    /// Opens a connection to the database file and starts the thread.
    pub(super) fn start(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_handler(Some(super::busy::wait_for_lock))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The indexes on card codes are random-keyed: keep them in memory.
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        conn.pragma_update(None, "mmap_size", WRITER_MMAP_BYTES)?;
        // Checkpoints (and their fsync) run mostly on the checkpointer thread,
        // not inside an insert batch's commit.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT_BYTES)?;
        let checkpointer = Checkpointer::start(path)?;
        let (jobs, queue) = mpsc::unbounded_channel();
        std::thread::Builder::new()
            .name("kabao-card-writer".into())
            .spawn(move || run(conn, queue, checkpointer))?;
        Ok(Self { jobs })
    }

    /// Queues one insert and waits until its batch is committed.
    pub(super) async fn insert(&self, card: NewCard) -> StoreResult<InsertOutcome> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { card, reply })
            .map_err(|_| StoreError::Backend("the card writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Backend("the card writer dropped an insert".into()))?
    }
}

fn run(mut conn: Connection, mut queue: mpsc::UnboundedReceiver<Job>, checkpointer: Checkpointer) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let results = apply_batch(&mut conn, &batch);
        for (job, result) in batch.drain(..).zip(results) {
            let _ = job.reply.send(result);
        }
        checkpointer.after_commit(&conn);
    }
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn apply_batch(conn: &mut Connection, batch: &[Job]) -> Vec<StoreResult<InsertOutcome>> {
    match apply_batch_fast(conn, batch) {
        Ok(Some(results)) => results,
        Ok(None) => apply_batch_isolated(conn, batch),
        Err(e) => {
            tracing::error!(error = %e, "card insert batch failed");
            batch.iter().map(|_| Err(backend_clone(&e))).collect()
        }
    }
}

/// Applies the batch without savepoints, which is safe because an insert
/// that is refused or replayed writes nothing (its checks come first, and a
/// failed `INSERT` undoes only itself). `Ok(None)` means one insert hit a
/// database error after it may have written, so the whole transaction was
/// rolled back and the batch must be applied again insert by insert.
fn apply_batch_fast(
    conn: &mut Connection,
    batch: &[Job],
) -> rusqlite::Result<Option<Vec<StoreResult<InsertOutcome>>>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        match insert_one(&tx, &job.card) {
            Ok(outcome) => results.push(Ok(outcome)),
            Err(_) => {
                tx.rollback()?;
                return Ok(None);
            }
        }
    }
    tx.commit()?;
    Ok(Some(results))
}

/// The slow path after a database error: each insert in its own savepoint,
/// so one failing insert cannot take the others' writes with it.
fn apply_batch_isolated(conn: &mut Connection, batch: &[Job]) -> Vec<StoreResult<InsertOutcome>> {
    let failed = |e: rusqlite::Error| {
        tracing::error!(error = %e, "card insert batch failed");
        batch.iter().map(|_| Err(backend_clone(&e))).collect()
    };
    let mut tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
        Ok(tx) => tx,
        Err(e) => return failed(e),
    };
    let mut results = Vec::with_capacity(batch.len());
    for job in batch {
        let outcome = match tx.savepoint() {
            Ok(mut sp) => match insert_one(&sp, &job.card) {
                Ok(outcome) => sp.commit().map(|_| outcome).map_err(backend),
                Err(e) => {
                    let _ = sp.rollback();
                    Err(backend(e))
                }
            },
            Err(e) => Err(backend(e)),
        };
        results.push(outcome);
    }
    match tx.commit() {
        Ok(()) => results,
        Err(e) => failed(e),
    }
}

fn backend_clone(e: &rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn insert_one(tx: &Connection, card: &NewCard) -> rusqlite::Result<InsertOutcome> {
    let refused = |r| Ok(InsertOutcome::Refused(r));
    let template: Option<(String, String)> = tx
        .prepare_cached("SELECT appid, kind FROM card_templates WHERE card_id = ?1")?
        .query_row([&card.card_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    match template {
        Some((owner, kind)) if owner == card.platform_appid && kind == card.kind.as_str() => {}
        _ => return refused(InsertRefusal::UnknownTemplate),
    }

    let order: Option<OrderRow> = tx
        .prepare_cached(
            "SELECT o.status, o.platform_appid, o.kind, o.openid, u.unionid
             FROM auth_orders o LEFT JOIN users u ON u.appid = o.appid AND u.openid = o.openid
             WHERE o.appid = ?1 AND o.order_id = ?2",
        )?
        .query_row([&card.appid, &card.order_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    let Some((status, platform, kind, openid, unionid)) = order else {
        return refused(InsertRefusal::OrderNeverAuth(format!(
            "appid {} never asked to authorise order_id {} (getauthurl)",
            card.appid, card.order_id
        )));
    };
    if status == "rejected" {
        return refused(InsertRefusal::Rejected);
    }
    if platform != card.platform_appid {
        return refused(InsertRefusal::OrderNeverAuth(
            "the order was authorised with another platform's s_pappid; insert with that platform's access_token".into(),
        ));
    }
    if kind != card.kind.as_str() {
        return refused(InsertRefusal::OrderNeverAuth(format!(
            "the order was authorised for a {kind}, not a {}",
            card.kind.as_str()
        )));
    }
    let (Some(openid), "authorized") = (openid, status.as_str()) else {
        return refused(InsertRefusal::OrderNeverAuth(
            "the user has not authorised this order yet".into(),
        ));
    };

    let existing: Option<(String, String, String, Option<String>)> = tx
        .prepare_cached(
            "SELECT code, request_hash, openid, unionid FROM invoice_cards WHERE appid = ?1 AND order_id = ?2",
        )?
        .query_row([&card.appid, &card.order_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    if let Some((code, hash, openid, unionid)) = existing {
        if hash == card.request_hash {
            return Ok(InsertOutcome::Replayed(CardReceipt {
                code,
                openid,
                unionid,
            }));
        }
        return refused(InsertRefusal::AlreadyInserted);
    }

    let mut media = vec![("s_pdf_media_id", card.content.s_pdf_media_id.as_str())];
    if let Some(trip) = &card.content.s_trip_pdf_media_id {
        if trip == &card.content.s_pdf_media_id {
            return refused(InsertRefusal::Pdf(
                "s_trip_pdf_media_id must be a different upload from s_pdf_media_id".into(),
            ));
        }
        media.push(("s_trip_pdf_media_id", trip));
    }
    for (field, id) in &media {
        if let Some(why) = pdf_problem(tx, field, id, card)? {
            return refused(InsertRefusal::Pdf(why));
        }
    }

    let mut code = card.code.clone();
    let user_data = card.content.user_data.to_string();
    let warnings = serde_json::to_string(&card.warnings).unwrap_or_else(|_| "[]".into());
    for _ in 0..5 {
        let inserted = tx
            .prepare_cached(
                "INSERT INTO invoice_cards (code, kind, card_id, platform_appid, appid, order_id, openid, unionid,
                   encrypt_code, billing_code, billing_no, fee, title, billing_time, user_data, s_pdf_media_id,
                   s_trip_pdf_media_id, request_hash, warnings, reimburse_status, reimburse_appid, card_status,
                   inserted_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, NULL, ?21, ?22, ?22)",
            )?
            .execute(params![
                code,
                card.kind.as_str(),
                card.card_id,
                card.platform_appid,
                card.appid,
                card.order_id,
                openid,
                unionid,
                card.encrypt_code,
                card.content.billing_code,
                card.content.billing_no,
                card.content.fee,
                card.content.title,
                card.content.billing_time,
                user_data,
                card.content.s_pdf_media_id,
                card.content.s_trip_pdf_media_id,
                card.request_hash,
                warnings,
                ReimburseStatus::Init.as_str(),
                CARD_NORMAL,
                card.now,
            ]);
        match inserted {
            Ok(_) => {
                for (_, id) in &media {
                    tx.prepare_cached(
                        "UPDATE pdf_media SET bound_code = ?1 WHERE s_media_id = ?2",
                    )?
                    .execute([&code, *id])?;
                }
                return Ok(InsertOutcome::Inserted(CardReceipt {
                    code,
                    openid,
                    unionid,
                }));
            }
            Err(rusqlite::Error::SqliteFailure(e, Some(msg)))
                if e.code == ErrorCode::ConstraintViolation =>
            {
                if msg.contains("invoice_cards.code") {
                    code = ids::card_code();
                    continue;
                }
                if msg.contains("billing_code") {
                    return refused(InsertRefusal::BillingRepeated);
                }
                return Err(rusqlite::Error::SqliteFailure(e, Some(msg)));
            }
            Err(e) => return Err(e),
        }
    }
    Err(rusqlite::Error::InvalidQuery)
}

fn pdf_problem(
    tx: &Connection,
    field: &str,
    id: &str,
    card: &NewCard,
) -> rusqlite::Result<Option<String>> {
    let row: Option<(String, i64, Option<String>)> = tx
        .prepare_cached(
            "SELECT appid, expires_at, bound_code FROM pdf_media WHERE s_media_id = ?1",
        )?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    Ok(match row {
        None => Some(format!(
            "{field} {id} was never uploaded with platform/setpdf"
        )),
        Some((owner, _, _)) if owner != card.platform_appid => {
            Some(format!("{field} {id} was uploaded by another app"))
        }
        Some((_, _, Some(bound))) => {
            Some(format!("{field} {id} is already attached to card {bound}"))
        }
        Some((_, expires_at, None)) if expires_at <= card.now => Some(format!(
            "{field} {id} expired: a PDF must be attached within 3 days of setpdf"
        )),
        _ => None,
    })
}
