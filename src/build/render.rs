//! Rendering every page and file of a prepared site, and writing them into the staging
//! folder that replaces the output when everything was written.

use super::reuse::{self, Memo, Prior, Reuse};
use super::{deps, Prepared, Summary};
use crate::cards::Cards;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::write::Staging;
use crate::plan::Page;
use crate::render::context::Shared;
use crate::render::pages::Pages;
use crate::render::rows::RowStore;
use crate::render::theme::StaticSource;
use crate::share::Painter;
use crate::{charts, output, progress, urls};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Where a build's files go: the staging folder, or nowhere for `check`; with a hash of each
/// file written when serve keeps the site.
struct Sink(Option<Staging>, Option<Mutex<Vec<(String, u128)>>>);

impl Sink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        if let Some(hashes) = &self.1 {
            let h = output::search::hash(bytes);
            hashes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.to_string(), h));
        }
        match &self.0 {
            Some(s) => s
                .write(rel, bytes)
                .map_err(|e| Diagnostic::error("", None, format!("cannot write {rel}: {e}"))),
            None => Ok(()),
        }
    }

    /// Stages the output's file `from` as `rel` by a hard link (`Staging::link`); false
    /// when it was not (then the bytes are to be written), and always for serve, which
    /// keeps a hash of every file's bytes.
    fn link(&self, rel: &str, from: &Path) -> bool {
        match (&self.0, &self.1) {
            (Some(s), None) => s.link(rel, from).unwrap_or(false),
            _ => false,
        }
    }

    /// The theme's static files and the site's `content/static/`.
    fn statics(&self, p: &Prepared, diags: &mut Diagnostics) {
        let Some(s) = &self.0 else { return };
        for (rel, src) in &p.theme.statics {
            let r = match src {
                StaticSource::Builtin(b) => s.write(rel, b),
                StaticSource::File(f) => s.copy(rel, f),
            };
            if let Err(e) = r {
                let d = Diagnostic::error("", None, format!("cannot write {rel}: {e}"));
                diags.push(d);
            }
        }
        for st in &p.site.statics {
            if let Err(e) = s.copy(&st.output, &st.source) {
                let path = format!("content/static/{}", st.output);
                diags.push(Diagnostic::error(path, None, format!("cannot copy: {e}")));
            }
        }
    }

    /// Puts the new site in place of the old one; the digest of what it wrote.
    fn commit(self) -> Result<Option<u128>, Diagnostic> {
        match self.0 {
            Some(s) => s.commit().map(Some).map_err(|e| {
                Diagnostic::error("", None, format!("cannot put the new site in place: {e}"))
            }),
            None => Ok(None),
        }
    }
}

/// The share cards of this build, when it draws them: only a build (not `check`), with a
/// base_url (og:image is absolute) and a CJK font.
fn cards(
    root: &Path,
    p: &Prepared,
    painter: &mut Option<Painter>,
    out: Option<&output::target::Output>,
    diags: &mut Diagnostics,
) -> Option<Cards> {
    let c = &p.site.config;
    let out = out.filter(|_| c.share_images && c.base_url.is_some())?;
    let (cards, warning) = Cards::with_painter(painter.take()?, root, &out.real);
    diags.extend(warning.map(|m| Diagnostic::warning("", None, m)));
    Some(cards)
}

/// The painter of a build that writes (`check` draws no pictures): one for the charts' PNGs
/// and the share cards. Without a CJK font, one warning, and neither is drawn.
pub(super) fn painter(writes: bool, diags: &mut Diagnostics) -> Option<Painter> {
    if !writes {
        return None;
    }
    match Painter::new() {
        Ok(p) => Some(p),
        Err(m) => {
            diags.push(Diagnostic::warning("", None, m));
            None
        }
    }
}

