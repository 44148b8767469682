//! The floor under a signed APIv3 request: one RSA-2048 PKCS#1 v1.5 SHA-256
//! verify (the caller's signature) plus one sign (kabao's response signature),
//! with the same `kabao-protocol` code kabao runs, timed in this process in the
//! same run as the load: on one thread, and on every CPU at once (the
//! condition kabao works in when the load saturates the machine).

use crate::procstat::thread_cpu;
use kabao_protocol::rsa::PrivateKey;
use serde::Serialize;
use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

/// Bytes signed and verified per iteration, about an APIv3 request message.
pub const MESSAGE_BYTES: usize = 300;

/// One measurement of the floor (per thread, averaged over the threads).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Floor {
    /// Threads measuring at the same time.
    pub threads: usize,
    /// Timed iterations per thread (after a warm-up).
    pub iterations: usize,
    /// CPU time of one verify + one sign, µs.
    pub pair_us: f64,
    /// Wall-clock time of one verify + one sign, µs.
    pub pair_wall_us: f64,
    /// CPU time of one verify alone, µs.
    pub verify_us: f64,
    /// CPU time of one sign alone (`pair_us - verify_us`), µs.
    pub sign_us: f64,
    /// `true` when CPU times are the thread's on-CPU time
    /// (`/proc/thread-self/schedstat`), `false` when the kernel lacks it and they are wall-clock.
    pub thread_cpu_clock: bool,
}

struct Timing {
    pair_cpu: Duration,
    pair_wall: Duration,
    verify_cpu: Duration,
    thread_cpu_clock: bool,
}

/// Times `iterations` verify+sign pairs, then as many verifies, on each of
/// `threads` threads started together, with one fresh key.
pub fn measure(threads: usize, iterations: usize) -> anyhow::Result<Floor> {
    let threads = threads.max(1);
    let iterations = iterations.max(1);
    let key = Arc::new(PrivateKey::generate_2048()?);
    let start = Arc::new(Barrier::new(threads));
    let timings: Vec<Timing> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                let (key, start) = (key.clone(), start.clone());
                scope.spawn(move || time_one_thread(&key, iterations, &start))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a floor thread panicked"))
            .collect()
    });
    let per = |pick: fn(&Timing) -> Duration| {
        timings.iter().map(|t| pick(t).as_secs_f64()).sum::<f64>() * 1e6
            / (threads * iterations) as f64
    };
    let (pair_us, verify_us) = (per(|t| t.pair_cpu), per(|t| t.verify_cpu));
    Ok(Floor {
        threads,
        iterations,
        pair_us,
        pair_wall_us: per(|t| t.pair_wall),
        verify_us,
        sign_us: pair_us - verify_us,
        thread_cpu_clock: timings.iter().all(|t| t.thread_cpu_clock),
    })
}

fn time_one_thread(key: &PrivateKey, iterations: usize, start: &Barrier) -> Timing {
    let public = key.public_key();
    let message: Vec<u8> = (0..MESSAGE_BYTES).map(|i| b'a' + (i % 26) as u8).collect();
    let signature = key.sign_sha256_b64(&message);
    let verify = || {
        public
            .verify_sha256_b64(black_box(&message), black_box(&signature))
            .expect("a fresh signature verifies");
    };
    let pair = || {
        verify();
        black_box(key.sign_sha256_b64(black_box(&message)));
    };
    start.wait();
    for _ in 0..iterations / 10 + 10 {
        pair();
    }
    let (pair_cpu, pair_wall, pair_clock) = timed(|| (0..iterations).for_each(|_| pair()));
    let (verify_cpu, _, verify_clock) = timed(|| (0..iterations).for_each(|_| verify()));
    Timing {
        pair_cpu,
        pair_wall,
        verify_cpu,
        thread_cpu_clock: pair_clock && verify_clock,
    }
}

/// Runs `f`; returns its CPU time (wall time when unavailable), wall time, and which clock the first is.
fn timed(f: impl FnOnce()) -> (Duration, Duration, bool) {
    let cpu_before = thread_cpu();
    let wall_before = Instant::now();
    f();
    let wall = wall_before.elapsed();
    match (cpu_before, thread_cpu()) {
        (Some(before), Some(after)) => (after.saturating_sub(before), wall, true),
        _ => (wall, wall, false),
    }
}
