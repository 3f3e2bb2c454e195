//! The pool over time: which batch each project was in as of each period, rebuilt from its
//! `period` and `history`, and the moves between batches in each period (签约转开工, 开工转投产).
//!
//! Only the projects the site holds are counted: a project dropped from the pool before the
//! latest period is not in the content, so earlier pools may be smaller than they were.

use crate::amount::Amount;
use crate::content::project::Project;
use crate::model::Batch;

/// One batch of the pool as of a period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolCell {
    pub projects: usize,
    /// The exact sum of the amounts the counted projects state.
    pub investment: Amount,
    /// How many of them state an amount.
    pub known: usize,
}

/// The pool as of one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolRow {
    pub period: u32,
    /// In the order signed, started, producing.
    pub batches: [PoolCell; 3],
    /// Projects of the current pool that cannot be placed as of this period because the
    /// period they entered their current batch is unknown, by that current batch.
    pub unplaced: [usize; 3],
}

/// The moves between batches in one period (None: in a period the source does not state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionRow {
    pub period: Option<u32>,
    /// 签约转开工.
    pub signed_started: usize,
    /// 开工转投产.
    pub started_producing: usize,
}

/// The batch `p` was in as of period `n`: the last of its steps with a known period up to
/// `n`; as of the latest period, its current batch even when its period is unknown.
fn batch_as_of(p: &Project, n: u32, latest: u32) -> Option<Batch> {
    if n >= latest {
        return Some(p.batch);
    }
    p.steps()
        .filter(|(_, m)| m.is_some_and(|m| m <= n))
        .last()
        .map(|(b, _)| b)
}

/// The pool as of each of `periods` (numbers, ascending).
pub(super) fn by_period(projects: &[Project], periods: &[u32]) -> Vec<PoolRow> {
    let Some(&latest) = periods.last() else {
        return Vec::new();
    };
    periods
        .iter()
        .map(|&n| {
            let mut batches = [PoolCell::default(); 3];
            let mut unplaced = [0; 3];
            for p in projects {
                match batch_as_of(p, n, latest) {
                    Some(b) => {
                        let c = &mut batches[b.index()];
                        c.projects += 1;
                        if let Some(a) = p.investment {
                            c.investment = c.investment + a;
                            c.known += 1;
                        }
                    }
                    None if p.period.is_none() => unplaced[p.batch.index()] += 1,
                    None => {}
                }
            }
            PoolRow {
                period: n,
                batches,
                unplaced,
            }
        })
        .collect()
}

/// The moves in each of `periods`, then, when any move's period is unknown, a row for those.
pub(super) fn conversions(projects: &[Project], periods: &[u32]) -> Vec<ConversionRow> {
    let count = |from: Batch, to: Batch, n: Option<u32>| {
        projects
            .iter()
            .filter(|p| p.entry(to, n) == Some(Some(from)))
            .count()
    };
    let row = |n: Option<u32>| ConversionRow {
        period: n,
        signed_started: count(Batch::Signed, Batch::Started, n),
        started_producing: count(Batch::Started, Batch::Producing, n),
    };
    let mut rows: Vec<ConversionRow> = periods.iter().map(|&n| row(Some(n))).collect();
    let unknown = row(None);
    if unknown.signed_started + unknown.started_producing > 0 {
        rows.push(unknown);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::super::testing::project;
    use super::*;

    fn counts(r: &PoolRow) -> [usize; 3] {
        r.batches.map(|c| c.projects)
    }

    #[test]
    fn the_pool_is_rebuilt_from_period_and_history() {
        let ps = [
            // signed in 1, started in 2, producing in 3
            project("name: a\nbatch: producing\nperiod: 3\ninvestment: 2\nhistory: [{period: 1, batch: signed}, {period: 2, batch: started}]"),
            // signed in an unknown period, started in 2
            project("name: b\nbatch: started\nperiod: 2\nhistory: [{batch: signed}]"),
            // signed, period unknown: in the pool as of the latest period only
            project("name: c\nbatch: signed"),
            project("name: d\nbatch: signed\nperiod: 3\ninvestment: 1.5"),
        ];
        let pool = by_period(&ps, &[1, 2, 3]);
        assert_eq!(
            pool.iter().map(counts).collect::<Vec<_>>(),
            vec![[1, 0, 0], [0, 2, 0], [2, 1, 1]]
        );
        assert_eq!(
            pool.iter().map(|r| r.unplaced).collect::<Vec<_>>(),
            vec![[1, 0, 0], [1, 0, 0], [0, 0, 0]]
        );
        let last = &pool[2];
        assert_eq!(
            (last.batches[0].investment.plain(), last.batches[0].known),
            ("1.5".into(), 1),
            "a sum of the amounts stated, with how many state one"
        );
        assert_eq!(last.batches[2].investment.plain(), "2");
    }

    #[test]
    fn conversions_per_period_and_where_the_period_is_unknown() {
        let ps = [
            project("name: a\nbatch: producing\nperiod: 3\nhistory: [{period: 1, batch: signed}, {period: 2, batch: started}]"),
            project("name: b\nbatch: started\nperiod: 2\nhistory: [{batch: signed}]"),
            project("name: c\nbatch: producing\nhistory: [{period: 2, batch: started}]"),
            // started without ever being signed: not a conversion
            project("name: d\nbatch: started\nperiod: 3"),
        ];
        let rows = conversions(&ps, &[1, 2, 3]);
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.period, r.signed_started, r.started_producing))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some(1), 0, 0),
                (Some(2), 2, 0),
                (Some(3), 0, 1),
                (None, 0, 1)
            ]
        );
        assert!(conversions(&ps[..1], &[1, 2, 3])
            .iter()
            .all(|r| r.period.is_some()));
        assert!(by_period(&ps, &[]).is_empty());
    }
}
