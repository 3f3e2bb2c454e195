//! Typed views: the values a template can use, one struct per thing shown. Together with
//! `pages.rs`, which says which views each page kind receives, this is the template contract
//! documented in docs/format.md ("Templates"). Views own their text, so that a built site can
//! be kept in memory beside them (serve).

use crate::amount::Amount;
use crate::charts::Rendered;
use crate::content::article::Article;
use crate::content::period::DeclaredSource;
use crate::content::period::{Declared, Figures, Period};
use crate::content::project::{Image, Project};
use crate::labels;
use crate::model::{Batch, Date};
use crate::site::{BatchStats, FigureSource, Indicator, Measure, Sector, Site};
use crate::urls;
use serde::Serialize;
use serde_json::Value;

/// An amount with the site's unit, or nothing when it is unknown.
fn money(site: &Site, a: Option<Amount>) -> Option<String> {
    a.map(|a| labels::money(a, &site.config.unit))
}

fn iso(d: Option<Date>) -> Option<String> {
    d.map(|d| d.iso())
}

fn chinese(d: Option<Date>) -> Option<String> {
    d.map(|d| d.chinese())
}

/// `site`: the settings of site.yaml a template may show.
#[derive(Serialize)]
pub(crate) struct SiteView {
    pub title: String,
    pub description: Option<String>,
    pub publisher: Option<String>,
    pub language: String,
    pub base_url: Option<String>,
    pub unit: String,
    pub extra: Value,
    pub has_bulletins: bool,
    /// Whether the site has content/regions.yaml: pages then show each project's region.
    pub has_regions: bool,
    pub license: Option<crate::license::License>,
    /// The government portal the site is a column of, for the footer.
    pub portal: Option<super::portal::PortalView>,
}

impl SiteView {
    pub(crate) fn new(site: &Site) -> SiteView {
        let c = &site.config;
        SiteView {
            title: c.title.clone(),
            description: c.description.clone(),
            publisher: c.publisher.clone(),
            language: c.language.clone(),
            base_url: c.base_url.clone(),
            unit: c.unit.clone(),
            extra: c.extra.clone(),
            has_bulletins: !site.bulletins.is_empty(),
            has_regions: site.has_regions(),
            license: c.license.clone(),
            portal: super::portal::PortalView::new(site),
        }
    }
}

/// A link: `nav` items, sectors in lists.
#[derive(Serialize)]
pub(crate) struct Link {
    pub path: String,
    pub label: String,
}

/// A project as a row of a table (`projects`, and the base of `project`).
#[derive(Serialize, Clone, PartialEq, Hash, Default)]
pub(crate) struct ProjectRow {
    pub id: String,
    pub name: String,
    pub path: String,
    pub batch: &'static str,
    pub batch_label: &'static str,
    pub batch_path: String,
    /// None where the source does not say (the label is then 期次未载明, with no link).
    pub period: Option<u32>,
    pub period_label: String,
    pub period_path: Option<String>,
    pub investment: Option<String>,
    pub sector: Option<String>,
    pub sector_path: Option<String>,
    pub owner: Option<String>,
    pub progress: Option<&'static str>,
    pub progress_label: Option<&'static str>,
    /// In a site with regions: the names of its region from the top, joined by `/`
    /// (东川市/临河县), the region's page, and the regions from the top as links; None (and
    /// empty) for a project without a region (地区未载明).
    pub region: Option<String>,
    pub region_path: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<super::regions::RegionLink>,
}

impl ProjectRow {
    /// Whether the row states no amount (a table's note explains its dash).
    pub(crate) fn states_no_amount(&self) -> bool {
        self.investment.as_deref().is_none_or(str::is_empty)
    }

    /// The row of the site's `i`th project.
    pub(crate) fn new(site: &Site, i: usize) -> ProjectRow {
        let p = &site.projects[i];
        let region = site.region_of.get(i).copied().flatten();
        ProjectRow {
            region: region.map(|r| site.region_names(r)),
            region_path: region.map(|r| urls::region(&site.region_tree.list[r].path)),
            regions: region.map_or_else(Vec::new, |r| super::regions::RegionLink::lineage(site, r)),
            id: p.id.clone(),
            name: p.name.clone(),
            path: urls::project(&p.id),
            batch: p.batch.key(),
            batch_label: labels::batch(p.batch),
            batch_path: urls::batch(p.batch),
            period: p.period,
            period_label: labels::period_or_unknown(p.period),
            period_path: p.period.map(urls::period),
            investment: money(site, p.investment),
            sector: p.sector.clone(),
            sector_path: p
                .sector
                .as_deref()
                .and_then(|s| site.sector_slug(s))
                .map(urls::sector),
            owner: p.owner.clone(),
            progress: p.progress.map(|x| x.key()),
            progress_label: p.progress.map(labels::progress),
        }
    }
}

