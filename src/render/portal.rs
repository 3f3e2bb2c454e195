//! A site published on a government portal (site.yaml `portal`): the portal's metadata in
//! each page's head (`portal_meta`), its names and numbers in the footer (`site.portal`), and
//! the notice block of a bulletin (`notice`).

use crate::content::article::Article;
use crate::labels;
use crate::model::Date;
use crate::plan::{Kind, Page};
use crate::portal::Portal;
use crate::site::Site;
use crate::urls;
use serde::Serialize;

/// `site.portal`: what the footer shows, each only when set.
#[derive(Serialize)]
pub(crate) struct PortalView {
    #[serde(flatten)]
    pub portal: Portal,
    /// Where the ICP number is looked up (the MIIT's record site), with `icp`.
    pub icp_url: Option<&'static str>,
    /// The public security filing site's page of the `police` number, when it holds digits.
    pub police_url: Option<String>,
}

impl PortalView {
    pub(crate) fn new(site: &Site) -> Option<PortalView> {
        let portal = site.config.portal.clone()?;
        Some(PortalView {
            icp_url: portal.icp.as_ref().map(|_| urls::MIIT_RECORDS),
            police_url: portal.police_code().map(|c| urls::police_record(&c)),
            portal,
        })
    }
}

/// `portal_meta`: the `<meta>` values a portal's pages carry, on a site with `portal`.
#[derive(Serialize)]
pub(crate) struct PortalMeta {
    pub site_name: Option<String>,
    /// The portal's `site_domain`, else the host of `base_url`.
    pub site_domain: Option<String>,
    pub site_id_code: Option<String>,
    /// The portal's `column`, else the site's title.
    pub column: String,
    pub article_title: String,
    /// The day the page's figures refer to, or a bulletin's or page's own day; never the
    /// build's. None when the content gives none.
    pub pub_date: Option<String>,
    pub content_source: String,
    pub keywords: String,
    /// The page's permanent address, with `base_url`.
    pub url: Option<String>,
}

impl PortalMeta {
    /// The metadata of `page`, titled `title`; None on a site without `portal`.
    pub(crate) fn new(
        site: &Site,
        page: &Page,
        title: &str,
        url: Option<&str>,
    ) -> Option<PortalMeta> {
        let portal = site.config.portal.as_ref()?;
        let column = portal
            .column
            .clone()
            .unwrap_or_else(|| site.config.title.clone());
        let site_domain = portal.site_domain.clone().or_else(|| {
            let base = site.config.base_url.as_deref()?;
            let rest = base.split_once("://").map_or(base, |(_, r)| r);
            rest.split('/').next().map(str::to_string)
        });
        let article = match page.kind {
            Kind::Bulletin(i) => Some(&site.bulletins[i]),
            _ => None,
        };
        let mut keywords = page_words(site, &page.kind);
        if !keywords.contains(&column) {
            keywords.push(column.clone());
        }
        Some(PortalMeta {
            site_name: portal.site_name.clone(),
            site_domain,
            site_id_code: portal.site_id_code.clone(),
            article_title: title.to_string(),
            pub_date: page_date(site, &page.kind).map(Date::iso),
            content_source: content_source(site, article),
            keywords: keywords.join(","),
            url: url.map(str::to_string),
            column,
        })
    }
}

