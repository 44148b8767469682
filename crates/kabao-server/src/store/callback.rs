//! APIv3 callbacks (FAPIAO.*) in the outbox: the delivery worker claims due ones, records every attempt and retries on the fapiao schedule; the control API lists, redelivers and duplicates them.

use super::outbox::{AfterAttempt, Attempt, OutboxStatus, Redelivery};
use super::StoreResult;
use async_trait::async_trait;

/// Settings key of the most pending callbacks one merchant may have: a
/// callback enqueued beyond it is stored as failed (`last_error` says why)
/// instead of pending, so a merchant whose receiver is down cannot grow the
/// outbox without end; the console can still redeliver it.
pub const CALLBACK_OUTBOX_LIMIT_KEY: &str = "callback_outbox_limit";

/// The bound when no process has set [`CALLBACK_OUTBOX_LIMIT_KEY`].
pub const DEFAULT_CALLBACK_OUTBOX_LIMIT: u64 = 10_000;

/// `last_error` of a callback refused by a full outbox.
pub const OUTBOX_FULL_ERROR: &str =
    "not queued: the merchant already has callback_outbox_limit callbacks pending";

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
pub trait CallbackStore: Send + Sync {
    /// Takes up to `limit` pending, unleased callbacks due at `now_ms`
    /// (kabao's clock, milliseconds), oldest due first, and leases them until
    /// `lease_until_ms` so no other worker takes them; a callback whose
    /// worker died is due again when the lease ends (or when kabao starts).
    async fn claim_due_callbacks(
        &self,
        now_ms: i64,
        lease_until_ms: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedCallback>>;
    /// Releases every lease: called when kabao starts, so a callback that
    /// was being attempted when the previous process stopped (or was
    /// killed) goes out at once instead of waiting for its lease to end.
    /// On PostgreSQL only when no other kabao process is connected to the
    /// database (another one may hold those leases). Returns how many were
    /// released.
    async fn release_callback_leases(&self) -> StoreResult<u64>;
    /// When the earliest pending callback is due (milliseconds), if any:
    /// the worker sleeps no longer than that.
    async fn next_callback_due_ms(&self) -> StoreResult<Option<i64>>;
    /// The `callback_url` a merchant set with fapiao development-config.
    async fn fapiao_callback_url(&self, mchid: &str) -> StoreResult<Option<String>>;
    /// Records an attempt and its consequence, in one transaction.
    async fn record_callback_attempt(
        &self,
        callback_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()>;
    /// Ends a callback as `no_url` (its merchant has nowhere to receive it).
    async fn mark_callback_no_url(&self, callback_id: i64, reason: &str) -> StoreResult<()>;
    /// Callbacks with their attempts, newest first.
    async fn callbacks(&self, filter: &CallbackFilter) -> StoreResult<Vec<CallbackRecord>>;
    /// One callback with its attempts.
    async fn callback(&self, callback_id: i64) -> StoreResult<Option<CallbackRecord>>;
    /// Puts a finished callback back to pending, due at `now_ms`, with a
    /// fresh round of the retry schedule and the same event id.
    async fn redeliver_callback(
        &self,
        callback_id: i64,
        now_ms: i64,
    ) -> StoreResult<Redelivery<CallbackRecord>>;
    /// Adds a copy of a callback (same event id, type and payload) due at
    /// `now_ms`: WeChat sends some events twice. Returns the copy, or None
    /// when no callback has that id.
    async fn duplicate_callback(
        &self,
        callback_id: i64,
        now_ms: i64,
    ) -> StoreResult<Option<CallbackRecord>>;
}

/// What a callback says: the same on every send, and on a duplicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackEvent {
    /// The wire `id`, the same on every send.
    pub event_id: String,
    /// The receiving merchant.
    pub caller_mchid: String,
    /// The wire `event_type`.
    pub event_type: String,
    /// The wire `summary`.
    pub summary: String,
    /// What `resource.ciphertext` decrypts to.
    pub plaintext: String,
    /// The wire `create_time`.
    pub create_time: String,
}

/// A due callback the worker has claimed: what it needs to build the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedCallback {
    /// Outbox id.
    pub id: i64,
    /// What it says.
    pub event: CallbackEvent,
    /// Attempts so far over all rounds (the next one is `attempts + 1`).
    pub attempts: i64,
    /// Attempts so far in the current round (first delivery or redelivery).
    pub round_attempts: i64,
}

/// A callback with its history, for the control API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackRecord {
    /// Outbox id.
    pub id: i64,
    /// What it says.
    pub event: CallbackEvent,
    /// Where it stands.
    pub status: OutboxStatus,
    /// When a pending callback is next due (Unix milliseconds).
    pub next_attempt_at_ms: i64,
    /// When it was delivered (Unix seconds).
    pub delivered_at: Option<i64>,
    /// The latest failure.
    pub last_error: Option<String>,
    /// The outbox id this one duplicates, when it is a duplicate send.
    pub duplicate_of: Option<i64>,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

/// Which callbacks to list: newest first, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CallbackFilter {
    /// Only those this merchant receives.
    pub mchid: Option<String>,
    /// Only this `event_type`.
    pub event_type: Option<String>,
    /// Only those in this state.
    pub status: Option<OutboxStatus>,
    /// How many.
    pub limit: i64,
}
