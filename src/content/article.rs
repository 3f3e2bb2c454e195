//! Bulletins (content/bulletins/) and pages (content/pages/): front matter and a Markdown body.

use crate::content::entry::{self, optional_text, required_text, Origin};
use crate::content::project::Image;
use crate::diagnostics::Diagnostic;
use crate::markdown::{self, Markdown};
use crate::model::Date;
use crate::source::Source;
use crate::yaml::{self, Key};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawArticle {
    title: String,
    date: Option<Date>,
    published: Option<Date>,
    slug: Option<String>,
    summary: Option<String>,
    author: Option<String>,
    period: Option<u32>,
    region: Option<String>,
    #[serde(default)]
    images: Vec<Image>,
    #[serde(default)]
    aliases: Vec<String>,
    updated: Option<Date>,
    #[serde(default)]
    draft: bool,
    index_no: Option<String>,
    issuer: Option<String>,
    doc_no: Option<String>,
    source: Option<String>,
    extra: Option<yaml::Value>,
}

/// What a bulletin says of itself as a public document: 索引号, 发文机关, 发文字号 and its
/// source (来源), each when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Notice {
    pub index_no: Option<String>,
    pub issuer: Option<String>,
    pub doc_no: Option<String>,
    pub source: Option<String>,
}

impl Notice {
    /// Whether it holds any of the document numbers (索引号, 发文机关, 发文字号).
    pub fn has_numbers(&self) -> bool {
        self.index_no.is_some() || self.issuer.is_some() || self.doc_no.is_some()
    }
}

/// Which kind of article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bulletin,
    Page,
}

/// A validated bulletin or page.
#[derive(Debug, Clone)]
pub struct Article {
    pub kind: Kind,
    pub slug: String,
    pub title: String,
    /// The day it reports on (for bulletins, the event).
    pub date: Option<Date>,
    /// The day its source appeared, when known.
    pub published: Option<Date>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub period: Option<u32>,
    /// The path of the region a bulletin reports on (content/regions.yaml).
    pub region: Option<String>,
    pub images: Vec<Image>,
    pub aliases: Vec<String>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub body: Markdown,
    /// A bulletin's 索引号, 发文机关, 发文字号 and source (empty for pages).
    pub notice: Notice,
    pub extra: serde_json::Value,
    pub origin: Origin,
}

pub fn parse(
    src: &Source,
    stem: &str,
    kind: Kind,
    md: markdown::Settings,
) -> Result<Article, Vec<Diagnostic>> {
    let parsed = entry::parse::<RawArticle>(src, true).map_err(|d| vec![d])?;
    let (raw, origin) = (parsed.raw, parsed.origin);
    let mut errors = Vec::new();
    let title = required_text(&origin, "title", &raw.title, &mut errors);
    let slug = entry::url_segment(&origin, "slug", raw.slug.as_deref(), stem, "", &mut errors);
    if kind == Kind::Bulletin && raw.date.is_none() {
        errors.push(
            origin
                .error(&[], "a bulletin needs a `date`")
                .with_hint("add `date: YYYY-MM-DD`"),
        );
    }
    if kind == Kind::Page && raw.period.is_some() {
        errors.push(origin.error(&[Key::Field("period")], "only bulletins belong to a period"));
    }
    if kind == Kind::Page {
        for (key, value) in [
            ("index_no", &raw.index_no),
            ("issuer", &raw.issuer),
            ("doc_no", &raw.doc_no),
            ("source", &raw.source),
        ] {
            if value.is_some() {
                errors.push(
                    origin
                        .error(&[Key::Field(key)], format!("only bulletins carry `{key}`"))
                        .with_hint("move the page to content/bulletins/, or remove the key"),
                );
            }
        }
    }
    if raw.period == Some(0) {
        errors.push(origin.error(&[Key::Field("period")], "periods are numbered from 1"));
    }
    entry::check_aliases(&origin, &raw.aliases, "slug", &mut errors);
    super::check_images(&origin, &raw.images, &mut errors);
    let body = match &parsed.body {
        Some((text, line)) => markdown::render(
            text,
            crate::diagnostics::Place::lines(*line),
            &src.rel,
            md,
            &mut errors,
        ),
        None => Markdown::default(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Article {
        kind,
        slug,
        title,
        date: raw.date,
        published: raw.published,
        summary: optional_text(raw.summary),
        author: optional_text(raw.author),
        period: raw.period,
        region: optional_text(raw.region).map(|r| r.trim_matches('/').to_string()),
        images: raw.images,
        aliases: raw.aliases,
        updated: raw.updated,
        draft: raw.draft,
        body,
        notice: Notice {
            index_no: optional_text(raw.index_no),
            issuer: optional_text(raw.issuer),
            doc_no: optional_text(raw.doc_no),
            source: optional_text(raw.source),
        },
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}
