//! Group commit: one thread owns a SQLite connection and applies every write
//! waiting in its queue in one transaction, then commits once and answers
//! them all. Every write is committed before its caller hears back, and the
//! commit cost is shared by the batch; WAL checkpoints run on a thread of
//! their own. That is what lets `/card/invoice/insert` reach tens of
//! thousands of accepted inserts per second on one SQLite file, and what the
//! hot APIv3 writes (fapiao applications, taxi cards) use too: one hop to
//! this thread instead of a round trip per statement.
//!
//! When nothing is queued and the connection is free, a write does not hop
//! at all: the caller's thread applies it on the writer's connection as a
//! batch of one, provided SQLite's write lock is free right now (it never
//! waits for the lock there). Under load the queue is never empty and the
//! thread batches as before; alone, a write saves two thread wake-ups.

use super::card_insert::insert_one;
use super::checkpointer::Checkpointer;
use super::code_mint::CodeMint;
use super::readers::backend;
use crate::domain::invoice::card::{InsertOutcome, NewCard};
use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, ErrorCode};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::{mpsc, oneshot};

/// Most writes applied in one transaction.
const MAX_BATCH: usize = 512;

/// Page cache of the writer's connection, in KiB. Reads of pages not in the
/// WAL come from the memory map, so the cache mostly holds pages written
/// since the last checkpoint. Kept small on purpose: a B-tree split that
/// reorders pages parks one at the locking page's number, and the commit
/// after it walks the whole cache to drop it (SQLite's
/// `pcache1TruncateUnsafe`), a cost that grows with the cache. Measured
/// with `kabao-bench`, card inserts ran as fast with 2 MiB as with 8 or
/// 64 MiB, and fapiao applications spent less CPU each.
const WRITER_CACHE_KIB: i64 = 2 * 1024;

/// Size the WAL file is cut back to after it restarts, in bytes.
const WAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Statements the writer's connection keeps prepared: every hot write and
/// point read, with room (rusqlite's default of 16 would evict some of them
/// under a mixed load and parse them again).
pub(super) const STATEMENT_CACHE: usize = 64;

/// Memory-mapped reads of the database file, in bytes.
const WRITER_MMAP_BYTES: i64 = 256 * 1024 * 1024;

/// A write other than a card insert: runs inside the batch's transaction in
/// a savepoint of its own (alone in its batch, in the transaction itself),
/// and hears whether the batch committed. It may run
/// more than once: a batch that is rolled back is applied again.
trait Task: Send {
    /// Does the work; false when it failed and its writes must be undone.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the batch is committed (or failed to).
    fn finish(self: Box<Self>, committed: Result<(), &rusqlite::Error>);
}

/// A closure and the channel its caller waits on.
struct ClosureTask<T, F> {
    work: F,
    result: Option<rusqlite::Result<T>>,
    reply: oneshot::Sender<StoreResult<T>>,
}

impl<T, F> Task for ClosureTask<T, F>
where
    T: Send,
    F: Fn(&Connection) -> rusqlite::Result<T> + Send,
{
    fn run(&mut self, conn: &Connection) -> bool {
        let result = (self.work)(conn);
        let ok = result.is_ok();
        self.result = Some(result);
        ok
    }

    fn finish(self: Box<Self>, committed: Result<(), &rusqlite::Error>) {
        let answer = match (committed, self.result) {
            (Ok(()), Some(Ok(value))) => Ok(value),
            (Ok(()), Some(Err(e))) => {
                tracing::error!(error = %e, "write failed");
                Err(backend(e))
            }
            (Err(e), _) => Err(backend(e)),
            (Ok(()), None) => Err(StoreError::Backend("the write never ran".into())),
        };
        let _ = self.reply.send(answer);
    }
}

enum Job {
    Card {
        card: Box<NewCard>,
        reply: oneshot::Sender<StoreResult<InsertOutcome>>,
        outcome: Option<InsertOutcome>,
    },
    Task(Box<dyn Task>),
}

/// The connection and what runs after each commit on it, used by the
/// thread and by callers writing in place.
struct Shared {
    conn: Connection,
    checkpointer: Checkpointer,
    mint: CodeMint,
}

