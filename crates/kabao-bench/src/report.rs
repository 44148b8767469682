//! The results of one run and their Markdown rendering (`BENCHMARKS.md`).
//! Section titles are stable so later scenarios add rows, not new layouts.

use crate::crypto_floor::Floor;
use crate::load::Outcome;
use crate::machine::Machine;
use crate::procstat::{Memory, ThreadTimes};
use crate::scenario::{Endpoint, SIGNED_POOL};
use crate::stats::Latency;
use crate::Scenario;
use serde::Serialize;
use std::fmt::Write as _;
use std::time::Duration;

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
}

/// One endpoint at one connection count.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// Concurrent keep-alive connections.
    pub connections: usize,
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
    /// kabao's CPU time (all threads) during the scenario, seconds.
    pub kabao_cpu_secs: f64,
    /// kabao CPU time per successful request, µs.
    pub kabao_cpu_per_request_us: f64,
    /// kabao CPU seconds per wall second.
    pub kabao_cores_busy: f64,
    /// The load generator's CPU time per successful request, µs.
    pub bench_cpu_per_request_us: f64,
    /// The load generator's CPU seconds per wall second.
    pub bench_cores_busy: f64,
    /// Share of the machine's CPU time stolen by the hypervisor during the scenario, %.
    pub steal_percent: f64,
    /// What the check of one answer before the scenario verified.
    pub check: String,
    /// Signed scenarios: mean verify+sign CPU time of the floors measured
    /// right before and right after, µs.
    pub floor_pair_us: Option<f64>,
    /// Signed scenarios: `kabao_cpu_per_request_us / floor_pair_us`.
    pub floor_ratio: Option<f64>,
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
        let inserts = outcome.latencies_ns.len() as u64;
        let elapsed = outcome.elapsed.as_secs_f64().max(1e-9);
        let per_insert = |cpu: Duration| cpu.as_secs_f64() * 1e6 / inserts.max(1) as f64;
        Self {
            connections,
            pool,
            inserts,
            errors: outcome.errors,
            first_errors: outcome.first_errors,
            elapsed_secs: elapsed,
            pool_ran_out: outcome.exhausted,
            inserts_per_sec: inserts as f64 / elapsed,
            latency: Latency::of_nanos(outcome.latencies_ns),
            kabao_cpu_secs: kabao_cpu.as_secs_f64(),
            kabao_cpu_per_insert_us: per_insert(kabao_cpu),
            kabao_cores_busy: kabao_cpu.as_secs_f64() / elapsed,
            bench_cpu_per_insert_us: per_insert(bench_cpu),
            bench_cores_busy: bench_cpu.as_secs_f64() / elapsed,
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
        [kabao_cpu, bench_cpu]: [Duration; 2],
        steal_percent: f64,
    ) -> Self {
        let requests = outcome.latencies_ns.len() as u64;
        let elapsed = outcome.elapsed.as_secs_f64().max(1e-9);
        let per_request = |cpu: Duration| cpu.as_secs_f64() * 1e6 / requests.max(1) as f64;
        Self {
            endpoint,
            connections,
            requests,
            errors: outcome.errors,
            first_errors: outcome.first_errors,
            elapsed_secs: elapsed,
            requests_per_sec: requests as f64 / elapsed,
            latency: Latency::of_nanos(outcome.latencies_ns),
            kabao_cpu_secs: kabao_cpu.as_secs_f64(),
            kabao_cpu_per_request_us: per_request(kabao_cpu),
            kabao_cores_busy: kabao_cpu.as_secs_f64() / elapsed,
            bench_cpu_per_request_us: per_request(bench_cpu),
            bench_cores_busy: bench_cpu.as_secs_f64() / elapsed,
            steal_percent,
            check,
            floor_pair_us: None,
            floor_ratio: None,
        }
    }

    /// Records the crypto floor this scenario is compared with.
    pub fn set_floor(&mut self, pair_us: f64) {
        self.floor_pair_us = Some(pair_us);
        self.floor_ratio = (self.requests > 0).then(|| self.kabao_cpu_per_request_us / pair_us);
    }
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
    /// kabao's memory after start and provisioning, before load.
    pub idle_memory: Memory,
    /// kabao's memory after every scenario.
    pub after_load_memory: Memory,
    /// The scenarios in run order.
    pub scenarios: Vec<ScenarioResult>,
    /// The insert scenarios in run order.
    pub inserts: Vec<InsertResult>,
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
        idle_memory: Memory,
        after_load_memory: Memory,
        scenarios: Vec<ScenarioResult>,
        inserts: Vec<InsertResult>,
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
        mb(self.idle_memory.rss_kb) < IDLE_RSS_BAR_MB
    }

    /// Renders `BENCHMARKS.md`.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        self.write_markdown(&mut md)
            .expect("writing to a String cannot fail");
        md
    }

    fn write_markdown(&self, md: &mut String) -> std::fmt::Result {
        let date = self.generated_at.replacen('T', " ", 1);
        let date = date
            .split('.')
            .next()
            .unwrap_or(&date)
            .trim_end_matches('Z');
        writeln!(md, "# kabao benchmarks\n")?;
        writeln!(
            md,
            "Written by `kabao-bench` on {date} UTC, commit `{}`, `{}`. Every number below \
             was measured in that one run; rerun the bench to refresh this file rather than \
             editing it.\n",
            self.commit.as_deref().unwrap_or("unknown"),
            self.kabao_version
        )?;

        writeln!(md, "## Bars\n")?;
        writeln!(md, "| bar | target | measured | result |")?;
        writeln!(md, "| --- | --- | --- | --- |")?;
        let ratios = self
            .signed_ratios()
            .iter()
            .map(|(c, r)| format!("{r:.2}× at {c} conn"))
            .collect::<Vec<_>>()
            .join(", ");
        let (ratios, cpu_verdict) = if ratios.is_empty() {
            ("not run".to_owned(), "—")
        } else {
            (ratios, verdict(self.cpu_bar_met()))
        };
        writeln!(
            md,
            "| kabao CPU per signed request (`GET /v3/certificates`) ÷ one RSA verify + one RSA sign | ≤ {CPU_RATIO_BAR:.2}× at every connection count | {ratios} | {cpu_verdict} |"
        )?;
        let (rate, rate_verdict) = match self.best_insert() {
            Some(best) => {
                let errors: u64 = self
                    .inserts
                    .iter()
                    .map(|s| s.errors + s.warmup_errors)
                    .sum();
                (
                    format!(
                        "{}/s at {} conn (best), {errors} errors",
                        thousands(best.inserts_per_sec),
                        best.connections
                    ),
                    verdict(self.insert_bar_met()),
                )
            }
            None => ("not run".to_owned(), "—"),
        };
        writeln!(
            md,
            "| accepted `POST /card/invoice/insert`s per second, each a new card committed to SQLite before its answer | ≥ {} at some connection count, no errors | {rate} | {rate_verdict} |",
            thousands(INSERT_RATE_BAR)
        )?;
        writeln!(
            md,
            "| idle memory (kabao RSS after start and provisioning) | < {IDLE_RSS_BAR_MB:.0} MB | {:.1} MB | {} |\n",
            mb(self.idle_memory.rss_kb),
            verdict(self.memory_bar_met())
        )?;

        if !self.scenarios.is_empty() {
            self.write_throughput(md)?;
        }
        if !self.inserts.is_empty() {
            self.write_inserts(md)?;
        }
        if !self.floors.is_empty() {
            self.write_floors(md)?;
        }
        self.write_rest(md)
    }

    fn write_throughput(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Throughput and latency\n")?;
        writeln!(
            md,
            "| endpoint | connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | kabao CPU/req µs | kabao cores busy | bench CPU/req µs | steal % |"
        )?;
        writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in &self.scenarios {
            let ms = |us: f64| format!("{:.3}", us / 1000.0);
            writeln!(
                md,
                "| `{}` | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.1} |",
                s.endpoint.label(),
                s.connections,
                s.requests,
                s.errors,
                s.requests_per_sec,
                ms(s.latency.p50_us),
                ms(s.latency.p90_us),
                ms(s.latency.p99_us),
                ms(s.latency.p999_us),
                ms(s.latency.max_us),
                s.kabao_cpu_per_request_us,
                s.kabao_cores_busy,
                s.bench_cpu_per_request_us,
                s.steal_percent
            )?;
        }
        for s in &self.scenarios {
            write_errors(
                md,
                &format!("`{}` at {} conn", s.endpoint.label(), s.connections),
                &s.first_errors,
            )?;
        }
        writeln!(md)
    }

    fn write_inserts(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Card inserts (`{}`)\n", crate::insert::LABEL)?;
        writeln!(
            md,
            "Each request inserts a new invoice card: its own order (getauthurl) authorised \
             by a user, its own unused PDF (setpdf), a unique 20-digit `billing_no` \
             (数电, empty `billing_code`, so no rule warns), sent once; no body is ever sent \
             twice, so no answer is a replay. kabao answers an insert after its group-commit \
             writer has committed the card to SQLite (WAL). The prepared inserts are made \
             over HTTP before each scenario; that setup is timed below and is not part of \
             the measured numbers.\n"
        )?;
        writeln!(
            md,
            "| connections | inserts | errors | inserts/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | kabao CPU/insert µs | kabao cores busy | bench CPU/insert µs | kabao RSS after MB | machine idle % | steal % | measured s | ended by |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        )?;
        let ms = |us: f64| format!("{:.3}", us / 1000.0);
        for s in &self.inserts {
            writeln!(
                md,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {} |",
                s.connections,
                s.inserts,
                s.errors,
                s.inserts_per_sec,
                ms(s.latency.p50_us),
                ms(s.latency.p90_us),
                ms(s.latency.p99_us),
                ms(s.latency.p999_us),
                ms(s.latency.max_us),
                s.kabao_cpu_per_insert_us,
                s.kabao_cores_busy,
                s.bench_cpu_per_insert_us,
                mb(s.memory_after.rss_kb),
                s.idle_percent,
                s.steal_percent,
                s.elapsed_secs,
                if s.pool_ran_out {
                    format!("all {} prepared inserts sent", s.pool)
                } else {
                    "the deadline".to_owned()
                }
            )?;
        }
        for s in &self.inserts {
            write_errors(
                md,
                &format!("inserts at {} conn", s.connections),
                &s.first_errors,
            )?;
            write_errors(
                md,
                &format!("the insert warm-up at {} conn", s.connections),
                &s.warmup_first_errors,
            )?;
        }
        writeln!(md)?;
        writeln!(
            md,
            "kabao's threads in the measured period (`/proc/PID/task/*/schedstat`, threads \
             of one name added up, those that kept at least 1% of a CPU busy; \
             `kabao-card-writ` is the group-commit writer, the one thread that applies every \
             insert, one after another). Of the threads' wall \
             time: on a CPU, runnable but waiting for a CPU, and the rest (sleeping: waiting \
             for work, or blocked, e.g. in `fsync`):\n"
        )?;
        writeln!(
            md,
            "| connections | thread | threads | CPU s | cores busy | µs per insert | on a CPU % | waiting for a CPU % | sleeping or blocked % |"
        )?;
        writeln!(
            md,
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in &self.inserts {
            for t in &s.kabao_threads {
                let wall = s.elapsed_secs * f64::from(t.threads.max(1));
                let share = |secs: f64| 100.0 * secs / wall;
                writeln!(
                    md,
                    "| {} | `{}` | {} | {:.2} | {:.2} | {:.1} | {:.0} | {:.0} | {:.0} |",
                    s.connections,
                    t.name,
                    t.threads,
                    t.cpu_secs,
                    t.cpu_secs / s.elapsed_secs,
                    t.cpu_secs * 1e6 / s.inserts.max(1) as f64,
                    share(t.cpu_secs),
                    share(t.runqueue_secs),
                    (100.0 - share(t.cpu_secs) - share(t.runqueue_secs)).max(0.0)
                )?;
            }
        }
        writeln!(md)?;
        writeln!(md, "Setup and warm-up (not measured):\n")?;
        writeln!(
            md,
            "| connections | inserts prepared | setup s | prepared/s | authorisations retried after HTTP 500 | then until kabao idle s | warm-up inserts | warm-up errors |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in &self.inserts {
            let idle = if s.setup.idle_reached {
                format!("{:.1}", s.setup.idle_wait_secs)
            } else {
                format!("{:.1} (never idle)", s.setup.idle_wait_secs)
            };
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.0} | {} | {idle} | {} | {} |",
                s.connections,
                s.setup.orders,
                s.setup.secs,
                s.setup.orders as f64 / s.setup.secs.max(1e-9),
                s.setup.authorize_retries,
                s.warmup_inserts,
                s.warmup_errors
            )?;
        }
        writeln!(
            md,
            "\nSetup per insert, {} chains in flight, each on its own keep-alive connection: \
             `POST /card/invoice/platform/setpdf` (one multipart PDF), \
             `POST /card/invoice/getauthurl` with the merchant's token and `wx_card` ticket, \
             and the user's authorisation through the control API \
             (`POST /_kabao/api/oa/authorizations`, at most {} at once), spread over {} \
             users of the merchant. Prepared per connection count: one insert for the check, \
             up to {} for the warm-up (which ends after {} s or when they are used up) and {} \
             for the measured period. Authorisations queue event pushes (the merchant has no \
             push URL), which kabao works off in the background, so the load starts only once \
             kabao has used under 5% of a CPU for two 250 ms windows in a row. kabao answers \
             some concurrent authorisations with HTTP 500 (`database is locked`: the \
             authorisation reads the order and then writes in one deferred SQLite transaction, \
             which another writer can overtake); the bench sends those again and counts \
             them.\n",
            self.settings.setup_concurrency,
            self.settings.authorize_concurrency,
            crate::oa_setup::USERS,
            self.settings.insert_warmup_orders,
            self.settings.warmup_secs,
            self.settings.insert_orders
        )
    }

    fn write_floors(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## CPU per signed request against the crypto floor\n")?;
        let clock = if self.floors.iter().all(|f| f.floor.thread_cpu_clock) {
            "on-CPU time of each measuring thread"
        } else {
            "wall-clock time (no /proc/thread-self/schedstat)"
        };
        writeln!(
            md,
            "The floor: one RSA-2048 PKCS#1 v1.5 SHA-256 verify plus one sign over {} bytes, \
             with `kabao-protocol` (aws-lc-rs) as kabao uses it, {} timed iterations per \
             thread in the bench process while kabao was idle; {clock}. Each signed scenario \
             is compared with the mean of the floors measured right before and right after \
             it. The every-CPU-busy floor runs one thread per CPU at once, as the machine \
             runs when the load saturates it; it is shown, not used for the bar.\n",
            crate::crypto_floor::MESSAGE_BYTES,
            self.settings.floor_iterations
        )?;
        writeln!(
            md,
            "| floor | threads | verify µs | sign µs | verify + sign µs | verify + sign, wall µs | kabao CPU meanwhile ms | steal % |"
        )?;
        writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for run in &self.floors {
            let f = &run.floor;
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.1} |",
                run.label,
                f.threads,
                f.verify_us,
                f.sign_us,
                f.pair_us,
                f.pair_wall_us,
                run.kabao_cpu_ms,
                run.steal_percent
            )?;
        }
        writeln!(
            md,
            "| **mean of the one-thread floors** | 1 | | | **{:.1}** | | | |\n",
            self.floor_pair_us
        )?;
        let busy = self.busy_floor_pair_us;
        write!(
            md,
            "| connections | kabao CPU per signed request µs | floor (before + after) / 2 µs | above the floor µs | ÷ floor | result (≤ {CPU_RATIO_BAR:.2}×) |"
        )?;
        writeln!(
            md,
            "{}",
            if busy.is_some() {
                " ÷ every-CPU-busy floor |"
            } else {
                ""
            }
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | --- |{}",
            if busy.is_some() { " ---: |" } else { "" }
        )?;
        for s in &self.scenarios {
            let (Some(floor), Some(ratio)) = (s.floor_pair_us, s.floor_ratio) else {
                continue;
            };
            write!(
                md,
                "| {} | {:.1} | {floor:.1} | {:.1} | {ratio:.2}× | {} |",
                s.connections,
                s.kabao_cpu_per_request_us,
                s.kabao_cpu_per_request_us - floor,
                verdict(ratio <= CPU_RATIO_BAR)
            )?;
            match busy {
                Some(b) => writeln!(md, " {:.2}× |", s.kabao_cpu_per_request_us / b)?,
                None => writeln!(md)?,
            }
        }
        writeln!(md)
    }

    fn write_rest(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Memory\n")?;
        writeln!(md, "| kabao | MB | threads |")?;
        writeln!(md, "| --- | ---: | ---: |")?;
        writeln!(
            md,
            "| idle RSS (after start and provisioning, before load) | {:.1} | {} |",
            mb(self.idle_memory.rss_kb),
            self.idle_memory.threads
        )?;
        writeln!(
            md,
            "| RSS after the load | {:.1} | {} |",
            mb(self.after_load_memory.rss_kb),
            self.after_load_memory.threads
        )?;
        writeln!(
            md,
            "| peak RSS over the whole run (VmHWM) | {:.1} | |\n",
            mb(self.after_load_memory.peak_rss_kb)
        )?;

        writeln!(md, "## Checks\n")?;
        writeln!(
            md,
            "Before each scenario the bench sent one request and checked the answer fully:\n"
        )?;
        for endpoint in Endpoint::ALL {
            if let Some(s) = self.scenarios.iter().find(|s| s.endpoint == endpoint) {
                writeln!(md, "- `{}`: {}", endpoint.label(), s.check)?;
            }
        }
        for s in &self.inserts {
            writeln!(
                md,
                "- `{}` at {} conn: {}",
                crate::insert::LABEL,
                s.connections,
                s.check
            )?;
        }
        writeln!(
            md,
            "\nDuring the load every answer had to be HTTP 200 with a success body \
             (`\"data\"` for certificates, `\"access_token\"` for tokens, `errcode` 0 with a \
             card `code` for inserts, since Official Account errors are HTTP 200 too); \
             anything else counts as an error."
        )?;
        if !self.inserts.is_empty() {
            writeln!(
                md,
                "\nAfter each insert scenario the bench checked the card codes of the accepted \
                 inserts (warm-up and measured):\n"
            )?;
            for s in &self.inserts {
                writeln!(md, "- {} conn: {}", s.connections, s.verified)?;
            }
        }
        writeln!(md)?;

        let m = &self.machine;
        writeln!(md, "## Run\n")?;
        writeln!(
            md,
            "- Machine: {}, {} CPU{}{}, {:.1} GB memory, Linux {}.",
            m.cpu,
            m.cores,
            if m.cores == 1 { "" } else { "s" },
            if m.virtual_machine {
                " (virtual machine)"
            } else {
                ""
            },
            m.memory_total_kb as f64 * 1024.0 / 1e9,
            m.kernel
        )?;
        let extra = if self.settings.kabao_flags.is_empty() {
            String::new()
        } else {
            format!(" {}", self.settings.kabao_flags.join(" "))
        };
        writeln!(
            md,
            "- kabao: the release binary, started as `kabao serve --bind 127.0.0.1:0 \
             --database-url sqlite://<temporary folder>/kabao.db --no-demo --admin-token <random> \
             --token-daily-limit 1000000000{extra}`; every other setting is the default. One \
             merchant (generated API certificate) and one app are provisioned through the \
             control API{}.",
            if self.inserts.is_empty() {
                ""
            } else {
                "; the insert scenarios add an invoicing platform and a merchant app with \
                 its users (see their section)"
            }
        )?;
        writeln!(
            md,
            "- Load: {} s measured per scenario after {} s of the same load unmeasured. Each \
             connection is one keep-alive HTTP/1.1 connection that sends its next request \
             when the previous answer is complete (a closed loop), so at high connection \
             counts latency includes queueing inside kabao.",
            self.settings.duration_secs, self.settings.warmup_secs
        )?;
        writeln!(
            md,
            "- Load generator: one thread (a current-thread tokio runtime, hyper's HTTP/1.1 \
             client) on the same machine, sharing its {} CPUs with kabao; its CPU per \
             request is in the table. Certificates requests cycle through {SIGNED_POOL} \
             `Authorization` headers (distinct nonces) signed just before each scenario, so \
             the generator does no RSA while measuring.",
            m.cores
        )?;
        writeln!(
            md,
            "- CPU time: `utime + stime` of `/proc/PID/stat` (all threads) before and after \
             each measured period, at {} ticks per second.\n",
            self.settings.clock_ticks_per_sec
        )?;

        writeln!(md, "## What the numbers mean\n")?;
        for line in [
            "**req/s**: successful requests divided by the measured seconds.",
            "**p50 … max**: time from writing a request to reading the last byte of its answer, successful requests only; nearest-rank percentiles.",
            "**errors**: answers that were not HTTP 200 with a success body, and transport failures. A sound run has none.",
            "**kabao CPU/req**: CPU time kabao (every thread: HTTP, routing, store, crypto, logging) used during the measured period, divided by the successful requests.",
            "**kabao cores busy**: kabao's CPU seconds per wall second; with the generator on the same machine kabao can use at most the CPUs it leaves free.",
            "**bench CPU/req**: the same for the load generator.",
            "**steal %**: the share of the machine's CPU time the hypervisor gave to something else (`/proc/stat`); on a virtual machine it makes numbers noisier.",
            "**crypto floor**: what a signed request cannot avoid: verifying the caller's RSA signature and signing the answer. The ratio to it says how much everything else costs; 1.00× would be nothing else at all. `/v3/certificates` additionally encrypts the platform certificate with AES-256-GCM.",
            "**`GET /cgi-bin/token`** stores a new token and counts the call on every request, as the real service does, so each of its scenarios runs against the tokens the ones before it stored.",
            "**inserts/s**: accepted inserts (`errcode` 0 with a card code, each a new card) divided by the measured seconds, which end at the deadline or when the prepared inserts are used up. **kabao CPU/insert** and **bench CPU/insert** are per accepted insert. **RSS after** is kabao's `VmRSS` right after the measured period.",
            "**idle RSS**: kabao's resident memory (`VmRSS`) once started and provisioned, before any load. **Peak RSS** is `VmHWM`, the most it held at any moment of the run. MB are 10⁶ bytes.",
        ] {
            writeln!(md, "- {line}")?;
        }
        writeln!(md)?;

        writeln!(md, "## How to reproduce\n")?;
        let connections = self
            .settings
            .connections
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",");
        writeln!(md, "```sh")?;
        writeln!(md, "cargo build --release -p kabao-server -p kabao-bench")?;
        let scenarios = self
            .settings
            .scenarios
            .iter()
            .map(|s| match s {
                Scenario::Certificates => "certificates",
                Scenario::Token => "token",
                Scenario::Insert => "insert",
            })
            .collect::<Vec<_>>()
            .join(",");
        writeln!(
            md,
            "target/release/kabao-bench --scenarios {scenarios} --duration-secs {} --warmup-secs {} \
             --connections {connections} --floor-iterations {} --insert-orders {} \
             --insert-warmup-orders {} --setup-concurrency {} --authorize-concurrency {}",
            self.settings.duration_secs,
            self.settings.warmup_secs,
            self.settings.floor_iterations,
            self.settings.insert_orders,
            self.settings.insert_warmup_orders,
            self.settings.setup_concurrency,
            self.settings.authorize_concurrency
        )?;
        writeln!(md, "```\n")?;
        writeln!(
            md,
            "`cargo run --release -p kabao-bench` does the same with the defaults (and builds \
             kabao when `target/release/kabao` is missing). `--kabao PATH` benchmarks another \
             binary, `--out` names the report, `--json PATH` also writes the raw results, \
             `--scenarios insert` runs only the inserts. Run it from the workspace root on an \
             otherwise idle machine."
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floor_run(label: &str, threads: usize, pair_us: f64) -> FloorRun {
        FloorRun {
            label: label.into(),
            floor: Floor {
                threads,
                iterations: 10,
                pair_us,
                pair_wall_us: pair_us,
                verify_us: 40.0,
                sign_us: pair_us - 40.0,
                thread_cpu_clock: true,
            },
            kabao_cpu_ms: 0.0,
            steal_percent: 0.0,
        }
    }

    fn scenario(endpoint: Endpoint, connections: usize, kabao_cpu_ms: u64) -> ScenarioResult {
        let outcome = Outcome {
            latencies_ns: vec![1_000_000; 1000],
            elapsed: Duration::from_secs(1),
            ..Outcome::default()
        };
        let cpu = [
            Duration::from_millis(kabao_cpu_ms),
            Duration::from_millis(50),
        ];
        ScenarioResult::new(endpoint, connections, "checked".into(), outcome, cpu, 0.0)
    }

    fn insert(connections: usize, inserts: usize, errors: u64) -> InsertResult {
        let memory = Memory {
            rss_kb: 30_000,
            peak_rss_kb: 30_000,
            threads: 8,
        };
        let outcome = Outcome {
            latencies_ns: (1..=inserts as u64).map(|i| i * 1_000).collect(),
            errors,
            first_errors: (0..errors.min(5))
                .map(|i| format!("200 {{\"errcode\":72031,\"n\":{i}}}"))
                .collect(),
            exhausted: true,
            elapsed: Duration::from_millis(500),
        };
        let setup = InsertSetup {
            orders: inserts + 11,
            secs: 10.0,
            idle_wait_secs: 0.5,
            idle_reached: true,
            authorize_retries: 3,
        };
        let mut result = InsertResult::new(
            connections,
            inserts,
            outcome,
            [Duration::from_millis(400), Duration::from_millis(100)],
            0.0,
            memory,
            setup,
            Outcome::default(),
            "checked".into(),
            "verified".into(),
        );
        let t = |name: &str, threads, cpu, runqueue| ThreadTimes {
            name: name.into(),
            threads,
            cpu: Duration::from_millis(cpu),
            runqueue: Duration::from_millis(runqueue),
        };
        result.set_threads(&[
            t("tokio-rt-worker", 2, 150, 100),
            t("kabao-card-writ", 1, 250, 50),
            t("idle", 1, 0, 0),
            t("nearly idle", 8, 4, 0),
        ]);
        result
    }

    fn report(kabao_cpu_ms: u64, idle_rss_kb: u64) -> Report {
        report_with(kabao_cpu_ms, idle_rss_kb, vec![insert(64, 10_000, 0)])
    }

    fn report_with(kabao_cpu_ms: u64, idle_rss_kb: u64, inserts: Vec<InsertResult>) -> Report {
        let mut signed = scenario(Endpoint::Certificates, 8, kabao_cpu_ms);
        signed.set_floor(1000.0); // its own floors; the one-thread floors below average 1066.7
        let memory = Memory {
            rss_kb: idle_rss_kb,
            peak_rss_kb: idle_rss_kb,
            threads: 4,
        };
        Report::new(
            time::OffsetDateTime::UNIX_EPOCH,
            Settings {
                duration_secs: 1,
                warmup_secs: 0,
                connections: vec![8],
                floor_iterations: 10,
                clock_ticks_per_sec: 100,
                kabao_flags: vec![],
                scenarios: vec![Scenario::Certificates, Scenario::Token, Scenario::Insert],
                insert_orders: 10_000,
                insert_warmup_orders: 10,
                setup_concurrency: 48,
                authorize_concurrency: 4,
            },
            Machine {
                cpu: "test".into(),
                cores: 2,
                memory_total_kb: 1 << 20,
                kernel: "6".into(),
                virtual_machine: false,
            },
            Some("abc1234".into()),
            "kabao 0.1.0".into(),
            vec![
                floor_run("before", 1, 990.0),
                floor_run("after", 1, 1010.0),
                floor_run("later", 1, 1200.0),
                floor_run("every CPU busy", 2, 1100.0),
            ],
            memory,
            memory,
            vec![signed, scenario(Endpoint::Token, 8, 500)],
            inserts,
        )
    }

    #[test]
    fn per_request_figures_come_from_the_outcome() {
        let s = scenario(Endpoint::Token, 1, 500);
        assert_eq!(s.requests, 1000);
        assert!((s.requests_per_sec - 1000.0).abs() < 1e-9);
        assert!((s.kabao_cpu_per_request_us - 500.0).abs() < 1e-9);
        assert!((s.bench_cpu_per_request_us - 50.0).abs() < 1e-9);
        assert_eq!(s.floor_ratio, None);
    }

    #[test]
    fn the_cpu_bar_compares_each_signed_scenario_with_its_floor() {
        let within = report(1200, 20_000);
        assert_eq!(within.signed_ratios(), vec![(8, 1.2)]);
        assert!(within.cpu_bar_met());
        assert!((within.floor_pair_us - 3200.0 / 3.0).abs() < 1e-9);
        assert_eq!(within.busy_floor_pair_us, Some(1100.0));
        assert!(!report(1300, 20_000).cpu_bar_met());
    }

    #[test]
    fn insert_figures_are_per_accepted_insert() {
        let s = insert(8, 10_000, 0);
        assert_eq!(s.inserts, 10_000);
        assert!((s.inserts_per_sec - 20_000.0).abs() < 1e-6);
        assert!((s.kabao_cpu_per_insert_us - 40.0).abs() < 1e-9);
        assert!((s.bench_cpu_per_insert_us - 10.0).abs() < 1e-9);
        assert!(s.pool_ran_out);
        let names: Vec<_> = s.kabao_threads.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["kabao-card-writ", "tokio-rt-worker"]);
    }

    #[test]
    fn the_insert_bar_needs_the_rate_and_no_error() {
        assert!(report(1200, 20_000).insert_bar_met());
        let slow = report_with(
            1200,
            20_000,
            vec![insert(1, 2_000, 0), insert(64, 9_999, 0)],
        );
        assert_eq!(slow.best_insert().map(|s| s.connections), Some(64));
        assert!(!slow.insert_bar_met());
        let failing = report_with(1200, 20_000, vec![insert(64, 12_000, 2)]);
        assert!(!failing.insert_bar_met());
        let md = failing.markdown();
        assert!(
            md.contains("24,000/s at 64 conn (best), 2 errors | MISS |"),
            "{md}"
        );
        assert!(md.contains("First errors of inserts at 64 conn:"), "{md}");
        assert!(md.contains("\"errcode\":72031,\"n\":1"), "{md}");
        assert!(!report_with(1200, 20_000, vec![]).insert_bar_met());
    }

    #[test]
    fn the_memory_bar_is_in_megabytes() {
        assert!(report(1200, 48_000).memory_bar_met()); // 49.2 MB
        assert!(!report(1200, 49_000).memory_bar_met()); // 50.2 MB
    }

    #[test]
    fn the_markdown_keeps_its_sections_and_verdicts() {
        let md = report(1300, 20_000).markdown();
        for section in [
            "# kabao benchmarks",
            "## Bars",
            "## Throughput and latency",
            "## Card inserts (`POST /card/invoice/insert`)",
            "## CPU per signed request against the crypto floor",
            "## Memory",
            "## Checks",
            "## Run",
            "## What the numbers mean",
            "## How to reproduce",
        ] {
            assert!(md.contains(section), "missing {section}");
        }
        assert!(md.contains("1.30× at 8 conn | MISS |"), "{md}");
        assert!(md.contains("| 20.5 MB | PASS |"), "{md}");
        assert!(md.contains("commit `abc1234`"));
        assert!(
            md.contains("| 64 | `kabao-card-writ` | 1 | 0.25 | 0.50 | 25.0 | 50 | 10 | 40 |"),
            "{md}"
        );
        assert!(
            md.contains("| 64 | `tokio-rt-worker` | 2 | 0.15 | 0.30 | 15.0 | 15 | 10 | 75 |"),
            "{md}"
        );
        assert!(md.contains("all 10000 prepared inserts sent"), "{md}");
    }

    #[test]
    fn scenarios_not_run_are_said_so() {
        let mut r = report_with(1200, 20_000, vec![]);
        r.scenarios.clear();
        r.floors.clear();
        let md = r.markdown();
        assert!(!md.contains("## Throughput and latency"));
        assert!(!md.contains("## Card inserts"));
        assert!(!md.contains("## CPU per signed request"));
        assert!(md.contains("| not run | — |"), "{md}");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(20_000.0), "20,000");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(1_234_567.0), "1,234,567");
    }
}
