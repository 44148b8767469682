//! What the fapiao scenario measured: CPU per accepted application with the
//! outcome held (against the crypto floor) and `FAPIAO.ISSUED` callback
//! latency with the immediate outcome; their bars.

use super::*;
use crate::fapiao_callbacks::CallbackCheck;
use crate::fapiao_load::FapiaoOutcome;
use crate::server::CpuUsed;
use crate::stats::Latency;
use std::time::Duration;

/// kabao's CPU per accepted application may be at most this multiple of one verify + one sign.
pub const FAPIAO_CPU_RATIO_BAR: f64 = 1.5;
/// `FAPIAO.ISSUED` callbacks must arrive within this many ms at p99.
pub const CALLBACK_P99_BAR_MS: f64 = 50.0;

/// Both parts of the fapiao scenario.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FapiaoResults {
    /// Outcome held, one per connection count.
    pub held: Vec<FapiaoHeldResult>,
    /// Outcome immediate, callbacks timed.
    pub callbacks: Option<FapiaoCallbackResult>,
    /// Outcome immediate, unpaced: callbacks delivered per second.
    pub delivery: Option<CallbackDelivery>,
}

/// What preparing one fapiao load took (not part of its numbers).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FapiaoSetup {
    /// Applications prepared (for the held loads: one checked, the warm-up's and the measured pool).
    pub applications: usize,
    /// Merchants they are spread over.
    pub merchants: usize,
    /// Wall seconds creating their paid orders through the control API.
    pub orders_secs: f64,
    /// Wall seconds signing them.
    pub presign_secs: f64,
    /// Seconds kabao then needed to become idle.
    pub idle_wait_secs: f64,
}

/// `POST …/fapiao-applications` at one connection count, outcome held.
#[derive(Debug, Clone, Serialize)]
pub struct FapiaoHeldResult {
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Applications prepared for the measured period.
    pub pool: usize,
    /// Accepted (202) applications in the measured period.
    pub applications: u64,
    /// Any other answer or transport failure.
    pub errors: u64,
    /// Of those, 429 FREQUENCY_LIMITED.
    pub rate_limited: u64,
    /// The first failures.
    pub first_errors: Vec<String>,
    /// Measured seconds.
    pub elapsed_secs: f64,
    /// Whether the prepared pool ran out before the deadline.
    pub pool_ran_out: bool,
    /// Accepted applications per second.
    pub applications_per_sec: f64,
    /// Latency of accepted applications.
    pub latency: Latency,
    /// kabao's CPU time (all threads) in the measured period, seconds.
    pub kabao_cpu_secs: f64,
    /// kabao CPU time per accepted application, µs.
    pub kabao_cpu_per_application_us: f64,
    /// kabao CPU seconds per wall second.
    pub kabao_cores_busy: f64,
    /// The load generator's CPU time per accepted application, µs.
    pub bench_cpu_per_application_us: f64,
    /// PostgreSQL's CPU time for kabao's database per accepted application,
    /// µs (`None` on SQLite).
    pub postgres_cpu_per_application_us: Option<f64>,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// Share of the machine's CPU time that was idle (with iowait), %.
    pub idle_percent: f64,
    /// Times the load waited for the next second to stay under the per-merchant limit.
    pub cap_waits: u64,
    /// The preparation.
    pub setup: FapiaoSetup,
    /// Accepted applications of the warm-up.
    pub warmup_applications: u64,
    /// Failed applications of the warm-up.
    pub warmup_errors: u64,
    /// What the check of one application before the load verified.
    pub check: String,
    /// What reading back accepted applications after the load found.
    pub verified: String,
    /// Mean verify+sign CPU of the floors right before and after, µs.
    pub floor_pair_us: Option<f64>,
    /// `kabao_cpu_per_application_us / floor_pair_us`.
    pub floor_ratio: Option<f64>,
    /// kabao's profile during the measured period (`--profile`), if recorded.
    pub profile: Option<crate::profile::Profile>,
}

/// The immediate-outcome load and its callbacks.
#[derive(Debug, Clone, Serialize)]
pub struct FapiaoCallbackResult {
    /// Connections sending.
    pub connections: usize,
    /// The paced rate asked for, applications per second.
    pub target_rate: f64,
    /// Applications prepared.
    pub pool: usize,
    /// Accepted (202) applications.
    pub applications: u64,
    /// Any other answer or transport failure.
    pub errors: u64,
    /// The first failures.
    pub first_errors: Vec<String>,
    /// Seconds of sending.
    pub send_secs: f64,
    /// Latency of the 202s.
    pub accept_latency: Latency,
    /// From reading an application's 202 to its `FAPIAO.ISSUED` at the receiver.
    pub callback_latency: Latency,
    /// The callbacks and their checks.
    pub callbacks: CallbackCheck,
    /// Seconds from the last 202 until every ISSUED callback had arrived and kabao was idle.
    pub drain_secs: f64,
    /// kabao's CPU seconds from the first application until idle again.
    pub kabao_cpu_secs: f64,
    /// That per accepted application, µs.
    pub kabao_cpu_per_application_us: f64,
    /// That minus the held-outcome CPU per application: the asynchronous part, µs.
    pub async_cpu_per_application_us: Option<f64>,
    /// PostgreSQL's CPU time for kabao's database over the same span, per
    /// accepted application, µs (`None` on SQLite).
    pub postgres_cpu_per_application_us: Option<f64>,
    /// Share of the machine's CPU time that was idle (with iowait) over that span, %.
    pub idle_percent: f64,
    /// The held result subtracted (its connection count).
    pub held_reference_connections: Option<usize>,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// The preparation.
    pub setup: FapiaoSetup,
}

