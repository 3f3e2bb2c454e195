//! The Site: all validated content with its indexes and exact totals, checked across entries.
//! Templates, charts, feeds and data files read nothing else.

pub mod chain;
mod checks;
pub mod indicators;
mod lint;
mod order;
pub mod pool;
pub mod rankings;
pub mod regions;
mod sectors;
pub mod targets;
mod totals;

pub use checks::{shortcode_errors, Periods};
pub use indicators::{Indicator, Measure};
pub use pool::{ConversionRow, PoolCell, PoolRow};
pub use regions::{RegionBatch, RegionStats};

use crate::amount::Amount;
use crate::config::Config;
use crate::content::article::Article;
use crate::content::period::{Figures, Period};
use crate::content::project::Project;
use crate::content::regions::Regions;
use crate::content::{Content, StaticFile};
use crate::diagnostics::Diagnostics;
use crate::markdown::Markdown;
use crate::model::Batch;
use crate::urls;
use std::collections::{BTreeMap, HashMap};

/// Where a batch's investment figure comes from (FORMAT.md, investment-by-batch.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureSource {
    /// Every project of the batch has an amount: their exact sum.
    Entries,
    /// Some lack one, and the latest period declares the batch's figure.
    Declared,
    /// A region's figure: the exact sum of its subregions' figures (none of them partial).
    Regions,
    /// Some lack one and nothing is declared: the sum of those that have one.
    Partial,
}

impl FigureSource {
    pub fn key(self) -> &'static str {
        match self {
            FigureSource::Entries => "entries",
            FigureSource::Declared => "declared",
            FigureSource::Regions => "regions",
            FigureSource::Partial => "partial",
        }
    }

    /// How little a figure stands on, for the source of a sum of figures (the weakest of
    /// theirs): partial over regions over declared over entries.
    pub fn weakness(self) -> u8 {
        match self {
            FigureSource::Entries => 0,
            FigureSource::Declared => 1,
            FigureSource::Regions => 2,
            FigureSource::Partial => 3,
        }
    }
}

/// One batch's projects and figures.
#[derive(Debug, Clone)]
pub struct BatchStats {
    pub batch: Batch,
    /// Indexes into `Site::projects`.
    pub projects: Vec<usize>,
    /// Exact sum of the amounts the entries have.
    pub sum: Amount,
    /// How many entries have an amount.
    pub with_amount: usize,
    /// What the latest period declares for this batch.
    pub declared: Option<Figures>,
    /// The headline figure and where it comes from; None where no project of the batch
    /// states an amount and nothing is declared (no figure, never 0).
    pub investment: Option<Amount>,
    pub source: FigureSource,
}

impl BatchStats {
    pub fn missing(&self) -> usize {
        self.projects.len() - self.with_amount
    }
}

/// A sector with its projects.
#[derive(Debug, Clone)]
pub struct Sector {
    pub name: String,
    pub slug: String,
    pub projects: Vec<usize>,
    pub sum: Amount,
    pub with_amount: usize,
}

/// The whole validated site.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    /// By number.
    pub periods: Vec<Period>,
    /// By batch, then period, then id.
    pub projects: Vec<Project>,
    /// Newest first.
    pub bulletins: Vec<Article>,
    /// By slug.
    pub pages: Vec<Article>,
    pub statics: Vec<StaticFile>,
    /// By slug.
    pub sectors: Vec<Sector>,
    /// In the order signed, started, producing.
    pub batches: Vec<BatchStats>,
    /// The campaign's rates that have something to stand on (FORMAT.md, Indicators).
    pub indicators: Vec<Indicator>,
    /// The pool as of each period, oldest first.
    pub pool: Vec<PoolRow>,
    /// The moves between batches in each period, then those whose period is unknown.
    pub conversions: Vec<ConversionRow>,
    /// Project id → the period of the latest ledger imported that listed it
    /// (content/imports.yaml); only ids of the site's projects.
    pub ledger_period: BTreeMap<String, u32>,
    /// content/regions.yaml's tree (empty when the site has none).
    pub region_tree: Regions,
    /// Each region's figures, in the tree's order (empty without a tree).
    pub regions: Vec<RegionStats>,
    /// Each project's region: an index into the tree, by the project's index.
    pub region_of: Vec<Option<usize>>,
    /// Every ranking of regions (empty without a tree).
    pub rankings: Vec<rankings::Ranking>,
    /// content/targets/*.yaml, by year, then region (the site's first), then file.
    pub targets: Vec<crate::content::targets::Targets>,
    /// The progress of every target, file by file.
    pub target_progress: Vec<targets::Progress>,
    /// The rate chain over all the projects.
    pub chain: Vec<chain::Link>,
    /// The projects that entered each batch in each period, by period number then batch
    /// (`Batch::index`): each project's place in `projects`, in order, with the batch it came
    /// from (None when that was its first), as [`Project::entry`] tells.
    pub entries: BTreeMap<u32, Entered>,
    /// How many projects are of each period now (their `period`), by period number.
    in_period: HashMap<u32, usize>,
    project_by_id: HashMap<String, usize>,
}

