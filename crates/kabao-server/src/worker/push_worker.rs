//! The push worker's loop: claim due pushes, deliver them concurrently, then
//! sleep until nudged or until the next poll. One task per `kabao` process.

use super::push_delivery::{Deliverer, PUSH_LEASE_SECS};
use crate::clock::Clock;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::{JoinHandle, JoinSet};

/// How often the worker looks for due pushes when nobody nudges it.
pub const PUSH_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How many pushes one claim takes.
const BATCH: i64 = 32;
/// How long `stop` waits for the loop before aborting it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// Wakes the push worker at once, so a push enqueued by a handler goes out
/// without waiting for the next poll. Cheap to clone; keep one in the
/// application state and call [`PushNotifier::nudge`] after committing.
#[derive(Debug, Clone, Default)]
pub struct PushNotifier(Arc<Notify>);

impl PushNotifier {
    /// Asks the worker to look for due pushes now. A nudge while it is busy
    /// is remembered, so none is lost.
    pub fn nudge(&self) {
        self.0.notify_one();
    }

    async fn nudged(&self) {
        self.0.notified().await;
    }
}

/// The running push worker; [`PushWorker::stop`] ends it.
pub struct PushWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl PushWorker {
    /// Starts the worker on the current tokio runtime.
    pub fn spawn(store: Arc<dyn Store>, clock: Arc<Clock>, notifier: PushNotifier) -> Self {
        let (stop, stopped) = watch::channel(false);
        let deliverer = Arc::new(Deliverer::new(store.clone(), clock.clone()));
        let task = tokio::spawn(run(deliverer, store, clock, notifier, stopped));
        Self { stop, task }
    }

    /// Stops the worker promptly: a delivery in flight is abandoned (its push
    /// stays pending, due again when its lease ends, after a restart too).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            abort.abort();
        }
    }
}

async fn run(
    deliverer: Arc<Deliverer>,
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    notifier: PushNotifier,
    mut stop: watch::Receiver<bool>,
) {
    tracing::debug!("event-push worker started");
    while !*stop.borrow() {
        let now = clock.now();
        let claimed = match store
            .claim_due_pushes(now, now + PUSH_LEASE_SECS, BATCH)
            .await
        {
            Ok(claimed) => claimed,
            Err(e) => {
                tracing::warn!(error = %e, "claiming due event pushes failed");
                Vec::new()
            }
        };
        let full = claimed.len() as i64 == BATCH;
        if !claimed.is_empty() {
            let mut deliveries = JoinSet::new();
            for push in claimed {
                let deliverer = deliverer.clone();
                deliveries.spawn(async move { deliverer.deliver(push).await });
            }
            tokio::select! {
                _ = stop.changed() => break,
                () = async { while deliveries.join_next().await.is_some() {} } => {}
            }
            if full {
                continue;
            }
        }
        tokio::select! {
            _ = stop.changed() => break,
            () = notifier.nudged() => {}
            () = tokio::time::sleep(PUSH_POLL_INTERVAL) => {}
        }
    }
    tracing::debug!("event-push worker stopped");
}
