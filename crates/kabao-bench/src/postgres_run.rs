//! The PostgreSQL runs: for each `--processes` count, a fresh database, that
//! many kabao processes on it, the insert and fapiao scenarios (with
//! `--postgres-*` counts), then kabao stopped and the database dropped. A run
//! that fails is recorded with its error and the end of kabao's log, so the
//! other runs and the SQLite results still reach the report.

use crate::cli::{Scenario, Store};
use crate::pg_database::PgDatabase;
use crate::procstat::TicksPerSecond;
use crate::report::{without_password, PostgresResults, StoreRun};
use crate::server::Kabao;
use crate::{fapiao, insert, Args};

/// Runs every process count; never fails (failed runs are recorded).
pub async fn run(args: &Args, ticks: TicksPerSecond, kabao_flags: &[String]) -> PostgresResults {
    let pg_args = args.for_postgres();
    let mut runs = Vec::new();
    for &processes in &args.processes {
        let mut run = StoreRun {
            store: Store::Postgres,
            processes,
            database: None,
            inserts: Vec::new(),
            fapiao: None,
            failure: None,
        };
        if let Err(e) = one(&pg_args, ticks, kabao_flags, &mut run).await {
            eprintln!("PostgreSQL, {processes} kabao process(es): stopped early: {e:#}");
            run.failure = Some(format!("{e:#}"));
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
        if args.scenarios.contains(&Scenario::Insert) {
            run.inserts = insert::scenarios(&kabao, ticks, args).await?;
        }
        if args.scenarios.contains(&Scenario::Fapiao) {
            // The floors measured around each held load go into its ratio;
            // the floors table is the SQLite run's.
            let mut floors = Vec::new();
            run.fapiao = Some(fapiao::run(&kabao, &tenants, ticks, args, &mut floors).await?);
        }
        anyhow::Ok(())
    }
    .await;
    if let Err(e) = measured {
        return Err(e.context(format!(
            "kabao's log ends with:\n{}",
            crate::log_tail(&kabao, 20)
        )));
    }
    let exits = kabao.stop()?;
    eprintln!("kabao stopped: {exits:?}");
    Ok(())
}
