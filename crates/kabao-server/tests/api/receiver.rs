//! A real HTTP server on 127.0.0.1:0 standing in for an integrator's
//! endpoint: it records every request (method, path and query, headers, body)
//! and answers a programmable sequence of replies, like svix's `TestReceiver`.
//! Used for Official Account event pushes and WeChat Pay callbacks.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

/// How long [`Receiver::wait_for`] waits before failing the test.
pub const WAIT: Duration = Duration::from_secs(10);

/// One request as the receiver saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query exactly as sent (`/push?signature=…`).
    pub path_and_query: String,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// The path without the query.
    pub fn path(&self) -> &str {
        self.path_and_query.split('?').next().unwrap_or_default()
    }

    /// The first value of a query parameter, percent-decoded.
    pub fn query(&self, key: &str) -> Option<String> {
        let query = self.path_and_query.split_once('?')?.1;
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as UTF-8.
    pub fn text(&self) -> String {
        String::from_utf8(self.body.to_vec()).expect("the body is UTF-8")
    }
}

/// What the receiver answers to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, body: &str) -> Self {
        Self {
            status,
            body: body.to_owned(),
        }
    }
}

struct Shared {
    requests: Mutex<Vec<Recorded>>,
    queued: Mutex<VecDeque<Reply>>,
    default: Mutex<Reply>,
    arrived: Notify,
}

/// The running receiver; stops when dropped.
pub struct Receiver {
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

async fn record(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 16 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let reply = {
        let queued = shared.queued.lock().unwrap().pop_front();
        queued.unwrap_or_else(|| shared.default.lock().unwrap().clone())
    };
    shared.requests.lock().unwrap().push(Recorded {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default(),
        headers: parts.headers,
        body,
    });
    shared.arrived.notify_waiters();
    let status = StatusCode::from_u16(reply.status).expect("a valid status");
    (status, reply.body).into_response()
}

impl Receiver {
    /// Starts a receiver that answers `200` with an empty body unless told otherwise.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared {
            requests: Mutex::new(Vec::new()),
            queued: Mutex::new(VecDeque::new()),
            default: Mutex::new(Reply::new(200, "")),
            arrived: Notify::new(),
        });
        let router = Router::new().fallback(record).with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .unwrap();
        });
        Self {
            base_url,
            shared,
            stop: Some(stop),
        }
    }

    /// `base_url` + `path` (which may carry a query).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The next requests get these statuses (empty bodies), in order; later
    /// ones get the default reply.
    pub fn reply_next(&self, statuses: &[u16]) {
        self.reply_next_with(statuses.iter().map(|&s| Reply::new(s, "")));
    }

    /// The next requests get these replies, in order.
    pub fn reply_next_with(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.queued.lock().unwrap().extend(replies);
    }

    /// What requests get once the queued replies are used up.
    pub fn reply_by_default(&self, reply: Reply) {
        *self.shared.default.lock().unwrap() = reply;
    }

    /// Every request so far, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    /// Waits (at most [`WAIT`]) until `n` requests have arrived; returns them all.
    pub async fn wait_for(&self, n: usize) -> Vec<Recorded> {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let arrived = self.shared.arrived.notified();
            let requests = self.requests();
            if requests.len() >= n {
                return requests;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "the receiver got {} requests, not {n}, within {WAIT:?}",
                    self.requests().len()
                );
            }
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

#[tokio::test]
async fn the_receiver_records_requests_and_answers_its_replies_in_order() {
    let receiver = Receiver::start().await;
    receiver.reply_next_with([Reply::new(500, "boom"), Reply::new(201, "made")]);
    receiver.reply_by_default(Reply::new(200, "success"));
    let http = reqwest::Client::new();
    let mut answers = Vec::new();
    for i in 0..3 {
        let r = http
            .post(receiver.url(&format!("/hook/{i}?a=1&b=x%20y")))
            .header("X-Test", "yes")
            .body(format!("body {i}"))
            .send()
            .await
            .unwrap();
        answers.push((r.status().as_u16(), r.text().await.unwrap()));
    }
    assert_eq!(
        answers,
        [
            (500, "boom".to_owned()),
            (201, "made".to_owned()),
            (200, "success".to_owned())
        ]
    );
    let seen = receiver.wait_for(3).await;
    assert_eq!(seen[1].method, "POST");
    assert_eq!(seen[1].path(), "/hook/1");
    assert_eq!(seen[1].path_and_query, "/hook/1?a=1&b=x%20y");
    assert_eq!(seen[1].query("b").as_deref(), Some("x y"));
    assert_eq!(seen[1].header("x-test"), Some("yes"));
    assert_eq!(seen[2].text(), "body 2");
}
