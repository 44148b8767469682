//! Line charts drawn as SVG with `plotters`, for the plots `BENCHMARKS.md`
//! links. A chart is a list of named series of (x, y) points; what the series
//! mean is up to the caller ([`crate::report::charts`] builds them from a
//! run), so any later figure (cost against store size, say) is one more
//! [`Chart`]. Text is written as SVG `<text>` with a generic font family, so
//! the files need no font files to render.

use anyhow::Context as _;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use std::ops::Range;
use std::path::Path;

/// Width and height of every chart, in SVG pixels.
pub const SIZE: (u32, u32) = (900, 520);
/// The font family of every text: a generic family every SVG viewer maps to a font it has.
const FONT: &str = "sans-serif";
/// Line colours, in series order (then again): far apart, none pale on white.
pub const COLORS: [RGBColor; 10] = [
    RGBColor(0x1F, 0x77, 0xB4),
    RGBColor(0xD6, 0x27, 0x28),
    RGBColor(0x2C, 0xA0, 0x2C),
    RGBColor(0xFF, 0x7F, 0x0E),
    RGBColor(0x94, 0x67, 0xBD),
    RGBColor(0x8C, 0x56, 0x4B),
    RGBColor(0xE3, 0x77, 0xC2),
    RGBColor(0x7F, 0x7F, 0x7F),
    RGBColor(0xBC, 0xBD, 0x22),
    RGBColor(0x17, 0xBE, 0xCF),
];

/// How an axis maps values to positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// Evenly spaced values.
    Linear,
    /// Evenly spaced powers of ten; for values that span decades (connections
    /// 1, 8, 64; latencies from 0.1 to 100 ms). Values ≤ 0 are left out.
    Log,
}

/// One named line.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend entry.
    pub name: String,
    /// The points, drawn in the order given.
    pub points: Vec<(f64, f64)>,
}

/// One chart: a title, two labelled axes and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Above the plot.
    pub title: String,
    /// Under the x axis.
    pub x_label: String,
    /// Beside the y axis.
    pub y_label: String,
    /// The x axis's scale.
    pub x_scale: Scale,
    /// The y axis's scale.
    pub y_scale: Scale,
    /// The lines.
    pub series: Vec<Series>,
}

impl Chart {
    /// The points of every series that the axes can show (positive ones on a log axis).
    fn drawable(&self) -> Vec<Series> {
        let fits = |scale: Scale, v: f64| v.is_finite() && (scale == Scale::Linear || v > 0.0);
        self.series
            .iter()
            .map(|s| Series {
                name: s.name.clone(),
                points: s
                    .points
                    .iter()
                    .copied()
                    .filter(|&(x, y)| fits(self.x_scale, x) && fits(self.y_scale, y))
                    .collect(),
            })
            .filter(|s| !s.points.is_empty())
            .collect()
    }
}

/// The span an axis shows for `values`: a little wider than their extent,
/// never empty (one value, or all equal, still gets a span around it), with
/// the top `headroom` (a fraction of the axis) left free for the legend.
pub fn axis_span(scale: Scale, values: impl Iterator<Item = f64>, headroom: f64) -> Range<f64> {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() || !hi.is_finite() {
        return match scale {
            Scale::Linear => 0.0..1.0,
            Scale::Log => 1.0..10.0,
        };
    }
    let headroom = headroom.clamp(0.0, 0.8);
    match scale {
        Scale::Linear => {
            let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.05).max(1e-9);
            let lo = if lo >= 0.0 { 0.0 } else { lo - pad };
            let hi = hi + pad;
            lo..hi + (hi - lo) * headroom / (1.0 - headroom)
        }
        Scale::Log => {
            let (lo, hi) = ((lo / 1.6).ln(), (hi * 1.6).ln());
            lo.exp()..(hi + (hi - lo) * headroom / (1.0 - headroom)).exp()
        }
    }
}

/// The part of the plot's height the legend takes with `series` entries.
fn legend_headroom(series: usize) -> f64 {
    if series == 0 {
        0.0
    } else {
        0.04 + 0.045 * series as f64
    }
}

/// A log axis's label: only at 1, 2 and 5 times a power of ten, so that the
/// labels of the minor grid lines do not crowd.
pub fn log_label(v: f64) -> String {
    if v <= 0.0 || !v.is_finite() {
        return String::new();
    }
    let mantissa = v / 10f64.powf(v.log10().floor());
    if [1.0, 2.0, 5.0, 10.0]
        .iter()
        .any(|m| (mantissa - m).abs() < 1e-6)
    {
        short_number(v)
    } else {
        String::new()
    }
}

