//! The load loop: N keep-alive connections, each driven by its own task
//! (connection `i` to the `i % n`th of the n kabao addresses),
//! sending one request at a time until a deadline (or until its [`Source`]
//! has no request left) and recording the latency of every success.
//! Requests under way at the deadline are completed and counted.

use crate::http::{Connection, Reply};
use bytes::Bytes;
use http_body_util::Full;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Failure descriptions an [`Outcome`] keeps, for the report.
pub const ERRORS_KEPT: usize = 5;

/// Where a load loop's requests come from and how their answers are judged.
pub trait Source: Send + Sync + 'static {
    /// The request a connection sends next; `n` counts that connection's
    /// requests, offset by its index and strided by the connection count.
    /// `None` when the source is used up: the connection stops.
    fn next_request(&self, n: usize) -> Option<hyper::Request<Full<Bytes>>>;

    /// Whether `reply` is a success.
    fn succeeded(&self, reply: &Reply) -> bool;
}

/// What one run of the loop saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latency of each successful request, in nanoseconds.
    pub latencies_ns: Vec<u64>,
    /// Non-2xx answers, wrong bodies and transport errors.
    pub errors: u64,
    /// The first [`ERRORS_KEPT`] errors, for the report.
    pub first_errors: Vec<String>,
    /// Whether the source ran out of requests before the deadline.
    pub exhausted: bool,
    /// From start to the last task's end.
    pub elapsed: Duration,
}

impl Outcome {
    fn absorb(&mut self, other: Outcome) {
        self.latencies_ns.extend(other.latencies_ns);
        self.errors += other.errors;
        self.exhausted |= other.exhausted;
        for error in other.first_errors {
            if self.first_errors.len() < ERRORS_KEPT {
                self.first_errors.push(error);
            }
        }
    }

    fn error(&mut self, what: String) {
        self.errors += 1;
        if self.first_errors.len() < ERRORS_KEPT {
            self.first_errors.push(what);
        }
    }
}

/// Runs `connections` tasks against `addrs` (connection `i` to `addrs[i % len]`)
/// for `duration`, or until `source` is used up.
pub async fn run<S: Source>(
    addrs: &[SocketAddr],
    source: Arc<S>,
    connections: usize,
    duration: Duration,
) -> Outcome {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..connections {
        tasks.spawn(one_connection(
            spread(addrs, index),
            source.clone(),
            index,
            connections,
            deadline,
        ));
    }
    let mut total = Outcome::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(outcome) => total.absorb(outcome),
            Err(e) => total.error(format!("load task failed: {e}")),
        }
    }
    total.elapsed = start.elapsed();
    total
}

/// The address connection `index` goes to: the kabao processes in turn.
pub fn spread(addrs: &[SocketAddr], index: usize) -> SocketAddr {
    addrs[index % addrs.len()]
}

async fn one_connection<S: Source>(
    addr: SocketAddr,
    source: Arc<S>,
    index: usize,
    stride: usize,
    deadline: Instant,
) -> Outcome {
    let mut outcome = Outcome {
        latencies_ns: Vec::with_capacity(16 * 1024),
        ..Outcome::default()
    };
    let mut connection: Option<Connection> = None;
    let mut n = index;
    while Instant::now() < deadline {
        if connection.is_none() {
            match Connection::open(addr).await {
                Ok(fresh) => connection = Some(fresh),
                Err(e) => {
                    outcome.error(format!("{e:#}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let open = connection.as_mut().expect("opened above");
        let Some(request) = source.next_request(n) else {
            outcome.exhausted = true;
            break;
        };
        n += stride;
        let sent = Instant::now();
        match open.send(request).await {
            Ok(reply) if source.succeeded(&reply) => {
                outcome.latencies_ns.push(sent.elapsed().as_nanos() as u64)
            }
            Ok(reply) => outcome.error(format!("{} {}", reply.status, reply.snippet(300))),
            Err(e) => {
                outcome.error(format!("{e:#}"));
                connection = None;
            }
        }
    }
    outcome
}
