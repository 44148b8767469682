//! What each part of a run measured: load scenarios, inserts, crypto floors.

use super::*;
use crate::crypto_floor::Floor;
use crate::load::Outcome;
use crate::procstat::ThreadTimes;
use crate::stats::Latency;
use std::time::Duration;

/// What one measured load of requests did, and the CPU the server under
/// load (kabao, or Prism) and the bench used meanwhile: the figures every
/// request/response table starts from, computed once from the load's [`Outcome`].
#[derive(Debug, Clone, Serialize)]
pub struct LoadRun {
    /// Successful requests.
    pub requests: u64,
    /// Failed requests.
    pub errors: u64,
    /// The first failures, if any.
    pub first_errors: Vec<String>,
    /// Measured seconds.
    pub elapsed_secs: f64,
    /// Successful requests per second.
    pub requests_per_sec: f64,
    /// Latency of successful requests.
    pub latency: Latency,
    /// The server's CPU time (all threads) during the load, seconds.
    pub server_cpu_secs: f64,
    /// The server's CPU time per successful request, µs.
    pub server_cpu_per_request_us: f64,
    /// The server's CPU seconds per wall second.
    pub server_cores_busy: f64,
    /// The load generator's CPU time per successful request, µs.
    pub bench_cpu_per_request_us: f64,
    /// The load generator's CPU seconds per wall second.
    pub bench_cores_busy: f64,
    /// Share of the machine's CPU time stolen by the hypervisor during the load, %.
    pub steal_percent: f64,
}

impl LoadRun {
    /// Summarises a load outcome, the CPU time the server and the bench used
    /// during it, and the hypervisor's steal.
    pub fn new(
        outcome: Outcome,
        [server_cpu, bench_cpu]: [Duration; 2],
        steal_percent: f64,
    ) -> Self {
        let requests = outcome.latencies_ns.len() as u64;
        let elapsed = outcome.elapsed.as_secs_f64().max(1e-9);
        let per_request = |cpu: Duration| cpu.as_secs_f64() * 1e6 / requests.max(1) as f64;
        Self {
            requests,
            errors: outcome.errors,
            first_errors: outcome.first_errors,
            elapsed_secs: elapsed,
            requests_per_sec: requests as f64 / elapsed,
            latency: Latency::of_nanos(outcome.latencies_ns),
            server_cpu_secs: server_cpu.as_secs_f64(),
            server_cpu_per_request_us: per_request(server_cpu),
            server_cores_busy: server_cpu.as_secs_f64() / elapsed,
            bench_cpu_per_request_us: per_request(bench_cpu),
            bench_cores_busy: bench_cpu.as_secs_f64() / elapsed,
            steal_percent,
        }
    }
}

/// One endpoint at one connection count.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// The load; its server is kabao (every kabao process of the run).
    #[serde(flatten)]
    pub load: LoadRun,
    /// PostgreSQL's CPU time for kabao's database per successful request,
    /// µs (`None` on SQLite).
    pub postgres_cpu_per_request_us: Option<f64>,
    /// Share of the machine's CPU time that was idle (with iowait), %.
    pub idle_percent: f64,
    /// What the check of one answer before the scenario verified.
    pub check: String,
    /// Signed scenarios: mean verify+sign CPU time of the floors measured
    /// right before and right after, µs.
    pub floor_pair_us: Option<f64>,
    /// Signed scenarios: kabao's CPU per request ÷ `floor_pair_us`.
    pub floor_ratio: Option<f64>,
    /// kabao's profile during the measured period (`--profile`), if recorded.
    pub profile: Option<crate::profile::Profile>,
}

/// One measurement of the crypto floor and what else happened meanwhile.
#[derive(Debug, Clone, Serialize)]
pub struct FloorRun {
    /// When or how it was measured.
    pub label: String,
    /// The measurement.
    pub floor: Floor,
    /// CPU kabao used meanwhile (it should be idle), ms.
    pub kabao_cpu_ms: f64,
    /// Share of the machine's CPU time stolen by the hypervisor meanwhile, %.
    pub steal_percent: f64,
}