/// A value as a short axis label: no trailing zeros, thousands as `k`.
pub fn short_number(v: f64) -> String {
    let a = v.abs();
    let text = if a >= 10_000.0 {
        format!("{:.0}k", v / 1000.0)
    } else if a >= 1000.0 {
        format!("{:.1}k", v / 1000.0)
    } else if a >= 10.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    };
    let (number, suffix) = match text.strip_suffix('k') {
        Some(n) => (n, "k"),
        None => (text.as_str(), ""),
    };
    let number = if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    };
    format!("{number}{suffix}")
}

/// Draws `chart` as an SVG document.
pub fn render_svg(chart: &Chart) -> anyhow::Result<String> {
    let series = chart.drawable();
    let xs = axis_span(
        chart.x_scale,
        series.iter().flat_map(|s| s.points.iter().map(|p| p.0)),
        0.0,
    );
    let ys = axis_span(
        chart.y_scale,
        series.iter().flat_map(|s| s.points.iter().map(|p| p.1)),
        legend_headroom(series.len()),
    );
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(drawing)?;
        match (chart.x_scale, chart.y_scale) {
            (Scale::Linear, Scale::Linear) => draw(&root, chart, &series, xs, ys),
            (Scale::Linear, Scale::Log) => draw(&root, chart, &series, xs, ys.log_scale()),
            (Scale::Log, Scale::Linear) => draw(&root, chart, &series, xs.log_scale(), ys),
            (Scale::Log, Scale::Log) => draw(&root, chart, &series, xs.log_scale(), ys.log_scale()),
        }?;
        root.present().map_err(drawing)?;
    }
    Ok(svg)
}

/// Draws `chart` and writes it to `path`.
pub fn write_svg(chart: &Chart, path: &Path) -> anyhow::Result<()> {
    let svg = render_svg(chart)?;
    std::fs::write(path, svg).with_context(|| format!("cannot write {}", path.display()))
}

fn label(scale: Scale, v: f64) -> String {
    match scale {
        Scale::Linear => short_number(v),
        Scale::Log => log_label(v),
    }
}

fn drawing<E: std::fmt::Debug>(e: E) -> anyhow::Error {
    anyhow::anyhow!("cannot draw the chart: {e:?}")
}

