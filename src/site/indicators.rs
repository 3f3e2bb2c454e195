//! The campaign's rates (履约率, 开工率, 投产率, 达效率, 年度投资完成率), computed once, exactly,
//! with the source rule of FORMAT.md ("Indicators"): the entries when every project of the
//! batch states its progress, else the latest period's declared count, else a partial rate
//! over the projects that state it; and no rate at all when nothing stands behind it.

use super::{BatchStats, FigureSource};
use crate::amount::Amount;
use crate::content::period::Declared;
use crate::content::project::Project;
use crate::model::{Batch, Progress};

/// The header of `indicators.csv` (FORMAT.md).
pub const CSV_HEAD: [&str; 7] = [
    "indicator",
    "label",
    "batch",
    "reached",
    "of",
    "rate",
    "source",
];

/// The rates of FORMAT.md, in the order they are shown: the batch and the state reached.
pub const RATES: [(Batch, Progress); 4] = [
    (Batch::Signed, Progress::Fulfilled),
    (Batch::Started, Progress::UnderConstruction),
    (Batch::Started, Progress::InProduction),
    (Batch::Producing, Progress::AtCapacity),
];

/// What a rate counts: projects, or amounts (年度投资完成率).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count { reached: u64, of: u64 },
    Money { reached: Amount, of: Amount },
}

/// One rate: a row of `indicators.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    /// The state reached, or None for 年度投资完成率.
    pub state: Option<Progress>,
    /// The batch, or None for all batches (年度投资完成率 only).
    pub batch: Option<Batch>,
    pub measure: Measure,
    pub source: FigureSource,
    /// The rate in tenths of a percent, rounded half up: 857 for 85.7%.
    pub tenths: u64,
}

impl Indicator {
    /// The CSV key: the state, or `completion`.
    pub fn key(&self) -> &'static str {
        self.state.map_or("completion", Progress::key)
    }

    /// `85.7`.
    pub fn rate_text(&self) -> String {
        format!("{}.{}", self.tenths / 10, self.tenths % 10)
    }
}

/// `reached / of` as a percentage in tenths, rounded half up, in integers; None when `of` is
/// not positive.
pub fn tenths(reached: i128, of: i128) -> Option<u64> {
    if of <= 0 || reached < 0 {
        return None;
    }
    // round(1000 * r / o) = floor((2000 * r + o) / (2 * o))
    u64::try_from((2000 * reached + of) / (2 * of)).ok()
}

/// Every rate that has something to stand on, in the order of [`RATES`], then 年度投资完成率 per
/// batch and for all batches.
pub(super) fn compute(
    projects: &[Project],
    batches: &[BatchStats],
    latest: Option<&Declared>,
) -> Vec<Indicator> {
    let mut out: Vec<Indicator> = RATES
        .iter()
        .filter_map(|&(b, state)| progress_rate(projects, &batches[b.index()], latest, state))
        .collect();
    for s in batches {
        let members: Vec<&Project> = s.projects.iter().map(|&i| &projects[i]).collect();
        out.extend(completion(&members, Some(s.batch)));
    }
    out.extend(completion(&projects.iter().collect::<Vec<_>>(), None));
    out
}

/// The share of batch `s`'s projects that have reached at least `state`.
fn progress_rate(
    projects: &[Project],
    s: &BatchStats,
    latest: Option<&Declared>,
    state: Progress,
) -> Option<Indicator> {
    let members: Vec<&Project> = s.projects.iter().map(|&i| &projects[i]).collect();
    let stating: Vec<Progress> = members.iter().filter_map(|p| p.progress).collect();
    let reached_by = |ps: &[Progress]| ps.iter().filter(|&&p| p >= state).count() as u64;
    let declared = latest.and_then(|d| d.batch(s.batch)).and_then(|f| {
        f.progress
            .as_ref()
            .and_then(|m| m.get(&state))
            .map(|&n| (n, f.count))
    });
    let (reached, of, source) = if !members.is_empty() && stating.len() == members.len() {
        (
            reached_by(&stating),
            members.len() as u64,
            FigureSource::Entries,
        )
    } else if let Some((n, count)) = declared {
        (
            n,
            count.unwrap_or(members.len() as u64),
            FigureSource::Declared,
        )
    } else {
        (
            reached_by(&stating),
            stating.len() as u64,
            FigureSource::Partial,
        )
    };
    let tenths = tenths(i128::from(reached), i128::from(of))?;
    Some(Indicator {
        state: Some(state),
        batch: Some(s.batch),
        measure: Measure::Count { reached, of },
        source,
        tenths,
    })
}

