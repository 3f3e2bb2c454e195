//! The views of regions for templates: a region's figures per batch as a table row, a
//! region's page (its lineage, subregions, rates, sources), and the rankings.

use super::views::{IndicatorView, SourceView};
use crate::content::regions::level_name;
use crate::labels;
use crate::model::Batch;
use crate::site::rankings::Ranking;
use crate::site::{RegionBatch, Site};
use crate::urls;
use serde::Serialize;

/// A region named with a link to its page.
#[derive(Serialize, Clone, PartialEq, Hash)]
pub(crate) struct RegionLink {
    pub name: String,
    pub path: String,
}

impl RegionLink {
    pub(crate) fn new(site: &Site, i: usize) -> RegionLink {
        let r = &site.region_tree.list[i];
        RegionLink {
            name: r.name.clone(),
            path: urls::region(&r.path),
        }
    }

    /// Region `i` and the regions above it, from the top.
    pub(crate) fn lineage(site: &Site, i: usize) -> Vec<RegionLink> {
        site.region_tree
            .lineage(i)
            .into_iter()
            .map(|j| RegionLink::new(site, j))
            .collect()
    }
}

/// One batch of a region, as a table's cells show it.
#[derive(Serialize, Hash)]
pub(crate) struct RegionBatchView {
    pub batch: &'static str,
    pub label: &'static str,
    pub count: usize,
    pub declared_count: Option<u64>,
    /// The figure with its unit, or None (未载明).
    pub investment: Option<String>,
    /// The figure as a plain number, for sorting.
    pub value: Option<String>,
    /// `entries`, `declared`, `regions` or `partial`; None without a figure.
    pub source: Option<&'static str>,
    pub source_label: Option<&'static str>,
}

impl RegionBatchView {
    fn new(site: &Site, b: Batch, rb: &RegionBatch) -> RegionBatchView {
        RegionBatchView {
            batch: b.key(),
            label: labels::batch(b),
            count: rb.projects.len(),
            declared_count: rb.declared_count,
            investment: rb.investment.map(|a| labels::money(a, &site.config.unit)),
            value: rb.investment.map(|a| a.plain()),
            source: rb.source.map(|s| s.key()),
            source_label: rb
                .source
                .map(|s| labels::label(&format!("source.{}", s.key()))),
        }
    }
}

/// A region's row in a table of regions.
#[derive(Serialize, Hash)]
pub(crate) struct RegionRow {
    pub name: String,
    /// The names from the top, joined by `/`.
    pub names: String,
    pub path: String,
    /// The region's path (`dongchuan/linhe`), as data files name it.
    pub key: String,
    pub level: usize,
    pub level_name: String,
    pub group: Option<String>,
    pub code: Option<String>,
    pub count: usize,
    pub batches: Vec<RegionBatchView>,
    /// The sum of the batches that have a figure, with the weakest of their sources.
    pub investment: Option<String>,
    pub value: Option<String>,
    pub source: Option<&'static str>,
    pub source_label: Option<&'static str>,
}

impl RegionRow {
    pub(crate) fn new(site: &Site, i: usize) -> RegionRow {
        let r = &site.region_tree.list[i];
        let s = &site.regions[i];
        let total = s.investment();
        RegionRow {
            name: r.name.clone(),
            names: site.region_names(i),
            path: urls::region(&r.path),
            key: r.path.clone(),
            level: r.level,
            level_name: level_name(&site.config.region_levels, r.level),
            group: r.group.clone(),
            code: r.code.clone(),
            count: s.count(),
            batches: Batch::ALL
                .iter()
                .map(|&b| RegionBatchView::new(site, b, s.batch(b)))
                .collect(),
            investment: total.map(|(a, _)| labels::money(a, &site.config.unit)),
            value: total.map(|(a, _)| a.plain()),
            source: total.map(|(_, f)| f.key()),
            source_label: total.map(|(_, f)| labels::label(&format!("source.{}", f.key()))),
        }
    }

    /// Every region, in the tree's order.
    pub(crate) fn all(site: &Site) -> Vec<RegionRow> {
        (0..site.region_tree.list.len())
            .map(|i| RegionRow::new(site, i))
            .collect()
    }
}

/// `region` on a region's page.
#[derive(Serialize, Hash)]
pub(crate) struct RegionView {
    pub row: RegionRow,
    /// The regions above it, from the top (itself not included).
    pub parents: Vec<RegionLink>,
    pub children: Vec<RegionRow>,
    /// The name of its subregions' level (县（市、区）).
    pub children_level: Option<String>,
    /// Its projects attached to it itself, not to a subregion.
    pub own: usize,
    pub indicators: Vec<IndicatorView>,
    /// Where each period's figures for the region were published, oldest first.
    pub sources: Vec<SourceView>,
    /// The region's pool as of each period: a count per batch, None where its 0 is not
    /// established (未载明).
    pub pool: Vec<RegionPoolRow>,
}

