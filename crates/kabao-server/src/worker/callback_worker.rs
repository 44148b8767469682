//! The APIv3 callback worker's rounds: claim due callbacks from the outbox,
//! deliver them side by side, and wake when nudged, when a delivery ends,
//! when the next one is due, or at the next poll. One task per `kabao`
//! process.

use super::background::{Next, Rounds, Worker};
use super::callback_delivery::{CallbackDeliverer, CALLBACK_LEASE_MS};
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinSet;

/// How often the worker looks for due callbacks when nobody nudges it and
/// nothing is due sooner.
pub const CALLBACK_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// Most deliveries in flight at once.
const MAX_IN_FLIGHT: usize = 64;

/// Starts the callback worker on the current tokio runtime; it is woken by
/// `state.callback_wakeup` and retries on the schedule scaled by
/// `state.settings.callback_time_scale`. Stopping it abandons deliveries in
/// flight (their callbacks stay pending, due again at the next start).
pub fn spawn_callback_worker(state: &AppState) -> Worker {
    let deliverer = Arc::new(CallbackDeliverer::new(
        state.store.clone(),
        state.clock.clone(),
        state.keyring.clone(),
        state.settings.callback_time_scale,
        state.settings.allow_link_local_callbacks,
    ));
    let rounds = CallbackRounds {
        deliverer,
        state: state.clone(),
        deliveries: JoinSet::new(),
    };
    Worker::spawn("callback", rounds, state.callback_wakeup.clone())
}

/// Deliveries run side by side, so a merchant whose server hangs for the
/// whole timeout does not hold back anyone else's callbacks; dropping the
/// set on stop abandons those in flight (their leases are released at the
/// next start). Each one wakes the worker when it ends.
struct CallbackRounds {
    deliverer: Arc<CallbackDeliverer>,
    state: AppState,
    deliveries: JoinSet<()>,
}

impl Rounds for CallbackRounds {
    async fn start(&mut self) {
        match self.state.store.release_callback_leases().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(
                released = n,
                "callbacks in flight when kabao last stopped are due again"
            ),
            Err(e) => tracing::warn!(error = %e, "releasing callback leases failed"),
        }
    }

    async fn round(&mut self, _stop: &mut watch::Receiver<bool>) -> Next {
        while self.deliveries.try_join_next().is_some() {}
        let room = MAX_IN_FLIGHT.saturating_sub(self.deliveries.len());
        if room > 0 {
            let now_ms = self.state.clock.now_ms();
            match self
                .state
                .store
                .claim_due_callbacks(now_ms, now_ms + CALLBACK_LEASE_MS, room as i64)
                .await
            {
                Ok(claimed) => {
                    for callback in claimed {
                        let deliverer = self.deliverer.clone();
                        let wakeup = self.state.callback_wakeup.clone();
                        self.deliveries.spawn(async move {
                            deliverer.deliver(callback).await;
                            wakeup.notify_one();
                        });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "claiming due callbacks failed"),
            }
        }
        Next::After(self.until_next_due().await)
    }
}

impl CallbackRounds {
    /// How long to sleep: until the earliest pending callback is due, at
    /// most one poll interval.
    async fn until_next_due(&self) -> Duration {
        match self.state.store.next_callback_due_ms().await {
            Ok(Some(due_ms)) => {
                let wait = due_ms.saturating_sub(self.state.clock.now_ms()).max(1);
                Duration::from_millis(u64::try_from(wait).unwrap_or(1)).min(CALLBACK_POLL_INTERVAL)
            }
            _ => CALLBACK_POLL_INTERVAL,
        }
    }
}
