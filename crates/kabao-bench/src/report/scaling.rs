//! The results of the scaling scenario (kabao on synthesized stores of
//! several sizes and user counts), the series a plot of cost against store
//! size draws, and the judgement of each series: flat, logarithmic or worse,
//! computed from its first and last points.

use crate::load::Outcome;
use crate::procstat::{Memory, ThreadTimes};
use crate::server::CpuUsed;
use crate::stats::Latency;
use serde::Serialize;
use std::time::Duration;

/// A series whose last point is at most this many times its first is flat.
pub const FLAT_RATIO: f64 = 1.25;
/// Slack on the logarithmic bound: a series is logarithmic when its ratio
/// is at most this times ln(last size) ÷ ln(first size).
pub const LOG_SLACK: f64 = 1.25;

/// One measured load (inserts or reads) on one store.
#[derive(Debug, Clone, Serialize)]
pub struct LoadFigures {
    /// Successful requests in the measured period.
    pub requests: u64,
    /// Failed requests in the measured period and its warm-up.
    pub errors: u64,
    /// The first failures, for the report.
    pub first_errors: Vec<String>,
    /// Successful requests per measured second.
    pub per_sec: f64,
    /// Latency of the successful requests.
    pub latency: Latency,
    /// kabao's CPU time (all threads) per successful request, µs.
    pub kabao_cpu_us: f64,
    /// Measured seconds.
    pub elapsed_secs: f64,
    /// Whether the measurement ended because the prepared requests ran out.
    pub ran_out: bool,
    /// kabao's CPU per successful request by thread name (those with at
    /// least 1 µs), most first: where the time goes.
    pub threads_us: Vec<(String, f64)>,
    /// CPUs kept busy by everything but kabao and the bench during the
    /// measurement: other sessions on the machine, and kernel threads (e.g.
    /// writing kabao's files back after its `fsync`s).
    pub others_cores: f64,
}

impl LoadFigures {
    /// The figures of `outcome` (measured) with `warmup_errors` more failures and `kabao_cpu` used.
    pub fn new(outcome: Outcome, warmup_errors: u64, kabao_cpu: Duration) -> Self {
        let requests = outcome.latencies_ns.len() as u64;
        let elapsed = outcome.elapsed.as_secs_f64();
        Self {
            requests,
            errors: outcome.errors + warmup_errors,
            first_errors: outcome.first_errors,
            per_sec: requests as f64 / elapsed.max(1e-9),
            latency: Latency::of_nanos(outcome.latencies_ns),
            kabao_cpu_us: kabao_cpu.as_secs_f64() * 1e6 / requests.max(1) as f64,
            elapsed_secs: elapsed,
            ran_out: outcome.exhausted,
            threads_us: Vec::new(),
            others_cores: 0.0,
        }
    }

    /// Records what the rest of the machine used: its busy share (not idle,
    /// not stolen) of `cores` CPUs, minus kabao's and the bench's CPU.
    pub fn set_others(&mut self, used: &CpuUsed, cores: usize) {
        let busy = (100.0 - used.idle_percent - used.steal_percent).max(0.0) / 100.0;
        let ours = (used.kabao + used.bench).as_secs_f64() / self.elapsed_secs.max(1e-9);
        self.others_cores = (busy * cores as f64 - ours).max(0.0);
    }

    /// Records the CPU `threads` used during the measurement, per request.
    pub fn set_threads(&mut self, threads: &[ThreadTimes]) {
        let per = |t: &ThreadTimes| t.cpu.as_secs_f64() * 1e6 / self.requests.max(1) as f64;
        self.threads_us = threads
            .iter()
            .map(|t| (t.name.clone(), per(t)))
            .filter(|(_, us)| *us >= 1.0)
            .collect();
        self.threads_us.sort_by(|a, b| b.1.total_cmp(&a.1));
    }
}

/// How a store was filled.
#[derive(Debug, Clone, Serialize)]
pub struct Fill {
    /// Rows the export file held (all tables).
    pub rows: u64,
    /// Wall time from the first synthesized row to `kabao import`'s exit.
    pub secs: f64,
    /// Authorised orders with an unused PDF added for the bench's inserts.
    pub pending_orders: usize,
}

