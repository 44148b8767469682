//! The request/response scenarios (`GET /v3/certificates`, `GET /cgi-bin/token`)
//! on one running kabao, whatever its store: at each connection count one
//! answer checked, a warm-up, then the measured load; each signed endpoint is
//! compared with crypto floors measured right before and after it.

use crate::floor_bracket::FloorBracket;
use crate::procstat::TicksPerSecond;
use crate::profile::Profiler;
use crate::report::{FloorRun, ScenarioResult};
use crate::scenario::{self, Endpoint, Workload};
use crate::server::{Kabao, Tenants};
use crate::{load, Args};
use std::sync::Arc;
use std::time::Duration;

/// Every endpoint `args.scenarios` asks for, at each of `args.connections`;
/// the floors measured go to `floors`.
pub async fn run(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    args: &Args,
    floors: &mut Vec<FloorRun>,
) -> anyhow::Result<Vec<ScenarioResult>> {
    let mut scenarios = Vec::new();
    let endpoints = Endpoint::ALL
        .into_iter()
        .filter(|e| args.scenarios.iter().any(|s| s.endpoint() == Some(*e)));
    for endpoint in endpoints {
        // Only signed requests are judged against the crypto floor.
        let mut bracket = endpoint
            .signed()
            .then(|| FloorBracket::new(kabao, ticks, args.floor_iterations));
        for &connections in &args.connections {
            let name = format!(
                "the {connections}-connection `{}` scenario",
                endpoint.label()
            );
            if let Some(bracket) = bracket.as_mut() {
                bracket.before(&name, floors)?;
            }
            let mut result = scenario(kabao, tenants, ticks, endpoint, connections, args).await?;
            if let Some(bracket) = bracket.as_mut() {
                result.set_floor(bracket.after(&name, floors)?);
            }
            eprintln!(
                "{:<22} {:>3} conn: {:>8.0} req/s, p99 {:.2} ms, kabao {:.1} µs CPU/req{}{}, {} errors",
                endpoint.label(),
                connections,
                result.load.requests_per_sec,
                result.load.latency.p99_us / 1000.0,
                result.kabao_cpu_per_request_us(),
                result
                    .postgres_cpu_per_request_us
                    .map(|p| format!(" + PostgreSQL {p:.1} µs"))
                    .unwrap_or_default(),
                result
                    .floor_ratio
                    .map(|r| format!(" ({r:.2}× the floor)"))
                    .unwrap_or_default(),
                result.load.errors
            );
            scenarios.push(result);
        }
    }
    Ok(scenarios)
}

/// Checks one answer, warms up, then measures one endpoint at one connection count.
async fn scenario(
    kabao: &Kabao,
    tenants: &Tenants,
    ticks: TicksPerSecond,
    endpoint: Endpoint,
    connections: usize,
    args: &Args,
) -> anyhow::Result<ScenarioResult> {
    let warmup = Duration::from_secs(args.warmup_secs);
    let duration = Duration::from_secs(args.duration_secs);
    // Each phase gets its own signed requests: kabao refuses a nonce twice.
    let workload = |pool| {
        Arc::new(Workload::new(
            endpoint,
            kabao.addr,
            tenants,
            crate::fapiao_world::unix_now(),
            pool,
        ))
    };
    let check = workload(1).check_one(kabao.addr, tenants).await?;
    if !warmup.is_zero() {
        load::run(
            &kabao.addrs,
            workload(scenario::WARMUP_POOL),
            connections,
            warmup,
        )
        .await;
    }
    let workload = workload(scenario::SIGNED_POOL);
    // Only the signed endpoint has a bar.
    let recording = if endpoint.signed() {
        Profiler::from_args(args).start(&kabao.pids()).await
    } else {
        None
    };
    let before = kabao.reading(ticks)?;
    let outcome = load::run(&kabao.addrs, workload, connections, duration).await;
    let used = kabao.reading(ticks)?.since(&before, ticks);
    let mut result = ScenarioResult::new(
        endpoint,
        connections,
        check,
        outcome,
        [used.kabao, used.bench],
        used.steal_percent,
    );
    result.set_machine(&used);
    result.profile = recording.map(|r| r.finish(ticks));
    Ok(result)
}
