//! The merchants' callback receiver: an HTTP/1.1 server on `127.0.0.1:0`
//! inside the bench process, on its own thread and runtime so the load
//! generator never delays it. It reads each whole callback, notes the time,
//! keeps the request and answers 200 at once; signatures are verified and
//! resources decrypted after the load ([`crate::fapiao_callbacks`]).

use anyhow::Context as _;
use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming;
use hyper::{HeaderMap, Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::oneshot;

/// One callback as it arrived.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// When its body had been read completely.
    pub at: Instant,
    /// The request path (`/{mchid}` names the merchant).
    pub path: String,
    /// The request headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// The running receiver; dropping it stops it.
pub struct Receiver {
    /// Where it listens.
    pub addr: SocketAddr,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Receiver {
    /// Binds `127.0.0.1:0` and serves on a new thread.
    pub fn start() -> anyhow::Result<Self> {
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").context("cannot bind the receiver")?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let arrivals = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = oneshot::channel();
        let kept = arrivals.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let thread = std::thread::Builder::new()
            .name("bench-receiver".into())
            .spawn(move || runtime.block_on(serve(listener, kept, stopped)))?;
        Ok(Self {
            addr,
            arrivals,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The base of the merchants' callback URLs (`{base}/{mchid}`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many callbacks arrived so far.
    pub fn count(&self) -> usize {
        self.arrivals.lock().expect("not poisoned").len()
    }

    /// How many callbacks so far have a body containing `marker`.
    pub fn count_containing(&self, marker: &[u8]) -> usize {
        let arrivals = self.arrivals.lock().expect("not poisoned");
        arrivals
            .iter()
            .filter(|a| a.body.windows(marker.len()).any(|w| w == marker))
            .count()
    }

    /// Takes the callbacks that arrived so far.
    pub fn take(&self) -> Vec<Arrival> {
        std::mem::take(&mut *self.arrivals.lock().expect("not poisoned"))
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

async fn serve(
    listener: std::net::TcpListener,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
    mut stopped: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                let _ = stream.set_nodelay(true);
                let arrivals = arrivals.clone();
                let service = hyper::service::service_fn(move |request| {
                    receive(request, arrivals.clone())
                });
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        }
    }
}

async fn receive(
    request: Request<Incoming>,
    arrivals: Arc<Mutex<Vec<Arrival>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let arrival = Arrival {
        at: Instant::now(),
        path: parts.uri.path().to_owned(),
        headers: parts.headers,
        body,
    };
    arrivals.lock().expect("not poisoned").push(arrival);
    Ok(Response::new(Full::new(Bytes::new())))
}
