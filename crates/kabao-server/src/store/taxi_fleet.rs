//! Taxi companies, taxis, drivers and attendance punches of the taxi
//! invoice family (T1–T7); every record belongs to the service provider
//! that registered it.

use async_trait::async_trait;

/// The taxi fleet of each service provider; a supertrait of `Store`.
#[async_trait]
pub trait TaxiFleetStore: Send + Sync {}