/// `project` on a project's page: its row and everything else it states.
#[derive(Serialize)]
pub(crate) struct ProjectView<'a> {
    #[serde(flatten)]
    pub row: &'a ProjectRow,
    pub annual_plan: Option<String>,
    pub invested: Option<String>,
    pub location: Option<String>,
    pub updated: Option<String>,
    pub updated_zh: Option<String>,
    pub history: Vec<HistoryView>,
    pub milestones: Vec<MilestoneView>,
    pub images: &'a [Image],
    pub aliases: &'a [String],
    pub extra: &'a Value,
}

#[derive(Serialize)]
pub(crate) struct HistoryView {
    pub period: Option<u32>,
    pub period_label: Option<String>,
    pub period_path: Option<String>,
    pub batch: &'static str,
    pub batch_label: &'static str,
    pub note: Option<String>,
}

#[derive(Serialize)]
pub(crate) struct MilestoneView {
    pub anchor: String,
    pub date: String,
    pub date_zh: String,
    pub title: String,
    pub note: Option<String>,
}

impl<'a> ProjectView<'a> {
    pub(crate) fn new(site: &Site, p: &'a Project, row: &'a ProjectRow) -> ProjectView<'a> {
        let history = p
            .history
            .iter()
            .map(|h| HistoryView {
                period: h.period,
                period_label: h.period.map(labels::period),
                period_path: h.period.map(urls::period),
                batch: h.batch.key(),
                batch_label: labels::batch(h.batch),
                note: h.note.clone(),
            })
            .collect();
        let milestones = p
            .milestones
            .iter()
            .enumerate()
            .map(|(i, m)| MilestoneView {
                anchor: format!("m-{}-{}", m.date.iso(), i + 1),
                date: m.date.iso(),
                date_zh: m.date.chinese(),
                title: m.title.clone(),
                note: m.note.clone(),
            })
            .collect();
        ProjectView {
            row,
            annual_plan: money(site, p.annual_plan),
            invested: money(site, p.invested),
            location: p.location.clone(),
            updated: iso(p.updated),
            updated_zh: chinese(p.updated),
            history,
            milestones,
            images: &p.images,
            aliases: &p.aliases,
            extra: &p.extra,
        }
    }
}

/// Declared figures of one batch (or of the projects new in a period).
#[derive(Serialize)]
pub(crate) struct FiguresView {
    pub count: Option<u64>,
    pub investment: Option<String>,
    pub annual_plan: Option<String>,
    /// The declared progress counts: how many projects reached at least each state.
    pub progress: Vec<ProgressCount>,
    /// Set in `DeclaredView::batches` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<&'static str>,
}

impl FiguresView {
    fn new(site: &Site, f: &Figures) -> FiguresView {
        FiguresView {
            count: f.count,
            investment: money(site, f.investment),
            annual_plan: money(site, f.annual_plan),
            progress: f
                .progress
                .iter()
                .flatten()
                .map(|(&state, &count)| ProgressCount {
                    key: state.key(),
                    label: labels::progress(state),
                    count,
                })
                .collect(),
            label: None,
            key: None,
        }
    }
}

/// A declared progress count: `已达效 6`.
#[derive(Serialize)]
pub(crate) struct ProgressCount {
    pub key: &'static str,
    pub label: &'static str,
    pub count: u64,
}

/// A period's declared figures, batch by batch.
#[derive(Serialize)]
pub(crate) struct DeclaredView {
    pub batches: Vec<FiguresView>,
    pub new: Option<FiguresView>,
}

impl DeclaredView {
    fn new(site: &Site, d: &Declared) -> DeclaredView {
        let batches = Batch::ALL
            .iter()
            .filter_map(|&b| {
                d.batch(b).map(|f| FiguresView {
                    label: Some(labels::batch(b)),
                    key: Some(b.key()),
                    ..FiguresView::new(site, f)
                })
            })
            .collect();
        DeclaredView {
            batches,
            new: d.new.as_ref().map(|f| FiguresView::new(site, f)),
        }
    }
}

/// `batches` and `batch`: a batch with its figures, from the entries and as declared.
#[derive(Serialize)]
pub(crate) struct BatchView {
    pub key: &'static str,
    pub label: &'static str,
    pub short: &'static str,
    pub path: String,
    pub count: usize,
    pub sum: Option<String>,
    pub with_amount: usize,
    pub missing: usize,
    /// `N 个项目投资额未公布`, when some amounts are missing.
    pub missing_note: Option<String>,
    pub declared: Option<FiguresView>,
    pub investment: Option<String>,
    pub source: &'static str,
    pub source_label: &'static str,
}

impl BatchView {
    pub(crate) fn new(site: &Site, s: &BatchStats) -> BatchView {
        BatchView {
            key: s.batch.key(),
            label: labels::batch(s.batch),
            short: labels::batch_short(s.batch),
            path: urls::batch(s.batch),
            count: s.projects.len(),
            sum: money(site, Some(s.sum)),
            with_amount: s.with_amount,
            missing: s.missing(),
            missing_note: (s.missing() > 0).then(|| labels::missing_amounts(s.missing())),
            declared: s.declared.as_ref().map(|f| FiguresView::new(site, f)),
            investment: money(site, s.investment),
            source: s.source.key(),
            source_label: match s.investment {
                Some(_) => labels::label(&format!("source.{}", s.source.key())),
                None => "",
            },
        }
    }
}

