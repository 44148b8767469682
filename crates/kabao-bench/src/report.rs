//! The results of one run and their Markdown rendering (`BENCHMARKS.md`).
//! Section titles are stable so later scenarios add rows, not new layouts.

use crate::crypto_floor::Floor;
use crate::load::Outcome;
use crate::machine::Machine;
use crate::procstat::Memory;
use crate::scenario::{Endpoint, SIGNED_POOL};
use crate::stats::Latency;
use serde::Serialize;
use std::fmt::Write as _;
use std::time::Duration;

/// kabao's CPU per signed request may be at most this multiple of one verify + one sign.
pub const CPU_RATIO_BAR: f64 = 1.25;
/// Idle resident memory must stay under this many MB (10⁶ bytes).
pub const IDLE_RSS_BAR_MB: f64 = 50.0;

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
    /// The first failure, if any.
    pub first_error: Option<String>,
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
            first_error: outcome.first_error,
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
}

/// Mean verify+sign CPU time of some floor measurements, µs.
fn mean<'a>(runs: impl Iterator<Item = &'a FloorRun>) -> f64 {
    let (sum, n) = runs.fold((0.0, 0), |(s, n), r| (s + r.floor.pair_us, n + 1));
    sum / f64::from(n.max(1))
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
        writeln!(
            md,
            "| kabao CPU per signed request (`GET /v3/certificates`) ÷ one RSA verify + one RSA sign | ≤ {CPU_RATIO_BAR:.2}× at every connection count | {ratios} | {} |",
            verdict(self.cpu_bar_met())
        )?;
        writeln!(
            md,
            "| idle memory (kabao RSS after start and provisioning) | < {IDLE_RSS_BAR_MB:.0} MB | {:.1} MB | {} |\n",
            mb(self.idle_memory.rss_kb),
            verdict(self.memory_bar_met())
        )?;

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
        let failures: Vec<_> = self
            .scenarios
            .iter()
            .filter_map(|s| Some((s, s.first_error.as_deref()?)))
            .collect();
        for (s, error) in failures {
            writeln!(
                md,
                "\nFirst error of `{}` at {} conn: `{}`",
                s.endpoint.label(),
                s.connections,
                error.replace('`', "'")
            )?;
        }
        writeln!(md)?;

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
        writeln!(md)?;

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
        writeln!(
            md,
            "\nDuring the load every answer had to be HTTP 200 with a success body \
             (`\"data\"` for certificates, `\"access_token\"` for tokens, since Official \
             Account errors are HTTP 200 too); anything else counts as an error.\n"
        )?;

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
             control API."
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
        writeln!(
            md,
            "target/release/kabao-bench --duration-secs {} --warmup-secs {} --connections {connections} --floor-iterations {}",
            self.settings.duration_secs, self.settings.warmup_secs, self.settings.floor_iterations
        )?;
        writeln!(md, "```\n")?;
        writeln!(
            md,
            "`cargo run --release -p kabao-bench` does the same with the defaults (and builds \
             kabao when `target/release/kabao` is missing). `--kabao PATH` benchmarks another \
             binary, `--out` names the report, `--json PATH` also writes the raw results. Run \
             it from the workspace root on an otherwise idle machine."
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

    fn report(kabao_cpu_ms: u64, idle_rss_kb: u64) -> Report {
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
    }
}
