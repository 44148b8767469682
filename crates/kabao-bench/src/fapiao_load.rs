//! The fapiao load loop: N keep-alive connections sending prepared
//! applications, each once, until a deadline or until the pool is used up,
//! never more than a cap per second of the Unix clock (kabao limits issuing
//! calls per merchant per second) and, when a rate is given, each
//! application no earlier than its slot in an even schedule. It keeps when
//! each accepted application's 202 was read, to time its callback.

use crate::fapiao_world::{FapiaoWorld, PreparedApplication, APPLICATIONS_PATH};
use crate::http::Connection;
use crate::load::{Outcome, ERRORS_KEPT};
use hyper::{Method, StatusCode};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// How fast applications may go out.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// At most this many per second of the Unix clock.
    pub per_second_cap: usize,
    /// Application `i` of the run is sent no earlier than `i / rate` seconds after the start.
    pub rate: Option<f64>,
}

/// Prepared applications, each handed out once.
pub struct ApplicationPool {
    world: Arc<FapiaoWorld>,
    applications: Vec<PreparedApplication>,
    next: AtomicUsize,
    /// Shared with the pools sent after this one (see [`ApplicationPool::after`]).
    window: Arc<Mutex<SecondWindow>>,
    cap_waits: AtomicU64,
}

/// What one run saw.
#[derive(Debug, Default)]
pub struct FapiaoOutcome {
    /// Latencies of the accepted (202) applications, errors, elapsed time.
    pub outcome: Outcome,
    /// Accepted applications: index in the pool and when their 202 was read.
    pub accepted: Vec<(usize, Instant)>,
    /// Answers 429 FREQUENCY_LIMITED (also counted as errors).
    pub rate_limited: u64,
    /// Times a connection waited for the next second because of the cap.
    pub cap_waits: u64,
}

impl ApplicationPool {
    /// A pool of `applications` of `world`'s merchants.
    pub fn new(world: Arc<FapiaoWorld>, applications: Vec<PreparedApplication>) -> Self {
        Self {
            world,
            applications,
            next: AtomicUsize::new(0),
            window: Arc::default(),
            cap_waits: AtomicU64::new(0),
        }
    }

    /// A pool sent right after `previous` to the same merchants: it counts
    /// in the same per-second window, so the second in which `previous`
    /// ended does not give its places twice (kabao would answer the excess
    /// 429 FREQUENCY_LIMITED).
    pub fn after(previous: &ApplicationPool, applications: Vec<PreparedApplication>) -> Self {
        Self {
            window: previous.window.clone(),
            ..Self::new(previous.world.clone(), applications)
        }
    }

    /// How many applications the pool holds.
    pub fn len(&self) -> usize {
        self.applications.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.applications.is_empty()
    }

    /// The applications.
    pub fn applications(&self) -> &[PreparedApplication] {
        &self.applications
    }

    /// Waits until the current second has room under `cap`, then takes a place in it.
    async fn take_place(&self, cap: usize) {
        loop {
            let since_epoch = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            let second = since_epoch.as_secs();
            if self
                .window
                .lock()
                .expect("not poisoned")
                .try_take(second, cap)
            {
                return;
            }
            self.cap_waits.fetch_add(1, Ordering::Relaxed);
            let rest = Duration::from_nanos(1_000_000_000 - u64::from(since_epoch.subsec_nanos()));
            tokio::time::sleep(rest + Duration::from_millis(1)).await;
        }
    }
}

/// The Unix second being filled and how many places it has given.
#[derive(Debug, Default)]
struct SecondWindow {
    second: u64,
    taken: usize,
}

impl SecondWindow {
    /// Takes a place in `second` if it has given fewer than `cap` (at least
    /// one); a new second starts empty.
    fn try_take(&mut self, second: u64, cap: usize) -> bool {
        if self.second != second {
            *self = Self { second, taken: 0 };
        }
        if self.taken < cap.max(1) {
            self.taken += 1;
            return true;
        }
        false
    }
}

