//! The charts of a site with regions: `investment-by-region` and `projects-by-region` (the
//! top-level regions, a bar per batch), and each region's own chart (its batches), all from
//! the regions' figures (FORMAT.md, "Regions"), never recomputed here.

use super::data::{bar, money, title, with_note, Rows};
use super::Chart;
use crate::amount::Amount;
use crate::labels;
use crate::model::Batch;
use crate::site::{FigureSource, RegionBatch, Site};

pub const INVESTMENT_BY_REGION: &str = "investment-by-region";
pub const PROJECTS_BY_REGION: &str = "projects-by-region";

/// The names of the charts of regions, in the order they are drawn; none without regions.
pub fn names(site: &Site) -> Vec<String> {
    if !site.has_regions() {
        return vec![];
    }
    let mut out = vec![
        INVESTMENT_BY_REGION.to_string(),
        PROJECTS_BY_REGION.to_string(),
    ];
    for r in &site.region_tree.list {
        out.push(crate::urls::region_chart(&r.path));
        out.push(crate::urls::region_chart_of(&r.path, RATES));
        out.push(crate::urls::region_chart_of(&r.path, POOL));
    }
    out
}

/// The suffixes of a region's charts of rates and of its pool over time.
pub const RATES: &str = "rates";
pub const POOL: &str = "pool";

/// Whether `name` is a region's chart of rates.
pub fn is_rates(name: &str) -> bool {
    name.starts_with("region-") && name.ends_with("_rates")
}

/// The region whose chart of rates is `name`.
pub fn region_of_rates(site: &Site, name: &str) -> Option<usize> {
    let path = name
        .strip_prefix("region-")?
        .strip_suffix("_rates")?
        .replace('.', "/");
    site.region_tree.find(&path)
}

/// Every chart of regions.
pub fn all(site: &Site) -> Vec<Chart> {
    if !site.has_regions() {
        return vec![];
    }
    let mut out = vec![by_region(site, true), by_region(site, false)];
    for (i, r) in site.region_tree.list.iter().enumerate() {
        out.push(region_chart(site, i));
        let title = |key: &str| labels::label(key).replace("{region}", &r.name);
        out.push(super::data::indicators_chart(
            site,
            crate::urls::region_chart_of(&r.path, RATES),
            title("chart.region_rates"),
            &site.regions[i].indicators,
        ));
        out.push(super::data::pool_chart(
            site,
            crate::urls::region_chart_of(&r.path, POOL),
            title("chart.region_pool"),
            &site.regions[i].pool,
        ));
    }
    out
}

/// The note after a figure that says what it stands on; None for the entries' exact sum.
fn source_note(rb: &RegionBatch) -> Option<String> {
    let missing = rb.projects.len();
    match rb.source? {
        FigureSource::Entries => None,
        FigureSource::Declared => Some(labels::label("declared").to_string()),
        FigureSource::Regions => Some(labels::label("source.regions").to_string()),
        FigureSource::Partial => {
            Some(labels::label("source.partial").to_string()).filter(|_| missing > 0)
        }
    }
}

/// A region's figure for a batch as text: the amount, or 未载明.
fn figure_text(site: &Site, rb: &RegionBatch) -> String {
    rb.investment
        .map_or_else(|| labels::label("unknown").to_string(), |a| money(site, a))
}

