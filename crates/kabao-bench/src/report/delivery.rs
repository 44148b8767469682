//! What the delivery load measured: `FAPIAO.ISSUED` and
//! `FAPIAO.CARD_INSERTED` callbacks delivered per second at the bench's
//! receiver when applications come as fast as the per-merchant limit
//! allows, and kabao's CPU per delivered callback.

use super::*;
use crate::fapiao_callbacks::CallbackCheck;
use crate::fapiao_load::FapiaoOutcome;
use crate::server::CpuUsed;
use crate::stats::Latency;
use std::time::Duration;

/// The unpaced immediate-outcome load and the callbacks it brought.
#[derive(Debug, Clone, Serialize)]
pub struct CallbackDelivery {
    /// Connections sending.
    pub connections: usize,
    /// Merchants the applications are spread over.
    pub merchants: usize,
    /// Applications prepared.
    pub pool: usize,
    /// Accepted (202) applications.
    pub applications: u64,
    /// Any other answer or transport failure.
    pub errors: u64,
    /// Of those, 429 FREQUENCY_LIMITED.
    pub rate_limited: u64,
    /// The first failures.
    pub first_errors: Vec<String>,
    /// Seconds of sending.
    pub send_secs: f64,
    /// Accepted applications per second of sending.
    pub applications_per_sec: f64,
    /// Latency of the 202s.
    pub accept_latency: Latency,
    /// Times the load waited for the next second to stay under the per-merchant limit.
    pub cap_waits: u64,
    /// The callbacks and their checks.
    pub callbacks: CallbackCheck,
    /// Seconds from the first callback's arrival to the last one's.
    pub span_secs: f64,
    /// Accepted applications' first `FAPIAO.ISSUED` per second of the span.
    pub issued_per_sec: f64,
    /// Their first `FAPIAO.CARD_INSERTED` per second of the span.
    pub card_inserted_per_sec: f64,
    /// Both together per second of the span.
    pub delivered_per_sec: f64,
    /// Seconds from the last 202 until every ISSUED had arrived and kabao was idle.
    pub drain_secs: f64,
    /// kabao's CPU seconds from the first application until idle again.
    pub kabao_cpu_secs: f64,
    /// That per delivered callback (ISSUED and CARD_INSERTED), µs.
    pub kabao_cpu_per_callback_us: f64,
    /// PostgreSQL's CPU for kabao's database over the same span per
    /// delivered callback, µs (`None` on SQLite).
    pub postgres_cpu_per_callback_us: Option<f64>,
    /// Share of the machine's CPU time that was idle (with iowait) over that span, %.
    pub idle_percent: f64,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// The preparation.
    pub setup: FapiaoSetup,
}

impl CallbackDelivery {
    /// Summarises the load, its callbacks (checked), the span from their first
    /// arrival to their last and the drain after the last 202, and what was
    /// used from the first application until kabao was idle.
    pub fn new(
        connections: usize,
        pool: usize,
        sent: FapiaoOutcome,
        mut callbacks: CallbackCheck,
        [span, drain]: [Duration; 2],
        used: &CpuUsed,
        setup: FapiaoSetup,
    ) -> Self {
        let outcome = sent.outcome;
        let applications = outcome.latencies_ns.len() as u64;
        let send_secs = outcome.elapsed.as_secs_f64();
        callbacks.latencies_ns = Vec::new();
        let delivered = (callbacks.issued + callbacks.card_inserted) as f64;
        let span_secs = span.as_secs_f64();
        let rate = |n: usize| {
            if span_secs > 0.0 {
                n as f64 / span_secs
            } else {
                0.0
            }
        };
        let per_callback = |cpu: Duration| cpu.as_secs_f64() * 1e6 / delivered.max(1.0);
        Self {
            connections,
            merchants: setup.merchants,
            pool,
            applications,
            errors: outcome.errors,
            rate_limited: sent.rate_limited,
            first_errors: outcome.first_errors,
            send_secs,
            applications_per_sec: applications as f64 / send_secs.max(1e-9),
            accept_latency: Latency::of_nanos(outcome.latencies_ns),
            cap_waits: sent.cap_waits,
            span_secs,
            issued_per_sec: rate(callbacks.issued),
            card_inserted_per_sec: rate(callbacks.card_inserted),
            delivered_per_sec: rate(callbacks.issued + callbacks.card_inserted),
            callbacks,
            drain_secs: drain.as_secs_f64(),
            kabao_cpu_secs: used.kabao.as_secs_f64(),
            kabao_cpu_per_callback_us: per_callback(used.kabao),
            postgres_cpu_per_callback_us: used.postgres.map(per_callback),
            idle_percent: used.idle_percent,
            steal_percent: used.steal_percent,
            setup,
        }
    }

    /// Failed applications and callbacks.
    pub fn errors(&self) -> u64 {
        self.errors + self.callbacks.failed as u64
    }
}
