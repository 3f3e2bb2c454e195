//! Each target's progress (FORMAT.md, "Targets and time progress"): what was achieved (the
//! entries' exact sum, else the latest reported figure, else a partial sum), its share of the
//! target, the time progress (the month, or the plan for it) and how far ahead or behind.

use super::FigureSource;
use crate::amount::Amount;
use crate::content::period::Period;
use crate::content::project::Project;
use crate::content::regions::Regions;
use crate::content::targets::{Measure, Target, Targets};
use crate::diagnostics::Diagnostics;
use crate::yaml::Key;
use chrono::Datelike;

/// A target's progress.
#[derive(Debug, Clone)]
pub struct Progress {
    /// Index into `Site::targets`, and of the target in that file.
    pub file: usize,
    pub target: usize,
    /// None where nothing stands behind a figure (未载明, never 0).
    pub achieved: Option<Amount>,
    pub source: Option<FigureSource>,
    /// The month (1–12) the figure is as of: the latest period dated in the year, or the
    /// reported month.
    pub as_of: Option<u32>,
    /// In tenths of a percentage point, rounded half away from zero.
    pub share: Option<i64>,
    pub time_share: Option<i64>,
    pub ahead: Option<i64>,
    /// How many projects it counts (or sums), and how many it could not judge (no tags or
    /// sector where its filter needs one).
    pub counted: usize,
    pub unknown: usize,
}

/// `n / d` in tenths, rounded half away from zero (`d` > 0).
fn tenths(n: i128, d: i128) -> i64 {
    let x = n * 10;
    let (q, r) = (x / d, x % d);
    let q = if 2 * r.abs() >= d { q + x.signum() } else { q };
    i64::try_from(q).unwrap_or(0)
}

/// `85.7`, `-5.7`, `0.0` (never `-0.0`).
pub fn tenths_text(t: i64) -> String {
    let sign = if t < 0 { "-" } else { "" };
    format!("{sign}{}.{}", t.abs() / 10, t.abs() % 10)
}

