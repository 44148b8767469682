//! The results of one run and their Markdown rendering (`BENCHMARKS.md`).
//! Section titles are stable so later scenarios add rows, not new layouts.

use crate::machine::Machine;
use crate::procstat::Memory;
use crate::scenario::{Endpoint, SIGNED_POOL};
use crate::Scenario;
use serde::Serialize;
use std::fmt::Write as _;

pub mod charts;
mod delivery;
mod errors;
mod fapiao;
mod fapiao_md;
#[cfg(test)]
mod fapiao_tests;
mod floors_md;
mod inserts_md;
mod markdown;
mod postgres;
mod postgres_md;
#[cfg(test)]
mod postgres_tests;
mod prism;
mod prism_md;
#[cfg(test)]
mod prism_tests;
mod profile_md;
#[cfg(test)]
mod profile_tests;
mod results;
mod scaling;
mod scaling_md;
#[cfg(test)]
mod scaling_tests;
mod table;
mod taxi;
mod taxi_md;
#[cfg(test)]
mod taxi_tests;
#[cfg(test)]
mod tests;

pub use charts::PlotLink;
pub use delivery::CallbackDelivery;
pub use fapiao::{
    FapiaoCallbackResult, FapiaoHeldResult, FapiaoResults, FapiaoSetup, CALLBACK_P99_BAR_MS,
    FAPIAO_CPU_RATIO_BAR,
};
pub use postgres::{without_password, PostgresResults, StoreRun};
pub use prism::{PrismRatio, PrismResults, PrismRun};
pub use results::{FloorRun, InsertResult, InsertSetup, LoadRun, ScenarioResult, ThreadCpu};
pub use scaling::{
    judge, Fill, Growth, Judgement, LoadFigures, ScalingPoint, ScalingResults, Series,
};
pub use taxi::{TaxiResult, TaxiSetup, TAXI_CPU_RATIO_BAR};

/// kabao's CPU per signed request may be at most this multiple of one verify + one sign.
pub const CPU_RATIO_BAR: f64 = 1.25;
/// Idle resident memory must stay under this many MB (10⁶ bytes).
pub const IDLE_RSS_BAR_MB: f64 = 50.0;
/// Accepted `/card/invoice/insert`s per second kabao must reach at some connection count.
pub const INSERT_RATE_BAR: f64 = 20_000.0;

/// kB (KiB, as `/proc` counts) in MB (10⁶ bytes).
pub fn mb(kb: u64) -> f64 {
    kb as f64 * 1024.0 / 1e6
}

/// How the run was configured.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Measured seconds per scenario.
    pub duration_secs: u64,
    /// Warm-up seconds per scenario.
    pub warmup_secs: u64,
    /// Connection counts.
    pub connections: Vec<usize>,
    /// Iterations of each floor measurement.
    pub floor_iterations: usize,
    /// `CLK_TCK`.
    pub clock_ticks_per_sec: u64,
    /// Flags added to `kabao serve` beyond the fixed ones.
    pub kabao_flags: Vec<String>,
    /// The scenarios run.
    pub scenarios: Vec<Scenario>,
    /// Inserts prepared per measured insert scenario.
    pub insert_orders: usize,
    /// Inserts prepared per insert warm-up.
    pub insert_warmup_orders: usize,
    /// Setup chains in flight while preparing inserts.
    pub setup_concurrency: usize,
    /// Authorisations in flight at once while preparing inserts.
    pub authorize_concurrency: usize,
    /// Fapiao applications prepared per measured held load.
    pub fapiao_applications: usize,
    /// Fapiao applications prepared per held warm-up.
    pub fapiao_warmup_applications: usize,
    /// Merchants the held loads are spread over.
    pub fapiao_merchants: usize,
    /// Issuing calls per merchant per second the bench stays under.
    pub fapiao_merchant_rate: usize,
    /// Applications of the callback-latency load.
    pub fapiao_callback_applications: usize,
    /// Connections of the callback-latency load.
    pub fapiao_callback_connections: usize,
    /// Applications per second of the callback-latency load.
    pub fapiao_callback_rate: f64,
    /// Applications of the unpaced callback-delivery load.
    pub fapiao_delivery_applications: usize,
    /// Merchants the callback-delivery load is spread over.
    pub fapiao_delivery_merchants: usize,
    /// Taxi cards prepared per measured taxi load.
    pub taxi_cards: usize,
    /// Taxi cards prepared per taxi warm-up.
    pub taxi_warmup_cards: usize,
    /// Fiscal bills prepared per measured `/nontax/insertbill` scenario.
    pub bill_orders: usize,
    /// Which loads' perf profiles the report shows (`--profile`).
    pub profile: crate::profile::ProfileMode,
    /// Samples per second per CPU of those profiles.
    pub profile_frequency: u32,
}

