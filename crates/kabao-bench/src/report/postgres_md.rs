//! The PostgreSQL section of `BENCHMARKS.md`: every scenario but scaling
//! and prism on each store and process count side by side, in the SQLite
//! sections' tables with PostgreSQL's CPU next to kabao's.

use super::fapiao_md::{
    callback_row, callback_table, delivery_row, delivery_table, held_row, held_table,
    DELIVERY_MEANING,
};
use super::inserts_md::{insert_row, insert_table};
use super::markdown::{throughput_row, throughput_table};
use super::table::{StoreLabel, Table};
use super::taxi_md::{taxi_row, taxi_table};
use super::*;
use crate::card_flow::CardFlow;
use crate::fapiao_world::APPLICATIONS_PATH;
use crate::taxi_world::CARDS_PATH;

/// "1 process", "2 processes".
fn processes(n: usize) -> String {
    format!("{n} process{}", if n == 1 { "" } else { "es" })
}

/// One store and process count, with what it measured.
struct Row<'a> {
    label: StoreLabel,
    scenarios: &'a [ScenarioResult],
    inserts: &'a [InsertResult],
    bills: &'a [InsertResult],
    fapiao: Option<&'a FapiaoResults>,
    taxi: &'a [TaxiResult],
}

impl Report {
    /// The SQLite run (as measured above) and every PostgreSQL run, in run order.
    fn store_rows<'a>(&'a self, postgres: &'a PostgresResults) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        if self.idle_memory.is_some() {
            rows.push(Row {
                label: StoreLabel::SQLITE,
                scenarios: &self.scenarios,
                inserts: &self.inserts,
                bills: &self.bills,
                fapiao: self.fapiao.as_ref(),
                taxi: &self.taxi,
            });
        }
        for run in &postgres.runs {
            rows.push(Row {
                label: StoreLabel {
                    store: "PostgreSQL",
                    processes: run.processes,
                },
                scenarios: &run.scenarios,
                inserts: &run.inserts,
                bills: &run.bills,
                fapiao: run.fapiao.as_ref(),
                taxi: &run.taxi,
            });
        }
        rows
    }

    /// The `--stores …` flags (and the PostgreSQL ones) of the reproduce command.
    pub(super) fn store_flags(&self) -> String {
        let mut stores = Vec::new();
        if self.idle_memory.is_some() {
            stores.push("sqlite");
        }
        let Some(p) = &self.postgres else {
            return " --stores sqlite".to_owned();
        };
        stores.push("postgres");
        let list = |v: &[usize]| v.iter().map(usize::to_string).collect::<Vec<_>>().join(",");
        format!(
            " --stores {} --postgres-url {} --processes {} --postgres-connections {} \
             --postgres-insert-orders {} --postgres-fapiao-applications {}",
            stores.join(","),
            p.server,
            list(&p.processes),
            list(&p.connections),
            p.insert_orders,
            p.fapiao_applications
        )
    }

    pub(super) fn write_postgres(
        &self,
        md: &mut String,
        postgres: &PostgresResults,
    ) -> std::fmt::Result {
        let rows = self.store_rows(postgres);
        let connections = postgres
            .connections
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(md, "## PostgreSQL\n")?;
        writeln!(
            md,
            "For information: the bars above judge SQLite. Each PostgreSQL run creates a fresh \
             database on `{}`{}, starts kabao on it with one or more processes (`kabao serve \
             --database-url postgres://…/<database>`, otherwise the flags of the SQLite run, \
             one admin token for all; the first process applies the migrations, the others \
             start once it answers), provisions the tenants through the first process, runs \
             the certificates, token, insert, fiscal bill, fapiao and taxi scenarios that \
             were asked for, as described in their sections above, stops kabao and drops \
             the database.\n",
            postgres.server,
            postgres
                .server_version
                .as_ref()
                .map(|v| format!(" (PostgreSQL {v})"))
                .unwrap_or_default()
        )?;
        writeln!(
            md,
            "**How two processes share the load**: every load's connection *i* goes to \
             process *i* mod *n* (with 8 connections, 4 to each), and so do the setup chains \
             that prepare the inserts. Both processes read and write the one database: the \
             checks, read-backs and fapiao queries go to the first process, so they also read \
             what the second one stored, and the asynchronous work (issuing, callbacks) is \
             claimed from the database by one process or the other.\n"
        )?;
        writeln!(
            md,
            "The PostgreSQL runs measure at {connections} connections with their own \
             prepared counts, since preparing is the slow part on PostgreSQL: {} inserts per \
             measured insert scenario and {} applications per measured held fapiao load (the \
             SQLite settings: {} and {}); warm-ups, merchants, the callback and delivery loads and the taxi cards are as \
             for SQLite. A measurement ends at the deadline ({} s) or when its prepared \
             requests are used up, whichever comes first (the *ended by* column).{}\n",
            postgres.insert_orders,
            postgres.fapiao_applications,
            self.settings.insert_orders,
            self.settings.fapiao_applications,
            self.settings.duration_secs,
            if self.idle_memory.is_some() {
                " The SQLite rows repeat the sections above, for comparison."
            } else {
                ""
            }
        )?;
        for run in &postgres.runs {
            if let Some(failure) = &run.failure {
                writeln!(
                    md,
                    "**The run with {} stopped early**; what it measured before \
                     is below. The error (with the end of kabao's log once kabao had \
                     started):\n\n```text\n{}\n```\n",
                    processes(run.processes),
                    failure.replace("```", "'''")
                )?;
            }
        }
        write_throughput_rows(md, &rows)?;
        write_insert_rows(md, &rows, CardFlow::Invoice)?;
        write_insert_rows(md, &rows, CardFlow::FiscalBill)?;
        write_held_rows(md, &rows)?;
        write_callback_rows(md, &rows)?;
        write_delivery_rows(md, &rows)?;
        write_taxi_rows(md, &rows)?;
        write_setup_rows(md, postgres)?;
        if postgres.runs.iter().any(|r| {
            !r.scenarios.is_empty()
                || !r.inserts.is_empty()
                || !r.bills.is_empty()
                || r.fapiao.is_some()
                || !r.taxi.is_empty()
        }) {
            writeln!(md, "Checks of the PostgreSQL runs (as for SQLite):\n")?;
        }
        for run in &postgres.runs {
            let who = processes(run.processes);
            for s in &run.scenarios {
                writeln!(
                    md,
                    "- {who}, `{}` at {} conn: {}",
                    s.endpoint.label(),
                    s.connections,
                    s.check
                )?;
            }
            for (s, label) in run
                .inserts
                .iter()
                .map(|s| (s, CardFlow::Invoice.label()))
                .chain(run.bills.iter().map(|s| (s, CardFlow::FiscalBill.label())))
            {
                writeln!(
                    md,
                    "- {who}, `{}` at {} conn: {}; after the load: {}",
                    label, s.connections, s.check, s.verified
                )?;
            }
            for h in run.fapiao.iter().flat_map(|f| &f.held) {
                writeln!(
                    md,
                    "- {who}, `POST {APPLICATIONS_PATH}` at {} conn: {}; after the load: {}",
                    h.connections, h.check, h.verified
                )?;
            }
            for t in &run.taxi {
                writeln!(
                    md,
                    "- {who}, `POST {CARDS_PATH}` at {} conn: {}; after the load: {}",
                    t.connections, t.check, t.verified
                )?;
            }
        }
        writeln!(md, "\nWhat the PostgreSQL columns mean:\n")?;
        for line in [
            "The columns up to **ended by** are those of the SQLite sections above; a labelled row adds the store and its kabao processes in front and the columns below behind. **kabao CPU/…** counts all kabao processes of the run (`utime + stime`, every thread) during the measured period, divided by the accepted requests (per callback for the delivery load).",
            "**PostgreSQL CPU/req**: the same for PostgreSQL's server processes working for the run's database: the processes whose title (`/proc/PID/cmdline`) starts with `postgres:` and names the database (the backends serving kabao's connections, autovacuum on its tables), plus the server-wide ones that name no database (checkpointer, background writer, WAL writer, launchers; shared, but kabao's on a quiet machine). Backends of other databases are left out; a backend that ended during the period would be missing (kabao keeps its pool's connections open). On SQLite the store runs inside kabao, so there is nothing to add (—).",
            "**total CPU/…**: kabao's plus PostgreSQL's: what one request cost the machine apart from the load generator.",
            "**floor**, **÷ floor**, **total ÷ floor** (signed loads: certificates, held fapiao applications, taxi cards): the mean of the one-thread crypto floors (one RSA verify + one RSA sign) measured right before and right after that load in the same run, and kabao's (÷ floor) or kabao's plus PostgreSQL's (total ÷ floor) CPU per accepted request divided by it; SQLite's bars judge kabao ÷ floor; the *result* column applies the same bar to every row, for information.",
            "**machine idle %**: the share of the machine's CPU time (`/proc/stat`, idle + iowait) that nobody used during the measured period; near 0 means the CPUs, which the load generator, kabao and PostgreSQL share, were the limit.",
            "**callbacks**: as in the fapiao section; their CPU columns cover the span from the first application until every `FAPIAO.ISSUED` had arrived and kabao was idle, per accepted application.",
        ] {
            writeln!(md, "- {line}")?;
        }
        writeln!(md)
    }
}