/// Handle to the writer thread; dropping the last one stops it.
pub(super) struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
    /// Jobs sent to the thread and not yet taken by it.
    queued: Arc<AtomicUsize>,
    shared: Arc<Mutex<Shared>>,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("queued", &self.queued.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Job")
    }
}

impl Writer {
    /// Opens a connection to the database file and starts the thread.
    pub(super) fn start(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        conn.busy_handler(Some(super::busy::wait_for_lock))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        conn.pragma_update(None, "mmap_size", WRITER_MMAP_BYTES)?;
        // Checkpoints (and their fsync) run mostly on the checkpointer thread,
        // not inside a batch's commit.
        conn.pragma_update(None, "wal_autocheckpoint", 0)?;
        conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT_BYTES)?;
        let checkpointer = Checkpointer::start(path)?;
        let shared = Arc::new(Mutex::new(Shared {
            conn,
            checkpointer,
            mint: CodeMint::default(),
        }));
        let queued = Arc::new(AtomicUsize::new(0));
        let (jobs, queue) = mpsc::unbounded_channel();
        let (thread_shared, thread_queued) = (shared.clone(), queued.clone());
        std::thread::Builder::new()
            .name("kabao-writer".into())
            .spawn(move || run(&thread_shared, &thread_queued, queue))?;
        Ok(Self {
            jobs,
            queued,
            shared,
        })
    }

    /// Queues one card insert and waits until its batch is committed.
    /// Inserts always go to the thread: they come in bursts, and measured
    /// under load, batching them there beats applying one in place.
    pub(super) async fn insert(&self, card: NewCard) -> StoreResult<InsertOutcome> {
        let (reply, answer) = oneshot::channel();
        self.queue(Job::Card {
            card: Box::new(card),
            reply,
            outcome: None,
        })?;
        answer.await.map_err(|_| dropped())?
    }

    /// Queues `work` and waits until its batch is committed. `work` runs in
    /// a savepoint: when it returns an error, its writes are undone and the
    /// caller gets the error; the rest of the batch is unaffected.
    pub(super) async fn write<T, F>(&self, work: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> rusqlite::Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.send(Job::Task(Box::new(ClosureTask {
            work,
            result: None,
            reply,
        })))?;
        answer.await.map_err(|_| dropped())?
    }

    /// Runs a point read on the writer's connection when it is free right
    /// now, else gives `read` back. The writer's page cache is warm for the
    /// rows it just wrote (a reader's is reset by every commit it did not
    /// make), so a lookup of a row written moments ago is cheapest here.
    pub(super) fn read_in_place<T, F>(&self, read: F) -> Result<rusqlite::Result<T>, F>
    where
        F: FnOnce(&Connection) -> rusqlite::Result<T>,
    {
        match self.shared.try_lock() {
            Ok(shared) => Ok(read(&shared.conn)),
            Err(_) => Err(read),
        }
    }

    /// Applies `job` in place when that needs no waiting, else queues it
    /// for the thread.
    fn send(&self, job: Job) -> StoreResult<()> {
        match self.write_in_place(job) {
            Some(job) => self.queue(job),
            None => Ok(()),
        }
    }

    /// Hands `job` to the thread.
    fn queue(&self, job: Job) -> StoreResult<()> {
        self.queued.fetch_add(1, Ordering::AcqRel);
        self.jobs
            .send(job)
            .map_err(|_| StoreError::Backend("the writer has stopped".into()))
    }

    /// Applies `job` on this thread as a batch of one if nothing is queued,
    /// the connection is free and SQLite's write lock can be had at once;
    /// otherwise gives the job back untouched (anything it wrote rolled back).
    fn write_in_place(&self, job: Job) -> Option<Job> {
        if self.queued.load(Ordering::Acquire) != 0 {
            return Some(job);
        }
        let Ok(mut shared) = self.shared.try_lock() else {
            return Some(job);
        };
        let shared = &mut *shared;
        let mut batch = [job];
        // Fail at once instead of sleeping on a runtime thread while another
        // connection holds the write lock.
        let _ = shared.conn.busy_handler(None);
        let committed = apply_batch(&mut shared.conn, &mut shared.mint, &mut batch);
        let _ = shared.conn.busy_handler(Some(super::busy::wait_for_lock));
        let [job] = batch;
        match committed {
            Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::DatabaseBusy => {
                Some(job)
            }
            committed => {
                if let Err(e) = &committed {
                    tracing::error!(error = %e, "write failed");
                }
                answer(job, committed.as_ref().map(|_| ()));
                shared.checkpointer.after_commit(&shared.conn);
                None
            }
        }
    }
}