/// What preparing one insert scenario's orders took (not part of its numbers).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct InsertSetup {
    /// Inserts prepared: one checked, the warm-up's and the measured pool.
    pub orders: usize,
    /// Wall seconds of setpdf + getauthurl + authorisation for all of them.
    pub secs: f64,
    /// Seconds kabao then needed to become idle (background event pushes).
    pub idle_wait_secs: f64,
    /// Whether it did become idle before the load started.
    pub idle_reached: bool,
    /// Authorisations kabao answered with HTTP 500 that were sent again.
    pub authorize_retries: u64,
}

/// `POST /card/invoice/insert` at one connection count.
#[derive(Debug, Clone, Serialize)]
pub struct InsertResult {
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Inserts prepared for the measured period.
    pub pool: usize,
    /// Accepted inserts (errcode 0 with a card code) in the measured period.
    pub inserts: u64,
    /// Any other answer or transport failure in the measured period.
    pub errors: u64,
    /// The first failures (answer bodies), if any.
    pub first_errors: Vec<String>,
    /// Measured seconds: to the deadline, or until the pool was used up.
    pub elapsed_secs: f64,
    /// Whether the prepared pool ran out before the deadline.
    pub pool_ran_out: bool,
    /// Accepted inserts per second.
    pub inserts_per_sec: f64,
    /// Latency of accepted inserts.
    pub latency: Latency,
    /// kabao's CPU time (all threads) in the measured period, seconds.
    pub kabao_cpu_secs: f64,
    /// kabao CPU time per accepted insert, µs.
    pub kabao_cpu_per_insert_us: f64,
    /// kabao CPU seconds per wall second.
    pub kabao_cores_busy: f64,
    /// PostgreSQL's CPU time for kabao's database in the measured period,
    /// seconds (`None` on SQLite).
    pub postgres_cpu_secs: Option<f64>,
    /// That per accepted insert, µs.
    pub postgres_cpu_per_insert_us: Option<f64>,
    /// The load generator's CPU time per accepted insert, µs.
    pub bench_cpu_per_insert_us: f64,
    /// The load generator's CPU seconds per wall second.
    pub bench_cores_busy: f64,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// Share of the machine's CPU time that was idle (with iowait), %.
    pub idle_percent: f64,
    /// kabao's memory right after the measured period.
    pub memory_after: Memory,
    /// The preparation.
    pub setup: InsertSetup,
    /// Accepted inserts of the warm-up.
    pub warmup_inserts: u64,
    /// Failed inserts of the warm-up.
    pub warmup_errors: u64,
    /// The warm-up's first failures.
    pub warmup_first_errors: Vec<String>,
    /// What the check of one insert before the load verified.
    pub check: String,
    /// What the check of the accepted inserts' card codes after the load found.
    pub verified: String,
    /// kabao's CPU seconds in the measured period by thread name (threads
    /// that ended during it are missing), busiest first.
    pub kabao_threads: Vec<ThreadCpu>,
    /// kabao's profile during the measured period (`--profile`), if recorded.
    pub profile: Option<crate::profile::Profile>,
}

/// What kabao's threads of one name did in a measured period.
#[derive(Debug, Clone, Serialize)]
pub struct ThreadCpu {
    /// The thread name (`comm`, at most 15 bytes).
    pub name: String,
    /// Threads of that name at the end of the period.
    pub threads: u32,
    /// CPU seconds of all threads of that name.
    pub cpu_secs: f64,
    /// Seconds they were runnable but waiting for a CPU.
    pub runqueue_secs: f64,
}