/// The projects that entered each batch in one period.
#[derive(Debug, Default)]
pub struct Entered {
    /// By `Batch::index`: each project's place in `Site::projects`, in order, with the batch
    /// it came from.
    pub batches: [Vec<(usize, Option<Batch>)>; 3],
    /// How many projects these are (one that entered two batches in the period counts once).
    pub projects: usize,
}

impl Site {
    /// The projects that entered batch `b` in period `n` ([`Site::entries`]).
    pub fn entered_in(&self, n: u32, b: Batch) -> &[(usize, Option<Batch>)] {
        self.entries.get(&n).map_or(&[], |e| &e.batches[b.index()])
    }

    /// How many projects entered a batch in period `n`.
    pub fn entered_in_period(&self, n: u32) -> usize {
        self.entries.get(&n).map_or(0, |e| e.projects)
    }

    /// How many projects are of period `n` now (their `period` is `n`).
    pub fn of_period(&self, n: u32) -> usize {
        self.in_period.get(&n).copied().unwrap_or(0)
    }

    pub fn period(&self, n: u32) -> Option<&Period> {
        self.periods
            .binary_search_by_key(&n, |p| p.number)
            .ok()
            .map(|i| &self.periods[i])
    }

    /// The absolute URL of `path` under `base_url`, when the site has one.
    pub fn absolute_url(&self, path: &str) -> Option<String> {
        self.config
            .base_url
            .as_ref()
            .map(|b| urls::absolute(b, path))
    }

    /// The absolute URL of `path` when the site has a `base_url`, else the path itself.
    pub fn url_or_path(&self, path: &str) -> String {
        self.absolute_url(path).unwrap_or_else(|| path.to_string())
    }

    /// Whether the build writes robots.txt: crawlers read it at a domain's root only, so not
    /// for a site whose `base_url` has a path (a site without one may be at a root).
    pub fn writes_robots(&self) -> bool {
        self.config.base_url.as_deref().is_none_or(|b| {
            let rest = b.split_once("://").map_or(b, |(_, r)| r);
            rest.find('/').is_none_or(|i| rest[i..] == *"/")
        })
    }

    /// Whether the site has content/regions.yaml (with at least one region).
    pub fn has_regions(&self) -> bool {
        !self.region_tree.list.is_empty()
    }

    /// A region's names from the top, joined by `/` (东川市/临河县): how data files and a
    /// ledger's region column name it.
    pub fn region_names(&self, r: usize) -> String {
        let tree = &self.region_tree;
        tree.lineage(r)
            .iter()
            .map(|&i| tree.list[i].name.as_str())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// The period with the highest number.
    pub fn latest_period(&self) -> Option<&Period> {
        self.periods.last()
    }

    pub fn project(&self, id: &str) -> Option<&Project> {
        self.project_by_id.get(id).map(|&i| &self.projects[i])
    }

    pub fn batch(&self, b: Batch) -> &BatchStats {
        &self.batches[b.index()]
    }

    /// Whether the entries hold every project batch `b` had as of period `n` (see
    /// [`pool`]); never for moves whose period is unknown.
    pub fn established(&self, b: Batch, n: Option<u32>) -> bool {
        n.and_then(|n| self.pool.iter().find(|r| r.period == n))
            .is_some_and(|r| r.established[b.index()])
    }

    /// `count` as a figure of batch `b` as of period `n`: None where it is 0 and the entries
    /// do not establish that 0.
    pub fn figure(&self, count: usize, b: Batch, n: Option<u32>) -> Option<usize> {
        (count > 0 || self.established(b, n)).then_some(count)
    }

    /// Why a period's figures are unknown where they are: which periods' pools the source
    /// published (declared every batch's count), in the site's words.
    pub fn unknown_reason(&self) -> String {
        let published: Vec<String> = self
            .periods
            .iter()
            .filter(|p| {
                Batch::ALL.iter().all(|&b| {
                    p.declared
                        .as_ref()
                        .and_then(|d| d.batch(b))
                        .is_some_and(|f| f.count.is_some())
                })
            })
            .map(|p| crate::labels::period(p.number))
            .collect();
        if published.is_empty() {
            crate::labels::label("pool_unknown_none").to_string()
        } else {
            crate::labels::label("pool_unknown").replace("{periods}", &published.join("、"))
        }
    }

    /// The slug of a sector name.
    pub fn sector_slug(&self, name: &str) -> Option<&str> {
        self.sectors
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.slug.as_str())
    }

