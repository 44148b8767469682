//! The Prism comparison: its ratio, its Markdown, and the plots of a run.

use super::prism_md::ratio_row;
use super::tests::report;
use super::*;
use crate::fapiao_load::FapiaoOutcome;
use crate::load::Outcome;
use std::time::Duration;

fn outcome(successes: usize, errors: u64, millis: u64) -> Outcome {
    Outcome {
        latencies_ns: (1..=successes as u64).map(|i| i * 1_000).collect(),
        errors,
        first_errors: (0..errors)
            .map(|i| format!("422 {{\"title\":\"Invalid request\",\"n\":{i}}}"))
            .collect(),
        exhausted: false,
        elapsed: Duration::from_millis(millis),
    }
}

fn memory(kb: u64) -> Memory {
    Memory {
        rss_kb: kb,
        peak_rss_kb: kb,
        threads: 11,
    }
}

/// Prism answering `per_sec[i]` per second at `connections[i]`.
fn prism(runs: &[(usize, usize)]) -> PrismResults {
    PrismResults {
        package: "@stoplight/prism-cli@5.16.0".into(),
        node_version: "v20.20.2".into(),
        spec: "/ref/fapiao-applications.yaml".into(),
        log_level: "warn".into(),
        install_secs: 9.5,
        startup_secs: 2.0,
        check: "202 for an application".into(),
        idle_memory: memory(90_000),
        peak_rss_kb: 150_000,
        runs: runs
            .iter()
            .map(|&(connections, per_sec)| {
                PrismRun::new(
                    connections,
                    outcome(per_sec, 0, 1000),
                    [Duration::from_millis(500), Duration::from_millis(100)],
                    0.0,
                    120_000,
                    &Outcome::default(),
                )
            })
            .collect(),
    }
}

/// kabao accepting `per_sec` applications per second at `connections`.
fn held(connections: usize, per_sec: usize, cap_waits: u64) -> FapiaoHeldResult {
    let measured = FapiaoOutcome {
        outcome: outcome(per_sec, 0, 1000),
        cap_waits,
        ..FapiaoOutcome::default()
    };
    FapiaoHeldResult::new(
        connections,
        per_sec,
        measured,
        [Duration::from_millis(300), Duration::from_millis(50)],
        0.0,
        FapiaoSetup::default(),
        FapiaoOutcome::default(),
        "checked".into(),
        "read back".into(),
    )
}

#[test]
fn the_ratio_is_kabaos_applications_over_prisms_answers_at_each_connection_count() {
    let p = prism(&[(1, 2000), (8, 2500), (64, 2400)]);
    let fapiao = FapiaoResults {
        held: vec![held(1, 1000, 0), held(8, 3000, 0), held(64, 4320, 7)],
        callbacks: None,
        delivery: None,
    };
    let ratios = p.ratios(Some(&fapiao));
    let got: Vec<_> = ratios
        .iter()
        .map(|r| {
            (
                r.connections,
                r.ratio.map(|x| (x * 1000.0).round() / 1000.0),
                r.kabao_paced,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, Some(0.5), false),
            (8, Some(1.2), false),
            (64, Some(1.8), true)
        ]
    );
    assert_eq!(ratio_row(&ratios[1]), "| 8 | 3000 | 2500 | 1.20× |");
    assert_eq!(ratio_row(&ratios[2]), "| 64 | 4320 ¹ | 2400 | 1.80× ¹ |");
}

#[test]
fn without_kabao_at_a_count_or_without_prism_answers_there_is_no_ratio() {
    let p = prism(&[(1, 2000), (8, 0)]);
    let fapiao = FapiaoResults {
        held: vec![held(8, 3000, 0)],
        callbacks: None,
        delivery: None,
    };
    let ratios = p.ratios(Some(&fapiao));
    assert_eq!(ratios[0].kabao_applications_per_sec, None);
    assert_eq!(ratios[0].ratio, None);
    assert_eq!(ratios[1].kabao_applications_per_sec, Some(3000.0));
    assert_eq!(ratios[1].ratio, None, "no division by zero answers");
    assert_eq!(ratio_row(&ratios[0]), "| 1 | not run | 2000 | — |");
    assert!(p.ratios(None).iter().all(|r| r.ratio.is_none()));
}

