//! The "Scaling with store size" section of `BENCHMARKS.md`: one table per
//! store, and each series' growth in words computed from its numbers.

use super::scaling::{Growth, ScalingPoint, ScalingResults, Series, FLAT_RATIO, LOG_SLACK};
use super::{mb, verdict, write_errors, Report};
use std::fmt::Write as _;

/// "1M", "100k", "10" for store sizes and user counts.
pub(crate) fn short(n: f64) -> String {
    if n >= 1e6 && (n / 1e6).fract() == 0.0 {
        format!("{}M", n / 1e6)
    } else if n >= 1e3 && (n / 1e3).fract() == 0.0 {
        format!("{}k", n / 1e3)
    } else {
        format!("{n}")
    }
}

/// The logarithmic bound between the smallest and largest store, in words.
fn log_bound_example(s: &ScalingResults) -> String {
    let sizes = s.size_points();
    match (sizes.first(), sizes.last()) {
        (Some(a), Some(b)) if b.cards > a.cards && a.cards > 1 => format!(
            " ({:.3}× from {} to {} cards)",
            LOG_SLACK * (b.cards as f64).ln() / (a.cards as f64).ln(),
            short(a.cards as f64),
            short(b.cards as f64)
        ),
        _ => String::new(),
    }
}

/// A measured value with three significant digits or more.
fn figure(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Where kabao's CPU per request goes, by thread, on each store.
fn write_threads(md: &mut String, points: &[ScalingPoint]) -> std::fmt::Result {
    if points.iter().all(|p| p.insert.threads_us.is_empty()) {
        return Ok(());
    }
    writeln!(
        md,
        "\nWhere kabao's CPU per request goes, by thread (`/proc/PID/task/*/schedstat`, threads of one name added up; `kabao-writer` is the one thread that applies every write, `tokio-rt-worker` the HTTP handlers, `sqlx-sqlite-wor` the threads that run the reading queries), µs per request; and how many of the machine's CPUs other processes kept busy meanwhile (the machine's busy share from `/proc/stat` minus kabao's and the bench's CPU: other sessions on the machine, which make the numbers less comparable, and the kernel's own threads, e.g. writing kabao's files back to disk after its `fsync`s):\n"
    )?;
    writeln!(
        md,
        "| stored cards | users | load | threads | other processes' CPUs busy |"
    )?;
    writeln!(md, "| ---: | ---: | --- | --- | ---: |")?;
    for p in points {
        for (load, figures) in [("insert", &p.insert), ("getinvoiceinfo", &p.read)] {
            let threads = figures
                .threads_us
                .iter()
                .map(|(name, us)| format!("`{name}` {us:.1}"))
                .collect::<Vec<_>>()
                .join(", ");
            writeln!(
                md,
                "| {} | {} | {load} | {threads} | {:.2} |",
                p.cards, p.users, figures.others_cores
            )?;
        }
    }
    Ok(())
}

/// One sentence per series: how it grew between its first and last point.
fn write_growth(md: &mut String, series: &[Series]) -> std::fmt::Result {
    for s in series {
        let Some(j) = s.judgement() else {
            continue;
        };
        let (first, last) = (s.points[0], s.points[s.points.len() - 1]);
        writeln!(
            md,
            "- {} ({}): {} at {} {}, {} at {}: {}{:.2}× for {:.0}× the {} (exponent {:.2}): **{}**.",
            s.name,
            s.unit,
            figure(first.1),
            short(first.0),
            s.x,
            figure(last.1),
            short(last.0),
            if s.rate {
                "the time per request (its inverse) "
            } else {
                ""
            },
            j.ratio,
            j.x_ratio,
            s.x,
            j.exponent,
            j.growth.words()
        )?;
    }
    Ok(())
}

fn write_table(md: &mut String, points: &[&ScalingPoint]) -> std::fmt::Result {
    writeln!(
        md,
        "| stored cards | users | fill s | kabao start s | idle RSS MB | inserts/s | kabao CPU/insert µs | insert p99 ms | reads/s | kabao CPU/read µs | read p50 ms | read p99 ms | RSS after MB | anonymous MB | file pages MB | peak RSS MB | database MB | WAL MB | errors |"
    )?;
    writeln!(
        md,
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )?;
    for p in points {
        writeln!(
            md,
            "| {} | {} | {:.1} | {:.2} | {:.1} | {:.0} | {:.1} | {:.2} | {:.0} | {:.1} | {:.3} | {:.3} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {} |",
            p.cards,
            p.users,
            p.fill.secs,
            p.start_secs,
            mb(p.idle_memory.rss_kb),
            p.insert.per_sec,
            p.insert.kabao_cpu_us,
            p.insert.latency.p99_us / 1e3,
            p.read.per_sec,
            p.read.kabao_cpu_us,
            p.read.latency.p50_us / 1e3,
            p.read.latency.p99_us / 1e3,
            mb(p.memory_after.rss_kb),
            mb(p.rss_anon_kb),
            mb(p.rss_file_kb),
            mb(p.memory_after.peak_rss_kb),
            p.db_bytes as f64 / 1e6,
            p.wal_bytes as f64 / 1e6,
            p.insert.errors + p.read.errors
        )?;
    }
    Ok(())
}

impl Report {
    /// The bars-table row: CPU per request and memory stay flat or logarithmic.
    pub(super) fn write_scaling_bar(&self, md: &mut String) -> std::fmt::Result {
        let Some(s) = &self.scaling else {
            return Ok(());
        };
        let series = s.bar_series();
        let worse: Vec<String> = series
            .iter()
            .filter_map(|x| {
                let j = x.judgement()?;
                (j.growth == Growth::Worse).then(|| {
                    format!(
                        "{} against {}: {:.2}× for {:.0}×",
                        x.name, x.x, j.ratio, j.x_ratio
                    )
                })
            })
            .collect();
        let (measured, result) = if series.is_empty() {
            ("fewer than two stores".to_owned(), "—")
        } else if worse.is_empty() {
            (
                format!("all {} series flat or logarithmic", series.len()),
                verdict(s.errors() == 0),
            )
        } else {
            (
                format!("worse than logarithmic: {}", worse.join("; ")),
                "MISS",
            )
        };
        writeln!(
            md,
            "| kabao CPU per insert and per `getinvoiceinfo`, and its RSS, against stored cards and against users (see Scaling) | flat or logarithmic, no errors | {measured}; {} errors | {result} |",
            s.errors()
        )
    }

    /// `--bill-orders` and the scaling flags of the reproduce command.
    pub(super) fn bill_and_scaling_flags(&self) -> String {
        let mut flags = String::new();
        if self
            .settings
            .scenarios
            .contains(&crate::Scenario::InsertBill)
        {
            flags.push_str(&format!(" --bill-orders {}", self.settings.bill_orders));
        }
        if let Some(s) = &self.scaling {
            flags.push_str(&s.flags);
        }
        flags
    }

    /// The scaling section.
    pub(super) fn write_scaling(&self, md: &mut String, s: &ScalingResults) -> std::fmt::Result {
        writeln!(md, "\n## Scaling with store size\n")?;
        writeln!(
            md,
            "kabao on SQLite stores that already hold many cards. Each store is filled in bulk: the bench builds a small store over HTTP (the insert scenario's platform, template, merchant and users, and {} cards), `kabao export`s it, repeats the rows of one card — the card, its authorised order, its PDF and the PDF's bytes, the authorisation's event push — with new unique keys (card code, `encrypt_code`, order id, `billing_no`, media id), the cards going to the users in turn, and pipes that file into `kabao import` on a fresh store. The same file also holds an authorised order with an unused PDF for each insert the bench then sends, so the inserts need no setup over HTTP. kabao is started on the filled store and measured at {} connections: `POST /card/invoice/insert`, each a new card on top of the stored ones (the measurement ends after {} s or when the prepared inserts are used up), then `{}` of {} random stored cards in turn for {} s (each answer also mints a PDF link, a write). The template store took {:.1} s; the whole scenario {:.0} s.\n",
            s.template_cards,
            s.connections,
            self.settings.duration_secs,
            crate::scaling::READ_LABEL,
            crate::scaling::READ_POOL,
            self.settings.duration_secs,
            s.template_secs,
            s.total_secs,
        )?;
        write_table(md, &s.points.iter().collect::<Vec<_>>())?;
        writeln!(
            md,
            "\nA series is **flat** when its last point is at most {FLAT_RATIO}× its first, **logarithmic** when at most {LOG_SLACK} × ln(last) ÷ ln(first) times its first{}, and **worse than logarithmic** otherwise; the exponent is ln(ratio) ÷ ln(size ratio) (0 flat, 1 linear). A database file that grows with the cards it holds is expected (it stores them).\n",
            log_bound_example(s)
        )?;
        let sizes = s.size_points();
        if sizes.len() > 1 {
            writeln!(md, "Against stored cards ({} users):\n", s.size_users)?;
            write_growth(md, &s.size_series())?;
        }
        let users = s.user_points();
        if users.len() > 1 {
            writeln!(
                md,
                "\nAgainst the users {} stored cards are spread over:\n",
                short(s.spread_cards as f64)
            )?;
            write_growth(md, &s.user_series())?;
        }
        write_threads(md, &s.points)?;
        writeln!(md, "\nChecked on each store:\n")?;
        for p in &s.points {
            for check in &p.checks {
                writeln!(md, "- {} cards, {} users: {check}", p.cards, p.users)?;
            }
        }
        for p in &s.points {
            let mut errors = p.insert.first_errors.clone();
            errors.extend(p.read.first_errors.iter().cloned());
            write_errors(
                md,
                &format!("the {} cards, {} users store", p.cards, p.users),
                &errors,
            )?;
        }
        Ok(())
    }
}
