//! The fapiao worker: runs the due asynchronous steps of the fapiao state
//! machine (`fapiao_jobs`: issue, insert card, reverse, discard card), one
//! transaction each, then wakes the callback worker. Steps are persisted,
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
/// Most steps run before the worker yields to a stop request.
const BATCH: usize = 64;

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
        let mut ran = 0;
        while ran < BATCH {
            match self.store.run_next_fapiao_job(self.clock.now()).await {
                Ok(Some(step)) => {
                    ran += 1;
                    if step.callback_enqueued {
                        self.callback_wakeup.notify_one();
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
            Next::Now
        } else {
            Next::After(FAPIAO_POLL_INTERVAL)
        }
    }
}
