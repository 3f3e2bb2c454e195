//! A project entry (content/projects/): one file each, Markdown with front matter or YAML.

use crate::amount::Amount;
use crate::content::entry::{self, optional_text, required_text, Origin};
use crate::diagnostics::{Diagnostic, Place, Pos};
use crate::markdown::{self, Markdown};
use crate::model::{Batch, Date, Progress};
use crate::source::Source;
use crate::urls;
use crate::yaml::{self, Key};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProject {
    id: Option<String>,
    name: String,
    batch: Batch,
    period: Option<u32>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
    investment: Option<Amount>,
    annual_plan: Option<Amount>,
    invested: Option<Amount>,
    sector: Option<String>,
    location: Option<String>,
    owner: Option<String>,
    region: Option<String>,
    tags: Option<Vec<String>>,
    progress: Option<Progress>,
    #[serde(default)]
    milestones: Vec<Milestone>,
    #[serde(default)]
    images: Vec<Image>,
    #[serde(default)]
    aliases: Vec<String>,
    updated: Option<Date>,
    #[serde(default)]
    draft: bool,
    body: Option<String>,
    extra: Option<yaml::Value>,
}

/// An earlier batch of a project. `period` may be absent where it was never published.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    pub period: Option<u32>,
    pub batch: Batch,
    pub note: Option<String>,
}

/// A dated event in a project's life.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub date: Date,
    pub title: String,
    pub note: Option<String>,
}

/// A picture from content/static/.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Image {
    pub src: String,
    pub alt: String,
    pub credit: Option<String>,
}

/// A validated project.
#[derive(Debug, Clone)]
pub struct Project {
    pub id: String,
    pub name: String,
    pub batch: Batch,
    /// The period it entered its current batch; None where the source does not say.
    pub period: Option<u32>,
    pub history: Vec<HistoryEntry>,
    pub investment: Option<Amount>,
    pub annual_plan: Option<Amount>,
    pub invested: Option<Amount>,
    pub sector: Option<String>,
    pub location: Option<String>,
    pub owner: Option<String>,
    /// The path of the region it belongs to (`zhengzhou/gaoxin`), checked against
    /// content/regions.yaml with the site.
    pub region: Option<String>,
    /// Its tags (制造业, 省重点), trimmed; None where the entry gives none (the filters of
    /// targets cannot judge it), `Some(empty)` for `tags: []`.
    pub tags: Option<Vec<String>>,
    pub progress: Option<Progress>,
    pub milestones: Vec<Milestone>,
    pub images: Vec<Image>,
    pub aliases: Vec<String>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub body: Markdown,
    /// The body's Markdown as written (for data/projects.xlsx's 建设内容).
    pub body_source: String,
    pub extra: serde_json::Value,
    pub origin: Origin,
}

impl Project {
    /// The project's way through the batches, oldest first: each earlier batch of its
    /// history, then its current batch, with the period it entered each (when known).
    pub fn steps(&self) -> impl Iterator<Item = (Batch, Option<u32>)> + '_ {
        self.history
            .iter()
            .map(|h| (h.batch, h.period))
            .chain([(self.batch, self.period)])
    }

    /// Whether the project entered batch `b` in period `n` (None: in a period the source does
    /// not state): as its current batch, or as an earlier one by its history.
    pub fn entered(&self, b: Batch, n: Option<u32>) -> bool {
        self.entry(b, n).is_some()
    }

    /// When the project entered batch `b` in period `n`: the batch it came from (None when
    /// that was its first). None when it did not enter `b` in `n`.
    pub fn entry(&self, b: Batch, n: Option<u32>) -> Option<Option<Batch>> {
        // The current batch first; a history that repeats a step is the author's to fix
        // (lint). The steps are the history's, then the current batch (see `steps`).
        if (self.batch, self.period) == (b, n) {
            return Some(self.history.last().map(|h| h.batch));
        }
        let k = self
            .history
            .iter()
            .position(|h| (h.batch, h.period) == (b, n))?;
        Some(k.checked_sub(1).map(|j| self.history[j].batch))
    }
}

