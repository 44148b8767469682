//! The `prism` scenario: the same `fapiao-applications` request body the
//! fapiao scenario sends kabao, unsigned, sent to Stoplight Prism mocking the
//! published spec, at the same connection counts, with the same load loop.
//! Prism validates the request against the spec and answers the spec's
//! example (202, no body); it keeps no state and signs nothing.

use crate::fapiao_prepare::application_body;
use crate::fapiao_world::APPLICATIONS_PATH;
use crate::http::{self, Connection, Reply};
use crate::prism_server::{PrismInstall, LOG_LEVEL};
use crate::procstat::{self, TicksPerSecond};
use crate::report::{PrismResults, PrismRun};
use crate::Args;
use anyhow::ensure;
use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, ACCEPT};
use hyper::{Method, Request, StatusCode};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// Distinct bodies (each its own `fapiao_apply_id` and `fapiao_id`) the load cycles through.
pub const BODIES: usize = 256;
/// The `Wechatpay-Serial` every request carries (the spec requires the header).
pub const SERIAL: &str = "PUB_KEY_ID_0114232134912410000000000000";
/// How long `prism mock` may take to listen.
const STARTUP_LIMIT: Duration = Duration::from_secs(90);

/// The requests sent to Prism.
pub struct PrismWorkload {
    host: HeaderValue,
    bodies: Vec<Bytes>,
}

impl PrismWorkload {
    /// [`BODIES`] application bodies for a mock at `addr`.
    pub fn new(addr: SocketAddr) -> Self {
        Self {
            host: http::host_header(addr),
            bodies: (0..BODIES as u64)
                .map(|n| application_body(&format!("4200000{n:021}"), n))
                .collect(),
        }
    }

    /// The `n`-th request: `Content-Type` and `Accept` JSON, `Wechatpay-Serial`
    /// (when `with_serial`), no `Authorization`.
    pub fn request(&self, n: usize, with_serial: bool) -> Request<Full<Bytes>> {
        let body = self.bodies[n % self.bodies.len()].clone();
        let mut request = http::request(Method::POST, &self.host, APPLICATIONS_PATH, None, body);
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        if with_serial {
            headers.insert("Wechatpay-Serial", HeaderValue::from_static(SERIAL));
        }
        request
    }

    /// Checks that Prism answers an application 202 and validates: the same
    /// request without `Wechatpay-Serial`, and one without
    /// `fapiao_information`, are refused with 422.
    pub async fn check(&self, addr: SocketAddr) -> anyhow::Result<String> {
        let mut connection = Connection::open(addr).await?;
        let reply = connection.send(self.request(0, true)).await?;
        ensure!(
            reply.status == StatusCode::ACCEPTED,
            "Prism answered an application {}: {}",
            reply.status,
            reply.snippet(300)
        );
        let accepted = reply.body.len();
        let unsigned = connection.send(self.request(0, false)).await?;
        ensure!(
            unsigned.status == StatusCode::UNPROCESSABLE_ENTITY,
            "Prism answered an application without Wechatpay-Serial {}, not 422: {}",
            unsigned.status,
            unsigned.snippet(300)
        );
        let mut partial: serde_json::Value = serde_json::from_slice(&self.bodies[0])?;
        partial
            .as_object_mut()
            .expect("an application is an object")
            .remove("fapiao_information");
        let mut request = self.request(0, true);
        *request.body_mut() = Full::new(Bytes::from(partial.to_string()));
        let incomplete = connection.send(request).await?;
        ensure!(
            incomplete.status == StatusCode::UNPROCESSABLE_ENTITY,
            "Prism answered an application without fapiao_information {}, not 422: {}",
            incomplete.status,
            incomplete.snippet(300)
        );
        Ok(format!(
            "202 with a {accepted}-byte body for an application; 422 for the same without \
             `Wechatpay-Serial` and for one without `fapiao_information` (Prism validates \
             requests against the spec)"
        ))
    }
}

impl crate::load::Source for PrismWorkload {
    fn next_request(&self, n: usize) -> Option<Request<Full<Bytes>>> {
        Some(self.request(n, true))
    }

    fn succeeded(&self, reply: &Reply) -> bool {
        reply.status.is_success()
    }
}

/// The spec's path as the report shows it: from beside the workspace
/// (`../shared/…`) when it is there, else as given.
pub fn spec_for_report(spec: &Path) -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let (Ok(spec_full), Ok(workspace)) = (spec.canonicalize(), workspace.canonicalize()) else {
        return spec.display().to_string();
    };
    match workspace
        .parent()
        .and_then(|p| spec_full.strip_prefix(p).ok())
    {
        Some(beside) if !spec_full.starts_with(&workspace) => {
            format!("../{}", beside.display())
        }
        _ => spec.display().to_string(),
    }
}

/// Starts Prism from `install`, checks it, and measures it at each of `--connections`.
pub async fn run(
    install: &PrismInstall,
    ticks: TicksPerSecond,
    args: &Args,
) -> anyhow::Result<PrismResults> {
    let mut prism = install.start(&args.prism_spec)?;
    let startup = prism.wait_listening(STARTUP_LIMIT).await?;
    eprintln!(
        "prism mock (pid {}) on {} after {:.1} s",
        prism.pid(),
        prism.addr,
        startup.as_secs_f64()
    );
    let workload = Arc::new(PrismWorkload::new(prism.addr));
    let check = workload
        .check(prism.addr)
        .await
        .map_err(|e| e.context(format!("Prism's log ends with:\n{}", prism.log_tail(20))))?;
    let idle_memory = prism.memory()?;
    let warmup = Duration::from_secs(args.warmup_secs);
    let duration = Duration::from_secs(args.duration_secs);
    let mut runs = Vec::new();
    for &connections in &args.connections {
        let warm = if warmup.is_zero() {
            crate::load::Outcome::default()
        } else {
            crate::load::run(&[prism.addr], workload.clone(), connections, warmup).await
        };
        let machine_before = procstat::system_ticks();
        let prism_before = prism.cpu(ticks)?;
        let self_before = procstat::process_cpu(std::process::id(), ticks)?;
        let outcome =
            crate::load::run(&[prism.addr], workload.clone(), connections, duration).await;
        let prism_cpu = prism.cpu(ticks)?.saturating_sub(prism_before);
        let self_cpu = procstat::process_cpu(std::process::id(), ticks)? - self_before;
        let steal = procstat::system_ticks().steal_percent_since(machine_before);
        let memory = prism.memory()?;
        let run = PrismRun::new(
            connections,
            outcome,
            [prism_cpu, self_cpu],
            steal,
            memory.rss_kb,
            &warm,
        );
        eprintln!(
            "prism fapiao-applications {connections:>3} conn: {:>6.0} req/s, p99 {:.2} ms, Prism {:.1} µs CPU/req, RSS {:.1} MB, {} errors",
            run.load.requests_per_sec,
            run.load.latency.p99_us / 1000.0,
            run.load.server_cpu_per_request_us,
            crate::report::mb(run.rss_after_kb),
            run.load.errors + run.warmup_errors
        );
        runs.push(run);
    }
    let peak_rss_kb = prism.memory()?.peak_rss_kb;
    let pid = prism.pid();
    prism.stop()?;
    eprintln!("prism mock (pid {pid}) stopped");
    Ok(PrismResults {
        package: install.package.clone(),
        node_version: install.node_version.clone(),
        spec: spec_for_report(&args.prism_spec),
        log_level: LOG_LEVEL.to_owned(),
        install_secs: install.install_secs,
        startup_secs: startup.as_secs_f64(),
        check,
        idle_memory,
        peak_rss_kb,
        runs,
    })
}