/// `period`, and the items of `periods`.
#[derive(Serialize)]
pub(crate) struct PeriodView {
    pub number: u32,
    pub label: String,
    pub title: Option<String>,
    pub path: String,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    pub declared: Option<DeclaredView>,
    /// The day the declared progress counts refer to.
    pub as_of: Option<String>,
    pub as_of_zh: Option<String>,
    /// How many projects entered their current batch in this period.
    pub entered: usize,
    pub extra: Value,
    /// The summary as HTML, on the period's own page only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary_html: Option<String>,
}

impl PeriodView {
    pub(crate) fn new(site: &Site, p: &Period) -> PeriodView {
        PeriodView {
            number: p.number,
            label: labels::period(p.number),
            title: p.title.clone(),
            path: urls::period(p.number),
            date: iso(p.date),
            date_zh: chinese(p.date),
            declared: p.declared.as_ref().map(|d| DeclaredView::new(site, d)),
            as_of: iso(p.as_of),
            as_of_zh: chinese(p.as_of),
            entered: site.of_period(p.number),
            extra: p.extra.clone(),
            summary_html: None,
        }
    }
}

/// `sector` on a sector's page.
#[derive(Serialize)]
pub(crate) struct SectorView<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub count: usize,
    pub sum: String,
    pub with_amount: usize,
    pub missing: usize,
    pub missing_note: Option<String>,
}

impl<'a> SectorView<'a> {
    pub(crate) fn new(site: &Site, s: &'a Sector) -> SectorView<'a> {
        let missing = s.projects.len() - s.with_amount;
        SectorView {
            name: &s.name,
            slug: &s.slug,
            count: s.projects.len(),
            sum: labels::money(s.sum, &site.config.unit),
            with_amount: s.with_amount,
            missing,
            missing_note: (missing > 0).then(|| labels::missing_amounts(missing)),
        }
    }
}

/// The items of `sectors`.
#[derive(Serialize)]
pub(crate) struct SectorLink<'a> {
    pub name: &'a str,
    pub path: String,
    pub count: usize,
}

impl<'a> SectorLink<'a> {
    pub(crate) fn all(site: &'a Site) -> Vec<SectorLink<'a>> {
        site.sectors
            .iter()
            .map(|s| SectorLink {
                name: &s.name,
                path: urls::sector(&s.slug),
                count: s.projects.len(),
            })
            .collect()
    }
}

/// `pool` on the home page: the whole pool, from the entries and as declared where every
/// batch declares a figure.
#[derive(Serialize)]
pub(crate) struct PoolView {
    pub count: usize,
    pub with_amount: usize,
    pub sum: String,
    pub declared_count: Option<u64>,
    pub declared_investment: Option<String>,
    /// `N 个项目投资额未载明`, said once under the figures table, when some amounts are missing.
    pub missing_note: Option<String>,
}

impl PoolView {
    pub(crate) fn new(site: &Site) -> PoolView {
        let declared: Option<Vec<&Figures>> =
            site.batches.iter().map(|b| b.declared.as_ref()).collect();
        let count: Option<u64> = declared
            .as_ref()
            .and_then(|d| d.iter().map(|f| f.count).sum());
        let investment: Option<Amount> = declared
            .as_ref()
            .and_then(|d| d.iter().map(|f| f.investment).sum());
        let with_amount: usize = site.batches.iter().map(|b| b.with_amount).sum();
        let missing = site.projects.len().saturating_sub(with_amount);
        PoolView {
            count: site.projects.len(),
            with_amount,
            sum: labels::money(site.batches.iter().map(|b| b.sum).sum(), &site.config.unit),
            declared_count: count,
            declared_investment: money(site, investment),
            missing_note: (missing > 0).then(|| labels::missing_amounts(missing)),
        }
    }
}

/// A bulletin or page in a list (`bulletins`), and the base of `article`.
#[derive(Serialize)]
pub(crate) struct ArticleItem<'a> {
    pub title: &'a str,
    pub path: String,
    /// The day it reports on.
    pub date: Option<String>,
    pub date_zh: Option<String>,
    /// The day its source appeared, when known.
    pub published: Option<String>,
    pub published_zh: Option<String>,
    pub summary: Option<&'a str>,
    pub period: Option<u32>,
    pub period_label: Option<String>,
}

