//! Feeds and files for crawlers: the Atom feed of bulletins, sitemap.xml and robots.txt.

use crate::content::article::Article;
use crate::escape::{html as esc, xml_chars};
use crate::site::Site;
use crate::urls;

/// A URL for `path`: absolute under base_url when the site has one, else relative.
fn url(site: &Site, path: &str) -> String {
    site.url_or_path(path)
}

fn x(s: &str) -> String {
    esc(&xml_chars(s))
}

fn stamp(d: crate::model::Date) -> String {
    format!("{}T00:00:00Z", d.iso())
}

/// The opening of an Atom feed: everything up to its entries.
fn head(
    site: &Site,
    title: &str,
    subtitle: Option<&str>,
    self_path: &str,
    alternate: &str,
    updated: &str,
) -> String {
    let author = site
        .config
        .publisher
        .as_deref()
        .unwrap_or(&site.config.title);
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        x(&site.config.language)
    ));
    out.push_str(&format!("  <title>{}</title>\n", x(title)));
    if let Some(d) = subtitle {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", x(d)));
    }
    out.push_str(&format!("  <id>{}</id>\n", x(&feed_id(site, self_path))));
    out.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        x(&url(site, self_path))
    ));
    out.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        x(&url(site, alternate))
    ));
    out.push_str(&format!("  <updated>{updated}</updated>\n"));
    out.push_str(&format!("  <author><name>{}</name></author>\n", x(author)));
    out.push_str("  <generator uri=\"https://crates.io/crates/sanpi\">sanpi</generator>\n");
    out
}

/// The Atom feed of `bulletins` (newest first), at `self_path`.
pub fn atom(site: &Site, title: &str, self_path: &str, bulletins: &[&Article]) -> String {
    let updated = bulletins
        .iter()
        .filter_map(|a| a.updated.max(a.date))
        .max()
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = head(
        site,
        title,
        site.config.description.as_deref(),
        self_path,
        urls::HOME,
        &updated,
    );
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
            .unwrap_or_else(|| updated.clone());
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", x(&a.title)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            x(&url(site, &path))
        ));
        out.push_str(&format!("    <id>{}</id>\n", x(&feed_id(site, &path))));
        if let Some(p) = &published {
            out.push_str(&format!("    <published>{p}</published>\n"));
        }
        out.push_str(&format!("    <updated>{changed}</updated>\n"));
        if let Some(au) = &a.author {
            out.push_str(&format!("    <author><name>{}</name></author>\n", x(au)));
        }
        if let Some(s) = &a.summary {
            out.push_str(&format!("    <summary>{}</summary>\n", x(s)));
        }
        let root = site
            .config
            .base_url
            .clone()
            .unwrap_or_else(|| "../../".into());
        out.push_str(&format!(
            "    <content type=\"html\">{}</content>\n",
            x(&a.body.plain_html(&root))
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
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

/// sitemap.xml, when the site has a base_url: every page with its last change where known.
pub fn sitemap(site: &Site, pages: &[(String, Option<crate::model::Date>)]) -> Option<String> {
    let base = site.config.base_url.as_ref()?;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, lastmod) in pages {
        out.push_str(&format!(
            "  <url><loc>{}</loc>",
            x(&urls::absolute(base, path))
        ));
        if let Some(d) = lastmod {
            out.push_str(&format!("<lastmod>{}</lastmod>", d.iso()));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    Some(out)
}

/// robots.txt: everything may be crawled; the sitemap is named when there is one.
pub fn robots(site: &Site) -> String {
    let mut out = String::from("User-agent: *\nAllow: /\n");
    if let Some(b) = &site.config.base_url {
        out.push_str(&format!("Sitemap: {}\n", urls::absolute(b, urls::SITEMAP)));
    }
    out
}

/// The Atom feed of one batch: its projects, newest period first, each dated by its own
/// `updated`, else its period's date, else the site's latest date.
pub fn batch_feed(site: &Site, b: crate::model::Batch) -> String {
    let title = format!("{} · {}", site.config.title, crate::labels::batch(b));
    let self_path = urls::batch_feed(b);
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
    let mut projects: Vec<&crate::content::project::Project> = site
        .batch(b)
        .projects
        .iter()
        .map(|&i| &site.projects[i])
        .collect();
    projects.sort_by(|x, y| (y.period, &x.id).cmp(&(x.period, &y.id)));
    let updated = projects
        .iter()
        .filter_map(|p| date_of(p))
        .max()
        .or(latest)
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let mut out = head(site, &title, None, &self_path, &urls::batch(b), &updated);
    for p in projects {
        let path = urls::project(&p.id);
        let when = date_of(p).map(stamp).unwrap_or_else(|| updated.clone());
        let summary = format!(
            "{}，{}",
            crate::labels::batch(p.batch),
            crate::labels::period_or_unknown(p.period)
        );
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}</title>\n", x(&p.name)));
        out.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            x(&url(site, &path))
        ));
        out.push_str(&format!("    <id>{}</id>\n", x(&feed_id(site, &path))));
        out.push_str(&format!("    <updated>{when}</updated>\n"));
        out.push_str(&format!("    <summary>{}</summary>\n", x(&summary)));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
