//! The scaling scenario: how kabao's CPU per request, memory and file grow
//! with the cards it stores and with the users they belong to.
//!
//! Filling a store with a million cards over HTTP would take the bench
//! longer than the rest of its run, so the store is filled in bulk: the bench
//! builds a small store over HTTP (the insert scenario's world and a few
//! cards), `kabao export`s it, repeats one card's rows with new keys
//! ([`crate::synth`]) into a fresh SQLite store through `kabao import`, then
//! starts kabao on it and measures new inserts on top (their orders and PDFs
//! are part of the fill) and `getinvoiceinfo` reads of random stored cards.

use crate::http::{self, Connection, Reply};
use crate::insert::{self, InsertLoad};
use crate::load::{self, Source};
use crate::oa_setup::{self, OaWorld, PreparedInsert};
use crate::procstat::{threads_cpu_since, TicksPerSecond};
use crate::report::{Fill, LoadFigures, ScalingPoint, ScalingResults};
use crate::server::Kabao;
use crate::synth::{self, Plan, Template};
use crate::Args;
use anyhow::{bail, ensure, Context as _};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use rand::Rng as _;
use serde_json::{json, Value};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cards the template store gets over HTTP (the first is the one repeated).
pub const TEMPLATE_CARDS: usize = 4;
/// Distinct stored cards the read load asks for, in turn.
pub const READ_POOL: usize = 4096;
/// Label of the read endpoint in the report.
pub const READ_LABEL: &str = "POST /card/invoice/reimburse/getinvoiceinfo";

/// The template store, exported, and the world its tokens belong to.
struct TemplateStore {
    template: Template,
    world: OaWorld,
    secs: f64,
}

/// One store to fill and measure.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoreSpec {
    /// Cards stored before the inserts.
    pub cards: u64,
    /// Users they are spread over.
    pub users: usize,
}

/// The stores the arguments ask for: every --scaling-cards size with
/// --scaling-users users, then each --scaling-spread user count at
/// --scaling-spread-cards cards (skipping one the sizes already measure).
pub fn stores(args: &Args) -> Vec<StoreSpec> {
    let mut specs: Vec<StoreSpec> = args
        .scaling_cards
        .iter()
        .map(|&cards| StoreSpec {
            cards,
            users: args.scaling_users,
        })
        .collect();
    for &users in &args.scaling_spread {
        let spec = StoreSpec {
            cards: args.scaling_spread_cards,
            users,
        };
        if !specs.contains(&spec) {
            specs.push(spec);
        }
    }
    specs
}

/// Runs the scenario on every store [`stores`] names.
pub async fn run(
    args: &Args,
    ticks: TicksPerSecond,
    kabao_flags: &[String],
) -> anyhow::Result<ScalingResults> {
    let started = Instant::now();
    let specs = stores(args);
    ensure!(
        specs
            .iter()
            .all(|s| s.cards as usize >= TEMPLATE_CARDS && s.users > 0),
        "every scaling store needs at least {TEMPLATE_CARDS} cards and one user"
    );
    ensure!(
        args.scaling_inserts > 0 && args.scaling_connections > 0,
        "--scaling-inserts and --scaling-connections must be positive"
    );
    let template = template_store(args, ticks, kabao_flags).await?;
    eprintln!(
        "scaling: template store ({} cards over HTTP) exported in {:.1} s",
        template.template.cards(),
        template.secs
    );
    let mut points = Vec::new();
    for spec in specs {
        points.push(measure_store(args, ticks, kabao_flags, &template, spec).await?);
    }
    Ok(ScalingResults {
        connections: args.scaling_connections,
        template_cards: template.template.cards(),
        template_secs: template.secs,
        size_users: args.scaling_users,
        spread_cards: args.scaling_spread_cards,
        points,
        total_secs: started.elapsed().as_secs_f64(),
        flags: flags(args),
    })
}