fn dropped() -> StoreError {
    StoreError::Backend("the writer dropped a write".into())
}

fn run(shared: &Mutex<Shared>, queued: &AtomicUsize, mut queue: mpsc::UnboundedReceiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while let Some(first) = queue.blocking_recv() {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        queued.fetch_sub(batch.len(), Ordering::AcqRel);
        let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
        let shared = &mut *shared;
        let committed = apply_batch(&mut shared.conn, &mut shared.mint, &mut batch);
        if let Err(e) = &committed {
            tracing::error!(error = %e, "write batch failed");
        }
        for job in batch.drain(..) {
            answer(job, committed.as_ref().map(|_| ()));
        }
        shared.checkpointer.after_commit(&shared.conn);
    }
}

/// Tells the job's caller how it ended.
fn answer(job: Job, committed: Result<(), &rusqlite::Error>) {
    match job {
        Job::Card { reply, outcome, .. } => {
            let result = match (committed, outcome) {
                (Ok(()), Some(outcome)) => Ok(outcome),
                (Ok(()), None) => Err(StoreError::Backend("card insert failed".into())),
                (Err(e), _) => Err(backend(e)),
            };
            let _ = reply.send(result);
        }
        Job::Task(task) => task.finish(committed),
    }
}

/// Applies the batch in one transaction. Card inserts run without
/// savepoints, which is safe because a refused or replayed insert writes
/// nothing and a failed `INSERT` undoes only itself; when one hits a
/// database error after it may have written, the whole transaction is rolled
/// back and applied again with a savepoint around every job.
fn apply_batch(
    conn: &mut Connection,
    mint: &mut CodeMint,
    batch: &mut [Job],
) -> rusqlite::Result<()> {
    if apply(conn, mint, batch, false)? {
        return Ok(());
    }
    apply(conn, mint, batch, true).map(|_| ())
}

/// One attempt; `Ok(false)` when a card insert failed without savepoints
/// and the transaction was rolled back. A batch that is one task (every
/// write applied in place) runs it without a savepoint: when it fails, the
/// whole transaction is rolled back, which undoes exactly its writes.
fn apply(
    conn: &mut Connection,
    mint: &mut CodeMint,
    batch: &mut [Job],
    isolate_cards: bool,
) -> rusqlite::Result<bool> {
    let tx = BatchTransaction::begin(conn)?;
    if let [Job::Task(task)] = batch {
        if task.run(tx.conn) {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        return Ok(true);
    }
    for job in batch.iter_mut() {
        match job {
            Job::Card { card, outcome, .. } => {
                *outcome = None;
                if isolate_cards {
                    *outcome = in_savepoint(tx.conn, |conn| match insert_one(conn, mint, card) {
                        Ok(done) => Some(done),
                        Err(e) => {
                            tracing::error!(error = %e, "card insert failed");
                            None
                        }
                    })?;
                } else if let Ok(done) = insert_one(tx.conn, mint, card) {
                    *outcome = Some(done);
                } else {
                    tx.rollback()?;
                    return Ok(false);
                }
            }
            Job::Task(task) => {
                in_savepoint(tx.conn, |conn| task.run(conn).then_some(()))?;
            }
        }
    }
    tx.commit()?;
    Ok(true)
}

/// `BEGIN IMMEDIATE` … `COMMIT` through cached statements: a batch begins
/// and commits hundreds of times a second, and preparing the two statements
/// anew each time showed in profiles. Dropped while open, it rolls back.
struct BatchTransaction<'c> {
    conn: &'c Connection,
    open: bool,
}

impl<'c> BatchTransaction<'c> {
    fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.prepare_cached("BEGIN IMMEDIATE")?.execute([])?;
        Ok(Self { conn, open: true })
    }

    fn commit(mut self) -> rusqlite::Result<()> {
        self.conn.prepare_cached("COMMIT")?.execute([])?;
        self.open = false;
        Ok(())
    }

    /// Rolls back now; when that fails, the drop tries once more.
    fn rollback(mut self) -> rusqlite::Result<()> {
        self.conn.prepare_cached("ROLLBACK")?.execute([])?;
        self.open = false;
        Ok(())
    }
}

