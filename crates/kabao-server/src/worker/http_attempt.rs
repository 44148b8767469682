//! One HTTP attempt of an outbox delivery, shared by event pushes and APIv3
//! callbacks: a POST with a time limit, whose status, latency, start of the
//! answer's body or failure are recorded as an [`Attempt`].

use super::callback_target::{check_callback_url, LinkLocalFilter};
use crate::clock::Clock;
use crate::store::outbox::Attempt;
use std::future::Future;
use std::time::{Duration, Instant};

/// How much of an answer's body is kept.
const RESPONSE_BODY_LIMIT: usize = 2048;

/// What came back from one POST.
pub(super) struct Answer {
    http_status: Option<u16>,
    response_body: Option<String>,
    error: Option<String>,
}

impl Answer {
    /// No request went out (or none came back), for this reason.
    pub(super) fn failed(error: String) -> Self {
        Self {
            http_status: None,
            response_body: None,
            error: Some(error),
        }
    }
}

/// POSTs to receivers' servers, without following redirects, each within
/// the time limit.
pub(super) struct Poster {
    http: reqwest::Client,
    timeout: Duration,
    allow_link_local: bool,
}

impl Poster {
    /// A poster whose receivers have `timeout` to answer; `what` names the
    /// deliveries in the log should the HTTP client fail to build. Unless
    /// `allow_link_local`, link-local receivers are refused
    /// ([`super::callback_target`]).
    pub(super) fn new(timeout: Duration, what: &str, allow_link_local: bool) -> Self {
        let mut builder = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none());
        if !allow_link_local {
            builder = builder.dns_resolver(std::sync::Arc::new(LinkLocalFilter));
        }
        let http = builder.build().unwrap_or_else(|e| {
            tracing::error!(error = %e, "building the {what} HTTP client failed; using defaults");
            reqwest::Client::new()
        });
        Self {
            http,
            timeout,
            allow_link_local,
        }
    }

    /// POSTs `body` with `content_type` and `headers` to `url`; a status
    /// other than 2xx is a failure.
    pub(super) async fn post(
        &self,
        url: &str,
        content_type: &str,
        headers: &[(&'static str, String)],
        body: &str,
    ) -> Answer {
        if let Err(issue) = check_callback_url(url, self.allow_link_local) {
            return Answer::failed(issue);
        }
        let mut request = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body.to_owned());
        for (name, value) in headers {
            request = request.header(*name, value);
        }
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
        match tokio::time::timeout(self.timeout, exchange).await {
            Err(_) => Answer::failed(self.no_answer()),
            Ok(Err(e)) => Answer::failed(self.describe(&e)),
            Ok(Ok((status, text))) => Answer {
                http_status: Some(status.as_u16()),
                response_body: Some(text),
                error: (!status.is_success()).then(|| format!("HTTP {}", status.as_u16())),
            },
        }
    }

    fn no_answer(&self) -> String {
        format!("no answer within {} s", self.timeout.as_secs())
    }

    /// A transport failure in words, without the URL (it is recorded apart).
    fn describe(&self, e: &reqwest::Error) -> String {
        let mut text = if e.is_timeout() {
            self.no_answer()
        } else if e.is_connect() {
            "could not connect".to_owned()
        } else {
            "request failed".to_owned()
        };
        let mut source = std::error::Error::source(e);
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }
}

/// Runs `exchange` (which builds the request, sends it, and gives back the
/// body sent and the answer) and records it as attempt number `number` to
/// `url`, timed from before it starts.
pub(super) async fn timed_attempt(
    clock: &Clock,
    number: i64,
    url: &str,
    exchange: impl Future<Output = (String, Answer)>,
) -> Attempt {
    let started_at_ms = clock.now_ms();
    let started = Instant::now();
    let (request_body, answer) = exchange.await;
    Attempt {
        attempt: number,
        started_at_ms,
        url: url.to_owned(),
        request_body,
        http_status: answer.http_status,
        latency_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        error: answer.error,
        response_body: answer.response_body,
    }
}
