//! The taxi scenario in `BENCHMARKS.md`: its row of the bars, its section
//! and its checks.

use super::table::{ended_by, signed_load_row, signed_load_table, SignedLoad, StoreLabel, Table};
use super::taxi::TAXI_CPU_RATIO_BAR;
use super::*;
use crate::taxi_prepare::USERS;
use crate::taxi_world::CARDS_PATH;

impl Report {
    /// The taxi row of the bars table.
    pub(super) fn write_taxi_bar(&self, md: &mut String) -> std::fmt::Result {
        let ratios = self.taxi_ratios();
        let (measured, result) = if ratios.is_empty() {
            ("not run".to_owned(), "—")
        } else {
            let errors: u64 = self.taxi.iter().map(|t| t.errors + t.warmup_errors).sum();
            let list = ratios
                .iter()
                .map(|(c, r)| format!("{r:.2}× at {c} conn"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!("{list}; {errors} errors"),
                verdict(self.taxi_bar_met()),
            )
        };
        writeln!(
            md,
            "| kabao CPU per accepted `POST {CARDS_PATH}` (204, each a new card on its own trip) ÷ one RSA verify + one RSA sign | ≤ {TAXI_CPU_RATIO_BAR:.2}× at every connection count, no errors | {measured} | {result} |"
        )
    }

    /// The taxi section.
    pub(super) fn write_taxi(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "## Taxi fapiao cards (`POST {CARDS_PATH}`)\n")?;
        writeln!(
            md,
            "Each request inserts a new taxi fapiao card into a passenger's card package: \
             its own trip order (a ride paid in a taxi whose driver signed in, recorded \
             through the control API, so it has its own token), its own PDF uploaded \
             beforehand through `POST /v3/taxi-invoice/cards/upload-file` (its own media \
             id), the official example's body with its header totals the sums of its line \
             and a fapiao number of its own, signed before the load so the generator does \
             no RSA while measuring, sent once. One service provider sends them all for one \
             company, taxi and driver (registered through T1, T3 and T5, the driver's name \
             and ID number encrypted with the platform key, signed in through T7), to \
             {USERS} passengers in turn. kabao verifies the signature, validates the card, \
             finds the trip and the file, stores the card and signs its 204. Each \
             connection count is compared with the crypto floors measured right before \
             and after it.\n"
        )?;
        let mut table = taxi_table(false);
        for t in &self.taxi {
            taxi_row(&mut table, StoreLabel::SQLITE, t);
        }
        table.write(md)?;
        for t in &self.taxi {
            let at = format!("taxi cards at {} conn", t.connections);
            write_errors(md, &at, &t.first_errors)?;
            write_errors(md, &format!("the warm-up of {at}"), &t.warmup_first_errors)?;
        }
        writeln!(md, "\nSetup and warm-up (not measured):\n")?;
        writeln!(
            md,
            "| connections | cards prepared | rides s | uploads s | signing s | then until kabao idle s | warm-up cards | warm-up errors |"
        )?;
        writeln!(
            md,
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )?;
        for t in &self.taxi {
            let s = &t.setup;
            writeln!(
                md,
                "| {} | {} | {:.1} | {:.1} | {:.1} | {:.1} | {} | {} |",
                t.connections,
                s.cards,
                s.rides_secs,
                s.uploads_secs,
                s.presign_secs,
                s.idle_wait_secs,
                t.warmup_cards,
                t.warmup_errors
            )?;
        }
        writeln!(
            md,
            "\nPrepared per connection count, {} calls in flight per step, each on its own \
             keep-alive connection: the rides (`POST /_kabao/api/taxi/rides`), then the \
             uploads (signed on every CPU, then sent), then the cards' signatures (on every \
             CPU): one card for the check, up to {} for the warm-up (which ends after {} s \
             or when they are used up) and {} for the measured period.\n",
            self.settings.setup_concurrency,
            self.settings.taxi_warmup_cards,
            self.settings.warmup_secs,
            self.settings.taxi_cards
        )
    }

    /// The taxi lines of the checks section.
    pub(super) fn write_taxi_checks(&self, md: &mut String) -> std::fmt::Result {
        for t in &self.taxi {
            writeln!(
                md,
                "- `POST {CARDS_PATH}` at {} conn: {}; after the load: {}",
                t.connections, t.check, t.verified
            )?;
        }
        Ok(())
    }
}

/// The table of taxi loads; `labelled` for the PostgreSQL section.
pub(super) fn taxi_table(labelled: bool) -> Table {
    signed_load_table(labelled, "card", "cards", TAXI_CPU_RATIO_BAR)
}

/// One taxi load measured on `label`'s store.
pub(super) fn taxi_row(table: &mut Table, label: StoreLabel, t: &TaxiResult) {
    let load = SignedLoad {
        connections: t.connections,
        accepted: t.cards,
        errors: t.errors,
        per_sec: t.cards_per_sec,
        latency: &t.latency,
        kabao_cpu_us: t.kabao_cpu_per_card_us,
        postgres_cpu_us: t.postgres_cpu_per_card_us,
        floor_us: t.floor_pair_us,
        floor_ratio: t.floor_ratio,
        kabao_cores_busy: t.kabao_cores_busy,
        bench_cpu_us: t.bench_cpu_per_card_us,
        idle_percent: t.idle_percent,
        steal_percent: t.steal_percent,
        elapsed_secs: t.elapsed_secs,
        ended_by: ended_by(t.pool_ran_out, t.pool, "cards"),
    };
    signed_load_row(table, label, load, TAXI_CPU_RATIO_BAR);
}
