//! The fapiao scenario in `BENCHMARKS.md`: its two rows of the bars, its
//! section and its checks.

use super::fapiao::{FapiaoResults, CALLBACK_P99_BAR_MS, FAPIAO_CPU_RATIO_BAR};
use super::*;
use crate::fapiao_world::APPLICATIONS_PATH;

fn ms(us: f64) -> String {
    format!("{:.3}", us / 1000.0)
}

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
        writeln!(
            md,
            "| connections | applications | errors | applications/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | kabao CPU/application µs | floor µs | ÷ floor | result (≤ {FAPIAO_CPU_RATIO_BAR:.2}×) | kabao cores busy | bench CPU/application µs | steal % | measured s | ended by |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |"
        )?;
        for h in &self.held {
            let (floor, ratio, result) = match (h.floor_pair_us, h.floor_ratio) {
                (Some(f), Some(r)) => (
                    format!("{f:.1}"),
                    format!("{r:.2}×"),
                    verdict(r <= FAPIAO_CPU_RATIO_BAR),
                ),
                _ => ("—".into(), "—".into(), "—"),
            };
            writeln!(
                md,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {floor} | {ratio} | {result} | {:.2} | {:.1} | {:.1} | {:.2} | {} |",
                h.connections,
                h.applications,
                h.errors,
                h.applications_per_sec,
                ms(h.latency.p50_us),
                ms(h.latency.p90_us),
                ms(h.latency.p99_us),
                ms(h.latency.p999_us),
                ms(h.latency.max_us),
                h.kabao_cpu_per_application_us,
                h.kabao_cores_busy,
                h.bench_cpu_per_application_us,
                h.steal_percent,
                h.elapsed_secs,
                if h.pool_ran_out {
                    format!("all {} prepared applications sent", h.pool)
                } else {
                    "the deadline".to_owned()
                }
            )?;
        }
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
            self.write_callbacks(md, c)?;
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
        writeln!(
            md,
            "| applications | errors | sent in s | 202 p50 ms | 202 p99 ms | ISSUED arrived / expected | signatures verified | CARD_INSERTED | duplicates | before the 202 | p50 ms | p90 ms | p99 ms | max ms | result (p99 < {CALLBACK_P99_BAR_MS:.0} ms) | kabao CPU/application µs | asynchronous part µs | until idle s | steal % |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
        )?;
        let k = &c.callbacks;
        writeln!(
            md,
            "| {} | {} | {:.1} | {} | {} | {} / {} | {} of {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} | {} | {:.1} | {:.1} |",
            c.applications,
            c.errors,
            c.send_secs,
            ms(c.accept_latency.p50_us),
            ms(c.accept_latency.p99_us),
            k.issued,
            k.expected,
            k.signatures_verified,
            k.received,
            k.card_inserted,
            k.duplicates,
            k.before_202,
            ms(c.callback_latency.p50_us),
            ms(c.callback_latency.p90_us),
            ms(c.callback_latency.p99_us),
            ms(c.callback_latency.max_us),
            verdict(c.bar_met()),
            c.kabao_cpu_per_application_us,
            c.async_cpu_per_application_us
                .map_or("—".to_owned(), |a| format!("{a:.1}")),
            c.drain_secs,
            c.steal_percent
        )?;
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
