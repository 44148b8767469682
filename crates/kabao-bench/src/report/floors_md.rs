//! The crypto-floor section of `BENCHMARKS.md`: the floors and the signed
//! requests' CPU against them.

use super::*;

impl Report {
    pub(super) fn write_floors(&self, md: &mut String) -> std::fmt::Result {
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
        if self.signed_ratios().is_empty() {
            return Ok(());
        }
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
                s.kabao_cpu_per_request_us(),
                s.kabao_cpu_per_request_us() - floor,
                verdict(ratio <= CPU_RATIO_BAR)
            )?;
            match busy {
                Some(b) => writeln!(md, " {:.2}× |", s.kabao_cpu_per_request_us() / b)?,
                None => writeln!(md)?,
            }
        }
        writeln!(md)
    }
}
