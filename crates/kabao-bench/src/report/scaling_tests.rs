//! The growth judgement and the series the scaling section reads.

use super::scaling::*;

#[test]
fn a_constant_series_is_flat() {
    let j = judge(&[(1e4, 50.0), (1e5, 52.0), (1e6, 55.0)]).unwrap();
    assert_eq!(j.growth, Growth::Flat);
    assert!((j.ratio - 1.1).abs() < 1e-9);
    assert!((j.x_ratio - 100.0).abs() < 1e-9);
}

#[test]
fn growth_like_the_logarithm_of_the_size_is_logarithmic() {
    // y = 10 ln(n): 1.5× from 10k to 1M.
    let points: Vec<(f64, f64)> = [1e4, 1e5, 1e6]
        .iter()
        .map(|&n: &f64| (n, 10.0 * n.ln()))
        .collect();
    let j = judge(&points).unwrap();
    assert_eq!(j.growth, Growth::Logarithmic);
    assert!((j.ratio - 1.5).abs() < 1e-9);
}

#[test]
fn linear_growth_is_worse_and_its_exponent_is_one() {
    let j = judge(&[(1e4, 1.0), (1e6, 100.0)]).unwrap();
    assert_eq!(j.growth, Growth::Worse);
    assert!((j.exponent - 1.0).abs() < 1e-9);
    // Square-root growth is also worse than logarithmic over 100×.
    let j = judge(&[(1e4, 1.0), (1e6, 10.0)]).unwrap();
    assert_eq!(j.growth, Growth::Worse);
    assert!((j.exponent - 0.5).abs() < 1e-9);
}

#[test]
fn a_shrinking_series_is_flat() {
    assert_eq!(
        judge(&[(10.0, 8.0), (1e4, 6.0)]).unwrap().growth,
        Growth::Flat
    );
}

#[test]
fn too_few_or_unusable_points_are_not_judged() {
    assert!(judge(&[]).is_none());
    assert!(judge(&[(1e4, 1.0)]).is_none());
    assert!(judge(&[(1e4, 0.0), (1e6, 1.0)]).is_none());
    assert!(judge(&[(1e6, 1.0), (1e4, 1.0)]).is_none());
}

#[test]
fn the_bounds_sit_between_flat_and_linear() {
    // Just above flat but within the logarithmic bound of 10k → 1M (1.875×).
    let j = judge(&[(1e4, 1.0), (1e6, 1.8)]).unwrap();
    assert_eq!(j.growth, Growth::Logarithmic);
    let j = judge(&[(1e4, 1.0), (1e6, 1.9)]).unwrap();
    assert_eq!(j.growth, Growth::Worse);
}

#[test]
fn a_falling_rate_is_judged_on_the_time_per_request() {
    let series = Series {
        name: "inserts per second",
        unit: "1/s",
        x: "stored cards",
        points: vec![(1e4, 20_000.0), (1e6, 5_000.0)],
        rate: true,
    };
    let j = series.judgement().unwrap();
    assert!((j.ratio - 4.0).abs() < 1e-9);
    assert_eq!(j.growth, Growth::Worse);
    let steady = Series {
        points: vec![(1e4, 20_000.0), (1e6, 19_000.0)],
        ..series
    };
    assert_eq!(steady.judgement().unwrap().growth, Growth::Flat);
}

fn point(cards: u64, users: usize, insert_cpu_ms: u64, rss_kb: u64) -> ScalingPoint {
    use crate::load::Outcome;
    use crate::procstat::Memory;
    use std::time::Duration;
    let outcome = || Outcome {
        latencies_ns: vec![1_000_000; 1000],
        elapsed: Duration::from_secs(1),
        ..Outcome::default()
    };
    let memory = Memory {
        rss_kb,
        peak_rss_kb: rss_kb,
        threads: 8,
    };
    ScalingPoint {
        cards,
        users,
        fill: Fill {
            rows: cards * 5,
            secs: 1.0,
            pending_orders: 10,
        },
        start_secs: 0.1,
        idle_memory: memory,
        insert: LoadFigures::new(outcome(), 0, Duration::from_millis(insert_cpu_ms)),
        read: LoadFigures::new(outcome(), 0, Duration::from_millis(100)),
        memory_after: memory,
        rss_anon_kb: rss_kb / 2,
        rss_file_kb: rss_kb / 2,
        db_bytes: cards * 2000,
        wal_bytes: 0,
        checks: vec!["checked".into()],
    }
}

fn results() -> ScalingResults {
    ScalingResults {
        connections: 64,
        template_cards: 4,
        template_secs: 0.5,
        size_users: 1000,
        spread_cards: 100_000,
        points: vec![
            point(10_000, 1000, 40, 70_000),
            point(100_000, 1000, 45, 70_000),
            point(1_000_000, 1000, 120, 70_000),
            point(100_000, 10, 44, 70_000),
        ],
        total_secs: 100.0,
        flags: " --scaling-cards 10000,100000,1000000".into(),
    }
}

#[test]
fn series_read_their_points_in_ascending_size_and_users() {
    let r = results();
    let sizes = r.size_series();
    let cpu = &sizes[0];
    assert_eq!(cpu.name, "kabao CPU per insert");
    assert_eq!(
        cpu.points,
        vec![(1e4, 40.0), (1e5, 45.0), (1e6, 120.0)],
        "1000 inserts per point: µs per insert"
    );
    let users = r.user_series();
    assert_eq!(users[0].points, vec![(10.0, 44.0), (1000.0, 45.0)]);
}

#[test]
fn the_section_states_each_verdict_from_the_numbers() {
    let mut report = super::tests::report(100, 20_000);
    report.scaling = Some(results());
    let md = report.markdown();
    assert!(md.contains("## Scaling with store size"), "{md}");
    assert!(
        md.contains("- kabao CPU per insert (µs): 40.0 at 10k stored cards, 120 at 1M: 3.00× for 100× the stored cards (exponent 0.24): **worse than logarithmic**."),
        "{md}"
    );
    assert!(md.contains("- kabao RSS after the loads (MB): "), "{md}");
    assert!(
        md.contains("1.00× for 100× the stored cards (exponent 0.00): **flat**"),
        "{md}"
    );
    assert!(md.contains("--scaling-cards 10000,100000,1000000"), "{md}");
    let bar = md
        .lines()
        .find(|l| l.starts_with("| kabao CPU per insert and per `getinvoiceinfo`"))
        .expect("a scaling bar row");
    assert!(
        bar.contains(
            "worse than logarithmic: kabao CPU per insert against stored cards: 3.00× for 100×"
        ),
        "{bar}"
    );
    assert!(bar.ends_with("| MISS |"), "{bar}");
}