/// Runs `connections` tasks sending `pool`'s applications to `addrs`
/// (connection `i` to `addrs[i % len]`) until `duration` has passed or the
/// pool is used up.
pub async fn run(
    addrs: &[SocketAddr],
    pool: Arc<ApplicationPool>,
    connections: usize,
    duration: Duration,
    pace: Pace,
) -> FapiaoOutcome {
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..connections.max(1) {
        let addr = crate::load::spread(addrs, index);
        tasks.spawn(one_connection(addr, pool.clone(), start, deadline, pace));
    }
    let mut total = FapiaoOutcome::default();
    while let Some(done) = tasks.join_next().await {
        match done {
            Ok(part) => absorb(&mut total, part),
            Err(e) => error(&mut total.outcome, format!("load task failed: {e}")),
        }
    }
    total.outcome.elapsed = start.elapsed();
    total.cap_waits = pool.cap_waits.load(Ordering::Relaxed);
    total
}

fn absorb(total: &mut FapiaoOutcome, part: FapiaoOutcome) {
    total.outcome.latencies_ns.extend(part.outcome.latencies_ns);
    total.outcome.exhausted |= part.outcome.exhausted;
    total.outcome.errors += part.outcome.errors;
    for e in part.outcome.first_errors {
        if total.outcome.first_errors.len() < ERRORS_KEPT {
            total.outcome.first_errors.push(e);
        }
    }
    total.accepted.extend(part.accepted);
    total.rate_limited += part.rate_limited;
}

fn error(outcome: &mut Outcome, what: String) {
    outcome.errors += 1;
    if outcome.first_errors.len() < ERRORS_KEPT {
        outcome.first_errors.push(what);
    }
}

async fn one_connection(
    addr: SocketAddr,
    pool: Arc<ApplicationPool>,
    start: Instant,
    deadline: Instant,
    pace: Pace,
) -> FapiaoOutcome {
    let mut seen = FapiaoOutcome::default();
    let mut connection: Option<Connection> = None;
    while Instant::now() < deadline {
        if connection.is_none() {
            match Connection::open(addr).await {
                Ok(fresh) => connection = Some(fresh),
                Err(e) => {
                    error(&mut seen.outcome, format!("{e:#}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let i = pool.next.fetch_add(1, Ordering::Relaxed);
        let Some(application) = pool.applications.get(i) else {
            seen.outcome.exhausted = true;
            break;
        };
        if let Some(rate) = pace.rate {
            let slot = start + Duration::from_secs_f64(i as f64 / rate.max(1e-3));
            tokio::time::sleep_until(slot.into()).await;
        }
        pool.take_place(pace.per_second_cap).await;
        let request = pool.world.request(
            Method::POST,
            APPLICATIONS_PATH,
            application.authorization.clone(),
            application.body.clone(),
        );
        let open = connection.as_mut().expect("opened above");
        let sent = Instant::now();
        match open.send(request).await {
            Ok(reply) if reply.status == StatusCode::ACCEPTED => {
                let received = Instant::now();
                seen.outcome
                    .latencies_ns
                    .push((received - sent).as_nanos() as u64);
                seen.accepted.push((i, received));
            }
            Ok(reply) => {
                if reply.status == StatusCode::TOO_MANY_REQUESTS {
                    seen.rate_limited += 1;
                }
                error(
                    &mut seen.outcome,
                    format!("{} {}", reply.status, reply.snippet(300)),
                );
            }
            Err(e) => {
                error(&mut seen.outcome, format!("{e:#}"));
                connection = None;
            }
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::SecondWindow;

    #[test]
    fn a_second_gives_at_most_cap_places_and_the_next_starts_empty() {
        let mut window = SecondWindow::default();
        assert!(window.try_take(100, 2));
        assert!(window.try_take(100, 2));
        assert!(!window.try_take(100, 2), "the cap is per second");
        assert!(window.try_take(101, 2), "a new second starts empty");
        assert!(window.try_take(102, 0), "a cap of 0 still lets one through");
        assert!(!window.try_take(102, 0));
    }
}
