//! data/regions.csv and data/rankings.csv (FORMAT.md, "Regions"): each region's figures per
//! batch, and every ranking, for sites with content/regions.yaml.

use crate::amount::Amount;
use crate::model::Batch;
use crate::site::Site;

/// The header of data/regions.csv.
const REGIONS_HEAD: [&str; 9] = [
    "region",
    "name",
    "level",
    "parent",
    "batch",
    "projects",
    "declared_projects",
    "investment",
    "source",
];

/// The header of data/rankings.csv.
const RANKINGS_HEAD: [&str; 8] = [
    "measure", "level", "group", "rank", "region", "name", "value", "source",
];

/// A row per region and batch, in the tree's order (depth first), then signed, started,
/// producing; an unknown figure is an empty cell, never 0.
pub(crate) fn regions_csv(site: &Site) -> Vec<u8> {
    let tree = &site.region_tree.list;
    let mut rows = Vec::new();
    for s in &site.regions {
        let r = &tree[s.region];
        let parent = r.parent.map(|p| tree[p].path.clone()).unwrap_or_default();
        for b in Batch::ALL {
            let rb = s.batch(b);
            rows.push(vec![
                r.path.clone(),
                r.name.clone(),
                r.level.to_string(),
                parent.clone(),
                b.key().to_string(),
                rb.projects.len().to_string(),
                rb.declared_count.map(|n| n.to_string()).unwrap_or_default(),
                rb.investment.map(Amount::plain).unwrap_or_default(),
                rb.source.map(|f| f.key().to_string()).unwrap_or_default(),
            ]);
        }
    }
    crate::csvfile::bytes(&REGIONS_HEAD, &rows)
}

/// A row per measure and region: each measure, then each level and group, ranked; regions
/// without a value last, with an empty rank, value and source.
pub(crate) fn rankings_csv(site: &Site) -> Vec<u8> {
    let tree = &site.region_tree.list;
    let mut rows = Vec::new();
    for ranking in &site.rankings {
        for e in &ranking.entries {
            let r = &tree[e.region];
            rows.push(vec![
                ranking.measure.key(),
                ranking.level.to_string(),
                ranking.group.clone().unwrap_or_default(),
                e.rank.map(|n| n.to_string()).unwrap_or_default(),
                r.path.clone(),
                r.name.clone(),
                e.value.map(|v| v.0.text()).unwrap_or_default(),
                e.value.map(|v| v.1.key().to_string()).unwrap_or_default(),
            ]);
        }
    }
    crate::csvfile::bytes(&RANKINGS_HEAD, &rows)
}
