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
