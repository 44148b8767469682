//! kabao-bench: starts a release-built kabao, drives `GET /v3/certificates`
//! (pre-signed requests), `GET /cgi-bin/token` and `POST /card/invoice/insert`
//! (each insert a new card on its own authorised order and PDF, prepared
//! over HTTP before the load) at several connection counts, and writes
//! requests/s, latency percentiles, kabao's CPU time per request and memory,
//! next to the cost of one RSA verify + one RSA sign measured in the same
//! run, to `BENCHMARKS.md`; and `POST /v3/new-tax-control-fapiao/fapiao-applications`
//! (CPU per accepted application against the same floor, and the latency of
//! `FAPIAO.ISSUED` callbacks to a receiver in the bench, and the callbacks
//! it delivers per second when applications come unpaced); and
//! `POST /v3/taxi-invoice/cards` (CPU per accepted card against the same floor).
//! All of that on SQLite with one kabao process; then the same scenarios on
//! PostgreSQL with one and with two kabao processes sharing a fresh
//! database, counting PostgreSQL's CPU next to kabao's. And, side by
//! side, Stoplight Prism (installed with npm for the run) mocking the
//! published `fapiao-applications` spec under the same load ([`prism`]), as
//! kabao's accepted applications/s ÷ Prism's answers/s. It draws the run's
//! throughput and latency as SVG plots ([`plots`]) beside the report.
//!
//! With `perf` at hand it profiles kabao during each load judged against a
//! bar and reports where the time went for those that missed it ([`profile`]).
//!
//! Every figure in the report comes from the run that wrote it; the bars are
//! reported as met or missed, never asserted.

pub mod card_flow;
pub mod cli;
pub mod crypto_floor;
pub mod endpoint_run;
pub mod fapiao;
pub mod fapiao_callbacks;
pub mod fapiao_delivery;
pub mod fapiao_load;
pub mod fapiao_prepare;
pub mod fapiao_world;
mod floor_bracket;
pub mod http;
pub mod insert;
pub mod load;
pub mod machine;
pub mod oa_setup;
pub mod pg_cpu;
pub mod pg_database;
pub mod plots;
pub mod postgres_run;
pub mod prism;
pub mod prism_server;
pub mod procstat;
pub mod profile;
pub mod profile_summary;
#[cfg(test)]
mod profile_tests;
pub mod receiver;
pub mod report;
pub mod scaling;
pub mod scenario;
pub mod server;
pub mod stats;
pub mod synth;
pub mod taxi;
pub mod taxi_prepare;
pub mod taxi_world;

pub use cli::{Args, Scenario, Store, DEFAULT_KABAO};

