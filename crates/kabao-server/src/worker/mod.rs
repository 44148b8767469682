//! Background work that outlives the request that caused it. For now: the
//! Official Account event-push worker, which reads the store's outbox and
//! nothing else, so deliveries survive restarts.

mod push_delivery;
mod push_worker;

pub use push_delivery::{
    PUSH_ATTEMPTS_PER_ROUND, PUSH_LEASE_SECS, PUSH_RETRY_DELAY_SECS, PUSH_TIMEOUT,
};
pub use push_worker::{PushNotifier, PushWorker, PUSH_POLL_INTERVAL};