/// kabao on one filled store.
#[derive(Debug, Clone, Serialize)]
pub struct ScalingPoint {
    /// Cards stored before the inserts.
    pub cards: u64,
    /// Users of the merchant the stored cards (and the new ones) are spread over.
    pub users: usize,
    /// How the store was filled.
    pub fill: Fill,
    /// From `kabao serve` to its first healthy answer, s.
    pub start_secs: f64,
    /// kabao's memory one second after it answered.
    pub idle_memory: Memory,
    /// `POST /card/invoice/insert`, each a new card on top of the stored ones.
    pub insert: LoadFigures,
    /// `POST /card/invoice/reimburse/getinvoiceinfo` of random stored cards.
    pub read: LoadFigures,
    /// kabao's memory after both loads.
    pub memory_after: Memory,
    /// Of that, anonymous memory (heap, SQLite's page caches), kB (`RssAnon`).
    pub rss_anon_kb: u64,
    /// Of that, pages of mapped files (the binary, SQLite's memory map of the database), kB (`RssFile`).
    pub rss_file_kb: u64,
    /// Bytes of the SQLite database file after both loads.
    pub db_bytes: u64,
    /// Bytes of its write-ahead log then.
    pub wal_bytes: u64,
    /// What the bench checked on this store.
    pub checks: Vec<String>,
}

/// The scaling scenario's results.
#[derive(Debug, Clone, Serialize)]
pub struct ScalingResults {
    /// Connections of every load.
    pub connections: usize,
    /// Cards stored in the template store (made over HTTP).
    pub template_cards: usize,
    /// Wall time of building and exporting the template store, s.
    pub template_secs: f64,
    /// Users of the store-size series.
    pub size_users: usize,
    /// Stored cards of the user-count series.
    pub spread_cards: u64,
    /// Every store measured, in the order measured.
    pub points: Vec<ScalingPoint>,
    /// Wall time of the whole scenario, s.
    pub total_secs: f64,
    /// The `--scaling-*` flags of the run, for the reproduce command.
    pub flags: String,
}

/// How a series grows between its first and last point.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Growth {
    /// Last ÷ first at most [`FLAT_RATIO`].
    Flat,
    /// Within [`LOG_SLACK`] × ln(last x) ÷ ln(first x).
    Logarithmic,
    /// Faster than logarithmic.
    Worse,
}

/// A series' growth, from its numbers.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Judgement {
    /// Last x ÷ first x.
    pub x_ratio: f64,
    /// Last y ÷ first y.
    pub ratio: f64,
    /// ln(ratio) ÷ ln(x_ratio): 0 flat, 1 linear.
    pub exponent: f64,
    /// The verdict.
    pub growth: Growth,
}

impl Growth {
    /// The words the report uses.
    pub fn words(self) -> &'static str {
        match self {
            Growth::Flat => "flat",
            Growth::Logarithmic => "logarithmic",
            Growth::Worse => "worse than logarithmic",
        }
    }
}

/// Judges points `(x, y)` (x ascending, positive) by their first and last
/// point; `None` with fewer than two points or a non-positive value.
pub fn judge(points: &[(f64, f64)]) -> Option<Judgement> {
    let (&(x0, y0), &(x1, y1)) = (points.first()?, points.last()?);
    if points.len() < 2 || x0 <= 1.0 || x1 <= x0 || y0 <= 0.0 || y1 <= 0.0 {
        return None;
    }
    let (x_ratio, ratio) = (x1 / x0, y1 / y0);
    let log_bound = LOG_SLACK * x1.ln() / x0.ln();
    let growth = if ratio <= FLAT_RATIO {
        Growth::Flat
    } else if ratio <= log_bound {
        Growth::Logarithmic
    } else {
        Growth::Worse
    };
    Some(Judgement {
        x_ratio,
        ratio,
        exponent: ratio.ln() / x_ratio.ln(),
        growth,
    })
}

/// One series as plain data, for tables and plots.
#[derive(Debug, Clone, Serialize)]
pub struct Series {
    /// What is measured, e.g. "kabao CPU per insert".
    pub name: &'static str,
    /// Its unit, e.g. "µs".
    pub unit: &'static str,
    /// What x is: "stored cards" or "users".
    pub x: &'static str,
    /// `(x, y)` in ascending x.
    pub points: Vec<(f64, f64)>,
    /// Whether y is a rate (more is better): judged on its inverse, the time per request.
    pub rate: bool,
}

