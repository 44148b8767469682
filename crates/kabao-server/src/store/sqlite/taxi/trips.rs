//! [`TaxiTripStore`] in SQLite: `taxi_rides`, `taxi_media`, `taxi_cards`.

use crate::store::sqlite::SqliteStore;
use crate::store::taxi_trips::TaxiTripStore;
use async_trait::async_trait;

#[async_trait]
impl TaxiTripStore for SqliteStore {}
