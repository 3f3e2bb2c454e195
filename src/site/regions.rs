//! Each region's projects, counts, investment and rates (FORMAT.md, "Regions"), exact at every
//! level: entries, else declared, else the sum of the subregions, else partial; and the
//! checks that every region a project or period names is in content/regions.yaml.

use super::indicators::{self, Indicator};
use super::FigureSource;
use crate::amount::Amount;
use crate::content::article::Article;
use crate::content::period::{Figures, Period};
use crate::content::project::Project;
use crate::content::regions::Regions;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Batch;
use crate::yaml::Key;

/// One batch of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionBatch {
    /// Indexes into `Site::projects`: the region's projects of the batch (its own and its
    /// subregions').
    pub projects: Vec<usize>,
    /// The count declared by the latest period that declares one for the region and batch.
    pub declared_count: Option<u64>,
    /// The figure and where it comes from; None where nothing stands behind one.
    pub investment: Option<Amount>,
    pub source: Option<FigureSource>,
}

/// A region's figures.
#[derive(Debug, Clone)]
pub struct RegionStats {
    /// Index into the tree's list.
    pub region: usize,
    /// Indexes into `Site::projects`, in site order: the projects of the region and below.
    pub projects: Vec<usize>,
    /// Signed, started, producing.
    pub batches: [RegionBatch; 3],
    /// The region's rates, as `indicators.csv`'s.
    pub indicators: Vec<Indicator>,
    /// The region's pool as of each period, oldest first, established as the site's is: by
    /// the counts the period declares for the region, and as of the latest period.
    pub pool: Vec<super::PoolRow>,
    /// The rate chain over its projects.
    pub chain: Vec<super::chain::Link>,
}

impl RegionStats {
    pub fn batch(&self, b: Batch) -> &RegionBatch {
        &self.batches[b.index()]
    }

    /// All its projects.
    pub fn count(&self) -> usize {
        self.projects.len()
    }

    /// The sum of the batches that have a figure, with the weakest of their sources; None
    /// when no batch has one.
    pub fn investment(&self) -> Option<(Amount, FigureSource)> {
        let figures: Vec<(Amount, FigureSource)> = self
            .batches
            .iter()
            .filter_map(|b| Some((b.investment?, b.source?)))
            .collect();
        let weakest = figures.iter().map(|f| f.1).max_by_key(|s| s.weakness())?;
        Some((figures.iter().map(|f| f.0).sum(), weakest))
    }
}

/// What periods declare of each region: for a region's path, the latest period's figures.
pub struct Declarations<'a> {
    periods: &'a [Period],
}

