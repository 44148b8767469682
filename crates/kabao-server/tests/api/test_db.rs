//! Which store a test server runs on, and its database. The `api` target
//! runs every test on SQLite in the test's folder; the `api_postgres` target
//! runs the same tests on PostgreSQL, each test server on a fresh database
//! (`kabao_t_<random>`) made on the server at `KABAO_TEST_DATABASE_URL`
//! (default `postgres://postgres@127.0.0.1:5432/test`) and dropped with the
//! test app. Without a reachable server those tests fail, saying so.

use std::path::Path;

/// Where the PostgreSQL variants make their databases by default.
const DEFAULT_SERVER: &str = "postgres://postgres@127.0.0.1:5432/test";

/// The file in a test's folder naming its PostgreSQL database, so a restart
/// on the same folder finds the same data.
const RECORD: &str = "postgres-url";

/// True in the `api_postgres` test target.
pub fn postgres() -> bool {
    env!("CARGO_CRATE_NAME") == "api_postgres"
}

/// The store name the health endpoint reports for this target.
pub fn backend() -> &'static str {
    if postgres() {
        "postgres"
    } else {
        "sqlite"
    }
}

/// The database URL of the store kept in `dir`: `dir/kabao.db`, or the
/// PostgreSQL database recorded there (made on first use).
pub fn database_url(dir: &Path) -> String {
    if !postgres() {
        return format!("sqlite://{}", dir.join("kabao.db").display());
    }
    postgres_database(dir)
}

/// The PostgreSQL database recorded in `dir` (made on first use), whichever
/// store this target runs on: for tests that move data between the two.
pub fn postgres_database(dir: &Path) -> String {
    let record = dir.join(RECORD);
    if let Ok(url) = std::fs::read_to_string(&record) {
        return url;
    }
    drop_stale_databases();
    let name = format!(
        "kabao_t_{}_{}",
        crate::helpers::now(),
        crate::helpers::nonce().to_lowercase()
    );
    if let Err(e) = admin(format!("CREATE DATABASE {name}")) {
        let server = server_url();
        panic!(
            "the PostgreSQL variant of this test needs a PostgreSQL server at {server} \
             (set KABAO_TEST_DATABASE_URL): {e}"
        );
    }
    let mut url = reqwest::Url::parse(&server_url()).expect("KABAO_TEST_DATABASE_URL parses");
    url.set_path(&format!("/{name}"));
    let url = url.to_string();
    std::fs::write(&record, &url).unwrap();
    url
}

/// Drops the PostgreSQL database recorded in `dir`, if any (best effort:
/// a leftover database only costs disk space).
pub fn drop_database(dir: &Path) {
    if let Some(name) = database_name(dir) {
        if let Err(e) = admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")) {
            eprintln!("could not drop test database {name}: {e}");
        }
        let _ = std::fs::remove_file(dir.join(RECORD));
    }
}

/// The name of the PostgreSQL database recorded in `dir`, if any.
pub fn database_name(dir: &Path) -> Option<String> {
    let url = std::fs::read_to_string(dir.join(RECORD)).ok()?;
    let name = url.rsplit('/').next()?.split('?').next()?;
    Some(name.to_owned())
}

fn server_url() -> String {
    std::env::var("KABAO_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_SERVER.into())
}

/// Test databases older than this are dropped when the next one is made.
const STALE_AFTER_SECS: i64 = 3600;

/// Drops the test databases (named `kabao_t_<unix seconds>_…`) made more
/// than an hour ago: those of tests that stopped without dropping theirs
/// (killed runs, or servers a test restarts on the same folder). Best
/// effort, like [`drop_database`].
fn drop_stale_databases() {
    let Ok(names) = admin_names(
        "SELECT datname::TEXT FROM pg_database WHERE datname ~ '^kabao_t_[0-9]+_'".into(),
    ) else {
        return;
    };
    let now = crate::helpers::now();
    for name in names {
        let made: Option<i64> = name.split('_').nth(2).and_then(|s| s.parse().ok());
        if made.is_some_and(|made| now - made > STALE_AFTER_SECS) {
            let _ = admin(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

/// Runs one statement on the server database, from synchronous code (its
/// own thread and runtime, so it also works inside a test's runtime).
pub fn admin(sql: String) -> Result<(), String> {
    on_server(sql, false).map(|_| ())
}

/// The first column of every row a query on the server database returns.
fn admin_names(sql: String) -> Result<Vec<String>, String> {
    on_server(sql, true)
}

/// Runs `sql` on a new connection to the server database; with `rows`,
/// returns the first column of each row.
fn on_server(sql: String, rows: bool) -> Result<Vec<String>, String> {
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        runtime.block_on(async {
            use sqlx::Connection;
            let connect = sqlx::PgConnection::connect(&server_url());
            let mut conn = tokio::time::timeout(std::time::Duration::from_secs(10), connect)
                .await
                .map_err(|_| "connection timed out".to_owned())?
                .map_err(|e| e.to_string())?;
            let done = if rows {
                sqlx::query_scalar(&sql).fetch_all(&mut conn).await
            } else {
                sqlx::raw_sql(&sql)
                    .execute(&mut conn)
                    .await
                    .map(|_| Vec::new())
            };
            let _ = conn.close().await;
            done.map_err(|e| e.to_string())
        })
    })
    .join()
    .map_err(|_| "the database thread panicked".to_owned())?
}
