//! The rate chain the province evaluates by (FORMAT.md, "The rate chain"): 签约项目履约率 →
//! 履约项目开工率 → 开工项目投产率 → 投产项目达效率, each over the projects that passed the
//! stage before, next to the batch rates of [`super::indicators`].

use super::indicators::tenths;
use super::FigureSource;
use crate::content::project::Project;
use crate::model::{Batch, Progress};

/// One link of the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The state the link reaches, as in `indicators.csv`.
    pub state: Progress,
    pub reached: u64,
    pub of: u64,
    /// In tenths of a percent, rounded half up.
    pub tenths: u64,
    /// `Entries`, or `Partial` when projects whose progress does not settle the question
    /// were left out (here or in the link its base comes from).
    pub source: FigureSource,
}

impl Link {
    /// `signed_fulfilled` …: the key of its label.
    pub fn label_key(&self) -> &'static str {
        match self.state {
            Progress::Fulfilled => "chain.fulfilled",
            Progress::UnderConstruction => "chain.under_construction",
            Progress::InProduction => "chain.in_production",
            _ => "chain.at_capacity",
        }
    }

    pub fn rate_text(&self) -> String {
        format!("{}.{}", self.tenths / 10, self.tenths % 10)
    }
}

/// Whether `p` was ever in batch `b`: its current batch or an entry of its history.
fn ever(p: &Project, b: Batch) -> bool {
    p.batch == b || p.history.iter().any(|h| h.batch == b)
}

/// Whether `p` reached `state`: Some(yes or no), or None when its progress is absent and its
/// batch does not settle the question. `moved_on` is the batch whose projects have passed
/// the state by being in it.
fn reached(p: &Project, state: Progress, moved_on: &[Batch]) -> Option<bool> {
    if moved_on.contains(&p.batch) {
        return Some(true);
    }
    p.progress.map(|g| g >= state)
}

/// One link over `base`: its row (None with no project judged), the projects that passed,
/// and whether it is partial.
fn link<'a>(
    base: &[&'a Project],
    state: Progress,
    moved_on: &[Batch],
    partial_before: bool,
) -> (Option<Link>, Vec<&'a Project>, bool) {
    let judged: Vec<(&'a Project, Option<bool>)> = base
        .iter()
        .map(|p| (*p, reached(p, state, moved_on)))
        .collect();
    let left_out = judged.iter().any(|j| j.1.is_none());
    let passed: Vec<&'a Project> = judged
        .iter()
        .filter(|j| j.1 == Some(true))
        .map(|j| j.0)
        .collect();
    let of = judged.iter().filter(|j| j.1.is_some()).count() as u64;
    let partial = left_out || partial_before;
    let source = if partial {
        FigureSource::Partial
    } else {
        FigureSource::Entries
    };
    let row = tenths(passed.len() as i128, of as i128).map(|t| Link {
        state,
        reached: passed.len() as u64,
        of,
        tenths: t,
        source,
    });
    (row, passed, partial)
}

/// The chain over `projects`; a link with no project in its base has no row.
pub fn compute(projects: &[&Project]) -> Vec<Link> {
    let mut out = Vec::new();
    // 签约项目履约率: of the projects ever signed, those fulfilled or moved on.
    let signed: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| ever(p, Batch::Signed))
        .collect();
    let moved_on = [Batch::Started, Batch::Producing];
    let (first, fulfilled, partial) = link(&signed, Progress::Fulfilled, &moved_on, false);
    out.extend(first);
    // 履约项目开工率: of those, the ones that started.
    let (second, _, _) = link(&fulfilled, Progress::UnderConstruction, &moved_on, partial);
    out.extend(second);
    // 开工项目投产率: of the projects ever started, those in production or moved on to producing.
    let started: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| ever(p, Batch::Started))
        .collect();
    let (third, _, _) = link(&started, Progress::InProduction, &[Batch::Producing], false);
    out.extend(third);
    // 投产项目达效率: of the projects ever producing, those at capacity.
    let producing: Vec<&Project> = projects
        .iter()
        .copied()
        .filter(|p| ever(p, Batch::Producing))
        .collect();
    let (fourth, _, _) = link(&producing, Progress::AtCapacity, &[], false);
    out.extend(fourth);
    out
}

#[cfg(test)]
mod tests {
    use super::super::testing::project;
    use super::*;

    #[test]
    fn each_link_is_over_the_projects_that_passed_the_stage_before() {
        let ps = [
            project("name: a\nbatch: signed\nperiod: 1\nprogress: fulfilled"),
            project("name: b\nbatch: signed\nperiod: 1\nprogress: pending"),
            project("name: c\nbatch: signed\nperiod: 1"),
            project("name: d\nbatch: started\nperiod: 2\nhistory: [{period: 1, batch: signed}]\nprogress: in_production"),
            project("name: e\nbatch: producing\nperiod: 2\nprogress: at_capacity"),
            project("name: f\nbatch: started\nperiod: 1"),
        ];
        let refs: Vec<&Project> = ps.iter().collect();
        let got: Vec<(Progress, u64, u64, String, &str)> = compute(&refs)
            .iter()
            .map(|l| (l.state, l.reached, l.of, l.rate_text(), l.source.key()))
            .collect();
        assert_eq!(
            got,
            vec![
                // a, b, d judged (c left out): a fulfilled, d moved on.
                (Progress::Fulfilled, 2, 3, "66.7".into(), "partial"),
                // a and d: d started; partial because its base is.
                (Progress::UnderConstruction, 1, 2, "50.0".into(), "partial"),
                // d and f ever started: d in production, f left out.
                (Progress::InProduction, 1, 1, "100.0".into(), "partial"),
                // e entered as producing: never started, but ever producing, at capacity.
                (Progress::AtCapacity, 1, 1, "100.0".into(), "entries"),
            ]
        );
    }
}
