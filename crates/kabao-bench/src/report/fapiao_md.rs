//! The fapiao scenario in `BENCHMARKS.md`: its two rows of the bars, its
//! section and its checks.

use super::fapiao::{FapiaoResults, CALLBACK_P99_BAR_MS, FAPIAO_CPU_RATIO_BAR};
use super::table::{
    ended_by, ms, signed_load_row, signed_load_table, SignedLoad, StoreCpu, StoreLabel, Table,
};
use super::*;
use crate::fapiao_world::APPLICATIONS_PATH;

impl FapiaoResults {
    /// The fapiao rows of the bars table.
    pub(super) fn write_bars(this: Option<&Self>, md: &mut String) -> std::fmt::Result {
        let ratios = this.map(Self::ratios).unwrap_or_default();
        let (measured, result) = if ratios.is_empty() {
            ("not run".to_owned(), "—")
        } else {
            let list = ratios
                .iter()
                .map(|(c, r)| format!("{r:.2}× at {c} conn"))
                .collect::<Vec<_>>()
                .join(", ");
            (list, verdict(this.is_some_and(Self::cpu_bar_met)))
        };
        writeln!(
            md,
            "| kabao CPU per accepted `POST {APPLICATIONS_PATH}` (202, outcome held) ÷ one RSA verify + one RSA sign | ≤ {FAPIAO_CPU_RATIO_BAR:.2}× at every connection count | {measured} | {result} |"
        )?;
        let (measured, result) = match this.and_then(|f| f.callbacks.as_ref()) {
            Some(c) => (
                format!(
                    "p99 {} ms; {} of {} arrived, {} verified, {} errors",
                    ms(c.callback_latency.p99_us),
                    c.callbacks.issued,
                    c.callbacks.expected,
                    c.callbacks.signatures_verified,
                    c.errors + c.callbacks.failed as u64
                ),
                verdict(c.bar_met()),
            ),
            None => ("not run".to_owned(), "—"),
        };
        writeln!(
            md,
            "| `FAPIAO.ISSUED` callback latency, outcome immediate (202 read → callback at the bench's receiver) | p99 < {CALLBACK_P99_BAR_MS:.0} ms, every callback arrived with a valid signature | {measured} | {result} |"
        )
    }

