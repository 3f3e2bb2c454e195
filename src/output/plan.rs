//! The plan: every page of the output with its URL path, and the checks that need all URLs
//! at once (collisions between pages, aliases and static files; `@/` links in Markdown).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::Markdown;
use crate::model::{Batch, Date};
use crate::site::Site;
use crate::urls;
use crate::yaml::Key;
use std::collections::BTreeMap;

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
            Kind::NotFound | Kind::Redirect { .. } | Kind::Search
        )
    }

    /// Whether the page gets a share image of its own.
    pub fn has_card(&self) -> bool {
        self.listed()
    }
}

/// Lists every page, checking that no two claim one URL and that `@/` links lead somewhere.
pub fn plan(site: &Site, diags: &mut Diagnostics) -> Vec<Page> {
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
    add(urls::SEARCH.into(), Kind::Search, None);
    add(urls::NOT_FOUND.into(), Kind::NotFound, None);

    // Who claims each URL: pages first, so that a clash names the page.
    let mut owner: BTreeMap<String, String> = BTreeMap::new();
    for p in &pages {
        owner.insert(p.path.clone(), describe(site, &p.kind));
    }
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
    for s in &site.statics {
        let clash = owner.contains_key(&s.output)
            || owner.keys().any(|k| urls::file_of(k) == s.output)
            || generated_files(site).contains(&s.output);
        if clash {
            diags.push(
                Diagnostic::error(
                    format!("content/static/{}", s.output),
                    None,
                    "this static file would overwrite a file sanpi generates",
                )
                .with_hint("rename or move it"),
            );
        }
    }
    pages.extend(redirects);

    // `@/PATH` links in Markdown must lead to a page of the site.
    let is_page = |p: &str| owner.contains_key(p);
    for (rel, md) in site.documents() {
        diags.extend(link_errors(site, &is_page, rel, md));
    }
    pages
}

/// Errors for the `@/` links of the document `rel` that lead to no page (`is_page` of a URL
/// path) or file of the site.
pub fn link_errors(
    site: &Site,
    is_page: &dyn Fn(&str) -> bool,
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
            || generated_files(site).iter().any(|g| g == p)
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

/// Files sanpi writes besides pages.
fn generated_files(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = vec![
        urls::PROJECTS_CSV.into(),
        urls::PROJECTS_JSON.into(),
        urls::FEED.into(),
        urls::SITEMAP.into(),
        urls::ROBOTS.into(),
        urls::NOT_FOUND.into(),
        urls::STYLE.into(),
        urls::share_image(urls::HOME),
        urls::SEARCH_INDEX.into(),
    ];
    for b in Batch::ALL {
        v.push(urls::batch_feed(b));
    }
    for name in crate::charts::NAMES {
        v.push(urls::chart_svg(name));
        v.push(urls::chart_csv(name));
    }
    let _ = site;
    v
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