impl<'a> Row<'a> {
    /// The results of `flow`'s insert scenarios.
    fn of(&self, flow: CardFlow) -> &'a [InsertResult] {
        match flow {
            CardFlow::Invoice => self.inserts,
            CardFlow::FiscalBill => self.bills,
        }
    }
}

/// Every row's results of one kind in a labelled table, then the first
/// errors of the PostgreSQL ones (SQLite's are in their own section).
fn write_rows<'a, T: 'a, I: IntoIterator<Item = &'a T>>(
    md: &mut String,
    rows: &[Row<'a>],
    mut table: Table,
    results: impl Fn(&Row<'a>) -> I,
    row: impl Fn(&mut Table, StoreLabel, &T),
    errors: impl Fn(&mut String, &str, &T) -> std::fmt::Result,
) -> std::fmt::Result {
    for r in rows {
        for result in results(r) {
            row(&mut table, r.label, result);
        }
    }
    table.write(md)?;
    for r in rows.iter().filter(|r| r.label != StoreLabel::SQLITE) {
        let on = format!("{} ({})", r.label.store, processes(r.label.processes));
        for result in results(r) {
            errors(md, &on, result)?;
        }
    }
    writeln!(md)
}

fn write_throughput_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows.iter().all(|r| r.scenarios.is_empty()) {
        return Ok(());
    }
    writeln!(md, "### Throughput and latency\n")?;
    write_rows(
        md,
        rows,
        throughput_table(true),
        |r| r.scenarios,
        throughput_row,
        |md, on, s| {
            let at = format!("`{}` on {on} at {} conn", s.endpoint.label(), s.connections);
            write_errors(md, &at, &s.load.first_errors)
        },
    )
}

