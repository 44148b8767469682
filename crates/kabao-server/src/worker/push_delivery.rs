//! One delivery attempt of one event push, as WeChat makes it: a signed XML
//! POST to the app's configured URL, judged by the HTTP status, recorded with
//! its consequence (delivered, retry later, or failed).

use super::http_attempt::{timed_attempt, Poster};
use crate::clock::Clock;
use crate::store::outbox::AfterAttempt;
use crate::store::push::{ClaimedPush, PushConfig};
use crate::store::{Store, StoreResult};
use kabao_protocol::oa::push_signature;
use rand::Rng;
use std::sync::Arc;
use std::time::Duration;

/// Attempts in one round (first delivery or a redelivery): WeChat tries a
/// push three times in total.
pub const PUSH_ATTEMPTS_PER_ROUND: i64 = 3;
/// Seconds of kabao's clock between a failed attempt and the next one.
pub const PUSH_RETRY_DELAY_SECS: i64 = 5;
/// How long the app's server has to answer, as on WeChat.
pub const PUSH_TIMEOUT: Duration = Duration::from_secs(5);
/// Seconds of kabao's clock a claimed push stays reserved for its worker;
/// a push whose worker stopped mid-attempt is due again after this.
pub const PUSH_LEASE_SECS: i64 = 60;
/// Why a push ends as `no_url`.
const NO_URL: &str =
    "the app has no push config; set one with PUT /_kabao/api/apps/{appid}/push-config";

/// Delivers claimed pushes; shared by the worker's concurrent deliveries.
pub(super) struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    poster: Poster,
}

impl Deliverer {
    pub(super) fn new(store: Arc<dyn Store>, clock: Arc<Clock>, allow_link_local: bool) -> Self {
        let poster = Poster::new(PUSH_TIMEOUT, "push", allow_link_local);
        Self {
            store,
            clock,
            poster,
        }
    }

    /// Makes one attempt of `push` and records it; store failures are logged
    /// (the push stays leased and is retried when the lease ends).
    pub(super) async fn deliver(&self, push: ClaimedPush) {
        if let Err(e) = self.attempt(&push).await {
            tracing::warn!(push_id = push.id, error = %e, "recording an event push attempt failed");
        }
    }

    async fn attempt(&self, push: &ClaimedPush) -> StoreResult<()> {
        let Some(config) = self.store.push_config(push.appid.as_str()).await? else {
            tracing::info!(push_id = push.id, appid = %push.appid, "event push has no URL to go to");
            return self.store.mark_push_no_url(push.id, NO_URL).await;
        };
        let body = push
            .event
            .to_xml(&config.original_id, &push.from_openid, push.created_at);
        let url = signed_url(&config, &push.from_openid, self.clock.now());
        let post = async {
            let answer = self.poster.post(&url, "text/xml", &[], &body).await;
            (body, answer)
        };
        let attempt = timed_attempt(&self.clock, push.attempts + 1, &url, post).await;
        let after = if attempt.error.is_none() {
            AfterAttempt::Delivered(self.clock.now())
        } else if push.round_attempts + 1 >= PUSH_ATTEMPTS_PER_ROUND {
            AfterAttempt::Failed
        } else {
            AfterAttempt::RetryAt(self.clock.now() + PUSH_RETRY_DELAY_SECS)
        };
        match (&after, &attempt.error) {
            (AfterAttempt::Delivered(_), _) => {
                tracing::info!(push_id = push.id, appid = %push.appid, event = push.event.name(), "event push delivered")
            }
            (_, error) => {
                tracing::warn!(push_id = push.id, appid = %push.appid, event = push.event.name(), error = ?error, after = ?after, "event push attempt failed")
            }
        }
        self.store
            .record_push_attempt(push.id, &attempt, after)
            .await
    }
}

/// The configured URL with `signature`, `timestamp`, `nonce` and `openid`
/// appended to whatever query it already has.
fn signed_url(config: &PushConfig, openid: &str, now: i64) -> String {
    let timestamp = now.to_string();
    let nonce = rand::thread_rng()
        .gen_range(1_000_000_000u64..10_000_000_000)
        .to_string();
    let signature = push_signature(&config.token, &timestamp, &nonce);
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("signature", &signature)
        .append_pair("timestamp", &timestamp)
        .append_pair("nonce", &nonce)
        .append_pair("openid", openid)
        .finish();
    let base = config.url.split('#').next().unwrap_or(&config.url);
    let separator = match base.find('?') {
        None => "?",
        Some(q) if q + 1 == base.len() || base.ends_with('&') => "",
        Some(_) => "&",
    };
    format!("{base}{separator}{query}")
}
