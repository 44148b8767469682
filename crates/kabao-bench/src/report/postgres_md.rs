//! The PostgreSQL section of `BENCHMARKS.md`: the insert and fapiao
//! scenarios on each store and process count side by side, with
//! PostgreSQL's CPU next to kabao's.

use super::*;
use crate::card_flow::CardFlow;
use crate::fapiao_world::APPLICATIONS_PATH;

fn ms(us: f64) -> String {
    format!("{:.3}", us / 1000.0)
}

fn opt(value: Option<f64>) -> String {
    value.map_or("—".to_owned(), |v| format!("{v:.1}"))
}

/// kabao's plus PostgreSQL's CPU per request, µs (kabao's alone on SQLite).
fn total(kabao: f64, postgres: Option<f64>) -> f64 {
    kabao + postgres.unwrap_or(0.0)
}

/// "1 process", "2 processes".
fn processes(n: usize) -> String {
    format!("{n} process{}", if n == 1 { "" } else { "es" })
}

/// One store and process count, with what it measured.
struct Row<'a> {
    store: &'static str,
    processes: usize,
    inserts: &'a [InsertResult],
    bills: &'a [InsertResult],
    fapiao: Option<&'a FapiaoResults>,
}

impl Report {
    /// The SQLite run (as measured above) and every PostgreSQL run, in run order.
    fn store_rows<'a>(&'a self, postgres: &'a PostgresResults) -> Vec<Row<'a>> {
        let mut rows = Vec::new();
        if self.idle_memory.is_some() {
            rows.push(Row {
                store: "SQLite",
                processes: 1,
                inserts: &self.inserts,
                bills: &self.bills,
                fapiao: self.fapiao.as_ref(),
            });
        }
        for run in &postgres.runs {
            rows.push(Row {
                store: "PostgreSQL",
                processes: run.processes,
                inserts: &run.inserts,
                bills: &run.bills,
                fapiao: run.fapiao.as_ref(),
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
             the insert and fapiao scenarios as described in their sections above, stops \
             kabao and drops the database.\n",
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
             SQLite settings: {} and {}); warm-ups, merchants and the callback load are as \
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
        write_insert_rows(md, &rows, CardFlow::Invoice)?;
        write_insert_rows(md, &rows, CardFlow::FiscalBill)?;
        write_held_rows(md, &rows)?;
        write_callback_rows(md, &rows)?;
        write_setup_rows(md, postgres)?;
        if postgres
            .runs
            .iter()
            .any(|r| !r.inserts.is_empty() || !r.bills.is_empty() || r.fapiao.is_some())
        {
            writeln!(md, "Checks of the PostgreSQL runs (as for SQLite):\n")?;
        }
        for run in &postgres.runs {
            let who = processes(run.processes);
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
        }
        writeln!(md, "\nWhat the PostgreSQL columns mean:\n")?;
        for line in [
            "**kabao CPU/req**: CPU time (`utime + stime`, every thread) of all kabao processes of the run during the measured period, divided by the accepted requests.",
            "**PostgreSQL CPU/req**: the same for PostgreSQL's server processes working for the run's database: the processes whose title (`/proc/PID/cmdline`) starts with `postgres:` and names the database (the backends serving kabao's connections, autovacuum on its tables), plus the server-wide ones that name no database (checkpointer, background writer, WAL writer, launchers; shared, but kabao's on a quiet machine). Backends of other databases are left out; a backend that ended during the period would be missing (kabao keeps its pool's connections open). On SQLite the store runs inside kabao, so there is nothing to add (—).",
            "**total CPU/req**: kabao's plus PostgreSQL's: what one request cost the machine apart from the load generator.",
            "**floor**, **kabao ÷ floor**, **total ÷ floor**: the mean of the one-thread crypto floors (one RSA verify + one RSA sign) measured right before and right after that held load in the same run, and the CPU per accepted application divided by it; SQLite's bar is kabao ÷ floor ≤ 1.5×.",
            "**machine idle %**: the share of the machine's CPU time (`/proc/stat`, idle + iowait) that nobody used during the measured period; near 0 means the CPUs, which the load generator, kabao and PostgreSQL share, were the limit.",
            "**callbacks**: as in the fapiao section; their CPU columns cover the span from the first application until every `FAPIAO.ISSUED` had arrived and kabao was idle, per accepted application.",
        ] {
            writeln!(md, "- {line}")?;
        }
        writeln!(md)
    }
}

impl Row<'_> {
    /// The results of `flow`'s insert scenarios.
    fn of(&self, flow: CardFlow) -> &[InsertResult] {
        match flow {
            CardFlow::Invoice => self.inserts,
            CardFlow::FiscalBill => self.bills,
        }
    }
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
    writeln!(
        md,
        "| store | processes | connections | inserts | errors | inserts/s | p50 ms | p99 ms | p99.9 ms | kabao CPU/insert µs | PostgreSQL CPU/insert µs | total CPU/insert µs | machine idle % | measured s | ended by |"
    )?;
    writeln!(
        md,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )?;
    for row in rows {
        for s in row.of(flow) {
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {:.1} | {} | {:.1} | {:.1} | {:.2} | {} |",
                row.store,
                row.processes,
                s.connections,
                s.inserts,
                s.errors,
                s.inserts_per_sec,
                ms(s.latency.p50_us),
                ms(s.latency.p99_us),
                ms(s.latency.p999_us),
                s.kabao_cpu_per_insert_us,
                opt(s.postgres_cpu_per_insert_us),
                total(s.kabao_cpu_per_insert_us, s.postgres_cpu_per_insert_us),
                s.idle_percent,
                s.elapsed_secs,
                if s.pool_ran_out {
                    format!("all {} prepared inserts sent", s.pool)
                } else {
                    "the deadline".to_owned()
                }
            )?;
        }
    }
    for row in rows.iter().filter(|r| r.store != "SQLite") {
        for s in row.of(flow) {
            let at = format!(
                "{} on {} ({}) at {} conn",
                flow.label(),
                row.store,
                processes(row.processes),
                s.connections
            );
            write_errors(md, &at, &s.first_errors)?;
            write_errors(md, &format!("the warm-up of {at}"), &s.warmup_first_errors)?;
        }
    }
    writeln!(md)
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
    writeln!(
        md,
        "| store | processes | connections | applications | errors | applications/s | p50 ms | p99 ms | p99.9 ms | kabao CPU/application µs | PostgreSQL CPU/application µs | total CPU/application µs | floor µs | kabao ÷ floor | total ÷ floor | machine idle % | measured s | ended by |"
    )?;
    writeln!(
        md,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    )?;
    for row in rows {
        for h in row.fapiao.iter().flat_map(|f| &f.held) {
            let all = total(
                h.kabao_cpu_per_application_us,
                h.postgres_cpu_per_application_us,
            );
            let ratio = |cpu: f64| {
                h.floor_pair_us
                    .filter(|_| h.applications > 0)
                    .map_or("—".to_owned(), |f| format!("{:.2}×", cpu / f))
            };
            writeln!(
                md,
                "| {} | {} | {} | {} | {} | {:.0} | {} | {} | {} | {:.1} | {} | {all:.1} | {} | {} | {} | {:.1} | {:.2} | {} |",
                row.store,
                row.processes,
                h.connections,
                h.applications,
                h.errors,
                h.applications_per_sec,
                ms(h.latency.p50_us),
                ms(h.latency.p99_us),
                ms(h.latency.p999_us),
                h.kabao_cpu_per_application_us,
                opt(h.postgres_cpu_per_application_us),
                opt(h.floor_pair_us),
                ratio(h.kabao_cpu_per_application_us),
                ratio(all),
                h.idle_percent,
                h.elapsed_secs,
                if h.pool_ran_out {
                    format!("all {} prepared applications sent", h.pool)
                } else {
                    "the deadline".to_owned()
                }
            )?;
        }
    }
    for row in rows.iter().filter(|r| r.store != "SQLite") {
        for h in row.fapiao.iter().flat_map(|f| &f.held) {
            let at = format!(
                "held applications on {} ({}) at {} conn",
                row.store,
                processes(row.processes),
                h.connections
            );
            write_errors(md, &at, &h.first_errors)?;
        }
    }
    writeln!(md)
}

