//! The APIv3 callback worker's loop: claim due callbacks from the outbox,
//! deliver them side by side, and wake when nudged, when a delivery ends,
//! when the next one is due, or at the next poll. One task per `kabao`
//! process.

use super::callback_delivery::{CallbackDeliverer, CALLBACK_LEASE_MS};
use crate::state::AppState;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// How often the worker looks for due callbacks when nobody nudges it and
/// nothing is due sooner.
pub const CALLBACK_POLL_INTERVAL: Duration = Duration::from_millis(250);
/// Most deliveries in flight at once.
const MAX_IN_FLIGHT: usize = 64;
/// How long `stop` waits for the loop before aborting it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// The running callback worker; [`CallbackWorker::stop`] ends it.
pub struct CallbackWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl CallbackWorker {
    /// Starts the worker on the current tokio runtime; it is woken by
    /// `state.callback_wakeup` and retries on the schedule scaled by
    /// `state.settings.callback_time_scale`.
    pub fn spawn(state: &AppState) -> Self {
        let (stop, stopped) = watch::channel(false);
        let deliverer = Arc::new(CallbackDeliverer::new(
            state.store.clone(),
            state.clock.clone(),
            state.keyring.clone(),
            state.settings.callback_time_scale,
        ));
        let task = tokio::spawn(run(deliverer, state.clone(), stopped));
        Self { stop, task }
    }

    /// Stops the worker promptly: a delivery in flight is abandoned (its
    /// callback stays pending, due again when its lease ends, after a
    /// restart too).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(STOP_GRACE, self.task).await.is_err() {
            abort.abort();
        }
    }
}

async fn run(deliverer: Arc<CallbackDeliverer>, state: AppState, mut stop: watch::Receiver<bool>) {
    tracing::debug!("callback worker started");
    match state.store.release_callback_leases().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            released = n,
            "callbacks in flight when kabao last stopped are due again"
        ),
        Err(e) => tracing::warn!(error = %e, "releasing callback leases failed"),
    }
    // Deliveries run side by side, so a merchant whose server hangs for the
    // whole timeout does not hold back anyone else's callbacks; dropping the
    // set on stop abandons those in flight (their leases are released at
    // the next start).
    let mut deliveries = JoinSet::new();
    while !*stop.borrow() {
        let room = MAX_IN_FLIGHT.saturating_sub(deliveries.len());
        if room > 0 {
            let now_ms = state.clock.now_ms();
            match state
                .store
                .claim_due_callbacks(now_ms, now_ms + CALLBACK_LEASE_MS, room as i64)
                .await
            {
                Ok(claimed) => {
                    for callback in claimed {
                        let deliverer = deliverer.clone();
                        deliveries.spawn(async move { deliverer.deliver(callback).await });
                    }
                }
                Err(e) => tracing::warn!(error = %e, "claiming due callbacks failed"),
            }
        }
        let pause = until_next_due(&state).await;
        tokio::select! {
            _ = stop.changed() => break,
            () = state.callback_wakeup.notified() => {}
            Some(_) = deliveries.join_next(), if !deliveries.is_empty() => {}
            () = tokio::time::sleep(pause) => {}
        }
    }
    deliveries.abort_all();
    tracing::debug!("callback worker stopped");
}

/// How long to sleep: until the earliest pending callback is due, at most
/// one poll interval.
async fn until_next_due(state: &AppState) -> Duration {
    match state.store.next_callback_due_ms().await {
        Ok(Some(due_ms)) => {
            let wait = due_ms.saturating_sub(state.clock.now_ms()).max(1);
            Duration::from_millis(u64::try_from(wait).unwrap_or(1)).min(CALLBACK_POLL_INTERVAL)
        }
        _ => CALLBACK_POLL_INTERVAL,
    }
}
