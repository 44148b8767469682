//! The fapiao scenario. First, at each connection count, applications for
//! merchants whose outcome is held: kabao's CPU per accepted application,
//! compared with crypto floors measured right before and after. Then a
//! paced load for merchants whose outcome is immediate, timing each
//! application's `FAPIAO.ISSUED` callback at a receiver in this process;
//! and an unpaced one counting the callbacks delivered per second
//! ([`crate::fapiao_delivery`]).

use crate::fapiao_callbacks::{self, event_marker, ISSUED};
use crate::fapiao_load::{self, ApplicationPool, FapiaoOutcome, Pace};
use crate::fapiao_world::{unix_now, FapiaoWorld, Outcome, PreparedApplication};
use crate::floor_bracket::FloorBracket;
use crate::oa_setup::wait_until_idle;
use crate::procstat::TicksPerSecond;
use crate::profile::Profiler;
use crate::receiver::{Arrival, Receiver};
use crate::report::{FapiaoCallbackResult, FapiaoHeldResult, FapiaoResults, FapiaoSetup, FloorRun};
use crate::server::{CpuUsed, Kabao, Tenants};
use crate::{fapiao_delivery, Args};
use anyhow::{ensure, Context as _};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The first mchid of the held merchants.
const HELD_MCHIDS: u64 = 1_900_100_000;
/// The first mchid of the immediate merchants.
const IMMEDIATE_MCHIDS: u64 = 1_900_200_000;
/// Applications read back through F15 after each held load.
const READ_BACK: usize = 16;
/// How long the callbacks may take to arrive after the last 202.
const CALLBACK_DRAIN: Duration = Duration::from_secs(120);

/// Runs both parts; floors measured go to `floors`.
pub async fn run(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    args: &Args,
    floors: &mut Vec<FloorRun>,
) -> anyhow::Result<FapiaoResults> {
    let receiver = Receiver::start()?;
    let base = receiver.base_url();
    eprintln!(
        "fapiao: {} held merchants, callbacks to {base}",
        args.fapiao_merchants
    );
    let held_world = FapiaoWorld::provision(
        kabao,
        tenants,
        HELD_MCHIDS,
        args.fapiao_merchants,
        &base,
        Outcome::Held,
    )
    .await
    .map_err(|e| crate::with_log_tail(kabao, e))?;
    let held_world = Arc::new(held_world);
    let mut results = FapiaoResults::default();
    let mut number = 0u64;
    let mut bracket = FloorBracket::new(kabao, ticks, args.floor_iterations);
    for &connections in &args.connections {
        let name = format!("the {connections}-connection fapiao-applications scenario");
        bracket.before(&name, floors)?;
        let mut result = held(kabao, &held_world, ticks, args, connections, number).await?;
        number += result.setup.applications as u64;
        result.set_floor(bracket.after(&name, floors)?);
        eprintln!(
            "fapiao-applications (held) {connections:>3} conn: {:>6.0} /s, p99 {:.2} ms, kabao {:.1} µs CPU/application ({}), {} errors ({} × 429)",
            result.applications_per_sec,
            result.latency.p99_us / 1000.0,
            result.kabao_cpu_per_application_us,
            result.floor_ratio.map_or("no floor".into(), |r| format!("{r:.2}× the floor")),
            result.errors + result.warmup_errors,
            result.rate_limited
        );
        results.held.push(result);
    }
    let unexpected = receiver.take();
    ensure!(
        unexpected.is_empty(),
        "{} callbacks arrived for held applications (the first to {})",
        unexpected.len(),
        unexpected[0].path
    );
    let callbacks = immediate(
        kabao,
        tenants,
        ticks,
        args,
        &receiver,
        &results.held,
        number,
    )
    .await?;
    results.callbacks = Some(callbacks);
    let first = number + args.fapiao_callback_applications as u64;
    results.delivery =
        Some(fapiao_delivery::run(kabao, tenants, ticks, args, &receiver, first).await?);
    Ok(results)
}

/// Paid orders and signatures for `count` applications numbered from `first`.
pub(crate) async fn prepare(
    kabao: &Kabao,
    world: &Arc<FapiaoWorld>,
    ticks: TicksPerSecond,
    count: usize,
    first: u64,
    concurrency: usize,
) -> anyhow::Result<(Vec<PreparedApplication>, FapiaoSetup)> {
    eprintln!("  preparing {count} paid orders and applications");
    let (orders, orders_time) = world.paid_orders(kabao.addr, count, concurrency).await?;
    let (idle_wait, _) = wait_until_idle(kabao, ticks, Duration::from_secs(60)).await?;
    let started = Instant::now();
    let prepared = world.presign(&orders, first, unix_now());
    let setup = FapiaoSetup {
        applications: count,
        merchants: world.merchants.len(),
        orders_secs: orders_time.as_secs_f64(),
        presign_secs: started.elapsed().as_secs_f64(),
        idle_wait_secs: idle_wait.as_secs_f64(),
    };
    eprintln!(
        "  {count} orders in {:.1} s, signed in {:.1} s",
        setup.orders_secs, setup.presign_secs
    );
    Ok((prepared, setup))
}