/// 年度投资完成率 of `members`: completed over planned, over the projects that state both.
fn completion(members: &[&Project], batch: Option<Batch>) -> Option<Indicator> {
    let both: Vec<(Amount, Amount)> = members
        .iter()
        .filter_map(|p| Some((p.invested?, p.annual_plan?)))
        .collect();
    let reached: Amount = both.iter().map(|x| x.0).sum();
    let of: Amount = both.iter().map(|x| x.1).sum();
    let tenths = tenths(
        i128::from(reached.millionths()),
        i128::from(of.millionths()),
    )?;
    let source = if both.len() == members.len() {
        FigureSource::Entries
    } else {
        FigureSource::Partial
    };
    Some(Indicator {
        state: None,
        batch,
        measure: Measure::Money { reached, of },
        source,
        tenths,
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{declared, project};
    use super::*;

    fn rows(projects: &[Project], d: Option<&Declared>) -> Vec<(String, String, String, String)> {
        let batches = super::super::totals::batches(projects, d);
        compute(projects, &batches, d)
            .iter()
            .map(|i| {
                let (r, o) = match i.measure {
                    Measure::Count { reached, of } => (reached.to_string(), of.to_string()),
                    Measure::Money { reached, of } => (reached.plain(), of.plain()),
                };
                (
                    format!("{}/{}", i.key(), i.batch.map_or("all", Batch::key)),
                    format!("{r}/{o}"),
                    i.rate_text(),
                    i.source.key().to_string(),
                )
            })
            .collect()
    }

    fn row(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
        (a.into(), b.into(), c.into(), d.into())
    }

    #[test]
    fn rates_round_half_up_in_integers() {
        assert_eq!(tenths(6, 7), Some(857));
        assert_eq!(tenths(1, 8), Some(125)); // 12.5 exactly
        assert_eq!(tenths(1, 16), Some(63)); // 6.25 → 6.3
        assert_eq!(tenths(2, 3), Some(667));
        assert_eq!(tenths(0, 5), Some(0));
        assert_eq!(tenths(3, 0), None);
    }

    #[test]
    fn rates_from_the_entries() {
        let ps = [
            project("name: a\nbatch: producing\nperiod: 1\nprogress: at_capacity"),
            project("name: b\nbatch: producing\nperiod: 1\nprogress: in_production"),
            project("name: c\nbatch: producing\nperiod: 1\nprogress: at_capacity"),
            project("name: d\nbatch: started\nperiod: 1\nprogress: in_production\nannual_plan: 3\ninvested: 1"),
            project("name: e\nbatch: started\nperiod: 1\nprogress: pending\nannual_plan: 0.0003\ninvested: 0.0001"),
        ];
        // The latest period declares other counts: the entries win where all state theirs.
        let d = declared("  producing: {count: 3, progress: {at_capacity: 1}}");
        assert_eq!(
            rows(&ps, Some(&d)),
            vec![
                row("under_construction/started", "1/2", "50.0", "entries"),
                row("in_production/started", "1/2", "50.0", "entries"),
                row("at_capacity/producing", "2/3", "66.7", "entries"),
                row("completion/started", "1.0001/3.0003", "33.3", "entries"),
                row("completion/all", "1.0001/3.0003", "33.3", "partial"),
            ],
            "the signed batch has no projects and no declaration: no row, never a 0"
        );
    }

    #[test]
    fn rates_from_the_declarations() {
        let ps = [
            project("name: a\nbatch: started\nperiod: 1"),
            project("name: b\nbatch: producing\nperiod: 1"),
        ];
        let d = declared(
            "  started: {count: 24, progress: {under_construction: 14, in_production: 4}}\n  producing: {progress: {at_capacity: 1}}\n  signed: {count: 6, progress: {fulfilled: 3}}",
        );
        assert_eq!(
            rows(&ps, Some(&d)),
            vec![
                row("fulfilled/signed", "3/6", "50.0", "declared"),
                row("under_construction/started", "14/24", "58.3", "declared"),
                row("in_production/started", "4/24", "16.7", "declared"),
                row("at_capacity/producing", "1/1", "100.0", "declared"),
            ],
            "a batch with no projects takes its declared count; without a count, its projects"
        );
    }

    #[test]
    fn partial_rates_and_rates_that_cannot_be_computed() {
        let ps = [
            project("name: a\nbatch: started\nperiod: 1\nprogress: under_construction\nannual_plan: 2\ninvested: 1"),
            project("name: b\nbatch: started\nperiod: 1\nannual_plan: 5"),
            project("name: c\nbatch: started\nperiod: 1\nprogress: pending"),
            project("name: d\nbatch: producing\nperiod: 1\nannual_plan: 0\ninvested: 0"),
            project("name: e\nbatch: signed\nperiod: 1"),
        ];
        // Declared figures without progress counts do not make a rate.
        let d = declared("  started: {count: 3, investment: 9}\n  signed: {count: 1}");
        assert_eq!(
            rows(&ps, Some(&d)),
            vec![
                row("under_construction/started", "1/2", "50.0", "partial"),
                row("in_production/started", "0/2", "0.0", "partial"),
                row("completion/started", "1/2", "50.0", "partial"),
                row("completion/all", "1/2", "50.0", "partial"),
            ],
            "no progress in signed or producing, a plan of 0: no row"
        );
    }
}