fn write_insert_rows(md: &mut String, rows: &[Row], flow: CardFlow) -> std::fmt::Result {
    if rows.iter().all(|r| r.of(flow).is_empty()) {
        return Ok(());
    }
    let title = match flow {
        CardFlow::Invoice => "Card inserts",
        CardFlow::FiscalBill => "Fiscal bill inserts",
    };
    writeln!(md, "### {title} (`{}`)\n", flow.label())?;
    write_rows(
        md,
        rows,
        insert_table(true),
        |r| r.of(flow),
        insert_row,
        |md, on, s| {
            let at = format!("{} on {on} at {} conn", flow.label(), s.connections);
            write_errors(md, &at, &s.first_errors)?;
            write_errors(md, &format!("the warm-up of {at}"), &s.warmup_first_errors)
        },
    )
}

fn write_held_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows
        .iter()
        .all(|r| r.fapiao.is_none_or(|f| f.held.is_empty()))
    {
        return Ok(());
    }
    writeln!(
        md,
        "### Fapiao applications, outcome held (`POST {APPLICATIONS_PATH}`)\n"
    )?;
    write_rows(
        md,
        rows,
        held_table(true),
        |r| r.fapiao.into_iter().flat_map(|f| &f.held),
        held_row,
        |md, on, h| {
            let at = format!("held applications on {on} at {} conn", h.connections);
            write_errors(md, &at, &h.first_errors)
        },
    )
}

fn write_callback_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows
        .iter()
        .all(|r| r.fapiao.is_none_or(|f| f.callbacks.is_none()))
    {
        return Ok(());
    }
    writeln!(md, "### `FAPIAO.ISSUED` callbacks (outcome immediate)\n")?;
    write_rows(
        md,
        rows,
        callback_table(true),
        |r| r.fapiao.and_then(|f| f.callbacks.as_ref()),
        callback_row,
        |md, on, c| {
            write_errors(
                md,
                &format!("the immediate applications on {on}"),
                &c.first_errors,
            )?;
            write_errors(
                md,
                &format!("the callback checks on {on}"),
                &c.callbacks.first_failures,
            )
        },
    )
}