    /// Projects matching a `projects(...)` shortcode, in site order.
    pub fn select(&self, batch: Option<Batch>, period: Option<u32>) -> Vec<usize> {
        (0..self.projects.len())
            .filter(|&i| {
                let p = &self.projects[i];
                batch.is_none_or(|b| p.batch == b) && period.is_none_or(|n| p.period == Some(n))
            })
            .collect()
    }

    /// Every Markdown body of the site with the file it came from.
    pub fn documents(&self) -> impl Iterator<Item = (&str, &Markdown)> {
        let projects = self
            .projects
            .iter()
            .map(|p| (p.origin.rel.as_str(), &p.body));
        let periods = self
            .periods
            .iter()
            .map(|p| (p.origin.rel.as_str(), &p.summary));
        let articles = self
            .bulletins
            .iter()
            .chain(&self.pages)
            .map(|a| (a.origin.rel.as_str(), &a.body));
        projects.chain(periods).chain(articles)
    }
}

/// Checks entries against each other and builds the indexes.
/// With `lint`, also warns about content that is probably not what its author meant.
pub fn assemble(content: Content, lint: bool, diags: &mut Diagnostics) -> Option<Site> {
    let Content {
        config,
        mut periods,
        mut projects,
        mut bulletins,
        mut pages,
        statics,
        periods_incomplete,
        imports,
        regions: region_tree,
        targets: mut target_files,
    } = content;
    let errors_before = diags.error_count();

    checks::unique_periods(&mut periods, diags);
    let refs = checks::Periods::new(&periods, periods_incomplete);
    // Sorted moving each `Project` once; every key here is unique (one project per file;
    // ids are checked unique before the second).
    order::sort_moving_once(&mut projects, |a, b| a.origin.rel.cmp(&b.origin.rel));
    checks::unique_ids(&projects, diags);
    checks::period_references(&refs, &projects, &bulletins, diags);
    checks::declared_progress(&periods, &projects, diags);
    let ledger_period = checks::ledger_periods(&refs, imports, &projects, diags);
    checks::images(&statics, &projects, &bulletins, &pages, diags);
    let by_slug = sectors::slugs(&config, &projects, diags);
    let docs = projects
        .iter()
        .map(|p| (&p.origin.rel, &p.body))
        .chain(periods.iter().map(|p| (&p.origin.rel, &p.summary)))
        .chain(
            bulletins
                .iter()
                .chain(&pages)
                .map(|a| (&a.origin.rel, &a.body)),
        );
    checks::shortcode_periods(&refs, docs, diags);
    regions::check_references(region_tree.as_ref(), &projects, &bulletins, &periods, diags);
    let sector_names: Vec<String> = projects.iter().filter_map(|p| p.sector.clone()).collect();
    targets::check(&target_files, region_tree.as_ref(), &sector_names, diags);
    if diags.error_count() > errors_before {
        return None;
    }
    if lint {
        lint::doubtful_content(&periods, &projects, diags);
    }

    // Within a batch, projects whose period is unknown come first (None < Some).
    order::sort_moving_once(&mut projects, |a, b| {
        (a.batch, a.period, &a.id).cmp(&(b.batch, b.period, &b.id))
    });
    bulletins.sort_by(|a, b| (b.date, &b.slug).cmp(&(a.date, &a.slug)));
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    let region_tree = region_tree.unwrap_or_default();
    target_files.sort_by(|a, b| {
        (a.year, a.region.is_some(), &a.region, &a.origin.rel).cmp(&(
            b.year,
            b.region.is_some(),
            &b.region,
            &b.origin.rel,
        ))
    });
    // The campaign's figures and the regions' side by side: neither reads the other (at
    // 10,000 projects in regions, each some 15 ms of serve's every edit).
    let (campaign, by_region) = rayon::join(
        || {
            let latest = periods.last().and_then(|p| p.declared.as_ref());
            let batches = totals::batches(&projects, latest);
            let sectors = totals::sectors(&projects, by_slug);
            let indicators = indicators::compute(&projects, &batches, latest);
            let counts: Vec<pool::PeriodCounts> = periods
                .iter()
                .map(|p| {
                    let declared = p.declared.as_ref();
                    let count = |b| declared.and_then(|d| d.batch(b)).and_then(|f| f.count);
                    (p.number, Batch::ALL.map(count))
                })
                .collect();
            let pool = pool::by_period(&projects, &counts);
            let conversions = pool::conversions(&projects, &pool);
            let chain = chain::compute(&projects.iter().collect::<Vec<_>>());
            let entries = entries_by_period(&projects);
            let mut in_period: HashMap<u32, usize> = HashMap::new();
            for n in projects.iter().filter_map(|p| p.period) {
                *in_period.entry(n).or_default() += 1;
            }
            (
                batches,
                sectors,
                indicators,
                pool,
                conversions,
                chain,
                entries,
                in_period,
            )
        },
        || {
            // Every region was found above (or the site has errors).
            let region_of: Vec<Option<usize>> = projects
                .iter()
                .map(|p| p.region.as_deref().and_then(|r| region_tree.find(r)))
                .collect();
            let regions = regions::compute(&region_tree, &projects, &region_of, &periods);
            let rankings = rankings::rank(&region_tree, &regions);
            let target_progress =
                targets::compute(&target_files, &projects, &region_of, &region_tree, &periods);
            (region_of, regions, rankings, target_progress)
        },
    );
    let (batches, sectors, indicators, pool, conversions, chain, entries, in_period) = campaign;
    let (region_of, regions, rankings, target_progress) = by_region;
    let project_by_id = projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    Some(Site {
        config,
        periods,
        projects,
        bulletins,
        pages,
        statics,
        sectors,
        batches,
        indicators,
        pool,
        conversions,
        ledger_period,
        region_tree,
        regions,
        region_of,
        rankings,
        targets: target_files,
        target_progress,
        chain,
        entries,
        in_period,
        project_by_id,
    })
}

