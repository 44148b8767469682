//! The load loop: N keep-alive connections, each driven by its own task,
//! sending one request at a time until a deadline and recording the latency
//! of every success. Requests under way at the deadline are completed and
//! counted.

use crate::http::Connection;
use crate::scenario::Workload;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What one run of the loop saw.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Latency of each successful request, in nanoseconds.
    pub latencies_ns: Vec<u64>,
    /// Non-2xx answers, wrong bodies and transport errors.
    pub errors: u64,
    /// The first error, for the report.
    pub first_error: Option<String>,
    /// From start to the last task's end.
    pub elapsed: Duration,
}

impl Outcome {
    fn absorb(&mut self, other: Outcome) {
        self.latencies_ns.extend(other.latencies_ns);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }

    fn error(&mut self, what: String) {
        self.errors += 1;
        self.first_error.get_or_insert(what);
    }
}

/// Runs `connections` tasks against `addr` for `duration`.
pub async fn run(
    addr: SocketAddr,
    workload: Arc<Workload>,
    connections: usize,
    duration: Duration,
) -> Outcome {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..connections {
        tasks.spawn(one_connection(
            addr,
            workload.clone(),
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

async fn one_connection(
    addr: SocketAddr,
    workload: Arc<Workload>,
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
        let request = workload.request(n);
        n += stride;
        let sent = Instant::now();
        match open.send(request).await {
            Ok(reply) if workload.succeeded(&reply) => {
                outcome.latencies_ns.push(sent.elapsed().as_nanos() as u64)
            }
            Ok(reply) => outcome.error(format!("{} {}", reply.status, reply.snippet(200))),
            Err(e) => {
                outcome.error(format!("{e:#}"));
                connection = None;
            }
        }
    }
    outcome
}