/// Draws every chart as a PNG twice the SVG's size, in parallel (those that hold one
/// already keep it); a chart that cannot be drawn is an error.
pub(super) fn chart_pngs(
    charts: &mut [charts::Rendered],
    painter: &Painter,
    diags: &mut Diagnostics,
) {
    let errors: Vec<Diagnostic> = charts
        .par_iter_mut()
        .filter(|r| r.png.is_none())
        .filter_map(|r| match painter.svg_png(&r.svg, 2.0) {
            Ok(png) => {
                r.png = Some(png);
                None
            }
            Err(e) => Some(Diagnostic::error(
                "",
                None,
                format!("cannot draw {}: {e}", urls::chart_png(&r.chart.name)),
            )),
        })
        .collect();
    painter.forget_lines();
    diags.extend(errors);
}

/// How pages are rendered: with `prints` (serve, build), the fingerprint of each page told
/// by its values is kept there; with `reuse` (build), a page whose inputs did not change is
/// taken from the output instead of rendered.
struct Rendering<'a> {
    prints: Option<&'a Mutex<Vec<(String, u128)>>>,
    reuse: Option<&'a Reuse<'a>>,
    rendered: AtomicUsize,
    /// Each share card's key by its file, noted for the next build (build).
    cards: Option<&'a Mutex<Vec<(String, u128)>>>,
}

/// A page made: its bytes to write, or already in the staging folder (the output's file,
/// linked).
enum Made {
    Bytes(Vec<u8>),
    Placed,
}

impl Rendering<'_> {
    /// `page`, rendered or reused.
    fn page(&self, pages: &Pages, page: &Page, sink: &Sink) -> Result<Made, Diagnostic> {
        let reused = |print| {
            let r = self.reuse.filter(|r| r.same(pages.site, page, print))?;
            let rel = urls::file_of(&page.path);
            if sink.link(&rel, &r.path(&rel)) {
                return Some(Made::Placed);
            }
            r.bytes(&rel).map(Made::Bytes)
        };
        let render = |html: Result<Vec<u8>, Diagnostic>| {
            self.rendered.fetch_add(1, Ordering::Relaxed);
            html.map(Made::Bytes)
        };
        match self.prints {
            Some(prints) if matches!(deps::told(page), deps::Told::Values) => {
                let (template, ctx, later) = pages.context_parts(page)?;
                let reads = pages.renderer.reads(template);
                let with = Some((&later, pages));
                let (print, mut ctx) =
                    deps::fingerprint(template, ctx, reads, with, &pages.shared.base);
                let mut all = prints.lock().unwrap_or_else(|e| e.into_inner());
                all.push((page.path.clone(), print));
                drop(all);
                match reused(Some(print)) {
                    Some(made) => Ok(made),
                    None => {
                        pages.put_later(template, &mut ctx, &later)?;
                        render(pages.render_context(template, ctx))
                    }
                }
            }
            _ => match reused(None) {
                Some(made) => Ok(made),
                None => render(pages.render(page)),
            },
        }
    }

    /// Stages the share card of `page`: the output's file when it is the same card (its
    /// key as the last build noted it), else from the cache or drawn.
    fn card(
        &self,
        cards: &Cards,
        card: &crate::share::Card,
        page: &Page,
        sink: &Sink,
    ) -> Result<(), Diagnostic> {
        let rel = urls::share_image(&page.path);
        let planned = cards.plan(card);
        let key = planned.key;
        if let Some(noted) = self.cards {
            noted
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((rel.clone(), key));
        }
        if let Some(r) = self.reuse.filter(|r| r.card_same(&rel, key)) {
            if sink.link(&rel, &r.path(&rel)) {
                cards.taken(key);
                return Ok(());
            }
        }
        let png = cards.png_planned(planned).map_err(|e| {
            let m = format!("cannot draw the share image of /{}: {e}", page.path);
            Diagnostic::error("", None, m)
        })?;
        sink.write(&rel, &png)
    }
}

