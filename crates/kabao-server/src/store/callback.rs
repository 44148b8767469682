//! APIv3 callbacks (FAPIAO.*) in the outbox: the delivery worker claims due ones, records every attempt and retries on the fapiao schedule; the control API lists, redelivers and duplicates them.

use async_trait::async_trait;

/// A callback to put in the outbox, inside the transaction of the change it
/// reports (see `store::sqlite::callback::enqueue_callback`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCallback {
    /// The merchant that receives it: the signer of the call that caused it
    /// (the direct merchant, or the service provider). Its callback URL and
    /// APIv3 key are used at delivery time.
    pub caller_mchid: String,
    /// The wire `event_type`, e.g. `FAPIAO.ISSUED`.
    pub event_type: String,
    /// The wire `summary`.
    pub summary: String,
    /// The JSON that `resource.ciphertext` decrypts to.
    pub plaintext: String,
    /// When it happened (kabao's clock, Unix seconds): `create_time` and the
    /// first attempt's due time.
    pub created_at: i64,
}

/// APIv3 callbacks (FAPIAO.*) in the outbox: the delivery worker claims due ones, records every attempt and retries on the fapiao schedule; the control API lists, redelivers and duplicates them.
#[async_trait]
pub trait CallbackStore: Send + Sync {}
