//! The fapiao worker: runs the due asynchronous steps of the fapiao state
//! machine (`fapiao_jobs`: issue, insert card, reverse, discard card), one
//! transaction each, then wakes the callback worker. Steps are persisted,
//! so a restart continues them; one process or several, a step runs once.

use crate::clock::Clock;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// How often the worker looks for due steps when nobody wakes it (steps
/// delayed by `after_seconds` or by a clock move become due this way).
pub const FAPIAO_POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Most steps run before the worker yields to a stop request.
const BATCH: usize = 64;
/// How long `stop` waits for the loop before aborting it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// The running fapiao worker; [`FapiaoWorker::stop`] ends it.
pub struct FapiaoWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl FapiaoWorker {
    /// Starts the worker: `wakeup` is notified when a step is scheduled,
    /// `callback_wakeup` is notified after a step enqueued a callback.
    pub fn spawn(
        store: Arc<dyn Store>,
        clock: Arc<Clock>,
        wakeup: Arc<Notify>,
        callback_wakeup: Arc<Notify>,
    ) -> Self {
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(store, clock, wakeup, callback_wakeup, stopped));
        Self { stop, task }
    }

    /// Stops the worker; a step in flight either commits or is rolled back
    /// and runs after the next start.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            abort.abort();
        }
    }
}

async fn run(
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    wakeup: Arc<Notify>,
    callback_wakeup: Arc<Notify>,
    mut stop: watch::Receiver<bool>,
) {
    tracing::debug!("fapiao worker started");
    while !*stop.borrow() {
        let mut ran = 0;
        while ran < BATCH {
            match store.run_next_fapiao_job(clock.now()).await {
                Ok(Some(step)) => {
                    ran += 1;
                    if step.callback_enqueued {
                        callback_wakeup.notify_one();
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    tracing::warn!(error = %e, "running a fapiao step failed");
                    break;
                }
            }
        }
        if ran == BATCH {
            continue;
        }
        tokio::select! {
            _ = stop.changed() => break,
            () = wakeup.notified() => {}
            () = tokio::time::sleep(FAPIAO_POLL_INTERVAL) => {}
        }
    }
    tracing::debug!("fapiao worker stopped");
}
