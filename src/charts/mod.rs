//! Charts: the figures of the Site as bar charts (SVG drawn with plotters) and their data (CSV).
//!
//! Each chart is built in two steps: [`data`] turns the Site into a [`Chart`] (bars, a table
//! and the CSV rows), and [`svg`] draws it. Nothing else computes a chart's numbers.

pub mod data;
pub mod regions;
pub mod svg;
pub mod targets;

use crate::model::SiteChart;

/// One segment of a bar: which series, and how much.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub series: usize,
    pub value: f64,
}

/// One bar of a chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub parts: Vec<Part>,
    /// The figure written at the end of the bar, unit included.
    pub value_text: String,
    /// A remark after the figure, such as 公布数.
    pub note: Option<String>,
}

/// A chart ready to be drawn, shown as a table, and written as CSV.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chart {
    pub name: String,
    pub title: String,
    /// A line under the title (the unit of money charts), drawn in the picture.
    pub subtitle: Option<String>,
    /// A line under the bars where figures are partial or declared.
    pub notes: Option<String>,
    /// The source line drawn in the picture: the site's title, the source of declared
    /// figures, the date of the figures (never the day of the build). Set by [`data::credit`].
    pub source: String,
    /// The figures in a sentence, for screen readers.
    pub desc: String,
    /// Names of the series, for the legend (none when there is one series).
    pub series: Vec<String>,
    pub bars: Vec<Bar>,
    /// Shown instead of bars when there is nothing to draw.
    pub empty_note: Option<String>,
    /// The value a full-width bar stands for (100 for rates); else the longest bar's.
    pub scale_max: Option<f64>,
    /// The HTML table: header and rows of display text.
    pub table_head: Vec<String>,
    pub table_rows: Vec<Vec<String>>,
    /// The CSV: header and rows of plain values.
    pub csv_head: Vec<&'static str>,
    pub csv_rows: Vec<Vec<String>>,
}

/// A drawn chart: the SVG text, the CSV bytes, and the PNG when the build drew one (it
/// needs a CJK font).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub chart: Chart,
    pub svg: String,
    /// `svg` hashed once, when it was drawn: the pages that show the chart are told
    /// unchanged by it (`render::views::SvgText`).
    pub svg_print: u128,
    pub csv: Vec<u8>,
    pub png: Option<Vec<u8>>,
}

/// An SVG's text hashed ([`Rendered::svg_print`]).
fn print(svg: &str) -> u128 {
    use siphasher::sip128::{Hasher128, SipHasher13};
    use std::hash::Hasher;
    let mut h = SipHasher13::new();
    h.write(svg.as_bytes());
    h.finish128().as_u128()
}

/// The chart of a batch's page: its projects by the period they entered it.
pub fn batch_name(b: crate::model::Batch) -> String {
    format!("batch-{}", b.key())
}

/// The period of a period's chart (`period-7` → 7).
pub fn period_number(name: &str) -> Option<u32> {
    name.strip_prefix("period-")?.parse().ok()
}

/// The chart of a period's page: what entered each batch in it.
pub fn period_name(n: u32) -> String {
    format!("period-{n}")
}

/// The chart of a sector's page: its projects per batch.
pub fn sector_name(slug: &str) -> String {
    format!("sector-{slug}")
}

/// The names of the charts of regions (none in a site without regions).
pub fn region_names(site: &crate::site::Site) -> Vec<String> {
    let mut names = regions::names(site);
    names.extend(targets::names(site));
    names
}

/// Builds and draws every chart of the site: those of [`NAMES`], then one per batch, period
/// and sector page.
pub fn render_all(site: &crate::site::Site) -> Vec<Rendered> {
    render_all_from(site, Default::default())
}

/// [`render_all`], taking from `before` (the charts as last drawn, by name) each chart whose
/// figures and words are the same, SVG, CSV and PNG as they are (serve: a province has
/// hundreds of charts, and an edit changes a few).
pub fn render_all_from(
    site: &crate::site::Site,
    mut before: std::collections::HashMap<String, Rendered>,
) -> Vec<Rendered> {
    use rayon::prelude::*;
    let mut charts: Vec<Chart> = Vec::new();
    charts.extend(SiteChart::ALL.map(|c| data::build(site, c)));
    charts.extend(
        crate::model::Batch::ALL
            .iter()
            .map(|&b| data::batch_chart(site, b)),
    );
    charts.extend(
        site.periods
            .iter()
            .map(|p| data::period_chart(site, p.number)),
    );
    charts.extend(site.sectors.iter().map(|s| data::sector_chart(site, s)));
    charts.extend(regions::all(site));
    charts.extend(targets::all(site));
    for c in &mut charts {
        data::credit(site, c);
    }
    let charts: Vec<(Chart, Option<Rendered>)> = charts
        .into_iter()
        .map(|c| {
            let same = before.remove(&c.name).filter(|b| b.chart == c);
            (c, same)
        })
        .collect();
    charts
        .into_par_iter()
        .map(|(chart, same)| {
            if let Some(same) = same {
                return same;
            }
            let svg = svg::draw(&chart);
            let csv = crate::csvfile::bytes(&chart.csv_head, &chart.csv_rows);
            Rendered {
                chart,
                svg_print: print(&svg),
                svg,
                csv,
                png: None,
            }
        })
        .collect()
}