/// The words a page is about, for `Keywords`: its batch, period, sector or region.
fn page_words(site: &Site, kind: &Kind) -> Vec<String> {
    match *kind {
        Kind::Project(i) => {
            let p = &site.projects[i];
            let mut w = vec![labels::batch(p.batch).to_string()];
            w.extend(p.sector.clone());
            w
        }
        Kind::Batch(b) => vec![labels::batch(b).to_string()],
        Kind::Period(i) => vec![labels::period(site.periods[i].number)],
        Kind::Sector(i) => vec![site.sectors[i].name.clone()],
        Kind::Region(i) => vec![site.region_tree.list[i].name.clone()],
        Kind::Bulletin(i) => site.bulletins[i]
            .period
            .map(labels::period)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// Who a page's content comes from (`ContentSource`, and 来源 in a bulletin's notice): a
/// bulletin's `source`, else its `issuer`; then the site's `publisher`, else the portal's
/// `sponsor`, else the site's title.
pub(crate) fn content_source(site: &Site, article: Option<&Article>) -> String {
    let own = article.and_then(|a| a.notice.source.as_ref().or(a.notice.issuer.as_ref()));
    let portal = site.config.portal.as_ref().and_then(|p| p.sponsor.as_ref());
    own.or(site.config.publisher.as_ref())
        .or(portal)
        .unwrap_or(&site.config.title)
        .clone()
}

/// The day a page's content refers to (`PubDate`): a project's figures as of
/// [`super::views::figures_date`]; a period's page and chart, the period's day; a bulletin or
/// page, its `published`, else its `date`; the bulletin archive, the newest of those; targets,
/// the latest day their reports and the latest period give; every other page of figures, the
/// latest period's day. None for search, 404 and redirects, and where the content gives no day.
pub(crate) fn page_date(site: &Site, kind: &Kind) -> Option<Date> {
    let latest = || site.latest_period().and_then(|p| p.date);
    let own = |a: &Article| a.published.or(a.date);
    match kind {
        Kind::Project(i) => super::views::figures_date(site, &site.projects[*i]),
        Kind::Period(i) => site.periods[*i].date,
        Kind::Bulletin(i) => own(&site.bulletins[*i]),
        Kind::Page(i) => own(&site.pages[*i]),
        Kind::Bulletins => site.bulletins.iter().filter_map(own).max(),
        Kind::Targets => targets_date(site, None),
        Kind::TargetsYear(y) => targets_date(site, Some(*y)),
        Kind::Chart(name) | Kind::ChartEmbed(name) => match crate::charts::targets::year_of(name) {
            Some(y) => targets_date(site, Some(y)),
            None => super::views::chart_date(site, name),
        },
        Kind::Home
        | Kind::Projects
        | Kind::Batch(_)
        | Kind::Sector(_)
        | Kind::Regions
        | Kind::Region(_)
        | Kind::Rankings => latest(),
        Kind::Search | Kind::NotFound | Kind::Redirect { .. } => None,
    }
}

/// The latest day the targets of `year` (all years with None) are followed to: the days of
/// their monthly reports' sources, and the latest period's (the entries' figures).
fn targets_date(site: &Site, year: Option<i32>) -> Option<Date> {
    site.targets
        .iter()
        .filter(|t| year.is_none_or(|y| t.year == y))
        .flat_map(|t| t.reported.iter())
        .filter_map(|r| r.source.as_ref().and_then(|s| s.date))
        .chain(site.latest_period().and_then(|p| p.date))
        .max()
}

/// `notice` on a bulletin's page: its 索引号, 发文机关, 发文字号, 发布日期 and 来源.
#[derive(Serialize)]
pub(crate) struct NoticeView<'a> {
    pub index_no: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub doc_no: Option<&'a str>,
    /// `published`; None when unknown (shown as 未载明: the day of the event is no
    /// publication date).
    pub published: Option<String>,
    pub published_zh: Option<String>,
    pub source: String,
}

impl<'a> NoticeView<'a> {
    /// The notice of bulletin `a`: on a site with `portal`, or when it carries any number.
    pub(crate) fn of(site: &Site, a: &'a Article) -> Option<NoticeView<'a>> {
        let n = &a.notice;
        (site.config.portal.is_some() || n.has_numbers()).then(|| NoticeView {
            index_no: n.index_no.as_deref(),
            issuer: n.issuer.as_deref(),
            doc_no: n.doc_no.as_deref(),
            published: a.published.map(Date::iso),
            published_zh: a.published.map(Date::chinese),
            source: content_source(site, Some(a)),
        })
    }
}
