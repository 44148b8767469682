//! The fapiao figures, verdicts and their Markdown.

use super::tests::report;
use super::*;
use crate::fapiao_callbacks::CallbackCheck;
use crate::fapiao_load::FapiaoOutcome;
use crate::load::Outcome;
use crate::server::CpuUsed;
use std::time::{Duration, Instant};

fn setup() -> FapiaoSetup {
    FapiaoSetup {
        applications: 1011,
        merchants: 24,
        orders_secs: 2.0,
        presign_secs: 1.0,
        idle_wait_secs: 0.5,
    }
}

fn sent(applications: u64, errors: u64) -> FapiaoOutcome {
    let now = Instant::now();
    FapiaoOutcome {
        outcome: Outcome {
            latencies_ns: vec![2_000_000; applications as usize],
            errors,
            first_errors: (0..errors)
                .map(|i| format!("429 {{\"code\":\"FREQUENCY_LIMITED\",\"n\":{i}}}"))
                .collect(),
            exhausted: false,
            elapsed: Duration::from_secs(1),
        },
        accepted: (0..applications as usize).map(|i| (i, now)).collect(),
        rate_limited: errors,
        cap_waits: 3,
    }
}

pub(super) fn held(connections: usize, kabao_cpu_ms: u64, floor_us: f64) -> FapiaoHeldResult {
    let mut h = FapiaoHeldResult::new(
        connections,
        1000,
        sent(1000, 0),
        [
            Duration::from_millis(kabao_cpu_ms),
            Duration::from_millis(100),
        ],
        0.0,
        setup(),
        FapiaoOutcome::default(),
        "checked".into(),
        "read back".into(),
    );
    h.set_floor(floor_us);
    h
}

/// 1000 applications, every ISSUED callback after `latency_ms` (one slow at 90 ms when `slow`).
pub(super) fn callbacks(
    held: &[FapiaoHeldResult],
    latency_ms: u64,
    slow: bool,
    missing: usize,
) -> FapiaoCallbackResult {
    let mut latencies_ns = vec![latency_ms * 1_000_000; 1000 - missing];
    if slow {
        latencies_ns[..20].fill(90_000_000);
    }
    let check = CallbackCheck {
        received: 2000 - missing,
        signatures_verified: 2000 - missing,
        expected: 1000,
        issued: 1000 - missing,
        card_inserted: 1000,
        first_missing: (0..missing).map(|i| format!("4200{i}")).collect(),
        latencies_ns,
        ..CallbackCheck::default()
    };
    FapiaoCallbackResult::new(
        8,
        200.0,
        1000,
        sent(1000, 0),
        check,
        Duration::from_secs(1),
        Duration::from_millis(3000),
        0.0,
        setup(),
        held,
    )
}

fn with_fapiao(results: FapiaoResults) -> Report {
    let mut r = report(1200, 20_000);
    r.fapiao = Some(results);
    r
}

#[test]
fn held_figures_are_per_accepted_application_against_their_floor() {
    let h = held(8, 1400, 1000.0);
    assert_eq!(h.applications, 1000);
    assert!((h.applications_per_sec - 1000.0).abs() < 1e-9);
    assert!((h.kabao_cpu_per_application_us - 1400.0).abs() < 1e-9);
    assert!((h.bench_cpu_per_application_us - 100.0).abs() < 1e-9);
    assert_eq!(h.floor_ratio, Some(1.4));
    let within = FapiaoResults {
        held: vec![held(1, 1500, 1000.0), h.clone()],
        callbacks: None,
        delivery: None,
    };
    assert_eq!(within.ratios(), vec![(1, 1.5), (8, 1.4)]);
    assert!(within.cpu_bar_met());
    let over = FapiaoResults {
        held: vec![h, held(64, 1600, 1000.0)],
        callbacks: None,
        delivery: None,
    };
    assert!(!over.cpu_bar_met());
    assert!(!FapiaoResults::default().cpu_bar_met());
}

#[test]
fn the_asynchronous_part_subtracts_the_held_load_at_the_same_connections() {
    let held = vec![held(1, 1000, 1000.0), held(8, 1400, 1000.0)];
    let c = callbacks(&held, 5, false, 0);
    assert!((c.kabao_cpu_per_application_us - 3000.0).abs() < 1e-9);
    assert_eq!(c.held_reference_connections, Some(8));
    assert!((c.async_cpu_per_application_us.unwrap() - 1600.0).abs() < 1e-9);
    assert_eq!(c.callback_latency.p99_us, 5000.0);
    assert!(c.bar_met());
    assert_eq!(
        callbacks(&[], 5, false, 0).async_cpu_per_application_us,
        None
    );
}

#[test]
fn the_callback_bar_needs_p99_under_50_ms_and_every_callback() {
    assert!(!callbacks(&[], 5, true, 0).bar_met()); // 2% at 90 ms: p99 is 90 ms
    assert!(!callbacks(&[], 5, false, 1).bar_met());
    let mut forged = callbacks(&[], 5, false, 0);
    forged.callbacks.signatures_verified -= 1;
    assert!(!forged.bar_met());
}