impl<'a> Declarations<'a> {
    pub fn new(periods: &'a [Period]) -> Declarations<'a> {
        Declarations { periods }
    }

    /// The latest period (highest number) whose entry for `path` declares, for batch `b`,
    /// what `has` looks for; with that entry's figures.
    fn latest(
        &self,
        path: &str,
        b: Batch,
        has: impl Fn(&Figures) -> bool,
    ) -> Option<(&'a Period, &'a Figures)> {
        self.periods.iter().rev().find_map(|p| {
            let f = p.regions.get(path)?.declared.as_ref()?.batch(b)?;
            has(f).then_some((p, f))
        })
    }
}

/// Every region's figures, in the tree's order. `region_of` gives each project's region.
pub fn compute(
    tree: &Regions,
    projects: &[Project],
    region_of: &[Option<usize>],
    periods: &[Period],
) -> Vec<RegionStats> {
    let decl = Declarations::new(periods);
    let n = tree.list.len();
    let mut out: Vec<Option<RegionStats>> = vec![None; n];
    let mut members_of = tree.members(region_of);
    // Depth first lists a region before its subregions: backwards, each region comes after
    // all of its subregions, whose figures its own may sum.
    for r in (0..n).rev() {
        let region = &tree.list[r];
        let members = std::mem::take(&mut members_of[r]);
        let batches = Batch::ALL.map(|b| {
            let of_batch: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&i| projects[i].batch == b)
                .collect();
            let amounts: Vec<Amount> = of_batch
                .iter()
                .filter_map(|&i| projects[i].investment)
                .collect();
            let declared_count = decl
                .latest(&region.path, b, |f| f.count.is_some())
                .and_then(|(_, f)| f.count);
            let declared = decl
                .latest(&region.path, b, |f| f.investment.is_some())
                .and_then(|(_, f)| f.investment);
            let attached = of_batch.iter().any(|&i| region_of[i] == Some(r));
            let subregions: Option<Vec<Amount>> = (!region.children.is_empty() && !attached)
                .then(|| {
                    region
                        .children
                        .iter()
                        .map(|&c| {
                            let cb = out[c].as_ref()?.batch(b);
                            (cb.source != Some(FigureSource::Partial)).then_some(cb.investment?)
                        })
                        .collect()
                })
                .flatten();
            let (investment, source) = if !of_batch.is_empty() && amounts.len() == of_batch.len() {
                (Some(amounts.iter().sum()), Some(FigureSource::Entries))
            } else if let Some(x) = declared {
                (Some(x), Some(FigureSource::Declared))
            } else if let Some(sums) = subregions {
                (Some(sums.iter().sum()), Some(FigureSource::Regions))
            } else if !amounts.is_empty() {
                (Some(amounts.iter().sum()), Some(FigureSource::Partial))
            } else {
                (None, None)
            };
            RegionBatch {
                projects: of_batch,
                declared_count,
                investment,
                source,
            }
        });
        let progress = Batch::ALL.map(|b| {
            decl.latest(&region.path, b, |f| {
                f.progress.is_some() || f.rates.is_some()
            })
        });
        let figures = progress.map(|p| p.map(|(_, f)| f));
        let by_batch = Batch::ALL.map(|b| {
            batches[b.index()]
                .projects
                .iter()
                .map(|&i| &projects[i])
                .collect::<Vec<_>>()
        });
        let all: Vec<&Project> = members.iter().map(|&i| &projects[i]).collect();
        let rates = indicators::compute_for(&by_batch, &all, figures);
        let counts: Vec<super::pool::PeriodCounts> = periods
            .iter()
            .map(|p| {
                let declared = p
                    .regions
                    .get(&region.path)
                    .and_then(|e| e.declared.as_ref());
                let count = |b| declared.and_then(|d| d.batch(b)).and_then(|f| f.count);
                (p.number, Batch::ALL.map(count))
            })
            .collect();
        let pool = super::pool::by_period_of(all.iter().copied(), &counts);
        out[r] = Some(RegionStats {
            region: r,
            projects: members,
            batches,
            indicators: rates,
            pool,
            chain: super::chain::compute(&all),
        });
    }
    out.into_iter().flatten().collect()
}

/// Each project's region (an index into the tree); an error at the project's `region` when
/// it names none, and at a period's `regions` key when it names none. Without a tree, every
/// `region` is an error.
pub(super) fn check_references(
    tree: Option<&Regions>,
    projects: &[Project],
    bulletins: &[Article],
    periods: &[Period],
    diags: &mut Diagnostics,
) -> Vec<Option<usize>> {
    let unknown = |path: &str| -> (String, String) {
        match tree {
            None => (
                format!("there is no region `{path}`: the site has no content/regions.yaml"),
                "list the regions in content/regions.yaml, or remove `region`".to_string(),
            ),
            Some(t) => (
                format!("there is no region `{path}` in content/regions.yaml"),
                t.suggest(path).unwrap_or_else(|| {
                    "a region is named by its path: its slugs from the top, joined by `/`, such as zhengzhou/gaoxin".to_string()
                }),
            ),
        }
    };
    let mut push = |d: Diagnostic| diags.push(d);
    let region_of = projects
        .iter()
        .map(|p| {
            let path = p.region.as_deref()?;
            let found = tree.and_then(|t| t.find(path));
            if found.is_none() {
                let (m, h) = unknown(path);
                push(p.origin.error(&[Key::Field("region")], m).with_hint(h));
            }
            found
        })
        .collect();
    for a in bulletins {
        let Some(path) = a.region.as_deref() else {
            continue;
        };
        if tree.and_then(|t| t.find(path)).is_none() {
            let (m, h) = unknown(path);
            push(a.origin.error(&[Key::Field("region")], m).with_hint(h));
        }
    }
    for p in periods {
        for path in p.regions.keys() {
            if tree.and_then(|t| t.find(path)).is_none() {
                let (m, h) = unknown(path);
                let at = [Key::Field("regions"), Key::Name(path)];
                push(p.origin.error(&at, m).with_hint(h));
            }
        }
    }
    region_of
}

#[cfg(test)]
mod tests {
    use super::super::testing::project;
    use super::*;

    fn tree(text: &str) -> Regions {
        Regions::parse(&crate::source::decode(text.as_bytes().to_vec(), "r.yaml").unwrap()).unwrap()
    }

    fn period(text: &str) -> Period {
        let src = crate::source::decode(text.as_bytes().to_vec(), "p.yaml").unwrap();
        crate::content::period::parse(&src, Default::default()).unwrap()
    }

