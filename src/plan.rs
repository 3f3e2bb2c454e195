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
}

impl Page {
    /// Whether the page belongs in the sitemap.
    pub fn listed(&self) -> bool {
        !matches!(
            self.kind,
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search | Kind::ChartEmbed(_)
        )
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
    let generated = generated_files(site, &pages, theme_statics);
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
    let mut add = |path: String, kind: Kind, lastmod: Option<Date>| {
        pages.push(Page {
            path,
            kind,
            lastmod,
        })
    };
    add(urls::HOME.into(), Kind::Home, None);
    add(urls::PROJECTS.into(), Kind::Projects, None);
    for (i, p) in site.projects.iter().enumerate() {
        add(urls::project(&p.id), Kind::Project(i), p.updated);
    }
    for b in Batch::ALL {
        add(urls::batch(b), Kind::Batch(b), None);
    }
    for (i, p) in site.periods.iter().enumerate() {
        add(urls::period(p.number), Kind::Period(i), p.date);
    }
    for (i, s) in site.sectors.iter().enumerate() {
        add(urls::sector(&s.slug), Kind::Sector(i), None);
    }
    add(
        urls::BULLETINS.into(),
        Kind::Bulletins,
        site.bulletins.first().and_then(|b| b.date),
    );
    for (i, a) in site.bulletins.iter().enumerate() {
        add(
            urls::bulletin(&a.slug),
            Kind::Bulletin(i),
            a.updated.max(a.date),
        );
    }
    for (i, a) in site.pages.iter().enumerate() {
        add(urls::page(&a.slug), Kind::Page(i), a.updated);
    }
    for name in chart_names(site) {
        add(urls::chart_page(&name), Kind::Chart(name.clone()), None);
        add(urls::chart_embed(&name), Kind::ChartEmbed(name), None);
    }
    add(urls::SEARCH.into(), Kind::Search, None);
    add(urls::NOT_FOUND.into(), Kind::NotFound, None);

    pages
}

/// A page may not take a slug of sanpi's own URLs.
fn reserved_slugs(site: &Site, diags: &mut Diagnostics) {
    for a in &site.pages {
        if urls::RESERVED.contains(&a.slug.as_str()) {
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
                });
            }
        }
    }
    redirects
}

/// Static files may not take the place of anything sanpi writes, nor of a folder it needs.
fn static_collisions(site: &Site, generated: &BTreeSet<String>, diags: &mut Diagnostics) {
    let folders: BTreeSet<&str> = generated
        .iter()
        .flat_map(|g| g.match_indices('/').map(move |(i, _)| &g[..i]))
        .collect();
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
        } else if folders.contains(s.output.as_str()) {
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
    generated: &BTreeSet<String>,
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
        is_page(&with_slash) || site.statics.iter().any(|s| s.output == p) || generated.contains(p)
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

/// Every file sanpi writes: each page (and its share image), the data, feeds and charts, and
/// the theme's static files. The one list a static file of the site is checked against.
pub fn generated_files(site: &Site, pages: &[Page], theme_statics: &[&str]) -> BTreeSet<String> {
    let mut v: BTreeSet<String> = [
        urls::PROJECTS_CSV,
        urls::PROJECTS_JSON,
        urls::PROJECTS_XLSX,
        urls::INDICATORS_CSV,
        urls::FEED,
        urls::SITEMAP,
        urls::ROBOTS,
        urls::NOT_FOUND,
        urls::STYLE,
        urls::SEARCH_INDEX,
        urls::SEARCH_INDEX_JS,
    ]
    .into_iter()
    .map(String::from)
    .collect();
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
