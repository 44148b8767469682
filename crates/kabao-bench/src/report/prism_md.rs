//! The `prism` scenario in `BENCHMARKS.md`: what each side does, the ratio
//! of kabao's accepted applications per second to Prism's answers per
//! second, and Prism's own table.

use super::prism::{PrismRatio, PrismResults};
use super::*;
use crate::fapiao_world::APPLICATIONS_PATH;

fn ms(us: f64) -> String {
    format!("{:.3}", us / 1000.0)
}

impl PrismResults {
    /// The side-by-side section; `fapiao` is the same run's fapiao scenario, if it ran.
    pub(super) fn write_section(
        &self,
        md: &mut String,
        fapiao: Option<&FapiaoResults>,
        settings: &Settings,
    ) -> std::fmt::Result {
        writeln!(
            md,
            "## kabao and a generic OpenAPI mock side by side (`POST {APPLICATIONS_PATH}`)\n"
        )?;
        writeln!(
            md,
            "The mock is Stoplight Prism (`{}`, node {}), which the bench installed with \
             `npm install --prefix <temporary folder>` ({:.1} s, before kabao started) and ran \
             as `prism mock -h 127.0.0.1 -p <port> --verboseLevel {} <document>` once kabao had \
             stopped, so each had the machine to itself. The document is a minimal Swagger 2.0 \
             file whose one path is a `$ref` to `{}`, unchanged (that file is a path item, which \
             Prism does not take on its own). Prism was listening {:.1} s after it started.\n",
            self.package,
            self.node_version,
            self.install_secs,
            self.log_level,
            self.spec,
            self.startup_secs
        )?;
        writeln!(md, "What one request costs each side:\n")?;
        writeln!(
            md,
            "- **kabao** (the fapiao scenario above, outcome held): verifies the merchant's \
             RSA signature, checks the application as WeChat does (a paid order of the \
             merchant used once, totals, tax codes and rates, the card template, the \
             per-merchant rate), stores the application with its fapiao and its pending step \
             before answering, and signs its 202 with the platform key. Each request is a new \
             application on its own paid order."
        )?;
        writeln!(
            md,
            "- **Prism**: validates the headers and the JSON body against the spec's schema and \
             answers the spec's example, 202 with the body `null`. It keeps no state (the same \
             application is accepted again and again), checks no signature and signs nothing.\n"
        )?;
        writeln!(
            md,
            "Both get the same body (the fapiao scenario's, {} distinct `fapiao_apply_id`s \
             cycled), the same connection counts and the same closed-loop load generator, \
             {} s measured after {} s of warm-up. Prism's requests carry `Wechatpay-Serial` \
             (the spec requires it) and no `Authorization`. Any answer other than 2xx counts \
             as an error.\n",
            crate::prism::BODIES,
            settings.duration_secs,
            settings.warmup_secs
        )?;
        self.write_ratios(md, fapiao)?;
        writeln!(md, "\nPrism:\n")?;
        writeln!(
            md,
            "| connections | requests | errors | req/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | Prism CPU/req µs | Prism cores busy | bench CPU/req µs | Prism RSS after MB | steal % |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for r in &self.runs {
            writeln!(
                md,
                "| {} | {} | {} | {:.0} | {} | {} | {} | {} | {} | {:.1} | {:.2} | {:.1} | {:.1} | {:.1} |",
                r.connections,
                r.load.requests,
                r.load.errors + r.warmup_errors,
                r.load.requests_per_sec,
                ms(r.load.latency.p50_us),
                ms(r.load.latency.p90_us),
                ms(r.load.latency.p99_us),
                ms(r.load.latency.p999_us),
                ms(r.load.latency.max_us),
                r.load.server_cpu_per_request_us,
                r.load.server_cores_busy,
                r.load.bench_cpu_per_request_us,
                mb(r.rss_after_kb),
                r.load.steal_percent
            )?;
        }
        for r in &self.runs {
            write_errors(
                md,
                &format!("Prism at {} conn", r.connections),
                &r.load.first_errors,
            )?;
        }
        writeln!(
            md,
            "\nPrism's memory (its process tree): {:.1} MB resident once listening, {:.1} MB at \
             its peak (`VmHWM`). CPU per request is `utime + stime` of Prism's processes over \
             the measured period divided by its 2xx answers, as for kabao.\n",
            mb(self.idle_memory.rss_kb),
            mb(self.peak_rss_kb)
        )?;
        writeln!(md, "Check before the load: {}.\n", self.check)
    }

    /// The row of the bars table: the ratio has no target; it is reported.
    pub(super) fn write_bar(
        &self,
        md: &mut String,
        fapiao: Option<&FapiaoResults>,
    ) -> std::fmt::Result {
        let ratios: Vec<String> = self
            .ratios(fapiao)
            .iter()
            .filter_map(|r| {
                let mark = if r.kabao_paced { " (paced)" } else { "" };
                Some(format!("{:.2}×{mark} at {} conn", r.ratio?, r.connections))
            })
            .collect();
        let measured = if ratios.is_empty() {
            "no kabao figure (fapiao did not run)".to_owned()
        } else {
            ratios.join(", ")
        };
        writeln!(
            md,
            "| kabao's accepted `POST {APPLICATIONS_PATH}`s per second (signed, validated, stored) ÷ Prism's answers per second (validated against the spec, unsigned, no state) | reported, no target | {measured} | — |"
        )
    }

    fn write_ratios(&self, md: &mut String, fapiao: Option<&FapiaoResults>) -> std::fmt::Result {
        let ratios = self.ratios(fapiao);
        if fapiao.is_none() {
            writeln!(
                md,
                "The fapiao scenario did not run in this run, so there is no kabao figure to \
                 divide by Prism's: run `--scenarios fapiao,prism` for the ratio.\n"
            )?;
        }
        writeln!(
            md,
            "| connections | kabao accepted applications/s (signed, validated, stored) | Prism answers/s (validated, unsigned, no state) | kabao ÷ Prism |"
        )?;
        writeln!(md, "| ---: | ---: | ---: | ---: |")?;
        for r in &ratios {
            writeln!(md, "{}", ratio_row(r))?;
        }
        if ratios.iter().any(|r| r.kabao_paced) {
            writeln!(
                md,
                "\n¹ kabao's load waited for the bench's per-merchant pacing (it stays under \
                 kabao's 100 issuing calls per merchant per second): that figure is what the \
                 pacing allowed, so kabao's own rate, and the ratio, are at least that. More \
                 `--fapiao-merchants` lift the cap."
            )?;
        }
        Ok(())
    }
}

/// One row of the ratio table.
pub(super) fn ratio_row(r: &PrismRatio) -> String {
    let mark = if r.kabao_paced { " ¹" } else { "" };
    let kabao = r
        .kabao_applications_per_sec
        .map_or("not run".to_owned(), |k| format!("{k:.0}{mark}"));
    let ratio = r.ratio.map_or("—".to_owned(), |x| format!("{x:.2}×{mark}"));
    format!(
        "| {} | {kabao} | {:.0} | {ratio} |",
        r.connections, r.prism_requests_per_sec
    )
}
