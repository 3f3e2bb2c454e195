//! Structured data (JSON-LD, schema.org) for each page's head: who publishes, what the page
//! is, and where its data can be downloaded. Written escaped for a `<script>` element.

use crate::content::article::{Article, Kind as ArticleKind};
use crate::content::project::Project;
use crate::escape::json_for_script;
use crate::site::Site;
use crate::urls;
use serde_json::{json, Map, Value};

fn abs(site: &Site, path: &str) -> Option<String> {
    site.absolute_url(path)
}

/// The publisher, typed by `publisher_type` (a plain Organization unless the site says
/// otherwise).
fn publisher(site: &Site) -> Value {
    let name = site
        .config
        .publisher
        .as_deref()
        .unwrap_or(&site.config.title);
    let mut p = json!({"@type": site.config.publisher_type.schema_type(), "name": name});
    if let Some(u) = abs(site, urls::HOME) {
        p["url"] = json!(u);
    }
    p
}

fn object(pairs: Vec<(&str, Value)>) -> Value {
    let mut m = Map::new();
    m.insert("@context".into(), json!("https://schema.org"));
    for (k, v) in pairs {
        if !v.is_null() {
            m.insert(k.into(), v);
        }
    }
    Value::Object(m)
}

fn download(site: &Site, name: &str, path: &str, format: &str) -> Value {
    json!({"@type": "DataDownload", "name": name, "encodingFormat": format, "contentUrl": abs(site, path).unwrap_or_else(|| path.to_string())})
}

/// The home page: the site, and its data as a Dataset with its downloads.
pub(crate) fn home(site: &Site) -> String {
    let mut distribution = vec![
        download(site, "projects.csv", urls::PROJECTS_CSV, "text/csv"),
        download(
            site,
            "projects.json",
            urls::PROJECTS_JSON,
            "application/json",
        ),
        download(
            site,
            "projects.xlsx",
            urls::PROJECTS_XLSX,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        download(site, "indicators.csv", urls::INDICATORS_CSV, "text/csv"),
    ];
    for name in crate::model::SiteChart::ALL.map(|c| c.name()) {
        distribution.push(download(
            site,
            &format!("{name}.csv"),
            &urls::chart_csv(name),
            "text/csv",
        ));
        distribution.push(download(
            site,
            &format!("{name}.svg"),
            &urls::chart_svg(name),
            "image/svg+xml",
        ));
    }
    let dataset = object(vec![
        ("@type", json!("Dataset")),
        ("name", json!(site.config.title)),
        (
            "description",
            json!(site
                .config
                .description
                .clone()
                .unwrap_or_else(|| site.config.title.clone())),
        ),
        ("url", json!(abs(site, urls::HOME))),
        ("inLanguage", json!(site.config.language)),
        ("publisher", publisher(site)),
        ("creator", publisher(site)),
        ("isAccessibleForFree", json!(true)),
        (
            "license",
            json!(site.config.license.as_ref().map(|l| &l.url)),
        ),
        ("distribution", json!(distribution)),
    ]);
    script(&dataset)
}

/// A bulletin: a news article.
pub(crate) fn article(site: &Site, a: &Article, path: &str) -> String {
    let kind = if a.kind == ArticleKind::Bulletin {
        "NewsArticle"
    } else {
        "WebPage"
    };
    let author = match &a.author {
        Some(name) => json!({"@type": "Person", "name": name}),
        None => publisher(site),
    };
    let v = object(vec![
        ("@type", json!(kind)),
        ("headline", json!(a.title)),
        ("name", json!(a.title)),
        ("description", json!(a.summary)),
        // The day the source appeared, never the day of the event it reports on.
        ("datePublished", json!(a.published.map(|d| d.iso()))),
        (
            "dateModified",
            json!(a.updated.max(a.published).map(|d| d.iso())),
        ),
        ("inLanguage", json!(site.config.language)),
        (
            "author",
            if a.kind == ArticleKind::Bulletin {
                author
            } else {
                Value::Null
            },
        ),
        ("publisher", publisher(site)),
        ("url", json!(abs(site, path))),
        ("mainEntityOfPage", json!(abs(site, path))),
    ]);
    script(&v)
}

/// A project: a web page about a project.
pub(crate) fn project(site: &Site, p: &Project) -> String {
    let path = urls::project(&p.id);
    let mut about = json!({"@type": "Project", "name": p.name});
    if let Some(o) = &p.owner {
        about["member"] = json!({"@type": "Organization", "name": o});
    }
    if let Some(l) = &p.location {
        about["location"] = json!({"@type": "Place", "name": l});
    }
    let v = object(vec![
        ("@type", json!("WebPage")),
        ("name", json!(p.name)),
        ("about", about),
        ("dateModified", json!(p.updated.map(|d| d.iso()))),
        ("inLanguage", json!(site.config.language)),
        ("publisher", publisher(site)),
        ("url", json!(abs(site, &path))),
    ]);
    script(&v)
}

/// A list page (batch, period, sector, archive).
pub(crate) fn collection(site: &Site, title: &str, path: &str) -> String {
    let v = object(vec![
        ("@type", json!("CollectionPage")),
        ("name", json!(title)),
        ("inLanguage", json!(site.config.language)),
        ("publisher", publisher(site)),
        ("url", json!(abs(site, path))),
    ]);
    script(&v)
}

fn script(v: &Value) -> String {
    json_for_script(&serde_json::to_string(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[test]
    fn nothing_in_it_can_end_a_script() {
        let s = super::script(&serde_json::json!({"name": "</script><script>alert(1)</script>"}));
        assert!(!s.contains('<') && !s.contains('>'));
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
    }
}
