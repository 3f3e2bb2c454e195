//! The plan: every page of the output with its URL path, and the checks that need all URLs
//! at once (collisions between pages, aliases and static files; `@/` links in Markdown).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Markdown;
use crate::model::{Batch, Date};
use crate::site::Site;
use crate::urls;
use crate::yaml::Key;
use std::collections::{BTreeMap, BTreeSet};

/// What a page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Home,
    Projects,
    Project(usize),
    Batch(Batch),
    Period(usize),
    Sector(usize),
    Bulletins,
    Bulletin(usize),
    Page(usize),
    NotFound,
    /// The search page.
    Search,
    /// The tree of regions with their figures (`/regions/`).
    Regions,
    /// One region's page, by its index in the tree.
    Region(usize),
    /// Every ranking of regions (`/rankings/`).
    Rankings,
    /// Every year's targets (`/targets/`).
    Targets,
    /// One year's targets (`/targets/YEAR/`).
    TargetsYear(i32),
    /// One chart's page: the chart, its table, downloads and embed code.
    Chart(String),
    /// One chart alone, for other sites to show in an iframe.
    ChartEmbed(String),
    /// A former URL that sends readers to `to`.
    Redirect {
        to: String,
    },
}

/// One page to render.
#[derive(Debug, Clone)]
pub struct Page {
    pub path: String,
    pub kind: Kind,
    /// Last change, for the sitemap.
    pub lastmod: Option<Date>,
    /// Which page of its list this is, when the list (`/projects/`, a batch, period or sector)
    /// is longer than the site's page size.
    pub pager: Option<Pager>,
}

/// One page of a list of `total` items cut into pages of `size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pager {
    /// From 1.
    pub number: usize,
    /// How many pages the list has (at least 2: a list on one page has no pager).
    pub count: usize,
    pub size: usize,
    pub total: usize,
}

impl Pager {
    /// The pages of a list of `total` items at `size` a page; none when it fits on one (or
    /// `size` is 0, which turns pages off).
    pub fn all(total: usize, size: usize) -> Vec<Pager> {
        if size == 0 || total <= size {
            return Vec::new();
        }
        let count = total.div_ceil(size);
        (1..=count)
            .map(|number| Pager {
                number,
                count,
                size,
                total,
            })
            .collect()
    }

    /// The indexes (into the whole list) of this page's items.
    pub fn range(&self) -> std::ops::Range<usize> {
        let start = (self.number - 1).saturating_mul(self.size).min(self.total);
        start..start.saturating_add(self.size).min(self.total)
    }

    /// Whether this is the list's first page (the one with the list's own URL).
    pub fn is_first(&self) -> bool {
        self.number == 1
    }
}

/// The items of a list that the page shows: all of them without a pager.
pub fn slice<'a, T>(items: &'a [T], pager: Option<&Pager>) -> &'a [T] {
    match pager {
        Some(p) => items.get(p.range()).unwrap_or(&[]),
        None => items,
    }
}

impl Page {
    /// Whether the page belongs in the sitemap: a list's later pages do not (their items are
    /// listed on their own, and which page an item is on changes as the list grows).
    pub fn listed(&self) -> bool {
        !matches!(
            self.kind,
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search | Kind::ChartEmbed(_)
        ) && self.pager.is_none_or(|p| p.is_first())
    }

    /// Whether the page gets a share image of its own.
    pub fn has_card(&self) -> bool {
        self.listed()
    }
}

/// Lists every page, checking that no two claim one URL, that no static file (of the site) takes
/// the place of a file sanpi writes (`theme_statics` are the theme's), and that `@/` links lead
/// somewhere.
pub fn plan(site: &Site, theme_statics: &[&str], diags: &mut Diagnostics) -> Vec<Page> {
    let mut pages = pages(site);
    // Who claims each URL: pages first, so that a clash names the page.
    let mut owner: BTreeMap<String, String> = pages
        .iter()
        .map(|p| (p.path.clone(), describe(site, &p.kind)))
        .collect();
    reserved_slugs(site, diags);
    let redirects = redirects(site, &mut owner, diags);
    pages.extend(redirects);
    let generated = Generated::new(site, &pages, theme_statics);
    static_collisions(site, &generated, diags);
    // `@/PATH` links in Markdown must lead to a page of the site.
    let is_page = |p: &str| owner.contains_key(p);
    for (rel, md) in site.documents() {
        diags.extend(link_errors(site, &is_page, &generated, rel, md));
    }
    pages
}

