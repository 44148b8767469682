//! The report's figures and verdicts.

use super::*;
use crate::crypto_floor::Floor;
use crate::load::Outcome;
use crate::procstat::ThreadTimes;
use std::time::Duration;

fn floor_run(label: &str, threads: usize, pair_us: f64) -> FloorRun {
    FloorRun {
        label: label.into(),
        floor: Floor {
            threads,
            iterations: 10,
            pair_us,
            pair_wall_us: pair_us,
            verify_us: 40.0,
            sign_us: pair_us - 40.0,
            thread_cpu_clock: true,
        },
        kabao_cpu_ms: 0.0,
        steal_percent: 0.0,
    }
}

pub(super) fn scenario(
    endpoint: Endpoint,
    connections: usize,
    kabao_cpu_ms: u64,
) -> ScenarioResult {
    let outcome = Outcome {
        latencies_ns: vec![1_000_000; 1000],
        elapsed: Duration::from_secs(1),
        ..Outcome::default()
    };
    let cpu = [
        Duration::from_millis(kabao_cpu_ms),
        Duration::from_millis(50),
    ];
    ScenarioResult::new(endpoint, connections, "checked".into(), outcome, cpu, 0.0)
}

pub(super) fn insert(connections: usize, inserts: usize, errors: u64) -> InsertResult {
    let memory = Memory {
        rss_kb: 30_000,
        peak_rss_kb: 30_000,
        threads: 8,
    };
    let outcome = Outcome {
        latencies_ns: (1..=inserts as u64).map(|i| i * 1_000).collect(),
        errors,
        first_errors: (0..errors.min(5))
            .map(|i| format!("200 {{\"errcode\":72031,\"n\":{i}}}"))
            .collect(),
        exhausted: true,
        elapsed: Duration::from_millis(500),
    };
    let setup = InsertSetup {
        orders: inserts + 11,
        secs: 10.0,
        idle_wait_secs: 0.5,
        idle_reached: true,
        authorize_retries: 3,
    };
    let mut result = InsertResult::new(
        connections,
        inserts,
        outcome,
        [Duration::from_millis(400), Duration::from_millis(100)],
        0.0,
        memory,
        setup,
        Outcome::default(),
        "checked".into(),
        "verified".into(),
    );
    let t = |name: &str, threads, cpu, runqueue| ThreadTimes {
        name: name.into(),
        threads,
        cpu: Duration::from_millis(cpu),
        runqueue: Duration::from_millis(runqueue),
    };
    result.set_threads(&[
        t("tokio-rt-worker", 2, 150, 100),
        t("kabao-card-writ", 1, 250, 50),
        t("idle", 1, 0, 0),
        t("nearly idle", 8, 4, 0),
    ]);
    result
}

pub(super) fn report(kabao_cpu_ms: u64, idle_rss_kb: u64) -> Report {
    report_with(kabao_cpu_ms, idle_rss_kb, vec![insert(64, 10_000, 0)])
}

fn report_with(kabao_cpu_ms: u64, idle_rss_kb: u64, inserts: Vec<InsertResult>) -> Report {
    let mut signed = scenario(Endpoint::Certificates, 8, kabao_cpu_ms);
    signed.set_floor(1000.0); // its own floors; the one-thread floors below average 1066.7
    let memory = Memory {
        rss_kb: idle_rss_kb,
        peak_rss_kb: idle_rss_kb,
        threads: 4,
    };
    Report::new(
        time::OffsetDateTime::UNIX_EPOCH,
        Settings {
            duration_secs: 1,
            warmup_secs: 0,
            connections: vec![8],
            floor_iterations: 10,
            clock_ticks_per_sec: 100,
            kabao_flags: vec![],
            scenarios: vec![
                Scenario::Certificates,
                Scenario::Token,
                Scenario::Insert,
                Scenario::Fapiao,
                Scenario::Taxi,
            ],
            insert_orders: 10_000,
            insert_warmup_orders: 10,
            setup_concurrency: 48,
            authorize_concurrency: 4,
            fapiao_applications: 1000,
            fapiao_warmup_applications: 10,
            fapiao_merchants: 24,
            fapiao_merchant_rate: 90,
            fapiao_callback_applications: 3000,
            fapiao_callback_connections: 8,
            fapiao_callback_rate: 200.0,
            fapiao_delivery_applications: 6000,
            fapiao_delivery_merchants: 48,
            taxi_cards: 1000,
            taxi_warmup_cards: 10,
            bill_orders: 100,
            profile: crate::profile::ProfileMode::Missed,
            profile_frequency: 499,
        },
        Machine {
            cpu: "test".into(),
            cores: 2,
            memory_total_kb: 1 << 20,
            kernel: "6".into(),
            virtual_machine: false,
        },
        Some("abc1234".into()),
        "kabao 0.1.0".into(),
        vec![
            floor_run("before", 1, 990.0),
            floor_run("after", 1, 1010.0),
            floor_run("later", 1, 1200.0),
            floor_run("every CPU busy", 2, 1100.0),
        ],
        Some(memory),
        Some(memory),
        vec![signed, scenario(Endpoint::Token, 8, 500)],
        inserts,
        None,
    )
}