impl<'a> ArticleItem<'a> {
    pub(crate) fn new(a: &'a Article, path: String) -> ArticleItem<'a> {
        ArticleItem {
            title: &a.title,
            path,
            date: iso(a.date),
            date_zh: chinese(a.date),
            published: iso(a.published),
            published_zh: chinese(a.published),
            summary: a.summary.as_deref(),
            period: a.period,
            period_label: a.period.map(labels::period),
        }
    }

    /// The bulletins, newest first, at most `n`.
    pub(crate) fn bulletins(site: &'a Site, n: usize) -> Vec<ArticleItem<'a>> {
        site.bulletins
            .iter()
            .take(n)
            .map(|a| ArticleItem::new(a, urls::bulletin(&a.slug)))
            .collect()
    }
}

/// `article` on a bulletin's or page's own page.
#[derive(Serialize)]
pub(crate) struct ArticleView<'a> {
    #[serde(flatten)]
    pub item: ArticleItem<'a>,
    pub author: Option<&'a str>,
    pub updated: Option<String>,
    pub updated_zh: Option<String>,
    pub period_path: Option<String>,
    pub extra: &'a Value,
    pub images: &'a [Image],
}

impl<'a> ArticleView<'a> {
    pub(crate) fn new(a: &'a Article, path: String) -> ArticleView<'a> {
        ArticleView {
            item: ArticleItem::new(a, path),
            author: a.author.as_deref(),
            updated: iso(a.updated),
            updated_zh: chinese(a.updated),
            period_path: a.period.map(urls::period),
            extra: &a.extra,
            images: &a.images,
        }
    }
}

/// `chart`, and the items of `charts`: a drawn chart, its table and its files.
#[derive(Serialize, Hash)]
pub(crate) struct ChartView {
    pub name: String,
    pub title: String,
    pub desc: String,
    pub svg: SvgText,
    pub svg_path: String,
    pub csv_path: String,
    /// Only when the build drew it (it needs a CJK font).
    pub png_path: Option<String>,
    /// The chart's own page, and the page of it alone that other sites embed.
    pub page_path: String,
    pub embed_path: String,
    /// The SVG's height at its width of [`crate::charts::svg::WIDTH`] px.
    pub height: u32,
    pub subtitle: Option<String>,
    pub notes: Option<String>,
    pub source: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub empty_note: Option<String>,
}

/// A chart's SVG text, which templates get as a string, hashed by the print made when it was
/// drawn (`Rendered::svg_print`): hashing tens of kilobytes for each page that shows the
/// chart, at every edit, was dear.
#[derive(Clone)]
pub(crate) struct SvgText {
    pub text: String,
    pub print: u128,
}

impl Serialize for SvgText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl std::hash::Hash for SvgText {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u128(self.print);
    }
}

impl ChartView {
    pub(crate) fn new(r: &Rendered) -> ChartView {
        let c = &r.chart;
        ChartView {
            name: c.name.clone(),
            title: c.title.clone(),
            desc: c.desc.clone(),
            svg: SvgText {
                text: r.svg.clone(),
                print: r.svg_print,
            },
            svg_path: urls::chart_svg(&c.name),
            csv_path: urls::chart_csv(&c.name),
            png_path: r.png.as_ref().map(|_| urls::chart_png(&c.name)),
            page_path: urls::chart_page(&c.name),
            embed_path: urls::chart_embed(&c.name),
            height: r
                .svg
                .split(" height=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .and_then(|h| h.parse().ok())
                .unwrap_or(0),
            subtitle: c.subtitle.clone(),
            notes: c.notes.clone(),
            source: c.source.clone(),
            head: c.table_head.clone(),
            rows: c.table_rows.clone(),
            empty_note: c.empty_note.clone(),
        }
    }
}

/// `chart_page` on a chart's page: where it lives, and the code that embeds it elsewhere.
#[derive(Serialize, Hash)]
pub(crate) struct ChartPageView {
    /// The page's permanent address: absolute with a `base_url`, else from the site's root.
    pub permalink: String,
    /// The embed page's address, as the iframe asks for it.
    pub embed_url: String,
    /// HTML to paste into another site: an iframe of the embed page, and a script that
    /// gives it the height the embed page reports. None without a `base_url`: an iframe
    /// pasted elsewhere needs the site's public address.
    pub embed_code: Option<String>,
    /// The embed page's own layout: the chart's width in px, and the height of the credit
    /// line under it at that width (`--chart-w`, `--credit-h` of its stylesheet).
    pub width: u32,
    pub credit_height: u32,
}

/// The credit line under an embedded chart, in px at the chart's own width: it scales with
/// the chart, so that the embed page keeps one aspect ratio at every width up to it.
const CREDIT_HEIGHT: u32 = 24;

impl ChartPageView {
    pub(crate) fn new(site: &crate::site::Site, chart: &ChartView) -> ChartPageView {
        let at = |path: &str| {
            site.absolute_url(path)
                .unwrap_or_else(|| format!("/{path}"))
        };
        let embed_url = at(&chart.embed_path);
        let width = crate::charts::svg::WIDTH;
        // The embed page is as wide as the frame up to the chart's own width, and as tall as
        // the chart and its credit line at that width: the iframe keeps that ratio without
        // the script (which CMSs and WeChat's editor strip), and the script only refines it.
        let embed_code = site.absolute_url(&chart.embed_path).map(|src| {
            format!(
                "<iframe src=\"{src}\" title=\"{title}\" data-sanpi-chart width=\"{width}\" height=\"{h}\" style=\"display:block;width:100%;max-width:{width}px;height:auto;aspect-ratio:{width}/{h};border:0\" loading=\"lazy\"></iframe><script>addEventListener(\"message\",function(e){{var d=e.data;if(!d||d.sanpiChart!==1)return;document.querySelectorAll(\"iframe[data-sanpi-chart]\").forEach(function(f){{if(f.contentWindow===e.source)f.style.height=Math.ceil(+d.height)+\"px\"}})}});</script>",
                src = crate::escape::html(&src),
                title = crate::escape::html(&chart.title),
                h = chart.height + CREDIT_HEIGHT,
            )
        });
        ChartPageView {
            permalink: at(&chart.page_path),
            embed_url,
            embed_code,
            width,
            credit_height: CREDIT_HEIGHT,
        }
    }
}

/// The items of `changes` on a period's page: the projects that entered one batch.
#[derive(Serialize)]
pub(crate) struct ChangesView<'a> {
    pub key: &'static str,
    pub label: &'static str,
    pub path: String,
    pub projects: Vec<ChangeRow<'a>>,
    /// How many rows `projects` holds.
    pub count: usize,
    /// Whether a row states no amount (the table's note explains the dash).
    pub unpublished: bool,
    /// The rows drawn, one after another, each as `partials/change_row.html` draws it
    /// (`rows::draw_changes`): put in when the page is rendered.
    pub rows: Option<String>,
    /// Whether the entries hold every project that entered the batch in the period, so that
    /// an empty list says none did (else: 未载明).
    pub established: bool,
}

/// A project that entered a batch in the period, with the batch it came from.
#[derive(Serialize)]
pub(crate) struct ChangeRow<'a> {
    #[serde(flatten)]
    pub row: &'a ProjectRow,
    /// The project's place in the site (its row's print is `Shared::row_prints` there).
    #[serde(skip)]
    pub index: usize,
    /// The batch it entered (the key of its `ChangesView`).
    pub entered: &'static str,
    pub previous_label: Option<&'static str>,
    /// Whether the project is still in that batch.
    pub still_here: bool,
}