/// Every page of the site, with its URL path and last change.
fn pages(site: &Site) -> Vec<Page> {
    let mut pages = Vec::new();
    let size = site.config.page_size;
    let add = |pages: &mut Vec<Page>, path: String, kind: Kind, lastmod: Option<Date>| {
        pages.push(Page {
            path,
            kind,
            lastmod,
            pager: None,
        })
    };
    // A list's page, or its pages when it is longer than the page size.
    let list = |pages: &mut Vec<Page>, path: String, kind: Kind, lastmod, total| {
        let pagers = Pager::all(total, size);
        if pagers.is_empty() {
            add(pages, path, kind, lastmod);
            return;
        }
        for pager in pagers {
            pages.push(Page {
                path: urls::list_page(&path, pager.number),
                kind: kind.clone(),
                lastmod,
                pager: Some(pager),
            });
        }
    };
    add(&mut pages, urls::HOME.into(), Kind::Home, None);
    let n = site.projects.len();
    list(&mut pages, urls::PROJECTS.into(), Kind::Projects, None, n);
    for (i, p) in site.projects.iter().enumerate() {
        add(
            &mut pages,
            urls::project(&p.id),
            Kind::Project(i),
            p.updated,
        );
    }
    for b in Batch::ALL {
        let n = site.batch(b).projects.len();
        list(&mut pages, urls::batch(b), Kind::Batch(b), None, n);
    }
    for (i, p) in site.periods.iter().enumerate() {
        let n = period_changes(site, p.number);
        list(
            &mut pages,
            urls::period(p.number),
            Kind::Period(i),
            p.date,
            n,
        );
    }
    for (i, s) in site.sectors.iter().enumerate() {
        let n = s.projects.len();
        list(&mut pages, urls::sector(&s.slug), Kind::Sector(i), None, n);
    }
    // The archive has pages too (an extension of FORMAT.md's lists): 2,000 bulletins of a
    // province's campaign would be some 600 KB on one page.
    list(
        &mut pages,
        urls::BULLETINS.into(),
        Kind::Bulletins,
        site.bulletins.first().and_then(|b| b.date),
        site.bulletins.len(),
    );
    for (i, a) in site.bulletins.iter().enumerate() {
        let lastmod = a.updated.max(a.date);
        add(
            &mut pages,
            urls::bulletin(&a.slug),
            Kind::Bulletin(i),
            lastmod,
        );
    }
    for (i, a) in site.pages.iter().enumerate() {
        add(&mut pages, urls::page(&a.slug), Kind::Page(i), a.updated);
    }
    if site.has_regions() {
        add(&mut pages, urls::REGIONS.into(), Kind::Regions, None);
        for (i, r) in site.region_tree.list.iter().enumerate() {
            let n = site.regions[i].projects.len();
            list(&mut pages, urls::region(&r.path), Kind::Region(i), None, n);
        }
        add(&mut pages, urls::RANKINGS.into(), Kind::Rankings, None);
    }
    if !site.targets.is_empty() {
        add(&mut pages, urls::TARGETS.into(), Kind::Targets, None);
        let mut years: Vec<i32> = site.targets.iter().map(|f| f.year).collect();
        years.sort_unstable();
        years.dedup();
        for y in years {
            add(
                &mut pages,
                urls::targets_year(y),
                Kind::TargetsYear(y),
                None,
            );
        }
    }
    for name in chart_names(site) {
        let kind = Kind::Chart(name.clone());
        add(&mut pages, urls::chart_page(&name), kind, None);
        add(
            &mut pages,
            urls::chart_embed(&name),
            Kind::ChartEmbed(name),
            None,
        );
    }
    add(&mut pages, urls::SEARCH.into(), Kind::Search, None);
    add(&mut pages, urls::NOT_FOUND.into(), Kind::NotFound, None);
    pages
}

