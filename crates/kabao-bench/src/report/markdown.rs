//! `BENCHMARKS.md`: the report rendered as Markdown.

use super::table::{ms, StoreCpu, StoreLabel, Table};
use super::*;

impl Report {
    /// Renders `BENCHMARKS.md`.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        self.write_markdown(&mut md)
            .expect("writing to a String cannot fail");
        md
    }

    fn write_markdown(&self, md: &mut String) -> std::fmt::Result {
        let date = self.generated_at.replacen('T', " ", 1);
        let date = date
            .split('.')
            .next()
            .unwrap_or(&date)
            .trim_end_matches('Z');
        writeln!(md, "# kabao benchmarks\n")?;
        writeln!(
            md,
            "Written by `kabao-bench` on {date} UTC, commit `{}`, `{}`. Every number below \
             was measured in that one run; rerun the bench to refresh this file rather than \
             editing it.\n",
            self.commit.as_deref().unwrap_or("unknown"),
            self.kabao_version
        )?;

        writeln!(md, "## Bars\n")?;
        writeln!(md, "| bar | target | measured | result |")?;
        writeln!(md, "| --- | --- | --- | --- |")?;
        let ratios = self
            .signed_ratios()
            .iter()
            .map(|(c, r)| format!("{r:.2}× at {c} conn"))
            .collect::<Vec<_>>()
            .join(", ");
        let (ratios, cpu_verdict) = if ratios.is_empty() {
            ("not run".to_owned(), "—")
        } else {
            (ratios, verdict(self.cpu_bar_met()))
        };
        writeln!(
            md,
            "| kabao CPU per signed request (`GET /v3/certificates`) ÷ one RSA verify + one RSA sign | ≤ {CPU_RATIO_BAR:.2}× at every connection count | {ratios} | {cpu_verdict} |"
        )?;
        let (rate, rate_verdict) = match self.best_insert() {
            Some(best) => {
                let errors: u64 = self
                    .inserts
                    .iter()
                    .map(|s| s.errors + s.warmup_errors)
                    .sum();
                (
                    format!(
                        "{}/s at {} conn (best), {errors} errors",
                        thousands(best.inserts_per_sec),
                        best.connections
                    ),
                    verdict(self.insert_bar_met()),
                )
            }
            None => ("not run".to_owned(), "—"),
        };
        writeln!(
            md,
            "| accepted `POST /card/invoice/insert`s per second, each a new card committed to SQLite before its answer | ≥ {} at some connection count, no errors | {rate} | {rate_verdict} |",
            thousands(INSERT_RATE_BAR)
        )?;
        FapiaoResults::write_bars(self.fapiao.as_ref(), md)?;
        self.write_taxi_bar(md)?;
        self.write_scaling_bar(md)?;
        let (idle, idle_verdict) = match self.idle_memory {
            Some(m) => (
                format!("{:.1} MB", mb(m.rss_kb)),
                verdict(self.memory_bar_met()),
            ),
            None => ("not run".to_owned(), "—"),
        };
        if let Some(prism) = &self.prism {
            prism.write_bar(md, self.fapiao.as_ref())?;
        }
        writeln!(
            md,
            "| idle memory (kabao RSS after start and provisioning) | < {IDLE_RSS_BAR_MB:.0} MB | {idle} | {idle_verdict} |\n"
        )?;
        if self.postgres.is_some() {
            writeln!(
                md,
                "The bars are judged on SQLite with one kabao process; the PostgreSQL runs \
                 are in their own section, for information.\n"
            )?;
        }

        if !self.scenarios.is_empty() {
            self.write_throughput(md)?;
            self.write_signed_profiles(md)?;
        }
        if !self.inserts.is_empty() {
            self.write_inserts(md)?;
            self.write_insert_profiles(md)?;
        }
        if let Some(fapiao) = &self.fapiao {
            fapiao.write_section(md, &self.settings)?;
            self.write_fapiao_profiles(md, fapiao)?;
        }
        if !self.bills.is_empty() {
            self.write_bills(md)?;
        }
        if !self.taxi.is_empty() {
            self.write_taxi(md)?;
            self.write_taxi_profiles(md)?;
        }
        if let Some(postgres) = &self.postgres {
            self.write_postgres(md, postgres)?;
        }
        if let Some(scaling) = &self.scaling {
            self.write_scaling(md, scaling)?;
        }
        if let Some(prism) = &self.prism {
            prism.write_section(md, self.fapiao.as_ref(), &self.settings)?;
        }
        self.write_plots(md)?;
        if !self.floors.is_empty() {
            self.write_floors(md)?;
        }
        self.write_rest(md)
    }

    fn write_throughput(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Throughput and latency\n")?;
        let mut table = throughput_table(false);
        for s in &self.scenarios {
            throughput_row(&mut table, StoreLabel::SQLITE, s);
        }
        table.write(md)?;
        for s in &self.scenarios {
            write_errors(
                md,
                &format!("`{}` at {} conn", s.endpoint.label(), s.connections),
                &s.load.first_errors,
            )?;
        }
        writeln!(md)
    }

    fn write_rest(&self, md: &mut String) -> std::fmt::Result {
        if let (Some(idle), Some(after)) = (self.idle_memory, self.after_load_memory) {
            writeln!(md, "## Memory\n")?;
            writeln!(md, "| kabao | MB | threads |")?;
            writeln!(md, "| --- | ---: | ---: |")?;
            writeln!(
                md,
                "| idle RSS (after start and provisioning, before load) | {:.1} | {} |",
                mb(idle.rss_kb),
                idle.threads
            )?;
            writeln!(
                md,
                "| RSS after the load | {:.1} | {} |",
                mb(after.rss_kb),
                after.threads
            )?;
            writeln!(
                md,
                "| peak RSS over the whole run (VmHWM) | {:.1} | |\n",
                mb(after.peak_rss_kb)
            )?;
        }

        writeln!(md, "## Checks\n")?;
        if self.idle_memory.is_some() {
            writeln!(
                md,
                "Before each scenario the bench sent one request and checked the answer fully:\n"
            )?;
        }
        for endpoint in Endpoint::ALL {
            if let Some(s) = self.scenarios.iter().find(|s| s.endpoint == endpoint) {
                writeln!(md, "- `{}`: {}", endpoint.label(), s.check)?;
            }
        }
        for s in &self.inserts {
            writeln!(
                md,
                "- `{}` at {} conn: {}",
                crate::insert::LABEL,
                s.connections,
                s.check
            )?;
        }
        if let Some(fapiao) = &self.fapiao {
            fapiao.write_checks(md)?;
        }
        self.write_taxi_checks(md)?;
        writeln!(
            md,
            "\nDuring the load every answer had to be HTTP 200 with a success body \
             (`\"data\"` for certificates, `\"access_token\"` for tokens, `errcode` 0 with a \
             card `code` for inserts, HTTP 202 for fapiao applications, HTTP 204 for taxi cards, since Official Account errors are HTTP 200 too); \
             anything else counts as an error."
        )?;
        if !self.inserts.is_empty() {
            writeln!(
                md,
                "\nAfter each insert scenario the bench checked the card codes of the accepted \
                 inserts (warm-up and measured):\n"
            )?;
            for s in &self.inserts {
                writeln!(md, "- {} conn: {}", s.connections, s.verified)?;
            }
        }
        writeln!(md)?;

        let m = &self.machine;
        writeln!(md, "## Run\n")?;
        writeln!(
            md,
            "- Machine: {}, {} CPU{}{}, {:.1} GB memory, Linux {}.",
            m.cpu,
            m.cores,
            if m.cores == 1 { "" } else { "s" },
            if m.virtual_machine {
                " (virtual machine)"
            } else {
                ""
            },
            m.memory_total_kb as f64 * 1024.0 / 1e9,
            m.kernel
        )?;
        let extra = if self.settings.kabao_flags.is_empty() {
            String::new()
        } else {
            format!(" {}", self.settings.kabao_flags.join(" "))
        };
        writeln!(
            md,
            "- kabao: the release binary, started as `kabao serve --bind 127.0.0.1:0 \
             --database-url sqlite://<temporary folder>/kabao.db --no-demo --admin-token <random> \
             --token-daily-limit 1000000000{extra}`; every other setting is the default. One \
             merchant (generated API certificate) and one app are provisioned through the \
             control API{}.",
            if self.inserts.is_empty() {
                ""
            } else {
                "; the insert scenarios add an invoicing platform and a merchant app with \
                 its users (see their section)"
            }
        )?;
        writeln!(
            md,
            "- Load: {} s measured per scenario after {} s of the same load unmeasured. Each \
             connection is one keep-alive HTTP/1.1 connection that sends its next request \
             when the previous answer is complete (a closed loop), so at high connection \
             counts latency includes queueing inside kabao.",
            self.settings.duration_secs, self.settings.warmup_secs
        )?;
        writeln!(
            md,
            "- Load generator: one thread (a current-thread tokio runtime, hyper's HTTP/1.1 \
             client) on the same machine, sharing its {} CPUs with kabao; its CPU per \
             request is in the table. Certificates requests each carry their own \
             `Authorization` header (a fresh nonce: kabao refuses a nonce it has seen), up to \
             {SIGNED_POOL} per measured period, signed just before it, so the generator does \
             no RSA while measuring; a period that uses them up ends early.",
            m.cores
        )?;
        writeln!(
            md,
            "- CPU time: `utime + stime` of `/proc/PID/stat` (all threads) before and after \
             each measured period, at {} ticks per second.",
            self.settings.clock_ticks_per_sec
        )?;
        self.write_profiling_note(md)?;

        writeln!(md, "## What the numbers mean\n")?;
        for line in [
            "**req/s**: successful requests divided by the measured seconds.",
            "**p50 … max**: time from writing a request to reading the last byte of its answer, successful requests only; nearest-rank percentiles.",
            "**errors**: answers that were not HTTP 200 with a success body, and transport failures. A sound run has none.",
            "**kabao CPU/req**: CPU time kabao (every thread: HTTP, routing, store, crypto, logging) used during the measured period, divided by the successful requests.",
            "**kabao cores busy**: kabao's CPU seconds per wall second; with the generator on the same machine kabao can use at most the CPUs it leaves free.",
            "**bench CPU/req**: the same for the load generator.",
            "**steal %**: the share of the machine's CPU time the hypervisor gave to something else (`/proc/stat`); on a virtual machine it makes numbers noisier.",
            "**crypto floor**: what a signed request cannot avoid: verifying the caller's RSA signature and signing the answer. The ratio to it says how much everything else costs; 1.00× would be nothing else at all. `/v3/certificates` additionally encrypts the platform certificate with AES-256-GCM.",
            "**`GET /cgi-bin/token`** stores a new token and counts the call on every request, as the real service does, so each of its scenarios runs against the tokens the ones before it stored.",
            "**inserts/s**: accepted inserts (`errcode` 0 with a card code, each a new card) divided by the measured seconds, which end at the deadline or when the prepared inserts are used up. **kabao CPU/insert** and **bench CPU/insert** are per accepted insert. **RSS after** is kabao's `VmRSS` right after the measured period.",
            "**applications/s**, **kabao CPU/application**: accepted fapiao applications (HTTP 202) per measured second, and kabao's CPU per accepted application; with the outcome held this is the request path alone, compared with the crypto floor like signed requests. **asynchronous part**: kabao's CPU per application with the immediate outcome (issuing, the card step, their signed and encrypted callbacks) minus the held figure.",
            "**cards/s**, **kabao CPU/card**: accepted taxi cards (HTTP 204, each a new card on its own trip) per measured second, and kabao's CPU per accepted card, compared with the crypto floor like signed requests.",
            "**callback latency**: from the bench reading an application's 202 to its `FAPIAO.ISSUED` callback arriving at the bench's receiver; nearest-rank percentiles over the first callback of each application.",
            "**idle RSS**: kabao's resident memory (`VmRSS`) once started and provisioned, before any load. **Peak RSS** is `VmHWM`, the most it held at any moment of the run. MB are 10⁶ bytes.",
        ] {
            writeln!(md, "- {line}")?;
        }
        writeln!(md)?;

        writeln!(md, "## How to reproduce\n")?;
        let connections = self
            .settings
            .connections
            .iter()
            .map(usize::to_string)
            .collect::<Vec<_>>()
            .join(",");
        writeln!(md, "```sh")?;
        writeln!(md, "cargo build --release -p kabao-server -p kabao-bench")?;
        let scenarios = self
            .settings
            .scenarios
            .iter()
            .map(|s| s.name())
            .collect::<Vec<_>>()
            .join(",");
        write!(
            md,
            "target/release/kabao-bench --scenarios {scenarios} --duration-secs {} --warmup-secs {} \
             --connections {connections} --floor-iterations {} --insert-orders {} \
             --insert-warmup-orders {} --setup-concurrency {} --authorize-concurrency {} \
             --fapiao-applications {} --fapiao-warmup-applications {} --fapiao-merchants {} \
             --fapiao-merchant-rate {} --fapiao-callback-applications {} \
             --fapiao-callback-connections {} --fapiao-callback-rate {} \
             --fapiao-delivery-applications {} --fapiao-delivery-merchants {} --taxi-cards {} \
             --taxi-warmup-cards {}",
            self.settings.duration_secs,
            self.settings.warmup_secs,
            self.settings.floor_iterations,
            self.settings.insert_orders,
            self.settings.insert_warmup_orders,
            self.settings.setup_concurrency,
            self.settings.authorize_concurrency,
            self.settings.fapiao_applications,
            self.settings.fapiao_warmup_applications,
            self.settings.fapiao_merchants,
            self.settings.fapiao_merchant_rate,
            self.settings.fapiao_callback_applications,
            self.settings.fapiao_callback_connections,
            self.settings.fapiao_callback_rate,
            self.settings.fapiao_delivery_applications,
            self.settings.fapiao_delivery_merchants,
            self.settings.taxi_cards,
            self.settings.taxi_warmup_cards
        )?;
        writeln!(
            md,
            "{}{} --profile {} --profile-frequency {}",
            self.bill_and_scaling_flags(),
            self.store_flags(),
            self.settings.profile.name(),
            self.settings.profile_frequency
        )?;
        writeln!(md, "```\n")?;
        writeln!(
            md,
            "`cargo run --release -p kabao-bench` does the same with the defaults (and builds \
             kabao when `target/release/kabao` is missing). `--kabao PATH` benchmarks another \
             binary, `--out` names the report, `--json PATH` also writes the raw results, \
             `--scenarios insert` runs only the inserts, `--scenarios fapiao` only the fapiao applications and their callbacks, \
             `--scenarios taxi` only the taxi cards, `--scenarios insertbill` only the fiscal bills, \
             `--scenarios scaling` only the store-size runs; `--stores sqlite` skips the PostgreSQL \
             runs, `--stores postgres` runs only them, `--postgres-url` names the server. \
             Run it from the workspace root on an otherwise idle machine."
        )?;
        writeln!(
            md,
            "\n`--scenarios prism` needs Node.js with `npm` on `PATH` (it installs \
             `@stoplight/prism-cli` into a temporary folder; `--prism-version`, `--prism-spec`). \
             The plots go to `bench-plots/` beside `--out` (`--plots-dir`). `--profile \
             off|missed|all` (default `missed`) profiles kabao with `perf` (Debian package \
             `linux-perf`) during each load judged against a bar and shows where the time went \
             for the loads that missed it, or for all of them; `--profile-frequency` sets \
             `perf record -F`."
        )?;
        Ok(())
    }
}

