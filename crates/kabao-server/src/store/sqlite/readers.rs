//! Point reads on the request path, run on the caller's own thread with a
//! pooled rusqlite connection. A lookup by key in SQLite takes a few
//! microseconds, less than handing it to a pool thread and waking the caller
//! again costs; WAL readers never wait for the writer. Only short, indexed
//! reads belong here: anything that scans goes through the sqlx pool.

use crate::store::{StoreError, StoreResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Idle connections kept; more are opened when this many are in use and
/// closed again when they come back.
const MAX_IDLE: usize = 8;

/// Page cache of each reader, in KiB.
const READER_CACHE_KIB: i64 = 8 * 1024;

/// The pool of read connections.
#[derive(Debug)]
pub(super) struct Readers {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl Readers {
    /// A pool for the database at `path` (which must exist, in WAL mode).
    pub(super) fn new(path: &Path) -> Self {
        Self {
            path: path.to_owned(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `read` on an idle connection (opening one if none is idle).
    pub(super) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self.connect().map_err(backend)?,
        };
        let result = read(&conn).map_err(backend);
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        result
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.set_prepared_statement_cache_capacity(super::writer::STATEMENT_CACHE);
        conn.busy_handler(Some(super::busy::wait_for_lock))?;
        conn.pragma_update(None, "query_only", true)?;
        conn.pragma_update(None, "cache_size", -READER_CACHE_KIB)?;
        // No mmap: a mapping is redone every time the file grows, which
        // under a write load costs each read more than it saves.
        Ok(conn)
    }
}

/// A failed rusqlite call as a store error.
pub(super) fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}
