//! The card-insert sections of `BENCHMARKS.md`: `/card/invoice/insert`
//! and `/nontax/insertbill`, measured and set up the same way.

use super::table::{ended_by, ms, StoreCpu, StoreLabel, Table};
use super::*;
use crate::card_flow::{CardFlow, BILL_CODE};

/// The words that differ between the two insert sections.
struct Words {
    title: &'static str,
    card: String,
    setup: &'static str,
    holder: &'static str,
}

fn words(flow: CardFlow) -> Words {
    match flow {
        CardFlow::Invoice => Words {
            title: "Card inserts",
            card: "a new invoice card: its own order (getauthurl) authorised by a user, its own \
                   unused PDF (setpdf), a unique 20-digit `billing_no` (数电, empty \
                   `billing_code`, so no rule warns)"
                .to_owned(),
            setup: "`POST /card/invoice/platform/setpdf` (one multipart PDF), \
                    `POST /card/invoice/getauthurl` with the merchant's token and `wx_card` ticket",
            holder: "the merchant",
        },
        CardFlow::FiscalBill => Words {
            title: "Fiscal bill inserts",
            card: format!(
                "a new fiscal bill card (财政电子票据): a fiscal bureau inserts it for a \
                 collecting unit's payer, on its own order (getbillauthurl) authorised by the \
                 payer, with its own unused PDF (setpdf, by the bureau), `billing_code` \
                 `{BILL_CODE}` and a unique 10-digit `billing_no` (the seed's shapes, so no \
                 rule warns)"
            ),
            setup: "`POST /card/invoice/platform/setpdf` (one multipart PDF, with the bureau's token), \
                    `POST /nontax/getbillauthurl` with the collecting unit's token and `wx_card` ticket",
            holder: "the collecting unit",
        },
    }
}

impl Report {
    pub(super) fn write_inserts(&self, md: &mut String) -> std::fmt::Result {
        self.write_insert_section(md, CardFlow::Invoice, &self.inserts)
    }

    /// The fiscal-bill section, with its checks (the invoice checks are in "Checks").
    pub(super) fn write_bills(&self, md: &mut String) -> std::fmt::Result {
        self.write_insert_section(md, CardFlow::FiscalBill, &self.bills)?;
        writeln!(md, "Checked before and after each fiscal bill scenario:\n")?;
        for s in &self.bills {
            writeln!(md, "- {} conn, first bill: {}", s.connections, s.check)?;
            writeln!(
                md,
                "- {} conn, after the load: {}",
                s.connections, s.verified
            )?;
        }
        writeln!(md)
    }

