//! Event pushes waiting in the outbox for delivery to an Official Account's
//! server. Enqueued in the same transaction as the change they report; the
//! push worker claims due ones, records every attempt, and retries.

use super::outbox::{AfterAttempt, Attempt, OutboxStatus, Redelivery};
use super::StoreResult;
use crate::domain::ids::Appid;
use async_trait::async_trait;
use kabao_protocol::oa::OaEvent;

/// An event to push to `appid`'s server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPush {
    /// The Official Account that receives it.
    pub appid: Appid,
    /// The user it is about (`FromUserName`).
    pub from_openid: String,
    /// What happened.
    pub event: OaEvent,
    /// When it happened (`CreateTime`, kabao's clock, Unix seconds).
    pub created_at: i64,
}

/// Where an app's server receives its pushes (the OA console's "server
/// configuration"): without one, pushes end as `no_url`.
#[derive(Clone, PartialEq, Eq)]
pub struct PushConfig {
    /// The app.
    pub appid: Appid,
    /// The http(s) URL pushes are POSTed to.
    pub url: String,
    /// The token the `signature` query parameter is computed with.
    pub token: String,
    /// `ToUserName` of every push: the account's original id (`gh_…`).
    pub original_id: String,
    /// When it was last set (kabao's clock, Unix seconds).
    pub updated_at: i64,
}

impl PushConfig {
    /// The original id kabao gives an app whose config names none: `gh_` and
    /// 12 hex digits of SHA-1(appid), so it is stable across restarts.
    pub fn default_original_id(appid: &Appid) -> String {
        let digest = aws_lc_rs::digest::digest(
            &aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY,
            appid.as_str().as_bytes(),
        );
        format!("gh_{}", &hex::encode(digest)[..12])
    }
}

impl std::fmt::Debug for PushConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushConfig")
            .field("appid", &self.appid)
            .field("url", &self.url)
            .field("token", &"…")
            .field("original_id", &self.original_id)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

/// A due push the worker has claimed: what it needs to build the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedPush {
    /// Outbox id.
    pub id: i64,
    /// The receiving app.
    pub appid: Appid,
    /// `FromUserName`.
    pub from_openid: String,
    /// The event.
    pub event: OaEvent,
    /// `CreateTime`.
    pub created_at: i64,
    /// Attempts made so far, over all rounds (the next one is `attempts + 1`).
    pub attempts: i64,
    /// Attempts made in the current round.
    pub round_attempts: i64,
}

/// A push with its history, for the control API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRecord {
    /// Outbox id.
    pub id: i64,
    /// The receiving app.
    pub appid: Appid,
    /// `FromUserName`.
    pub from_openid: String,
    /// The event and its fields.
    pub event: OaEvent,
    /// `CreateTime`.
    pub created_at: i64,
    /// Where it stands.
    pub status: OutboxStatus,
    /// When a pending push is next due (Unix seconds).
    pub next_attempt_at: i64,
    /// When it was delivered.
    pub delivered_at: Option<i64>,
    /// The latest failure.
    pub last_error: Option<String>,
    /// Every attempt, oldest first.
    pub attempts: Vec<Attempt>,
}

/// Which pushes to list: newest first, at most `limit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushFilter {
    /// Only this app's.
    pub appid: Option<String>,
    /// Only this event (`user_authorize_invoice`, …).
    pub event: Option<String>,
    /// How many.
    pub limit: i64,
}

/// The event-push outbox and push configs; a supertrait of `Store`.
#[async_trait]
pub trait PushStore: Send + Sync {
    /// Sets (creates or replaces) an app's push config.
    async fn put_push_config(&self, config: &PushConfig) -> StoreResult<()>;
    /// An app's push config.
    async fn push_config(&self, appid: &str) -> StoreResult<Option<PushConfig>>;

    /// Adds a push to the outbox in its own transaction; returns its id.
    /// (Code that changes state enqueues inside its own transaction instead.)
    async fn enqueue_push(&self, push: &NewPush) -> StoreResult<i64>;
    /// Takes up to `limit` pending pushes due at `now`, oldest due first, and
    /// leases them until `lease_until` so no other worker takes them; a push
    /// whose worker died is due again when the lease ends.
    async fn claim_due_pushes(
        &self,
        now: i64,
        lease_until: i64,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedPush>>;
    /// Records an attempt and its consequence for the push, in one transaction.
    async fn record_push_attempt(
        &self,
        push_id: i64,
        attempt: &Attempt,
        after: AfterAttempt,
    ) -> StoreResult<()>;
    /// Ends a push as `no_url`.
    async fn mark_push_no_url(&self, push_id: i64, reason: &str) -> StoreResult<()>;
    /// Pushes with their attempts, newest first.
    async fn pushes(&self, filter: &PushFilter) -> StoreResult<Vec<PushRecord>>;
    /// Puts a finished push back to pending, due at `now`, with a fresh round.
    async fn redeliver_push(&self, push_id: i64, now: i64) -> StoreResult<Redelivery<PushRecord>>;
}
