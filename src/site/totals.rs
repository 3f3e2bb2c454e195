//! The exact totals of batches and sectors, and where each headline figure comes from.

use super::{BatchStats, FigureSource, Sector};
use crate::amount::Amount;
use crate::content::period::Declared;
use crate::content::project::Project;
use crate::model::Batch;
use std::collections::BTreeMap;

/// Indexes of the projects `keep` accepts, and the amounts they state.
fn members(projects: &[Project], keep: impl Fn(&Project) -> bool) -> (Vec<usize>, Vec<Amount>) {
    let idx: Vec<usize> = (0..projects.len())
        .filter(|&i| keep(&projects[i]))
        .collect();
    let amounts = idx.iter().filter_map(|&i| projects[i].investment).collect();
    (idx, amounts)
}

/// Each batch's projects and figures. The headline figure is the exact sum when every
/// project states an amount, else the latest period's declared figure, else the partial sum.
pub(super) fn batches(projects: &[Project], latest: Option<&Declared>) -> Vec<BatchStats> {
    Batch::ALL
        .iter()
        .map(|&b| {
            let (idx, amounts) = members(projects, |p| p.batch == b);
            let sum: Amount = amounts.iter().sum();
            let declared = latest.and_then(|d| d.batch(b).cloned());
            let (investment, source) = if amounts.len() == idx.len() {
                (Some(sum), FigureSource::Entries)
            } else if let Some(x) = declared.as_ref().and_then(|d| d.investment) {
                (Some(x), FigureSource::Declared)
            } else {
                // A batch whose projects state no amount has no figure at all, never 0.
                ((!amounts.is_empty()).then_some(sum), FigureSource::Partial)
            };
            BatchStats {
                batch: b,
                with_amount: amounts.len(),
                projects: idx,
                sum,
                declared,
                investment,
                source,
            }
        })
        .collect()
}

/// Each sector's projects and the sum of their amounts, by slug.
pub(super) fn sectors(projects: &[Project], by_slug: BTreeMap<String, String>) -> Vec<Sector> {
    // The projects of each sector, found in one pass (a pass per sector compared every
    // project's sector with each name: at 10,000 projects and 20 sectors, 200,000 times).
    let mut of: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    for (i, p) in projects.iter().enumerate() {
        if let Some(s) = p.sector.as_deref() {
            of.entry(s).or_default().push(i);
        }
    }
    by_slug
        .into_iter()
        .map(|(slug, name)| {
            let idx = of.get(name.as_str()).cloned().unwrap_or_default();
            let amounts: Vec<Amount> = idx.iter().filter_map(|&i| projects[i].investment).collect();
            Sector {
                name,
                slug,
                sum: amounts.iter().sum(),
                with_amount: amounts.len(),
                projects: idx,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testing::{declared, project};
    use super::*;

    #[test]
    fn the_headline_figure_is_exact_then_declared_then_partial() {
        let projects = [
            project("name: a\nbatch: signed\nperiod: 1\ninvestment: 1.5"),
            project("name: b\nbatch: signed\nperiod: 1\ninvestment: 2.25"),
            project("name: c\nbatch: started\nperiod: 1\ninvestment: 4"),
            project("name: d\nbatch: started\nperiod: 1"),
            project("name: e\nbatch: producing\nperiod: 1"),
        ];
        let d = declared("  started: {count: 2, investment: 10}\n  signed: {investment: 99}");
        let b = batches(&projects, Some(&d));
        let got: Vec<_> = b
            .iter()
            .map(|s| (s.investment.map(|a| a.plain()), s.source, s.missing()))
            .collect();
        assert_eq!(
            got,
            vec![
                (Some("3.75".into()), FigureSource::Entries, 0),
                (Some("10".into()), FigureSource::Declared, 1),
                (None, FigureSource::Partial, 1),
            ]
        );
        assert_eq!(
            b[1].sum.plain(),
            "4",
            "the entries' own sum is kept beside it"
        );
    }

    #[test]
    fn sectors_sum_their_projects() {
        let projects = [
            project("name: a\nbatch: signed\nperiod: 1\ninvestment: 1.5\nsector: 新材料"),
            project("name: b\nbatch: started\nperiod: 1\nsector: 新材料"),
            project("name: c\nbatch: started\nperiod: 1\ninvestment: 2\nsector: 物联网"),
        ];
        let by_slug = BTreeMap::from([
            ("wu-lian-wang".to_string(), "物联网".to_string()),
            ("xin-cai-liao".to_string(), "新材料".to_string()),
        ]);
        let s = sectors(&projects, by_slug);
        assert_eq!(s[1].projects, vec![0, 1]);
        assert_eq!((s[1].sum.plain(), s[1].with_amount), ("1.5".into(), 1));
    }
}