/// `page` is neither an id nor an alias: `/projects/page/N/` are the later pages of the list
/// of all projects. `given`: whether the id was written (else it is the file's name).
fn reserved_ids(
    origin: &Origin,
    id: &str,
    given: bool,
    aliases: &[String],
    errors: &mut Vec<Diagnostic>,
) {
    let message = |what: &str| {
        format!(
            "{what} `{}` is reserved: /{} and the pages after it are the list of projects",
            urls::PAGER,
            urls::list_page(urls::PROJECTS, 2)
        )
    };
    if id == urls::PAGER {
        let e = if given {
            origin.error(&[Key::Field("id")], message("the id"))
        } else {
            Diagnostic::error(
                &origin.rel,
                Some(Pos::new(1, 1)),
                message("the id (the file's name)"),
            )
        };
        errors.push(e.with_hint("give the project another `id:`, such as page-1"));
    }
    for (i, a) in aliases.iter().enumerate() {
        if a == urls::PAGER {
            errors.push(
                origin
                    .error(
                        &[Key::Field("aliases"), Key::Index(i)],
                        message("the alias"),
                    )
                    .with_hint("remove this alias: its old URL cannot be kept"),
            );
        }
    }
}

/// Reads one project file; `stem` is its file name without extension.
pub fn parse(
    src: &Source,
    stem: &str,
    is_markdown: bool,
    md: markdown::Settings,
) -> Result<Project, Vec<Diagnostic>> {
    let parsed = entry::parse::<RawProject>(src, is_markdown).map_err(|d| vec![d])?;
    let (raw, origin) = (parsed.raw, parsed.origin);
    let mut errors = Vec::new();
    let example = ", such as tianjianhu-west";
    let id = entry::url_segment(&origin, "id", raw.id.as_deref(), stem, example, &mut errors);
    reserved_ids(&origin, &id, raw.id.is_some(), &raw.aliases, &mut errors);
    let name = required_text(&origin, "name", &raw.name, &mut errors);
    if raw.period == Some(0) {
        errors.push(origin.error(&[Key::Field("period")], "periods are numbered from 1"));
    }
    for (i, h) in raw.history.iter().enumerate() {
        if h.period == Some(0) {
            errors.push(origin.error(
                &[Key::Field("history"), Key::Index(i), Key::Field("period")],
                "periods are numbered from 1",
            ));
        }
    }
    for (i, m) in raw.milestones.iter().enumerate() {
        if m.title.trim().is_empty() {
            errors.push(origin.error(
                &[Key::Field("milestones"), Key::Index(i), Key::Field("title")],
                "a milestone needs a title",
            ));
        }
    }
    let region = optional_text(raw.region).map(|r| r.trim_matches('/').to_string());
    if region.as_deref() == Some("") {
        errors.push(origin.error(&[Key::Field("region")], "`region` names no region"));
    }
    let tags = raw.tags.map(|tags| {
        for (i, _) in tags.iter().enumerate().filter(|(_, t)| t.trim().is_empty()) {
            errors.push(origin.error(&[Key::Field("tags"), Key::Index(i)], "a tag is empty"));
        }
        tags.iter()
            .map(|t| t.trim().to_string())
            .collect::<Vec<_>>()
    });
    entry::check_aliases(&origin, &raw.aliases, "id", &mut errors);
    super::check_images(&origin, &raw.images, &mut errors);
    let body_source = parsed
        .body
        .as_ref()
        .map(|(t, _)| t.clone())
        .or_else(|| raw.body.clone())
        .unwrap_or_default();
    let body = match (parsed.body, raw.body) {
        (Some(_), Some(_)) => {
            errors.push(
                origin
                    .error(&[Key::Field("body")], "`body` is for .yaml projects")
                    .with_hint("in a .md project, write the description after the closing `---`"),
            );
            Markdown::default()
        }
        (Some((text, line)), None) => {
            markdown::render(&text, Place::lines(line), &src.rel, md, &mut errors)
        }
        (None, Some(text)) => {
            let place = origin.place(&[Key::Field("body")], &text);
            markdown::render(&text, place, &src.rel, md, &mut errors)
        }
        (None, None) => Markdown::default(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Project {
        id,
        name,
        batch: raw.batch,
        period: raw.period,
        history: raw.history,
        investment: raw.investment,
        annual_plan: raw.annual_plan,
        invested: raw.invested,
        sector: optional_text(raw.sector),
        location: optional_text(raw.location),
        owner: optional_text(raw.owner),
        region,
        tags,
        progress: raw.progress,
        milestones: raw.milestones,
        images: raw.images,
        aliases: raw.aliases,
        updated: raw.updated,
        draft: raw.draft,
        body,
        body_source,
        extra: raw
            .extra
            .as_ref()
            .map(yaml::to_json)
            .unwrap_or(serde_json::Value::Null),
        origin,
    })
}