    /// The fapiao section.
    pub(super) fn write_section(&self, md: &mut String, settings: &Settings) -> std::fmt::Result {
        writeln!(md, "## Fapiao applications (`POST {APPLICATIONS_PATH}`)\n")?;
        writeln!(
            md,
            "Each request is a new application on its own paid WeChat Pay order (made \
             through the control API beforehand, its `transaction_id` the \
             `fapiao_apply_id`), the official example's body (one fapiao, one line, tax code \
             3010101020203000000, 429900 fen at 13%, no phone or email), signed before the \
             load so the generator does no RSA while measuring, sent once. The merchants' \
             outcome is held (`manual`), so kabao does only the request path: verify the \
             signature, validate, store the application with its fapiao and its held step, \
             sign the 202. The load is spread over {} merchants in turn and kept under {} \
             calls per merchant per second (kabao answers 429 above 100). Each connection \
             count is compared with the crypto floors measured right before and after it.\n",
            settings.fapiao_merchants, settings.fapiao_merchant_rate
        )?;
        let mut table = held_table(false);
        for h in &self.held {
            held_row(&mut table, StoreLabel::SQLITE, h);
        }
        table.write(md)?;
        for h in &self.held {
            write_errors(
                md,
                &format!("held applications at {} conn", h.connections),
                &h.first_errors,
            )?;
        }
        writeln!(md, "\nSetup and warm-up (not measured):\n")?;
        writeln!(
            md,
            "| load | applications prepared | merchants | paid orders s | signing s | then until kabao idle s | warm-up applications | warm-up errors | waits for the per-merchant limit |"
        )?;
        writeln!(
            md,
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        let setup_row = |md: &mut String, load: String, s: &FapiaoSetup, warm: String| {
            writeln!(
                md,
                "| {load} | {} | {} | {:.1} | {:.1} | {:.1} | {warm} |",
                s.applications, s.merchants, s.orders_secs, s.presign_secs, s.idle_wait_secs
            )
        };
        for h in &self.held {
            let warm = format!(
                "{} | {} | {}",
                h.warmup_applications, h.warmup_errors, h.cap_waits
            );
            setup_row(md, format!("held, {} conn", h.connections), &h.setup, warm)?;
        }
        if let Some(c) = &self.callbacks {
            setup_row(
                md,
                "immediate (callbacks)".into(),
                &c.setup,
                "— | — | —".into(),
            )?;
        }
        if let Some(d) = &self.delivery {
            setup_row(
                md,
                "immediate, unpaced (callbacks delivered)".into(),
                &d.setup,
                "— | — | —".into(),
            )?;
        }
        if let Some(c) = &self.callbacks {
            self.write_callbacks(md, c)?;
        }
        if let Some(d) = &self.delivery {
            write_delivery(md, d)?;
        }
        writeln!(md)
    }

    fn write_callbacks(&self, md: &mut String, c: &FapiaoCallbackResult) -> std::fmt::Result {
        writeln!(md, "\n### `FAPIAO.ISSUED` callbacks (outcome immediate)\n")?;
        writeln!(
            md,
            "{} applications on {} connections, paced at {:.0} per second, for merchants \
             whose outcome is immediate and whose `callback_url` is a receiver inside the \
             bench process (hyper on 127.0.0.1, its own thread), which reads each callback \
             whole, notes the time and answers 200. Latency is from the bench reading an \
             application's 202 to its first `FAPIAO.ISSUED` arriving, so it includes the \
             issuing step: an upper bound of ISSUED → the receiver's 200. After the load \
             every callback's signature was verified with the platform key and its \
             `resource` decrypted with the merchant's APIv3 key to read `fapiao_apply_id`. \
             kabao's CPU is counted from the first application until every ISSUED callback \
             had arrived and kabao was idle again; the asynchronous part is that per \
             application minus the held load's CPU per application{}.\n",
            c.pool,
            c.connections,
            c.target_rate,
            c.held_reference_connections
                .map(|n| format!(" (at {n} conn)"))
                .unwrap_or_default()
        )?;
        let mut table = callback_table(false);
        callback_row(&mut table, StoreLabel::SQLITE, c);
        table.write(md)?;
        let k = &c.callbacks;
        write_errors(md, "the immediate applications", &c.first_errors)?;
        write_errors(md, "the callback checks", &k.first_failures)?;
        if !k.first_missing.is_empty() {
            writeln!(
                md,
                "\nApplications without `FAPIAO.ISSUED`, first of them: {}",
                k.first_missing.join(", ")
            )?;
        }
        Ok(())
    }

    /// The fapiao lines of the checks section.
    pub(super) fn write_checks(&self, md: &mut String) -> std::fmt::Result {
        for h in &self.held {
            writeln!(
                md,
                "- `POST {APPLICATIONS_PATH}` at {} conn: {}; after the load: {}",
                h.connections, h.check, h.verified
            )?;
        }
        Ok(())
    }
}

/// The table of held loads; `labelled` for the PostgreSQL section.
pub(super) fn held_table(labelled: bool) -> Table {
    signed_load_table(
        labelled,
        "application",
        "applications",
        FAPIAO_CPU_RATIO_BAR,
    )
}

/// One held load measured on `label`'s store.
pub(super) fn held_row(table: &mut Table, label: StoreLabel, h: &FapiaoHeldResult) {
    let load = SignedLoad {
        connections: h.connections,
        accepted: h.applications,
        errors: h.errors,
        per_sec: h.applications_per_sec,
        latency: &h.latency,
        kabao_cpu_us: h.kabao_cpu_per_application_us,
        postgres_cpu_us: h.postgres_cpu_per_application_us,
        floor_us: h.floor_pair_us,
        floor_ratio: h.floor_ratio,
        kabao_cores_busy: h.kabao_cores_busy,
        bench_cpu_us: h.bench_cpu_per_application_us,
        idle_percent: h.idle_percent,
        steal_percent: h.steal_percent,
        elapsed_secs: h.elapsed_secs,
        ended_by: ended_by(h.pool_ran_out, h.pool, "applications"),
    };
    signed_load_row(table, label, load, FAPIAO_CPU_RATIO_BAR);
}

/// The table of the callback-latency load; `labelled` for the PostgreSQL section.
pub(super) fn callback_table(labelled: bool) -> Table {
    let result = format!("result (p99 < {CALLBACK_P99_BAR_MS:.0} ms)");
    Table::new(
        labelled,
        "application",
        false,
        &[
            ("applications", true),
            ("errors", true),
            ("sent in s", true),
            ("202 p50 ms", true),
            ("202 p99 ms", true),
            ("ISSUED arrived / expected", true),
            ("signatures verified", true),
            ("CARD_INSERTED", true),
            ("duplicates", true),
            ("before the 202", true),
            ("p50 ms", true),
            ("p90 ms", true),
            ("p99 ms", true),
            ("max ms", true),
            (&result, false),
            ("kabao CPU/application µs", true),
            ("asynchronous part µs", true),
            ("until idle s", true),
            ("machine idle %", true),
            ("steal %", true),
        ],
    )
}

/// The callback-latency load measured on `label`'s store.
pub(super) fn callback_row(table: &mut Table, label: StoreLabel, c: &FapiaoCallbackResult) {
    let k = &c.callbacks;
    let cells = vec![
        c.applications.to_string(),
        c.errors.to_string(),
        format!("{:.1}", c.send_secs),
        ms(c.accept_latency.p50_us),
        ms(c.accept_latency.p99_us),
        format!("{} / {}", k.issued, k.expected),
        format!("{} of {}", k.signatures_verified, k.received),
        k.card_inserted.to_string(),
        k.duplicates.to_string(),
        k.before_202.to_string(),
        ms(c.callback_latency.p50_us),
        ms(c.callback_latency.p90_us),
        ms(c.callback_latency.p99_us),
        ms(c.callback_latency.max_us),
        verdict(c.bar_met()).to_owned(),
        format!("{:.1}", c.kabao_cpu_per_application_us),
        c.async_cpu_per_application_us
            .map_or("—".to_owned(), |a| format!("{a:.1}")),
        format!("{:.1}", c.drain_secs),
        format!("{:.1}", c.idle_percent),
        format!("{:.1}", c.steal_percent),
    ];
    let cpu = StoreCpu {
        kabao_us: c.kabao_cpu_per_application_us,
        postgres_us: c.postgres_cpu_per_application_us,
        floor_us: None,
    };
    table.row(label, cells, cpu);
}

/// What the delivered-callbacks figures mean, for the fapiao and PostgreSQL sections.
pub(super) const DELIVERY_MEANING: &str = "**Callbacks delivered per second** is how many \
     callbacks kabao got through to the merchants' server when applications come as fast as \
     it accepts them: the applications' first `FAPIAO.ISSUED` and `FAPIAO.CARD_INSERTED` \
     callbacks that reached the bench's receiver (signature verified, resource decrypted), \
     divided by the seconds from the first arrival to the last. It is kabao's issuing and \
     notification throughput with the request path busy alongside, not a latency; \
     **kabao CPU/callback** is all of kabao's CPU from the first application until it was \
     idle again (accepting the applications included) divided by those callbacks.";

/// The delivery section of the fapiao section.
fn write_delivery(md: &mut String, d: &CallbackDelivery) -> std::fmt::Result {
    writeln!(
        md,
        "\n### Callbacks delivered per second (outcome immediate, unpaced)\n"
    )?;
    writeln!(
        md,
        "{} applications on {} connections for {} merchants whose outcome is immediate and \
         whose `callback_url` is the bench's receiver, sent as fast as kabao answers, held \
         back only to stay under the per-merchant limit. {DELIVERY_MEANING}\n",
        d.pool, d.connections, d.merchants
    )?;
    let mut table = delivery_table(false);
    delivery_row(&mut table, StoreLabel::SQLITE, d);
    table.write(md)?;
    write_errors(md, "the delivery load's applications", &d.first_errors)?;
    write_errors(
        md,
        "the delivery load's callbacks",
        &d.callbacks.first_failures,
    )
}

/// The table of the delivery load; `labelled` for the PostgreSQL section.
pub(super) fn delivery_table(labelled: bool) -> Table {
    Table::new(
        labelled,
        "callback",
        false,
        &[
            ("connections", true),
            ("merchants", true),
            ("applications", true),
            ("errors", true),
            ("applications/s", true),
            ("202 p99 ms", true),
            ("waits for the per-merchant limit", true),
            ("ISSUED", true),
            ("CARD_INSERTED", true),
            ("signatures verified", true),
            ("first → last arrival s", true),
            ("ISSUED/s", true),
            ("CARD_INSERTED/s", true),
            ("callbacks delivered/s", true),
            ("kabao CPU/callback µs", true),
            ("until idle s", true),
            ("machine idle %", true),
            ("steal %", true),
        ],
    )
}

/// The delivery load measured on `label`'s store.
pub(super) fn delivery_row(table: &mut Table, label: StoreLabel, d: &CallbackDelivery) {
    let k = &d.callbacks;
    let cells = vec![
        d.connections.to_string(),
        d.merchants.to_string(),
        d.applications.to_string(),
        d.errors.to_string(),
        format!("{:.0}", d.applications_per_sec),
        ms(d.accept_latency.p99_us),
        d.cap_waits.to_string(),
        format!("{} / {}", k.issued, k.expected),
        k.card_inserted.to_string(),
        format!("{} of {}", k.signatures_verified, k.received),
        format!("{:.2}", d.span_secs),
        format!("{:.0}", d.issued_per_sec),
        format!("{:.0}", d.card_inserted_per_sec),
        format!("{:.0}", d.delivered_per_sec),
        format!("{:.1}", d.kabao_cpu_per_callback_us),
        format!("{:.1}", d.drain_secs),
        format!("{:.1}", d.idle_percent),
        format!("{:.1}", d.steal_percent),
    ];
    let cpu = StoreCpu {
        kabao_us: d.kabao_cpu_per_callback_us,
        postgres_us: d.postgres_cpu_per_callback_us,
        floor_us: None,
    };
    table.row(label, cells, cpu);
}