/// Renders every page (and its share card) in parallel and writes it; the errors.
fn render_pages(
    p: &Prepared,
    pages: &Pages,
    cards: Option<&Cards>,
    sink: &Sink,
    show_progress: bool,
    how: &Rendering,
) -> Vec<Diagnostic> {
    let bar = progress::Progress::new(p.pages.len(), show_progress);
    let errors = p
        .pages
        .par_iter()
        .filter_map(|page| {
            bar.inc();
            let html = how.page(pages, page, sink).and_then(|made| match made {
                Made::Bytes(html) => sink.write(&urls::file_of(&page.path), &html),
                Made::Placed => Ok(()),
            });
            let card = match (cards, pages.card(page)) {
                (Some(cards), Some(card)) if page.has_card() => how.card(cards, &card, page, sink),
                _ => Ok(()),
            };
            html.and(card).err()
        })
        .collect();
    bar.finish();
    errors
}

/// The charts of a build, drawn, and the painter that drew their PNGs (none for `check` or
/// without a CJK font), which then draws the share cards (and is taken for them).
pub(super) struct Drawn<'a> {
    pub charts: &'a [charts::Rendered],
    pub painter: &'a mut Option<Painter>,
}

/// What a build asks of rendering besides the site.
pub(super) struct Wants<'a> {
    /// Show a progress bar on the terminal when rendering takes a while.
    pub progress: bool,
    /// Keep here what serve's edits need of what was written (serve).
    pub keep: Option<&'a mut Written>,
    /// Reuse the pages of the last build where their inputs did not change, and note what
    /// the next build needs to (build).
    pub record: Option<Recording<'a>>,
}

/// A build's record of its pages for the next one (`reuse.rs`).
pub(super) struct Recording<'a> {
    /// What the last build into the same output recorded, when it read the same inputs but
    /// the project files.
    pub prior: Option<Prior>,
    /// Each project file's fingerprint now.
    pub files: &'a HashMap<String, u128>,
    pub memo: &'a mut Memo,
}

/// What a build wrote, as serve keeps it: the search index, a hash of every other file of
/// pages and data (not the static files) by path in the output, and the fingerprints of the
/// pages told by their values (`deps.rs`) by page path.
#[derive(Default)]
pub(super) struct Written {
    pub search: Option<output::search::Held>,
    pub files: HashMap<String, u128>,
    pub prints: HashMap<String, u128>,
    /// The rows of lists as drawn, for the pages of serve's edits (`render/rows.rs`).
    pub rows: RowStore,
}