/// The region's pool as of one period.
#[derive(Serialize, Hash)]
pub(crate) struct RegionPoolRow {
    pub label: String,
    pub path: String,
    pub counts: [Option<usize>; 3],
}

impl RegionView {
    pub(crate) fn new(site: &Site, i: usize) -> RegionView {
        let r = &site.region_tree.list[i];
        let mut parents = RegionLink::lineage(site, i);
        parents.pop();
        let own = site.regions[i]
            .projects
            .iter()
            .filter(|&&p| site.region_of[p] == Some(i))
            .count();
        let sources = site
            .periods
            .iter()
            .filter_map(|p| {
                let entry = p.regions.get(&r.path)?;
                entry.declared.as_ref()?;
                let s = entry.source.as_ref().or(p.source.as_ref());
                let mut v = SourceView::of_source(p, s);
                let as_of = entry.as_of.or(p.as_of);
                v.as_of = as_of.map(|d| d.iso());
                v.as_of_zh = as_of.map(|d| d.chinese());
                Some(v)
            })
            .collect();
        RegionView {
            row: RegionRow::new(site, i),
            parents,
            children: r
                .children
                .iter()
                .map(|&c| RegionRow::new(site, c))
                .collect(),
            children_level: (!r.children.is_empty())
                .then(|| level_name(&site.config.region_levels, r.level + 1)),
            own,
            indicators: site.regions[i]
                .indicators
                .iter()
                .map(|x| IndicatorView::new(site, x))
                .collect(),
            sources,
            pool: site.regions[i]
                .pool
                .iter()
                .map(|row| RegionPoolRow {
                    label: labels::period(row.period),
                    path: urls::period(row.period),
                    counts: Batch::ALL.map(|b| row.count(b)),
                })
                .collect(),
        }
    }
}

/// One ranking as a table.
#[derive(Serialize)]
pub(crate) struct RankingView {
    pub measure: String,
    pub label: String,
    pub level_name: String,
    pub group: Option<String>,
    /// An anchor for the table.
    pub id: String,
    /// Whether it is the first table of its measure (the page's index links to it).
    pub first: bool,
    pub rows: Vec<RankRow>,
}

#[derive(Serialize)]
pub(crate) struct RankRow {
    pub rank: Option<usize>,
    pub name: String,
    pub path: String,
    pub value: Option<String>,
    pub source_label: Option<&'static str>,
}

impl RankingView {
    pub(crate) fn all(site: &Site) -> Vec<RankingView> {
        let groups = crate::site::rankings::groups(&site.region_tree);
        let mut out: Vec<RankingView> = site
            .rankings
            .iter()
            .map(|r| RankingView::new(site, r, &groups))
            .collect();
        for i in 0..out.len() {
            out[i].first = i == 0 || out[i - 1].measure != out[i].measure;
        }
        out
    }

    fn new(site: &Site, r: &Ranking, groups: &[(usize, Option<String>)]) -> RankingView {
        let key = r.measure.key();
        let label = measure_label(r.measure);
        let g = groups
            .iter()
            .position(|g| g.0 == r.level && g.1 == r.group)
            .unwrap_or(0);
        RankingView {
            id: format!("{key}-{g}"),
            first: false,
            measure: key,
            label,
            level_name: level_name(&site.config.region_levels, r.level),
            group: r.group.clone(),
            rows: r
                .entries
                .iter()
                .map(|e| {
                    let reg = &site.region_tree.list[e.region];
                    RankRow {
                        rank: e.rank,
                        name: reg.name.clone(),
                        path: urls::region(&reg.path),
                        value: e.value.map(|(v, _)| shown_value(site, v)),
                        source_label: e
                            .value
                            .map(|(_, f)| labels::label(&format!("source.{}", f.key()))),
                    }
                })
                .collect(),
        }
    }
}

/// A measure in words: 项目数（签约一批）, 总投资, 达效率.
fn measure_label(m: crate::site::rankings::Measure) -> String {
    use crate::site::rankings::Measure;
    let with = |what: &str, b: Option<Batch>| match b {
        Some(b) => format!("{what}（{}）", labels::batch(b)),
        None => what.to_string(),
    };
    match m {
        Measure::Projects(b) => with(labels::label("count"), b),
        Measure::Investment(b) => with(labels::label("investment"), b),
        Measure::Rate(k) => labels::indicator(k).to_string(),
    }
}

/// A ranked value as a page shows it: a count with its unit, an amount with the site's,
/// a rate with %.
fn shown_value(site: &Site, v: crate::site::rankings::Value) -> String {
    use crate::site::rankings::Value;
    match v {
        Value::Count(n) => format!("{n} {}", labels::label("unit_projects")),
        Value::Amount(a) => labels::money(a, &site.config.unit),
        Value::Rate(_) => format!("{}%", v.text()),
    }
}