impl Series {
    /// The series' growth.
    pub fn judgement(&self) -> Option<Judgement> {
        if self.rate {
            let cost: Vec<(f64, f64)> = self
                .points
                .iter()
                .map(|&(x, y)| (x, if y > 0.0 { 1.0 / y } else { 0.0 }))
                .collect();
            judge(&cost)
        } else {
            judge(&self.points)
        }
    }
}

/// A measure a series reads from each point.
struct Measure {
    name: &'static str,
    unit: &'static str,
    rate: bool,
    read: fn(&ScalingPoint) -> f64,
}

/// What the series read from a point.
const MEASURES: [Measure; 9] = [
    Measure {
        name: "kabao CPU per insert",
        unit: "µs",
        rate: false,
        read: |p| p.insert.kabao_cpu_us,
    },
    Measure {
        name: "inserts per second",
        unit: "1/s",
        rate: true,
        read: |p| p.insert.per_sec,
    },
    Measure {
        name: "kabao CPU per getinvoiceinfo",
        unit: "µs",
        rate: false,
        read: |p| p.read.kabao_cpu_us,
    },
    Measure {
        name: "getinvoiceinfo per second",
        unit: "1/s",
        rate: true,
        read: |p| p.read.per_sec,
    },
    Measure {
        name: "getinvoiceinfo p99 latency",
        unit: "ms",
        rate: false,
        read: |p| p.read.latency.p99_us / 1e3,
    },
    Measure {
        name: "kabao RSS after start",
        unit: "MB",
        rate: false,
        read: |p| super::mb(p.idle_memory.rss_kb),
    },
    Measure {
        name: "kabao RSS after the loads",
        unit: "MB",
        rate: false,
        read: |p| super::mb(p.memory_after.rss_kb),
    },
    Measure {
        name: "of which anonymous (heap, SQLite caches)",
        unit: "MB",
        rate: false,
        read: |p| super::mb(p.rss_anon_kb),
    },
    Measure {
        name: "database file",
        unit: "MB",
        rate: false,
        read: |p| p.db_bytes as f64 / 1e6,
    },
];

/// Every measure over `points`, x read by `x_of`.
fn series(
    points: &[&ScalingPoint],
    x: &'static str,
    x_of: fn(&ScalingPoint) -> f64,
) -> Vec<Series> {
    MEASURES
        .iter()
        .map(|m| Series {
            name: m.name,
            unit: m.unit,
            x,
            points: points.iter().map(|p| (x_of(p), (m.read)(p))).collect(),
            rate: m.rate,
        })
        .collect()
}

impl ScalingResults {
    /// The store-size points (the size series' user count), by stored cards.
    pub fn size_points(&self) -> Vec<&ScalingPoint> {
        let mut points: Vec<&ScalingPoint> = self
            .points
            .iter()
            .filter(|p| p.users == self.size_users)
            .collect();
        points.sort_by_key(|p| p.cards);
        points
    }

    /// The user-count points (at [`ScalingResults::spread_cards`]), by users.
    pub fn user_points(&self) -> Vec<&ScalingPoint> {
        let mut points: Vec<&ScalingPoint> = self
            .points
            .iter()
            .filter(|p| p.cards == self.spread_cards)
            .collect();
        points.sort_by_key(|p| p.users);
        points.dedup_by_key(|p| p.users);
        points
    }

    /// Cost against stored cards: CPU per request, rate, latency, RSS, file size.
    pub fn size_series(&self) -> Vec<Series> {
        series(&self.size_points(), "stored cards", |p| p.cards as f64)
    }

    /// Cost against the users the cards are spread over.
    pub fn user_series(&self) -> Vec<Series> {
        series(&self.user_points(), "users", |p| p.users as f64)
    }

    /// The series the bar judges: kabao's CPU per insert and per read and its
    /// memory after the loads, against stored cards and against users.
    pub fn bar_series(&self) -> Vec<Series> {
        const JUDGED: [&str; 3] = [
            "kabao CPU per insert",
            "kabao CPU per getinvoiceinfo",
            "kabao RSS after the loads",
        ];
        self.size_series()
            .into_iter()
            .chain(self.user_series())
            .filter(|s| JUDGED.contains(&s.name) && s.judgement().is_some())
            .collect()
    }

    /// Failed requests over every store.
    pub fn errors(&self) -> u64 {
        self.points
            .iter()
            .map(|p| p.insert.errors + p.read.errors)
            .sum()
    }
}
