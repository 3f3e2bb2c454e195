//! Markdown: pulldown-cmark rendering with shortcodes, safe links, heading anchors and CJK care.
//!
//! A body is rendered once, when the content is validated, into [`Segment`]s: HTML, and the
//! shortcodes that need the whole site to draw. Site-relative links (`@/PATH` and `/PATH`)
//! carry [`ROOT`] in place of the page's path to the site root, filled in per page.

use crate::diagnostics::{Diagnostic, Pos};
use crate::shortcode::{self, Call};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;

/// Stands for the relative path from a page to the site root in rendered HTML.
pub const ROOT: &str = "@@sanpi-root@@";

/// One piece of a rendered body.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Html(String),
    Shortcode { call: Call, line: usize },
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markdown {
    pub segments: Vec<Segment>,
    /// Site paths linked with `@/PATH`, with the line of each, for checking.
    pub internal_links: Vec<(String, usize)>,
    /// The ids given to headings, in order, with their text.
    pub headings: Vec<(String, String)>,
}

impl Markdown {
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// The HTML with shortcodes left out, for feeds and summaries.
    pub fn plain_html(&self, root: &str) -> String {
        let mut out = String::new();
        for s in &self.segments {
            if let Segment::Html(h) = s {
                out.push_str(&h.replace(ROOT, root));
            }
        }
        out
    }
}

/// Rendering settings that come from the site.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings {
    pub unsafe_html: bool,
}

/// Renders `body`, whose first line is line `first_line` of the file `rel`.
pub fn render(
    body: &str,
    first_line: usize,
    rel: &str,
    settings: Settings,
    errors: &mut Vec<Diagnostic>,
) -> Markdown {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let line_of = |offset: usize| Pos::of_offset(body, offset).line + first_line - 1;
    let events: Vec<(Event, std::ops::Range<usize>)> =
        Parser::new_ext(body, opts).into_offset_iter().collect();

    let mut md = Markdown::default();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut link_kept: Vec<bool> = Vec::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut i = 0;
    while i < events.len() {
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Paragraph) => {
                // A paragraph of plain text that reads `{{ … }}` is a shortcode.
                let mut j = i + 1;
                let mut text = String::new();
                let mut plain = true;
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Paragraph)) {
                    match &events[j].0 {
                        Event::Text(t) => text.push_str(t),
                        Event::SoftBreak => text.push('\n'),
                        _ => plain = false,
                    }
                    j += 1;
                }
                if plain && shortcode::looks_like(&text) {
                    let line = line_of(range.start);
                    match shortcode::parse(&text) {
                        Ok(call) => {
                            flush(&mut out, &mut md.segments);
                            md.segments.push(Segment::Shortcode { call, line });
                        }
                        Err((msg, hint)) => {
                            let col = body[range.start..]
                                .find("{{")
                                .map_or(1, |k| Pos::of_offset(body, range.start + k).col);
                            let mut d = Diagnostic::error(rel, Some(Pos::new(line, col)), msg);
                            d.hint = hint;
                            errors.push(d);
                        }
                    }
                    i = j + 1;
                    continue;
                }
                out.push(ev.clone());
            }
            Event::Start(Tag::Heading { level, .. }) => {
                let level = *level;
                let mut j = i + 1;
                let mut text = String::new();
                while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                    if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                        text.push_str(t);
                    }
                    j += 1;
                }
                let id = unique_id(&heading_id(&text), &mut ids);
                md.headings.push((id.clone(), text));
                out.push(Event::Start(Tag::Heading {
                    level,
                    id: Some(CowStr::from(id)),
                    classes: vec![],
                    attrs: vec![],
                }));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((id, _)) = md.headings.last() {
                    if *level != HeadingLevel::H1 {
                        out.push(Event::Html(CowStr::from(format!(
                            "<a class=\"anchor\" href=\"#{id}\" aria-label=\"#\">#</a>"
                        ))));
                    }
                }
                out.push(ev.clone());
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match safe_url(dest_url) {
                Some(url) => {
                    if let Some(path) = dest_url.strip_prefix("@/") {
                        md.internal_links
                            .push((path.to_string(), line_of(range.start)));
                    }
                    link_kept.push(true);
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: CowStr::from(url),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                None => link_kept.push(false),
            },
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => match safe_url(dest_url) {
                Some(url) if !url.starts_with("mailto:") && !url.starts_with("tel:") => {
                    link_kept.push(true);
                    out.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: CowStr::from(url),
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                _ => link_kept.push(false),
            },
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if link_kept.pop().unwrap_or(true) {
                    out.push(ev.clone());
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                // Raw HTML is left out, as Hugo does, unless the site opts in.
                let _ = h;
                if settings.unsafe_html {
                    out.push(ev.clone());
                }
            }
            Event::SoftBreak => {
                // A line break inside Chinese text joins the lines: a space would show.
                let before = out.iter().rev().find_map(|e| match e {
                    Event::Text(t) => t.chars().last(),
                    _ => None,
                });
                let after = events.get(i + 1).and_then(|(e, _)| match e {
                    Event::Text(t) => t.chars().next(),
                    _ => None,
                });
                if !(before.is_some_and(is_cjk) && after.is_some_and(is_cjk)) {
                    out.push(ev.clone());
                }
            }
            _ => out.push(ev.clone()),
        }
        i += 1;
    }
    flush(&mut out, &mut md.segments);
    md
}