/// [`Site::entries`] of `projects`: each step of each project's way through the batches.
fn entries_by_period(projects: &[Project]) -> BTreeMap<u32, Entered> {
    let mut out: BTreeMap<u32, Entered> = BTreeMap::new();
    for (i, p) in projects.iter().enumerate() {
        let mut seen: Vec<(Batch, u32)> = Vec::new();
        for (b, n) in p.steps() {
            let Some(n) = n else { continue };
            if seen.contains(&(b, n)) {
                continue;
            }
            seen.push((b, n));
            if let Some(previous) = p.entry(b, Some(n)) {
                let e = out.entry(n).or_default();
                e.batches[b.index()].push((i, previous));
                // Counted once per period: at the project's first step in it.
                if !seen[..seen.len() - 1].iter().any(|s| s.1 == n) {
                    e.projects += 1;
                }
            }
        }
    }
    out
}

/// Entries made from YAML text, for the tests of the Site's steps.
#[cfg(test)]
pub(crate) mod testing {
    use crate::content::period::Declared;
    use crate::content::project::Project;
    use crate::markdown::Settings;

    /// A project from its front matter.
    pub(crate) fn project(yaml: &str) -> Project {
        let src =
            crate::source::decode(format!("---\n{yaml}\n---\n").into_bytes(), "p.md").unwrap();
        crate::content::project::parse(&src, "p", true, Settings::default()).unwrap()
    }

    /// A period's `declared:` map from its YAML lines (indented by two spaces).
    pub(crate) fn declared(yaml: &str) -> Declared {
        let src = crate::source::decode(
            format!("number: 1\ndeclared:\n{yaml}\n").into_bytes(),
            "p.yaml",
        )
        .unwrap();
        let p = crate::content::period::parse(&src, Settings::default()).unwrap();
        p.declared.unwrap()
    }
}
