//! sanpi: a static report-site generator for the progress bulletins of investment-project
//! campaigns such as Henan's “三个一批”.
//!
//! One way through: [`content::load`] reads and validates each file, [`site::assemble`]
//! checks them against each other and computes totals, [`plan::plan`] lists every
//! page, and [`build`] renders them in parallel into a staging folder that replaces the output
//! only when everything was written.

pub mod amount;
pub mod cards;
pub mod charts;
pub mod config;
pub mod content;
pub mod csvfile;
pub mod diagnostics;
pub mod escape;
pub mod init;
pub mod labels;
pub mod markdown;
pub mod model;
pub mod new;
pub mod output;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod serve;
pub mod share;
pub mod shortcode;
pub mod site;
pub mod slug;
pub mod source;
pub mod text;
pub mod urls;
pub mod yaml;

use diagnostics::{Diagnostic, Diagnostics};
use output::write::Staging;
use plan::Page;
use rayon::prelude::*;
use render::context::Shared;
use render::pages::Pages;
use render::theme::{self, StaticSource};
use render::Renderer;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// What to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Where the site goes; `ROOT/output` by default.
    pub output: Option<PathBuf>,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Overrides `share_images` of site.yaml (serve turns them off: they are slow to draw).
    pub share_images: Option<bool>,
    /// Also warn about doubtful content (periods without a date, history that goes back,
    /// declared figures that disagree with the entries). `check` always does.
    pub lint: bool,
    /// Show a progress bar on the terminal when the build runs for more than a second.
    pub progress: bool,
    /// Replace the output folder even when it is not marked as an earlier sanpi output.
    pub force: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        BuildOptions {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            share_images: None,
            lint: false,
            progress: false,
            force: false,
        }
    }

    pub fn output_dir(&self) -> PathBuf {
        self.output
            .clone()
            .unwrap_or_else(|| self.root.join("output"))
    }
}

/// What a finished build did.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub projects: usize,
    pub charts: usize,
    pub files: usize,
    pub millis: u128,
    /// How long each step took, in milliseconds, for --verbose and the benchmark.
    pub steps: Vec<(&'static str, u128)>,
    /// Share cards drawn, and copied from the cache of cards.
    pub cards: cards::Counts,
}

