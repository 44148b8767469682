//! [`TaxiFleetStore`] in SQLite: `taxi_companies`, `taxis`, `taxi_drivers`,
//! `taxi_punches`.

use crate::store::sqlite::SqliteStore;
use crate::store::taxi_fleet::TaxiFleetStore;
use async_trait::async_trait;

#[async_trait]
impl TaxiFleetStore for SqliteStore {}
