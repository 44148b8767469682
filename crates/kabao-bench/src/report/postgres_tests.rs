//! The PostgreSQL section: its rows next to SQLite's, CPU split between
//! kabao and PostgreSQL, and the bars left to SQLite.

use super::fapiao_tests::{callbacks, delivery, held};
use super::taxi_tests::taxi;
use super::tests::{insert, report, scenario};
use super::*;
use crate::cli::Store;
use crate::scenario::Endpoint;
use crate::server::CpuUsed;
use std::time::Duration;

/// A PostgreSQL run with `processes`: one insert scenario (10 000 inserts,
/// kabao 400 ms, PostgreSQL 600 ms) and one held load (1000 applications,
/// kabao 1400 ms, PostgreSQL 1000 ms, floor 1000 µs) with callbacks.
fn run(processes: usize) -> StoreRun {
    let mut inserts = insert(8, 10_000, 0);
    inserts.set_postgres(Some(Duration::from_millis(600)));
    inserts.idle_percent = 3.5;
    let mut h = held(8, 1400, 1000.0);
    let used = CpuUsed {
        postgres: Some(Duration::from_millis(1000)),
        idle_percent: 1.5,
        ..CpuUsed::default()
    };
    h.set_machine(&used);
    let mut c = callbacks(std::slice::from_ref(&h), 20, false, 0);
    c.set_machine(&used);
    StoreRun {
        store: Store::Postgres,
        processes,
        database: Some("kabao_bench_1_ab".into()),
        scenarios: Vec::new(),
        inserts: vec![inserts],
        bills: Vec::new(),
        fapiao: Some(FapiaoResults {
            held: vec![h],
            callbacks: Some(c),
            delivery: None,
        }),
        taxi: Vec::new(),
        failure: None,
    }
}

fn postgres(runs: Vec<StoreRun>) -> PostgresResults {
    PostgresResults {
        server: "postgres://postgres@127.0.0.1:5432/test".into(),
        server_version: Some("15.20".into()),
        processes: runs.iter().map(|r| r.processes).collect(),
        connections: vec![8],
        insert_orders: 20_000,
        fapiao_applications: 10_000,
        runs,
    }
}

/// The lines of `md` from the heading `from` up to the next heading of any level.
fn part<'a>(md: &'a str, from: &str) -> &'a str {
    let start = md
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in\n{md}"));
    let rest = &md[start + from.len()..];
    &rest[..rest.find("\n#").unwrap_or(rest.len())]
}

#[test]
fn postgres_rows_stand_next_to_sqlite_with_cpu_split_and_added_up() {
    let mut r = report(1200, 20_000);
    r.fapiao = Some(FapiaoResults {
        held: vec![held(8, 1300, 1000.0)],
        callbacks: None,
        delivery: None,
    });
    r.postgres = Some(postgres(vec![run(1), run(2)]));
    let md = r.markdown();
    let inserts = part(&md, "### Card inserts");
    // SQLite: 400 ms over 10 000 inserts is 40 µs, nothing to add.
    assert!(
        inserts.contains("| SQLite | 1 | 64 | 10000 | 0 |"),
        "{inserts}"
    );
    assert!(inserts.contains("inserts sent | — | 40.0 |"), "{inserts}");
    // PostgreSQL: 40 µs kabao + 60 µs PostgreSQL, idle 3.5%.
    for processes in [1, 2] {
        let row = format!("| PostgreSQL | {processes} | 8 | 10000 | 0 |");
        assert!(inserts.contains(&row), "{inserts}");
    }
    assert!(inserts.contains("| 3.5 | 0.0 |"), "{inserts}");
    assert!(inserts.contains("| 60.0 | 100.0 |"), "{inserts}");

    let held = part(&md, "### Fapiao applications, outcome held");
    // 1400 µs kabao + 1000 µs PostgreSQL against a 1000 µs floor.
    assert!(
        held.contains("| 1400.0 | 1000.0 | 1.40× | PASS |"),
        "{held}"
    );
    assert!(held.contains("| 1000.0 | 2400.0 | 2.40× |"), "{held}");
    assert!(
        held.contains("| 1300.0 | 1000.0 | 1.30× | PASS |"),
        "{held}"
    );
    assert!(held.contains("| — | 1300.0 | 1.30× |"), "{held}");

    let callbacks = part(&md, "### `FAPIAO.ISSUED` callbacks");
    // 3000 ms kabao and 1000 ms PostgreSQL over 1000 applications.
    assert!(callbacks.contains("| PASS | 3000.0 |"), "{callbacks}");
    assert!(callbacks.contains("| 1000.0 | 4000.0 |\n"), "{callbacks}");
    assert!(callbacks.contains("| 1000 / 1000 |"), "{callbacks}");

    let section = part(&md, "## PostgreSQL");
    assert!(section.contains("process *i* mod *n*"), "{section}");
    assert!(section.contains("20000 inserts per measured insert scenario"));
    assert!(md.contains("--stores sqlite,postgres --postgres-url postgres://postgres@127.0.0.1:5432/test --processes 1,2 --postgres-connections 8 --postgres-insert-orders 20000 --postgres-fapiao-applications 10000"));
    assert!(md.contains(
        "- 2 processes, `POST /card/invoice/insert` at 8 conn: checked; after the load: verified"
    ));
}