/// The outcome of a build or check: a summary when it succeeded, and every diagnostic.
pub struct Outcome {
    pub summary: Option<Summary>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Outcome {
    pub fn ok(&self) -> bool {
        self.summary.is_some()
    }
}

/// Everything up to the plan: loaded, validated, cross-checked and planned.
pub struct Prepared {
    pub site: site::Site,
    pub pages: Vec<Page>,
    pub renderer: Renderer,
    pub theme: theme::Theme,
}

/// Loads and validates the site and its theme and plans its pages; writes nothing.
pub fn prepare(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<Prepared> {
    let load = content::LoadOptions {
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
    };
    let mut content = content::load(&opts.root, &load, diags)?;
    if let Some(s) = opts.share_images {
        content.config.share_images = s;
    }
    let theme_name = content.config.theme.clone();
    let theme = theme::load(&opts.root, &theme_name, diags);
    let renderer = theme.as_ref().and_then(|t| Renderer::new(t, diags));
    // Entries that failed are left out; the checks across entries still run on the rest, so
    // that one build reports every error it can find.
    let site = site::assemble(content, opts.lint, diags)?;
    if diags.has_errors() {
        return None;
    }
    let theme_statics: Vec<&str> = theme
        .iter()
        .flat_map(|t| t.statics.iter().map(|(n, _)| n.as_str()))
        .collect();
    let pages = plan::plan(&site, &theme_statics, diags);
    if site.config.base_url.is_none() {
        diags.push(
            Diagnostic::warning("content/site.yaml", None, "no `base_url`: canonical links, share cards, absolute feed links and sitemap.xml are left out")
                .with_hint("set `base_url:` in site.yaml or pass --base-url"),
        );
    }
    if diags.has_errors() {
        return None;
    }
    Some(Prepared {
        site,
        pages,
        renderer: renderer?,
        theme: theme?,
    })
}

/// `sanpi check`: everything `build` validates, rendering included, without writing.
pub fn check(opts: &BuildOptions) -> Outcome {
    let opts = BuildOptions {
        lint: true,
        ..opts.clone()
    };
    run(&opts, false)
}

/// `sanpi build`: the whole site, written atomically, or nothing at all.
pub fn build(opts: &BuildOptions) -> Outcome {
    run(opts, true)
}

/// A built site kept in memory, so that `serve` can redo one page instead of the site.
pub struct Live {
    prepared: Prepared,
    shared: Shared,
    opts: BuildOptions,
}

/// `build`, keeping the site in memory when it succeeds.
pub fn build_live(opts: &BuildOptions) -> (Outcome, Option<Live>) {
    let mut live = None;
    let outcome = run_with(opts, true, &mut live);
    (outcome, live)
}

impl Live {
    /// After a change to `path` only: when it is a project file whose front matter is
    /// byte for byte the same, only that project's page can differ, so only it is rendered
    /// and replaced in the output. None when the change needs a full build.
    pub fn update(&mut self, path: &Path) -> Option<Outcome> {
        let start = Instant::now();
        let root = &self.opts.root;
        let rel = diagnostics::rel_path(root, path);
        let i = self
            .prepared
            .site
            .projects
            .iter()
            .position(|p| p.origin.rel == rel)?;
        let old = &self.prepared.site.projects[i];
        let markdown = rel.ends_with(".md");
        let src = source::read(path, &rel).ok()?;
        let stem = path.file_stem()?.to_string_lossy().into_owned();
        let settings = markdown::Settings {
            unsafe_html: self.prepared.site.config.unsafe_html,
        };
        let new = match content::project::parse(&src, &stem, markdown, settings) {
            Ok(p) => p,
            Err(errors) => {
                let mut d = Diagnostics::new();
                d.extend(errors);
                return Some(Outcome {
                    summary: None,
                    diagnostics: d.sorted(),
                });
            }
        };
        if new.origin.yaml != old.origin.yaml || new.draft != old.draft || !markdown {
            return None;
        }
        self.prepared.site.projects[i].body = new.body;
        let page = self
            .prepared
            .pages
            .iter()
            .find(|p| p.kind == plan::Kind::Project(i))?;
        let pages = Pages {
            site: &self.prepared.site,
            shared: &self.shared,
            renderer: &self.prepared.renderer,
            share_images: false,
        };
        let html = match pages.render(page) {
            Ok(h) => h,
            Err(d) => {
                return Some(Outcome {
                    summary: None,
                    diagnostics: vec![d],
                })
            }
        };
        let file = self.opts.output_dir().join(urls::file_of(&page.path));
        let tmp = file.with_extension("html.sanpi-tmp");
        let written = std::fs::write(&tmp, html).and_then(|_| std::fs::rename(&tmp, &file));
        if let Err(e) = written {
            let d = Diagnostic::error("", None, format!("cannot write {}: {e}", file.display()));
            return Some(Outcome {
                summary: None,
                diagnostics: vec![d],
            });
        }
        let summary = Summary {
            pages: 1,
            projects: 1,
            charts: 0,
            files: 1,
            millis: start.elapsed().as_millis(),
            steps: vec![("one page", start.elapsed().as_millis())],
            cards: cards::Counts::default(),
        };
        Some(Outcome {
            summary: Some(summary),
            diagnostics: vec![],
        })
    }
}

fn run(opts: &BuildOptions, write_output: bool) -> Outcome {
    run_with(opts, write_output, &mut None)
}

fn run_with(opts: &BuildOptions, write_output: bool, keep: &mut Option<Live>) -> Outcome {
    let start = Instant::now();
    let mut diags = Diagnostics::new();
    let out = if write_output {
        match output::target::check(&opts.root, &opts.output_dir(), opts.force) {
            Ok(out) => Some(out),
            Err(d) => {
                diags.push(d);
                return Outcome {
                    summary: None,
                    diagnostics: diags.sorted(),
                };
            }
        }
    } else {
        None
    };
    let summary = prepare(opts, &mut diags).and_then(|p| {
        let prepared = start.elapsed().as_millis();
        let charts = charts::render_all(&p.site);
        let shared = Shared::new(&p.site, &charts);
        let summary = render_site(
            &opts.root,
            &p,
            &charts,
            &shared,
            out.as_ref(),
            opts.progress,
            &mut diags,
        )
        .map(|mut s| {
            s.steps
                .insert(0, ("load, validate, plan, charts", prepared));
            s
        });
        if summary.is_some() && !diags.has_errors() {
            *keep = Some(Live {
                prepared: p,
                shared,
                opts: opts.clone(),
            });
        }
        summary
    });
    let summary = summary.map(|mut s| {
        s.millis = start.elapsed().as_millis();
        s
    });
    Outcome {
        summary: if diags.has_errors() { None } else { summary },
        diagnostics: diags.sorted(),
    }
}

/// Renders every page and file; writes them when `out` is given.
fn render_site(
    root: &Path,
    p: &Prepared,
    charts: &[charts::Rendered],
    shared: &Shared,
    out: Option<&output::target::Output>,
    show_progress: bool,
    diags: &mut Diagnostics,
) -> Option<Summary> {
    let site = &p.site;
    let mut steps = Vec::new();
    let mut clock = Instant::now();
    let mut step = |name: &'static str| {
        steps.push((name, clock.elapsed().as_millis()));
        clock = Instant::now();
    };

    // Share cards need a base_url (og:image is absolute) and a CJK font; only a build draws them.
    let cards = match out {
        Some(out) if site.config.share_images && site.config.base_url.is_some() => {
            match cards::Cards::new(root, &out.real) {
                Ok((c, warning)) => {
                    diags.extend(warning.map(|m| Diagnostic::warning("", None, m)));
                    Some(c)
                }
                Err(m) => {
                    diags.push(Diagnostic::warning("", None, m));
                    None
                }
            }
        }
        _ => None,
    };
    let pages = Pages {
        site,
        shared,
        renderer: &p.renderer,
        share_images: cards.is_some(),
    };
    let staging = match out.map(Staging::new).transpose() {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let write = |rel: &str, bytes: &[u8]| -> Result<(), Diagnostic> {
        match &staging {
            Some(s) => s
                .write(rel, bytes)
                .map_err(|e| Diagnostic::error("", None, format!("cannot write {rel}: {e}"))),
            None => Ok(()),
        }
    };

    let bar = progress::Progress::new(p.pages.len(), show_progress);
    let results: Vec<Diagnostic> = p
        .pages
        .par_iter()
        .filter_map(|page| {
            bar.inc();
            let html = pages
                .render(page)
                .and_then(|html| write(&urls::file_of(&page.path), html.as_bytes()));
            let card = match (&cards, pages.card(page)) {
                (Some(cards), Some(card)) if page.has_card() => cards
                    .png(&card)
                    .map_err(|e| {
                        Diagnostic::error(
                            "",
                            None,
                            format!("cannot draw the share image of /{}: {e}", page.path),
                        )
                    })
                    .and_then(|png| write(&urls::share_image(&page.path), &png)),
                _ => Ok(()),
            };
            html.and(card).err()
        })
        .collect();
    bar.finish();
    step("pages");
    let mut files = p.pages.len();
    let mut card_counts = cards::Counts::default();
    if let Some(c) = cards {
        files += p.pages.iter().filter(|x| x.has_card()).count();
        if results.is_empty() {
            let (counts, warning) = c.finish();
            card_counts = counts;
            diags.extend(warning.map(|m| Diagnostic::warning("", None, m)));
        }
    }
    let mut extra: Vec<(String, Vec<u8>)> = Vec::new();
    for r in charts {
        extra.push((urls::chart_svg(&r.chart.name), r.svg.clone().into_bytes()));
        extra.push((urls::chart_csv(&r.chart.name), r.csv.clone()));
    }
    extra.push((urls::PROJECTS_CSV.into(), output::data::projects_csv(site)));
    extra.push((urls::SEARCH_INDEX.into(), output::search::index(site)));
    extra.push((
        urls::PROJECTS_JSON.into(),
        output::data::projects_json(site),
    ));
    let bulletins: Vec<_> = site.bulletins.iter().collect();
    extra.push((
        urls::FEED.into(),
        output::feeds::atom(site, &site.config.title, urls::FEED, &bulletins).into_bytes(),
    ));
    for b in model::Batch::ALL {
        extra.push((
            urls::batch_feed(b),
            output::feeds::batch_feed(site, b).into_bytes(),
        ));
    }
    let listed: Vec<(String, Option<model::Date>)> = p
        .pages
        .iter()
        .filter(|x| x.listed())
        .map(|x| (x.path.clone(), x.lastmod))
        .collect();
    if let Some(sm) = output::feeds::sitemap(site, &listed) {
        extra.push((urls::SITEMAP.into(), sm.into_bytes()));
    }
    extra.push((
        urls::ROBOTS.into(),
        output::feeds::robots(site).into_bytes(),
    ));
    diags.extend(results);
    for (rel, bytes) in &extra {
        if let Err(d) = write(rel, bytes) {
            diags.push(d);
        }
    }
    files += extra.len();
    if let Some(s) = &staging {
        for (rel, src) in &p.theme.statics {
            let r = match src {
                StaticSource::Builtin(b) => s.write(rel, b),
                StaticSource::File(f) => s.copy(rel, f),
            };
            if let Err(e) = r {
                diags.push(Diagnostic::error(
                    "",
                    None,
                    format!("cannot write {rel}: {e}"),
                ));
            }
        }
        for st in &site.statics {
            if let Err(e) = s.copy(&st.output, &st.source) {
                diags.push(Diagnostic::error(
                    format!("content/static/{}", st.output),
                    None,
                    format!("cannot copy: {e}"),
                ));
            }
        }
    }
    files += p.theme.statics.len() + site.statics.len();
    if diags.has_errors() {
        return None;
    }
    step("data, feeds, static files");
    if let Some(s) = staging {
        if let Err(e) = s.commit() {
            diags.push(Diagnostic::error(
                "",
                None,
                format!("cannot put the new site in place: {e}"),
            ));
            return None;
        }
    }
    step("swap into place");
    Some(Summary {
        pages: p.pages.len(),
        projects: site.projects.len(),
        charts: charts.len(),
        files,
        millis: 0,
        steps,
        cards: card_counts,
    })
}
