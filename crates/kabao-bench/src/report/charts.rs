//! The plots of a run: which series each chart shows, drawn with
//! [`crate::plots`] into a folder beside the report and linked from it with
//! relative paths. Every load that ran at several connection counts is one
//! [`LoadSeries`]; a new scenario (or a new dimension of one) adds series, not
//! charts.

use super::*;
use crate::plots::{self, Chart, Scale, Series};
use crate::stats::Latency;
use std::path::{Component, Path, PathBuf};

/// One plot written beside the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlotLink {
    /// What it shows (the link's text).
    pub title: String,
    /// The file, relative to the report's folder, with `/` separators.
    pub href: String,
}

/// One load measured at several connection counts.
#[derive(Debug, Clone)]
pub struct LoadSeries {
    /// A file-name-safe name (`certificates`, `fapiao`, `prism`…).
    pub slug: String,
    /// The legend entry: what was sent and to whom.
    pub name: String,
    /// (connections, successes per second, latency of the successes).
    pub rows: Vec<(usize, f64, Latency)>,
}

impl Report {
    /// Every load of the run, in report order, with the rate it is judged by.
    pub fn load_series(&self) -> Vec<LoadSeries> {
        let mut all = Vec::new();
        for endpoint in Endpoint::ALL {
            let rows: Vec<_> = self
                .scenarios
                .iter()
                .filter(|s| s.endpoint == endpoint)
                .map(|s| (s.connections, s.load.requests_per_sec, s.load.latency))
                .collect();
            let slug = match endpoint {
                Endpoint::Certificates => "certificates",
                Endpoint::Token => "token",
            };
            push(
                &mut all,
                slug,
                format!("{} (kabao)", endpoint.label()),
                rows,
            );
        }
        let rows = self.inserts.iter();
        let rows = rows.map(|s| (s.connections, s.inserts_per_sec, s.latency));
        let name = format!("{} (kabao)", crate::insert::LABEL);
        push(&mut all, "insert", name, rows.collect());
        if let Some(f) = &self.fapiao {
            let rows = f.held.iter();
            let rows = rows.map(|h| (h.connections, h.applications_per_sec, h.latency));
            let name = "POST …/fapiao-applications (kabao: signed, stored)".to_owned();
            push(&mut all, "fapiao", name, rows.collect());
        }
        let rows = self.taxi.iter();
        let rows = rows.map(|t| (t.connections, t.cards_per_sec, t.latency));
        let name = "POST /v3/taxi-invoice/cards (kabao)".to_owned();
        push(&mut all, "taxi", name, rows.collect());
        for run in self.postgres.iter().flat_map(|p| &p.runs) {
            let n = run.processes;
            let rows = run.inserts.iter();
            let rows = rows.map(|s| (s.connections, s.inserts_per_sec, s.latency));
            let name = format!(
                "{} (kabao, PostgreSQL, {n} process(es))",
                crate::insert::LABEL
            );
            push(
                &mut all,
                &format!("insert-postgres-{n}"),
                name,
                rows.collect(),
            );
            if let Some(f) = &run.fapiao {
                let rows = f.held.iter();
                let rows = rows.map(|h| (h.connections, h.applications_per_sec, h.latency));
                let name =
                    format!("POST …/fapiao-applications (kabao, PostgreSQL, {n} process(es))");
                push(
                    &mut all,
                    &format!("fapiao-postgres-{n}"),
                    name,
                    rows.collect(),
                );
            }
        }
        if let Some(p) = &self.prism {
            let rows = p.runs.iter();
            let rows = rows.map(|r| (r.connections, r.load.requests_per_sec, r.load.latency));
            let name = "POST …/fapiao-applications (Prism mock: unsigned, no state)".to_owned();
            push(&mut all, "prism", name, rows.collect());
        }
        all
    }

    /// The charts of this run and their file names: throughput against
    /// connections (every load), then the latency percentiles of each load.
    pub fn charts(&self) -> Vec<(String, Chart)> {
        let loads = self.load_series();
        let mut charts = Vec::new();
        if !loads.is_empty() {
            charts.push(("throughput.svg".to_owned(), throughput_chart(&loads)));
        }
        for load in &loads {
            charts.push((format!("latency-{}.svg", load.slug), latency_chart(load)));
        }
        if let Some(scaling) = &self.scaling {
            charts.extend(store_size_charts(scaling));
        }
        charts
    }
}

fn push(all: &mut Vec<LoadSeries>, slug: &str, name: String, rows: Vec<(usize, f64, Latency)>) {
    if !rows.is_empty() {
        all.push(LoadSeries {
            slug: slug.to_owned(),
            name,
            rows,
        });
    }
}

/// Successes per second against connections, one line per load.
pub fn throughput_chart(loads: &[LoadSeries]) -> Chart {
    Chart {
        title: "Throughput against connections".into(),
        x_label: "keep-alive connections (log scale)".into(),
        y_label: "successful requests per second".into(),
        x_scale: Scale::Log,
        y_scale: Scale::Linear,
        series: loads
            .iter()
            .map(|l| Series {
                name: l.name.clone(),
                points: l
                    .rows
                    .iter()
                    .map(|&(c, rate, _)| (c as f64, rate))
                    .collect(),
            })
            .collect(),
    }
}

