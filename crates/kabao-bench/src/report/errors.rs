//! What failed in a run, added up over every store and scenario: the bench
//! exits non-zero, after writing its report, when anything did.

use super::*;

/// Failed requests of one store's scenarios, warm-ups included.
fn store_errors(
    scenarios: &[ScenarioResult],
    inserts_and_bills: &[&[InsertResult]],
    fapiao: Option<&FapiaoResults>,
    taxi: &[TaxiResult],
) -> u64 {
    scenarios.iter().map(|s| s.load.errors).sum::<u64>()
        + inserts_and_bills
            .iter()
            .flat_map(|results| results.iter())
            .map(|s| s.errors + s.warmup_errors)
            .sum::<u64>()
        + fapiao.map_or(0, FapiaoResults::errors)
        + taxi.iter().map(|t| t.errors + t.warmup_errors).sum::<u64>()
}

impl FapiaoResults {
    /// Failed applications (warm-ups included) and callbacks that never
    /// arrived or failed their checks.
    pub fn errors(&self) -> u64 {
        self.held
            .iter()
            .map(|h| h.errors + h.warmup_errors)
            .sum::<u64>()
            + self
                .callbacks
                .as_ref()
                .map_or(0, |c| c.errors + c.callbacks.failed as u64)
            + self.delivery.as_ref().map_or(0, CallbackDelivery::errors)
    }
}

impl StoreRun {
    /// Failed requests of this run's scenarios.
    pub fn errors(&self) -> u64 {
        store_errors(
            &self.scenarios,
            &[&self.inserts, &self.bills],
            self.fapiao.as_ref(),
            &self.taxi,
        )
    }
}

impl Report {
    /// Failed requests anywhere in the run: SQLite's scenarios, Prism,
    /// scaling and every PostgreSQL run.
    pub fn failed_requests(&self) -> u64 {
        store_errors(
            &self.scenarios,
            &[&self.inserts, &self.bills],
            self.fapiao.as_ref(),
            &self.taxi,
        ) + self.prism.as_ref().map_or(0, PrismResults::errors)
            + self.scaling.as_ref().map_or(0, ScalingResults::errors)
            + self
                .postgres
                .as_ref()
                .map_or(0, |p| p.runs.iter().map(StoreRun::errors).sum())
    }

    /// PostgreSQL runs that stopped early.
    pub fn failed_runs(&self) -> usize {
        self.postgres
            .as_ref()
            .map_or(0, |p| p.runs.iter().filter(|r| r.failure.is_some()).count())
    }
}
