//! The taxi figures, verdict and their Markdown.

use super::tests::report;
use super::*;
use crate::load::Outcome;
use std::time::Duration;

pub(super) fn taxi(
    connections: usize,
    kabao_cpu_ms: u64,
    floor_us: f64,
    errors: u64,
) -> TaxiResult {
    let outcome = Outcome {
        latencies_ns: vec![2_000_000; 1000],
        errors,
        first_errors: (0..errors)
            .map(|i| format!("400 {{\"code\":\"PARAM_ERROR\",\"n\":{i}}}"))
            .collect(),
        exhausted: connections > 8,
        elapsed: Duration::from_secs(1),
    };
    let setup = TaxiSetup {
        cards: 1011,
        rides_secs: 1.0,
        uploads_secs: 2.0,
        presign_secs: 0.5,
        idle_wait_secs: 0.5,
    };
    let mut t = TaxiResult::new(
        connections,
        1000,
        outcome,
        [
            Duration::from_millis(kabao_cpu_ms),
            Duration::from_millis(50),
        ],
        0.0,
        setup,
        Outcome::default(),
        "checked one".into(),
        "spot-checked".into(),
    );
    t.set_floor(floor_us);
    t
}

#[test]
fn cpu_per_card_is_compared_with_the_floor() {
    let t = taxi(8, 300, 250.0, 0);
    assert_eq!(t.cards, 1000);
    assert!((t.cards_per_sec - 1000.0).abs() < 1e-9);
    assert!((t.kabao_cpu_per_card_us - 300.0).abs() < 1e-9);
    assert!((t.bench_cpu_per_card_us - 50.0).abs() < 1e-9);
    assert!((t.floor_ratio.unwrap() - 1.2).abs() < 1e-9);
    assert!((t.latency.p99_us - 2000.0).abs() < 1e-9);
}

#[test]
fn the_bar_needs_every_load_under_the_ratio_and_no_error() {
    let mut r = report(1100, 10_000);
    assert!(!r.taxi_bar_met(), "not run");
    r.taxi = vec![taxi(1, 300, 250.0, 0), taxi(64, 370, 250.0, 0)];
    assert!(r.taxi_bar_met());
    r.taxi.push(taxi(8, 380, 250.0, 0));
    assert!(!r.taxi_bar_met(), "1.52× misses");
    r.taxi = vec![taxi(1, 300, 250.0, 1)];
    assert!(!r.taxi_bar_met(), "an error misses");
}

#[test]
fn markdown_has_the_bar_row_the_section_and_the_checks() {
    let mut r = report(1100, 10_000);
    let md = r.markdown();
    assert!(md.contains("| kabao CPU per accepted `POST /v3/taxi-invoice/cards`"));
    assert!(md.contains("| not run | — |"));
    assert!(!md.contains("## Taxi fapiao cards"));
    r.taxi = vec![taxi(1, 300, 250.0, 0), taxi(64, 300, 250.0, 2)];
    let md = r.markdown();
    assert!(
        md.contains("| 1.20× at 1 conn, 1.20× at 64 conn; 2 errors | MISS |"),
        "{md}"
    );
    assert!(md.contains("## Taxi fapiao cards (`POST /v3/taxi-invoice/cards`)"));
    assert!(md.contains(
        "| 1 | 1000 | 0 | 1000 | 2.000 | 2.000 | 2.000 | 2.000 | 2.000 | 300.0 | 250.0 | 1.20× | PASS |"
    ));
    assert!(md.contains("| 64 | 1000 | 2 |"));
    assert!(md.contains("all 1000 prepared cards sent"));
    assert!(md.contains("First errors of taxi cards at 64 conn:"));
    assert!(md.contains("| 1 | 1011 | 1.0 | 2.0 | 0.5 | 0.5 | 0 | 0 |"));
    assert!(md.contains(
        "- `POST /v3/taxi-invoice/cards` at 1 conn: checked one; after the load: spot-checked"
    ));
    assert!(md.contains("--taxi-cards 1000 --taxi-warmup-cards 10"));
}
