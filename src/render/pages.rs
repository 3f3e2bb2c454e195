//! Rendering one planned page: which template and which views each page kind gets (the
//! template contract of docs/format.md), the head every page shares, and Markdown bodies
//! with their shortcodes.

use super::context::Shared;
use super::later::{Late, Later, Rows};
use super::regions::{RankingView, RegionRow, RegionView};
use super::rows::RowStore;
use super::targets::{ChainView, TargetsView};
use super::views::{
    ArticleItem, ArticleView, ChartPageView, CiteView, FeedLink, IndicatorView, PageHead,
    PagerView, PeriodView, PoolPeriodView, PoolView, ProjectView, ProvenanceView, SectorLink,
    SectorView, SourceView, UnknownConversions,
};
use super::Renderer;
use crate::content::article::{Article, Kind as ArticleKind};
use crate::diagnostics::Diagnostic;
use crate::labels;
use crate::markdown::{Markdown, Segment, ROOT};
use crate::model::{Batch, SiteChart};
use crate::plan::{slice, Kind, Page, Pager};
use crate::shortcode::Call;
use crate::site::Site;
use crate::urls;
use serde_json::json;
use std::borrow::Cow;
use tera::Context;

thread_local! {
    /// This thread's copy of the `base` of the build whose [`Shared::id`] it holds.
    static BASE: std::cell::RefCell<Option<(u64, Context)>> = const { std::cell::RefCell::new(None) };
}

/// Renders the pages of one build.
pub(crate) struct Pages<'a> {
    pub site: &'a Site,
    pub shared: &'a Shared,
    pub renderer: &'a Renderer,
    /// Whether share images are drawn, so that pages name them.
    pub share_images: bool,
    /// The rows serve drew for earlier edits (`rows.rs`); None in a build.
    pub rows_kept: Option<&'a RowStore>,
}

/// What a page kind hands to its template, besides the values every page gets.
struct View<'s> {
    template: &'static str,
    title: String,
    description: Option<Cow<'s, str>>,
    og_type: &'static str,
    ctx: Context,
    /// The rows of projects a list's page shows, and its large values, put into `ctx` only
    /// when it is rendered.
    later: Later<'s>,
}

impl<'s> View<'s> {
    /// A listing or other page of the site's own, titled `title`.
    fn new(template: &'static str, title: impl Into<String>, ctx: Context) -> View<'s> {
        View {
            template,
            title: title.into(),
            description: None,
            og_type: "website",
            ctx,
            later: Later::default(),
        }
    }

    /// This view with `projects` as the rows it shows.
    fn with_rows(mut self, projects: Vec<usize>) -> View<'s> {
        self.later.rows = Some(Rows::Projects(projects));
        self
    }

    /// This view with `value` as `key`, put in when the page is rendered ([`Late`]).
    fn late(&mut self, key: &'static str, value: impl Late + 's) {
        self.later.values.push((key, Box::new(value)));
    }
}

impl<'a> Pages<'a> {
    /// The HTML of `page`.
    pub(crate) fn render(&self, page: &Page) -> Result<Vec<u8>, Diagnostic> {
        let (template, ctx) = self.context(page)?;
        self.render_context(template, ctx)
    }

    /// What `page` hands to its template besides the values every page gets (`base`): the
    /// template and the page's own values. With the same template, `base` and values, a page
    /// renders to the same bytes.
    pub(crate) fn context(&self, page: &Page) -> Result<(&'static str, Context), Diagnostic> {
        let (template, mut ctx, later) = self.context_parts(page)?;
        self.put_later(template, &mut ctx, &later)?;
        Ok((template, ctx))
    }

    /// [`Pages::context`] with the rows of a list's page and the large values apart
    /// ([`Later`]); they join the values through [`Pages::put_later`].
    pub(crate) fn context_parts(
        &self,
        page: &Page,
    ) -> Result<(&'static str, Context, Later<'a>), Diagnostic> {
        let root = urls::root_of(&page.path);
        let mut view = self.view(page, &root)?;
        self.paginate(page, &mut view);
        self.head(page, &mut view, root);
        Ok((view.template, view.ctx, view.later))
    }

