//! What the two delivery outboxes (Official Account event pushes and APIv3
//! callbacks) share: where an entry stands, how an HTTP attempt is recorded,
//! what an attempt means for its entry, and the outcome of a redelivery.

use serde::Serialize;

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its next attempt (or being attempted).
    Pending,
    /// The receiver's server answered 2xx.
    Delivered,
    /// Every attempt of the round (the retry schedule) failed.
    Failed,
    /// The receiver had nowhere to receive it when it came due; never retried.
    NoUrl,
}

impl OutboxStatus {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Delivered => "delivered",
            Self::Failed => "failed",
            Self::NoUrl => "no_url",
        }
    }

    /// Parses [`OutboxStatus::as_str`].
    pub fn parse(value: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed, Self::NoUrl]
            .into_iter()
            .find(|s| s.as_str() == value)
    }
}

/// One HTTP attempt, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// 1 for the first attempt of the entry, counting on over redeliveries.
    pub attempt: i64,
    /// When it started (kabao's clock, Unix milliseconds).
    pub started_at_ms: i64,
    /// Where it went (for pushes, with `signature`, `timestamp`, `nonce`
    /// and `openid`).
    pub url: String,
    /// The exact body sent (XML for pushes, JSON for callbacks).
    pub request_body: String,
    /// The answer's status, when one came.
    pub http_status: Option<u16>,
    /// Time to the answer (or to the failure), real milliseconds.
    pub latency_ms: i64,
    /// Why it failed (`HTTP 500`, a timeout, a refused connection), if it did.
    pub error: Option<String>,
    /// The start of the answer's body, if one came.
    pub response_body: Option<String>,
}

/// What an attempt means for its entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterAttempt {
    /// Delivered at this time (Unix seconds).
    Delivered(i64),
    /// Failed; try again at this due time, in the outbox's own unit (Unix
    /// seconds for event pushes, milliseconds for callbacks).
    RetryAt(i64),
    /// Failed, and the round (the retry schedule) has no attempt left.
    Failed,
}

/// The outcome of asking for a redelivery of an entry shown as `R`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redelivery<R> {
    /// Back to pending, due now, with a fresh round of attempts.
    Queued(Box<R>),
    /// Already pending: its delivery is under way.
    AlreadyPending,
    /// No entry has that id.
    NotFound,
}
