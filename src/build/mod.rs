//! The build: the steps of FORMAT.md's `build` and `check` put together. Load, validate and
//! plan (`prepare`), draw the charts, render and write (`render.rs`), keep the site in memory
//! for serve's quick path (`live.rs`), and do nothing when nothing changed (`unchanged.rs`).

mod deps;
mod live;
mod refresh;
mod render;
mod reuse;
mod unchanged;

pub use live::{build_live, Live, Staged};
use render::render_site;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::plan::{self, Page};
use crate::render::context::{KeptRows, Shared};
use crate::render::theme;
use crate::render::Renderer;
use crate::{charts, content, output, site};
use std::path::PathBuf;
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
    pub cards: crate::cards::Counts,
    /// The digest of the output as the build left it (`output::digest::tree`).
    pub digest: Option<u128>,
    /// Nothing had changed since the last build into the same output: nothing was rendered
    /// and the output was left as it was.
    pub unchanged: bool,
    /// How many pages were rendered; the others were taken as the last build wrote them
    /// (`reuse.rs`, serve's quick paths).
    pub rendered: usize,
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

    /// A build that had nothing to do: serve's, after a change that leaves the site as it was
    /// (a draft edited).
    pub(crate) fn nothing(start: std::time::Instant) -> Outcome {
        let millis = start.elapsed().as_millis();
        Outcome {
            summary: Some(Summary {
                millis,
                ..Summary::default()
            }),
            diagnostics: vec![],
        }
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
    prepare_keeping(opts, diags, None)
}

/// [`prepare`]; with `rest` (serve), what was read besides the projects is kept there.
fn prepare_keeping(
    opts: &BuildOptions,
    diags: &mut Diagnostics,
    rest: Option<&mut Option<content::Content>>,
) -> Option<Prepared> {
    let load = content::LoadOptions {
        base_url: opts.base_url.clone(),
        drafts: opts.drafts,
    };
    let mut content = content::load(&opts.root, &load, diags)?;
    if let Some(s) = opts.share_images {
        content.config.share_images = s;
    }
    if let Some(rest) = rest {
        *rest = Some(content.without_projects());
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
    let theme_statics = theme.as_ref().map(|t| t.static_names()).unwrap_or_default();
    let pages = plan::plan(&site, &theme_statics, diags);
    if site.config.base_url.is_none() {
        diags.push(
            Diagnostic::warning("content/site.yaml", None, "no `base_url`: canonical links, share cards, absolute feed links and sitemap.xml are left out")
                .with_hint("set `base_url:` in site.yaml or pass --base-url"),
        );
    }
    if site.config.oc4ids_prefix.is_none() && !site.projects.is_empty() {
        diags.push(
            Diagnostic::warning("content/site.yaml", None, "no `oc4ids_prefix`: data/oc4ids.json (the projects as OC4IDS open data) is left out")
                .with_hint("ask the Open Contracting Partnership for a project identifier prefix (https://standard.open-contracting.org/infrastructure/latest/en/guidance/identifiers/) and set `oc4ids_prefix: oc4ids-xxxxxx` in site.yaml"),
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

/// The values every page shares, for the site `p` with its charts drawn.
fn shared(p: &Prepared, charts: &[charts::Rendered]) -> Shared {
    shared_reusing(p, charts, KeptRows::default())
}

/// [`shared`], with rows kept from before an edit ([`Shared::new`]).
fn shared_reusing(p: &Prepared, charts: &[charts::Rendered], kept: KeptRows) -> Shared {
    let mut shared = Shared::new(&p.site, charts, kept);
    if p.site.config.base_url.is_none() {
        shared.not_found_style = p.theme.style_text();
    }
    shared
}

/// `sanpi check`: everything `build` validates, rendering included, without writing.
pub fn check(opts: &BuildOptions) -> Outcome {
    let opts = BuildOptions {
        lint: true,
        ..opts.clone()
    };
    run(&opts, false)
}

/// `sanpi build`: the whole site, written atomically, or nothing at all; nothing at all too
/// when nothing changed since the last build into the same output (`unchanged.rs`).
pub fn build(opts: &BuildOptions) -> Outcome {
    let start = Instant::now();
    let Some(before) = unchanged::fingerprint(opts) else {
        return run(opts, true);
    };
    if let Some(o) = unchanged::skip(opts, before.all, start) {
        return o;
    }
    let mut memo = reuse::Memo::default();
    let recording = render::Recording {
        prior: unchanged::prior(opts, &before),
        files: &before.projects,
        memo: &mut memo,
    };
    let outcome = run_with(opts, true, None, Some(recording));
    unchanged::record(opts, &before, &outcome, &memo);
    outcome
}

fn run(opts: &BuildOptions, write_output: bool) -> Outcome {
    run_with(opts, write_output, None, None)
}

/// A build; with `keep` (serve), the site is kept there in memory when it succeeds; with
/// `record` (build), what the next build needs to reuse pages is noted, and the pages the
/// last build wrote are reused where they can be.
fn run_with(
    opts: &BuildOptions,
    write_output: bool,
    keep: Option<&mut Option<Live>>,
    mut record: Option<render::Recording>,
) -> Outcome {
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
    let mut rest = None;
    let keeping = keep.is_some().then_some(&mut rest);
    let summary = prepare_keeping(opts, &mut diags, keeping).and_then(|p| {
        let prepared = start.elapsed().as_millis();
        let mut charts = charts::render_all(&p.site);
        let mut painter = render::painter(out.is_some(), &mut diags);
        if let Some(painter) = &painter {
            if let (Some(prior), Some(out)) = (record.as_ref().and_then(|r| r.prior.as_ref()), &out)
            {
                reuse::chart_pngs(&mut charts, prior, &out.real);
            }
            render::chart_pngs(&mut charts, painter, &mut diags);
        }
        if let Some(r) = &mut record {
            r.memo.pngs = reuse::note_chart_pngs(&charts);
        }
        let drawn = start.elapsed().as_millis() - prepared;
        let shared = shared(&p, &charts);
        let mut written = render::Written::default();
        let summary = render_site(
            &opts.root,
            &p,
            render::Drawn {
                charts: &charts,
                painter: &mut painter,
            },
            &shared,
            out.as_ref(),
            render::Wants {
                progress: opts.progress,
                keep: keep.is_some().then_some(&mut written),
                record,
            },
            &mut diags,
        )
        .map(|mut s| {
            s.steps.insert(0, ("load, validate, plan", prepared));
            s.steps.insert(1, ("charts and their PNGs", drawn));
            s
        });
        if let (Some(keep), Some(rest)) = (keep, rest) {
            if summary.is_some() && !diags.has_errors() {
                let kept = live::Kept {
                    prepared: p,
                    shared,
                    rest,
                    charts,
                    painter,
                    written,
                };
                *keep = Some(Live::new(kept, opts.clone()));
            }
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
