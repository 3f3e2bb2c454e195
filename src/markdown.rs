//! Markdown: pulldown-cmark rendering with shortcodes, safe links, heading anchors and CJK care.
//!
//! A body is rendered once, when the content is validated, into [`Segment`]s: HTML, and the
//! shortcodes that need the whole site to draw. Site-relative links (`@/PATH` and `/PATH`)
//! carry [`ROOT`] in place of the page's path to the site root, filled in per page.

use crate::diagnostics::{Diagnostic, Place, Pos};
use crate::shortcode::{self, Call};
use crate::text::is_cjk;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

/// Stands for the relative path from a page to the site root in rendered HTML.
pub const ROOT: &str = "@@sanpi-root@@";

/// One piece of a rendered body.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    Html(String),
    /// A shortcode, with its position in the file.
    Shortcode {
        call: Call,
        pos: Pos,
    },
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markdown {
    pub segments: Vec<Segment>,
    /// Site paths linked with `@/PATH`, with the file position of each, for checking.
    pub internal_links: Vec<(String, Pos)>,
    /// The ids given to headings, in order, with their text.
    pub headings: Vec<(String, String)>,
}

impl Markdown {
    pub fn is_empty(&self) -> bool {
        self.segments.is_empty()
    }

    /// Whether the body draws a shortcode (a chart, a list of projects): what it shows then
    /// depends on other entries too.
    pub fn has_shortcodes(&self) -> bool {
        self.segments
            .iter()
            .any(|s| matches!(s, Segment::Shortcode { .. }))
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

/// Renders `body`, which sits at `place` in the file `rel`.
pub fn render(
    body: &str,
    place: Place,
    rel: &str,
    settings: Settings,
    errors: &mut Vec<Diagnostic>,
) -> Markdown {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let events: Vec<(Event, Range<usize>)> =
        Parser::new_ext(body, opts).into_offset_iter().collect();
    let events = cjk_emphasis(events, body);
    let mut r = Renderer {
        body,
        place,
        rel,
        settings,
        doc: doc_key(rel),
        out: Vec::with_capacity(events.len()),
        events,
        errors,
        md: Markdown::default(),
        footnotes: Vec::new(),
        footnote_open: Vec::new(),
        link_kept: Vec::new(),
        ids: HashSet::new(),
    };
    let mut i = 0;
    while i < r.events.len() {
        i = r.event(i);
    }
    flush(&mut r.out, &mut r.md.segments);
    r.md
}

/// The state of one body's rendering: pulldown-cmark's events in, sanpi's events out, with
/// one method per kind of event sanpi changes.
struct Renderer<'a, 'e> {
    body: &'a str,
    place: Place,
    rel: &'a str,
    settings: Settings,
    /// The key of the document, in footnote ids.
    doc: String,
    events: Vec<(Event<'a>, Range<usize>)>,
    out: Vec<Event<'a>>,
    errors: &'e mut Vec<Diagnostic>,
    md: Markdown,
    /// Footnote labels in order of first use: a footnote's number is its place here.
    footnotes: Vec<String>,
    footnote_open: Vec<usize>,
    /// For each open link or image, whether it was kept (unsafe targets lose the link).
    link_kept: Vec<bool>,
    /// Heading ids given so far.
    ids: HashSet<String>,
}

impl<'a> Renderer<'a, '_> {
    /// Handles event `i`; returns the index of the next event to handle.
    fn event(&mut self, i: usize) -> usize {
        let (ev, range) = self.events[i].clone();
        match ev {
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.shortcode(i, &range) {
                    return next;
                }
                self.out.push(ev);
            }
            Event::Start(Tag::Heading { level, .. }) => self.heading(i, level),
            Event::End(TagEnd::Heading(level)) => {
                if let (Some((id, _)), true) = (self.md.headings.last(), level != HeadingLevel::H1)
                {
                    self.out.push(Event::Html(CowStr::from(format!(
                        "<a class=\"anchor\" href=\"#{id}\" aria-label=\"#\">#</a>"
                    ))));
                }
                self.out.push(ev);
            }
            Event::Start(Tag::Link { .. }) | Event::Start(Tag::Image { .. }) => {
                self.link(ev, &range)
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                if self.link_kept.pop().unwrap_or(true) {
                    self.out.push(ev);
                }
            }
            // Raw HTML is left out, as Hugo does, unless the site opts in.
            Event::Html(_) | Event::InlineHtml(_) => {
                if self.settings.unsafe_html {
                    self.out.push(ev);
                }
            }
            Event::FootnoteReference(_)
            | Event::Start(Tag::FootnoteDefinition(_))
            | Event::End(TagEnd::FootnoteDefinition) => self.footnote(ev),
            Event::SoftBreak => {
                if !self.joins_cjk(i) {
                    self.out.push(ev);
                }
            }
            _ => self.out.push(ev),
        }
        i + 1
    }

    /// A paragraph of plain text that reads `{{ … }}` is a shortcode: its call (or its error),
    /// and the index after the paragraph. None for any other paragraph.
    fn shortcode(&mut self, i: usize, range: &Range<usize>) -> Option<usize> {
        let mut j = i + 1;
        let mut text = String::new();
        while j < self.events.len() && !matches!(self.events[j].0, Event::End(TagEnd::Paragraph)) {
            match &self.events[j].0 {
                Event::Text(t) => text.push_str(t),
                Event::SoftBreak => text.push('\n'),
                _ => return None,
            }
            j += 1;
        }
        if !shortcode::looks_like(&text) {
            return None;
        }
        let start = self.body[range.start..]
            .find("{{")
            .map_or(range.start, |k| range.start + k);
        let pos = self.place.pos(self.body, start);
        match shortcode::parse(&text) {
            Ok(call) => {
                flush(&mut self.out, &mut self.md.segments);
                self.md.segments.push(Segment::Shortcode { call, pos });
            }
            Err(d) => self.errors.push(d.placed(self.rel, |p| p, Some(pos))),
        }
        Some(j + 1)
    }

    /// A heading gets an id from its text, unique in the document.
    fn heading(&mut self, i: usize, level: HeadingLevel) {
        let mut text = String::new();
        for (e, _) in &self.events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let id = unique_id(&heading_id(&text), &mut self.ids);
        self.md.headings.push((id.clone(), text));
        self.out.push(Event::Start(Tag::Heading {
            level,
            id: Some(CowStr::from(id)),
            classes: vec![],
            attrs: vec![],
        }));
    }

    /// A link or image keeps only a safe target; `@/` links are noted for checking.
    fn link(&mut self, ev: Event<'a>, range: &Range<usize>) {
        let kept = match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => safe_url(&dest_url).map(|url| {
                if let Some(path) = dest_url.strip_prefix("@/") {
                    let pos = self.place.pos(self.body, range.start);
                    self.md.internal_links.push((path.to_string(), pos));
                }
                Tag::Link {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                }
            }),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => safe_url(&dest_url)
                .filter(|url| !url.starts_with("mailto:") && !url.starts_with("tel:"))
                .map(|url| Tag::Image {
                    link_type,
                    dest_url: CowStr::from(url),
                    title,
                    id,
                }),
            _ => None,
        };
        self.link_kept.push(kept.is_some());
        self.out.extend(kept.map(Event::Start));
    }