/// Everything one run measured.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Start of the run, RFC 3339 UTC.
    pub generated_at: String,
    /// `git rev-parse --short HEAD` (+uncommitted).
    pub commit: Option<String>,
    /// `kabao --version`.
    pub kabao_version: String,
    /// The machine.
    pub machine: Machine,
    /// The configuration.
    pub settings: Settings,
    /// The floor measurements, in run order.
    pub floors: Vec<FloorRun>,
    /// Mean verify+sign CPU time of the single-thread measurements, µs.
    pub floor_pair_us: f64,
    /// Verify+sign CPU time with every CPU busy, µs (machines with more than one CPU).
    pub busy_floor_pair_us: Option<f64>,
    /// kabao's memory after start and provisioning, before load (SQLite run).
    pub idle_memory: Option<Memory>,
    /// kabao's memory after every scenario (SQLite run).
    pub after_load_memory: Option<Memory>,
    /// The scenarios in run order.
    pub scenarios: Vec<ScenarioResult>,
    /// The insert scenarios in run order.
    pub inserts: Vec<InsertResult>,
    /// The fapiao scenario, when run.
    pub fapiao: Option<FapiaoResults>,
    /// The taxi loads in run order (set after [`Report::new`]).
    pub taxi: Vec<TaxiResult>,
    /// The PostgreSQL runs, when asked for (set after [`Report::new`]).
    pub postgres: Option<PostgresResults>,
    /// Prism mocking fapiao-applications, when run (set after [`Report::new`]).
    pub prism: Option<PrismResults>,
    /// The SVG plots written beside the report (set after [`Report::new`]).
    pub plots: Vec<PlotLink>,
    /// `/nontax/insertbill` at each connection count, on SQLite.
    pub bills: Vec<InsertResult>,
    /// The scaling scenario (SQLite stores filled in bulk), when it ran.
    pub scaling: Option<ScalingResults>,
}

/// Mean verify+sign CPU time of some floor measurements, µs.
fn mean<'a>(runs: impl Iterator<Item = &'a FloorRun>) -> f64 {
    let (sum, n) = runs.fold((0.0, 0), |(s, n), r| (s + r.floor.pair_us, n + 1));
    sum / f64::from(n.max(1))
}

/// `n` with thin groups of three digits, as the bars are written.
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Lists the first errors of one run, if any.
fn write_errors(md: &mut String, what: &str, errors: &[String]) -> std::fmt::Result {
    if errors.is_empty() {
        return Ok(());
    }
    writeln!(md, "\nFirst errors of {what}:\n")?;
    for error in errors {
        writeln!(md, "- `{}`", error.replace('`', "'").replace('\n', " "))?;
    }
    Ok(())
}

/// One verdict against a bar.
fn verdict(met: bool) -> &'static str {
    if met {
        "PASS"
    } else {
        "MISS"
    }
}

impl Report {
    /// Assembles the report.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        started: time::OffsetDateTime,
        settings: Settings,
        machine: Machine,
        commit: Option<String>,
        kabao_version: String,
        floors: Vec<FloorRun>,
        idle_memory: Option<Memory>,
        after_load_memory: Option<Memory>,
        scenarios: Vec<ScenarioResult>,
        inserts: Vec<InsertResult>,
        fapiao: Option<FapiaoResults>,
    ) -> Self {
        let generated_at = started
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        Self {
            generated_at,
            commit,
            kabao_version,
            machine,
            settings,
            floor_pair_us: mean(floors.iter().filter(|f| f.floor.threads == 1)),
            busy_floor_pair_us: floors
                .iter()
                .any(|f| f.floor.threads > 1)
                .then(|| mean(floors.iter().filter(|f| f.floor.threads > 1))),
            floors,
            idle_memory,
            after_load_memory,
            scenarios,
            inserts,
            fapiao,
            taxi: Vec::new(),
            postgres: None,
            prism: None,
            plots: Vec::new(),
            bills: Vec::new(),
            scaling: None,
        }
    }

    /// (connections, kabao CPU per signed request ÷ floor) for each signed scenario.
    pub fn signed_ratios(&self) -> Vec<(usize, f64)> {
        self.scenarios
            .iter()
            .filter_map(|s| Some((s.connections, s.floor_ratio?)))
            .collect()
    }

    /// Whether every signed scenario is within [`CPU_RATIO_BAR`].
    pub fn cpu_bar_met(&self) -> bool {
        let ratios = self.signed_ratios();
        !ratios.is_empty() && ratios.iter().all(|&(_, r)| r <= CPU_RATIO_BAR)
    }

    /// The insert scenario with the most accepted inserts per second.
    pub fn best_insert(&self) -> Option<&InsertResult> {
        self.inserts
            .iter()
            .max_by(|a, b| a.inserts_per_sec.total_cmp(&b.inserts_per_sec))
    }

    /// Whether some insert scenario reached [`INSERT_RATE_BAR`] without an error.
    pub fn insert_bar_met(&self) -> bool {
        self.best_insert().is_some_and(|s| {
            s.inserts_per_sec >= INSERT_RATE_BAR
                && self.inserts.iter().all(|s| s.errors + s.warmup_errors == 0)
        })
    }

    /// Whether idle RSS is under [`IDLE_RSS_BAR_MB`].
    pub fn memory_bar_met(&self) -> bool {
        self.idle_memory
            .is_some_and(|m| mb(m.rss_kb) < IDLE_RSS_BAR_MB)
    }
}