/// The `--scaling-*` flags that repeat this run's stores.
fn flags(args: &Args) -> String {
    let list = |v: &mut dyn Iterator<Item = String>| v.collect::<Vec<_>>().join(",");
    format!(
        " --scaling-cards {} --scaling-users {} --scaling-spread {} --scaling-spread-cards {} \
         --scaling-inserts {} --scaling-connections {}",
        list(&mut args.scaling_cards.iter().map(u64::to_string)),
        args.scaling_users,
        list(&mut args.scaling_spread.iter().map(usize::to_string)),
        args.scaling_spread_cards,
        args.scaling_inserts,
        args.scaling_connections
    )
}

/// Builds the insert scenario's world and [`TEMPLATE_CARDS`] cards over
/// HTTP, waits for kabao to work off the authorisations' event pushes, and
/// exports the store.
async fn template_store(
    args: &Args,
    ticks: TicksPerSecond,
    kabao_flags: &[String],
) -> anyhow::Result<TemplateStore> {
    let started = Instant::now();
    let kabao = Kabao::start_sqlite(&args.kabao, kabao_flags).await?;
    let world = Arc::new(OaWorld::provision(&kabao).await?);
    let prepared = world.prepare(&kabao.addrs, 0, TEMPLATE_CARDS, 1, 1).await?;
    let pool = Arc::new(InsertLoad::new(&world, &prepared.inserts));
    let outcome = load::run(&kabao.addrs, pool, 1, Duration::from_secs(60)).await;
    ensure!(
        outcome.errors == 0 && outcome.latencies_ns.len() == TEMPLATE_CARDS,
        "the template store's inserts failed: {:?}",
        outcome.first_errors
    );
    oa_setup::wait_until_idle(&kabao, ticks, Duration::from_secs(60)).await?;
    let export = kabao.folder().join("template.jsonl");
    let status = Command::new(&args.kabao)
        .arg("export")
        .args(["--database-url", &sqlite_url(kabao.folder())])
        .args(["--out".as_ref(), export.as_os_str()])
        .stderr(Stdio::null())
        .status()
        .context("cannot run kabao export")?;
    ensure!(status.success(), "kabao export failed: {status}");
    let template = Template::parse(&std::fs::read_to_string(&export)?)?;
    ensure!(
        template.cards() == TEMPLATE_CARDS,
        "the export holds {} cards, not {TEMPLATE_CARDS}",
        template.cards()
    );
    kabao.stop()?;
    Ok(TemplateStore {
        template,
        world: Arc::unwrap_or_clone(world),
        secs: started.elapsed().as_secs_f64(),
    })
}

fn sqlite_url(folder: &Path) -> String {
    format!("sqlite://{}", folder.join("kabao.db").display())
}