    /// A page's HTML from its [`Pages::context`]. The page's values are moved into this
    /// thread's copy of `base` for the rendering and taken out again after it: copying
    /// `base` (the words, the navigation) for every page cost about a tenth of a build.
    pub(crate) fn render_context(
        &self,
        template: &'static str,
        ctx: Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let serde_json::Value::Object(values) = ctx.into_json() else {
            unreachable!("a context is an object")
        };
        let (html, hides) = self.with_base(|full| {
            let keys: Vec<String> = values.keys().cloned().collect();
            // A page's value of the same name as one of `base` hides it for this page only:
            // the copy is then made again for the next.
            let hides = keys.iter().any(|k| full.contains_key(k));
            let page = Context::from_value(serde_json::Value::Object(values)).unwrap_or_default();
            full.extend(page);
            // Bytes, as they are written: tera's string would be checked as UTF-8 again.
            let mut html = Vec::with_capacity(64 << 10);
            let html = self
                .renderer
                .render_to(template, full, &mut html)
                .map(|()| html);
            for k in &keys {
                full.remove(k);
            }
            (html, hides)
        });
        if hides {
            BASE.with(|cell| {
                if let Some((id, _)) = cell.borrow_mut().as_mut() {
                    *id = 0;
                }
            });
        }
        html
    }