impl<'a> ChangesView<'a> {
    /// What moved in period `n`, batch by batch; with a pager, only the rows of its page (the
    /// batches one after another, as one list), and only the batches it shows rows of (an
    /// empty batch is said on the first page).
    pub(crate) fn of_period(
        site: &Site,
        rows: &'a [ProjectRow],
        n: u32,
        pager: Option<&crate::plan::Pager>,
    ) -> Vec<ChangesView<'a>> {
        let mut seen = 0;
        let mut out = Vec::new();
        for b in Batch::ALL {
            let entries = site.entered_in(n, b);
            let len = entries.len();
            // The rows of this page only: the batches follow one another as one list.
            let shown_range = match pager {
                None => 0..len,
                Some(pg) => {
                    let r = pg.range();
                    let lo = r.start.saturating_sub(seen).min(len);
                    let hi = r.end.saturating_sub(seen).min(len);
                    lo..hi.max(lo)
                }
            };
            let projects: Vec<ChangeRow<'a>> = entries[shown_range]
                .iter()
                .map(|&(i, previous)| {
                    let p = &site.projects[i];
                    ChangeRow {
                        row: &rows[i],
                        index: i,
                        entered: b.key(),
                        previous_label: previous.map(labels::batch),
                        still_here: p.batch == b && p.period == Some(n),
                    }
                })
                .collect();
            let shown = !projects.is_empty() || pager.is_none_or(|pg| len == 0 && pg.is_first());
            seen += len;
            if shown {
                out.push(ChangesView {
                    key: b.key(),
                    label: labels::batch(b),
                    path: urls::batch(b),
                    count: projects.len(),
                    unpublished: projects.iter().any(|c| c.row.states_no_amount()),
                    rows: None,
                    projects,
                    established: site.established(b, Some(n)),
                });
            }
        }
        out
    }
}

/// Where a source names a period's figures: `source` of a period, as the project page's
/// provenance shows it.
#[derive(Serialize, Hash)]
pub(crate) struct SourceBrief {
    pub title: String,
    pub url: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub date_zh: Option<String>,
}

/// A period named in a project's provenance: its label, page, day and source.
#[derive(Serialize)]
pub(crate) struct PeriodBrief {
    /// What the period is to the project: 列入开工一批, 所在项目库.
    pub term: String,
    pub label: String,
    pub path: Option<String>,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    pub source: Option<SourceBrief>,
}