/// p50, p99 and p99.9 of one load against connections.
pub fn latency_chart(load: &LoadSeries) -> Chart {
    let percentile = |name: &str, pick: fn(&Latency) -> f64| Series {
        name: name.to_owned(),
        points: load
            .rows
            .iter()
            .map(|(c, _, l)| (*c as f64, pick(l) / 1000.0))
            .collect(),
    };
    Chart {
        title: format!("Latency: {}", load.name),
        x_label: "keep-alive connections (log scale)".into(),
        y_label: "ms (log scale)".into(),
        x_scale: Scale::Log,
        y_scale: Scale::Log,
        series: vec![
            percentile("p50", |l| l.p50_us),
            percentile("p99", |l| l.p99_us),
            percentile("p99.9", |l| l.p999_us),
        ],
    }
}

/// Writes every chart of `report` into `dir` (created if needed) and returns
/// their links relative to the folder of `out`, the report.
pub fn write_plots(report: &Report, dir: &Path, out: &Path) -> anyhow::Result<Vec<PlotLink>> {
    let charts = report.charts();
    if charts.is_empty() {
        return Ok(Vec::new());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    // `BENCHMARKS.md` alone has the empty path as its parent: the current folder.
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    let from = std::path::absolute(parent.unwrap_or(Path::new(".")))?;
    let mut links = Vec::new();
    for (file, chart) in charts {
        let path = dir.join(&file);
        plots::write_svg(&chart, &path)?;
        links.push(PlotLink {
            title: chart.title,
            href: href(&relative_path(&from, &std::path::absolute(&path)?)),
        });
    }
    Ok(links)
}

/// The plots folder when `--plots-dir` is not given: `bench-plots` beside `out`.
pub fn default_plots_dir(out: &Path) -> PathBuf {
    out.parent().unwrap_or(Path::new("")).join("bench-plots")
}

/// `to` relative to the folder `from` (both absolute): `..` up to their
/// common ancestor, then down.
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut path = PathBuf::new();
    for _ in common..from.len() {
        path.push("..");
    }
    for part in &to[common..] {
        path.push(part);
    }
    path
}

/// A relative path as a Markdown link target: `/` separators, spaces escaped.
fn href(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().replace(' ', "%20"))
        .collect();
    parts.join("/")
}

impl Report {
    /// The plots section: each plot inline, by its relative path.
    pub(super) fn write_plots(&self, md: &mut String) -> std::fmt::Result {
        if self.plots.is_empty() {
            return Ok(());
        }
        writeln!(md, "## Plots\n")?;
        let sizes = if self.scaling.is_some() {
            "Cost against store size is drawn from the scaling tables, both axes \
             logarithmic: a flat line is constant cost, a straight rising one is growth \
             by a power of the store size."
        } else {
            "Cost against store size is not plotted: this run measured no store sizes."
        };
        writeln!(
            md,
            "Drawn by `kabao-bench` from the tables of this run (SVG). Throughput is \
             successful requests per second (accepted inserts, applications and cards for \
             those loads); latency is of the successful requests, nearest-rank percentiles. \
             {sizes}\n"
        )?;
        for plot in &self.plots {
            writeln!(
                md,
                "![{}]({})\n",
                plot.title.replace(['[', ']'], ""),
                plot.href
            )?;
        }
        Ok(())
    }
}

/// Cost against stored cards (the scaling scenario): kabao's CPU per request
/// in one chart, memory and file sizes in another, both axes logarithmic so
/// that flat, logarithmic and linear growth look different.
pub fn store_size_charts(scaling: &super::ScalingResults) -> Vec<(String, Chart)> {
    let all = scaling.size_series();
    let chart = |file: &str, title: &str, unit: &str, y_label: &str| {
        let series: Vec<Series> = all
            .iter()
            .filter(|s| s.unit == unit && s.points.len() > 1)
            .map(|s| Series {
                name: s.name.to_owned(),
                points: s.points.clone(),
            })
            .collect();
        (!series.is_empty()).then(|| {
            (
                file.to_owned(),
                Chart {
                    title: title.into(),
                    x_label: "stored cards (log scale)".into(),
                    y_label: y_label.into(),
                    x_scale: Scale::Log,
                    y_scale: Scale::Log,
                    series,
                },
            )
        })
    };
    [
        chart(
            "store-size-cpu.svg",
            "CPU per request against stored cards",
            "µs",
            "µs (log scale)",
        ),
        chart(
            "store-size-memory.svg",
            "Memory and files against stored cards",
            "MB",
            "MB (log scale)",
        ),
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plot_beside_the_report_is_linked_from_its_folder() {
        let p = |s: &str| PathBuf::from(s);
        assert_eq!(
            relative_path(
                &p("/work/main"),
                &p("/work/main/bench-plots/throughput.svg")
            ),
            p("bench-plots/throughput.svg")
        );
        assert_eq!(
            relative_path(&p("/work/main/docs"), &p("/work/main/bench-plots/a.svg")),
            p("../bench-plots/a.svg")
        );
        assert_eq!(
            relative_path(&p("/a/b"), &p("/c/d.svg")),
            p("../../c/d.svg")
        );
        assert_eq!(href(&p("../my plots/a.svg")), "../my%20plots/a.svg");
    }

    #[test]
    fn plots_go_beside_the_report_by_default() {
        assert_eq!(
            default_plots_dir(Path::new("BENCHMARKS.md")),
            PathBuf::from("bench-plots")
        );
        assert_eq!(
            default_plots_dir(Path::new("/tmp/x/prism.md")),
            PathBuf::from("/tmp/x/bench-plots")
        );
    }
}
