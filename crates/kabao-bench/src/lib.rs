//! kabao-bench: starts a release-built kabao, drives `GET /v3/certificates`
//! (pre-signed requests), `GET /cgi-bin/token` and `POST /card/invoice/insert`
//! (each insert a new card on its own authorised order and PDF, prepared
//! over HTTP before the load) at several connection counts, and writes
//! requests/s, latency percentiles, kabao's CPU time per request and memory,
//! next to the cost of one RSA verify + one RSA sign measured in the same
//! run, to `BENCHMARKS.md`.
//!
//! Every figure in the report comes from the run that wrote it; the bars are
//! reported as met or missed, never asserted.

pub mod crypto_floor;
pub mod http;
pub mod insert;
pub mod load;
pub mod machine;
pub mod oa_setup;
pub mod procstat;
pub mod report;
pub mod scenario;
pub mod server;
pub mod stats;

use anyhow::{bail, Context as _};
use clap::Parser;
use insert::InsertLoad;
use oa_setup::OaWorld;
use procstat::TicksPerSecond;
use report::{FloorRun, InsertResult, InsertSetup, Report, ScenarioResult, Settings};
use scenario::{Endpoint, Workload};
use server::Kabao;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// Where `cargo build --release -p kabao-server` puts kabao.
pub const DEFAULT_KABAO: &str = "target/release/kabao";

/// The scenarios `--scenarios` can pick, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scenario {
    /// `GET /v3/certificates`, signed, against the crypto floor.
    Certificates,
    /// `GET /cgi-bin/token`.
    Token,
    /// `POST /card/invoice/insert`, each insert a new card.
    Insert,
}

impl Scenario {
    /// The endpoint of a request/response scenario (`None` for inserts).
    fn endpoint(self) -> Option<Endpoint> {
        match self {
            Scenario::Certificates => Some(Endpoint::Certificates),
            Scenario::Token => Some(Endpoint::Token),
            Scenario::Insert => None,
        }
    }
}

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
    /// Scenarios to run, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "certificates,token,insert"
    )]
    pub scenarios: Vec<Scenario>,
    /// Inserts prepared for each measured insert scenario; the measurement
    /// stops early (never fails) when they are used up before --duration-secs.
    #[arg(long, default_value_t = 100_000)]
    pub insert_orders: usize,
    /// Inserts prepared for each insert warm-up, which ends after
    /// --warmup-secs or when they are used up.
    #[arg(long, default_value_t = 3_000)]
    pub insert_warmup_orders: usize,
    /// Setup chains (setpdf, getauthurl, authorisation) in flight while preparing inserts.
    #[arg(long, default_value_t = 48)]
    pub setup_concurrency: usize,
    /// Of those, authorisations in flight at once.
    #[arg(long, default_value_t = 4)]
    pub authorize_concurrency: usize,
}