/// One held load at `connections`: prepare, check one, warm up, measure, read back.
async fn held(
    kabao: &Kabao,
    world: &Arc<FapiaoWorld>,
    ticks: TicksPerSecond,
    args: &Args,
    connections: usize,
    first: u64,
) -> anyhow::Result<FapiaoHeldResult> {
    let warmup = Duration::from_secs(args.warmup_secs);
    let warm_count = if warmup.is_zero() {
        0
    } else {
        args.fapiao_warmup_applications
    };
    let count = 1 + warm_count + args.fapiao_applications;
    let (mut prepared, setup) =
        prepare(kabao, world, ticks, count, first, args.setup_concurrency).await?;
    let probe = prepared.remove(0);
    let check = check_held(kabao, world, &probe).await?;
    let measured = prepared.split_off(warm_count);
    let pace = Pace {
        per_second_cap: args.fapiao_merchant_rate * world.merchants.len(),
        rate: None,
    };
    let warm_pool = Arc::new(ApplicationPool::new(world.clone(), prepared));
    let warm_outcome = if warm_pool.is_empty() {
        FapiaoOutcome::default()
    } else {
        fapiao_load::run(&kabao.addrs, warm_pool.clone(), connections, warmup, pace).await
    };
    let pool = Arc::new(ApplicationPool::after(&warm_pool, measured));
    let recording = Profiler::from_args(args).start(&kabao.pids()).await;
    let before = kabao.reading(ticks)?;
    let duration = Duration::from_secs(args.duration_secs);
    let outcome = fapiao_load::run(&kabao.addrs, pool.clone(), connections, duration, pace).await;
    let used = kabao.reading(ticks)?.since(&before, ticks);
    let profile = recording.map(|r| r.finish(ticks));
    let verified = read_back(kabao, world, pool.applications(), &outcome).await?;
    let mut result = FapiaoHeldResult::new(
        connections,
        pool.len(),
        outcome,
        [used.kabao, used.bench],
        used.steal_percent,
        setup,
        warm_outcome,
        check,
        verified,
    );
    result.set_machine(&used);
    result.profile = profile;
    Ok(result)
}

/// Sends `probe` and checks the 202 (signed by the platform key), then
/// queries it (F15) and checks that its fapiao waits in ISSUE_ACCEPTED.
async fn check_held(
    kabao: &Kabao,
    world: &FapiaoWorld,
    probe: &PreparedApplication,
) -> anyhow::Result<String> {
    let reply = world.send(kabao.addr, probe).await?;
    ensure!(
        reply.status == 202,
        "a prepared application was answered {}: {}",
        reply.status,
        reply.snippet(300)
    );
    let serial = crate::scenario::verify_response_signature(&reply, &world.platform_keys)?;
    let status = status_of(kabao, world, probe).await?;
    ensure!(
        status == "ISSUE_ACCEPTED",
        "held application {} is {status}, not ISSUE_ACCEPTED",
        probe.fapiao_apply_id
    );
    Ok(format!(
        "202 with its signature verified with platform key {serial}; queried (F15), its fapiao \
         waits in ISSUE_ACCEPTED"
    ))
}

async fn status_of(
    kabao: &Kabao,
    world: &FapiaoWorld,
    a: &PreparedApplication,
) -> anyhow::Result<String> {
    let answer = world
        .query(kabao.addr, a.merchant, &a.fapiao_apply_id)
        .await?;
    answer["fapiao_information"][0]["status"]
        .as_str()
        .map(str::to_owned)
        .with_context(|| format!("no fapiao status in {answer}"))
}

/// Queries [`READ_BACK`] accepted applications spread over the run.
async fn read_back(
    kabao: &Kabao,
    world: &FapiaoWorld,
    pool: &[PreparedApplication],
    outcome: &FapiaoOutcome,
) -> anyhow::Result<String> {
    let step = (outcome.accepted.len() / READ_BACK).max(1);
    let mut read = 0;
    for &(i, _) in outcome.accepted.iter().step_by(step).take(READ_BACK) {
        let status = status_of(kabao, world, &pool[i]).await?;
        ensure!(
            status == "ISSUE_ACCEPTED",
            "accepted held application {} is {status}",
            pool[i].fapiao_apply_id
        );
        read += 1;
    }
    Ok(format!(
        "{read} of the {} accepted applications queried (F15), each in ISSUE_ACCEPTED; no callback arrived",
        outcome.accepted.len()
    ))
}

