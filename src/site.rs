//! The Site: all validated content with its indexes and exact totals, checked across entries.
//! Templates, charts, feeds and data files read nothing else.

use crate::amount::Amount;
use crate::config::Config;
use crate::content::article::Article;
use crate::content::period::{Figures, Period};
use crate::content::project::Project;
use crate::content::{Content, StaticFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{Markdown, Segment};
use crate::model::Batch;
use crate::shortcode::Call;
use crate::slug;
use crate::yaml::Key;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Where a batch's investment figure comes from (FORMAT.md, investment-by-batch.csv).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureSource {
    /// Every project of the batch has an amount: their exact sum.
    Entries,
    /// Some lack one, and the latest period declares the batch's figure.
    Declared,
    /// Some lack one and nothing is declared: the sum of those that have one.
    Partial,
}

impl FigureSource {
    pub fn key(self) -> &'static str {
        match self {
            FigureSource::Entries => "entries",
            FigureSource::Declared => "declared",
            FigureSource::Partial => "partial",
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
    /// The headline figure and where it comes from.
    pub investment: Amount,
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
    project_by_id: HashMap<String, usize>,
}

impl Site {
    pub fn period(&self, n: u32) -> Option<&Period> {
        self.periods
            .binary_search_by_key(&n, |p| p.number)
            .ok()
            .map(|i| &self.periods[i])
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
                batch.is_none_or(|b| p.batch == b) && period.is_none_or(|n| p.period == n)
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

/// Warnings: content that builds but is probably not what the author meant.
fn warn_about_doubtful_content(periods: &[Period], projects: &[Project], diags: &mut Diagnostics) {
    for p in periods {
        if p.date.is_none() {
            diags.push(
                p.origin
                    .warning(
                        &[Key::Field("number")],
                        format!("period {} has no date", p.number),
                    )
                    .with_hint("add `date: YYYY-MM-DD` when the day of its event is known"),
            );
        }
    }
    for p in projects {
        // Earlier batches come first, and periods never go back.
        let steps: Vec<(Batch, Option<u32>)> = p
            .history
            .iter()
            .map(|h| (h.batch, h.period))
            .chain([(p.batch, Some(p.period))])
            .collect();
        for (i, w) in steps.windows(2).enumerate() {
            let ((b0, n0), (b1, n1)) = (w[0], w[1]);
            let backwards_batch = b1 < b0;
            let backwards_period = matches!((n0, n1), (Some(a), Some(b)) if b < a);
            if backwards_batch || backwards_period {
                let what = if backwards_batch { "batch" } else { "period" };
                diags.push(
                    p.origin
                        .warning(&[Key::Field("history"), Key::Index(i)], format!("the project's history goes back in {what}"))
                        .with_hint("list history oldest first, each entry an earlier batch than the next and the current one"),
                );
            }
        }
    }
    // The latest period's declared figures against the entries, where both are known.
    let Some(latest) = periods.last() else { return };
    let Some(declared) = &latest.declared else {
        return;
    };
    for b in Batch::ALL {
        let Some(fig) = declared.batch(b) else {
            continue;
        };
        let entries: Vec<&Project> = projects.iter().filter(|p| p.batch == b).collect();
        fn at(b: Batch, k: &str) -> [Key<'_>; 3] {
            [Key::Field("declared"), Key::Field(b.key()), Key::Field(k)]
        }
        if let Some(count) = fig.count.filter(|&c| c != entries.len() as u64) {
            diags.push(latest.origin.warning(
                &at(b, "count"),
                format!(
                    "period {} declares {count} projects in {}, the entries hold {}",
                    latest.number,
                    b.key(),
                    entries.len()
                ),
            ));
        }
        let sum: Option<Amount> = entries.iter().map(|p| p.investment).sum();
        if let (Some(x), Some(sum)) = (fig.investment, sum.filter(|_| !entries.is_empty())) {
            if x != sum {
                diags.push(latest.origin.warning(
                    &at(b, "investment"),
                    format!(
                        "period {} declares {x} for {}, the entries add up to {sum}",
                        latest.number,
                        b.key()
                    ),
                ));
            }
        }
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
    } = content;
    let errors_before = diags.error_count();

    periods.sort_by(|a, b| (a.number, &a.origin.rel).cmp(&(b.number, &b.origin.rel)));
    for w in periods.windows(2) {
        if w[0].number == w[1].number {
            diags.push(
                w[1].origin
                    .error(
                        &[Key::Field("number")],
                        format!("period {} is defined twice", w[1].number),
                    )
                    .with_hint(format!(
                        "{} defines it too; give each period its own number",
                        w[0].origin.rel
                    )),
            );
        }
    }
    periods.dedup_by_key(|p| p.number);
    let known: HashSet<u32> = periods.iter().map(|p| p.number).collect();
    // When a period file failed, references to it would be reported as unknown: skip those.
    let exists = |n: &u32| periods_incomplete || known.contains(n);
    let period_list = || period_list(known.iter().copied());

    projects.sort_by(|a, b| a.origin.rel.cmp(&b.origin.rel));
    let mut first_of: HashMap<String, String> = HashMap::new();
    for p in &projects {
        if let Some(first) = first_of.get(&p.id) {
            diags.push(
                p.origin
                    .error(&[Key::Field("id")], format!("the id `{}` is taken", p.id))
                    .with_hint(format!("{first} has it too; ids must be unique")),
            );
        } else {
            first_of.insert(p.id.clone(), p.origin.rel.clone());
        }
        if !exists(&p.period) {
            diags.push(
                p.origin
                    .error(
                        &[Key::Field("period")],
                        format!("period {} does not exist", p.period),
                    )
                    .with_hint(period_list()),
            );
        }
        for (i, h) in p.history.iter().enumerate() {
            if let Some(n) = h.period.filter(|n| !exists(n)) {
                diags.push(
                    p.origin
                        .error(
                            &[Key::Field("history"), Key::Index(i), Key::Field("period")],
                            format!("period {n} does not exist"),
                        )
                        .with_hint(period_list()),
                );
            }
        }
    }
    for a in &bulletins {
        if let Some(n) = a.period.filter(|n| !exists(n)) {
            diags.push(
                a.origin
                    .error(
                        &[Key::Field("period")],
                        format!("period {n} does not exist"),
                    )
                    .with_hint(period_list()),
            );
        }
    }

    // Images must be files of content/static/.
    let static_set: HashSet<&str> = statics.iter().map(|s| s.output.as_str()).collect();
    let image_owners = projects.iter().map(|p| (&p.origin, &p.images)).chain(
        bulletins
            .iter()
            .chain(&pages)
            .map(|a| (&a.origin, &a.images)),
    );
    for (origin, images) in image_owners {
        for (i, img) in images.iter().enumerate() {
            if !static_set.contains(img.src.as_str()) {
                diags.push(
                    origin
                        .error(
                            &[Key::Field("images"), Key::Index(i), Key::Field("src")],
                            format!("there is no file content/static/{}", img.src),
                        )
                        .with_hint("image paths are relative to content/static/"),
                );
            }
        }
    }

    // Sector slugs: the site's own, else pinyin; two sectors may not share one.
    let mut sector_names: Vec<String> = projects.iter().filter_map(|p| p.sector.clone()).collect();
    sector_names.sort();
    sector_names.dedup();
    let mut by_slug: BTreeMap<String, String> = BTreeMap::new();
    let mut slug_of: HashMap<String, String> = HashMap::new();
    for name in &sector_names {
        let s = config
            .sectors
            .get(name)
            .cloned()
            .unwrap_or_else(|| slug::pinyin_slug(name));
        if let Some(other) = by_slug.get(&s) {
            let user = projects
                .iter()
                .find(|p| p.sector.as_deref() == Some(name.as_str()))
                .expect("a sector comes from a project");
            diags.push(
                user.origin
                    .error(
                        &[Key::Field("sector")],
                        format!("sectors {other} and {name} would share the URL slug `{s}`"),
                    )
                    .with_hint("give one of them its own slug under `sectors:` in site.yaml"),
            );
            continue;
        }
        by_slug.insert(s.clone(), name.clone());
        slug_of.insert(name.clone(), s);
    }
    for name in config.sectors.keys() {
        if !sector_names.contains(name) {
            diags.push(Diagnostic::warning(
                "content/site.yaml",
                None,
                format!("sector {name} has a slug under `sectors:` but no project names it"),
            ));
        }
    }

    // Shortcodes that name a period must name one that exists.
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
    for (rel, body) in docs {
        diags.extend(shortcode_errors(rel, body, &exists, &period_list));
    }

    if diags.error_count() > errors_before {
        return None;
    }
    if lint {
        warn_about_doubtful_content(&periods, &projects, diags);
    }

    projects.sort_by(|a, b| (a.batch, a.period, &a.id).cmp(&(b.batch, b.period, &b.id)));
    bulletins.sort_by(|a, b| (b.date, &b.slug).cmp(&(a.date, &a.slug)));
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));

