//! A merchant's callback endpoint on 127.0.0.1:0, built like
//! `examples/callback_receiver.rs`: every POST is handed to
//! `WechatPay::parse_notification` with the credentials of the merchant
//! its path names, answered 204 when it parses and 500 when it does not,
//! and recorded with the outcome.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use kabao_client::{FapiaoNotification, WechatPay};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::oneshot;

/// One callback as received, and what the SDK made of it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub outcome: Result<FapiaoNotification, String>,
}

#[derive(Default)]
struct Shared {
    merchants: Mutex<HashMap<String, Arc<WechatPay>>>,
    seen: Mutex<Vec<Seen>>,
}

/// The running receiver; stops when dropped.
pub struct Receiver {
    pub base_url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
}

async fn receive(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let pay = shared.merchants.lock().unwrap().get(&name).cloned();
    let outcome = match pay {
        Some(pay) => pay
            .parse_notification(&headers, &body)
            .await
            .map_err(|e| e.to_string()),
        None => Err(format!("no merchant at /{name}")),
    };
    let reply = match &outcome {
        Ok(_) => (StatusCode::NO_CONTENT, String::new()),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            serde_json::json!({"code": "FAIL", "message": e}).to_string(),
        ),
    };
    shared.seen.lock().unwrap().push(Seen {
        path: format!("/{name}"),
        headers,
        body,
        outcome,
    });
    reply
}

impl Receiver {
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let router = Router::new()
            .route("/{name}", post(receive))
            .with_state(shared.clone());
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

    /// Callbacks to `/{name}` are parsed with `pay`; returns that URL.
    pub fn mount(&self, name: &str, pay: WechatPay) -> String {
        self.shared
            .merchants
            .lock()
            .unwrap()
            .insert(name.to_owned(), Arc::new(pay));
        format!("{}/{name}", self.base_url)
    }

    /// Everything received so far, oldest first.
    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// The parsed notifications of `event_type` received at `path`.
    pub fn parsed(&self, path: &str, event_type: &str) -> Vec<FapiaoNotification> {
        self.seen()
            .into_iter()
            .filter(|s| s.path == path)
            .filter_map(|s| s.outcome.ok())
            .filter(|n| n.event_type == event_type)
            .collect()
    }

    /// Waits until `n` notifications of `event_type` parsed at `path`.
    pub async fn wait_parsed(
        &self,
        path: &str,
        event_type: &str,
        n: usize,
    ) -> Vec<FapiaoNotification> {
        crate::common::eventually(&format!("{n} {event_type} at {path}"), || async {
            let got = self.parsed(path, event_type);
            (got.len() >= n).then_some(got)
        })
        .await
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