#[test]
fn the_markdown_has_the_bars_the_section_and_the_checks() {
    let held = vec![held(8, 1400, 1000.0)];
    let md = with_fapiao(FapiaoResults {
        callbacks: Some(callbacks(&held, 5, false, 0)),
        delivery: None,
        held,
    })
    .markdown();
    assert!(md.contains("| 1.40× at 8 conn | PASS |"), "{md}");
    assert!(
        md.contains("| p99 5.000 ms; 1000 of 1000 arrived, 2000 verified, 0 errors | PASS |"),
        "{md}"
    );
    assert!(
        md.contains(
            "## Fapiao applications (`POST /v3/new-tax-control-fapiao/fapiao-applications`)"
        ),
        "{md}"
    );
    assert!(
        md.contains("### `FAPIAO.ISSUED` callbacks (outcome immediate)"),
        "{md}"
    );
    assert!(
        md.contains("| 8 | 1000 | 0 | 1000 | 2.000 | 2.000 | 2.000 | 2.000 | 2.000 | 1400.0 | 1000.0 | 1.40× | PASS |"),
        "{md}"
    );
    assert!(
        md.contains("| 1000 / 1000 | 2000 of 2000 | 1000 | 0 | 0 | 5.000 | 5.000 | 5.000 | 5.000 | PASS | 3000.0 | 1600.0 |"),
        "{md}"
    );
    assert!(
        md.contains("| held, 8 conn | 1011 | 24 | 2.0 | 1.0 | 0.5 | 0 | 0 | 3 |"),
        "{md}"
    );
    assert!(
        md.contains("at 8 conn: checked; after the load: read back"),
        "{md}"
    );
    assert!(
        md.contains("--scenarios certificates,token,insert,fapiao"),
        "{md}"
    );
    assert!(md.contains("--fapiao-callback-rate 200"), "{md}");
}

#[test]
fn failures_and_missing_callbacks_are_listed() {
    let mut c = callbacks(&[], 5, false, 2);
    c.errors = 2;
    c.first_errors = sent(0, 2).outcome.first_errors;
    let md = with_fapiao(FapiaoResults {
        held: vec![],
        callbacks: Some(c),
        delivery: None,
    })
    .markdown();
    assert!(
        md.contains("998 of 1000 arrived, 1998 verified, 2 errors | MISS |"),
        "{md}"
    );
    assert!(
        md.contains("First errors of the immediate applications:"),
        "{md}"
    );
    assert!(md.contains("first of them: 42000, 42001"), "{md}");
    assert!(md.contains("| not run | — |"), "{md}"); // no held load: its bar was not run
}

#[test]
fn without_the_fapiao_scenario_both_rows_say_not_run() {
    let md = report(1200, 20_000).markdown();
    // The two fapiao rows, and the taxi row (no taxi load either).
    assert_eq!(md.matches("| not run | — |").count(), 3, "{md}");
    assert!(!md.contains("## Fapiao applications"));
}

/// 1000 applications whose 1000 ISSUED and 1000 CARD_INSERTED callbacks
/// arrived over 4 s, with kabao using `kabao_cpu_ms` from the first
/// application until idle.
pub(super) fn delivery(kabao_cpu_ms: u64, postgres_cpu_ms: Option<u64>) -> CallbackDelivery {
    let check = CallbackCheck {
        received: 2000,
        signatures_verified: 2000,
        expected: 1000,
        issued: 1000,
        card_inserted: 1000,
        ..CallbackCheck::default()
    };
    let used = CpuUsed {
        kabao: Duration::from_millis(kabao_cpu_ms),
        postgres: postgres_cpu_ms.map(Duration::from_millis),
        idle_percent: 2.5,
        ..CpuUsed::default()
    };
    CallbackDelivery::new(
        64,
        1000,
        sent(1000, 0),
        check,
        [Duration::from_secs(4), Duration::from_secs(1)],
        &used,
        setup(),
    )
}

#[test]
fn delivered_callbacks_are_counted_over_the_first_to_last_arrival() {
    let d = delivery(3000, None);
    assert_eq!((d.applications, d.merchants), (1000, 24));
    assert!((d.issued_per_sec - 250.0).abs() < 1e-9);
    assert!((d.card_inserted_per_sec - 250.0).abs() < 1e-9);
    assert!((d.delivered_per_sec - 500.0).abs() < 1e-9);
    // 3 s of kabao CPU over 2000 callbacks.
    assert!((d.kabao_cpu_per_callback_us - 1500.0).abs() < 1e-9);
    assert_eq!(d.postgres_cpu_per_callback_us, None);
    assert_eq!(d.errors(), 0);
}

#[test]
fn the_fapiao_section_reports_delivered_callbacks_and_says_what_they_mean() {
    let held = vec![held(8, 1400, 1000.0)];
    let md = with_fapiao(FapiaoResults {
        callbacks: Some(callbacks(&held, 5, false, 0)),
        held,
        delivery: Some(delivery(3000, None)),
    })
    .markdown();
    let at = md
        .find("### Callbacks delivered per second")
        .expect("a delivery part");
    let part = &md[at..];
    assert!(part.contains("**Callbacks delivered per second** is how many"));
    // ISSUED, CARD_INSERTED, verified, span, the three rates, CPU per callback.
    assert!(
        part.contains("| 1000 / 1000 | 1000 | 2000 of 2000 | 4.00 | 250 | 250 | 500 | 1500.0 |"),
        "{part}"
    );
    assert!(md.contains("--fapiao-delivery-applications 6000 --fapiao-delivery-merchants 48"));
}
