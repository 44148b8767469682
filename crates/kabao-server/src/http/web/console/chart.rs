//! Stacked bar charts as inline SVG, drawn on the server: no script, no
//! library, nothing loaded from elsewhere. Series colours come from the
//! console's stylesheet classes `s0`…`s5`, with a fallback fill here.

use std::fmt::Write;

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 160.0;
const COLOURS: [&str; 6] = [
    "#07c160", "#fa5151", "#ffc300", "#10aeff", "#8e6cef", "#888888",
];

/// A stacked bar chart: one bar per column, one segment per series, a
/// legend with each series' total; `title` labels it for screen readers.
/// Titles and series names are kabao's own words, put in as they are.
pub fn stacked_bars(title: &str, series: &[&str], columns: &[Vec<u64>]) -> String {
    let max = columns
        .iter()
        .map(|c| c.iter().sum::<u64>())
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let bar = WIDTH / columns.len().max(1) as f64;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {h}" role="img" aria-label="{t}" xmlns="http://www.w3.org/2000/svg"><title>{t}</title>"#,
        h = HEIGHT + 30.0,
        t = title,
    );
    for (i, column) in columns.iter().enumerate() {
        let mut y = HEIGHT;
        for (s, &value) in column.iter().enumerate() {
            if value == 0 {
                continue;
            }
            let h = value as f64 / max * HEIGHT;
            y -= h;
            let _ = write!(
                svg,
                r#"<rect class="s{s}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" fill="{c}"><title>{name}: {value}</title></rect>"#,
                x = i as f64 * bar,
                w = (bar - 1.0).max(1.0),
                c = COLOURS[s % COLOURS.len()],
                name = series.get(s).copied().unwrap_or(""),
            );
        }
    }
    let _ = write!(
        svg,
        r##"<line x1="0" y1="{HEIGHT}" x2="{WIDTH}" y2="{HEIGHT}" stroke="#999"/><text x="0" y="12" font-size="11">{}</text>"##,
        max as u64
    );
    let mut x = 0.0;
    for (s, name) in series.iter().enumerate() {
        let total: u64 = columns.iter().filter_map(|c| c.get(s)).sum();
        let _ = write!(
            svg,
            r#"<rect x="{x}" y="{ly}" width="10" height="10" fill="{c}"/><text x="{tx}" y="{ty}" font-size="11">{n} ({total})</text>"#,
            ly = HEIGHT + 12.0,
            c = COLOURS[s % COLOURS.len()],
            tx = x + 14.0,
            ty = HEIGHT + 21.0,
            n = name,
        );
        x += 100.0;
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_and_legend_follow_the_data() {
        let svg = stacked_bars("t", &["ok", "failed"], &[vec![2, 1], vec![0, 0]]);
        assert_eq!(svg.matches("<rect class=").count(), 2);
        assert!(svg.contains("ok (2)") && svg.contains("failed (1)"));
        assert_eq!(svg.matches("http://").count(), 1, "only the SVG namespace");
    }
}