impl PeriodBrief {
    fn new(site: &Site, term: String, n: Option<u32>) -> PeriodBrief {
        let p = n.and_then(|n| site.period(n));
        PeriodBrief {
            term,
            label: labels::period_or_unknown(n),
            path: p.map(|p| urls::period(p.number)),
            date: iso(p.and_then(|p| p.date)),
            date_zh: chinese(p.and_then(|p| p.date)),
            source: p.and_then(|p| p.source.as_ref()).map(|s| SourceBrief {
                title: s.title.clone(),
                url: s.url.clone(),
                publisher: s.publisher.clone(),
                date: iso(s.date),
                date_zh: chinese(s.date),
            }),
        }
    }
}

/// `provenance` on a project's page: where its facts come from and as of when, so that one
/// project can be cited without opening another page.
#[derive(Serialize)]
pub(crate) struct ProvenanceView {
    /// The period that put the project in its current batch (列入开工一批), then the latest
    /// period, as of which the site holds its pool (所在项目库), unless that is the same.
    pub periods: Vec<PeriodBrief>,
    /// For a site imported from ledgers, the period of the latest ledger that listed the
    /// project (content/imports.yaml).
    pub ledger: Option<PeriodBrief>,
    /// The project's own `updated`.
    pub updated: Option<String>,
    pub updated_zh: Option<String>,
    /// The day the page's figures refer to: the later of the latest period's day and
    /// `updated` (null when neither is known).
    pub as_of: Option<String>,
    pub as_of_zh: Option<String>,
}

impl ProvenanceView {
    pub(crate) fn new(site: &Site, p: &Project) -> ProvenanceView {
        let latest = site.latest_period();
        let as_of = figures_date(site, p);
        let entered = format!("{}{}", labels::label("entered"), labels::batch(p.batch));
        let mut periods = vec![PeriodBrief::new(site, entered, p.period)];
        if let Some(l) = latest.filter(|l| Some(l.number) != p.period) {
            let term = labels::label("provenance_pool").to_string();
            periods.push(PeriodBrief::new(site, term, Some(l.number)));
        }
        let ledger = site
            .ledger_period
            .get(&p.id)
            .map(|&n| PeriodBrief::new(site, labels::label("provenance_ledger").into(), Some(n)));
        ProvenanceView {
            periods,
            ledger,
            updated: iso(p.updated),
            updated_zh: chinese(p.updated),
            as_of: iso(as_of),
            as_of_zh: chinese(as_of),
        }
    }
}

/// The day a project page's figures refer to: the later of the latest period's day (the
/// site holds the pool as of it) and the project's own `updated`.
pub(crate) fn figures_date(site: &Site, p: &Project) -> Option<Date> {
    site.latest_period().and_then(|l| l.date).max(p.updated)
}

/// The day a chart's figures refer to: its period's day (a period's chart), else the latest
/// period's; none for a chart of targets, whose figures are as of their months.
pub(crate) fn chart_date(site: &Site, name: &str) -> Option<Date> {
    let period = crate::charts::period_number(name)
        .and_then(|n| site.periods.iter().find(|p| p.number == n))
        .or_else(|| site.latest_period());
    period
        .and_then(|p| p.date)
        .filter(|_| crate::charts::targets::year_of(name).is_none())
}

/// `cite`: how to cite a page, with one line in the GB/T 7714 form for electronic resources.
#[derive(Serialize)]
pub(crate) struct CiteView {
    pub title: String,
    pub publisher: String,
    pub published: Option<String>,
    pub published_zh: Option<String>,
    pub updated: Option<String>,
    pub updated_zh: Option<String>,
    /// The day the page's figures refer to (a project's page), which the citation carries.
    pub as_of: Option<String>,
    pub as_of_zh: Option<String>,
    pub url: Option<String>,
    /// The GB/T 7714 line: `发布者. 标题[EB/OL]. (日期). URL.`
    pub text: String,
    /// The same in a sentence, as a news story credits it: `发布者《标题》，数据截至2023年1月28日，URL`.
    pub plain: String,
}

impl CiteView {
    pub(crate) fn new(
        site: &Site,
        title: &str,
        published: Option<Date>,
        updated: Option<Date>,
        as_of: Option<Date>,
        path: &str,
    ) -> CiteView {
        let publisher = site
            .config
            .publisher
            .as_deref()
            .unwrap_or(&site.config.title);
        let url = site.absolute_url(path);
        let dates = match (as_of, published, updated) {
            (Some(d), _, _) => format!("({})", d.iso()),
            (None, Some(p), Some(u)) if u > p => format!("({}[{}])", p.iso(), u.iso()),
            (None, Some(p), _) => format!("({})", p.iso()),
            (None, None, Some(u)) => format!("({})", u.iso()),
            (None, None, None) => String::new(),
        };
        let mut parts = vec![publisher.to_string(), format!("{title}[EB/OL]")];
        parts.extend(
            [dates, url.clone().unwrap_or_default()]
                .into_iter()
                .filter(|p| !p.is_empty()),
        );
        let dated = match (as_of, published.or(updated)) {
            (Some(d), _) => Some(format!("{}{}", labels::label("cite_as_of"), d.chinese())),
            (None, Some(d)) => Some(d.chinese()),
            (None, None) => None,
        };
        let plain = std::iter::once(format!("{publisher}{}", labels::work_title(title)))
            .chain(dated)
            .chain(url.clone())
            .collect::<Vec<_>>()
            .join("，");
        CiteView {
            plain,
            title: title.to_string(),
            publisher: publisher.to_string(),
            published: iso(published),
            published_zh: chinese(published),
            updated: iso(updated),
            updated_zh: chinese(updated),
            as_of: iso(as_of),
            as_of_zh: chinese(as_of),
            url,
            text: parts.join(". ") + ".",
        }
    }
}

