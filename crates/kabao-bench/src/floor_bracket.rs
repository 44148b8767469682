//! The crypto floors around a series of loads: one measured before the
//! first, one after each, and each load judged against the mean of the two
//! either side of it, so a machine that speeds up or slows down during the
//! run moves the floor with it.

use crate::procstat::TicksPerSecond;
use crate::report::FloorRun;
use crate::server::Kabao;

/// The floors measured so far around one series of loads.
pub(crate) struct FloorBracket<'a> {
    kabao: &'a Kabao,
    ticks: TicksPerSecond,
    iterations: usize,
    /// The floor after the last load (or before the first), µs per pair.
    last_pair_us: Option<f64>,
}

impl<'a> FloorBracket<'a> {
    /// A series on `kabao`, each floor `iterations` verify+sign pairs.
    pub(crate) fn new(kabao: &'a Kabao, ticks: TicksPerSecond, iterations: usize) -> Self {
        Self {
            kabao,
            ticks,
            iterations,
            last_pair_us: None,
        }
    }

    /// Measures the floor before the load `name`, unless one was measured
    /// after the load before it.
    pub(crate) fn before(&mut self, name: &str, floors: &mut Vec<FloorRun>) -> anyhow::Result<()> {
        if self.last_pair_us.is_none() {
            self.measure(&format!("before {name}"), floors)?;
        }
        Ok(())
    }

    /// Measures the floor after the load `name`; the floor it is judged
    /// against, µs per pair (the one after alone if none was measured before).
    pub(crate) fn after(&mut self, name: &str, floors: &mut Vec<FloorRun>) -> anyhow::Result<f64> {
        let before = self.last_pair_us;
        let after = self.measure(&format!("after {name}"), floors)?;
        Ok(between(before, after))
    }

    fn measure(&mut self, label: &str, floors: &mut Vec<FloorRun>) -> anyhow::Result<f64> {
        let run = crate::floor(self.kabao, self.ticks, label, 1, self.iterations)?;
        let pair_us = run.floor.pair_us;
        floors.push(run);
        self.last_pair_us = Some(pair_us);
        Ok(pair_us)
    }
}

/// The floor a load is judged against: the mean of the floors either side
/// of it, or the one after alone.
fn between(before: Option<f64>, after: f64) -> f64 {
    before.map_or(after, |before| (before + after) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::between;

    #[test]
    fn a_load_is_judged_against_the_mean_of_the_floors_around_it() {
        assert_eq!(between(Some(200.0), 230.0), 215.0);
        assert_eq!(between(None, 230.0), 230.0);
    }
}
