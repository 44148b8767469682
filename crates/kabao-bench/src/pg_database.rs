//! A fresh PostgreSQL database for one PostgreSQL run: created on the
//! server named by `--postgres-url` (its admin database) with a name that
//! carries its creation time and a random part, and dropped when the run
//! ends, also when it ends with an error (on drop). Databases of killed
//! runs older than [`STALE_AFTER_SECS`] are dropped when the next is made.

use crate::server::random_hex;
use anyhow::{bail, Context as _};
use sqlx::Connection as _;
use std::time::Duration;

/// Prefix of the bench's database names: `kabao_bench_<unix seconds>_<random>`.
const PREFIX: &str = "kabao_bench_";

/// Bench databases older than this are left over from killed runs.
const STALE_AFTER_SECS: i64 = 6 * 3600;

/// A database made for one run; dropped with this value.
#[derive(Debug)]
pub struct PgDatabase {
    /// Its name.
    pub name: String,
    /// The URL kabao connects with.
    pub url: String,
    server: String,
}

impl PgDatabase {
    /// Creates a new database on the server of `server_url`.
    pub fn create(server_url: &str) -> anyhow::Result<Self> {
        drop_stale(server_url);
        let name = format!(
            "{PREFIX}{}_{}",
            crate::fapiao_world::unix_now(),
            random_hex(8)
        );
        let url = with_database(server_url, &name)?;
        on_server(server_url, format!("CREATE DATABASE {name}"), false).with_context(|| {
            format!("the PostgreSQL runs need a PostgreSQL server at {server_url} (--postgres-url)")
        })?;
        Ok(Self {
            name,
            url,
            server: server_url.to_owned(),
        })
    }

    /// `SHOW server_version` of the server at `server_url`, if it answers.
    pub fn server_version(server_url: &str) -> Option<String> {
        on_server(server_url, "SHOW server_version".to_owned(), true)
            .ok()?
            .into_iter()
            .next()
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        match on_server(&self.server, sql, false) {
            Ok(_) => eprintln!("dropped database {}", self.name),
            Err(e) => eprintln!("could not drop database {}: {e:#}", self.name),
        }
    }
}

/// `server_url` with its database (the path) replaced by `name`; its query stays.
pub fn with_database(server_url: &str, name: &str) -> anyhow::Result<String> {
    let Some(scheme_end) = server_url.find("://") else {
        bail!("{server_url} is not a postgres:// URL");
    };
    let (base, query) = match server_url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (server_url, None),
    };
    let authority_start = scheme_end + 3;
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut url = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        url.push('?');
        url.push_str(query);
    }
    Ok(url)
}

/// Drops the bench databases made more than [`STALE_AFTER_SECS`] ago (best effort).
fn drop_stale(server_url: &str) {
    let query = format!("SELECT datname::TEXT FROM pg_database WHERE datname LIKE '{PREFIX}%'");
    let Ok(names) = on_server(server_url, query, true) else {
        return;
    };
    let now = crate::fapiao_world::unix_now();
    for name in names {
        let made: Option<i64> = name
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse().ok());
        if made.is_some_and(|made| now - made > STALE_AFTER_SECS) {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if on_server(server_url, sql, false).is_ok() {
                eprintln!("dropped database {name}, left over from an earlier run");
            }
        }
    }
}

/// Runs `sql` on a new connection to `server_url`; with `rows`, returns the
/// first column of each row. Runs on its own thread and runtime, so that it
/// works from synchronous code (drop) and inside the bench's runtime alike.
fn on_server(server_url: &str, sql: String, rows: bool) -> anyhow::Result<Vec<String>> {
    let server_url = server_url.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        runtime.block_on(async {
            let connect = sqlx::PgConnection::connect(&server_url);
            let mut conn = tokio::time::timeout(Duration::from_secs(10), connect)
                .await
                .context("connecting timed out")??;
            let done = if rows {
                sqlx::query_scalar(&sql).fetch_all(&mut conn).await
            } else {
                sqlx::raw_sql(&sql)
                    .execute(&mut conn)
                    .await
                    .map(|_| Vec::new())
            };
            let _ = conn.close().await;
            Ok(done?)
        })
    })
    .join()
    .map_err(|_| anyhow::anyhow!("the database thread panicked"))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_database_is_the_path_and_the_query_stays() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "kabao_bench_1_a").unwrap(),
            "postgres://postgres@127.0.0.1:5432/kabao_bench_1_a"
        );
        assert_eq!(
            with_database("postgres://u:p@db/x?sslmode=disable", "b").unwrap(),
            "postgres://u:p@db/b?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://localhost", "b").unwrap(),
            "postgres://localhost/b"
        );
        assert!(with_database("localhost/test", "b").is_err());
    }
}
