//! The pool over time: which batch each project was in as of each period, rebuilt from its
//! `period` and `history`, and the moves between batches in each period (签约转开工, 开工转投产).
//!
//! Only the projects the site holds are counted: a project dropped from the pool before the
//! latest period is not in the content, so earlier pools may be smaller than they were. A
//! batch's figures as of a period are *established* only where the entries hold that whole
//! batch: as of a period that declares the batch's count and the entries give the same count,
//! or as of the latest period when it declares none (the entries are then the pool). Elsewhere
//! a count of 0 says only that the site holds no such project, and is shown as unknown.

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
    /// Per batch: whether the entries hold every project the batch had as of this period.
    pub established: [bool; 3],
}

impl PoolRow {
    /// The batch's count as of this period, or None where it is 0 and not established.
    pub fn count(&self, b: Batch) -> Option<usize> {
        let n = self.batches[b.index()].projects;
        (n > 0 || self.established[b.index()]).then_some(n)
    }
}

/// A period with the counts it declares per batch (signed, started, producing).
pub(super) type PeriodCounts = (u32, [Option<u64>; 3]);

/// The moves between batches in one period (None: in a period the source does not state).
/// A count is None where it is 0 and the batch moved into is not established as of the
/// period: the site cannot tell that no project moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionRow {
    pub period: Option<u32>,
    /// 签约转开工.
    pub signed_started: Option<usize>,
    /// 开工转投产.
    pub started_producing: Option<usize>,
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

/// The pool as of each of `periods` (ascending).
pub(super) fn by_period(projects: &[Project], periods: &[PeriodCounts]) -> Vec<PoolRow> {
    by_period_of(projects.iter(), periods)
}

/// The pool of some projects (a region's) as of each of `periods`, with the counts declared
/// for them.
pub(super) fn by_period_of<'a>(
    projects: impl Iterator<Item = &'a Project> + Clone,
    periods: &[PeriodCounts],
) -> Vec<PoolRow> {
    let Some(&(latest, _)) = periods.last() else {
        return Vec::new();
    };
    periods
        .iter()
        .map(|&(n, declared)| {
            let mut batches = [PoolCell::default(); 3];
            let mut unplaced = [0; 3];
            for p in projects.clone() {
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
            let established = std::array::from_fn(|i| match declared[i] {
                Some(c) => c == batches[i].projects as u64,
                None => n == latest,
            });
            PoolRow {
                period: n,
                batches,
                unplaced,
                established,
            }
        })
        .collect()
}

/// The moves in each period of `pool`, then, when any move's period is unknown, a row for
/// those (where a 0 establishes nothing).
pub(super) fn conversions(projects: &[Project], pool: &[PoolRow]) -> Vec<ConversionRow> {
    let count = |from: Batch, to: Batch, r: Option<&PoolRow>| {
        let n = projects
            .iter()
            .filter(|p| p.entry(to, r.map(|r| r.period)) == Some(Some(from)))
            .count();
        (n > 0 || r.is_some_and(|r| r.established[to.index()])).then_some(n)
    };
    let row = |r: Option<&PoolRow>| ConversionRow {
        period: r.map(|r| r.period),
        signed_started: count(Batch::Signed, Batch::Started, r),
        started_producing: count(Batch::Started, Batch::Producing, r),
    };
    let mut rows: Vec<ConversionRow> = pool.iter().map(|r| row(Some(r))).collect();
    let unknown = row(None);
    if unknown.signed_started.is_some() || unknown.started_producing.is_some() {
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

    /// Periods that declare no counts.
    fn silent(numbers: &[u32]) -> Vec<PeriodCounts> {
        numbers.iter().map(|&n| (n, [None; 3])).collect()
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
        let pool = by_period(&ps, &silent(&[1, 2, 3]));
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
        let rows = conversions(&ps, &by_period(&ps, &silent(&[1, 2, 3])));
        let got: Vec<_> = rows
            .iter()
            .map(|r| (r.period, r.signed_started, r.started_producing))
            .collect();
        assert_eq!(
            got,
            vec![
                // Earlier periods declare nothing: a 0 there is unknown.
                (Some(1), None, None),
                (Some(2), Some(2), None),
                // The latest period's pool is the entries: its zeros are zeros.
                (Some(3), Some(0), Some(1)),
                (None, None, Some(1))
            ]
        );
        assert!(
            conversions(&ps[..1], &by_period(&ps[..1], &silent(&[1, 2, 3])))
                .iter()
                .all(|r| r.period.is_some())
        );
        assert!(by_period(&ps, &[]).is_empty());
    }

    #[test]
    fn a_batch_is_established_where_a_declared_count_matches_the_entries() {
        let ps = [
            project("name: a\nbatch: started\nperiod: 2\nhistory: [{period: 1, batch: signed}]"),
            project("name: b\nbatch: producing\nperiod: 1"),
        ];
        // Period 1 declares 1 signed (the entries hold it) and 3 producing (they hold 1);
        // period 2 declares 0 signed, which the entries establish, and 2 started (they hold 1).
        let periods = [(1, [Some(1), None, Some(3)]), (2, [Some(0), Some(2), None])];
        let pool = by_period(&ps, &periods);
        assert_eq!(pool[0].established, [true, false, false]);
        assert_eq!(pool[1].established, [true, false, true]);
        assert_eq!(
            Batch::ALL.map(|b| pool[0].count(b)),
            [Some(1), None, Some(1)],
            "a 0 not established is unknown; a count the entries hold stays"
        );
        assert_eq!(
            Batch::ALL.map(|b| pool[1].count(b)),
            [Some(0), Some(1), Some(1)]
        );
        let moves = conversions(&ps, &pool);
        assert_eq!(
            moves
                .iter()
                .map(|r| (r.signed_started, r.started_producing))
                .collect::<Vec<_>>(),
            vec![(None, None), (Some(1), Some(0))]
        );
    }
}
