//! One delivery attempt of one event push, as WeChat makes it: a signed XML
//! POST to the app's configured URL, judged by the HTTP status, recorded with
//! its consequence (delivered, retry later, or failed).

use crate::clock::Clock;
use crate::store::push::{AfterAttempt, ClaimedPush, PushAttempt, PushConfig};
use crate::store::{Store, StoreResult};
use kabao_protocol::oa::push_signature;
use rand::Rng;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
/// How much of an answer's body is kept.
const RESPONSE_BODY_LIMIT: usize = 2048;
/// Why a push ends as `no_url`.
const NO_URL: &str =
    "the app has no push config; set one with PUT /_kabao/api/apps/{appid}/push-config";

/// Delivers claimed pushes; shared by the worker's concurrent deliveries.
pub(super) struct Deliverer {
    store: Arc<dyn Store>,
    clock: Arc<Clock>,
    http: reqwest::Client,
}

/// What came back from one POST.
struct Answer {
    http_status: Option<u16>,
    response_body: Option<String>,
    error: Option<String>,
}

impl Deliverer {
    pub(super) fn new(store: Arc<dyn Store>, clock: Arc<Clock>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(PUSH_TIMEOUT)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "building the push HTTP client failed; using defaults");
                reqwest::Client::new()
            });
        Self { store, clock, http }
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
        let started_at_ms = self.clock.now_ms();
        let started = Instant::now();
        let answer = self.post(&url, &body).await;
        let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        let after = if answer.error.is_none() {
            AfterAttempt::Delivered(self.clock.now())
        } else if push.round_attempts + 1 >= PUSH_ATTEMPTS_PER_ROUND {
            AfterAttempt::Failed
        } else {
            AfterAttempt::RetryAt(self.clock.now() + PUSH_RETRY_DELAY_SECS)
        };
        match (&after, &answer.error) {
            (AfterAttempt::Delivered(_), _) => {
                tracing::info!(push_id = push.id, appid = %push.appid, event = push.event.name(), "event push delivered")
            }
            (_, error) => {
                tracing::warn!(push_id = push.id, appid = %push.appid, event = push.event.name(), error = ?error, after = ?after, "event push attempt failed")
            }
        }
        let attempt = PushAttempt {
            attempt: push.attempts + 1,
            started_at_ms,
            url,
            request_body: body,
            http_status: answer.http_status,
            latency_ms,
            error: answer.error,
            response_body: answer.response_body,
        };
        self.store
            .record_push_attempt(push.id, &attempt, after)
            .await
    }

    async fn post(&self, url: &str, body: &str) -> Answer {
        let request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "text/xml")
            .body(body.to_owned());
        let exchange = async {
            let mut response = request.send().await?;
            let status = response.status();
            let mut kept = Vec::new();
            while let Some(chunk) = response.chunk().await? {
                let room = RESPONSE_BODY_LIMIT.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok::<_, reqwest::Error>((status, String::from_utf8_lossy(&kept).into_owned()))
        };
        match tokio::time::timeout(PUSH_TIMEOUT, exchange).await {
            Err(_) => Answer::failed(format!("no answer within {} s", PUSH_TIMEOUT.as_secs())),
            Ok(Err(e)) => Answer::failed(describe(&e)),
            Ok(Ok((status, text))) => Answer {
                http_status: Some(status.as_u16()),
                response_body: Some(text),
                error: (!status.is_success()).then(|| format!("HTTP {}", status.as_u16())),
            },
        }
    }
}

impl Answer {
    fn failed(error: String) -> Self {
        Self {
            http_status: None,
            response_body: None,
            error: Some(error),
        }
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

/// A transport failure in words, without the URL (it is recorded apart).
fn describe(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        format!("no answer within {} s", PUSH_TIMEOUT.as_secs())
    } else if e.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut text = kind;
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