fn flush(events: &mut Vec<Event>, segments: &mut Vec<Segment>) {
    if events.is_empty() {
        return;
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events.drain(..));
    segments.push(Segment::Html(html));
}

/// The href to write for a Markdown link, or None for one that must not be a link.
fn safe_url(url: &str) -> Option<String> {
    let u = url.trim();
    if let Some(path) = u.strip_prefix("@/") {
        return Some(format!("{ROOT}{path}"));
    }
    if let Some(path) = u.strip_prefix('/') {
        if !path.starts_with('/') && !path.starts_with('\\') {
            return Some(format!("{ROOT}{path}"));
        }
        return None;
    }
    let lower: String = u
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let scheme_end = lower.find([':', '/', '?', '#']);
    match scheme_end {
        Some(k) if lower.as_bytes()[k] == b':' => {
            let scheme = &lower[..k];
            matches!(scheme, "http" | "https" | "mailto" | "tel").then(|| u.to_string())
        }
        _ if u.starts_with('\\') => None,
        _ => Some(u.to_string()),
    }
}

/// Whether `c` belongs to a script written without spaces between words.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x31A0..=0x31BF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF
        | 0x20000..=0x2FA1F)
}

/// An id for a heading: its words, lowercased, with spaces as hyphens; Chinese kept as is.
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id.trim_matches('-').to_string();
    if id.is_empty() {
        "section".into()
    } else {
        id
    }
}

fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        let mut e = vec![];
        let m = render(md, 1, "t.md", Settings::default(), &mut e);
        assert!(e.is_empty(), "{e:?}");
        m.plain_html("../")
    }

    #[test]
    fn raw_html_is_left_out_by_default() {
        let h = html("a <script>alert(1)</script> b\n\n<div onclick=x>y</div>\n");
        assert!(!h.contains("<script") && !h.contains("onclick"), "{h}");
        let mut e = vec![];
        let m = render(
            "<b>x</b>",
            1,
            "t.md",
            Settings { unsafe_html: true },
            &mut e,
        );
        assert!(m.plain_html("").contains("<b>x</b>"));
    }

    #[test]
    fn dangerous_links_lose_their_href() {
        let h = html("[a](javascript:alert(1)) [b](JavaScript&#58;x) ![c](data:image/svg+xml,<svg>) [d](https://e.f/)");
        assert!(
            !h.to_lowercase().contains("javascript") && !h.contains("data:"),
            "{h}"
        );
        assert!(h.contains("href=\"https://e.f/\""));
    }

    #[test]
    fn site_links_become_relative() {
        let h = html("[p](@/projects/a/) [q](/about/) [r](//evil.example/)");
        assert!(
            h.contains("href=\"../projects/a/\"") && h.contains("href=\"../about/\""),
            "{h}"
        );
        assert!(!h.contains("evil"));
    }

    #[test]
    fn shortcodes_are_cut_out_with_their_line() {
        let mut e = vec![];
        let m = render(
            "a\n\n{{ chart(name=\"investment-by-batch\") }}\n\nb\n",
            10,
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert_eq!(m.segments.len(), 3);
        assert!(matches!(
            &m.segments[1],
            Segment::Shortcode { line: 12, .. }
        ));
        render(
            "x\n\n{{ chrt() }}\n",
            5,
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert_eq!(e[0].pos, Some(Pos::new(7, 1)));
        e.clear();
        let m = render(
            "```\n{{ chrt() }}\n```\n",
            1,
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert!(e.is_empty() && m.segments.len() == 1);
    }

    #[test]
    fn headings_get_unique_ids() {
        let h = html("## 项目概况\n\n## 项目概况\n\n## Build Plan\n");
        assert!(
            h.contains("id=\"项目概况\"")
                && h.contains("id=\"项目概况-1\"")
                && h.contains("id=\"build-plan\""),
            "{h}"
        );
    }

    #[test]
    fn chinese_lines_join_without_a_space() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("one\ntwo"), "<p>one\ntwo</p>\n");
    }
}
