//! kabao-bench: starts a release-built kabao, drives `GET /v3/certificates`
//! (pre-signed requests) and `GET /cgi-bin/token` at several connection
//! counts, and writes requests/s, latency percentiles, kabao's CPU time per
//! request and memory, next to the cost of one RSA verify + one RSA sign
//! measured in the same run, to `BENCHMARKS.md`.
//!
//! Every figure in the report comes from the run that wrote it; the bars are
//! reported as met or missed, never asserted.

pub mod crypto_floor;
pub mod http;
pub mod load;
pub mod machine;
pub mod procstat;
pub mod report;
pub mod scenario;
pub mod server;
pub mod stats;

use anyhow::{bail, Context as _};
use clap::Parser;
use procstat::TicksPerSecond;
use report::{FloorRun, Report, ScenarioResult, Settings};
use scenario::{Endpoint, Workload};
use server::Kabao;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Where `cargo build --release -p kabao-server` puts kabao.
pub const DEFAULT_KABAO: &str = "target/release/kabao";

/// kabao-bench: measure kabao and write BENCHMARKS.md.
#[derive(Debug, Parser)]
#[command(name = "kabao-bench", version, about)]
pub struct Args {
    /// The kabao binary; the default is built with `cargo build --release -p kabao-server` when missing.
    #[arg(long, default_value = DEFAULT_KABAO)]
    pub kabao: PathBuf,
    /// Measured seconds per scenario.
    #[arg(long, default_value_t = 10)]
    pub duration_secs: u64,
    /// Unmeasured seconds of the same load before each scenario.
    #[arg(long, default_value_t = 2)]
    pub warmup_secs: u64,
    /// Connection counts, comma-separated; every endpoint runs at each.
    #[arg(long, value_delimiter = ',', default_value = "1,8,64")]
    pub connections: Vec<usize>,
    /// Verify+sign pairs timed per crypto-floor measurement (one before the first
    /// signed scenario, one after each, one with every CPU busy).
    #[arg(long, default_value_t = 2000)]
    pub floor_iterations: usize,
    /// The Markdown report.
    #[arg(long, default_value = "BENCHMARKS.md")]
    pub out: PathBuf,
    /// Also write the raw results as JSON here.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Runs the benchmark on a single-threaded runtime (the load generator shares the machine with kabao).
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.connections.is_empty() || args.connections.contains(&0) {
        bail!("--connections needs positive counts");
    }
    if args.duration_secs == 0 {
        bail!("--duration-secs must be positive");
    }
    ensure_built(&args.kabao)?;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(bench(args))
}

/// Builds kabao when the default binary is missing; a missing explicit path is an error.
fn ensure_built(binary: &Path) -> anyhow::Result<()> {
    if binary.exists() {
        return Ok(());
    }
    if binary != Path::new(DEFAULT_KABAO) {
        bail!("{} does not exist", binary.display());
    }
    eprintln!("{DEFAULT_KABAO} is missing; running cargo build --release -p kabao-server");
    let status = std::process::Command::new("cargo")
        .args(["build", "--release", "-p", "kabao-server"])
        .status()
        .context("cannot run cargo")?;
    if !status.success() || !binary.exists() {
        bail!("cargo build --release -p kabao-server failed ({status})");
    }
    Ok(())
}

/// Seconds since the Unix epoch.
fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Checks one answer, warms up, then measures one endpoint at one connection count.
async fn scenario(
    kabao: &Kabao,
    tenants: &server::Tenants,
    ticks: TicksPerSecond,
    endpoint: Endpoint,
    connections: usize,
    warmup: Duration,
    duration: Duration,
) -> anyhow::Result<ScenarioResult> {
    let workload = Arc::new(Workload::new(endpoint, kabao.addr, tenants, unix_now()));
    let check = workload.check_one(kabao.addr, tenants).await?;
    if !warmup.is_zero() {
        load::run(kabao.addr, workload.clone(), connections, warmup).await;
    }
    let machine_before = procstat::system_ticks();
    let kabao_before = procstat::process_cpu(kabao.pid(), ticks)?;
    let self_before = procstat::process_cpu(std::process::id(), ticks)?;
    let outcome = load::run(kabao.addr, workload, connections, duration).await;
    let kabao_cpu = procstat::process_cpu(kabao.pid(), ticks)? - kabao_before;
    let self_cpu = procstat::process_cpu(std::process::id(), ticks)? - self_before;
    let steal = procstat::system_ticks().steal_percent_since(machine_before);
    Ok(ScenarioResult::new(
        endpoint,
        connections,
        check,
        outcome,
        [kabao_cpu, self_cpu],
        steal,
    ))
}

