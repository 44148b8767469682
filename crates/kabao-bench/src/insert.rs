//! The `POST /card/invoice/insert` scenario: a pool of prepared inserts
//! (see [`crate::oa_setup`]), each sent once, so every accepted answer is a
//! new card committed by kabao's group-commit writer before it answered.
//! The load stops at the deadline or when the pool is used up, whichever
//! comes first; it never sends a body twice.

use crate::http::{self, Connection, Reply};
use crate::load::{self, Source};
use crate::oa_setup::{self, CardFlow, OaWorld, PreparedInsert};
use crate::procstat::{self, TicksPerSecond};
use crate::profile::Profiler;
use crate::report::{InsertResult, InsertSetup};
use crate::server::Kabao;
use crate::Args;
use anyhow::{ensure, Context as _};
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::HeaderValue;
use hyper::{Method, StatusCode};
use serde::Deserialize;
use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

/// Label of the endpoint in the report.
pub const LABEL: &str = "POST /card/invoice/insert";

/// Cards read back through the control API after each measured run.
pub const READ_BACK: usize = 16;

/// A pool of prepared insert bodies, each handed out once.
pub struct InsertLoad {
    path: String,
    host: HeaderValue,
    bodies: Vec<Bytes>,
    next: AtomicUsize,
    codes: Mutex<Vec<String>>,
}

/// The part of an insert answer the load checks.
#[derive(Deserialize)]
struct Answer {
    errcode: i64,
    #[serde(default)]
    code: Option<String>,
}

impl InsertLoad {
    /// A pool of `inserts`, sent with the platform's token.
    pub fn new(world: &OaWorld, inserts: &[PreparedInsert]) -> Self {
        Self {
            path: format!(
                "{}?access_token={}",
                world.flow.insert_path(),
                world.platform_token
            ),
            host: world.host.clone(),
            bodies: inserts.iter().map(|p| p.body.clone()).collect(),
            next: AtomicUsize::new(0),
            codes: Mutex::new(Vec::with_capacity(inserts.len())),
        }
    }

    /// How many inserts the pool holds.
    pub fn len(&self) -> usize {
        self.bodies.len()
    }

    /// Whether the pool is empty.
    pub fn is_empty(&self) -> bool {
        self.bodies.is_empty()
    }

    /// How many bodies were handed out.
    pub fn sent(&self) -> usize {
        self.next.load(Ordering::Relaxed).min(self.bodies.len())
    }

    /// The card codes of the accepted inserts, in the order their answers came.
    pub fn take_codes(&self) -> Vec<String> {
        std::mem::take(&mut *self.codes.lock().expect("not poisoned"))
    }
}

impl Source for InsertLoad {
    fn next_request(&self, _n: usize) -> Option<hyper::Request<Full<Bytes>>> {
        let i = self.next.fetch_add(1, Ordering::Relaxed);
        let body = self.bodies.get(i)?.clone();
        Some(http::request(
            Method::POST,
            &self.host,
            &self.path,
            None,
            body,
        ))
    }

    /// HTTP 200, `errcode` 0 and a card code; the code is kept.
    fn succeeded(&self, reply: &Reply) -> bool {
        if reply.status != StatusCode::OK {
            return false;
        }
        match serde_json::from_slice::<Answer>(&reply.body) {
            Ok(Answer {
                errcode: 0,
                code: Some(code),
            }) if !code.is_empty() => {
                self.codes.lock().expect("not poisoned").push(code);
                true
            }
            _ => false,
        }
    }
}

/// Inserts `probe` and checks the answer fully: errcode 0, a card code and
/// the authorising user's openid; then sends the same body again and checks
/// that the replay is answered with the same card (it is not counted
/// anywhere); then reads the card back through the control API.
pub async fn check_one(
    addr: SocketAddr,
    world: &OaWorld,
    probe: &PreparedInsert,
) -> anyhow::Result<String> {
    let label = world.flow.label();
    let path = format!(
        "{}?access_token={}",
        world.flow.insert_path(),
        world.platform_token
    );
    let mut connection = Connection::open(addr).await?;
    let first = post_json(&mut connection, world, &path, probe.body.clone()).await?;
    ensure!(
        first["errcode"] == 0 && first["errmsg"] == "ok",
        "{label} refused a prepared insert: {first}"
    );
    let code = first["code"]
        .as_str()
        .filter(|c| !c.is_empty())
        .with_context(|| format!("no card code in {first}"))?
        .to_owned();
    ensure!(
        first["openid"] == probe.openid.as_str(),
        "the card went to {} instead of the authorising user {}",
        first["openid"],
        probe.openid
    );
    let replay = post_json(&mut connection, world, &path, probe.body.clone()).await?;
    ensure!(
        replay["errcode"] == 0 && replay["code"] == code.as_str(),
        "an exact replay was not answered with the first card {code}: {replay}"
    );
    let card = read_card(addr, world, &code).await?;
    ensure!(
        card["order_id"] == probe.order_id.as_str() && card["openid"] == probe.openid.as_str(),
        "card {code} as the control API shows it is not the one inserted: {card}"
    );
    Ok(format!(
        "errcode 0 with card code {code} for the authorising user; an exact replay was \
         answered with the same code; the card read back through the control API with its \
         order and owner"
    ))
}

/// POSTs `body` to `path` and parses the HTTP 200 answer.
async fn post_json(
    connection: &mut Connection,
    world: &OaWorld,
    path: &str,
    body: Bytes,
) -> anyhow::Result<Value> {
    let request = http::request(Method::POST, &world.host, path, None, body);
    let reply = connection.send(request).await?;
    ensure!(
        reply.status == StatusCode::OK,
        "{} answered {}: {}",
        world.flow.label(),
        reply.status,
        reply.snippet(300)
    );
    serde_json::from_slice(&reply.body).context("the insert answer is not JSON")
}

