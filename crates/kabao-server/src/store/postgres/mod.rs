//! The PostgreSQL store: the scale-out backend, where several kabao
//! processes share one database (selected by `--database-url postgres://…`).

mod callback;
mod callback_leases;
mod fapiao;
mod fapiao_cards;
mod fapiao_setup;
mod fapiao_titles;
mod invoice;
mod invoice_card_insert;
mod invoice_support;
mod outbox;
mod push;
mod taxi_fleet;
mod taxi_trips;
mod tenants;

use super::migrate::POSTGRES;
use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// Key of the advisory lock held while migrating, so that processes
/// starting together on one database apply each migration once.
const MIGRATION_LOCK: i64 = 0x6b61_6261_6f5f_6d67; // "kabao_mg"

/// PostgreSQL behind the [`Store`](super::Store) trait.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://…` or
    /// `postgresql://…`, which must exist) and applies pending migrations.
    pub async fn open(url: &str) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .context("a PostgreSQL URL")?
            .application_name(callback_leases::application_name());
        // Named without the user and password, which are never logged.
        let place = format!(
            "PostgreSQL at {}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or_default()
        );
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .with_context(|| format!("could not connect to {place}"))?;
        migrate(&pool)
            .await
            .with_context(|| format!("could not migrate {place}"))?;
        Ok(Self { pool })
    }
}

/// Applies pending migrations, each in its own transaction holding the
/// migration advisory lock (released at commit).
async fn migrate(pool: &PgPool) -> anyhow::Result<()> {
    for migration in POSTGRES {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await?;
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS kabao_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let done: Option<i64> =
            sqlx::query_scalar("SELECT version FROM kabao_migrations WHERE version = $1")
                .bind(migration.version)
                .fetch_optional(&mut *tx)
                .await?;
        if done.is_none() {
            tracing::info!(migration = migration.name, "applying migration");
            sqlx::raw_sql(migration.sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO kabao_migrations (version, name) VALUES ($1, $2)")
                .bind(migration.version)
                .bind(migration.name)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

/// Holds, until the transaction ends, the advisory lock of one name:
/// writers that check, then insert a row that may not exist yet, queue on it.
pub(super) async fn lock_name(conn: &mut sqlx::PgConnection, name: &str) -> sqlx::Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
        .bind(name)
        .execute(conn)
        .await?;
    Ok(())
}