/// Synthesizes the store's export and pipes it into `kabao import` on a
/// fresh SQLite file in `folder`.
fn fill(binary: &Path, folder: &Path, template: &Template, plan: Plan) -> anyhow::Result<Fill> {
    let started = Instant::now();
    let mut child = Command::new(binary)
        .arg("import")
        .args(["--database-url", &sqlite_url(folder)])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot run kabao import")?;
    let stdin = child.stdin.take().expect("stdin is piped");
    let mut writer = std::io::BufWriter::with_capacity(1 << 20, stdin);
    let written = synth::write(template, &plan, &mut writer);
    drop(writer);
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!(
            "kabao import failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let written = written?;
    Ok(Fill {
        rows: written.values().sum(),
        secs: started.elapsed().as_secs_f64(),
        pending_orders: plan.pending,
    })
}

/// Fills one store, starts kabao on it and measures inserts and reads.
async fn measure_store(
    args: &Args,
    ticks: TicksPerSecond,
    kabao_flags: &[String],
    template: &TemplateStore,
    spec: StoreSpec,
) -> anyhow::Result<ScalingPoint> {
    let warmup = Duration::from_secs(args.warmup_secs);
    let duration = Duration::from_secs(args.duration_secs);
    let warm_inserts = if warmup.is_zero() {
        0
    } else {
        args.scaling_inserts / 10
    };
    let plan = Plan {
        cards: spec.cards as usize - template.template.cards(),
        users: spec.users,
        pending: 1 + warm_inserts + args.scaling_inserts,
        base_micros: now_micros().saturating_sub(spec.cards + 60_000_000),
    };
    let dir = tempfile::Builder::new().prefix("kabao-scale-").tempdir()?;
    eprintln!(
        "scaling: filling a store with {} cards over {} users (and {} authorised orders for new cards)",
        spec.cards, spec.users, plan.pending
    );
    let binary = args.kabao.clone();
    let (folder, bulk) = (dir.path().to_owned(), template.template.clone());
    let filled = tokio::task::spawn_blocking(move || fill(&binary, &folder, &bulk, plan)).await??;
    eprintln!("  {} rows imported in {:.1} s", filled.rows, filled.secs);
    let start = Instant::now();
    let kabao = Kabao::start_sqlite_in(&args.kabao, dir, kabao_flags).await?;
    let start_secs = start.elapsed().as_secs_f64();
    let world = OaWorld {
        host: http::host_header(kabao.addr),
        admin: HeaderValue::from_str(&format!("Bearer {}", kabao.admin_token))?,
        openids: (0..spec.users).map(synth::openid).collect(),
        ..template.world.clone()
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle_memory = kabao.memory()?;

    let card_id = world.card_id.clone();
    let inserts: Vec<PreparedInsert> = (0..plan.pending)
        .map(|j| {
            let order_id = synth::pending_order_id(j);
            PreparedInsert {
                body: oa_setup::insert_body(
                    &order_id,
                    &card_id,
                    &synth::pending_media_id(j),
                    synth::PENDING_NUMBER_BASE + j as u64,
                ),
                openid: synth::pending_owner(&plan, j),
                order_id,
            }
        })
        .collect();
    let (probe, rest) = inserts.split_first().expect("one pending insert at least");
    let mut checks = vec![insert::check_one(kabao.addr, &world, probe).await?];
    let (warm, measured) = rest.split_at(warm_inserts);
    let connections = args.scaling_connections;
    let warm_load = Arc::new(InsertLoad::new(&world, warm));
    let warm_outcome = if warm.is_empty() {
        load::Outcome::default()
    } else {
        load::run(&kabao.addrs, warm_load.clone(), connections, warmup).await
    };
    let pool = Arc::new(InsertLoad::new(&world, measured));
    let (before, threads) = (kabao.reading(ticks)?, kabao.threads(ticks)?);
    let outcome = load::run(&kabao.addrs, pool.clone(), connections, duration).await;
    let used = kabao.reading(ticks)?.since(&before, ticks);
    let mut insert = LoadFigures::new(outcome, warm_outcome.errors, used.kabao);
    insert.set_threads(&threads_cpu_since(&threads, &kabao.threads(ticks)?));
    insert.set_others(&used, cores());
    let mut codes = warm_load.take_codes();
    codes.extend(pool.take_codes());
    checks.push(insert::verify_codes(kabao.addr, &world, &codes).await?);

    let reads = Arc::new(ReadLoad::new(&world, &plan));
    checks.push(reads.check_one(kabao.addr).await?);
    let warm_reads = if warmup.is_zero() {
        load::Outcome::default()
    } else {
        load::run(&kabao.addrs, reads.clone(), connections, warmup).await
    };
    let (before, threads) = (kabao.reading(ticks)?, kabao.threads(ticks)?);
    let outcome = load::run(&kabao.addrs, reads, connections, duration).await;
    let used = kabao.reading(ticks)?.since(&before, ticks);
    let mut read = LoadFigures::new(outcome, warm_reads.errors, used.kabao);
    read.set_threads(&threads_cpu_since(&threads, &kabao.threads(ticks)?));
    read.set_others(&used, cores());
    let memory_after = kabao.memory()?;
    let (rss_anon_kb, rss_file_kb) = rss_split(&kabao)?;
    let size = |name: &str| std::fs::metadata(kabao.folder().join(name)).map_or(0, |m| m.len());
    let (db_bytes, wal_bytes) = (size("kabao.db"), size("kabao.db-wal"));
    eprintln!(
        "  {} cards, {} users: {:.0} inserts/s at {:.1} µs CPU each; {:.0} reads/s at {:.1} µs CPU each, p99 {:.2} ms; RSS {:.1} MB; file {:.1} MB; {} errors",
        spec.cards,
        spec.users,
        insert.per_sec,
        insert.kabao_cpu_us,
        read.per_sec,
        read.kabao_cpu_us,
        read.latency.p99_us / 1e3,
        crate::report::mb(memory_after.rss_kb),
        (db_bytes + wal_bytes) as f64 / 1e6,
        insert.errors + read.errors
    );
    kabao.stop()?;
    Ok(ScalingPoint {
        cards: spec.cards,
        users: spec.users,
        fill: filled,
        start_secs,
        idle_memory,
        insert,
        read,
        memory_after,
        rss_anon_kb,
        rss_file_kb,
        db_bytes,
        wal_bytes,
        checks,
    })
}

/// kabao's resident memory split into anonymous pages and pages of mapped
/// files (`RssAnon`, `RssFile` of `/proc/PID/status`), kB.
fn rss_split(kabao: &Kabao) -> anyhow::Result<(u64, u64)> {
    let (mut anon, mut file) = (0, 0);
    for pid in kabao.pids() {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        anon += crate::procstat::parse_status_kb(&status, "RssAnon").unwrap_or(0);
        file += crate::procstat::parse_status_kb(&status, "RssFile").unwrap_or(0);
    }
    Ok((anon, file))
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// `getinvoiceinfo` requests for [`READ_POOL`] random synthesized cards,
/// sent in turn with the merchant's token.
struct ReadLoad {
    path: String,
    host: HeaderValue,
    bodies: Vec<Bytes>,
    orders: Vec<String>,
}

impl ReadLoad {
    fn new(world: &OaWorld, plan: &Plan) -> Self {
        let mut rng = rand::thread_rng();
        let (mut bodies, mut orders) = (Vec::new(), Vec::new());
        for _ in 0..READ_POOL {
            let i = rng.gen_range(0..plan.cards.max(1));
            let body = json!({"card_id": world.card_id,
                              "encrypt_code": synth::encrypt_code(plan.base_micros, i)});
            bodies.push(Bytes::from(body.to_string()));
            orders.push(synth::order_id(i));
        }
        Self {
            path: format!(
                "/card/invoice/reimburse/getinvoiceinfo?access_token={}",
                world.merchant_token
            ),
            host: world.host.clone(),
            bodies,
            orders,
        }
    }

    /// Reads the first card of the pool and checks it is the stored one.
    async fn check_one(&self, addr: std::net::SocketAddr) -> anyhow::Result<String> {
        let request = self.next_request(0).expect("the pool is not empty");
        let reply = Connection::open(addr).await?.send(request).await?;
        ensure!(
            self.succeeded(&reply),
            "{READ_LABEL} answered {}: {}",
            reply.status,
            reply.snippet(300)
        );
        let body: Value = serde_json::from_slice(&reply.body)?;
        ensure!(
            body["user_info"]["order_id"] == self.orders[0].as_str()
                && body["user_info"]["pdf_url"].is_string(),
            "{READ_LABEL} did not answer the stored card of order {}: {body}",
            self.orders[0]
        );
        Ok(format!(
            "{READ_LABEL} of a random stored card answered errcode 0 with its order {} and a PDF link",
            self.orders[0]
        ))
    }
}

impl Source for ReadLoad {
    fn next_request(&self, n: usize) -> Option<hyper::Request<Full<Bytes>>> {
        let body = self.bodies[n % self.bodies.len()].clone();
        Some(http::request(
            Method::POST,
            &self.host,
            &self.path,
            None,
            body,
        ))
    }

    fn succeeded(&self, reply: &Reply) -> bool {
        reply.status == StatusCode::OK
            && reply.body.starts_with(b"{")
            && reply
                .body
                .windows(b"\"user_info\"".len())
                .any(|w| w == b"\"user_info\"")
    }
}
