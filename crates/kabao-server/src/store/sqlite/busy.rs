//! How a connection waits for SQLite's write lock. SQLite's own busy
//! timeout sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50 and then 100 ms
//! between tries, so a writer that finds the lock taken for a millisecond
//! may sleep 25 ms or more: a long tail on every write path when requests,
//! the workers and the card writer commit side by side. kabao's connections
//! instead retry every 100 µs for the first few milliseconds, then every
//! millisecond, and give up after about ten seconds as before.

use std::os::raw::{c_int, c_void};
use std::time::Duration;

/// Tries at the short pause before the long one.
const SHORT_TRIES: i32 = 50;
/// Pause between the first tries.
const SHORT_PAUSE: Duration = Duration::from_micros(100);
/// Pause between later tries.
const LONG_PAUSE: Duration = Duration::from_millis(1);
/// Tries in all: about ten seconds of waiting.
const MAX_TRIES: i32 = SHORT_TRIES + 10_000;

/// Waits before try number `count + 1`; false gives up (SQLITE_BUSY).
pub(super) fn wait_for_lock(count: i32) -> bool {
    if count >= MAX_TRIES {
        return false;
    }
    std::thread::sleep(if count < SHORT_TRIES {
        SHORT_PAUSE
    } else {
        LONG_PAUSE
    });
    true
}

/// [`wait_for_lock`] as SQLite's C busy callback.
extern "C" fn busy_callback(_: *mut c_void, count: c_int) -> c_int {
    c_int::from(wait_for_lock(count))
}

/// Installs [`wait_for_lock`] on a connection of the sqlx pool.
pub(super) async fn install(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    let mut handle = conn.lock_handle().await?;
    let db = handle.as_raw_handle().as_ptr();
    // SAFETY: `db` is the open connection behind the locked handle, used
    // only on this thread while the lock is held; the callback is a plain
    // function that touches no connection state and ignores its argument.
    let rc = unsafe {
        rusqlite::ffi::sqlite3_busy_handler(db, Some(busy_callback), std::ptr::null_mut())
    };
    if rc == rusqlite::ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlx::Error::Protocol(format!(
            "installing the busy handler failed ({rc})"
        )))
    }
}