fn write_delivery_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows
        .iter()
        .all(|r| r.fapiao.is_none_or(|f| f.delivery.is_none()))
    {
        return Ok(());
    }
    writeln!(
        md,
        "### Callbacks delivered per second (outcome immediate, unpaced)\n"
    )?;
    writeln!(md, "{DELIVERY_MEANING}\n")?;
    write_rows(
        md,
        rows,
        delivery_table(true),
        |r| r.fapiao.and_then(|f| f.delivery.as_ref()),
        delivery_row,
        |md, on, d| {
            write_errors(
                md,
                &format!("the delivery load's applications on {on}"),
                &d.first_errors,
            )?;
            write_errors(
                md,
                &format!("the delivery load's callbacks on {on}"),
                &d.callbacks.first_failures,
            )
        },
    )
}

fn write_taxi_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows.iter().all(|r| r.taxi.is_empty()) {
        return Ok(());
    }
    writeln!(md, "### Taxi fapiao cards (`POST {CARDS_PATH}`)\n")?;
    write_rows(
        md,
        rows,
        taxi_table(true),
        |r| r.taxi,
        taxi_row,
        |md, on, t| {
            let at = format!("taxi cards on {on} at {} conn", t.connections);
            write_errors(md, &at, &t.first_errors)?;
            write_errors(md, &format!("the warm-up of {at}"), &t.warmup_first_errors)
        },
    )
}

fn write_setup_rows(md: &mut String, postgres: &PostgresResults) -> std::fmt::Result {
    if postgres.runs.iter().all(|r| {
        r.inserts.is_empty() && r.bills.is_empty() && r.fapiao.is_none() && r.taxi.is_empty()
    }) {
        return Ok(());
    }
    writeln!(md, "Setup of the PostgreSQL runs (not measured):\n")?;
    writeln!(
        md,
        "| processes | load | connections | prepared | setup s | prepared/s | then until kabao idle s | warm-up requests | warm-up errors |"
    )?;
    writeln!(
        md,
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    let per_sec = |n: usize, secs: f64| n as f64 / secs.max(1e-9);
    for run in &postgres.runs {
        let inserts = run
            .inserts
            .iter()
            .map(|s| (s, "inserts (setpdf, getauthurl, authorisation)"))
            .chain(
                run.bills
                    .iter()
                    .map(|s| (s, "fiscal bills (setpdf, getbillauthurl, authorisation)")),
            );
        for (s, load) in inserts {
            writeln!(
                md,
                "| {} | {load} | {} | {} | {:.1} | {:.0} | {:.1} | {} | {} |",
                run.processes,
                s.connections,
                s.setup.orders,
                s.setup.secs,
                per_sec(s.setup.orders, s.setup.secs),
                s.setup.idle_wait_secs,
                s.warmup_inserts,
                s.warmup_errors
            )?;
        }
        for t in &run.taxi {
            writeln!(
                md,
                "| {} | taxi cards (rides, uploads) | {} | {} | {:.1} | {:.0} | {:.1} | {} | {} |",
                run.processes,
                t.connections,
                t.setup.cards,
                t.setup.rides_secs + t.setup.uploads_secs,
                per_sec(t.setup.cards, t.setup.rides_secs + t.setup.uploads_secs),
                t.setup.idle_wait_secs,
                t.warmup_cards,
                t.warmup_errors
            )?;
        }
        let Some(f) = &run.fapiao else {
            continue;
        };
        for h in &f.held {
            writeln!(
                md,
                "| {} | held applications (paid orders) | {} | {} | {:.1} | {:.0} | {:.1} | {} | {} |",
                run.processes,
                h.connections,
                h.setup.applications,
                h.setup.orders_secs,
                per_sec(h.setup.applications, h.setup.orders_secs),
                h.setup.idle_wait_secs,
                h.warmup_applications,
                h.warmup_errors
            )?;
        }
        if let Some(c) = &f.callbacks {
            writeln!(
                md,
                "| {} | immediate applications (paid orders) | {} | {} | {:.1} | {:.0} | {:.1} | — | — |",
                run.processes,
                c.connections,
                c.setup.applications,
                c.setup.orders_secs,
                per_sec(c.setup.applications, c.setup.orders_secs),
                c.setup.idle_wait_secs
            )?;
        }
        if let Some(d) = &f.delivery {
            writeln!(
                md,
                "| {} | delivery applications (paid orders) | {} | {} | {:.1} | {:.0} | {:.1} | — | — |",
                run.processes,
                d.connections,
                d.setup.applications,
                d.setup.orders_secs,
                per_sec(d.setup.applications, d.setup.orders_secs),
                d.setup.idle_wait_secs
            )?;
        }
    }
    writeln!(md)
}
