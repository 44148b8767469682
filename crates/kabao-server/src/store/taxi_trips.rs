//! Passengers' taxi rides and trip orders, uploaded taxi fapiao files and
//! the taxi fapiao cards in users' card packages (T8–T11).

use async_trait::async_trait;

/// Rides, taxi fapiao files and cards; a supertrait of `Store`.
#[async_trait]
pub trait TaxiTripStore: Send + Sync {}