impl InsertResult {
    /// Summarises the measured and warm-up outcomes of one insert scenario.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        connections: usize,
        pool: usize,
        outcome: Outcome,
        [kabao_cpu, bench_cpu]: [Duration; 2],
        steal_percent: f64,
        memory_after: Memory,
        setup: InsertSetup,
        warmup: Outcome,
        check: String,
        verified: String,
    ) -> Self {
        let pool_ran_out = outcome.exhausted;
        let load = LoadRun::new(outcome, [kabao_cpu, bench_cpu], steal_percent);
        Self {
            profile: None,
            connections,
            pool,
            inserts: load.requests,
            errors: load.errors,
            first_errors: load.first_errors,
            elapsed_secs: load.elapsed_secs,
            pool_ran_out,
            inserts_per_sec: load.requests_per_sec,
            latency: load.latency,
            kabao_cpu_secs: load.server_cpu_secs,
            kabao_cpu_per_insert_us: load.server_cpu_per_request_us,
            kabao_cores_busy: load.server_cores_busy,
            postgres_cpu_secs: None,
            postgres_cpu_per_insert_us: None,
            bench_cpu_per_insert_us: load.bench_cpu_per_request_us,
            bench_cores_busy: load.bench_cores_busy,
            steal_percent,
            idle_percent: 0.0,
            memory_after,
            setup,
            warmup_inserts: warmup.latencies_ns.len() as u64,
            warmup_errors: warmup.errors,
            warmup_first_errors: warmup.first_errors,
            check,
            verified,
            kabao_threads: Vec::new(),
        }
    }

    /// Records PostgreSQL's CPU time in the measured period (on PostgreSQL).
    pub fn set_postgres(&mut self, cpu: Option<Duration>) {
        self.postgres_cpu_secs = cpu.map(|c| c.as_secs_f64());
        self.postgres_cpu_per_insert_us =
            cpu.map(|c| c.as_secs_f64() * 1e6 / self.inserts.max(1) as f64);
    }

    /// Records what kabao's threads used in the measured period: those
    /// that kept at least 1% of a CPU busy.
    pub fn set_threads(&mut self, threads: &[ThreadTimes]) {
        let least = self.elapsed_secs * 0.01;
        self.kabao_threads = threads
            .iter()
            .filter(|t| t.cpu.as_secs_f64() >= least)
            .map(|t| ThreadCpu {
                name: t.name.clone(),
                threads: t.threads,
                cpu_secs: t.cpu.as_secs_f64(),
                runqueue_secs: t.runqueue.as_secs_f64(),
            })
            .collect();
        self.kabao_threads
            .sort_by(|a, b| b.cpu_secs.total_cmp(&a.cpu_secs));
    }
}

impl ScenarioResult {
    /// Summarises a load outcome, the CPU time kabao and the bench used
    /// during it, and the hypervisor's steal.
    pub fn new(
        endpoint: Endpoint,
        connections: usize,
        check: String,
        outcome: Outcome,
        cpu: [Duration; 2],
        steal_percent: f64,
    ) -> Self {
        Self {
            profile: None,
            endpoint,
            connections,
            load: LoadRun::new(outcome, cpu, steal_percent),
            postgres_cpu_per_request_us: None,
            idle_percent: 0.0,
            check,
            floor_pair_us: None,
            floor_ratio: None,
        }
    }

    /// kabao's CPU time per successful request, µs.
    pub fn kabao_cpu_per_request_us(&self) -> f64 {
        self.load.server_cpu_per_request_us
    }

    /// Records PostgreSQL's CPU (on PostgreSQL) and the machine's idle share of the measured period.
    pub fn set_machine(&mut self, used: &crate::server::CpuUsed) {
        self.postgres_cpu_per_request_us = used
            .postgres
            .map(|c| c.as_secs_f64() * 1e6 / self.load.requests.max(1) as f64);
        self.idle_percent = used.idle_percent;
    }

    /// Records the crypto floor this scenario is compared with.
    pub fn set_floor(&mut self, pair_us: f64) {
        self.floor_pair_us = Some(pair_us);
        self.floor_ratio =
            (self.load.requests > 0).then(|| self.kabao_cpu_per_request_us() / pair_us);
    }
}