    /// Runs `f` with this thread's copy of `base` (made again when it is another build's).
    pub(super) fn with_base<R>(&self, f: impl FnOnce(&mut Context) -> R) -> R {
        BASE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (id, full) = cell.get_or_insert_with(|| (0, Context::new()));
            if *id != self.shared.id {
                *full = self.shared.base.clone();
                *id = self.shared.id;
            }
            f(full)
        })
    }

    fn view(&self, page: &Page, root: &str) -> Result<View<'a>, Diagnostic> {
        let site = self.site;
        let pager = page.pager.as_ref();
        Ok(match &page.kind {
            Kind::Home => self.home(),
            Kind::Projects => self.projects(pager),
            Kind::Project(i) => self.project(*i, root)?,
            Kind::Batch(b) => self.batch(*b, pager),
            Kind::Period(i) => self.period(*i, root, pager)?,
            Kind::Sector(i) => self.sector(*i, pager),
            Kind::Bulletins => {
                let mut ctx = Context::new();
                let all = ArticleItem::bulletins(site, usize::MAX);
                ctx.insert("bulletins", crate::plan::slice(&all, pager));
                View::new("bulletins.html", labels::label("bulletins"), ctx)
            }
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                self.article("bulletin.html", a, urls::bulletin(&a.slug), root)?
            }
            Kind::Page(i) => {
                let a = &site.pages[*i];
                self.article("page.html", a, urls::page(&a.slug), root)?
            }
            Kind::Search => {
                let mut ctx = Context::new();
                ctx.insert(
                    "words",
                    &json!({
                        "found": labels::label("search_found"),
                        "found_so_far": labels::label("search_found_so_far"),
                        "unavailable": labels::label("search_unavailable"),
                        "failed": labels::label("search_piece_failed"),
                        "more": labels::label("search_more"),
                        "more_left": labels::label("search_more_left"),
                        "shown": labels::label("search_shown"),
                        "partial": labels::label("search_partial"),
                        "kind": {"p": labels::label("projects"), "b": labels::label("bulletins"), "g": labels::label("page")},
                    }),
                );
                View::new("search.html", labels::label("search"), ctx)
            }
            Kind::Chart(name) | Kind::ChartEmbed(name) => {
                let chart = self.shared.chart(name).ok_or_else(|| {
                    Diagnostic::error("", None, format!("no chart is named {name}"))
                })?;
                let template = match page.kind {
                    Kind::Chart(_) => "chart.html",
                    _ => "embed.html",
                };
                let mut view = View {
                    description: Some(Cow::Borrowed(chart.desc.as_str())),
                    ..View::new(template, chart.title.clone(), Context::new())
                };
                view.late("chart", chart);
                view.late("chart_page", ChartPageView::new(site, chart));
                view
            }
            Kind::Regions => {
                let mut ctx = Context::new();
                ctx.insert("regions", &RegionRow::all(site));
                let charts: Vec<_> = [
                    crate::charts::regions::INVESTMENT_BY_REGION,
                    crate::charts::regions::PROJECTS_BY_REGION,
                ]
                .iter()
                .filter_map(|c| self.shared.chart(c))
                .collect();
                ctx.insert("charts", &charts);
                ctx.insert(
                    "unplaced",
                    &site.region_of.iter().filter(|r| r.is_none()).count(),
                );
                View::new("regions.html", labels::label("regions"), ctx)
            }
            Kind::Region(i) => self.region(*i, pager),
            Kind::Rankings => {
                let mut ctx = Context::new();
                ctx.insert("rankings", &RankingView::all(site));
                View::new("rankings.html", labels::label("rankings"), ctx)
            }
            Kind::Targets | Kind::TargetsYear(_) => {
                let year = match page.kind {
                    Kind::TargetsYear(y) => Some(y),
                    _ => None,
                };
                let mut ctx = Context::new();
                ctx.insert("year", &year);
                ctx.insert("files", &TargetsView::of(site, year, None));
                let years: Vec<_> = super::targets::years(site)
                    .into_iter()
                    .map(|y| json!({"year": y, "path": urls::targets_year(y)}))
                    .collect();
                ctx.insert("years", &years);
                let charts: Vec<_> = super::targets::years(site)
                    .into_iter()
                    .filter(|y| year.is_none_or(|x| x == *y))
                    .filter_map(|y| self.shared.chart(&crate::charts::targets::name(y)))
                    .collect();
                ctx.insert("charts", &charts);
                let title = match year {
                    Some(y) => labels::label("targets_year").replace("{year}", &y.to_string()),
                    None => labels::label("targets").to_string(),
                };
                View::new("targets.html", title, ctx)
            }
            Kind::NotFound => View::new("404.html", labels::label("not_found"), Context::new()),
            Kind::Redirect { to } => {
                let mut ctx = Context::new();
                ctx.insert("target", &format!("{root}{to}"));
                ctx.insert("target_path", to);
                View::new("redirect.html", labels::label("redirect_text"), ctx)
            }
        })
    }

    fn home(&self) -> View<'a> {
        let site = self.site;
        let mut ctx = Context::new();
        let charts: Vec<_> = SiteChart::ALL
            .iter()
            .filter_map(|c| self.shared.chart(c.name()))
            .collect();
        ctx.insert("charts", &charts);
        ctx.insert("batches", &self.shared.batches);
        ctx.insert("pool", &PoolView::new(site));
        self.measures(&mut ctx, None);
        ctx.insert("conversions_unknown", &UnknownConversions::new(site));
        ctx.insert("bulletins", &ArticleItem::bulletins(site, 5));
        let periods: Vec<_> = site
            .periods
            .iter()
            .map(|p| PeriodView::new(site, p))
            .collect();
        ctx.insert("periods", &periods);
        if let Some(p) = site.latest_period() {
            ctx.insert("latest_period", &PeriodView::new(site, p));
        }
        ctx.insert("sectors", &SectorLink::all(site));
        // The latest year's targets: the site's own, else every region's of that year.
        if let Some(&y) = super::targets::years(site).first() {
            let own = TargetsView::of(site, Some(y), Some(None));
            let files = if own.is_empty() {
                TargetsView::of(site, Some(y), None)
            } else {
                own
            };
            ctx.insert("targets", &files);
        }
        ctx.insert("chain", &ChainView::all(&site.chain));
        View {
            description: site.config.description.as_deref().map(Cow::Borrowed),
            ..View::new("index.html", site.config.title.clone(), ctx)
        }
    }

    /// The rates (all, or one batch's), the pool as of each period and the source of the
    /// latest period's declared figures: `indicators`, `pool_by_period`, `declared_source`.
    fn measures(&self, ctx: &mut Context, batch: Option<Batch>) {
        let site = self.site;
        let value = |v: serde_json::Result<serde_json::Value>| v.unwrap_or_default();
        let made = self.shared.measures[batch.map_or(0, |b| b.index() + 1)].get_or_init(|| {
            vec![
                (
                    "indicators",
                    value(serde_json::to_value(IndicatorView::all(site, batch))),
                ),
                (
                    "indicators_declared",
                    value(serde_json::to_value(IndicatorView::any_declared(site))),
                ),
                (
                    "pool_by_period",
                    value(serde_json::to_value(PoolPeriodView::all(site))),
                ),
                (
                    "declared_source",
                    value(serde_json::to_value(
                        site.latest_period().and_then(SourceView::of_period),
                    )),
                ),
            ]
        });
        for (k, v) in made {
            ctx.insert(*k, v);
        }
    }

    fn projects(&self, pager: Option<&Pager>) -> View<'a> {
        let mut ctx = Context::new();
        // The rows of the page, as `slice` takes them from all the rows.
        let n = self.shared.rows.len();
        let shown = match pager.map(Pager::range) {
            Some(r) if r.start <= r.end && r.end <= n => r.collect(),
            Some(_) => Vec::new(),
            None => (0..n).collect(),
        };
        ctx.insert("batches", &self.shared.batches);
        ctx.insert("sectors", &SectorLink::all(self.site));
        ctx.insert("filter", &true);
        let words = ["filter", "all", "batch", "period", "sector", "progress"]
            .map(|k| (k, labels::label(k)));
        let mut words: serde_json::Map<String, serde_json::Value> = words
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        words.insert("shown".into(), json!(labels::label("filter_shown")));
        if self.site.has_regions() {
            for k in ["region", "region_unplaced"] {
                words.insert(k.into(), json!(labels::label(k)));
            }
        }
        // Every choice of each filter, in the site's order (the script sorts nothing itself).
        let values = self
            .shared
            .filter_values
            .get_or_init(|| self.filter_values());
        words.insert("values".into(), values.clone());
        if pager.is_some() {
            // The page holds some rows only: the sorts and the words for loading the compact
            // table of all rows (`data-rows`) come with it.
            for k in [
                "sort",
                "sort_default",
                "sort_investment_desc",
                "sort_investment_asc",
                "sort_name",
                "rows_loading",
                "rows_unavailable",
                "show_all",
            ] {
                words.insert(k.into(), json!(labels::label(k)));
            }
        }
        ctx.insert("filter_words", &words);
        View::new("projects.html", labels::label("all_projects"), ctx).with_rows(shown)
    }

    /// Every value each filter of `/projects/` can choose, in the order the filter shows them.
    fn filter_values(&self) -> serde_json::Value {
        let site = self.site;
        let ps = &site.projects;
        let batches: Vec<&str> = Batch::ALL
            .iter()
            .filter(|&&b| ps.iter().any(|p| p.batch == b))
            .map(|&b| labels::batch(b))
            .collect();
        // Periods in order, 期次未载明 last; sectors in the site's order; progress in its own.
        let periods: Vec<String> = site
            .periods
            .iter()
            .map(|x| Some(x.number))
            .chain([None])
            .filter(|&n| ps.iter().any(|p| p.period == n))
            .map(labels::period_or_unknown)
            .collect();
        let sectors: Vec<&str> = site
            .sectors
            .iter()
            .filter(|s| !s.projects.is_empty())
            .map(|s| s.name.as_str())
            .collect();
        let progress: Vec<&str> = crate::model::Progress::ALL
            .iter()
            .filter(|&&g| ps.iter().any(|p| p.progress == Some(g)))
            .map(|&g| labels::progress(g))
            .collect();
        // Every region with projects at or below it, in the tree's order, by its names.
        let regions: Vec<String> = (0..site.region_tree.list.len())
            .filter(|&r| !site.regions[r].projects.is_empty())
            .map(|r| site.region_names(r))
            .collect();
        let mut values =
            json!({"batch": batches, "period": periods, "sector": sectors, "progress": progress});
        if let (true, Some(m)) = (site.has_regions(), values.as_object_mut()) {
            m.insert("region".into(), json!(regions));
        }
        values
    }

    fn project(&self, i: usize, root: &str) -> Result<View<'a>, Diagnostic> {
        let p = &self.site.projects[i];
        let mut ctx = Context::new();
        ctx.insert(
            "project",
            &ProjectView::new(self.site, p, &self.shared.rows[i]),
        );
        ctx.insert("content", &self.body(&p.body, root)?);
        ctx.insert("provenance", &ProvenanceView::new(self.site, p));
        // The page's description is its facts, as in the batch feeds, not the site's words.
        let facts = labels::project_facts(
            labels::batch(p.batch),
            p.period,
            p.investment
                .map(|a| labels::money(a, &self.site.config.unit)),
            p.owner.as_deref(),
            p.location.as_deref(),
        );
        Ok(View {
            og_type: "article",
            description: Some(Cow::Owned(facts)),
            ..View::new("project.html", p.name.clone(), ctx)
        })
    }

    fn batch(&self, b: Batch, pager: Option<&Pager>) -> View<'a> {
        let mut ctx = Context::new();
        ctx.insert("batch", &self.shared.batches[b.index()]);
        ctx.insert("hide_batch", &true);
        self.measures(&mut ctx, Some(b));
        ctx.insert("chart", &self.shared.chart(&crate::charts::batch_name(b)));
        let projects = slice(&self.site.batch(b).projects, pager);
        View::new("batch.html", labels::batch(b), ctx).with_rows(projects.to_vec())
    }

    fn period(&self, i: usize, root: &str, pager: Option<&Pager>) -> Result<View<'a>, Diagnostic> {
        let site = self.site;
        let p = &site.periods[i];
        let mut ctx = Context::new();
        let view = PeriodView {
            summary_html: Some(self.body(&p.summary, root)?),
            ..PeriodView::new(site, p)
        };
        ctx.insert("period", &view);
        ctx.insert("source", &SourceView::of_period(p));
        ctx.insert("pool_now", &PoolPeriodView::of_period(site, p.number));
        ctx.insert(
            "chart",
            &self.shared.chart(&crate::charts::period_name(p.number)),
        );
        let title = p.title.clone().unwrap_or_else(|| labels::period(p.number));
        let mut view = View::new("period.html", title, ctx);
        view.later.rows = Some(Rows::Changes(p.number, pager.copied()));
        Ok(view)
    }

    fn sector(&self, i: usize, pager: Option<&Pager>) -> View<'a> {
        let s = &self.site.sectors[i];
        let mut ctx = Context::new();
        ctx.insert("sector", &SectorView::new(self.site, s));
        ctx.insert(
            "chart",
            &self.shared.chart(&crate::charts::sector_name(&s.slug)),
        );
        View::new("sector.html", s.name.clone(), ctx).with_rows(slice(&s.projects, pager).to_vec())
    }

    fn region(&self, i: usize, pager: Option<&Pager>) -> View<'a> {
        let site = self.site;
        let r = &site.region_tree.list[i];
        let mut ctx = Context::new();
        // The bulletins that name the region or a region below it, newest first.
        let bulletins: Vec<_> = site
            .bulletins
            .iter()
            .filter(|a| {
                let at = a.region.as_deref().and_then(|p| site.region_tree.find(p));
                at.is_some_and(|j| site.region_tree.within(j, i))
            })
            .map(|a| ArticleItem::new(a, urls::bulletin(&a.slug)))
            .collect();
        ctx.insert("bulletins", &bulletins);
        let projects = slice(&site.regions[i].projects, pager).to_vec();
        let mut view = View::new("region.html", r.name.clone(), ctx).with_rows(projects);
        view.late("region", RegionView::new(site, i));
        view.late("chart", self.shared.chart(&urls::region_chart(&r.path)));
        // Lists (of one), so that the page includes each with `chart` as its loop variable.
        for (key, suffix) in [
            ("rates_charts", crate::charts::regions::RATES),
            ("pool_charts", crate::charts::regions::POOL),
        ] {
            let chart = self.shared.chart(&urls::region_chart_of(&r.path, suffix));
            view.late(key, chart.into_iter().collect::<Vec<_>>());
        }
        view.late("chain", ChainView::all(&site.regions[i].chain));
        view.late("targets", TargetsView::of(site, None, Some(Some(&r.path))));
        view
    }

    fn article(
        &self,
        template: &'static str,
        a: &'a Article,
        path: String,
        root: &str,
    ) -> Result<View<'a>, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("article", &ArticleView::new(a, path));
        if a.kind == ArticleKind::Bulletin {
            ctx.insert("notice", &super::portal::NoticeView::of(self.site, a));
        }
        ctx.insert("content", &self.body(&a.body, root)?);
        Ok(View {
            description: a.summary.as_deref().map(Cow::Borrowed),
            og_type: match a.kind {
                ArticleKind::Bulletin => "article",
                _ => "website",
            },
            ..View::new(template, a.title.clone(), ctx)
        })
    }

    /// A list's page of several: `pager`, and the page number in its title. Lists on one page
    /// get no `pager` at all, so that their HTML is what it was before pages existed.
    fn paginate(&self, page: &Page, view: &mut View) {
        let (Some(p), Some((list, items))) = (&page.pager, self.list_path(&page.kind)) else {
            return;
        };
        let projects = match page.kind {
            Kind::Period(i) => Some(crate::plan::period_projects(
                self.site,
                self.site.periods[i].number,
            )),
            _ => None,
        };
        view.ctx
            .insert("pager", &PagerView::new(&list, items, projects, p));
        if !p.is_first() {
            view.title = labels::page_title(&view.title, p.number);
        }
    }

    /// The URL of a list's own (first) page, and the label that says which of its items a
    /// page shows.
    fn list_path(&self, kind: &Kind) -> Option<(String, &'static str)> {
        let site = self.site;
        let path = match kind {
            Kind::Projects => urls::PROJECTS.to_string(),
            Kind::Batch(b) => urls::batch(*b),
            Kind::Period(i) => {
                return Some((urls::period(site.periods[*i].number), "page_changes"))
            }
            Kind::Sector(i) => urls::sector(&site.sectors[*i].slug),
            Kind::Region(i) => urls::region(&site.region_tree.list[*i].path),
            Kind::Bulletins => return Some((urls::BULLETINS.to_string(), "page_bulletins")),
            _ => return None,
        };
        Some((path, "page_items"))
    }

    /// What every page says about itself: `page`, `cite`, `page_feed` and `root`.
    fn head(&self, page: &Page, view: &mut View, root: String) {
        let site = self.site;
        let jsonld = match &page.kind {
            Kind::Home => Some(super::jsonld::home(site)),
            Kind::Project(i) => Some(super::jsonld::project(site, &site.projects[*i])),
            Kind::Bulletin(i) => Some(super::jsonld::article(
                site,
                &site.bulletins[*i],
                &page.path,
            )),
            Kind::Page(i) => Some(super::jsonld::article(site, &site.pages[*i], &page.path)),
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search => None,
            _ => Some(super::jsonld::collection(site, &view.title, &page.path)),
        };
        let cite = match &page.kind {
            Kind::Project(i) => {
                let p = &site.projects[*i];
                let as_of = super::views::figures_date(site, p);
                Some(CiteView::new(
                    site, &p.name, None, p.updated, as_of, &page.path,
                ))
            }
            // A chart: its figures are as of its period's date (a period's chart), else the
            // latest period's.
            Kind::Chart(name) => self.shared.chart(name).map(|c| {
                let as_of = super::views::chart_date(site, name);
                CiteView::new(site, &c.title, None, None, as_of, &page.path)
            }),
            Kind::Bulletin(i) => {
                let a = &site.bulletins[*i];
                Some(CiteView::new(
                    site,
                    &a.title,
                    a.published,
                    a.updated,
                    None,
                    &page.path,
                ))
            }
            _ => None,
        };
        view.ctx.insert("cite", &cite);
        let feed = match &page.kind {
            Kind::Batch(b) => Some(FeedLink {
                path: urls::batch_feed(*b),
                title: format!("{} · {}", site.config.title, labels::batch(*b)),
            }),
            Kind::Region(i) if site.region_tree.list[*i].level == 1 => {
                let r = &site.region_tree.list[*i];
                Some(FeedLink {
                    path: urls::region_feed(&r.slug),
                    title: format!("{} · {}", site.config.title, r.name),
                })
            }
            _ => None,
        };
        view.ctx.insert("page_feed", &feed);
        let canonical = match &page.kind {
            Kind::NotFound => None,
            Kind::Redirect { to } => site.absolute_url(to),
            _ => site.absolute_url(&page.path),
        };
        // A list's later pages show the card of its first.
        let card_of = match &page.pager {
            Some(p) if !p.is_first() => self.list_path(&page.kind).map(|(list, _)| list),
            _ => page.has_card().then(|| page.path.clone()),
        };
        let image = card_of
            .filter(|_| self.share_images)
            .and_then(|path| site.absolute_url(&urls::share_image(&path)));
        let head = PageHead {
            path: &page.path,
            kind: view.template.trim_end_matches(".html"),
            title: &view.title,
            description: view
                .description
                .as_deref()
                .or(site.config.description.as_deref()),
            canonical,
            og_type: view.og_type,
            jsonld,
            image,
        };
        let portal_meta =
            super::portal::PortalMeta::new(site, page, &view.title, head.canonical.as_deref());
        view.ctx.insert("page", &head);
        view.ctx.insert("portal_meta", &portal_meta);
        // The 404 page is served at any depth: with a base_url its links are absolute;
        // without one they start at the server's root (right for a site at a domain's
        // root), its script finds the site's folder when it is deeper, and its stylesheet
        // is written in.
        let root = match (&page.kind, &site.config.base_url) {
            (Kind::NotFound, Some(b)) => b.clone(),
            (Kind::NotFound, None) => {
                view.ctx
                    .insert("inline_style", &self.shared.not_found_style);
                "/".to_string()
            }
            _ => root,
        };
        view.ctx.insert("root", &root);
    }

    /// A Markdown body with its shortcodes drawn and site links made relative to `root`.
    pub(crate) fn body(&self, md: &Markdown, root: &str) -> Result<String, Diagnostic> {
        let mut out = String::new();
        for seg in &md.segments {
            match seg {
                Segment::Html(h) => out.push_str(&h.replace(ROOT, root)),
                Segment::Shortcode { call, .. } => {
                    let mut ctx = self.shared.base.clone();
                    ctx.insert("root", root);
                    let template = match call {
                        Call::Chart { chart } => {
                            ctx.insert("chart", &self.shared.chart(chart.name()));
                            "shortcodes/chart.html"
                        }
                        Call::Projects { batch, period } => {
                            let template = "shortcodes/projects.html";
                            let list = self.site.select(*batch, *period);
                            self.put_projects(template, &mut ctx, &list)?;
                            ctx.insert("batch", &batch.map(|b| b.key()));
                            ctx.insert("period", period);
                            template
                        }
                    };
                    out.push_str(&self.renderer.render(template, &ctx)?);
                }
            }
        }
        Ok(out)
    }
}
