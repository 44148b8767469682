//! Background work that outlives the request that caused it: the Official
//! Account event-push worker and the APIv3 callback worker, each reading its
//! outbox in the store and nothing else, so deliveries survive restarts.

mod callback_delivery;
mod callback_worker;
mod fapiao_worker;
mod push_delivery;
mod push_worker;

pub use callback_delivery::{retry_delay_ms, CALLBACK_LEASE_MS, CALLBACK_TIMEOUT};
pub use callback_worker::{CallbackWorker, CALLBACK_POLL_INTERVAL};
pub use fapiao_worker::{FapiaoWorker, FAPIAO_POLL_INTERVAL};
pub use push_delivery::{
    PUSH_ATTEMPTS_PER_ROUND, PUSH_LEASE_SECS, PUSH_RETRY_DELAY_SECS, PUSH_TIMEOUT,
};
pub use push_worker::{PushNotifier, PushWorker, PUSH_POLL_INTERVAL};
