//! What the taxi scenario measured: `POST /v3/taxi-invoice/cards` at each
//! connection count, kabao's CPU per accepted card against the crypto
//! floor, and its bar.

use super::*;
use crate::load::Outcome;
use crate::stats::Latency;
use std::time::Duration;

/// kabao's CPU per accepted taxi card may be at most this multiple of one
/// verify + one sign (the fapiao applications' bar: a signed request that
/// validates and stores one record).
pub const TAXI_CPU_RATIO_BAR: f64 = 1.5;

/// What preparing one taxi load took (not part of its numbers).
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct TaxiSetup {
    /// Cards prepared: one checked, the warm-up's and the measured pool.
    pub cards: usize,
    /// Wall seconds recording their rides (trip orders) through the control API.
    pub rides_secs: f64,
    /// Wall seconds signing and uploading their PDFs (T10).
    pub uploads_secs: f64,
    /// Wall seconds signing their T11 requests.
    pub presign_secs: f64,
    /// Seconds kabao then needed to become idle.
    pub idle_wait_secs: f64,
}

/// `POST /v3/taxi-invoice/cards` at one connection count.
#[derive(Debug, Clone, Serialize)]
pub struct TaxiResult {
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// Cards prepared for the measured period.
    pub pool: usize,
    /// Accepted (204) cards in the measured period.
    pub cards: u64,
    /// Any other answer or transport failure.
    pub errors: u64,
    /// The first failures.
    pub first_errors: Vec<String>,
    /// Measured seconds.
    pub elapsed_secs: f64,
    /// Whether the prepared pool ran out before the deadline.
    pub pool_ran_out: bool,
    /// Accepted cards per second.
    pub cards_per_sec: f64,
    /// Latency of accepted cards.
    pub latency: Latency,
    /// kabao's CPU time (all threads) in the measured period, seconds.
    pub kabao_cpu_secs: f64,
    /// kabao CPU time per accepted card, µs.
    pub kabao_cpu_per_card_us: f64,
    /// kabao CPU seconds per wall second.
    pub kabao_cores_busy: f64,
    /// The load generator's CPU time per accepted card, µs.
    pub bench_cpu_per_card_us: f64,
    /// PostgreSQL's CPU time for kabao's database per accepted card, µs
    /// (`None` on SQLite).
    pub postgres_cpu_per_card_us: Option<f64>,
    /// Share of the machine's CPU time stolen by the hypervisor, %.
    pub steal_percent: f64,
    /// Share of the machine's CPU time that was idle (with iowait), %.
    pub idle_percent: f64,
    /// The preparation.
    pub setup: TaxiSetup,
    /// Accepted cards of the warm-up.
    pub warmup_cards: u64,
    /// Failed cards of the warm-up.
    pub warmup_errors: u64,
    /// The warm-up's first failures.
    pub warmup_first_errors: Vec<String>,
    /// What the check of one card before the load verified.
    pub check: String,
    /// What the spot check of the control API after the load found.
    pub verified: String,
    /// Mean verify+sign CPU of the floors right before and after, µs.
    pub floor_pair_us: Option<f64>,
    /// `kabao_cpu_per_card_us / floor_pair_us`.
    pub floor_ratio: Option<f64>,
    /// kabao's profile during the measured period (`--profile`), if recorded.
    pub profile: Option<crate::profile::Profile>,
}

impl TaxiResult {
    /// Summarises a measured taxi load, its warm-up and its CPU.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        connections: usize,
        pool: usize,
        outcome: Outcome,
        [kabao_cpu, bench_cpu]: [Duration; 2],
        steal_percent: f64,
        setup: TaxiSetup,
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
            cards: load.requests,
            errors: load.errors,
            first_errors: load.first_errors,
            elapsed_secs: load.elapsed_secs,
            pool_ran_out,
            cards_per_sec: load.requests_per_sec,
            latency: load.latency,
            kabao_cpu_secs: load.server_cpu_secs,
            kabao_cpu_per_card_us: load.server_cpu_per_request_us,
            kabao_cores_busy: load.server_cores_busy,
            bench_cpu_per_card_us: load.bench_cpu_per_request_us,
            postgres_cpu_per_card_us: None,
            steal_percent,
            idle_percent: 0.0,
            setup,
            warmup_cards: warmup.latencies_ns.len() as u64,
            warmup_errors: warmup.errors,
            warmup_first_errors: warmup.first_errors,
            check,
            verified,
            floor_pair_us: None,
            floor_ratio: None,
        }
    }

    /// Records PostgreSQL's CPU (on PostgreSQL) and the machine's idle share of the measured period.
    pub fn set_machine(&mut self, used: &crate::server::CpuUsed) {
        self.postgres_cpu_per_card_us = used
            .postgres
            .map(|c| c.as_secs_f64() * 1e6 / self.cards.max(1) as f64);
        self.idle_percent = used.idle_percent;
    }

    /// Records the crypto floor this load is compared with.
    pub fn set_floor(&mut self, pair_us: f64) {
        self.floor_pair_us = Some(pair_us);
        self.floor_ratio = (self.cards > 0).then(|| self.kabao_cpu_per_card_us / pair_us);
    }
}

impl Report {
    /// (connections, kabao CPU per accepted taxi card ÷ floor) for each taxi load.
    pub fn taxi_ratios(&self) -> Vec<(usize, f64)> {
        self.taxi
            .iter()
            .filter_map(|t| Some((t.connections, t.floor_ratio?)))
            .collect()
    }

    /// Whether every taxi load is within [`TAXI_CPU_RATIO_BAR`] and none failed a card.
    pub fn taxi_bar_met(&self) -> bool {
        let ratios = self.taxi_ratios();
        !ratios.is_empty()
            && ratios.iter().all(|&(_, r)| r <= TAXI_CPU_RATIO_BAR)
            && self.taxi.iter().all(|t| t.errors + t.warmup_errors == 0)
    }
}
