//! One way to read a column from a SQLite or a PostgreSQL row, so a row
//! conversion is written once for both backends (and for the rows kabao's
//! own SQLite connections read with rusqlite: the writer's and the point
//! readers').

use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Postgres, Row, Sqlite, Type};

/// A Rust type both backends decode a column into (`String`, `i64`,
/// `Vec<u8>`, `bool` and their `Option`s).
pub(crate) trait Value:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + rusqlite::types::FromSql
{
}

impl<T> Value for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + rusqlite::types::FromSql
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

impl Columns for rusqlite::Row<'_> {
    fn col<T: Value>(&self, name: &str) -> sqlx::Result<T> {
        self.get(name).map_err(|e| sqlx::Error::ColumnDecode {
            index: name.to_owned(),
            source: Box::new(e),
        })
    }
}

/// A row conversion's error inside a rusqlite call.
pub(crate) fn into_rusqlite(e: sqlx::Error) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Null, Box::new(e))
}