/// `GET /_kabao/api/cards/{code}`.
async fn read_card(addr: SocketAddr, world: &OaWorld, code: &str) -> anyhow::Result<Value> {
    let request = http::request(
        Method::GET,
        &world.host,
        &format!("/_kabao/api/cards/{code}"),
        Some(world.admin.clone()),
        Bytes::new(),
    );
    let reply = Connection::open(addr).await?.send(request).await?;
    ensure!(
        reply.status == StatusCode::OK,
        "card {code} of an accepted insert cannot be read back: {} {}",
        reply.status,
        reply.snippet(300)
    );
    serde_json::from_slice(&reply.body).context("the card is not JSON")
}

/// Checks that the accepted inserts' `codes` are all different (no answer
/// was a replay) and reads [`READ_BACK`] of them, spread over the run, back
/// from kabao's store. Returns a sentence for the report.
pub async fn verify_codes(
    addr: SocketAddr,
    world: &OaWorld,
    codes: &[String],
) -> anyhow::Result<String> {
    let mut sorted: Vec<&str> = codes.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    ensure!(
        sorted.len() == codes.len(),
        "{} accepted inserts answered only {} distinct card codes",
        codes.len(),
        sorted.len()
    );
    let step = (codes.len() / READ_BACK).max(1);
    let mut read = 0;
    for code in codes.iter().step_by(step).take(READ_BACK) {
        let card = read_card(addr, world, code).await?;
        ensure!(
            card["appid"] == world.flow.holder().0,
            "card {code} is not the holder's: {card}"
        );
        read += 1;
    }
    Ok(format!(
        "{} accepted inserts, {} distinct card codes, {read} read back from the store",
        codes.len(),
        sorted.len()
    ))
}

/// The insert scenarios: at each connection count, prepares the inserts over HTTP (timed, not
/// measured), waits for kabao to be idle, checks one insert fully, warms up,
/// then measures until the deadline or until the prepared inserts are used up.
pub async fn scenarios(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    args: &Args,
) -> anyhow::Result<Vec<InsertResult>> {
    scenarios_of(kabao, ticks, args, CardFlow::Invoice).await
}

/// The same scenarios for either seed endpoint: `/card/invoice/insert` or
/// `/nontax/insertbill` (fiscal bills for a collecting unit's payers).
pub async fn scenarios_of(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    args: &Args,
    flow: CardFlow,
) -> anyhow::Result<Vec<InsertResult>> {
    let label = flow.label();
    let duration = Duration::from_secs(args.duration_secs);
    let warmup = Duration::from_secs(args.warmup_secs);
    let warmup_orders = if warmup.is_zero() {
        0
    } else {
        args.insert_warmup_orders
    };
    let world = Arc::new(OaWorld::provision_flow(kabao, flow).await?);
    let mut number = 0u64;
    let mut results = Vec::new();
    for &connections in &args.connections {
        let count = 1 + warmup_orders + args.insert_orders;
        eprintln!(
            "{} {connections:>3} conn: preparing {count} inserts (setpdf, getauthurl, authorisation) with {} in flight",
            label,
            args.setup_concurrency
        );
        let prepared = world
            .prepare(
                &kabao.addrs,
                number,
                count,
                args.setup_concurrency,
                args.authorize_concurrency,
            )
            .await
            .map_err(|e| crate::with_log_tail(kabao, e))?;
        number += count as u64;
        let (idle_wait, idle) =
            oa_setup::wait_until_idle(kabao, ticks, Duration::from_secs(300)).await?;
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
        let check = check_one(kabao.addr, &world, probe).await?;
        let (warm, measured) = rest.split_at(warmup_orders);

        let warm_load = Arc::new(InsertLoad::new(&world, warm));
        let warm_outcome = if warm_load.is_empty() {
            load::Outcome::default()
        } else {
            load::run(&kabao.addrs, warm_load.clone(), connections, warmup).await
        };

        let pool = Arc::new(InsertLoad::new(&world, measured));
        // Only `/card/invoice/insert` has a bar.
        let recording = if flow == CardFlow::Invoice {
            Profiler::from_args(args).start(&kabao.pids()).await
        } else {
            None
        };
        let before = kabao.reading(ticks)?;
        let threads_before = kabao.threads(ticks)?;
        let outcome = load::run(&kabao.addrs, pool.clone(), connections, duration).await;
        let threads = procstat::threads_cpu_since(&threads_before, &kabao.threads(ticks)?);
        let used = kabao.reading(ticks)?.since(&before, ticks);
        let memory = kabao.memory()?;
        let profile = recording.map(|r| r.finish(ticks));

        let mut codes = warm_load.take_codes();
        codes.extend(pool.take_codes());
        let verified = verify_codes(kabao.addr, &world, &codes).await?;
        let mut result = InsertResult::new(
            connections,
            pool.len(),
            outcome,
            [used.kabao, used.bench],
            used.steal_percent,
            memory,
            setup,
            warm_outcome,
            check,
            verified,
        );
        result.set_threads(&threads);
        result.idle_percent = used.idle_percent;
        result.set_postgres(used.postgres);
        result.profile = profile;
        eprintln!(
            "{:<26} {:>3} conn: {:>8.0} inserts/s over {:.1} s{}, p50 {:.2} ms, p99 {:.2} ms, kabao {:.1} µs CPU/insert, {} errors",
            label,
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