    fn figure(s: &RegionStats, b: Batch) -> (String, &'static str) {
        let rb = s.batch(b);
        (
            rb.investment.map(|a| a.plain()).unwrap_or_default(),
            rb.source.map_or("", FigureSource::key),
        )
    }

    #[test]
    fn entries_then_declared_then_subregions_then_partial() {
        let t = tree("- name: 市\n  slug: city\n  regions:\n    - { name: 甲, slug: a }\n    - { name: 乙, slug: b }\n    - { name: 丙, slug: c }\n");
        let ps = [
            project("name: p1\nbatch: started\nperiod: 1\ninvestment: 12.5\nregion: city/a"),
            project("name: p2\nbatch: started\nperiod: 1\ninvestment: 6\nregion: city/a"),
            project("name: p3\nbatch: started\nperiod: 1\nregion: city/b"),
            project("name: p4\nbatch: signed\nperiod: 1\nregion: city/b\ninvestment: 2"),
            project("name: p5\nbatch: signed\nperiod: 1\nregion: city/c"),
        ];
        let region_of: Vec<Option<usize>> = ps
            .iter()
            .map(|p| t.find(p.region.as_deref().unwrap()))
            .collect();
        let periods = [
            period("number: 1\nregions:\n  city/b:\n    declared: {started: {investment: 21.6}}\n"),
            period("number: 2\nregions:\n  city/c:\n    declared: {signed: {count: 3}}\n"),
        ];
        let s = compute(&t, &ps, &region_of, &periods);
        let city = &s[0];
        assert_eq!(figure(&s[1], Batch::Started), ("18.5".into(), "entries"));
        assert_eq!(
            figure(&s[2], Batch::Started),
            ("21.6".into(), "declared"),
            "declared in an older period, it stands"
        );
        assert_eq!(
            figure(&s[3], Batch::Started),
            ("".into(), ""),
            "no project, nothing declared: no figure, never 0"
        );
        assert_eq!(figure(&s[1], Batch::Producing), ("".into(), ""));
        // 丙 has no started figure, so the city's started sum stops; its entries are partial.
        assert_eq!(figure(city, Batch::Started), ("18.5".into(), "partial"));
        assert_eq!(figure(city, Batch::Signed), ("2".into(), "partial"));
        assert_eq!(s[3].batch(Batch::Signed).declared_count, Some(3));
        assert_eq!(city.count(), 5);
        assert_eq!(city.batch(Batch::Started).projects.len(), 3);
        // With 丙 declaring its started figure, the city's is the exact sum of its subregions'.
        let periods = [
            period("number: 1\nregions:\n  city/b:\n    declared: {started: {investment: 21.6}}\n  city/c:\n    declared: {started: {investment: 0}}\n"),
        ];
        let s = compute(&t, &ps, &region_of, &periods);
        assert_eq!(figure(&s[0], Batch::Started), ("40.1".into(), "regions"));
        assert_eq!(
            s[0].investment().map(|(a, s)| (a.plain(), s.key())),
            Some(("42.1".into(), "partial"))
        );
    }

    #[test]
    fn a_project_of_the_region_itself_stops_the_sum_of_its_subregions() {
        let t = tree("- name: 市\n  slug: city\n  regions:\n    - { name: 甲, slug: a }\n");
        let ps = [
            project("name: p1\nbatch: started\nperiod: 1\ninvestment: 1\nregion: city/a"),
            project("name: p2\nbatch: started\nperiod: 1\nregion: city"),
        ];
        let region_of: Vec<Option<usize>> = ps
            .iter()
            .map(|p| t.find(p.region.as_deref().unwrap()))
            .collect();
        let s = compute(&t, &ps, &region_of, &[]);
        assert_eq!(figure(&s[0], Batch::Started), ("1".into(), "partial"));
    }

    #[test]
    fn unknown_regions_are_errors_at_their_keys() {
        let t = tree("- name: 市\n  slug: city\n  regions:\n    - { name: 甲, slug: a }\n");
        let ps = [project("name: p1\nbatch: started\nregion: a")];
        let periods = [period("number: 1\nregions:\n  city/b:\n    declared: {}\n")];
        let mut d = Diagnostics::new();
        let of = check_references(Some(&t), &ps, &[], &periods, &mut d);
        assert_eq!(of, [None]);
        let lines: Vec<String> = d.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines.iter().any(|l| l
                .contains("there is no region `a` in content/regions.yaml; did you mean city/a?")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("error: p.yaml:3:3: there is no region `city/b`")),
            "{lines:?}"
        );
        let mut d = Diagnostics::new();
        check_references(None, &ps, &[], &[], &mut d);
        assert!(d.sorted()[0]
            .to_string()
            .contains("the site has no content/regions.yaml"));
    }
}
