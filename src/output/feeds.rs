//! Feeds and files for crawlers: the Atom feeds (of bulletins, and of each batch's projects)
//! and sitemap.xml, rendered through the theme's `feed.xml` and `sitemap.xml`; robots.txt.

use crate::content::article::Article;
use crate::diagnostics::Diagnostic;
use crate::escape::xml_chars;
use crate::render::Renderer;
use crate::site::Site;
use crate::urls;
use serde::Serialize;

/// A URL for `path`: absolute under base_url when the site has one, else relative.
/// The URL of `path` in a feed at `feed`: absolute under the site's `base_url`; without one,
/// relative to the feed itself, which is what a feed reader resolves it against (a feed at
/// `feeds/started.xml` links `../projects/ID/`, never `feeds/projects/ID/`).
fn link(site: &Site, feed: &str, path: &str) -> String {
    site.absolute_url(path)
        .unwrap_or_else(|| format!("{}{path}", feed_root(feed)))
}

/// The way from a feed at `feed` back to the site's root: `./`, `../`, `../../`.
fn feed_root(feed: &str) -> String {
    match feed.matches('/').count() {
        0 => "./".to_string(),
        n => "../".repeat(n),
    }
}

/// Text for XML: without the characters XML 1.0 forbids (the template escapes the rest).
fn x(s: &str) -> String {
    xml_chars(s)
}