impl Drop for BatchTransaction<'_> {
    fn drop(&mut self) {
        if self.open && !self.conn.is_autocommit() {
            let rolled_back = self
                .conn
                .prepare_cached("ROLLBACK")
                .and_then(|mut s| s.execute([]));
            if let Err(e) = rolled_back {
                tracing::error!(error = %e, "rolling a write batch back failed");
            }
        }
    }
}

/// Runs `work` in a savepoint, undoing its writes when it gives nothing.
fn in_savepoint<T>(
    conn: &Connection,
    work: impl FnOnce(&Connection) -> Option<T>,
) -> rusqlite::Result<Option<T>> {
    conn.prepare_cached("SAVEPOINT job")?.execute([])?;
    let done = work(conn);
    if done.is_none() {
        conn.prepare_cached("ROLLBACK TO job")?.execute([])?;
    }
    conn.prepare_cached("RELEASE job")?.execute([])?;
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn database() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch("CREATE TABLE t (v INTEGER NOT NULL)")
            .unwrap();
        (dir, path)
    }

    fn count(path: &Path) -> i64 {
        Connection::open(path)
            .unwrap()
            .query_row("SELECT COUNT(*) FROM t", [], |r| r.get(0))
            .unwrap()
    }

    #[tokio::test]
    async fn a_write_waits_for_a_lock_held_elsewhere_and_then_commits() {
        let (_dir, path) = database();
        let writer = Arc::new(Writer::start(&path).unwrap());
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let pending = tokio::spawn({
            let writer = writer.clone();
            async move {
                writer
                    .write(|conn| conn.execute("INSERT INTO t (v) VALUES (1)", []))
                    .await
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            !pending.is_finished(),
            "the write cannot commit while another connection holds the lock"
        );
        other.execute_batch("COMMIT").unwrap();
        assert_eq!(pending.await.unwrap().unwrap(), 1);
        assert_eq!(count(&path), 1);
    }

    #[tokio::test]
    async fn a_failed_write_is_undone_without_touching_its_batch() {
        let (_dir, path) = database();
        let writer = Arc::new(Writer::start(&path).unwrap());
        // Another connection holds the lock while the writes arrive, so they
        // queue up and the thread applies them as one batch.
        let other = Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let writes = (0..20).map(|i| {
            let writer = writer.clone();
            tokio::spawn(async move {
                writer
                    .write(move |conn| {
                        conn.execute("INSERT INTO t (v) VALUES (?1)", [i])?;
                        if i % 2 == 1 {
                            // Written, then failed: the savepoint undoes it.
                            conn.execute("INSERT INTO t (v) VALUES (NULL)", [])?;
                        }
                        Ok(i)
                    })
                    .await
            })
        });
        let writes = writes.collect::<Vec<_>>();
        tokio::time::sleep(Duration::from_millis(50)).await;
        other.execute_batch("COMMIT").unwrap();
        let mut failed = 0;
        for write in writes {
            if write.await.unwrap().is_err() {
                failed += 1;
            }
        }
        assert_eq!(failed, 10);
        assert_eq!(count(&path), 10, "only the successful writes are stored");
    }

    #[tokio::test]
    async fn a_write_that_fails_alone_leaves_nothing_and_the_next_one_commits() {
        let (_dir, path) = database();
        let writer = Writer::start(&path).unwrap();
        // Nothing else is queued, so each write is applied in place as a
        // batch of one, without a savepoint.
        let failed = writer
            .write(|conn| {
                conn.execute("INSERT INTO t (v) VALUES (1)", [])?;
                conn.execute("INSERT INTO t (v) VALUES (NULL)", [])
            })
            .await;
        assert!(failed.is_err(), "the NOT NULL violation reaches the caller");
        assert_eq!(
            count(&path),
            0,
            "the row written before the failure is undone"
        );
        let stored = writer
            .write(|conn| conn.execute("INSERT INTO t (v) VALUES (2)", []))
            .await;
        assert_eq!(stored.unwrap(), 1);
        assert_eq!(
            count(&path),
            1,
            "the connection is usable after the rollback"
        );
    }
}
