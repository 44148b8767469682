//! What the PostgreSQL runs measured: every scenario but scaling and prism, with
//! one or more kabao processes sharing a fresh database, each with
//! PostgreSQL's CPU next to kabao's. Informational: the bars judge SQLite.

use super::*;
use crate::cli::Store;

/// Every PostgreSQL run and how they were configured.
#[derive(Debug, Clone, Serialize)]
pub struct PostgresResults {
    /// `--postgres-url` without its password.
    pub server: String,
    /// `SHOW server_version`, when it could be read.
    pub server_version: Option<String>,
    /// The process counts, one run each.
    pub processes: Vec<usize>,
    /// Connection counts of each run.
    pub connections: Vec<usize>,
    /// Inserts prepared per measured insert scenario.
    pub insert_orders: usize,
    /// Fapiao applications prepared per measured held load.
    pub fapiao_applications: usize,
    /// The runs, one per process count.
    pub runs: Vec<StoreRun>,
}

/// One store with some number of kabao processes.
#[derive(Debug, Clone, Serialize)]
pub struct StoreRun {
    /// The store.
    pub store: Store,
    /// kabao processes sharing it.
    pub processes: usize,
    /// The database made for the run (PostgreSQL).
    pub database: Option<String>,
    /// The request/response scenarios (certificates, token) in run order.
    pub scenarios: Vec<ScenarioResult>,
    /// The insert scenarios in run order.
    pub inserts: Vec<InsertResult>,
    /// The `/nontax/insertbill` scenarios in run order.
    pub bills: Vec<InsertResult>,
    /// The fapiao scenario, when run.
    pub fapiao: Option<FapiaoResults>,
    /// The taxi loads in run order.
    pub taxi: Vec<TaxiResult>,
    /// Why the run stopped early, with the end of kabao's log, if it did.
    pub failure: Option<String>,
}

/// `url` with the password of its user part, if any, replaced by `***`.
pub fn without_password(url: &str) -> String {
    let Some(scheme_end) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[scheme_end..];
    let authority = &rest[..rest.find('/').unwrap_or(rest.len())];
    match (authority.rfind('@'), authority.find(':')) {
        (Some(at), Some(colon)) if colon < at => format!(
            "{}{}:***{}",
            &url[..scheme_end],
            &authority[..colon],
            &url[scheme_end + at..]
        ),
        _ => url.to_owned(),
    }
}
