//! The fapiao worker: runs the due asynchronous steps of the fapiao state
//! machine (`fapiao_jobs`: issue, insert card, reverse, discard card) in
//! rounds of one transaction each (on SQLite, one writer batch), then wakes
//! the callback worker. Steps are persisted,
//! so a restart continues them; one process or several, a step runs once.

use super::background::{Next, Rounds, Worker};
use crate::clock::Clock;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// How often the worker looks for due steps when nobody wakes it (steps
/// delayed by `after_seconds` or by a clock move become due this way).
pub const FAPIAO_POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Most steps in one round: a round is one transaction (on SQLite a writer
/// batch, which card inserts and requests' writes queue behind), so it is
/// kept short.
const BATCH: usize = 32;

/// Starts the fapiao worker on the current tokio runtime: `wakeup` is
/// notified when a step is scheduled, `callback_wakeup` is notified after a
/// step enqueued a callback. Stopping it lets a step in flight commit, or
/// rolls it back to run after the next start.
pub fn spawn_fapiao_worker(
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    wakeup: Arc<Notify>,
    callback_wakeup: Arc<Notify>,
) -> Worker {
    let rounds = FapiaoRounds {
        store,
        clock,
        callback_wakeup,
    };
    Worker::spawn("fapiao", rounds, wakeup)
}

struct FapiaoRounds {
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    callback_wakeup: Arc<Notify>,
}

impl Rounds for FapiaoRounds {
    async fn round(&mut self, _stop: &mut watch::Receiver<bool>) -> Next {
        match self
            .store
            .run_due_fapiao_jobs(self.clock.now(), BATCH)
            .await
        {
            Ok(run) => {
                if run.callbacks_enqueued > 0 {
                    self.callback_wakeup.notify_one();
                }
                if run.ran == BATCH {
                    return Next::Now;
                }
            }
            Err(e) => tracing::warn!(error = %e, "running fapiao steps failed"),
        }
        Next::After(FAPIAO_POLL_INTERVAL)
    }
}
