//! The PostgreSQL runs: for each `--processes` count, a fresh database, that
//! many kabao processes on it, every scenario but scaling and prism (the
//! certificates, token, insert, fiscal bill, fapiao and taxi scenarios, with
//! `--postgres-*` counts), then kabao stopped and the database dropped. A run
//! that fails is recorded with its error and the end of kabao's log, so the
//! other runs and the SQLite results still reach the report.

use crate::card_flow::CardFlow;
use crate::cli::{Scenario, Store};
use crate::pg_database::PgDatabase;
use crate::procstat::TicksPerSecond;
use crate::report::{without_password, PostgresResults, StoreRun};
use crate::server::Kabao;
use crate::{endpoint_run, fapiao, insert, taxi, Args};

/// Runs every process count; never fails (failed runs are recorded).
pub async fn run(args: &Args, ticks: TicksPerSecond, kabao_flags: &[String]) -> PostgresResults {
    let pg_args = args.for_postgres();
    let mut runs = Vec::new();
    for &processes in &args.processes {
        let mut run = StoreRun {
            store: Store::Postgres,
            processes,
            database: None,
            scenarios: Vec::new(),
            inserts: Vec::new(),
            bills: Vec::new(),
            fapiao: None,
            taxi: Vec::new(),
            failure: None,
        };
        if let Err(e) = one(&pg_args, ticks, kabao_flags, &mut run).await {
            let failure = without_colours(&format!("{e:#}"));
            eprintln!("PostgreSQL, {processes} kabao process(es): stopped early: {failure}");
            run.failure = Some(failure);
        }
        runs.push(run);
    }
    PostgresResults {
        server: without_password(&args.postgres_url),
        server_version: PgDatabase::server_version(&args.postgres_url),
        processes: args.processes.clone(),
        connections: pg_args.connections.clone(),
        insert_orders: pg_args.insert_orders,
        fapiao_applications: pg_args.fapiao_applications,
        runs,
    }
}

/// One process count; what it measured goes into `run` as it comes, so a
/// later failure keeps the earlier results.
async fn one(
    args: &Args,
    ticks: TicksPerSecond,
    kabao_flags: &[String],
    run: &mut StoreRun,
) -> anyhow::Result<()> {
    let database = PgDatabase::create(&args.postgres_url)?;
    eprintln!(
        "PostgreSQL, {} process(es): database {}",
        run.processes, database.name
    );
    run.database = Some(database.name.clone());
    let kabao = Kabao::start_postgres(&args.kabao, database, run.processes, kabao_flags).await?;
    eprintln!("kabao (pids {:?}) on {:?}", kabao.pids(), kabao.addrs);
    let measured = async {
        let tenants = kabao.provision().await?;
        // The floors measured around each signed load go into its ratio;
        // the floors table is the SQLite run's.
        let mut floors = Vec::new();
        run.scenarios = endpoint_run::run(&kabao, &tenants, ticks, args, &mut floors).await?;
        if args.scenarios.contains(&Scenario::Insert) {
            run.inserts = insert::scenarios(&kabao, ticks, args).await?;
        }
        if args.scenarios.contains(&Scenario::InsertBill) {
            // `args` carries the PostgreSQL cap on prepared inserts
            // (`--postgres-insert-orders`); fiscal bills keep under it too.
            let bill_args = Args {
                insert_orders: args.bill_orders.min(args.insert_orders),
                ..args.clone()
            };
            run.bills =
                insert::scenarios_of(&kabao, ticks, &bill_args, CardFlow::FiscalBill).await?;
        }
        if args.scenarios.contains(&Scenario::Fapiao) {
            run.fapiao = Some(fapiao::run(&kabao, &tenants, ticks, args, &mut floors).await?);
        }
        if args.scenarios.contains(&Scenario::Taxi) {
            run.taxi = taxi::run(&kabao, &tenants, ticks, args, &mut floors).await?;
        }
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = measured {
        return Err(crate::with_log_tail(&kabao, e));
    }
    let exits = kabao.stop()?;
    eprintln!("kabao stopped: {exits:?}");
    Ok(())
}

/// `text` without the terminal colour sequences (`ESC [ … m`) kabao's log has.
pub fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_sequences_are_removed_and_the_text_kept() {
        let line = "\u{1b}[2m2026-11-24T07:32:55Z\u{1b}[0m \u{1b}[32m INFO\u{1b}[0m push [3m";
        assert_eq!(without_colours(line), "2026-11-24T07:32:55Z  INFO push [3m");
    }
}
