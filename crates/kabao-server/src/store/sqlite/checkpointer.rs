//! WAL checkpoints for the group-commit writer. Copying the WAL back
//! into the database file (and its fsync) happens on a thread of its own, so
//! insert batches do not wait for it. A background (PASSIVE) checkpoint never
//! catches up with a writer that commits all the time, and the WAL only
//! starts over once every frame is copied; so after each background pass the
//! writer itself copies the few frames committed meanwhile, between two
//! batches, and its next transaction starts the WAL from the beginning. That
//! keeps the WAL, and every lookup through it, small under sustained load.
//! The pool's connections never checkpoint inside a commit either; their
//! frames are copied back by the same thread, at least every
//! [`Checkpointer::IDLE_PASS`].

use rusqlite::Connection;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The checkpointer thread's handle, owned by the writer thread; the thread
/// stops when the handle is dropped.
pub(super) struct Checkpointer {
    wake: std::sync::mpsc::SyncSender<()>,
    pass_done: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Shortest time between two background checkpoints.
    const PAUSE: Duration = Duration::from_millis(250);
    /// Longest time between two checkpoints when the card writer is quiet:
    /// the pool's connections commit without checkpointing, so their WAL
    /// frames are copied back on this beat.
    const IDLE_PASS: Duration = Duration::from_millis(400);

    /// Opens a connection to the database at `path` and starts the thread.
    pub(super) fn start(path: &Path) -> anyhow::Result<Self> {
        let conn = Connection::open(path)?;
        conn.busy_handler(Some(super::busy::wait_for_lock))?;
        let (wake, woken) = std::sync::mpsc::sync_channel::<()>(1);
        let pass_done = Arc::new(AtomicBool::new(false));
        let done = pass_done.clone();
        std::thread::Builder::new()
            .name("kabao-checkpoint".into())
            .spawn(move || {
                use std::sync::mpsc::RecvTimeoutError;
                // Woken by the card writer, or the beat elapsed; stop when
                // the writer is gone.
                while let Ok(()) | Err(RecvTimeoutError::Timeout) =
                    woken.recv_timeout(Self::IDLE_PASS)
                {
                    if checkpoint(&conn) {
                        done.store(true, Ordering::Release);
                    }
                    std::thread::sleep(Self::PAUSE);
                }
            })?;
        Ok(Self { wake, pass_done })
    }

    /// Called by the writer after each committed batch, on its connection:
    /// finishes a checkpoint the background pass has all but done, and asks
    /// for the next background pass.
    pub(super) fn after_commit(&self, writer: &Connection) {
        if self.pass_done.swap(false, Ordering::AcqRel) {
            checkpoint(writer);
        }
        let _ = self.wake.try_send(());
    }
}

/// One PASSIVE checkpoint; false (and a warning) when it failed.
fn checkpoint(conn: &Connection) -> bool {
    match conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "WAL checkpoint failed");
            false
        }
    }
}