fn write_callback_rows(md: &mut String, rows: &[Row]) -> std::fmt::Result {
    if rows
        .iter()
        .all(|r| r.fapiao.is_none_or(|f| f.callbacks.is_none()))
    {
        return Ok(());
    }
    writeln!(md, "### `FAPIAO.ISSUED` callbacks (outcome immediate)\n")?;
    writeln!(
        md,
        "| store | processes | connections | applications | errors | ISSUED arrived / expected | signatures verified | p50 ms | p90 ms | p99 ms | max ms | kabao CPU/application µs | PostgreSQL CPU/application µs | total CPU/application µs | until idle s | machine idle % |"
    )?;
    writeln!(
        md,
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for row in rows {
        let Some(c) = row.fapiao.and_then(|f| f.callbacks.as_ref()) else {
            continue;
        };
        let k = &c.callbacks;
        writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} / {} | {} of {} | {} | {} | {} | {} | {:.1} | {} | {:.1} | {:.1} | {:.1} |",
            row.store,
            row.processes,
            c.connections,
            c.applications,
            c.errors,
            k.issued,
            k.expected,
            k.signatures_verified,
            k.received,
            ms(c.callback_latency.p50_us),
            ms(c.callback_latency.p90_us),
            ms(c.callback_latency.p99_us),
            ms(c.callback_latency.max_us),
            c.kabao_cpu_per_application_us,
            opt(c.postgres_cpu_per_application_us),
            total(
                c.kabao_cpu_per_application_us,
                c.postgres_cpu_per_application_us
            ),
            c.drain_secs,
            c.idle_percent
        )?;
    }
    for row in rows.iter().filter(|r| r.store != "SQLite") {
        if let Some(c) = row.fapiao.and_then(|f| f.callbacks.as_ref()) {
            let what = format!(
                "the immediate applications on {} ({})",
                row.store,
                processes(row.processes)
            );
            write_errors(md, &what, &c.first_errors)?;
            write_errors(
                md,
                &format!(
                    "the callback checks on {} ({})",
                    row.store,
                    processes(row.processes)
                ),
                &c.callbacks.first_failures,
            )?;
        }
    }
    writeln!(md)
}

fn write_setup_rows(md: &mut String, postgres: &PostgresResults) -> std::fmt::Result {
    if postgres
        .runs
        .iter()
        .all(|r| r.inserts.is_empty() && r.bills.is_empty() && r.fapiao.is_none())
    {
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
    }
    writeln!(md)
}
