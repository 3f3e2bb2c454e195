//! The campaign's rates (履约率, 开工率, 投产率, 达效率, 年度投资完成率), computed once, exactly,
//! with the source rule of FORMAT.md ("Indicators"): the entries when every project of the
//! batch states its progress, else the latest period's declared count, else a partial rate
//! over the projects that state it; and no rate at all when nothing stands behind it.

use super::{BatchStats, FigureSource};
use crate::amount::Amount;
use crate::content::period::{Declared, Figures};
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

pub use crate::model::RATES;

/// What a rate counts: projects, or amounts (年度投资完成率).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count {
        reached: u64,
        of: u64,
    },
    Money {
        reached: Amount,
        of: Amount,
    },
    /// A rate the source published as a percentage, without the counts behind it.
    Published,
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
    /// Whether the source published the rate itself (公布), rather than the counts sanpi
    /// computed it from (按公布数计算). Only a `Declared` rate can be published.
    pub published: bool,
}

impl Indicator {
    /// The CSV key: the state, or `completion`.
    pub fn key(&self) -> &'static str {
        self.state.map_or("completion", Progress::key)
    }

    /// The key of the label that says what the rate stands on: 公布 (the source's own rate),
    /// 按公布数计算 (sanpi's arithmetic on published counts), else the figure source's.
    pub fn source_label_key(&self) -> &'static str {
        match (self.source, self.published) {
            (FigureSource::Declared, true) => "rate.published",
            (FigureSource::Declared, false) => "rate.computed",
            (FigureSource::Entries, _) => "source.entries",
            // Rates are never summed from subregions.
            (FigureSource::Regions, _) => "source.regions",
            (FigureSource::Partial, _) => "source.partial",
        }
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
    let members = Batch::ALL.map(|b| {
        batches[b.index()]
            .projects
            .iter()
            .map(|&i| &projects[i])
            .collect::<Vec<_>>()
    });
    let figures = Batch::ALL.map(|b| latest.and_then(|d| d.batch(b)));
    compute_for(&members, &projects.iter().collect::<Vec<_>>(), figures)
}

/// The rates of a set of projects (a region's): `members` are its projects of each batch
/// (signed, started, producing), `all` every one of them, and `figures` what is declared of
/// each batch (its progress counts, count and published rates).
pub(super) fn compute_for(
    members: &[Vec<&Project>; 3],
    all: &[&Project],
    figures: [Option<&Figures>; 3],
) -> Vec<Indicator> {
    let mut out: Vec<Indicator> = RATES
        .iter()
        .filter_map(|&(b, state)| progress_rate(&members[b.index()], b, figures[b.index()], state))
        .collect();
    for b in Batch::ALL {
        out.extend(completion(&members[b.index()], Some(b)));
    }
    out.extend(completion(all, None));
    out
}

/// The share of batch `batch`'s projects (`members`) that have reached at least `state`.
fn progress_rate(
    members: &[&Project],
    batch: Batch,
    figures: Option<&Figures>,
    state: Progress,
) -> Option<Indicator> {
    let stating: Vec<Progress> = members.iter().filter_map(|p| p.progress).collect();
    let reached_by = |ps: &[Progress]| ps.iter().filter(|&&p| p >= state).count() as u64;
    let count = figures.and_then(|f| f.progress.as_ref()?.get(&state).copied());
    let rate = figures.and_then(|f| f.rates.as_ref()?.get(&state).copied());
    let of_declared = figures
        .and_then(|f| f.count)
        .unwrap_or(members.len() as u64);
    let (measure, source, published) = if !members.is_empty() && stating.len() == members.len() {
        let m = Measure::Count {
            reached: reached_by(&stating),
            of: members.len() as u64,
        };
        (m, FigureSource::Entries, false)
    } else if let Some(n) = count {
        let m = Measure::Count {
            reached: n,
            of: of_declared,
        };
        (m, FigureSource::Declared, rate.is_some())
    } else if rate.is_some() {
        (Measure::Published, FigureSource::Declared, true)
    } else {
        let m = Measure::Count {
            reached: reached_by(&stating),
            of: stating.len() as u64,
        };
        (m, FigureSource::Partial, false)
    };
    // A published rate is shown as published; any other is computed from its counts.
    let tenths = match (published, rate, measure) {
        (true, Some(r), _) => r.tenths,
        (_, _, Measure::Count { reached, of }) => tenths(i128::from(reached), i128::from(of))?,
        _ => return None,
    };
    Some(Indicator {
        state: Some(state),
        batch: Some(batch),
        measure,
        source,
        tenths,
        published,
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
        published: false,
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
                    Measure::Published => (String::new(), String::new()),
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
    fn a_published_rate_is_told_from_one_computed_from_published_counts() {
        let ps = [project("name: a\nbatch: producing\nperiod: 1")];
        let d = declared(
            "  producing: {count: 7, progress: {at_capacity: 6}, rates: {at_capacity: 85.7}}\n  signed: {count: 6, progress: {fulfilled: 3}}\n  started: {rates: {under_construction: 58.3}}",
        );
        let batches = super::super::totals::batches(&ps, Some(&d));
        let got: Vec<(String, String, bool)> = compute(&ps, &batches, Some(&d))
            .iter()
            .filter(|i| i.state.is_some())
            .map(|i| (i.key().to_string(), i.rate_text(), i.published))
            .collect();
        assert_eq!(
            got,
            vec![
                ("fulfilled".into(), "50.0".into(), false),
                ("under_construction".into(), "58.3".into(), true),
                ("at_capacity".into(), "85.7".into(), true),
            ],
            "3 of 6 is sanpi's arithmetic; 85.7 and 58.3 are the source's own"
        );
        let only_rate = compute(&ps, &batches, Some(&d))
            .into_iter()
            .find(|i| i.key() == "under_construction")
            .unwrap();
        assert_eq!(only_rate.measure, Measure::Published);
        assert_eq!(only_rate.source, FigureSource::Declared);
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