/// The table of request/response scenarios; `labelled` for the PostgreSQL section.
pub(super) fn throughput_table(labelled: bool) -> Table {
    Table::new(
        labelled,
        "req",
        true,
        &[
            ("endpoint", false),
            ("connections", true),
            ("requests", true),
            ("errors", true),
            ("req/s", true),
            ("p50 ms", true),
            ("p90 ms", true),
            ("p99 ms", true),
            ("p99.9 ms", true),
            ("max ms", true),
            ("kabao CPU/req µs", true),
            ("kabao cores busy", true),
            ("bench CPU/req µs", true),
            ("machine idle %", true),
            ("steal %", true),
        ],
    )
}

/// One request/response scenario measured on `label`'s store.
pub(super) fn throughput_row(table: &mut Table, label: StoreLabel, s: &ScenarioResult) {
    let l = &s.load;
    let cells = vec![
        format!("`{}`", s.endpoint.label()),
        s.connections.to_string(),
        l.requests.to_string(),
        l.errors.to_string(),
        format!("{:.0}", l.requests_per_sec),
        ms(l.latency.p50_us),
        ms(l.latency.p90_us),
        ms(l.latency.p99_us),
        ms(l.latency.p999_us),
        ms(l.latency.max_us),
        format!("{:.1}", l.server_cpu_per_request_us),
        format!("{:.2}", l.server_cores_busy),
        format!("{:.1}", l.bench_cpu_per_request_us),
        format!("{:.1}", s.idle_percent),
        format!("{:.1}", l.steal_percent),
    ];
    let cpu = StoreCpu {
        kabao_us: l.server_cpu_per_request_us,
        postgres_us: s.postgres_cpu_per_request_us,
        floor_us: s.floor_pair_us.filter(|_| l.requests > 0),
    };
    table.row(label, cells, cpu);
}