    /// Footnote ids carry a key of their document, so that several documents can share a
    /// page; labels never reach the HTML (they are numbered).
    fn footnote(&mut self, ev: Event<'a>) {
        let doc = &self.doc;
        let html = match ev {
            Event::FootnoteReference(label) => {
                let n = number(&mut self.footnotes, &label);
                format!("<sup class=\"footnote-ref\"><a href=\"#fn-{doc}-{n}\" id=\"fnref-{doc}-{n}\">{n}</a></sup>")
            }
            Event::Start(Tag::FootnoteDefinition(label)) => {
                let n = number(&mut self.footnotes, &label);
                self.footnote_open.push(n);
                format!("<div class=\"footnote\" id=\"fn-{doc}-{n}\"><span class=\"footnote-label\">{n}</span>")
            }
            _ => {
                let n = self.footnote_open.pop().unwrap_or(0);
                format!("<a class=\"footnote-back\" href=\"#fnref-{doc}-{n}\" aria-label=\"↩\">↩</a></div>\n")
            }
        };
        self.out.push(Event::Html(CowStr::from(html)));
    }

    /// Whether the line break at event `i` falls between Chinese characters, where it joins
    /// the lines: a space would show.
    fn joins_cjk(&self, i: usize) -> bool {
        let before = self.out.iter().rev().find_map(|e| match e {
            Event::Text(t) => t.chars().last(),
            _ => None,
        });
        let after = self.events.get(i + 1).and_then(|(e, _)| match e {
            Event::Text(t) => t.chars().next(),
            _ => None,
        });
        before.is_some_and(is_cjk) && after.is_some_and(is_cjk)
    }
}