/// `pager`: where a page stands in its list, when the list has pages (`LIST/page/N/`).
#[derive(Serialize)]
pub(crate) struct PagerView {
    pub number: usize,
    pub count: usize,
    /// Items in the whole list.
    pub total: usize,
    /// The first and last item of this page, counted from 1.
    pub from: usize,
    pub to: usize,
    /// The paths of the first, previous, next and last pages (none before the first or after
    /// the last).
    pub first: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub last: String,
    /// `第 2 页，共 5 页`.
    pub label: String,
    /// `本页列出第 101–200 个，共 1234 个项目。`
    pub items: String,
}

impl PagerView {
    /// The pager of a page of the list whose own (first) page is at `list`, its items said
    /// in the words of the label `items` (see [`labels::page_items`]).
    /// `projects`: how many distinct projects the items concern, where that differs in kind
    /// from the items (a period's batch changes).
    pub(crate) fn new(
        list: &str,
        items: &str,
        projects: Option<usize>,
        p: &crate::plan::Pager,
    ) -> PagerView {
        let r = p.range();
        let at = |n: usize| urls::list_page(list, n);
        PagerView {
            number: p.number,
            count: p.count,
            total: p.total,
            from: r.start + 1,
            to: r.end,
            first: at(1),
            previous: (p.number > 1).then(|| at(p.number - 1)),
            next: (p.number < p.count).then(|| at(p.number + 1)),
            last: at(p.count),
            label: labels::page_n_of_m(p.number, p.count),
            items: labels::page_items(items, r.start + 1, r.end, p.total, projects),
        }
    }
}

/// `page`: what every page says about itself in its head.
#[derive(Serialize)]
pub(crate) struct PageHead<'a> {
    pub path: &'a str,
    /// The template's name without `.html`: `index`, `project`, `batch` …
    pub kind: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub canonical: Option<String>,
    pub og_type: &'a str,
    pub jsonld: Option<String>,
    pub image: Option<String>,
}

/// `page_feed`: the feed of the page's own items, where it has one.
#[derive(Serialize)]
pub(crate) struct FeedLink {
    pub path: String,
    pub title: String,
}

/// `source` (and `declared_source`): where a period's declared figures were published, and
/// the day its progress counts refer to.
#[derive(Serialize, Hash)]
pub(crate) struct SourceView {
    /// None when the period declares figures without naming where they were published.
    pub title: Option<String>,
    pub url: Option<String>,
    pub date: Option<String>,
    pub date_zh: Option<String>,
    pub publisher: Option<String>,
    /// The period that declares the figures.
    pub period_label: String,
    pub period_path: String,
    pub as_of: Option<String>,
    pub as_of_zh: Option<String>,
}

impl SourceView {
    /// The source of period `p`'s declared figures, when it declares any.
    pub(crate) fn of_period(p: &Period) -> Option<SourceView> {
        p.declared.as_ref()?;
        Some(SourceView::of_source(p, p.source.as_ref()))
    }

    /// Figures of period `p` published by `s` (None: not named), as of the period's `as_of`.
    pub(crate) fn of_source(p: &Period, s: Option<&DeclaredSource>) -> SourceView {
        SourceView {
            title: s.map(|s| s.title.clone()),
            url: s.and_then(|s| s.url.clone()),
            date: iso(s.and_then(|s| s.date)),
            date_zh: chinese(s.and_then(|s| s.date)),
            publisher: s.and_then(|s| s.publisher.clone()),
            period_label: labels::period(p.number),
            period_path: urls::period(p.number),
            as_of: iso(p.as_of),
            as_of_zh: chinese(p.as_of),
        }
    }
}

/// The items of `indicators`: one rate each, with what it stands on.
#[derive(Serialize, Hash)]
pub(crate) struct IndicatorView {
    /// `fulfilled`, `under_construction`, `in_production`, `at_capacity` or `completion`.
    pub key: &'static str,
    /// 达效率.
    pub label: &'static str,
    /// A batch key, or `all`.
    pub batch: &'static str,
    pub batch_label: &'static str,
    /// `6 个`, or an amount with its unit.
    pub reached: String,
    pub of: String,
    /// `85.7`.
    pub rate: String,
    /// `entries`, `declared` or `partial`.
    pub source: &'static str,
    /// 按收录项目合计, 公布, 按公布数计算 or 部分合计.
    pub source_label: &'static str,
    /// Whether the source published the rate itself (else sanpi computed it).
    pub published: bool,
}

