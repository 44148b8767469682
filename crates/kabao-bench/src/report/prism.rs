//! What the `prism` scenario measured: Stoplight Prism mocking
//! `fapiao-applications` at each connection count, and the ratio of kabao's
//! accepted applications per second (fapiao scenario, same run) to Prism's
//! answers per second.

use super::*;
use crate::load::Outcome;
use std::time::Duration;

/// The whole `prism` scenario.
#[derive(Debug, Clone, Serialize)]
pub struct PrismResults {
    /// `@stoplight/prism-cli@VERSION` as installed.
    pub package: String,
    /// `node --version`.
    pub node_version: String,
    /// The OpenAPI file mocked, as given.
    pub spec: String,
    /// Prism's `--verboseLevel`.
    pub log_level: String,
    /// Wall seconds of `npm install` (before kabao started; not measured load).
    pub install_secs: f64,
    /// Seconds from starting `prism mock` until it accepted connections.
    pub startup_secs: f64,
    /// What the check of Prism's answers before the load found.
    pub check: String,
    /// Prism's memory once listening, before load.
    pub idle_memory: Memory,
    /// Prism's highest resident memory over its whole run (`VmHWM`), kB.
    pub peak_rss_kb: u64,
    /// One per connection count.
    pub runs: Vec<PrismRun>,
}

/// Prism at one connection count.
#[derive(Debug, Clone, Serialize)]
pub struct PrismRun {
    /// Concurrent keep-alive connections.
    pub connections: usize,
    /// The load: 2xx answers, their latency, and Prism's CPU (its process tree).
    #[serde(flatten)]
    pub load: LoadRun,
    /// Prism's resident memory right after the measured period, kB.
    pub rss_after_kb: u64,
    /// 2xx answers of the warm-up.
    pub warmup_requests: u64,
    /// Failures of the warm-up.
    pub warmup_errors: u64,
}

/// kabao against Prism at one connection count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PrismRatio {
    /// Concurrent keep-alive connections (both sides).
    pub connections: usize,
    /// Prism's 2xx answers per second.
    pub prism_requests_per_sec: f64,
    /// kabao's accepted applications per second, outcome held, when the fapiao scenario ran at this count.
    pub kabao_applications_per_sec: Option<f64>,
    /// kabao ÷ Prism.
    pub ratio: Option<f64>,
    /// Whether kabao's load waited for the bench's per-merchant pacing (its
    /// figure is then what the pacing allowed, a lower bound of kabao's).
    pub kabao_paced: bool,
}

impl PrismRun {
    /// Summarises one measured load, its warm-up, and the CPU of Prism and the bench.
    pub fn new(
        connections: usize,
        outcome: Outcome,
        cpu: [Duration; 2],
        steal_percent: f64,
        rss_after_kb: u64,
        warmup: &Outcome,
    ) -> Self {
        Self {
            connections,
            load: LoadRun::new(outcome, cpu, steal_percent),
            rss_after_kb,
            warmup_requests: warmup.latencies_ns.len() as u64,
            warmup_errors: warmup.errors,
        }
    }
}

impl PrismResults {
    /// kabao's accepted applications per second divided by Prism's answers
    /// per second, at each connection count Prism ran; no kabao figure (and no
    /// ratio) where the fapiao scenario did not run at that count.
    pub fn ratios(&self, fapiao: Option<&FapiaoResults>) -> Vec<PrismRatio> {
        self.runs
            .iter()
            .map(|p| {
                let held =
                    fapiao.and_then(|f| f.held.iter().find(|h| h.connections == p.connections));
                let kabao = held.map(|h| h.applications_per_sec);
                PrismRatio {
                    connections: p.connections,
                    prism_requests_per_sec: p.load.requests_per_sec,
                    kabao_applications_per_sec: kabao,
                    ratio: kabao
                        .filter(|_| p.load.requests_per_sec > 0.0)
                        .map(|k| k / p.load.requests_per_sec),
                    kabao_paced: held.is_some_and(|h| h.cap_waits > 0),
                }
            })
            .collect()
    }

    /// Failed requests of every load, warm-ups included.
    pub fn errors(&self) -> u64 {
        self.runs
            .iter()
            .map(|r| r.load.errors + r.warmup_errors)
            .sum()
    }
}