/// The paced immediate-outcome load and its callbacks.
async fn immediate(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    args: &Args,
    receiver: &Receiver,
    held: &[FapiaoHeldResult],
    first: u64,
) -> anyhow::Result<FapiaoCallbackResult> {
    let merchants = args.fapiao_callback_merchants();
    eprintln!("fapiao callbacks: {merchants} immediate merchants");
    let world = immediate_world(kabao, tenants, IMMEDIATE_MCHIDS, merchants, receiver).await?;
    let count = args.fapiao_callback_applications;
    let (prepared, setup) =
        prepare(kabao, &world, ticks, count, first, args.setup_concurrency).await?;
    let pool = Arc::new(ApplicationPool::new(world.clone(), prepared));
    let pace = Pace {
        per_second_cap: args.fapiao_merchant_rate * merchants,
        rate: Some(args.fapiao_callback_rate),
    };
    let send_limit = Duration::from_secs(args.fapiao_callback_secs() * 3 + 60);
    let Collected {
        sent,
        drain,
        used,
        arrivals,
    } = send_and_collect(
        kabao,
        ticks,
        receiver,
        &pool,
        args.fapiao_callback_connections,
        pace,
        send_limit,
    )
    .await?;
    let check = fapiao_callbacks::check(&world, pool.applications(), &sent.accepted, &arrivals);
    let mut result = FapiaoCallbackResult::new(
        args.fapiao_callback_connections,
        args.fapiao_callback_rate,
        pool.len(),
        sent,
        check,
        drain,
        used.kabao,
        used.steal_percent,
        setup,
        held,
    );
    result.set_machine(&used);
    eprintln!(
        "fapiao callbacks: {} of {} ISSUED arrived, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; kabao {:.1} µs CPU/application ({} asynchronous)",
        result.callbacks.issued,
        result.callbacks.expected,
        result.callback_latency.p50_us / 1000.0,
        result.callback_latency.p99_us / 1000.0,
        result.callback_latency.max_us / 1000.0,
        result.kabao_cpu_per_application_us,
        result
            .async_cpu_per_application_us
            .map_or("—".into(), |a| format!("{a:.1} µs"))
    );
    Ok(result)
}

/// What sending an immediate-outcome pool and waiting for its callbacks gave.
pub(crate) struct Collected {
    /// The applications sent and their answers.
    pub sent: FapiaoOutcome,
    /// From the last answer until every ISSUED had arrived and kabao was idle.
    pub drain: Duration,
    /// What kabao, PostgreSQL and the bench used from the first application until then.
    pub used: CpuUsed,
    /// Every callback that arrived meanwhile.
    pub arrivals: Vec<Arrival>,
}

/// Sends `pool` on `connections` at `pace` (for at most `send_limit`), then
/// waits until every accepted application's `FAPIAO.ISSUED` has arrived (at
/// most [`CALLBACK_DRAIN`]) and kabao is idle again.
pub(crate) async fn send_and_collect(
    kabao: &Kabao,
    ticks: TicksPerSecond,
    receiver: &Receiver,
    pool: &Arc<ApplicationPool>,
    connections: usize,
    pace: Pace,
    send_limit: Duration,
) -> anyhow::Result<Collected> {
    let before = kabao.reading(ticks)?;
    let sent = fapiao_load::run(&kabao.addrs, pool.clone(), connections, send_limit, pace).await;
    let drain_started = Instant::now();
    let marker = event_marker(ISSUED);
    while receiver.count_containing(marker.as_bytes()) < sent.accepted.len()
        && drain_started.elapsed() < CALLBACK_DRAIN
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    wait_until_idle(kabao, ticks, Duration::from_secs(60)).await?;
    let drain = drain_started.elapsed();
    let used = kabao.reading(ticks)?.since(&before, ticks);
    Ok(Collected {
        sent,
        drain,
        used,
        arrivals: receiver.take(),
    })
}

/// Provisions `merchants` merchants numbered from `first_mchid` whose
/// outcome is immediate and whose callbacks go to `receiver`.
pub(crate) async fn immediate_world(
    kabao: &Kabao,
    tenants: &Tenants,
    first_mchid: u64,
    merchants: usize,
    receiver: &Receiver,
) -> anyhow::Result<Arc<FapiaoWorld>> {
    let world = FapiaoWorld::provision(
        kabao,
        tenants,
        first_mchid,
        merchants,
        &receiver.base_url(),
        Outcome::Immediate,
    )
    .await?;
    Ok(Arc::new(world))
}
