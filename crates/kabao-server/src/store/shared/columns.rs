//! One way to read a column from a SQLite or a PostgreSQL row, so a row
//! conversion is written once for both backends.

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Postgres, Row, Sqlite, Type};

/// A Rust type both backends decode a column into (`String`, `i64`,
/// `Vec<u8>`, `bool` and their `Option`s).
pub(crate) trait Value:
    for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

impl<T> Value for T where
    T: for<'r> Decode<'r, Sqlite> + Type<Sqlite> + for<'r> Decode<'r, Postgres> + Type<Postgres>
{
}

/// A row of either backend, read by column name.
pub(crate) trait Columns {
    /// The column `name`, decoded as `T`.
    fn col<T: Value>(&self, name: &str) -> sqlx::Result<T>;
}

impl Columns for SqliteRow {
    fn col<T: Value>(&self, name: &str) -> sqlx::Result<T> {
        self.try_get(name)
    }
}

impl Columns for PgRow {
    fn col<T: Value>(&self, name: &str) -> sqlx::Result<T> {
        self.try_get(name)
    }
}
