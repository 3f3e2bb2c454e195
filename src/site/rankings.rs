//! Rankings of regions (FORMAT.md, "Rankings"): within each level and peer group, by each
//! measure, highest first; equal values share a rank and the next rank skips (1, 2, 2, 4);
//! regions without a value come last, unranked.

use super::regions::RegionStats;
use super::FigureSource;
use crate::amount::Amount;
use crate::content::regions::Regions;
use crate::model::{Batch, RATES};

/// What regions are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Projects of a batch, or of all batches.
    Projects(Option<Batch>),
    /// Investment of a batch, or of the batches that have a figure.
    Investment(Option<Batch>),
    /// A rate of `indicators.csv`, by its key (`fulfilled` … `completion`).
    Rate(&'static str),
}

impl Measure {
    /// Every measure, in the order of `rankings.csv`.
    pub fn all() -> Vec<Measure> {
        let mut out = vec![Measure::Projects(None)];
        out.extend(Batch::ALL.map(|b| Measure::Projects(Some(b))));
        out.push(Measure::Investment(None));
        out.extend(Batch::ALL.map(|b| Measure::Investment(Some(b))));
        out.extend(RATES.iter().map(|(_, s)| Measure::Rate(s.key())));
        out.push(Measure::Rate("completion"));
        out
    }

    /// `projects`, `investment-started`, `fulfilled`.
    pub fn key(self) -> String {
        match self {
            Measure::Projects(None) => "projects".into(),
            Measure::Projects(Some(b)) => format!("projects-{}", b.key()),
            Measure::Investment(None) => "investment".into(),
            Measure::Investment(Some(b)) => format!("investment-{}", b.key()),
            Measure::Rate(k) => k.into(),
        }
    }
}

/// A region's value for a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    Count(usize),
    Amount(Amount),
    /// In tenths of a percent, as written (one decimal).
    Rate(u64),
}

impl Value {
    /// As `rankings.csv` writes it.
    pub fn text(self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Amount(a) => a.plain(),
            Value::Rate(t) => format!("{}.{}", t / 10, t % 10),
        }
    }

    fn order(self) -> i128 {
        match self {
            Value::Count(n) => n as i128,
            Value::Amount(a) => i128::from(a.millionths()),
            Value::Rate(t) => i128::from(t),
        }
    }
}

/// A region's value for `m` and where it comes from; None when it has none.
pub fn value(s: &RegionStats, m: Measure) -> Option<(Value, FigureSource)> {
    match m {
        Measure::Projects(None) => Some((Value::Count(s.count()), FigureSource::Entries)),
        Measure::Projects(Some(b)) => Some((
            Value::Count(s.batch(b).projects.len()),
            FigureSource::Entries,
        )),
        Measure::Investment(None) => s.investment().map(|(a, f)| (Value::Amount(a), f)),
        Measure::Investment(Some(b)) => {
            let rb = s.batch(b);
            Some((Value::Amount(rb.investment?), rb.source?))
        }
        Measure::Rate(key) => s
            .indicators
            .iter()
            // A progress rate is its batch's; completion is the one over all the projects.
            .find(|i| i.key() == key && (key != "completion" || i.batch.is_none()))
            .map(|i| (Value::Rate(i.tenths), i.source)),
    }
}

/// One row of a ranking.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Index into the tree's list (and into `Site::regions`).
    pub region: usize,
    /// None for a region without a value.
    pub rank: Option<usize>,
    pub value: Option<(Value, FigureSource)>,
}

/// The regions of one level and group ranked by one measure.
#[derive(Debug, Clone)]
pub struct Ranking {
    pub measure: Measure,
    pub level: usize,
    /// None for the level's default group.
    pub group: Option<String>,
    pub entries: Vec<Entry>,
}

/// The peer groups of the tree: each level's groups in the order they first appear.
pub fn groups(tree: &Regions) -> Vec<(usize, Option<String>)> {
    let mut out: Vec<(usize, Option<String>)> = Vec::new();
    for level in 1..=tree.depth() {
        for r in tree.list.iter().filter(|r| r.level == level) {
            let g = (level, r.group.clone());
            if !out.contains(&g) {
                out.push(g);
            }
        }
    }
    out
}

/// Every ranking: each measure, then each level and group.
pub fn rank(tree: &Regions, stats: &[RegionStats]) -> Vec<Ranking> {
    let groups = groups(tree);
    let mut out = Vec::new();
    for m in Measure::all() {
        for (level, group) in &groups {
            let mut entries: Vec<Entry> = tree
                .list
                .iter()
                .enumerate()
                .filter(|(_, r)| r.level == *level && &r.group == group)
                .map(|(i, _)| Entry {
                    region: i,
                    rank: None,
                    value: value(&stats[i], m),
                })
                .collect();
            // Stable: ties and the unranked keep the tree's order.
            entries.sort_by_key(|e| std::cmp::Reverse(e.value.map(|v| v.0.order())));
            let mut prev: Option<(i128, usize)> = None;
            for (k, e) in entries.iter_mut().enumerate() {
                let Some((v, _)) = e.value else { continue };
                let rank = match prev {
                    Some((p, r)) if p == v.order() => r,
                    _ => k + 1,
                };
                e.rank = Some(rank);
                prev = Some((v.order(), rank));
            }
            out.push(Ranking {
                measure: m,
                level: *level,
                group: group.clone(),
                entries,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_in_the_contracts_order() {
        let keys: Vec<String> = Measure::all().iter().map(|m| m.key()).collect();
        assert_eq!(
            keys,
            [
                "projects",
                "projects-signed",
                "projects-started",
                "projects-producing",
                "investment",
                "investment-signed",
                "investment-started",
                "investment-producing",
                "fulfilled",
                "under_construction",
                "in_production",
                "at_capacity",
                "completion"
            ]
        );
    }

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        let tree = Regions::parse(
            &crate::source::decode(
                b"- {name: a, slug: a}\n- {name: b, slug: b}\n- {name: c, slug: c}\n- {name: d, slug: d}\n- {name: e, slug: e}\n".to_vec(),
                "r.yaml",
            )
            .unwrap(),
        )
        .unwrap();
        let sums = ["1", "3", "", "3", "0.5"];
        let stats: Vec<RegionStats> = sums
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let b = super::super::regions::RegionBatch {
                    projects: vec![],
                    declared_count: None,
                    investment: (!s.is_empty()).then(|| Amount::parse(s).unwrap()),
                    source: (!s.is_empty()).then_some(FigureSource::Declared),
                };
                RegionStats {
                    region: i,
                    projects: vec![],
                    batches: [b.clone(), b.clone(), b],
                    indicators: vec![],
                    pool: vec![],
                    chain: vec![],
                }
            })
            .collect();
        let r = rank(&tree, &stats);
        let inv = r
            .iter()
            .find(|r| r.measure == Measure::Investment(Some(Batch::Signed)))
            .unwrap();
        let got: Vec<(usize, Option<usize>)> =
            inv.entries.iter().map(|e| (e.region, e.rank)).collect();
        assert_eq!(
            got,
            [
                (1, Some(1)),
                (3, Some(1)),
                (0, Some(3)),
                (4, Some(4)),
                (2, None)
            ]
        );
        let projects = r
            .iter()
            .find(|r| r.measure == Measure::Projects(None))
            .unwrap();
        assert!(
            projects.entries.iter().all(|e| e.rank == Some(1)),
            "0 is a value: all tie"
        );
    }
}