/// Measures the crypto floor on `threads` threads, noting what kabao and the machine did meanwhile.
fn floor(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    label: &str,
    threads: usize,
    iterations: usize,
) -> anyhow::Result<FloorRun> {
    eprintln!("crypto floor, {label}: {iterations} verify+sign pairs on {threads} thread(s)");
    let machine_before = procstat::system_ticks();
    let kabao_before = procstat::process_cpu(kabao.pid(), ticks)?;
    let floor = crypto_floor::measure(threads, iterations)?;
    let kabao_cpu = procstat::process_cpu(kabao.pid(), ticks)? - kabao_before;
    let steal_percent = procstat::system_ticks().steal_percent_since(machine_before);
    eprintln!("  {:.1} µs per pair", floor.pair_us);
    Ok(FloorRun {
        label: label.to_owned(),
        floor,
        kabao_cpu_ms: kabao_cpu.as_secs_f64() * 1e3,
        steal_percent,
    })
}

async fn bench(args: Args) -> anyhow::Result<()> {
    let ticks = TicksPerSecond::detect();
    let started = time::OffsetDateTime::now_utc();
    let duration = Duration::from_secs(args.duration_secs);
    let warmup = Duration::from_secs(args.warmup_secs);

    // A pool is signed just before its warm-up; widen kabao's window only when
    // a scenario outlasts the default 300 s.
    let mut kabao_flags = Vec::new();
    let scenario_secs = args.duration_secs + args.warmup_secs;
    if scenario_secs + 60 > 300 {
        kabao_flags.push("--signature-window-secs".to_owned());
        kabao_flags.push((scenario_secs + 120).to_string());
    }

    eprintln!("starting {}", args.kabao.display());
    let kabao = Kabao::start(&args.kabao, &kabao_flags)?;
    kabao.wait_healthy(Duration::from_secs(30)).await?;
    let tenants = kabao.provision().await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_memory = procstat::memory(kabao.pid())?;
    eprintln!(
        "kabao {} (pid {}) on {}: idle RSS {:.1} MB",
        machine::kabao_version(&args.kabao),
        kabao.pid(),
        kabao.addr,
        report::mb(idle_memory.rss_kb)
    );

    // Each signed scenario is compared with floors measured right before and
    // right after it, so that drift in the machine's speed (a virtual machine's
    // neighbours, clock changes) hits both sides of the ratio alike.
    let iterations = args.floor_iterations;
    let mut floors = Vec::new();
    let mut scenarios = Vec::new();
    for endpoint in Endpoint::ALL {
        let mut previous_floor = None;
        for &connections in &args.connections {
            let name = format!(
                "the {connections}-connection `{}` scenario",
                endpoint.label()
            );
            if endpoint.signed() && previous_floor.is_none() {
                let run = floor(&kabao, ticks, &format!("before {name}"), 1, iterations)?;
                previous_floor = Some(run.floor.pair_us);
                floors.push(run);
            }
            let mut result = scenario(
                &kabao,
                &tenants,
                ticks,
                endpoint,
                connections,
                warmup,
                duration,
            )
            .await?;
            if let Some(before) = previous_floor {
                let run = floor(&kabao, ticks, &format!("after {name}"), 1, iterations)?;
                result.set_floor((before + run.floor.pair_us) / 2.0);
                previous_floor = Some(run.floor.pair_us);
                floors.push(run);
            }
            eprintln!(
                "{:<22} {:>3} conn: {:>8.0} req/s, p99 {:.2} ms, kabao {:.1} µs CPU/req{}, {} errors",
                endpoint.label(),
                connections,
                result.requests_per_sec,
                result.latency.p99_us / 1000.0,
                result.kabao_cpu_per_request_us,
                result
                    .floor_ratio
                    .map(|r| format!(" ({r:.2}× the floor)"))
                    .unwrap_or_default(),
                result.errors
            );
            scenarios.push(result);
        }
    }
    let after_memory = procstat::memory(kabao.pid())?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores > 1 {
        floors.push(floor(
            &kabao,
            ticks,
            "every CPU busy, after the load",
            cores,
            iterations,
        )?);
    }

    let pid = kabao.pid();
    let exit = kabao.stop()?;
    eprintln!("kabao (pid {pid}) stopped: {exit}");

    let report = Report::new(
        started,
        Settings {
            duration_secs: args.duration_secs,
            warmup_secs: args.warmup_secs,
            connections: args.connections.clone(),
            floor_iterations: args.floor_iterations,
            clock_ticks_per_sec: ticks.0,
            kabao_flags,
        },
        machine::Machine::detect(),
        machine::git_commit(),
        machine::kabao_version(&args.kabao),
        floors,
        idle_memory,
        after_memory,
        scenarios,
    );
    std::fs::write(&args.out, report.markdown())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let errors: u64 = report.scenarios.iter().map(|s| s.errors).sum();
    if errors > 0 {
        bail!("{errors} requests failed; see {}", args.out.display());
    }
    Ok(())
}
