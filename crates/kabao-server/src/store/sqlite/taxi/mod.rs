//! The taxi invoice family in SQLite (`migrations/sqlite/0005_taxi.sql`).

mod fleet;
mod trips;
