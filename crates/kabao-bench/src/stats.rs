//! Summaries of a latency sample: nearest-rank percentiles, mean and maximum.

use serde::Serialize;

/// The `p`-th percentile (0 < p ≤ 100) of an ascending sample by the nearest-rank
/// method: the smallest value with at least `p`% of the sample at or below it.
/// An empty sample gives 0.
pub fn percentile(sorted: &[u64], p: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (p / 100.0 * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// Latency summary in microseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    /// Mean.
    pub mean_us: f64,
    /// Median.
    pub p50_us: f64,
    /// 90th percentile.
    pub p90_us: f64,
    /// 99th percentile.
    pub p99_us: f64,
    /// 99.9th percentile.
    pub p999_us: f64,
    /// Slowest request.
    pub max_us: f64,
}

impl Latency {
    /// Summarises latencies given in nanoseconds (sorts them).
    pub fn of_nanos(mut sample: Vec<u64>) -> Self {
        if sample.is_empty() {
            return Self::default();
        }
        sample.sort_unstable();
        let us = |ns: u64| ns as f64 / 1_000.0;
        let sum: u128 = sample.iter().map(|&v| u128::from(v)).sum();
        Self {
            mean_us: sum as f64 / sample.len() as f64 / 1_000.0,
            p50_us: us(percentile(&sample, 50.0)),
            p90_us: us(percentile(&sample, 90.0)),
            p99_us: us(percentile(&sample, 99.0)),
            p999_us: us(percentile(&sample, 99.9)),
            max_us: us(*sample.last().expect("not empty")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_on_one_to_a_hundred() {
        let sample: Vec<u64> = (1..=100).collect();
        assert_eq!(percentile(&sample, 50.0), 50);
        assert_eq!(percentile(&sample, 90.0), 90);
        assert_eq!(percentile(&sample, 99.0), 99);
        assert_eq!(percentile(&sample, 99.9), 100);
        assert_eq!(percentile(&sample, 100.0), 100);
    }

    #[test]
    fn small_and_empty_samples() {
        assert_eq!(percentile(&[], 50.0), 0);
        assert_eq!(percentile(&[7], 0.1), 7);
        assert_eq!(percentile(&[7], 99.9), 7);
        assert_eq!(percentile(&[1, 2, 3, 4], 50.0), 2);
        assert_eq!(percentile(&[1, 2, 3, 4], 51.0), 3);
    }

    #[test]
    fn summary_sorts_and_converts_to_microseconds() {
        let sample = vec![3_000, 1_000, 2_000, 10_000];
        let l = Latency::of_nanos(sample);
        assert_eq!(l.p50_us, 2.0);
        assert_eq!(l.max_us, 10.0);
        assert_eq!(l.mean_us, 4.0);
    }
}