#[test]
fn the_bars_judge_sqlite_alone() {
    let without = report(1200, 20_000).markdown();
    let mut r = report(1200, 20_000);
    let mut slow = run(2);
    slow.inserts[0].errors = 7;
    r.postgres = Some(postgres(vec![slow]));
    let with = r.markdown();
    let bars = |md: &str| {
        part(md, "## Bars")
            .lines()
            .filter(|l| l.starts_with('|'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(bars(&without), bars(&with));
    assert!(with.contains("The bars are judged on SQLite with one kabao process"));
}

#[test]
fn a_postgres_only_report_has_no_sqlite_rows_and_names_failures() {
    let mut r = report(1200, 20_000);
    r.idle_memory = None;
    r.after_load_memory = None;
    r.inserts.clear();
    let mut failed = run(2);
    failed.fapiao = None;
    failed.failure = Some("kabao at 127.0.0.1:1 is not healthy".into());
    r.postgres = Some(postgres(vec![run(1), failed]));
    let md = r.markdown();
    assert!(!md.contains("| SQLite |"), "{md}");
    assert!(!md.contains("## Memory"), "{md}");
    assert!(md.contains(
        "| idle memory (kabao RSS after start and provisioning) | < 50 MB | not run | — |"
    ));
    assert!(md.contains("**The run with 2 processes stopped early**"));
    assert!(md.contains("kabao at 127.0.0.1:1 is not healthy"));
    assert!(md.contains(" --stores postgres --postgres-url"));
    assert!(!md.contains("The SQLite rows repeat"));
}

#[test]
fn the_password_stays_out_of_the_report() {
    assert_eq!(
        without_password("postgres://kabao:s3cret@db:5432/admin?sslmode=require"),
        "postgres://kabao:***@db:5432/admin?sslmode=require"
    );
    assert_eq!(
        without_password("postgres://postgres@127.0.0.1:5432/test"),
        "postgres://postgres@127.0.0.1:5432/test"
    );
    assert_eq!(without_password("postgres://db/x"), "postgres://db/x");
}

#[test]
fn certificates_token_taxi_and_delivered_callbacks_have_postgres_rows() {
    let mut r = report(1200, 20_000);
    let mut pg = run(2);
    let used = CpuUsed {
        postgres: Some(Duration::from_millis(100)),
        idle_percent: 4.0,
        ..CpuUsed::default()
    };
    // 1000 certificates: 300 µs kabao + 100 µs PostgreSQL against a 200 µs floor.
    let mut certificates = scenario(Endpoint::Certificates, 8, 300);
    certificates.set_machine(&used);
    certificates.set_floor(200.0);
    let mut token = scenario(Endpoint::Token, 8, 50);
    token.set_machine(&used);
    pg.scenarios = vec![certificates, token];
    // 1000 taxi cards: 400 µs kabao + 100 µs PostgreSQL against a 250 µs floor.
    let mut t = taxi(8, 400, 250.0, 0);
    t.set_machine(&used);
    pg.taxi = vec![t];
    let fapiao = pg.fapiao.as_mut().expect("the run has fapiao");
    fapiao.delivery = Some(delivery(3000, Some(1000)));
    r.postgres = Some(postgres(vec![pg]));
    let md = r.markdown();

    let throughput = part(&md, "### Throughput and latency");
    assert!(
        throughput.contains("| PostgreSQL | 2 | `GET /v3/certificates` | 8 | 1000 | 0 | 1000 |"),
        "{throughput}"
    );
    assert!(
        throughput.contains("| 4.0 | 0.0 | 100.0 | 400.0 | 2.00× |"),
        "{throughput}"
    );
    // Token has no floor.
    assert!(throughput.contains("| 100.0 | 150.0 | — |"), "{throughput}");

    let cards = part(&md, "### Taxi fapiao cards");
    assert!(
        cards.contains("| PostgreSQL | 2 | 8 | 1000 | 0 |"),
        "{cards}"
    );
    assert!(cards.contains("| 100.0 | 500.0 | 2.00× |"), "{cards}");

    let delivered = part(&md, "### Callbacks delivered per second");
    assert!(delivered.contains("**Callbacks delivered per second** is how many"));
    // 3 s kabao and 1 s PostgreSQL over 2000 callbacks.
    assert!(delivered.contains("| 500 | 1500.0 |"), "{delivered}");
    assert!(delivered.contains("| 500.0 | 2000.0 |"), "{delivered}");
    assert!(md.contains("- 2 processes, `GET /v3/certificates` at 8 conn: checked"));
    assert!(md.contains("- 2 processes, `POST /v3/taxi-invoice/cards` at 8 conn: checked one"));
}

#[test]
fn failures_are_added_up_over_sqlite_and_every_postgres_run() {
    let mut r = report(1200, 20_000);
    assert_eq!((r.failed_requests(), r.failed_runs()), (0, 0));

    r.bills.push(insert(8, 1000, 2));
    let mut failing = run(1);
    failing.inserts.push(insert(8, 1000, 3));
    if let Some(fapiao) = failing.fapiao.as_mut() {
        fapiao.held[0].warmup_errors = 4;
    }
    let mut stopped = run(2);
    stopped.failure = Some("kabao exited".into());
    r.postgres = Some(postgres(vec![failing, stopped]));
    assert_eq!(r.failed_requests(), 2 + 3 + 4);
    assert_eq!(r.failed_runs(), 1);
}