use anyhow::{bail, Context as _};
use procstat::TicksPerSecond;
use report::{FloorRun, Report, ScenarioResult, Settings};
use server::Kabao;
use std::path::Path;
use std::time::Duration;

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
    if args.scenarios.contains(&Scenario::Fapiao)
        && (args.fapiao_applications == 0
            || args.fapiao_merchants == 0
            || args.fapiao_merchant_rate == 0
            || args.fapiao_callback_applications == 0
            || args.fapiao_callback_connections == 0
            || args.fapiao_callback_rate.is_nan()
            || args.fapiao_callback_rate <= 0.0
            || args.fapiao_delivery_applications == 0
            || args.fapiao_delivery_merchants == 0)
    {
        bail!("the --fapiao-* counts and rates must be positive");
    }
    if args.scenarios.contains(&Scenario::Taxi) && args.taxi_cards == 0 {
        bail!("--taxi-cards must be positive");
    }
    if args.scenarios.contains(&Scenario::Prism) && !args.prism_spec.is_file() {
        bail!(
            "the prism scenario mocks {}, which is not a file (set --prism-spec or KABAO_PRISM_SPEC)",
            args.prism_spec.display()
        );
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

/// Measures the crypto floor on `threads` threads, noting what kabao and the machine did meanwhile.
pub(crate) fn floor(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    label: &str,
    threads: usize,
    iterations: usize,
) -> anyhow::Result<FloorRun> {
    eprintln!("crypto floor, {label}: {iterations} verify+sign pairs on {threads} thread(s)");
    let machine_before = procstat::system_ticks();
    let kabao_before = kabao.cpu(ticks)?;
    let floor = crypto_floor::measure(threads, iterations)?;
    let kabao_cpu = kabao.cpu(ticks)? - kabao_before;
    let steal_percent = procstat::system_ticks().steal_percent_since(machine_before);
    eprintln!("  {:.1} µs per pair", floor.pair_us);
    Ok(FloorRun {
        label: label.to_owned(),
        floor,
        kabao_cpu_ms: kabao_cpu.as_secs_f64() * 1e3,
        steal_percent,
    })
}

/// What the SQLite run measured.
struct SqliteRun {
    floors: Vec<FloorRun>,
    idle_memory: procstat::Memory,
    after_memory: procstat::Memory,
    scenarios: Vec<ScenarioResult>,
    inserts: Vec<report::InsertResult>,
    bills: Vec<report::InsertResult>,
    fapiao: Option<report::FapiaoResults>,
    taxi: Vec<report::TaxiResult>,
}

/// The flags `kabao serve` gets beyond the fixed ones: a pool is signed just
/// before its warm-up (or, for the fapiao callbacks, its paced load); widen
/// kabao's window only when a scenario outlasts the default 300 s.
fn kabao_flags(args: &Args) -> Vec<String> {
    let mut kabao_flags = Vec::new();
    let mut scenario_secs = args.duration_secs + args.warmup_secs;
    if args.scenarios.contains(&Scenario::Fapiao) {
        scenario_secs = scenario_secs.max(args.fapiao_callback_secs());
    }
    if scenario_secs + 60 > 300 {
        kabao_flags.push("--signature-window-secs".to_owned());
        kabao_flags.push((scenario_secs + 120).to_string());
    }
    kabao_flags
}

async fn bench(args: Args) -> anyhow::Result<()> {
    let ticks = TicksPerSecond::detect();
    let started = time::OffsetDateTime::now_utc();
    let kabao_flags = kabao_flags(&args);
    // Installed first, so that a missing npm stops the run before the long scenarios.
    let prism_install = if args.scenarios.contains(&Scenario::Prism) {
        Some(prism_server::install(&args.prism_version)?)
    } else {
        None
    };
    let mut sqlite = if args.stores.contains(&Store::Sqlite) {
        Some(sqlite_run(&args, ticks, &kabao_flags).await?)
    } else {
        None
    };
    let scaling =
        if args.stores.contains(&Store::Sqlite) && args.scenarios.contains(&Scenario::Scaling) {
            Some(scaling::run(&args, ticks, &kabao_flags).await?)
        } else {
            None
        };
    let postgres = if args.stores.contains(&Store::Postgres) {
        Some(postgres_run::run(&args, ticks, &kabao_flags).await)
    } else {
        None
    };
    // Prism runs once kabao has stopped, so each has the machine to itself.
    let prism = match &prism_install {
        Some(install) => Some(prism::run(install, ticks, &args).await?),
        None => None,
    };
    drop(prism_install);

    let bills = sqlite
        .as_mut()
        .map_or_else(Vec::new, |s| std::mem::take(&mut s.bills));
    let (floors, idle_memory, after_memory, scenarios, inserts, fapiao, taxi) = match sqlite {
        Some(s) => (
            s.floors,
            Some(s.idle_memory),
            Some(s.after_memory),
            s.scenarios,
            s.inserts,
            s.fapiao,
            s.taxi,
        ),
        None => (
            Vec::new(),
            None,
            None,
            Vec::new(),
            Vec::new(),
            None,
            Vec::new(),
        ),
    };
    let mut report = Report::new(
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
            fapiao_applications: args.fapiao_applications,
            fapiao_warmup_applications: args.fapiao_warmup_applications,
            fapiao_merchants: args.fapiao_merchants,
            fapiao_merchant_rate: args.fapiao_merchant_rate,
            fapiao_callback_applications: args.fapiao_callback_applications,
            fapiao_callback_connections: args.fapiao_callback_connections,
            fapiao_callback_rate: args.fapiao_callback_rate,
            fapiao_delivery_applications: args.fapiao_delivery_applications,
            fapiao_delivery_merchants: args.fapiao_delivery_merchants,
            taxi_cards: args.taxi_cards,
            taxi_warmup_cards: args.taxi_warmup_cards,
            bill_orders: args.bill_orders,
            profile: args.profile,
            profile_frequency: args.profile_frequency,
        },
        machine::Machine::detect(),
        machine::git_commit(),
        machine::kabao_version(&args.kabao),
        floors,
        idle_memory,
        after_memory,
        scenarios,
        inserts,
        fapiao,
    );
    report.taxi = taxi;
    report.postgres = postgres;
    report.scaling = scaling;
    report.bills = bills;
    report.prism = prism;
    let plots_dir = args
        .plots_dir
        .clone()
        .unwrap_or_else(|| report::charts::default_plots_dir(&args.out));
    report.plots = report::charts::write_plots(&report, &plots_dir, &args.out)?;
    if !report.plots.is_empty() {
        eprintln!(
            "wrote {} plots to {}",
            report.plots.len(),
            plots_dir.display()
        );
    }
    if let Some(parent) = args.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    std::fs::write(&args.out, report.markdown())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    eprintln!("wrote {}", args.out.display());
    if let Some(path) = &args.json {
        std::fs::write(path, serde_json::to_string_pretty(&report)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    let (failed_requests, failed_runs) = (report.failed_requests(), report.failed_runs());
    if failed_requests > 0 || failed_runs > 0 {
        bail!(
            "{failed_requests} requests failed, {failed_runs} PostgreSQL run(s) stopped early; see {}",
            args.out.display()
        );
    }
    Ok(())
}

/// Every scenario asked for on one kabao process with a fresh SQLite database.
async fn sqlite_run(
    args: &Args,
    ticks: TicksPerSecond,
    kabao_flags: &[String],
) -> anyhow::Result<SqliteRun> {
    eprintln!("starting {} on SQLite", args.kabao.display());
    let kabao = Kabao::start_sqlite(&args.kabao, kabao_flags).await?;
    let tenants = kabao.provision().await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_memory = kabao.memory()?;
    eprintln!(
        "kabao {} (pid {:?}) on {}: idle RSS {:.1} MB",
        machine::kabao_version(&args.kabao),
        kabao.pids(),
        kabao.addr,
        report::mb(idle_memory.rss_kb)
    );
    // Each signed scenario is compared with floors measured right before and
    // right after it, so that drift in the machine's speed (a virtual machine's
    // neighbours, clock changes) hits both sides of the ratio alike.
    let iterations = args.floor_iterations;
    let mut floors = Vec::new();
    let scenarios = endpoint_run::run(&kabao, &tenants, ticks, args, &mut floors).await?;
    let inserts = if args.scenarios.contains(&Scenario::Insert) {
        insert::scenarios(&kabao, ticks, args).await?
    } else {
        Vec::new()
    };
    let bills = if args.scenarios.contains(&Scenario::InsertBill) {
        let bill_args = Args {
            insert_orders: args.bill_orders,
            ..args.clone()
        };
        insert::scenarios_of(&kabao, ticks, &bill_args, card_flow::CardFlow::FiscalBill).await?
    } else {
        Vec::new()
    };
    let fapiao = if args.scenarios.contains(&Scenario::Fapiao) {
        Some(fapiao::run(&kabao, &tenants, ticks, args, &mut floors).await?)
    } else {
        None
    };
    let taxi = if args.scenarios.contains(&Scenario::Taxi) {
        taxi::run(&kabao, &tenants, ticks, args, &mut floors).await?
    } else {
        Vec::new()
    };
    let after_memory = kabao.memory()?;
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

    let pids = kabao.pids();
    let exit = kabao.stop()?;
    eprintln!("kabao (pid {pids:?}) stopped: {exit:?}");
    Ok(SqliteRun {
        floors,
        idle_memory,
        after_memory,
        scenarios,
        inserts,
        bills,
        fapiao,
        taxi,
    })
}

/// What an error says before kabao's last log lines.
const LOG_TAIL: &str = "kabao's log ends with:";

/// `e` with kabao's last 20 log lines as context, unless a scenario added
/// them already.
pub(crate) fn with_log_tail(kabao: &Kabao, e: anyhow::Error) -> anyhow::Error {
    if format!("{e:#}").contains(LOG_TAIL) {
        return e;
    }
    e.context(format!("{LOG_TAIL}\n{}", log_tail(kabao, 20)))
}

/// The last `lines` lines kabao logged.
fn log_tail(kabao: &Kabao, lines: usize) -> String {
    let log = kabao.log_text();
    let all: Vec<&str> = log.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