/// Whether a target keeps project `p`: Some(true) or Some(false) when it can judge, None when
/// a key its filter needs is unknown and no known key already excludes it.
fn keeps(t: &Target, p: &Project) -> Option<bool> {
    let tags = if t.tags.is_empty() {
        Some(true)
    } else {
        p.tags
            .as_ref()
            .map(|have| t.tags.iter().all(|x| have.contains(x)))
    };
    let sector = if t.sectors.is_empty() {
        Some(true)
    } else {
        p.sector.as_ref().map(|s| t.sectors.contains(s))
    };
    match (tags, sector) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// The progress of every target of every file, file by file.
pub fn compute(
    files: &[Targets],
    projects: &[Project],
    region_of: &[Option<usize>],
    tree: &Regions,
    periods: &[Period],
) -> Vec<Progress> {
    let mut out = Vec::new();
    let members_of = tree.members(region_of);
    for (f, file) in files.iter().enumerate() {
        let region = file.region.as_deref().and_then(|p| tree.find(p));
        let in_year: Vec<u32> = periods
            .iter()
            .filter(|p| p.date.is_some_and(|d| d.0.year() == file.year))
            .map(|p| p.number)
            .collect();
        let latest_month = periods
            .iter()
            .filter_map(|p| p.date)
            .filter(|d| d.0.year() == file.year)
            .map(|d| d.0.month())
            .max();
        let members: Vec<&Project> = match region {
            Some(r) => members_of[r].iter().map(|&i| &projects[i]).collect(),
            None => projects.iter().collect(),
        };
        for (k, t) in file.targets.iter().enumerate() {
            let entering: Vec<&Project> = members
                .iter()
                .copied()
                .filter(|p| match t.batch {
                    Some(b) => p
                        .steps()
                        .any(|(sb, n)| sb == b && n.is_some_and(|n| in_year.contains(&n))),
                    None => true,
                })
                .collect();
            let judged: Vec<(&Project, Option<bool>)> =
                entering.iter().map(|p| (*p, keeps(t, p))).collect();
            let unknown = judged.iter().filter(|j| j.1.is_none()).count();
            let kept: Vec<&Project> = judged
                .iter()
                .filter(|j| j.1 == Some(true))
                .map(|j| j.0)
                .collect();
            let figure = |p: &Project| match t.measure {
                Measure::Investment => p.investment,
                Measure::Invested => p.invested,
                Measure::Projects => Some(Amount::from_millionths(1_000_000)),
            };
            let stated: Vec<Amount> = kept.iter().filter_map(|p| figure(p)).collect();
            let reported = file
                .reported
                .iter()
                .rev()
                .find_map(|r| r.values.get(&t.id).map(|v| (r.month, *v)));
            let all_unknown = !entering.is_empty() && unknown == entering.len();
            let (achieved, source, as_of) = if unknown == 0
                && (t.measure == Measure::Projects
                    || (!kept.is_empty() && stated.len() == kept.len()))
            {
                (
                    Some(stated.iter().sum()),
                    Some(FigureSource::Entries),
                    latest_month,
                )
            } else if let Some((month, v)) = reported {
                (Some(v), Some(FigureSource::Declared), Some(month))
            } else if !all_unknown && (t.measure == Measure::Projects || !stated.is_empty()) {
                (
                    Some(stated.iter().sum()),
                    Some(FigureSource::Partial),
                    latest_month,
                )
            } else {
                (None, None, latest_month)
            };
            let at_least = i128::from(t.at_least.millionths());
            // Each as a fraction (numerator, denominator) of percentage points, exactly.
            let share = achieved.map(|a| (i128::from(a.millionths()) * 100, at_least));
            let time = as_of.map(|m| match t.plan.get(&m) {
                Some(plan) => (i128::from(plan.millionths()) * 100, at_least),
                None => (i128::from(m) * 100, 12),
            });
            let ahead = match (share, time) {
                (Some((a, b)), Some((c, d))) => Some(tenths(a * d - c * b, b * d)),
                _ => None,
            };
            out.push(Progress {
                file: f,
                target: k,
                achieved,
                source,
                as_of,
                share: share.map(|(n, d)| tenths(n, d)),
                time_share: time.map(|(n, d)| tenths(n, d)),
                ahead,
                counted: kept.len(),
                unknown,
            });
        }
    }
    out
}

/// A file's region and its targets' sectors must exist: errors at their keys.
pub(super) fn check(
    files: &[Targets],
    tree: Option<&Regions>,
    sectors: &[String],
    diags: &mut Diagnostics,
) {
    for file in files {
        if let Some(path) = &file.region {
            if tree.and_then(|t| t.find(path)).is_none() {
                let hint = tree.and_then(|t| t.suggest(path)).unwrap_or_else(|| {
                    "a region is named by its path in content/regions.yaml, such as zhengzhou/gaoxin".into()
                });
                diags.push(
                    file.origin
                        .error(
                            &[Key::Field("region")],
                            format!("there is no region `{path}`"),
                        )
                        .with_hint(hint),
                );
            }
        }
        for (i, t) in file.targets.iter().enumerate() {
            for (j, s) in t.sectors.iter().enumerate() {
                if !sectors.contains(s) {
                    let at = [
                        Key::Field("targets"),
                        Key::Index(i),
                        Key::Field("sectors"),
                        Key::Index(j),
                    ];
                    diags.push(
                        file.origin
                            .error(&at, format!("no project has the sector {s}"))
                            .with_hint("name a sector as the projects write it"),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_is_half_away_from_zero_and_never_minus_zero() {
        assert_eq!(tenths(693, 10), 693);
        assert_eq!(tenths(1, 400), 0);
        assert_eq!(tenths(-1, 400), 0);
        assert_eq!(tenths_text(tenths(-1, 400)), "0.0");
        assert_eq!(tenths(-57, 1000), -1); // -0.057 → -0.1
        assert_eq!(tenths(5, 100), 1); // 0.05 → 0.1
        assert_eq!(tenths(-5, 100), -1);
        assert_eq!(tenths_text(-57), "-5.7");
    }
}