impl IndicatorView {
    pub(crate) fn new(site: &Site, i: &Indicator) -> IndicatorView {
        let unit = labels::label("unit_projects");
        let (reached, of) = match i.measure {
            Measure::Count { reached, of } => (format!("{reached} {unit}"), format!("{of} {unit}")),
            Measure::Money { reached, of } => (
                labels::money(reached, &site.config.unit),
                labels::money(of, &site.config.unit),
            ),
            Measure::Published => (String::new(), String::new()),
        };
        IndicatorView {
            key: i.key(),
            label: labels::indicator(i.key()),
            batch: i.batch.map_or("all", Batch::key),
            batch_label: i.batch.map_or(labels::label("all_batches"), labels::batch),
            reached,
            of,
            rate: i.rate_text(),
            source: i.source.key(),
            source_label: labels::label(i.source_label_key()),
            published: i.published,
        }
    }

    /// The site's rates; with `batch`, those of that batch only.
    pub(crate) fn all(site: &Site, batch: Option<Batch>) -> Vec<IndicatorView> {
        site.indicators
            .iter()
            .filter(|i| batch.is_none() || i.batch == batch)
            .map(|i| IndicatorView::new(site, i))
            .collect()
    }

    /// Whether any rate rests on declared figures (the page then names their source).
    pub(crate) fn any_declared(site: &Site) -> bool {
        site.indicators
            .iter()
            .any(|i| i.source == FigureSource::Declared)
    }
}

/// The items of `pool_by_period`: the pool as of one period.
#[derive(Serialize)]
pub(crate) struct PoolPeriodView {
    pub number: u32,
    pub label: String,
    pub path: String,
    /// Projects per batch, in the order signed, started, producing; null where the count is
    /// 0 and the entries do not establish it (未载明).
    pub counts: [Option<usize>; 3],
    /// The amounts stated per batch, where any is.
    pub investment: [Option<String>; 3],
    /// The whole pool, where every batch is established; else null.
    pub total: Option<usize>,
    /// The projects the site holds in the pool as of the period (shown where `total` is
    /// null, marked `entries_only`).
    pub entries: usize,
    /// `另有 N 个项目期次未载明，未计入`, when some cannot be placed.
    pub unplaced_note: Option<String>,
    /// The same per batch (signed, started, producing), for a batch's page.
    pub unplaced_notes: [Option<String>; 3],
    /// 签约转开工 and 开工转投产 in this period; null where unknown.
    pub signed_started: Option<usize>,
    pub started_producing: Option<usize>,
    /// Why some figures are unknown, where any is.
    pub unknown_note: Option<String>,
}

impl PoolPeriodView {
    pub(crate) fn all(site: &Site) -> Vec<PoolPeriodView> {
        site.pool
            .iter()
            .map(|r| {
                let moves = site.conversions.iter().find(|c| c.period == Some(r.period));
                let complete = r.established.iter().all(|&e| e);
                let signed_started = moves.and_then(|c| c.signed_started);
                let started_producing = moves.and_then(|c| c.started_producing);
                let unknown = !complete;
                let entries = r.batches.iter().map(|c| c.projects).sum();
                PoolPeriodView {
                    number: r.period,
                    label: labels::period(r.period),
                    path: urls::period(r.period),
                    counts: Batch::ALL.map(|b| r.count(b)),
                    investment: r.batches.map(|c| {
                        (c.known > 0).then(|| labels::money(c.investment, &site.config.unit))
                    }),
                    total: complete.then_some(entries),
                    entries,
                    unplaced_note: Some(r.unplaced.iter().sum())
                        .filter(|&n| n > 0)
                        .map(labels::unplaced),
                    unplaced_notes: r.unplaced.map(|n| (n > 0).then(|| labels::unplaced(n))),
                    signed_started,
                    started_producing,
                    unknown_note: unknown.then(|| site.unknown_reason()),
                }
            })
            .collect()
    }

    pub(crate) fn of_period(site: &Site, n: u32) -> Option<PoolPeriodView> {
        PoolPeriodView::all(site)
            .into_iter()
            .find(|v| v.number == n)
    }
}

/// `conversions_unknown` on the home page: moves whose period the source does not state
/// (null where the site holds none: that establishes nothing).
#[derive(Serialize)]
pub(crate) struct UnknownConversions {
    pub label: String,
    pub signed_started: Option<usize>,
    pub started_producing: Option<usize>,
}

impl UnknownConversions {
    pub(crate) fn new(site: &Site) -> Option<UnknownConversions> {
        site.conversions
            .iter()
            .find(|c| c.period.is_none())
            .map(|c| UnknownConversions {
                label: labels::period_or_unknown(None),
                signed_started: c.signed_started,
                started_producing: c.started_producing,
            })
    }
}