/// Runs the benchmark on a single-threaded runtime (the load generator shares the machine with kabao).
pub fn run(args: Args) -> anyhow::Result<()> {
    if args.connections.is_empty() || args.connections.contains(&0) {
        bail!("--connections needs positive counts");
    }
    if args.duration_secs == 0 {
        bail!("--duration-secs must be positive");
    }
    if args.scenarios.is_empty() {
        bail!("--scenarios needs at least one scenario");
    }
    if args.scenarios.contains(&Scenario::Insert) && args.insert_orders == 0 {
        bail!("--insert-orders must be positive");
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
    let endpoints = Endpoint::ALL
        .into_iter()
        .filter(|e| args.scenarios.iter().any(|s| s.endpoint() == Some(*e)));
    for endpoint in endpoints {
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
    let inserts = if args.scenarios.contains(&Scenario::Insert) {
        insert_scenarios(&kabao, ticks, &args).await?
    } else {
        Vec::new()
    };
    let after_memory = procstat::memory(kabao.pid())?;
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if cores > 1 && !floors.is_empty() {
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
            scenarios: args.scenarios.clone(),
            insert_orders: args.insert_orders,
            insert_warmup_orders: args.insert_warmup_orders,
            setup_concurrency: args.setup_concurrency,
            authorize_concurrency: args.authorize_concurrency,
        },
        machine::Machine::detect(),
        machine::git_commit(),
        machine::kabao_version(&args.kabao),
        floors,
        idle_memory,
        after_memory,
        scenarios,
        inserts,
    );
    std::fs::write(&args.out, report.markdown())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let errors: u64 = report.scenarios.iter().map(|s| s.errors).sum::<u64>()
        + report
            .inserts
            .iter()
            .map(|s| s.errors + s.warmup_errors)
            .sum::<u64>();
    if errors > 0 {
        bail!("{errors} requests failed; see {}", args.out.display());
    }
    Ok(())
}

/// At each connection count: prepares the inserts over HTTP (timed, not
/// measured), waits for kabao to be idle, checks one insert fully, warms up,
/// then measures until the deadline or until the prepared inserts are used up.
async fn insert_scenarios(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    args: &Args,
) -> anyhow::Result<Vec<InsertResult>> {
    let duration = Duration::from_secs(args.duration_secs);
    let warmup = Duration::from_secs(args.warmup_secs);
    let warmup_orders = if warmup.is_zero() {
        0
    } else {
        args.insert_warmup_orders
    };
    let world = Arc::new(OaWorld::provision(kabao).await?);
    let mut number = 0u64;
    let mut results = Vec::new();
    for &connections in &args.connections {
        let count = 1 + warmup_orders + args.insert_orders;
        eprintln!(
            "{} {connections:>3} conn: preparing {count} inserts (setpdf, getauthurl, authorisation) with {} in flight",
            insert::LABEL,
            args.setup_concurrency
        );
        let prepared = world
            .prepare(
                kabao.addr,
                number,
                count,
                args.setup_concurrency,
                args.authorize_concurrency,
            )
            .await
            .map_err(|e| e.context(format!("kabao's log ends with:\n{}", log_tail(kabao, 20))))?;
        number += count as u64;
        let (idle_wait, idle) =
            oa_setup::wait_until_idle(kabao.pid(), ticks, Duration::from_secs(300)).await?;
        let setup = InsertSetup {
            orders: count,
            secs: prepared.elapsed.as_secs_f64(),
            idle_wait_secs: idle_wait.as_secs_f64(),
            idle_reached: idle,
            authorize_retries: prepared.authorize_retries,
        };
        eprintln!(
            "  prepared in {:.1} s ({:.0}/s, {} authorisations retried after HTTP 500); kabao idle after {:.1} s more{}",
            setup.secs,
            count as f64 / setup.secs.max(1e-9),
            setup.authorize_retries,
            setup.idle_wait_secs,
            if idle { "" } else { " (not idle: measuring anyway)" }
        );
        let (probe, rest) = prepared
            .inserts
            .split_first()
            .expect("at least one insert is prepared");
        let check = insert::check_one(kabao.addr, &world, probe).await?;
        let (warm, measured) = rest.split_at(warmup_orders);

        let warm_load = Arc::new(InsertLoad::new(&world, warm));
        let warm_outcome = if warm_load.is_empty() {
            load::Outcome::default()
        } else {
            load::run(kabao.addr, warm_load.clone(), connections, warmup).await
        };

        let pool = Arc::new(InsertLoad::new(&world, measured));
        let machine_before = procstat::system_ticks();
        let kabao_before = procstat::process_cpu(kabao.pid(), ticks)?;
        let self_before = procstat::process_cpu(std::process::id(), ticks)?;
        let threads_before = procstat::threads_cpu(kabao.pid(), ticks)?;
        let outcome = load::run(kabao.addr, pool.clone(), connections, duration).await;
        let threads = procstat::threads_cpu_since(
            &threads_before,
            &procstat::threads_cpu(kabao.pid(), ticks)?,
        );
        let kabao_cpu = procstat::process_cpu(kabao.pid(), ticks)? - kabao_before;
        let self_cpu = procstat::process_cpu(std::process::id(), ticks)? - self_before;
        let machine_after = procstat::system_ticks();
        let steal = machine_after.steal_percent_since(machine_before);
        let idle = machine_after.idle_percent_since(machine_before);
        let memory = procstat::memory(kabao.pid())?;

        let mut codes = warm_load.take_codes();
        codes.extend(pool.take_codes());
        let verified = insert::verify_codes(kabao.addr, &world, &codes).await?;
        let mut result = InsertResult::new(
            connections,
            pool.len(),
            outcome,
            [kabao_cpu, self_cpu],
            steal,
            memory,
            setup,
            warm_outcome,
            check,
            verified,
        );
        result.set_threads(&threads);
        result.idle_percent = idle;
        eprintln!(
            "{:<26} {:>3} conn: {:>8.0} inserts/s over {:.1} s{}, p50 {:.2} ms, p99 {:.2} ms, kabao {:.1} µs CPU/insert, {} errors",
            insert::LABEL,
            connections,
            result.inserts_per_sec,
            result.elapsed_secs,
            if result.pool_ran_out { " (prepared inserts used up)" } else { "" },
            result.latency.p50_us / 1000.0,
            result.latency.p99_us / 1000.0,
            result.kabao_cpu_per_insert_us,
            result.errors + result.warmup_errors
        );
        results.push(result);
    }
    Ok(results)
}

/// The last `lines` lines kabao logged.
fn log_tail(kabao: &Kabao, lines: usize) -> String {
    let log = kabao.log_text();
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