/// Renders every page and file; writes them when `out` is given.
pub(super) fn render_site(
    root: &Path,
    p: &Prepared,
    drawn: Drawn,
    shared: &Shared,
    out: Option<&output::target::Output>,
    wants: Wants,
    diags: &mut Diagnostics,
) -> Option<Summary> {
    let Wants {
        progress: show_progress,
        keep,
        record,
    } = wants;
    let mut steps = Vec::new();
    let mut clock = Instant::now();
    let mut step = |name: &'static str| {
        steps.push((name, clock.elapsed().as_millis()));
        clock = Instant::now();
    };
    let Drawn { charts, painter } = drawn;
    let cards = cards(root, p, painter, out, diags);
    // serve keeps the rows it draws; a build, which draws each at most a few times, does not.
    let rows_kept = keep
        .is_some()
        .then(|| RowStore::for_base(deps::base_fingerprint(shared)));
    let pages = Pages {
        site: &p.site,
        shared,
        renderer: &p.renderer,
        share_images: cards.is_some(),
        rows_kept: rows_kept.as_ref(),
    };
    let hashes = keep.is_some().then(|| Mutex::new(Vec::new()));
    let prints = (keep.is_some() || record.is_some()).then(|| Mutex::new(Vec::new()));
    let mut sink = match out.map(Staging::new).transpose() {
        Ok(s) => Sink(s, hashes),
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    // What the next build needs, and the pages of the last one to reuse: only when the
    // output is still exactly what that build left (checked now, under the output's lock).
    let (memo, prior, files) = match record {
        Some(r) => (Some(r.memo), r.prior, Some(r.files)),
        None => (None, None, None),
    };
    let base = memo.as_ref().map(|_| deps::base_fingerprint(shared));
    let rows = match memo {
        Some(_) => reuse::rows(&p.site, shared),
        None => Vec::new(),
    };
    let unchanged =
        |pr: &Prior| out.is_some_and(|o| output::digest::tree(&o.real).ok() == Some(pr.digest));
    let reuse = match (prior.filter(unchanged), files, base, out) {
        (Some(prior), Some(files), Some(base), Some(o)) => {
            Some(Reuse::new(prior, files, &rows, base, o.real.clone()))
        }
        _ => None,
    };
    let noted_cards = memo.is_some().then(|| Mutex::new(Vec::new()));
    let how = Rendering {
        prints: prints.as_ref(),
        reuse: reuse.as_ref(),
        rendered: AtomicUsize::new(0),
        cards: noted_cards.as_ref(),
    };
    // The data files, feeds and search index are made while the pages render: much of their
    // work (feeds, sitemap, data files) runs on one core, which the pages' share of both
    // cores then fills.
    // The search index is made beside the other data files: after an edit, with most pages
    // taken from the output, the index is the longest of the three.
    let data = || {
        let mut local = Diagnostics::new();
        let mut failed = Vec::new();
        let n = output::files(
            &p.site,
            &p.renderer,
            charts,
            &p.pages,
            &mut local,
            &mut |rel, bytes| {
                if let Err(d) = sink.write(rel, bytes) {
                    failed.push(d);
                }
            },
        );
        local.extend(failed);
        (n, local)
    };
    let search = || {
        let mut failed = Vec::new();
        let mut n = 0;
        let mut emit = |rel: &str, bytes: &[u8]| {
            n += 1;
            if let Err(d) = sink.write(rel, bytes) {
                failed.push(d);
            }
        };
        let held = match keep.is_some() {
            true => Some(output::search::files_held(&p.site, &mut emit)),
            false => {
                output::search::files(&p.site, &mut emit);
                None
            }
        };
        (n, failed, held)
    };
    let (errors, ((extra, mut data_diags), (search_n, search_failed, held))) = rayon::join(
        || render_pages(p, &pages, cards.as_ref(), &sink, show_progress, &how),
        || rayon::join(data, search),
    );
    let extra = extra + search_n;
    data_diags.extend(search_failed);
    let mut hold_search = held;
    step("pages, data, feeds");
    let rendered = how.rendered.load(Ordering::Relaxed);
    let prints_now = prints
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .unwrap_or_default();
    if let Some(m) = memo {
        m.base = base.unwrap_or_default();
        m.rows = rows;
        m.prints = prints_now.clone();
        m.cards = noted_cards
            .as_ref()
            .map(|c| std::mem::take(&mut *c.lock().unwrap_or_else(|e| e.into_inner())))
            .unwrap_or_default();
    }
    let mut files = p.pages.len();
    let mut card_counts = crate::cards::Counts::default();
    if let Some(c) = cards {
        files += p.pages.iter().filter(|x| x.has_card()).count();
        // The cache is pruned to what this build used only when every card was made.
        if errors.is_empty() {
            let (counts, warning) = c.finish();
            card_counts = counts;
            diags.extend(warning.map(|m| Diagnostic::warning("", None, m)));
        }
    }
    diags.extend(errors);
    diags.extend(data_diags);
    sink.statics(p, diags);
    files += extra + p.theme.statics.len() + p.site.statics.len();
    if diags.has_errors() {
        return None;
    }
    step("static files");
    if let Some(keep) = keep {
        let search = hold_search.take();
        let index: std::collections::HashSet<&str> = search
            .iter()
            .flat_map(|h| h.files.iter().map(|(r, _)| r.as_str()))
            .collect();
        let hashes = sink
            .1
            .take()
            .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()));
        keep.files = hashes
            .into_iter()
            .flatten()
            .filter(|(r, _)| !index.contains(r.as_str()))
            .collect();
        keep.search = search;
        keep.prints = prints_now.iter().cloned().collect();
        keep.rows = rows_kept.unwrap_or_default();
    }
    let digest = match sink.commit() {
        Ok(d) => d,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    step("swap into place");
    Some(Summary {
        pages: p.pages.len(),
        projects: p.site.projects.len(),
        charts: charts.len(),
        files,
        millis: 0,
        steps,
        cards: card_counts,
        digest,
        unchanged: false,
        rendered,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::Kind;

    /// What each page's share card shows, read from its SVG text: a project's card its own
    /// facts, a batch's its batch, a period's what entered each batch in it, the home page's
    /// the headline chart; none carries the headline chart as if it were its page's money.
    #[test]
    fn each_card_shows_its_own_page() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let mut diags = Diagnostics::new();
        let p = super::super::prepare(&super::super::BuildOptions::new(&root), &mut diags)
            .expect("the fixture builds");
        let charts = charts::render_all(&p.site);
        let shared = Shared::new(&p.site, &charts, Default::default());
        let pages = Pages {
            site: &p.site,
            shared: &shared,
            renderer: &p.renderer,
            share_images: true,
            rows_kept: None,
        };
        let svg = |path: &str| {
            let page = p.pages.iter().find(|x| x.path == path).expect(path);
            crate::share::card_svg(&pages.card(page).expect(path), "F")
        };
        let headline = shared.headline().expect("a headline chart");
        let headline_bars: Vec<&str> = headline
            .bars
            .iter()
            .map(|b| b.value_text.as_str())
            .collect();
        let shows_headline = |s: &str| s.contains(&headline.title);

        let home = svg("");
        assert!(shows_headline(&home), "{home}");
        for v in &headline_bars {
            assert!(home.contains(v), "{v} on the home card");
        }

        let alpha = svg("projects/alpha/");
        for want in [
            "阿尔法新材料研发基地项目",
            "签约一批 · 第二期",
            "总投资",
            "10.5 亿元",
            "建设单位 阿尔法材料有限公司",
        ] {
            assert!(alpha.contains(want), "{want} missing: {alpha}");
        }
        assert!(!alpha.contains("东区"), "the owner, else the location");
        let eta = svg("projects/eta/");
        assert!(
            eta.contains("总投资未载明") && eta.contains("投产一批 · 第一期"),
            "{eta}"
        );

        let signed = &shared.batches[0];
        let batch = svg("batches/signed/");
        assert!(
            batch.contains(signed.investment.as_deref().unwrap()),
            "{batch}"
        );
        assert!(
            batch.contains(&format!("收录项目数 {} 个", signed.count)),
            "{batch}"
        );

        let period = svg("periods/2/");
        assert!(period.contains("第二期：列入各批次的项目"), "{period}");
        // Its own headline: what it added, as published.
        assert!(
            period.contains("本期新增（公布数）") && period.contains("3 个 · 50.8 亿元"),
            "{period}"
        );
        assert!(!shows_headline(&period));

        // A chart's page: the chart itself, its unit, its bars and its source line.
        let chart = &shared.chart_data["investment-by-batch"];
        let card = svg("charts/investment-by-batch/");
        assert!(
            card.contains(&chart.title) && card.contains("单位："),
            "{card}"
        );
        for b in &chart.bars {
            assert!(
                card.contains(&b.value_text),
                "{} on the chart's card",
                b.value_text
            );
        }
        assert!(card.contains("来源："), "{card}");

        // No other card draws bars: the frame's four rectangles only (the background and
        // the coloured band).
        for page in &p.pages {
            if matches!(page.kind, Kind::Home | Kind::Period(_) | Kind::Chart(_)) {
                continue;
            }
            if let Some(card) = pages.card(page) {
                let s = crate::share::card_svg(&card, "F");
                assert_eq!(s.matches("<rect").count(), 4, "/{}: {s}", page.path);
            }
        }
    }
}