    /// One insert section: results, threads, setup.
    pub(super) fn write_insert_section(
        &self,
        md: &mut String,
        flow: CardFlow,
        results: &[InsertResult],
    ) -> std::fmt::Result {
        let words = words(flow);
        writeln!(md, "## {} (`{}`)\n", words.title, flow.label())?;
        writeln!(
            md,
            "Each request inserts {}, sent once; no body is ever sent \
             twice, so no answer is a replay. kabao answers an insert after its group-commit \
             writer has committed the card to SQLite (WAL). The prepared inserts are made \
             over HTTP before each scenario; that setup is timed below and is not part of \
             the measured numbers.\n",
            words.card
        )?;
        let mut table = insert_table(false);
        for s in results {
            insert_row(&mut table, StoreLabel::SQLITE, s);
        }
        table.write(md)?;
        for s in results {
            write_errors(
                md,
                &format!("inserts at {} conn", s.connections),
                &s.first_errors,
            )?;
            write_errors(
                md,
                &format!("the insert warm-up at {} conn", s.connections),
                &s.warmup_first_errors,
            )?;
        }
        writeln!(md)?;
        writeln!(
            md,
            "kabao's threads in the measured period (`/proc/PID/task/*/schedstat`, threads \
             of one name added up, those that kept at least 1% of a CPU busy; \
             `kabao-writer` is the group-commit writer, the one thread that applies every \
             insert, one batch after another). Of the threads' wall \
             time: on a CPU, runnable but waiting for a CPU, and the rest (sleeping: waiting \
             for work, or blocked, e.g. in `fsync`):\n"
        )?;
        writeln!(
            md,
            "| connections | thread | threads | CPU s | cores busy | µs per insert | on a CPU % | waiting for a CPU % | sleeping or blocked % |"
        )?;
        writeln!(
            md,
            "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in results {
            for t in &s.kabao_threads {
                let wall = s.elapsed_secs * f64::from(t.threads.max(1));
                let share = |secs: f64| 100.0 * secs / wall;
                writeln!(
                    md,
                    "| {} | `{}` | {} | {:.2} | {:.2} | {:.1} | {:.0} | {:.0} | {:.0} |",
                    s.connections,
                    t.name,
                    t.threads,
                    t.cpu_secs,
                    t.cpu_secs / s.elapsed_secs,
                    t.cpu_secs * 1e6 / s.inserts.max(1) as f64,
                    share(t.cpu_secs),
                    share(t.runqueue_secs),
                    (100.0 - share(t.cpu_secs) - share(t.runqueue_secs)).max(0.0)
                )?;
            }
        }
        writeln!(md)?;
        writeln!(md, "Setup and warm-up (not measured):\n")?;
        writeln!(
            md,
            "| connections | inserts prepared | setup s | prepared/s | authorisations retried after HTTP 500 | then until kabao idle s | warm-up inserts | warm-up errors |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in results {
            let idle = if s.setup.idle_reached {
                format!("{:.1}", s.setup.idle_wait_secs)
            } else {
                format!("{:.1} (never idle)", s.setup.idle_wait_secs)
            };
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.0} | {} | {idle} | {} | {} |",
                s.connections,
                s.setup.orders,
                s.setup.secs,
                s.setup.orders as f64 / s.setup.secs.max(1e-9),
                s.setup.authorize_retries,
                s.warmup_inserts,
                s.warmup_errors
            )?;
        }
        writeln!(
            md,
            "\nSetup per insert, {} chains in flight, each on its own keep-alive connection: \
             {}, \
             and the user's authorisation through the control API \
             (`POST /_kabao/api/oa/authorizations`, at most {} at once), spread over {} \
             users of {}. Prepared per connection count: one insert for the check, \
             up to {} for the warm-up (which ends after {} s or when they are used up) and {} \
             for the measured period. Authorisations queue event pushes ({} has no \
             push URL), which kabao works off in the background, so the load starts only once \
             kabao has used under 5% of a CPU for two 250 ms windows in a row. An \
             authorisation answered with HTTP 500 would be sent again and counted in the \
             table above.\n",
            self.settings.setup_concurrency,
            words.setup,
            self.settings.authorize_concurrency,
            crate::oa_setup::USERS,
            words.holder,
            self.settings.insert_warmup_orders,
            self.settings.warmup_secs,
            results
                .first()
                .map_or(self.settings.insert_orders, |r| r.pool),
            words.holder
        )
    }
}

/// The table of insert scenarios; `labelled` for the PostgreSQL section.
pub(super) fn insert_table(labelled: bool) -> Table {
    Table::new(
        labelled,
        "insert",
        false,
        &[
            ("connections", true),
            ("inserts", true),
            ("errors", true),
            ("inserts/s", true),
            ("p50 ms", true),
            ("p90 ms", true),
            ("p99 ms", true),
            ("p99.9 ms", true),
            ("max ms", true),
            ("kabao CPU/insert µs", true),
            ("kabao cores busy", true),
            ("bench CPU/insert µs", true),
            ("kabao RSS after MB", true),
            ("machine idle %", true),
            ("steal %", true),
            ("measured s", true),
            ("ended by", false),
        ],
    )
}

/// One insert scenario measured on `label`'s store.
pub(super) fn insert_row(table: &mut Table, label: StoreLabel, s: &InsertResult) {
    let cells = vec![
        s.connections.to_string(),
        s.inserts.to_string(),
        s.errors.to_string(),
        format!("{:.0}", s.inserts_per_sec),
        ms(s.latency.p50_us),
        ms(s.latency.p90_us),
        ms(s.latency.p99_us),
        ms(s.latency.p999_us),
        ms(s.latency.max_us),
        format!("{:.1}", s.kabao_cpu_per_insert_us),
        format!("{:.2}", s.kabao_cores_busy),
        format!("{:.1}", s.bench_cpu_per_insert_us),
        format!("{:.1}", mb(s.memory_after.rss_kb)),
        format!("{:.1}", s.idle_percent),
        format!("{:.1}", s.steal_percent),
        format!("{:.2}", s.elapsed_secs),
        ended_by(s.pool_ran_out, s.pool, "inserts"),
    ];
    let cpu = StoreCpu {
        kabao_us: s.kabao_cpu_per_insert_us,
        postgres_us: s.postgres_cpu_per_insert_us,
        floor_us: None,
    };
    table.row(label, cells, cpu);
}