/// The number of footnote `label`: its place among the labels in order of first use.
fn number(labels: &mut Vec<String>, label: &str) -> usize {
    match labels.iter().position(|l| l == label) {
        Some(i) => i + 1,
        None => {
            labels.push(label.to_string());
            labels.len()
        }
    }
}

/// A short key of a document, from its path: the same file always gets the same key.
fn doc_key(rel: &str) -> String {
    // FNV-1a, 32 bits: stable across builds and machines.
    let mut h: u32 = 0x811c_9dc5;
    for b in rel.bytes() {
        h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

/// Emphasis around CJK punctuation: CommonMark's flanking rules leave `这是**“重点”**项目`
/// with literal asterisks, because a delimiter between a letter and punctuation cannot open.
/// Runs of `*` that CommonMark left unmatched (they arrive as text) are paired here, as the
/// CJK-friendly emphasis extension does: inside one block, equal runs with no space on their
/// inner side. Escaped asterisks and code are never touched.
fn cjk_emphasis<'a>(
    events: Vec<(Event<'a>, Range<usize>)>,
    body: &str,
) -> Vec<(Event<'a>, Range<usize>)> {
    let is_star_run = |e: &Event, r: &Range<usize>| {
        matches!(e, Event::Text(t) if t.as_ref() == "*") && &body[r.clone()] == "*" && {
            let slashes = body[..r.start]
                .bytes()
                .rev()
                .take_while(|&b| b == b'\\')
                .count();
            slashes % 2 == 0
        }
    };
    // Runs: (first event index, count, source range).
    let mut runs: Vec<(usize, usize, Range<usize>)> = Vec::new();
    let mut block_of: Vec<usize> = Vec::new();
    let mut block = 0;
    let mut i = 0;
    while i < events.len() {
        let (e, r) = &events[i];
        if matches!(e, Event::Start(_) | Event::End(_))
            && !matches!(
                e,
                Event::Start(Tag::Emphasis | Tag::Strong | Tag::Link { .. })
                    | Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link)
            )
        {
            block += 1;
        }
        if is_star_run(e, r) {
            let start = i;
            let mut end = r.end;
            while i + 1 < events.len()
                && is_star_run(&events[i + 1].0, &events[i + 1].1)
                && events[i + 1].1.start == end
            {
                i += 1;
                end = events[i].1.end;
            }
            runs.push((start, i - start + 1, r.start..end));
            block_of.push(block);
        }
        i += 1;
    }
    let before = |pos: usize| body[..pos].chars().next_back();
    let after = |pos: usize| body[pos..].chars().next();
    // Pair: each run that can close finds the nearest earlier open run of the same size.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    for (k, (_, count, range)) in runs.iter().enumerate() {
        let can_open = after(range.end).is_some_and(|c| !c.is_whitespace());
        let can_close = before(range.start).is_some_and(|c| !c.is_whitespace());
        let partner = open.iter().rposition(|&o| {
            runs[o].1 == *count && block_of[o] == block_of[k] && runs[o].2.end < range.start
        });
        match partner {
            Some(p) if can_close && *count <= 3 => {
                pairs.push((open[p], k));
                open.truncate(p);
            }
            _ if can_open => open.push(k),
            _ => {}
        }
    }
    if pairs.is_empty() {
        return events;
    }
    // Replace each run's events: the opener's first event becomes the start tags, the rest go.
    let mut replace: Vec<Option<Vec<Event<'a>>>> = vec![None; events.len()];
    let mut drop = vec![false; events.len()];
    let tags = |count: usize| -> Vec<Tag<'a>> {
        match count {
            1 => vec![Tag::Emphasis],
            2 => vec![Tag::Strong],
            _ => vec![Tag::Emphasis, Tag::Strong],
        }
    };
    for (o, c) in pairs {
        let (oi, count, _) = runs[o].clone();
        let (ci, _, _) = runs[c].clone();
        replace[oi] = Some(tags(count).into_iter().map(Event::Start).collect());
        replace[ci] = Some(
            tags(count)
                .into_iter()
                .rev()
                .map(|t| Event::End(t.to_end()))
                .collect(),
        );
        for d in 1..count {
            drop[oi + d] = true;
            drop[ci + d] = true;
        }
    }
    let mut out = Vec::with_capacity(events.len());
    for (idx, (e, r)) in events.into_iter().enumerate() {
        if drop[idx] {
            continue;
        }
        match replace[idx].take() {
            Some(evs) => out.extend(evs.into_iter().map(|ev| (ev, r.clone()))),
            None => out.push((e, r)),
        }
    }
    out
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
        let m = render(md, Place::lines(1), "t.md", Settings::default(), &mut e);
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
            Place::lines(1),
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
            Place::lines(10),
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert_eq!(m.segments.len(), 3);
        assert!(matches!(
            &m.segments[1],
            Segment::Shortcode {
                pos: Pos { line: 12, col: 1 },
                ..
            }
        ));
        render(
            "x\n\n{{ chrt() }}\n",
            Place::lines(5),
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert_eq!(e[0].pos, Some(Pos::new(7, 1)));
        e.clear();
        let m = render(
            "```\n{{ chrt() }}\n```\n",
            Place::lines(1),
            "t.md",
            Settings::default(),
            &mut e,
        );
        assert!(e.is_empty() && m.segments.len() == 1);
    }

    #[test]
    fn links_and_shortcodes_keep_their_column() {
        let mut e = vec![];
        let place = Place {
            start: Pos::new(4, 3),
            indent: 2,
            exact: true,
        };
        let m = render(
            "见 [甲](@/projects/a/)\n\n  {{ chrt() }}\n",
            place,
            "t.yaml",
            Settings::default(),
            &mut e,
        );
        assert_eq!(
            m.internal_links,
            vec![("projects/a/".into(), Pos::new(4, 5))]
        );
        assert_eq!(e[0].pos, Some(Pos::new(6, 5)));
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
    fn emphasis_around_chinese_punctuation() {
        assert_eq!(
            html("这是**“重点”**项目"),
            "<p>这是<strong>“重点”</strong>项目</p>\n"
        );
        assert_eq!(html("这是*“强调”*项目"), "<p>这是<em>“强调”</em>项目</p>\n");
        assert_eq!(
            html("**加粗（括号）**后文"),
            "<p><strong>加粗（括号）</strong>后文</p>\n"
        );
        assert_eq!(
            html("a **b** c"),
            "<p>a <strong>b</strong> c</p>\n",
            "standard emphasis is untouched"
        );
        assert_eq!(
            html("这是\\*\\*“不是”\\*\\*项目"),
            "<p>这是**“不是”**项目</p>\n",
            "escaped asterisks stay"
        );
        assert_eq!(
            html("5 * 3 * 2"),
            "<p>5 * 3 * 2</p>\n",
            "spaced asterisks stay"
        );
        assert_eq!(html("`**“代码”**`"), "<p><code>**“代码”**</code></p>\n");
        assert_eq!(
            html("甲**“乙”\n\n丙”**丁"),
            "<p>甲**“乙”</p>\n<p>丙”**丁</p>\n",
            "never across blocks"
        );
    }

    #[test]
    fn footnotes_are_numbered_with_ids_of_their_document() {
        let mut e = vec![];
        let a = render(
            "文[^x]\n\n[^x]: 注\n",
            Place::lines(1),
            "a.md",
            Settings::default(),
            &mut e,
        )
        .plain_html("");
        let b = render(
            "文[^x]\n\n[^x]: 注\n",
            Place::lines(1),
            "b.md",
            Settings::default(),
            &mut e,
        )
        .plain_html("");
        let id = |h: &str| {
            h.split("id=\"fn-")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_string()
        };
        assert_ne!(id(&a), id(&b));
        assert!(a.contains(">1</a></sup>") && a.contains("href=\"#fnref-"));
        let h = html("文[^\"><script>x</script>]\n\n[^\"><script>x</script>]: 注\n");
        assert!(!h.contains("<script>"), "{h}");
    }

    #[test]
    fn chinese_lines_join_without_a_space() {
        assert_eq!(html("第一行\n第二行"), "<p>第一行第二行</p>\n");
        assert_eq!(html("one\ntwo"), "<p>one\ntwo</p>\n");
    }
}