/// How many rows a period's page lists: the projects that entered each batch in it.
pub fn period_changes(site: &Site, n: u32) -> usize {
    Batch::ALL
        .iter()
        .map(|&b| {
            site.projects
                .iter()
                .filter(|p| p.entry(b, Some(n)).is_some())
                .count()
        })
        .sum()
}

/// How many distinct projects a period's page lists: a project that entered two batches in
/// the period (signed, then started) is two rows but one project.
pub fn period_projects(site: &Site, n: u32) -> usize {
    site.entered_in_period(n)
}

/// A page may not take a slug of sanpi's own URLs.
fn reserved_slugs(site: &Site, diags: &mut Diagnostics) {
    // A site with regions has these pages too (a site without keeps the slugs for its own).
    let regions = [urls::REGIONS, urls::RANKINGS].map(|u| u.trim_end_matches('/'));
    let targets = urls::TARGETS.trim_end_matches('/');
    for a in &site.pages {
        let theirs = (site.has_regions() && regions.contains(&a.slug.as_str()))
            || (!site.targets.is_empty() && a.slug == targets);
        if urls::RESERVED.contains(&a.slug.as_str()) || theirs {
            diags.push(
                a.origin
                    .error(
                        &[Key::Field("slug")],
                        format!("the URL /{}/ belongs to sanpi's own pages", a.slug),
                    )
                    .with_hint("give the page another `slug:`"),
            );
        }
    }
}

/// A redirect page per alias; an alias may not take a URL something else has (`owner`, which
/// the aliases join).
fn redirects(
    site: &Site,
    owner: &mut BTreeMap<String, String>,
    diags: &mut Diagnostics,
) -> Vec<Page> {
    let mut redirects = Vec::new();
    let alias_owners = site
        .projects
        .iter()
        .map(|p| {
            (
                &p.origin,
                &p.aliases,
                urls::project(&p.id),
                urls::project as fn(&str) -> String,
                false,
            )
        })
        .chain(site.bulletins.iter().map(|a| {
            (
                &a.origin,
                &a.aliases,
                urls::bulletin(&a.slug),
                urls::bulletin as fn(&str) -> String,
                false,
            )
        }))
        .chain(site.pages.iter().map(|a| {
            (
                &a.origin,
                &a.aliases,
                urls::page(&a.slug),
                urls::page as fn(&str) -> String,
                true,
            )
        }));
    for (origin, aliases, target, url_of, top_level) in alias_owners {
        for (i, alias) in aliases.iter().enumerate() {
            let path = url_of(alias);
            let reserved = top_level && urls::RESERVED.contains(&alias.as_str());
            if let Some(other) = owner.get(&path) {
                diags.push(
                    origin
                        .error(
                            &[Key::Field("aliases"), Key::Index(i)],
                            format!("the alias `{alias}` would replace /{path}, which is {other}"),
                        )
                        .with_hint("an alias must be a URL nothing else uses"),
                );
            } else if reserved {
                diags.push(origin.error(
                    &[Key::Field("aliases"), Key::Index(i)],
                    format!("the alias `{alias}` is a URL of sanpi's own pages"),
                ));
            } else {
                owner.insert(path.clone(), format!("an alias in {}", origin.rel));
                redirects.push(Page {
                    path,
                    kind: Kind::Redirect { to: target.clone() },
                    lastmod: None,
                    pager: None,
                });
            }
        }
    }
    redirects
}