fn stamp(d: crate::model::Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

/// `feed` in `feed.xml`: an Atom feed.
#[derive(Serialize)]
pub(crate) struct FeedView {
    pub language: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub id: String,
    pub self_url: String,
    pub alternate_url: String,
    pub updated: String,
    pub author: String,
    /// The site's licence (`<rights>`), as text: its identifier or URL, and its URL.
    pub rights: Option<String>,
    pub entries: Vec<FeedEntry>,
}

/// One entry of a feed.
#[derive(Serialize)]
pub(crate) struct FeedEntry {
    pub title: String,
    pub url: String,
    pub id: String,
    pub published: Option<String>,
    pub updated: String,
    pub author: Option<String>,
    pub summary: Option<String>,
    /// HTML, escaped by the template into the element's text.
    pub content: Option<String>,
}

impl FeedView {
    /// A feed at `self_path` whose page is `alternate`, without its entries yet.
    fn new(
        site: &Site,
        title: &str,
        subtitle: Option<&str>,
        self_path: &str,
        alternate: &str,
        updated: String,
    ) -> FeedView {
        let author = site
            .config
            .publisher
            .as_deref()
            .unwrap_or(&site.config.title);
        FeedView {
            language: x(&site.config.language),
            title: x(title),
            subtitle: subtitle.map(x),
            id: x(&feed_id(site, self_path)),
            self_url: x(&link(site, self_path, self_path)),
            alternate_url: x(&link(site, self_path, alternate)),
            updated,
            author: x(author),
            rights: site.config.license.as_ref().map(|l| {
                x(&match &l.id {
                    Some(id) => format!("{id} ({})", l.url),
                    None => l.url.clone(),
                })
            }),
            entries: Vec::new(),
        }
    }

    fn render(&self, renderer: &Renderer) -> Result<String, Diagnostic> {
        let mut ctx = tera::Context::new();
        ctx.insert("feed", self);
        renderer.render("feed.xml", &ctx)
    }
}

/// The Atom feed of `bulletins` (newest first), at `self_path`.
pub(crate) fn atom(
    site: &Site,
    renderer: &Renderer,
    title: &str,
    self_path: &str,
    bulletins: &[&Article],
) -> Result<String, Diagnostic> {
    let updated = bulletins
        .iter()
        .filter_map(|a| a.updated.max(a.date))
        .max()
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let description = site.config.description.as_deref();
    let mut feed = FeedView::new(site, title, description, self_path, urls::HOME, updated);
    // Links in a bulletin's text, as the feed's reader resolves them.
    let root = site
        .config
        .base_url
        .clone()
        .unwrap_or_else(|| feed_root(self_path));
    for a in bulletins {
        let path = urls::bulletin(&a.slug);
        // <published> is the day the source appeared, left out when unknown; <updated>
        // falls back on the day the bulletin reports on, which Atom requires some date for.
        let published = a.published.map(stamp);
        let changed = a
            .updated
            .max(a.published)
            .or(a.date)
            .map(stamp)
            .unwrap_or_else(|| feed.updated.clone());
        feed.entries.push(FeedEntry {
            title: x(&a.title),
            url: x(&link(site, self_path, &path)),
            id: x(&feed_id(site, &path)),
            published,
            updated: changed,
            author: a.author.as_deref().map(x),
            summary: a.summary.as_deref().map(x),
            content: Some(x(&a.body.plain_html(&root))),
        });
    }
    feed.render(renderer)
}

/// A permanent id: the absolute URL, or a tag URI made from the title when there is none.
fn feed_id(site: &Site, path: &str) -> String {
    match &site.config.base_url {
        Some(b) => urls::absolute(b, path),
        None => format!("urn:sanpi:{}:{}", hex(&site.config.title), path),
    }
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

/// `urls` in `sitemap.xml`: a page with its last change where known.
#[derive(Serialize)]
pub(crate) struct SitemapUrl {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// The sitemaps protocol's limits for one file: 50,000 URLs and 50 MB (uncompressed).
const SITEMAP_URLS: usize = urls::SITEMAP_MAX_URLS;
const SITEMAP_BYTES: usize = 50 * 1000 * 1000;

/// `sitemaps` in `sitemap-index.xml`: one part of a split sitemap.
#[derive(Serialize)]
pub(crate) struct SitemapPart {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// The sitemap files, when the site has a base_url: `sitemap.xml` listing every page with its
/// last change where known; past the protocol's limits of one file, `sitemap.xml` is an index
/// of `sitemap-1.xml`, `sitemap-2.xml`, … each within them.
pub(crate) fn sitemaps(
    site: &Site,
    renderer: &Renderer,
    pages: &[(String, Option<crate::model::Date>)],
) -> Vec<(String, Result<String, Diagnostic>)> {
    let Some(base) = site.config.base_url.as_ref() else {
        return Vec::new();
    };
    let urls: Vec<SitemapUrl> = pages
        .iter()
        .map(|(path, lastmod)| SitemapUrl {
            loc: x(&urls::absolute(base, path)),
            lastmod: lastmod.map(|d| d.iso()),
        })
        .collect();
    let render = |urls: &[SitemapUrl]| {
        let mut ctx = tera::Context::new();
        ctx.insert("urls", urls);
        renderer.render("sitemap.xml", &ctx)
    };
    let index = |parts: &[SitemapPart]| {
        let mut ctx = tera::Context::new();
        ctx.insert("sitemaps", parts);
        renderer.render("sitemap-index.xml", &ctx)
    };
    split(base, &urls, render, index, SITEMAP_URLS, SITEMAP_BYTES)
}

/// `urls` as one sitemap when it keeps within `max_urls` and `max_bytes`, else as parts within
/// them (of `max_urls`, halved while one renders too large) and an index of the parts.
fn split<T>(
    base: &str,
    urls: &[SitemapUrl],
    render: impl Fn(&[SitemapUrl]) -> Result<String, T>,
    index: impl Fn(&[SitemapPart]) -> Result<String, T>,
    max_urls: usize,
    max_bytes: usize,
) -> Vec<(String, Result<String, T>)> {
    let too_big =
        |text: &Result<String, T>, n: usize| matches!(text, Ok(t) if t.len() > max_bytes && n > 1);
    if urls.len() <= max_urls {
        let whole = render(urls);
        if !too_big(&whole, urls.len()) {
            return vec![(urls::SITEMAP.into(), whole)];
        }
    }
    let mut out = Vec::new();
    let mut parts: Vec<SitemapPart> = Vec::new();
    let mut rest = urls;
    let mut size = max_urls.max(1);
    while !rest.is_empty() {
        let take = size.min(rest.len());
        let text = render(&rest[..take]);
        if too_big(&text, take) {
            size = take / 2;
            continue;
        }
        let path = urls::sitemap_part(parts.len() + 1);
        parts.push(SitemapPart {
            loc: x(&urls::absolute(base, &path)),
            lastmod: rest[..take].iter().filter_map(|u| u.lastmod.clone()).max(),
        });
        out.push((path, text));
        rest = &rest[take..];
        size = max_urls.max(1);
    }
    out.insert(0, (urls::SITEMAP.into(), index(&parts)));
    out
}

/// robots.txt: everything may be crawled; the sitemap is named when there is one.
pub(crate) fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &site.config.base_url {
        out.push_str(&format!("Sitemap: {}\n", urls::absolute(b, urls::SITEMAP)));
    }
    out
}

/// The most entries a batch feed carries: a feed tells what is new, and the whole list is in
/// the data files. At 100,000 projects an uncapped feed would be some 20 MB, fetched again by
/// every reader's poll.
pub(crate) const BATCH_FEED_ENTRIES: usize = 100;

/// The Atom feed of one batch: its newest projects (at most [`BATCH_FEED_ENTRIES`]), newest
/// period first, each dated by its own `updated`, else its period's date, else the site's
/// latest date.
pub(crate) fn batch_feed(
    site: &Site,
    renderer: &Renderer,
    b: crate::model::Batch,
) -> Result<String, Diagnostic> {
    let title = format!("{} · {}", site.config.title, crate::labels::batch(b));
    let feed = (urls::batch_feed(b), urls::batch(b));
    projects_feed(site, renderer, &title, feed, &site.batch(b).projects)
}

/// The Atom feed of a top-level region (FORMAT.md, "Regions"), as a batch's: the newest of
/// its projects and its subregions'.
pub(crate) fn region_feed(
    site: &Site,
    renderer: &Renderer,
    i: usize,
) -> Result<String, Diagnostic> {
    let r = &site.region_tree.list[i];
    let title = format!("{} · {}", site.config.title, r.name);
    let feed = (urls::region_feed(&r.slug), urls::region(&r.path));
    projects_feed(site, renderer, &title, feed, &site.regions[i].projects)
}

/// A feed of `members` (indexes of projects) at `feed.0`, for the page `feed.1`: at most
/// [`BATCH_FEED_ENTRIES`], newest first.
fn projects_feed(
    site: &Site,
    renderer: &Renderer,
    title: &str,
    feed: (String, String),
    members: &[usize],
) -> Result<String, Diagnostic> {
    let (self_path, page_path) = feed;
    let latest = site
        .periods
        .iter()
        .filter_map(|p| p.date)
        .chain(site.bulletins.iter().filter_map(|a| a.date))
        .chain(site.projects.iter().filter_map(|p| p.updated))
        .max();
    let date_of = |p: &crate::content::project::Project| {
        p.updated
            .or_else(|| p.period.and_then(|n| site.period(n)).and_then(|x| x.date))
            .or(latest)
    };
    let mut projects: Vec<&crate::content::project::Project> =
        members.iter().map(|&i| &site.projects[i]).collect();
    // Newest first: by date where known, then period, then id; each project's date found once.
    projects.sort_by_cached_key(|p| {
        (
            std::cmp::Reverse(date_of(p)),
            std::cmp::Reverse(p.period),
            p.id.clone(),
        )
    });
    projects.truncate(BATCH_FEED_ENTRIES);
    let updated = projects
        .iter()
        .filter_map(|p| date_of(p))
        .max()
        .or(latest)
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut feed = FeedView::new(site, title, None, &self_path, &page_path, updated);
    for p in projects {
        let path = urls::project(&p.id);
        let when = date_of(p)
            .map(stamp)
            .unwrap_or_else(|| feed.updated.clone());
        let summary = crate::labels::project_facts(
            crate::labels::batch(p.batch),
            p.period,
            p.investment
                .map(|a| crate::labels::money(a, &site.config.unit)),
            p.owner.as_deref(),
            p.location.as_deref(),
        );
        feed.entries.push(FeedEntry {
            title: x(&p.name),
            url: x(&link(site, &self_path, &path)),
            id: x(&feed_id(site, &path)),
            published: None,
            updated: when,
            author: None,
            summary: Some(x(&summary)),
            content: None,
        });
    }
    feed.render(renderer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (1..=n)
            .map(|i| SitemapUrl {
                loc: format!("https://example.org/projects/p{i}/"),
                lastmod: (i % 2 == 0).then(|| format!("2023-01-{:02}", i % 28 + 1)),
            })
            .collect()
    }

    fn render(urls: &[SitemapUrl]) -> Result<String, ()> {
        Ok(urls.iter().map(|u| format!("{}\n", u.loc)).collect())
    }

    fn index(parts: &[SitemapPart]) -> Result<String, ()> {
        Ok(parts
            .iter()
            .map(|p| format!("{} {}\n", p.loc, p.lastmod.as_deref().unwrap_or("-")))
            .collect())
    }

    #[test]
    fn a_sitemap_within_the_limits_is_one_file() {
        let files = split("https://example.org/", &urls(5), render, index, 5, 1000);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert_eq!(files[0].1.as_ref().unwrap().lines().count(), 5);
    }

    #[test]
    fn past_the_limit_of_urls_sitemap_xml_indexes_parts() {
        let files = split("https://example.org/", &urls(12), render, index, 5, 100_000);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|f| f.1.as_ref().unwrap().lines().count())
            .collect();
        assert_eq!(counts, [5, 5, 2]);
        // Every URL once, in order.
        let all: Vec<String> = files[1..]
            .iter()
            .flat_map(|f| {
                f.1.as_ref()
                    .unwrap()
                    .lines()
                    .map(String::from)
                    .collect::<Vec<_>>()
            })
            .collect();
        let want: Vec<String> = urls(12).into_iter().map(|u| u.loc).collect();
        assert_eq!(all, want);
        // The index names each part absolutely, with its latest change.
        let idx = files[0].1.as_ref().unwrap();
        assert!(idx.starts_with("https://example.org/sitemap-1.xml 2023-01-"));
        assert_eq!(idx.lines().count(), 3);
    }

    #[test]
    fn a_part_too_large_in_bytes_is_halved() {
        // 34 bytes a line: 3 lines fit in 110 bytes, 4 do not.
        let files = split("https://example.org/", &urls(8), render, index, 8, 110);
        for (name, text) in &files[1..] {
            assert!(text.as_ref().unwrap().len() <= 110, "{name}");
        }
        let total: usize = files[1..]
            .iter()
            .map(|f| f.1.as_ref().unwrap().lines().count())
            .sum();
        assert_eq!(total, 8);
    }
}
