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
    extra: Option<yaml::Value>,
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
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}