#[test]
fn the_section_says_what_each_side_does_and_gives_the_ratio() {
    let mut r = report(900, 20_000);
    r.fapiao = Some(FapiaoResults {
        held: vec![held(8, 3000, 0)],
        callbacks: None,
        delivery: None,
    });
    r.prism = Some(prism(&[(8, 2500)]));
    let md = r.markdown();
    assert!(
        md.contains("| reported, no target | 1.20× at 8 conn | — |"),
        "{md}"
    );
    let section = &md[md
        .find("## kabao and a generic OpenAPI mock side by side")
        .unwrap()..];
    assert!(section.contains("`@stoplight/prism-cli@5.16.0`"));
    assert!(section.contains("verifies the merchant's RSA signature"));
    assert!(section.contains("keeps no state"));
    assert!(section.contains("checks no signature and signs nothing"));
    assert!(section.contains("| 8 | 3000 | 2500 | 1.20× |"));
    // Prism's own row: 2500 answers, its CPU per answer 500 ms / 2500 = 200 µs.
    assert!(section.contains("| 8 | 2500 | 0 | 2500 |"), "{section}");
    assert!(section.contains("| 200.0 | 0.50 |"), "{section}");
    assert!(section.contains("153.6 MB at its peak"));
    assert!(!section.contains("did not run"));
}

#[test]
fn without_the_fapiao_scenario_the_section_says_so() {
    let mut r = report(900, 20_000);
    r.fapiao = None;
    r.prism = Some(prism(&[(1, 2000)]));
    let md = r.markdown();
    assert!(md.contains("no kabao figure (fapiao did not run)"));
    assert!(md.contains("The fapiao scenario did not run in this run"));
    assert!(md.contains("| 1 | not run | 2000 | — |"));
}

#[test]
fn prism_errors_count_with_the_runs() {
    let mut p = prism(&[(1, 10)]);
    p.runs.push(PrismRun::new(
        8,
        outcome(5, 3, 1000),
        [Duration::ZERO, Duration::ZERO],
        0.0,
        0,
        &outcome(0, 2, 1000),
    ));
    assert_eq!(p.errors(), 5);
    let mut r = report(900, 20_000);
    r.prism = Some(p);
    assert!(r.markdown().contains("First errors of Prism at 8 conn"));
}

#[test]
fn every_load_is_a_line_of_the_throughput_chart_and_has_its_latency_chart() {
    let mut r = report(900, 20_000);
    r.fapiao = Some(FapiaoResults {
        held: vec![held(1, 1000, 0), held(8, 3000, 0)],
        callbacks: None,
        delivery: None,
    });
    r.prism = Some(prism(&[(1, 2000), (8, 2500)]));
    let charts = r.charts();
    let files: Vec<&str> = charts.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        files,
        [
            "throughput.svg",
            "latency-certificates.svg",
            "latency-token.svg",
            "latency-insert.svg",
            "latency-fapiao.svg",
            "latency-prism.svg"
        ]
    );
    let throughput = &charts[0].1;
    let names: Vec<&str> = throughput.series.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"POST …/fapiao-applications (kabao: signed, stored)"));
    assert!(names.contains(&"POST …/fapiao-applications (Prism mock: unsigned, no state)"));
    let prism_line = throughput
        .series
        .iter()
        .find(|s| s.name.contains("Prism"))
        .unwrap();
    assert_eq!(prism_line.points, vec![(1.0, 2000.0), (8.0, 2500.0)]);
    let latency = &charts[5].1;
    let names: Vec<&str> = latency.series.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["p50", "p99", "p99.9"]);
    // 2500 latencies of 1..2500 µs: p50 is 1.25 ms.
    assert_eq!(latency.series[0].points[1], (8.0, 1.25));
}

#[test]
fn plots_are_written_beside_the_report_and_linked_relatively() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("BENCHMARKS.md");
    let mut r = report(900, 20_000);
    r.prism = Some(prism(&[(1, 2000), (8, 2500)]));
    let plots_dir = charts::default_plots_dir(&out);
    r.plots = charts::write_plots(&r, &plots_dir, &out).unwrap();
    assert_eq!(r.plots[0].href, "bench-plots/throughput.svg");
    for plot in &r.plots {
        let svg = std::fs::read_to_string(dir.path().join(&plot.href)).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    }
    let md = r.markdown();
    assert!(md.contains("## Plots"));
    assert!(md.contains("![Throughput against connections](bench-plots/throughput.svg)"));
    assert!(md.contains("(bench-plots/latency-prism.svg)"));
}