fn per(cpu: Duration, count: u64) -> f64 {
    cpu.as_secs_f64() * 1e6 / count.max(1) as f64
}

impl FapiaoHeldResult {
    /// Summarises a measured held load, its warm-up and its CPU.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        connections: usize,
        pool: usize,
        measured: FapiaoOutcome,
        [kabao_cpu, bench_cpu]: [Duration; 2],
        steal_percent: f64,
        setup: FapiaoSetup,
        warmup: FapiaoOutcome,
        check: String,
        verified: String,
    ) -> Self {
        let pool_ran_out = measured.outcome.exhausted;
        let load = LoadRun::new(measured.outcome, [kabao_cpu, bench_cpu], steal_percent);
        Self {
            profile: None,
            connections,
            pool,
            applications: load.requests,
            errors: load.errors,
            rate_limited: measured.rate_limited,
            first_errors: load.first_errors,
            elapsed_secs: load.elapsed_secs,
            pool_ran_out,
            applications_per_sec: load.requests_per_sec,
            latency: load.latency,
            kabao_cpu_secs: load.server_cpu_secs,
            kabao_cpu_per_application_us: load.server_cpu_per_request_us,
            kabao_cores_busy: load.server_cores_busy,
            bench_cpu_per_application_us: load.bench_cpu_per_request_us,
            postgres_cpu_per_application_us: None,
            steal_percent,
            idle_percent: 0.0,
            cap_waits: measured.cap_waits,
            setup,
            warmup_applications: warmup.outcome.latencies_ns.len() as u64,
            warmup_errors: warmup.outcome.errors,
            check,
            verified,
            floor_pair_us: None,
            floor_ratio: None,
        }
    }

    /// Records PostgreSQL's CPU (on PostgreSQL) and the machine's idle share of the measured period.
    pub fn set_machine(&mut self, used: &CpuUsed) {
        self.postgres_cpu_per_application_us = used.postgres.map(|c| per(c, self.applications));
        self.idle_percent = used.idle_percent;
    }

    /// Records the crypto floor this load is compared with.
    pub fn set_floor(&mut self, pair_us: f64) {
        self.floor_pair_us = Some(pair_us);
        self.floor_ratio =
            (self.applications > 0).then(|| self.kabao_cpu_per_application_us / pair_us);
    }
}

impl FapiaoCallbackResult {
    /// Summarises the immediate-outcome load, its callbacks and kabao's CPU
    /// from its start until kabao was idle again; `held` gives the request
    /// path's CPU to subtract.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        connections: usize,
        target_rate: f64,
        pool: usize,
        sent: FapiaoOutcome,
        mut callbacks: CallbackCheck,
        drain: Duration,
        kabao_cpu: Duration,
        steal_percent: f64,
        setup: FapiaoSetup,
        held: &[FapiaoHeldResult],
    ) -> Self {
        let outcome = sent.outcome;
        let applications = outcome.latencies_ns.len() as u64;
        let kabao_cpu_per_application_us = per(kabao_cpu, applications);
        let reference = held
            .iter()
            .find(|h| h.connections == connections)
            .or_else(|| held.first())
            .filter(|h| h.applications > 0);
        Self {
            connections,
            target_rate,
            pool,
            applications,
            errors: outcome.errors,
            first_errors: outcome.first_errors,
            send_secs: outcome.elapsed.as_secs_f64(),
            accept_latency: Latency::of_nanos(outcome.latencies_ns),
            callback_latency: Latency::of_nanos(std::mem::take(&mut callbacks.latencies_ns)),
            callbacks,
            drain_secs: drain.as_secs_f64(),
            kabao_cpu_secs: kabao_cpu.as_secs_f64(),
            kabao_cpu_per_application_us,
            async_cpu_per_application_us: reference
                .map(|h| kabao_cpu_per_application_us - h.kabao_cpu_per_application_us),
            held_reference_connections: reference.map(|h| h.connections),
            postgres_cpu_per_application_us: None,
            idle_percent: 0.0,
            steal_percent,
            setup,
        }
    }

    /// Records PostgreSQL's CPU (on PostgreSQL) and the machine's idle share, from the first application until idle.
    pub fn set_machine(&mut self, used: &CpuUsed) {
        self.postgres_cpu_per_application_us = used.postgres.map(|c| per(c, self.applications));
        self.idle_percent = used.idle_percent;
    }

    /// Whether p99 is under [`CALLBACK_P99_BAR_MS`], every callback arrived
    /// and verified, and no application failed.
    pub fn bar_met(&self) -> bool {
        self.applications > 0
            && self.errors == 0
            && self.callbacks.complete()
            && self.callback_latency.p99_us < CALLBACK_P99_BAR_MS * 1000.0
    }
}

impl FapiaoResults {
    /// (connections, kabao CPU per accepted application ÷ floor) for each held load.
    pub fn ratios(&self) -> Vec<(usize, f64)> {
        self.held
            .iter()
            .filter_map(|h| Some((h.connections, h.floor_ratio?)))
            .collect()
    }

    /// Whether every held load is within [`FAPIAO_CPU_RATIO_BAR`].
    pub fn cpu_bar_met(&self) -> bool {
        let ratios = self.ratios();
        !ratios.is_empty() && ratios.iter().all(|&(_, r)| r <= FAPIAO_CPU_RATIO_BAR)
    }
}
