//! `BENCHMARKS.md`: the report rendered as Markdown.

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
        writeln!(
            md,
            "| idle memory (kabao RSS after start and provisioning) | < {IDLE_RSS_BAR_MB:.0} MB | {:.1} MB | {} |\n",
            mb(self.idle_memory.rss_kb),
            verdict(self.memory_bar_met())
        )?;

        if !self.scenarios.is_empty() {
            self.write_throughput(md)?;
        }
        if !self.inserts.is_empty() {
            self.write_inserts(md)?;
        }
        if !self.floors.is_empty() {
            self.write_floors(md)?;
        }
        self.write_rest(md)
    }

    fn write_throughput(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Throughput and latency\n")?;
        writeln!(
            md,
            "| endpoint | connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | kabao CPU/req µs | kabao cores busy | bench CPU/req µs | steal % |"
        )?;
        writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for s in &self.scenarios {
            let ms = |us: f64| format!("{:.3}", us / 1000.0);
            writeln!(
                md,
                "| `{}` | {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.1} |",
                s.endpoint.label(),
                s.connections,
                s.requests,
                s.errors,
                s.requests_per_sec,
                ms(s.latency.p50_us),
                ms(s.latency.p90_us),
                ms(s.latency.p99_us),
                ms(s.latency.p999_us),
                ms(s.latency.max_us),
                s.kabao_cpu_per_request_us,
                s.kabao_cores_busy,
                s.bench_cpu_per_request_us,
                s.steal_percent
            )?;
        }
        for s in &self.scenarios {
            write_errors(
                md,
                &format!("`{}` at {} conn", s.endpoint.label(), s.connections),
                &s.first_errors,
            )?;
        }
        writeln!(md)
    }

    fn write_inserts(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Card inserts (`{}`)\n", crate::insert::LABEL)?;
        writeln!(
            md,
            "Each request inserts a new invoice card: its own order (getauthurl) authorised \
             by a user, its own unused PDF (setpdf), a unique 20-digit `billing_no` \
             (数电, empty `billing_code`, so no rule warns), sent once; no body is ever sent \
             twice, so no answer is a replay. kabao answers an insert after its group-commit \
             writer has committed the card to SQLite (WAL). The prepared inserts are made \
             over HTTP before each scenario; that setup is timed below and is not part of \
             the measured numbers.\n"
        )?;
        writeln!(
            md,
            "| connections | inserts | errors | inserts/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | kabao CPU/insert µs | kabao cores busy | bench CPU/insert µs | kabao RSS after MB | machine idle % | steal % | measured s | ended by |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        )?;
        let ms = |us: f64| format!("{:.3}", us / 1000.0);
        for s in &self.inserts {
            writeln!(
                md,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.1} | {:.1} | {:.1} | {:.2} | {} |",
                s.connections,
                s.inserts,
                s.errors,
                s.inserts_per_sec,
                ms(s.latency.p50_us),
                ms(s.latency.p90_us),
                ms(s.latency.p99_us),
                ms(s.latency.p999_us),
                ms(s.latency.max_us),
                s.kabao_cpu_per_insert_us,
                s.kabao_cores_busy,
                s.bench_cpu_per_insert_us,
                mb(s.memory_after.rss_kb),
                s.idle_percent,
                s.steal_percent,
                s.elapsed_secs,
                if s.pool_ran_out {
                    format!("all {} prepared inserts sent", s.pool)
                } else {
                    "the deadline".to_owned()
                }
            )?;
        }
        for s in &self.inserts {
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
             `kabao-card-writ` is the group-commit writer, the one thread that applies every \
             insert, one after another). Of the threads' wall \
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
        for s in &self.inserts {
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
        for s in &self.inserts {
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
             `POST /card/invoice/platform/setpdf` (one multipart PDF), \
             `POST /card/invoice/getauthurl` with the merchant's token and `wx_card` ticket, \
             and the user's authorisation through the control API \
             (`POST /_kabao/api/oa/authorizations`, at most {} at once), spread over {} \
             users of the merchant. Prepared per connection count: one insert for the check, \
             up to {} for the warm-up (which ends after {} s or when they are used up) and {} \
             for the measured period. Authorisations queue event pushes (the merchant has no \
             push URL), which kabao works off in the background, so the load starts only once \
             kabao has used under 5% of a CPU for two 250 ms windows in a row. An \
             authorisation answered with HTTP 500 would be sent again and counted in the \
             table above.\n",
            self.settings.setup_concurrency,
            self.settings.authorize_concurrency,
            crate::oa_setup::USERS,
            self.settings.insert_warmup_orders,
            self.settings.warmup_secs,
            self.settings.insert_orders
        )
    }

    fn write_floors(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## CPU per signed request against the crypto floor\n")?;
        let clock = if self.floors.iter().all(|f| f.floor.thread_cpu_clock) {
            "on-CPU time of each measuring thread"
        } else {
            "wall-clock time (no /proc/thread-self/schedstat)"
        };
        writeln!(
            md,
            "The floor: one RSA-2048 PKCS#1 v1.5 SHA-256 verify plus one sign over {} bytes, \
             with `kabao-protocol` (aws-lc-rs) as kabao uses it, {} timed iterations per \
             thread in the bench process while kabao was idle; {clock}. Each signed scenario \
             is compared with the mean of the floors measured right before and right after \
             it. The every-CPU-busy floor runs one thread per CPU at once, as the machine \
             runs when the load saturates it; it is shown, not used for the bar.\n",
            crate::crypto_floor::MESSAGE_BYTES,
            self.settings.floor_iterations
        )?;
        writeln!(
            md,
            "| floor | threads | verify µs | sign µs | verify + sign µs | verify + sign, wall µs | kabao CPU meanwhile ms | steal % |"
        )?;
        writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for run in &self.floors {
            let f = &run.floor;
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} | {:.1} |",
                run.label,
                f.threads,
                f.verify_us,
                f.sign_us,
                f.pair_us,
                f.pair_wall_us,
                run.kabao_cpu_ms,
                run.steal_percent
            )?;
        }
        writeln!(
            md,
            "| **mean of the one-thread floors** | 1 | | | **{:.1}** | | | |\n",
            self.floor_pair_us
        )?;
        let busy = self.busy_floor_pair_us;
        write!(
            md,
            "| connections | kabao CPU per signed request µs | floor (before + after) / 2 µs | above the floor µs | ÷ floor | result (≤ {CPU_RATIO_BAR:.2}×) |"
        )?;
        writeln!(
            md,
            "{}",
            if busy.is_some() {
                " ÷ every-CPU-busy floor |"
            } else {
                ""
            }
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | --- |{}",
            if busy.is_some() { " ---: |" } else { "" }
        )?;
        for s in &self.scenarios {
            let (Some(floor), Some(ratio)) = (s.floor_pair_us, s.floor_ratio) else {
                continue;
            };
            write!(
                md,
                "| {} | {:.1} | {floor:.1} | {:.1} | {ratio:.2}× | {} |",
                s.connections,
                s.kabao_cpu_per_request_us,
                s.kabao_cpu_per_request_us - floor,
                verdict(ratio <= CPU_RATIO_BAR)
            )?;
            match busy {
                Some(b) => writeln!(md, " {:.2}× |", s.kabao_cpu_per_request_us / b)?,
                None => writeln!(md)?,
            }
        }
        writeln!(md)
    }

    fn write_rest(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Memory\n")?;
        writeln!(md, "| kabao | MB | threads |")?;
        writeln!(md, "| --- | ---: | ---: |")?;
        writeln!(
            md,
            "| idle RSS (after start and provisioning, before load) | {:.1} | {} |",
            mb(self.idle_memory.rss_kb),
            self.idle_memory.threads
        )?;
        writeln!(
            md,
            "| RSS after the load | {:.1} | {} |",
            mb(self.after_load_memory.rss_kb),
            self.after_load_memory.threads
        )?;
        writeln!(
            md,
            "| peak RSS over the whole run (VmHWM) | {:.1} | |\n",
            mb(self.after_load_memory.peak_rss_kb)
        )?;

        writeln!(md, "## Checks\n")?;
        writeln!(
            md,
            "Before each scenario the bench sent one request and checked the answer fully:\n"
        )?;
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
        writeln!(
            md,
            "\nDuring the load every answer had to be HTTP 200 with a success body \
             (`\"data\"` for certificates, `\"access_token\"` for tokens, `errcode` 0 with a \
             card `code` for inserts, since Official Account errors are HTTP 200 too); \
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
             request is in the table. Certificates requests cycle through {SIGNED_POOL} \
             `Authorization` headers (distinct nonces) signed just before each scenario, so \
             the generator does no RSA while measuring.",
            m.cores
        )?;
        writeln!(
            md,
            "- CPU time: `utime + stime` of `/proc/PID/stat` (all threads) before and after \
             each measured period, at {} ticks per second.\n",
            self.settings.clock_ticks_per_sec
        )?;

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
            .map(|s| match s {
                Scenario::Certificates => "certificates",
                Scenario::Token => "token",
                Scenario::Insert => "insert",
            })
            .collect::<Vec<_>>()
            .join(",");
        writeln!(
            md,
            "target/release/kabao-bench --scenarios {scenarios} --duration-secs {} --warmup-secs {} \
             --connections {connections} --floor-iterations {} --insert-orders {} \
             --insert-warmup-orders {} --setup-concurrency {} --authorize-concurrency {}",
            self.settings.duration_secs,
            self.settings.warmup_secs,
            self.settings.floor_iterations,
            self.settings.insert_orders,
            self.settings.insert_warmup_orders,
            self.settings.setup_concurrency,
            self.settings.authorize_concurrency
        )?;
        writeln!(md, "```\n")?;
        writeln!(
            md,
            "`cargo run --release -p kabao-bench` does the same with the defaults (and builds \
             kabao when `target/release/kabao` is missing). `--kabao PATH` benchmarks another \
             binary, `--out` names the report, `--json PATH` also writes the raw results, \
             `--scenarios insert` runs only the inserts. Run it from the workspace root on an \
             otherwise idle machine."
        )?;
        Ok(())
    }
}
