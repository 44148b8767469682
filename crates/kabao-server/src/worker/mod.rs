//! Background work that outlives the request that caused it: the Official
//! Account event-push worker, the fapiao worker and the APIv3 callback
//! worker, each reading its outbox (or job table) in the store and nothing
//! else, so deliveries survive restarts.

mod background;
mod callback_delivery;
pub mod callback_target;
mod callback_worker;
mod fapiao_worker;
mod http_attempt;
mod push_delivery;
mod push_worker;

pub use background::Worker;
pub use callback_delivery::{retry_delay_ms, CALLBACK_LEASE_MS, CALLBACK_TIMEOUT};
pub use callback_worker::{spawn_callback_worker, CALLBACK_POLL_INTERVAL};
pub use fapiao_worker::{spawn_fapiao_worker, FAPIAO_POLL_INTERVAL};
pub use push_delivery::{
    PUSH_ATTEMPTS_PER_ROUND, PUSH_LEASE_SECS, PUSH_RETRY_DELAY_SECS, PUSH_TIMEOUT,
};
pub use push_worker::{spawn_push_worker, PushNotifier, PUSH_POLL_INTERVAL};
