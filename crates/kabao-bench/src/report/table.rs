//! Markdown tables whose rows carry the store they were measured on. The
//! sections of the SQLite run write their rows bare; the PostgreSQL section
//! writes the same rows, through the same row writers, with the store and
//! kabao process count in front and PostgreSQL's CPU behind.

use std::fmt::Write as _;

/// The store and kabao process count a row was measured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct StoreLabel {
    /// "SQLite" or "PostgreSQL".
    pub store: &'static str,
    /// kabao processes sharing the store.
    pub processes: usize,
}

impl StoreLabel {
    /// The SQLite run: one process.
    pub const SQLITE: Self = Self {
        store: "SQLite",
        processes: 1,
    };
}

/// What a labelled row adds behind its own cells.
#[derive(Debug, Clone, Copy)]
pub(super) struct StoreCpu {
    /// kabao's CPU per unit, µs.
    pub kabao_us: f64,
    /// PostgreSQL's CPU per unit, µs (`None` on SQLite).
    pub postgres_us: Option<f64>,
    /// The crypto floor the row is compared with, µs, when it has one.
    pub floor_us: Option<f64>,
}

/// A table being built.
pub(super) struct Table {
    titles: Vec<String>,
    right: Vec<bool>,
    rows: Vec<Vec<String>>,
    labelled: bool,
    floor: bool,
}

impl Table {
    /// A table of `columns` (title, right-aligned); `labelled` adds the
    /// store, process and PostgreSQL columns, measured per `unit` (and,
    /// with `floor`, the total ÷ the floor).
    pub fn new(labelled: bool, unit: &str, floor: bool, columns: &[(&str, bool)]) -> Self {
        let mut titles: Vec<String> = Vec::new();
        let mut right = Vec::new();
        let mut push = |title: String, r: bool| {
            titles.push(title);
            right.push(r);
        };
        if labelled {
            push("store".into(), false);
            push("processes".into(), true);
        }
        for &(title, r) in columns {
            push(title.to_owned(), r);
        }
        if labelled {
            push(format!("PostgreSQL CPU/{unit} µs"), true);
            push(format!("total CPU/{unit} µs"), true);
            if floor {
                push("total ÷ floor".into(), true);
            }
        }
        Self {
            titles,
            right,
            rows: Vec::new(),
            labelled,
            floor,
        }
    }

    /// Adds one row: `cells` (one per column given to [`Table::new`]), with
    /// `label` and `cpu` when the table is labelled.
    pub fn row(&mut self, label: StoreLabel, cells: Vec<String>, cpu: StoreCpu) {
        let mut row = Vec::with_capacity(self.titles.len());
        if self.labelled {
            row.push(label.store.to_owned());
            row.push(label.processes.to_string());
        }
        row.extend(cells);
        if self.labelled {
            let total = cpu.kabao_us + cpu.postgres_us.unwrap_or(0.0);
            row.push(
                cpu.postgres_us
                    .map_or("—".to_owned(), |p| format!("{p:.1}")),
            );
            row.push(format!("{total:.1}"));
            if self.floor {
                row.push(
                    cpu.floor_us
                        .map_or("—".to_owned(), |f| format!("{:.2}×", total / f)),
                );
            }
        }
        self.rows.push(row);
    }

    /// The table in Markdown, without a blank line after it.
    pub fn write(&self, md: &mut String) -> std::fmt::Result {
        writeln!(md, "| {} |", self.titles.join(" | "))?;
        let align: Vec<&str> = self
            .right
            .iter()
            .map(|&r| if r { "---:" } else { "---" })
            .collect();
        writeln!(md, "| {} |", align.join(" | "))?;
        for row in &self.rows {
            writeln!(md, "| {} |", row.join(" | "))?;
        }
        Ok(())
    }
}

/// Milliseconds with three decimals, from µs.
pub(super) fn ms(us: f64) -> String {
    format!("{:.3}", us / 1000.0)
}

/// "all N prepared THINGS sent" or "the deadline": how a measurement ended.
pub(super) fn ended_by(ran_out: bool, pool: usize, things: &str) -> String {
    if ran_out {
        format!("all {pool} prepared {things} sent")
    } else {
        "the deadline".to_owned()
    }
}

/// The figures of one signed load compared with the crypto floor (held
/// fapiao applications, taxi cards), in the order of [`signed_load_table`].
pub(super) struct SignedLoad<'a> {
    pub connections: usize,
    pub accepted: u64,
    pub errors: u64,
    pub per_sec: f64,
    pub latency: &'a crate::stats::Latency,
    pub kabao_cpu_us: f64,
    pub postgres_cpu_us: Option<f64>,
    pub floor_us: Option<f64>,
    pub floor_ratio: Option<f64>,
    pub kabao_cores_busy: f64,
    pub bench_cpu_us: f64,
    pub idle_percent: f64,
    pub steal_percent: f64,
    pub elapsed_secs: f64,
    pub ended_by: String,
}

/// The table of signed loads of `units` (one `unit` each), judged against
/// `bar` × the floor; `labelled` for the PostgreSQL section.
pub(super) fn signed_load_table(labelled: bool, unit: &str, units: &str, bar: f64) -> Table {
    let per_sec = format!("{units}/s");
    let cpu = format!("kabao CPU/{unit} µs");
    let result = format!("result (≤ {bar:.2}×)");
    let bench = format!("bench CPU/{unit} µs");
    Table::new(
        labelled,
        unit,
        true,
        &[
            ("connections", true),
            (units, true),
            ("errors", true),
            (&per_sec, true),
            ("p50 ms", true),
            ("p90 ms", true),
            ("p99 ms", true),
            ("p99.9 ms", true),
            ("max ms", true),
            (&cpu, true),
            ("floor µs", true),
            ("÷ floor", true),
            (&result, false),
            ("kabao cores busy", true),
            (&bench, true),
            ("machine idle %", true),
            ("steal %", true),
            ("measured s", true),
            ("ended by", false),
        ],
    )
}

/// One signed load measured on `label`'s store, judged against `bar`.
pub(super) fn signed_load_row(table: &mut Table, label: StoreLabel, l: SignedLoad, bar: f64) {
    let (floor, ratio, result) = match (l.floor_us, l.floor_ratio) {
        (Some(f), Some(r)) => (
            format!("{f:.1}"),
            format!("{r:.2}×"),
            super::verdict(r <= bar),
        ),
        _ => ("—".into(), "—".into(), "—"),
    };
    let cells = vec![
        l.connections.to_string(),
        l.accepted.to_string(),
        l.errors.to_string(),
        format!("{:.0}", l.per_sec),
        ms(l.latency.p50_us),
        ms(l.latency.p90_us),
        ms(l.latency.p99_us),
        ms(l.latency.p999_us),
        ms(l.latency.max_us),
        format!("{:.1}", l.kabao_cpu_us),
        floor,
        ratio,
        result.to_owned(),
        format!("{:.2}", l.kabao_cores_busy),
        format!("{:.1}", l.bench_cpu_us),
        format!("{:.1}", l.idle_percent),
        format!("{:.1}", l.steal_percent),
        format!("{:.2}", l.elapsed_secs),
        l.ended_by,
    ];
    let cpu = StoreCpu {
        kabao_us: l.kabao_cpu_us,
        postgres_us: l.postgres_cpu_us,
        floor_us: l.floor_us.filter(|_| l.accepted > 0),
    };
    table.row(label, cells, cpu);
}
