//! The push worker's rounds: claim due pushes, deliver them concurrently,
//! then sleep until nudged or until the next poll. One task per `kabao`
//! process.

use super::background::{Next, Rounds, Worker};
use super::push_delivery::{Deliverer, PUSH_LEASE_SECS};
use crate::clock::Clock;
use crate::store::Store;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinSet;

/// How often the worker looks for due pushes when nobody nudges it.
pub const PUSH_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// How many pushes one claim takes.
const BATCH: i64 = 32;

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
}

/// Starts the event-push worker on the current tokio runtime. Stopping it
/// abandons a delivery in flight (its push stays pending, due again when
/// its lease ends, after a restart too). `allow_link_local` lets pushes go
/// to link-local addresses ([`super::callback_target`]).
pub fn spawn_push_worker(
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    notifier: PushNotifier,
    allow_link_local: bool,
) -> Worker {
    let deliverer = Arc::new(Deliverer::new(
        store.clone(),
        clock.clone(),
        allow_link_local,
    ));
    let rounds = PushRounds {
        deliverer,
        store,
        clock,
    };
    Worker::spawn("event-push", rounds, notifier.0)
}

struct PushRounds {
    deliverer: Arc<Deliverer>,
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
}

impl Rounds for PushRounds {
    async fn round(&mut self, stop: &mut watch::Receiver<bool>) -> Next {
        let now = self.clock.now();
        let claimed = match self
            .store
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
        if claimed.is_empty() {
            return Next::After(PUSH_POLL_INTERVAL);
        }
        let mut deliveries = JoinSet::new();
        for push in claimed {
            let deliverer = self.deliverer.clone();
            deliveries.spawn(async move { deliverer.deliver(push).await });
        }
        tokio::select! {
            _ = stop.changed() => return Next::Stop,
            () = async { while deliveries.join_next().await.is_some() {} } => {}
        }
        if full {
            Next::Now
        } else {
            Next::After(PUSH_POLL_INTERVAL)
        }
    }
}