/// Static files may not take the place of anything sanpi writes, nor of a folder it needs.
fn static_collisions(site: &Site, generated: &Generated, diags: &mut Diagnostics) {
    if site.statics.is_empty() {
        return;
    }
    let generated = generated.get();
    // Whether sanpi writes a file under the folder `dir`: the first generated path after
    // `dir/` in the set's order starts with it.
    let is_folder = |dir: &str| {
        let under = format!("{dir}/");
        generated
            .range(under.clone()..)
            .next()
            .is_some_and(|g| g.starts_with(&under))
    };
    for s in &site.statics {
        let file_above = s
            .output
            .match_indices('/')
            .map(|(i, _)| &s.output[..i])
            .find(|dir| generated.contains(*dir));
        let problem = if generated.contains(&s.output) {
            Some(format!(
                "this static file would replace {}, which sanpi generates",
                s.output
            ))
        } else if is_folder(&s.output) {
            Some(format!(
                "this static file is where sanpi writes the folder {}/",
                s.output
            ))
        } else {
            file_above.map(|dir| {
                format!("this static file needs a folder {dir}/ where sanpi writes the file {dir}")
            })
        };
        if let Some(message) = problem {
            diags.push(
                Diagnostic::error(format!("content/static/{}", s.output), None, message)
                    .with_hint("rename or move it"),
            );
        }
    }
}

/// Errors for the `@/` links of the document `rel` that lead to no page (`is_page` of a URL
/// path) or file of the site.
pub fn link_errors(
    site: &Site,
    is_page: &dyn Fn(&str) -> bool,
    generated: &Generated,
    rel: &str,
    md: &Markdown,
) -> Vec<Diagnostic> {
    let known = |p: &str| {
        let p = p.split('#').next().unwrap_or("");
        let with_slash = if p.is_empty() || p.ends_with('/') || p.contains('.') {
            p.to_string()
        } else {
            format!("{p}/")
        };
        is_page(&with_slash)
            || site.statics.iter().any(|s| s.output == p)
            || generated.get().contains(p)
    };
    md.internal_links
        .iter()
        .filter(|(link, _)| !known(link))
        .map(|(link, pos)| {
            Diagnostic::error(rel, Some(*pos), format!("the link @/{link} leads to no page of the site"))
                .with_hint("write @/projects/ID/, @/bulletins/SLUG/, @/SLUG/ for a page, or another URL of the site")
        })
        .collect()
}

/// [`generated_files`], made when first asked for: only a static file, or an `@/` link
/// that leads to no page, asks (the set holds every page's file and share image: some 20,000
/// names at 10,000 projects, a tenth of serve's reload after an edit when made every time).
pub struct Generated<'a> {
    site: &'a Site,
    pages: &'a [Page],
    theme_statics: &'a [&'a str],
    set: std::cell::OnceCell<BTreeSet<String>>,
}

impl<'a> Generated<'a> {
    pub fn new(site: &'a Site, pages: &'a [Page], theme_statics: &'a [&'a str]) -> Self {
        Generated {
            site,
            pages,
            theme_statics,
            set: std::cell::OnceCell::new(),
        }
    }

    pub fn get(&self) -> &BTreeSet<String> {
        self.set
            .get_or_init(|| generated_files(self.site, self.pages, self.theme_statics))
    }
}

