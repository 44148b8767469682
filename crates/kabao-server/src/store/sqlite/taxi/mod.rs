//! The taxi invoice family in SQLite (`migrations/sqlite/0005_taxi.sql`).

mod attendance;
mod fleet;
mod trips;