/// The top-level regions, a bar per batch: their investment (with its source) or their
/// projects (with the count declared beside, where one is).
fn by_region(site: &Site, investment: bool) -> Chart {
    let name = if investment {
        INVESTMENT_BY_REGION
    } else {
        PROJECTS_BY_REGION
    };
    let unit = labels::label("unit_projects");
    let tree = &site.region_tree.list;
    let mut rows = Rows::default();
    for (i, r) in tree.iter().enumerate().filter(|(_, r)| r.level == 1) {
        let stats = &site.regions[i];
        for b in Batch::ALL {
            let rb = stats.batch(b);
            let label = format!("{}·{}", r.name, labels::batch(b));
            let n = rb.projects.len();
            let (value, text, note) = if investment {
                let text = figure_text(site, rb);
                let note = rb.investment.and(source_note(rb));
                (rb.investment.map_or(0.0, Amount::as_f64), text, note)
            } else {
                let note = rb
                    .declared_count
                    .filter(|&d| d != n as u64)
                    .map(|d| format!("{} {d} {unit}", labels::label("declared")));
                (n as f64, format!("{n} {unit}"), note)
            };
            let said = with_note(&text, note.as_ref());
            let declared = rb.declared_count.map(|d| d.to_string()).unwrap_or_default();
            let source = rb.source.map(|s| s.key().to_string()).unwrap_or_default();
            let (table, csv) = if investment {
                let shown = rb
                    .source
                    .map_or("—", |s| labels::label(&format!("source.{}", s.key())));
                (
                    vec![
                        r.name.clone(),
                        labels::batch(b).into(),
                        n.to_string(),
                        text.clone(),
                        shown.into(),
                    ],
                    vec![
                        r.path.clone(),
                        r.name.clone(),
                        b.key().into(),
                        n.to_string(),
                        rb.investment.map(Amount::plain).unwrap_or_default(),
                        source,
                    ],
                )
            } else {
                (
                    vec![
                        r.name.clone(),
                        labels::batch(b).into(),
                        n.to_string(),
                        if declared.is_empty() {
                            "—".into()
                        } else {
                            declared.clone()
                        },
                    ],
                    vec![
                        r.path.clone(),
                        r.name.clone(),
                        b.key().into(),
                        n.to_string(),
                        declared,
                    ],
                )
            };
            rows.push(
                bar(&label, b.index(), value, &text, note),
                table,
                vec![csv],
                &said,
            );
        }
    }
    let series = Batch::ALL
        .iter()
        .map(|&b| labels::batch(b).to_string())
        .collect();
    let (head, csv_head): (Vec<&str>, Vec<&'static str>) = if investment {
        (
            vec!["region", "batch", "count", "investment", "source"],
            vec![
                "region",
                "name",
                "batch",
                "projects",
                "investment",
                "source",
            ],
        )
    } else {
        (
            vec!["region", "batch", "entries_count", "declared"],
            vec!["region", "name", "batch", "projects", "declared_projects"],
        )
    };
    let head = head.iter().map(|k| labels::label(k).to_string()).collect();
    rows.chart(name.into(), title(name), series, head, csv_head)
}

/// Region `i`'s own chart: a bar per batch, its projects and their investment with its
/// source.
fn region_chart(site: &Site, i: usize) -> Chart {
    let r = &site.region_tree.list[i];
    let stats = &site.regions[i];
    let unit = labels::label("unit_projects");
    let mut rows = Rows::default();
    for b in Batch::ALL {
        let rb = stats.batch(b);
        let label = labels::batch(b);
        let n = rb.projects.len();
        let mut text = format!("{n} {unit}");
        if let Some(a) = rb.investment {
            text.push_str(&format!(" · {}", money(site, a)));
        }
        let note = rb.investment.and(source_note(rb));
        let said = with_note(&text, note.as_ref());
        let shown = rb
            .source
            .map_or("—", |s| labels::label(&format!("source.{}", s.key())));
        rows.push(
            bar(label, b.index(), n as f64, &text, note),
            vec![
                label.into(),
                n.to_string(),
                figure_text(site, rb),
                shown.into(),
            ],
            vec![vec![
                b.key().into(),
                label.into(),
                n.to_string(),
                rb.declared_count.map(|d| d.to_string()).unwrap_or_default(),
                rb.investment.map(Amount::plain).unwrap_or_default(),
                rb.source.map(|s| s.key().to_string()).unwrap_or_default(),
            ]],
            &said,
        );
    }
    let title = labels::label("chart.region").replace("{region}", &r.name);
    let head = ["batch", "count", "investment", "source"]
        .map(|k| labels::label(k).to_string())
        .into();
    rows.chart(
        crate::urls::region_chart(&r.path),
        title,
        vec![],
        head,
        vec![
            "batch",
            "label",
            "projects",
            "declared_projects",
            "investment",
            "source",
        ],
    )
}
