//! data/targets.csv, data/chain.csv and data/regions-chain.csv (FORMAT.md, "Targets and time
//! progress", "The rate chain").

use crate::amount::Amount;
use crate::labels;
use crate::site::chain::Link;
use crate::site::targets::tenths_text;
use crate::site::Site;

const TARGETS_HEAD: [&str; 12] = [
    "year",
    "region",
    "target",
    "label",
    "measure",
    "at_least",
    "achieved",
    "share",
    "as_of",
    "time_share",
    "ahead",
    "source",
];
const CHAIN_HEAD: [&str; 6] = ["indicator", "label", "reached", "of", "rate", "source"];

/// A row per target of every file: what was achieved, its share, the time progress and how
/// far ahead; an unknown figure is an empty cell.
pub(crate) fn targets_csv(site: &Site) -> Vec<u8> {
    let rows: Vec<Vec<String>> = site
        .target_progress
        .iter()
        .map(|g| {
            let file = &site.targets[g.file];
            let t = &file.targets[g.target];
            vec![
                file.year.to_string(),
                file.region.clone().unwrap_or_default(),
                t.id.clone(),
                t.label.clone(),
                t.measure.key().to_string(),
                t.at_least.plain(),
                g.achieved.map(Amount::plain).unwrap_or_default(),
                g.share.map(tenths_text).unwrap_or_default(),
                g.as_of.map(|m| m.to_string()).unwrap_or_default(),
                g.time_share.map(tenths_text).unwrap_or_default(),
                g.ahead.map(tenths_text).unwrap_or_default(),
                g.source.map(|s| s.key().to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    crate::csvfile::bytes(&TARGETS_HEAD, &rows)
}

fn chain_cells(l: &Link) -> Vec<String> {
    vec![
        l.state.key().to_string(),
        labels::label(l.label_key()).to_string(),
        l.reached.to_string(),
        l.of.to_string(),
        l.rate_text(),
        l.source.key().to_string(),
    ]
}

/// The site's rate chain, a row per link that has projects in its base.
pub(crate) fn chain_csv(site: &Site) -> Vec<u8> {
    let rows: Vec<Vec<String>> = site.chain.iter().map(chain_cells).collect();
    crate::csvfile::bytes(&CHAIN_HEAD, &rows)
}

/// Each region's rate chain, in the tree's order, with the region's path first.
pub(crate) fn regions_chain_csv(site: &Site) -> Vec<u8> {
    let mut head = vec!["region"];
    head.extend(CHAIN_HEAD);
    let mut rows = Vec::new();
    for s in &site.regions {
        let path = &site.region_tree.list[s.region].path;
        for l in &s.chain {
            let mut row = vec![path.clone()];
            row.extend(chain_cells(l));
            rows.push(row);
        }
    }
    crate::csvfile::bytes(&head, &rows)
}