/// Every file sanpi writes: each page (and its share image), the data, feeds and charts, and
/// the theme's static files. The one list a static file of the site is checked against.
pub fn generated_files(site: &Site, pages: &[Page], theme_statics: &[&str]) -> BTreeSet<String> {
    let mut v: BTreeSet<String> = [
        urls::PROJECTS_CSV,
        urls::PROJECTS_JSON,
        urls::OC4IDS_JSON,
        urls::DATAPACKAGE,
        urls::PROJECTS_XLSX,
        urls::INDICATORS_CSV,
        // Reserved whether or not the site has regions, as the PNGs are.
        urls::REGIONS_CSV,
        urls::RANKINGS_CSV,
        urls::TARGETS_CSV,
        urls::CHAIN_CSV,
        urls::REGIONS_CHAIN_CSV,
        urls::FEED,
        urls::SITEMAP,
        urls::NOT_FOUND,
        urls::STYLE,
        urls::SEARCH_INDEX,
        urls::SEARCH_INDEX_JS,
        urls::PROJECTS_ROWS_JS,
    ]
    .into_iter()
    .map(String::from)
    .collect();
    if site.writes_robots() {
        v.insert(urls::ROBOTS.to_string());
    }
    // Share images are reserved whether or not this build draws them.
    v.insert(urls::share_image(urls::HOME));
    for p in pages {
        v.insert(urls::file_of(&p.path));
        if p.has_card() {
            v.insert(urls::share_image(&p.path));
        }
    }
    for b in Batch::ALL {
        v.insert(urls::batch_feed(b));
    }
    for r in site.region_tree.list.iter().filter(|r| r.level == 1) {
        v.insert(urls::region_feed(&r.slug));
    }
    // The parts of a sitemap too large for one file.
    let listed = pages.iter().filter(|p| p.listed()).count();
    if listed > urls::SITEMAP_MAX_URLS {
        for n in 1..=listed.div_ceil(urls::SITEMAP_MAX_URLS) {
            v.insert(urls::sitemap_part(n));
        }
    }
    // PNGs are reserved whether or not this build draws them.
    for name in chart_names(site) {
        v.insert(urls::chart_svg(&name));
        v.insert(urls::chart_csv(&name));
        v.insert(urls::chart_png(&name));
    }
    v.extend(theme_statics.iter().map(|s| s.to_string()));
    v
}

/// The name of every chart of the site, in the order they are drawn.
fn chart_names(site: &Site) -> Vec<String> {
    crate::model::SiteChart::ALL
        .iter()
        .map(|c| c.name().to_string())
        .chain(Batch::ALL.iter().map(|&b| crate::charts::batch_name(b)))
        .chain(
            site.periods
                .iter()
                .map(|p| crate::charts::period_name(p.number)),
        )
        .chain(crate::charts::region_names(site))
        .chain(
            site.sectors
                .iter()
                .map(|s| crate::charts::sector_name(&s.slug)),
        )
        .collect()
}

fn describe(site: &Site, kind: &Kind) -> String {
    match kind {
        Kind::Project(i) => format!("the project in {}", site.projects[*i].origin.rel),
        Kind::Bulletin(i) => format!("the bulletin in {}", site.bulletins[*i].origin.rel),
        Kind::Page(i) => format!("the page in {}", site.pages[*i].origin.rel),
        Kind::Period(i) => format!("the page of period {}", site.periods[*i].number),
        _ => "one of sanpi's own pages".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_has_no_pages() {
        assert!(Pager::all(0, 3).is_empty());
        assert!(Pager::all(3, 3).is_empty());
        assert!(Pager::all(1000, 0).is_empty());
    }

    #[test]
    fn pages_cut_a_list_without_gaps_or_overlaps() {
        for (total, size, count) in [(4, 3, 2), (6, 3, 2), (7, 3, 3), (101, 100, 2), (10, 1, 10)] {
            let pagers = Pager::all(total, size);
            assert_eq!(pagers.len(), count, "{total} at {size}");
            let mut next = 0;
            for (i, p) in pagers.iter().enumerate() {
                assert_eq!((p.number, p.count, p.total), (i + 1, count, total));
                let r = p.range();
                assert_eq!(r.start, next);
                assert!(!r.is_empty() && r.len() <= size);
                next = r.end;
            }
            assert_eq!(next, total);
            assert!(pagers[0].is_first() && !pagers[1].is_first());
        }
    }

    #[test]
    fn slices_follow_the_pager() {
        let items: Vec<usize> = (0..7).collect();
        let pagers = Pager::all(7, 3);
        assert_eq!(slice(&items, Some(&pagers[2])), &[6]);
        assert_eq!(slice(&items, Some(&pagers[1])), &[3, 4, 5]);
        assert_eq!(slice(&items, None).len(), 7);
        // A pager past the list's end shows nothing rather than failing.
        let beyond = Pager {
            number: 5,
            ..pagers[0]
        };
        assert!(slice(&items, Some(&beyond)).is_empty());
    }
}