#[test]
fn per_request_figures_come_from_the_outcome() {
    let s = scenario(Endpoint::Token, 1, 500);
    assert_eq!(s.load.requests, 1000);
    assert!((s.load.requests_per_sec - 1000.0).abs() < 1e-9);
    assert!((s.kabao_cpu_per_request_us() - 500.0).abs() < 1e-9);
    assert!((s.load.bench_cpu_per_request_us - 50.0).abs() < 1e-9);
    assert_eq!(s.floor_ratio, None);
}

#[test]
fn the_cpu_bar_compares_each_signed_scenario_with_its_floor() {
    let within = report(1200, 20_000);
    assert_eq!(within.signed_ratios(), vec![(8, 1.2)]);
    assert!(within.cpu_bar_met());
    assert!((within.floor_pair_us - 3200.0 / 3.0).abs() < 1e-9);
    assert_eq!(within.busy_floor_pair_us, Some(1100.0));
    assert!(!report(1300, 20_000).cpu_bar_met());
}

#[test]
fn insert_figures_are_per_accepted_insert() {
    let s = insert(8, 10_000, 0);
    assert_eq!(s.inserts, 10_000);
    assert!((s.inserts_per_sec - 20_000.0).abs() < 1e-6);
    assert!((s.kabao_cpu_per_insert_us - 40.0).abs() < 1e-9);
    assert!((s.bench_cpu_per_insert_us - 10.0).abs() < 1e-9);
    assert!(s.pool_ran_out);
    let names: Vec<_> = s.kabao_threads.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["kabao-card-writ", "tokio-rt-worker"]);
}

#[test]
fn the_insert_bar_needs_the_rate_and_no_error() {
    assert!(report(1200, 20_000).insert_bar_met());
    let slow = report_with(
        1200,
        20_000,
        vec![insert(1, 2_000, 0), insert(64, 9_999, 0)],
    );
    assert_eq!(slow.best_insert().map(|s| s.connections), Some(64));
    assert!(!slow.insert_bar_met());
    let failing = report_with(1200, 20_000, vec![insert(64, 12_000, 2)]);
    assert!(!failing.insert_bar_met());
    let md = failing.markdown();
    assert!(
        md.contains("24,000/s at 64 conn (best), 2 errors | MISS |"),
        "{md}"
    );
    assert!(md.contains("First errors of inserts at 64 conn:"), "{md}");
    assert!(md.contains("\"errcode\":72031,\"n\":1"), "{md}");
    assert!(!report_with(1200, 20_000, vec![]).insert_bar_met());
}

#[test]
fn the_memory_bar_is_in_megabytes() {
    assert!(report(1200, 48_000).memory_bar_met()); // 49.2 MB
    assert!(!report(1200, 49_000).memory_bar_met()); // 50.2 MB
}

#[test]
fn the_markdown_keeps_its_sections_and_verdicts() {
    let md = report(1300, 20_000).markdown();
    for section in [
        "# kabao benchmarks",
        "## Bars",
        "## Throughput and latency",
        "## Card inserts (`POST /card/invoice/insert`)",
        "## CPU per signed request against the crypto floor",
        "## Memory",
        "## Checks",
        "## Run",
        "## What the numbers mean",
        "## How to reproduce",
    ] {
        assert!(md.contains(section), "missing {section}");
    }
    assert!(md.contains("1.30× at 8 conn | MISS |"), "{md}");
    assert!(md.contains("| 20.5 MB | PASS |"), "{md}");
    assert!(md.contains("commit `abc1234`"));
    assert!(
        md.contains("| 64 | `kabao-card-writ` | 1 | 0.25 | 0.50 | 25.0 | 50 | 10 | 40 |"),
        "{md}"
    );
    assert!(
        md.contains("| 64 | `tokio-rt-worker` | 2 | 0.15 | 0.30 | 15.0 | 15 | 10 | 75 |"),
        "{md}"
    );
    assert!(md.contains("all 10000 prepared inserts sent"), "{md}");
}

#[test]
fn scenarios_not_run_are_said_so() {
    let mut r = report_with(1200, 20_000, vec![]);
    r.scenarios.clear();
    r.floors.clear();
    let md = r.markdown();
    assert!(!md.contains("## Throughput and latency"));
    assert!(!md.contains("## Card inserts"));
    assert!(!md.contains("## CPU per signed request"));
    assert!(md.contains("| not run | — |"), "{md}");
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(thousands(20_000.0), "20,000");
    assert_eq!(thousands(999.0), "999");
    assert_eq!(thousands(1_234_567.0), "1,234,567");
}