    let latest_declared = periods.last().and_then(|p| p.declared.clone());
    let batches = Batch::ALL
        .iter()
        .map(|&b| {
            let idx: Vec<usize> = (0..projects.len())
                .filter(|&i| projects[i].batch == b)
                .collect();
            let amounts: Vec<Amount> = idx.iter().filter_map(|&i| projects[i].investment).collect();
            let sum: Amount = amounts.iter().sum();
            let declared = latest_declared.as_ref().and_then(|d| d.batch(b).cloned());
            let (investment, source) = if amounts.len() == idx.len() {
                (sum, FigureSource::Entries)
            } else if let Some(x) = declared.as_ref().and_then(|d| d.investment) {
                (x, FigureSource::Declared)
            } else {
                (sum, FigureSource::Partial)
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
        .collect();

    let sectors = by_slug
        .into_iter()
        .map(|(slug, name)| {
            let idx: Vec<usize> = (0..projects.len())
                .filter(|&i| projects[i].sector.as_deref() == Some(name.as_str()))
                .collect();
            let amounts: Vec<Amount> = idx.iter().filter_map(|&i| projects[i].investment).collect();
            Sector {
                name,
                slug,
                sum: amounts.iter().sum(),
                with_amount: amounts.len(),
                projects: idx,
            }
        })
        .collect();
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
        project_by_id,
    })
}

/// Errors for the shortcodes of the document `rel` that name a period that does not exist;
/// `hint` lists the periods that do.
pub fn shortcode_errors(
    rel: &str,
    body: &Markdown,
    exists: &dyn Fn(&u32) -> bool,
    hint: &dyn Fn() -> String,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for seg in &body.segments {
        if let Segment::Shortcode {
            call: Call::Projects {
                period: Some(n), ..
            },
            pos,
        } = seg
        {
            if !exists(n) {
                errors.push(
                    Diagnostic::error(
                        rel,
                        Some(*pos),
                        format!("projects: period {n} does not exist"),
                    )
                    .with_hint(hint()),
                );
            }
        }
    }
    errors
}

/// The hint that lists the defined periods.
pub fn period_list(known: impl IntoIterator<Item = u32>) -> String {
    let mut v: Vec<u32> = known.into_iter().collect();
    v.sort_unstable();
    let names: Vec<String> = v.iter().map(u32::to_string).collect();
    if names.is_empty() {
        "no period is defined yet: add content/periods/NN.yaml".to_string()
    } else {
        format!("defined periods: {}", names.join(", "))
    }
}
