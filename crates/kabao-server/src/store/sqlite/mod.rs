//! The embedded SQLite store (WAL mode): the default, made at `./kabao.db`.

mod busy;
mod callback;
mod card_insert;
mod checkpointer;
mod code_mint;
mod fapiao;
mod fapiao_card_discard;
mod fapiao_cards;
mod fapiao_jobs;
mod fapiao_setup;
mod fapiao_titles;
mod invoice;
mod outbox;
mod push;
mod readers;
mod setup_cache;
mod taxi;
mod tenants;
mod writer;

use super::migrate::SQLITE;
pub(super) use crate::store::corrupt;
use crate::store::StoreResult;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// SQLite behind the [`Store`] trait.
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    writer: std::sync::Arc<writer::Writer>,
    readers: std::sync::Arc<readers::Readers>,
    setup_cache: std::sync::Arc<setup_cache::SetupCache>,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite://PATH`,
    /// `sqlite:PATH` or a bare path) and applies pending migrations.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            // The checkpointer thread copies the WAL back; a commit never
            // stops to do it (and fsync) itself.
            .pragma("wal_autocheckpoint", "0")
            .foreign_keys(true);
        let path = options.get_filename().to_owned();
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_connect(|conn, _| Box::pin(busy::install(conn)))
            .connect_with(options)
            .await?;
        migrate(&pool).await?;
        let writer = std::sync::Arc::new(writer::Writer::start(&path)?);
        let readers = std::sync::Arc::new(readers::Readers::new(&path));
        let store = Self {
            pool,
            writer,
            readers,
            setup_cache: Default::default(),
        };
        Ok(store)
    }

    /// Runs a short keyed read on the writer's connection when it is free
    /// right now (its cache is warm for rows just written), else on a pooled
    /// reader; either way on the caller's thread, with no hop to sqlx's
    /// worker thread. For the lookups on every request's path.
    fn point_read<T>(
        &self,
        read: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> StoreResult<T> {
        match self.writer.read_in_place(read) {
            Ok(done) => done.map_err(readers::backend),
            Err(read) => self.readers.read(read),
        }
    }

    /// A keyed lookup of at most one row through [`Self::point_read`],
    /// read with one of the row conversions shared with PostgreSQL.
    fn point_row<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        from_row: impl Fn(&rusqlite::Row<'_>) -> sqlx::Result<T>,
    ) -> StoreResult<Option<T>> {
        use rusqlite::OptionalExtension;
        self.point_read(|conn| {
            conn.prepare_cached(sql)?
                .query_row(params, |row| {
                    from_row(row).map_err(crate::store::shared::into_rusqlite)
                })
                .optional()
        })
    }
}

/// Applies pending migrations, each in its own transaction.
async fn migrate(pool: &SqlitePool) -> anyhow::Result<()> {
    {
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS kabao_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)",
        )
        .execute(pool)
        .await?;
        for migration in SQLITE {
            let mut tx = pool.begin().await?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM kabao_migrations WHERE version = ?")
                    .bind(migration.version)
                    .fetch_optional(&mut *tx)
                    .await?;
            if done.is_none() {
                tracing::info!(migration = migration.name, "applying migration");
                sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO kabao_migrations (version, name) VALUES (?, ?)")
                    .bind(migration.version)
                    .bind(migration.name)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}