fn draw<DB, X, Y>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    chart: &Chart,
    series: &[Series],
    x: X,
    y: Y,
) -> anyhow::Result<()>
where
    DB: DrawingBackend,
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut plot = ChartBuilder::on(root)
        .caption(&chart.title, (FONT, 22))
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(72)
        .build_cartesian_2d(x, y)
        .map_err(drawing)?;
    plot.configure_mesh()
        .x_desc(chart.x_label.as_str())
        .y_desc(chart.y_label.as_str())
        .x_labels(12)
        .y_labels(12)
        .label_style((FONT, 14))
        .axis_desc_style((FONT, 16))
        .x_label_formatter(&|v| label(chart.x_scale, *v))
        .y_label_formatter(&|v| label(chart.y_scale, *v))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(drawing)?;
    for (i, s) in series.iter().enumerate() {
        let color = COLORS[i % COLORS.len()];
        plot.draw_series(
            LineSeries::new(s.points.iter().copied(), color.stroke_width(2)).point_size(3),
        )
        .map_err(drawing)?
        .label(s.name.as_str())
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
    }
    if !series.is_empty() {
        plot.configure_series_labels()
            .label_font((FONT, 14))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.4))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(x_scale: Scale, y_scale: Scale) -> Chart {
        Chart {
            title: "requests per second & more".into(),
            x_label: "connections".into(),
            y_label: "requests/s".into(),
            x_scale,
            y_scale,
            series: vec![
                Series {
                    name: "GET /v3/certificates (kabao)".into(),
                    points: vec![(1.0, 900.0), (8.0, 2500.0), (64.0, 2600.0)],
                },
                Series {
                    name: "POST <fapiao-applications> (Prism)".into(),
                    points: vec![(1.0, 1200.0), (8.0, 1500.0)],
                },
            ],
        }
    }

    /// Whether `svg` is one well-formed element tree (tags balanced, attributes quoted).
    fn well_formed(svg: &str) -> bool {
        let mut open: Vec<String> = Vec::new();
        let mut rest = svg;
        while let Some(start) = rest.find('<') {
            let Some(end) = rest[start..].find('>') else {
                return false;
            };
            let tag = &rest[start + 1..start + end];
            rest = &rest[start + end + 1..];
            if tag.starts_with('?') || tag.starts_with('!') {
                continue;
            }
            if !tag.matches('"').count().is_multiple_of(2) {
                return false;
            }
            if let Some(name) = tag.strip_prefix('/') {
                if open.pop().as_deref() != Some(name.trim()) {
                    return false;
                }
            } else if !tag.ends_with('/') {
                let name = tag.split_whitespace().next().unwrap_or_default();
                open.push(name.to_owned());
            }
        }
        open.is_empty()
    }

    #[test]
    fn a_chart_is_a_well_formed_svg_naming_its_series_and_axes() {
        for (x, y) in [
            (Scale::Log, Scale::Linear),
            (Scale::Log, Scale::Log),
            (Scale::Linear, Scale::Linear),
            (Scale::Linear, Scale::Log),
        ] {
            let svg = render_svg(&chart(x, y)).unwrap();
            assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
            assert!(well_formed(&svg), "not well formed:\n{svg}");
            assert!(svg.contains("GET /v3/certificates (kabao)"));
            // Markup in a name is escaped, not written as a tag.
            assert!(svg.contains("POST &lt;fapiao-applications&gt; (Prism)"));
            assert!(svg.contains("requests per second &amp; more"));
            assert!(svg.contains("\nconnections\n") && svg.contains("\nrequests/s\n"));
            assert!(svg.contains("font-family=\"sans-serif\""));
            assert!(!svg.contains("@font-face") && !svg.contains("url("));
            // Each series is drawn as a line of its own colour (and its legend mark).
            for (i, c) in COLORS.iter().take(2).enumerate() {
                let stroke = format!("stroke=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
                let lines = svg
                    .split("<polyline")
                    .filter(|l| l.split('>').next().unwrap().contains(&stroke))
                    .count();
                assert_eq!(lines, 2, "series {i}: {stroke}");
            }
        }
    }

    #[test]
    fn points_a_log_axis_cannot_show_are_left_out_and_an_empty_chart_still_draws() {
        let mut c = chart(Scale::Log, Scale::Log);
        c.series[1].points = vec![(0.0, 5.0), (4.0, -1.0), (f64::NAN, 3.0)];
        let svg = render_svg(&c).unwrap();
        assert!(well_formed(&svg));
        assert!(svg.contains("GET /v3/certificates (kabao)"));
        assert!(
            !svg.contains("(Prism)"),
            "a series without a drawable point has no legend entry"
        );

        c.series.clear();
        let svg = render_svg(&c).unwrap();
        assert!(well_formed(&svg));
        assert!(svg.contains("requests per second"));
    }

    #[test]
    fn axis_spans_cover_the_values_and_are_never_empty() {
        let s = axis_span(Scale::Log, [1.0, 64.0].into_iter(), 0.0);
        assert!(s.start < 1.0 && s.end > 64.0);
        let s = axis_span(Scale::Linear, [500.0, 500.0].into_iter(), 0.0);
        assert!(s.start == 0.0 && s.end > 500.0);
        let s = axis_span(Scale::Linear, std::iter::empty(), 0.0);
        assert!(s.start < s.end);
        let s = axis_span(Scale::Log, [3.0].into_iter(), 0.0);
        assert!(s.start < 3.0 && s.end > 3.0);
    }

    #[test]
    fn headroom_keeps_the_top_of_the_axis_free_for_the_legend() {
        // Half the axis free: the values' padded span doubles.
        let s = axis_span(Scale::Linear, [0.0, 100.0].into_iter(), 0.5);
        let bare = axis_span(Scale::Linear, [0.0, 100.0].into_iter(), 0.0);
        assert!((s.end - 2.0 * bare.end).abs() < 1e-9);
        let s = axis_span(Scale::Log, [1.0, 100.0].into_iter(), 0.5);
        let bare = axis_span(Scale::Log, [1.0, 100.0].into_iter(), 0.0);
        let decades = |r: &Range<f64>| (r.end / r.start).log10();
        assert!((decades(&s) - 2.0 * decades(&bare)).abs() < 1e-9);
    }

    #[test]
    fn log_axes_label_one_two_and_five_times_powers_of_ten() {
        let labels: Vec<String> = [1.0, 2.0, 3.0, 5.0, 9.0, 10.0, 20.0, 70.0, 0.5, 2000.0]
            .into_iter()
            .map(log_label)
            .collect();
        assert_eq!(labels, ["1", "2", "", "5", "", "10", "20", "", "0.5", "2k"]);
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short_number(1.0), "1");
        assert_eq!(short_number(64.0), "64");
        assert_eq!(short_number(2.5), "2.5");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(2000.0), "2k");
        assert_eq!(short_number(25_000.0), "25k");
        assert_eq!(short_number(0.0), "0");
    }
}
